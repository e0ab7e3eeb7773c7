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
