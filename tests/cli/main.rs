//! The one integration-test binary (one compile on two cores): every
//! module runs the real learnlog through `common::TestEnv`.

mod common;

mod cohort;
mod commitments;
mod commitments_hold;
mod daily;
mod errors;
mod examples;
mod files;
mod fuzz;
mod heatmap;
mod hostile;
mod html;
mod inputs;
mod interop;
mod layers;
mod next;
mod outputs;
mod readme;
mod records;
mod reliability;
mod report;
mod server;
mod streaks;
mod sync;
mod widths;
