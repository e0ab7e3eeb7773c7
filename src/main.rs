use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = learnlog::cli::Cli::parse();
    match learnlog::run(cli) {
        Ok(code) => code,
        Err(err) => learnlog::error::report(&err),
    }
}
