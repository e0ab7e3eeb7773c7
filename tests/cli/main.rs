//! The one integration-test binary (one compile on two cores): every
//! module runs the real learnlog through `common::TestEnv`.

mod common;

mod daily;
mod heatmap;
mod next;
