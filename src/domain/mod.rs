//! Pure logic: no I/O, no clock, no SQL. Everything here takes today as a
//! parameter and is unit-tested with hand-built inputs.

pub mod heatmap;
pub mod mentor;
pub mod money;
pub mod odds;
pub mod parse;
pub mod pledge;
pub mod records;
pub mod slug;
pub mod snapshot;
pub mod streak;

/// Input that cannot be understood: a message and, where useful, a hint.
/// Shown to the user as `error:` / `hint:` with exit code 2.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Invalid {
    pub message: String,
    pub hint: Option<String>,
}

impl Invalid {
    pub fn new(message: impl Into<String>, hint: impl Into<String>) -> Invalid {
        Invalid { message: message.into(), hint: Some(hint.into()) }
    }
}
