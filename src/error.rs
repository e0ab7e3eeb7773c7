//! The one error type, its kinds and how they map to exit codes.
//!
//! Everything is an `anyhow::Error`; an [`Error`] of kind
//! [`ErrorKind::Usage`] anywhere in the chain means bad usage or bad input
//! (exit 2). Anything else is a failure of the environment (exit 1), with a
//! `hint:` line when an [`Error`] of kind [`ErrorKind::Environment`] carries
//! one. A closed stdout (`learnlog list | head -1`) is not an error at all.
//!
//! This file imports nothing of the project, so that every layer, the pure
//! `domain/` included, can return an [`Error`] (docs/architecture.md).

use std::io::Write;
use std::process::ExitCode;

/// Which exit code an error earns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Bad usage or bad input: exit 2.
    Usage,
    /// The environment failed (a file, the database, the network): exit 1.
    Environment,
}

/// An error learnlog explains itself: a kind, a one-line message and an
/// optional hint naming a command that works.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    pub message: String,
    pub hint: Option<String>,
}

impl Error {
    /// Bad input, with no hint.
    pub fn usage(message: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Usage, message: message.into(), hint: None }
    }

    /// Bad input, with a hint line.
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Usage, message: message.into(), hint: Some(hint.into()) }
    }

    /// A hint to attach (as context) to an environment failure; it adds no
    /// text of its own to the `error:` line.
    pub fn environment_hint(hint: impl Into<String>) -> Error {
        Error { kind: ErrorKind::Environment, message: String::new(), hint: Some(hint.into()) }
    }

    pub fn exit_code(&self) -> u8 {
        match self.kind {
            ErrorKind::Usage => EXIT_USAGE,
            ErrorKind::Environment => EXIT_ENV,
        }
    }
}

/// Exit codes (README, "Exit codes").
pub const EXIT_ENV: u8 = 1;
pub const EXIT_USAGE: u8 = 2;
pub const EXIT_REMIND: u8 = 3;

/// A user error with no hint.
pub fn user(message: impl Into<String>) -> anyhow::Error {
    Error::usage(message).into()
}

/// A user error with a hint line.
pub fn user_hint(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    Error::new(message, hint).into()
}

fn usage_error(err: &anyhow::Error) -> Option<&Error> {
    err.chain().filter_map(|cause| cause.downcast_ref::<Error>()).find(|e| e.kind == ErrorKind::Usage)
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// What `report` prints for `err` (`error:` and `hint:` lines) and the
/// exit code; `None` for a closed stdout, which is a quiet success.
fn explain(err: &anyhow::Error) -> Option<(String, u8)> {
    if is_broken_pipe(err) {
        return None;
    }
    let (message, hint, code) = match usage_error(err) {
        Some(usage) => (usage.message.clone(), usage.hint.clone(), usage.exit_code()),
        None => {
            // The outermost context first, then its causes on the same line.
            // A hint added as context is found by `downcast_ref` (which sees
            // through contexts); in `chain()` it is a wrapper with no text.
            let hint = err.downcast_ref::<Error>().and_then(|e| e.hint.clone());
            let causes: Vec<String> = err.chain().map(|c| c.to_string()).filter(|text| !text.is_empty()).collect();
            (causes.join(": "), hint, EXIT_ENV)
        }
    };
    let mut text = format!("error: {message}\n");
    if let Some(hint) = hint {
        text.push_str(&format!("hint: {hint}\n"));
    }
    Some((text, code))
}

/// Prints `error:` (and `hint:`) to stderr and returns the exit code.
pub fn report(err: &anyhow::Error) -> ExitCode {
    match explain(err) {
        Some((text, code)) => {
            let _ = std::io::stderr().lock().write_all(text.as_bytes());
            ExitCode::from(code)
        }
        None => ExitCode::SUCCESS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn usage_errors_exit_2_with_their_hint_whatever_the_context() {
        let err = Err::<(), _>(user_hint("invalid date 'x'", "use YYYY-MM-DD")).context("reading --date").unwrap_err();
        assert_eq!(explain(&err), Some(("error: invalid date 'x'\nhint: use YYYY-MM-DD\n".into(), 2)));
        let from_domain: anyhow::Error = Error::new("invalid rate '5x/week'", "rates look like 5h/week").into();
        assert_eq!(explain(&from_domain).map(|(_, code)| code), Some(2));
    }

    #[test]
    fn environment_errors_exit_1_and_a_hint_adds_no_text() {
        let err = Err::<(), _>(anyhow::anyhow!("permission denied"))
            .context(Error::environment_hint("pass --db with another path"))
            .context("database /x/learnlog.db")
            .unwrap_err();
        assert_eq!(
            explain(&err),
            Some(("error: database /x/learnlog.db: permission denied\nhint: pass --db with another path\n".into(), 1))
        );
        let pipe = anyhow::Error::new(std::io::Error::from(std::io::ErrorKind::BrokenPipe));
        assert_eq!(explain(&pipe), None);
    }
}
