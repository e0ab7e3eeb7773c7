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

use crate::domain::parse::format_minutes;
use crate::domain::records::BloomLevel;
use crate::report::period::Bloom;

/// (level name, minutes) in the taxonomy's order, `unspecified` last.
pub fn bloom_rows(bloom: &Bloom) -> Vec<(&'static str, i64)> {
    bloom
        .levels()
        .into_iter()
        .map(|(level, minutes)| (level.map_or("unspecified", BloomLevel::as_str), minutes))
        .collect()
}

/// Minutes as people say them, `-` for none.
pub fn minutes_or_dash(minutes: i64) -> String {
    if minutes == 0 { "-".into() } else { format_minutes(minutes) }
}

pub use crate::domain::parse::format_percent as percent;

pub use crate::domain::parse::plural;
