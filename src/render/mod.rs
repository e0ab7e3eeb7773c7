//! Turning reports into text. JSON is not here: it is the report struct,
//! serialised by `Out::json_doc`.

pub mod cohort;
pub mod commitments;
pub mod heatmap;
pub mod html;
pub mod markdown;
pub mod next;
pub mod odds;
pub mod period;
pub mod portfolio;
pub mod records;
pub mod status;
pub mod table;

use crate::domain::parse::format_minutes;

/// Minutes as people say them, `-` for none.
pub fn minutes_or_dash(minutes: i64) -> String {
    if minutes == 0 { "-".into() } else { format_minutes(minutes) }
}

pub use crate::domain::parse::format_percent as percent;

/// `1 day`, `3 days`.
pub fn plural(n: i64, word: &str) -> String {
    if n == 1 { format!("{n} {word}") } else { format!("{n} {word}s") }
}
