//! User-facing error kinds and how they map to exit codes.
//!
//! Everything is an `anyhow::Error`; a [`UserError`] anywhere in the chain
//! means bad usage or bad input (exit 2). Anything else is a failure of the
//! environment (exit 1). A closed stdout (`learnlog list | head -1`) is not an
//! error at all.

use std::io::Write;
use std::process::ExitCode;

/// Bad usage or bad input: exit 2, with an optional hint line.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

/// Exit codes of SPEC §4.
pub const EXIT_ENV: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_REMIND: u8 = 3;

/// A user error with no hint.
pub fn user(message: impl Into<String>) -> anyhow::Error {
    UserError { message: message.into(), hint: None }.into()
}

/// A user error with a hint line.
pub fn user_hint(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    UserError { message: message.into(), hint: Some(hint.into()) }.into()
}

/// A hint to print below an environment error.
#[derive(Debug, thiserror::Error)]
#[error("{hint}")]
pub struct EnvHint {
    pub hint: String,
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Prints `error:` (and `hint:`) to stderr and returns the exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    let mut stderr = std::io::stderr().lock();
    let user = err.chain().find_map(|c| {
        c.downcast_ref::<UserError>()
            .map(|u| (u.message.clone(), u.hint.clone()))
            .or_else(|| c.downcast_ref::<crate::domain::Invalid>().map(|i| (i.message.clone(), i.hint.clone())))
    });
    if let Some((message, hint)) = user {
        let _ = writeln!(stderr, "error: {message}");
        if let Some(hint) = &hint {
            let _ = writeln!(stderr, "hint: {hint}");
        }
        return ExitCode::from(EXIT_USAGE);
    }
    // The outermost context first, then its causes on the same line. A hint
    // added as context is found by `downcast_ref` (which sees through
    // contexts); in `chain()` it is only a context wrapper, known by its text.
    let hint = err.downcast_ref::<EnvHint>().map(|h| h.hint.clone());
    let mut message = err.to_string();
    for cause in err.chain().skip(1) {
        let text = cause.to_string();
        if hint.as_deref() == Some(text.as_str()) {
            continue;
        }
        message.push_str(": ");
        message.push_str(&text);
    }
    let _ = writeln!(stderr, "error: {message}");
    if let Some(hint) = hint {
        let _ = writeln!(stderr, "hint: {hint}");
    }
    ExitCode::from(EXIT_ENV)
}
