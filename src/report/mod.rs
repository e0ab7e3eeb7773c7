//! Report structs (serialised as-is for `--json`), built from store rows and
//! domain functions. Rendering them is `render`'s job.

pub mod cohort;
pub mod heatmap;
pub mod next;
pub mod odds;
pub mod page;
pub mod period;
pub mod pledges;
pub mod portfolio;
pub mod records;
pub mod status;
pub mod streak;
pub mod totals;
