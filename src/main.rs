use std::process::ExitCode;

fn main() -> ExitCode {
    let outcome = learnlog::cli::parse().and_then(learnlog::run);
    match outcome {
        Ok(code) => code,
        Err(err) => learnlog::error::report(&err),
    }
}
