//! Pledges: rates, periods, the akrasia horizon, verdicts, closing and
//! debts.
//!
//! Pure: no I/O, no clock, no SQL. `today` is always a parameter, and each
//! pledge carries the [`PledgeTerms`] it was made under (week start, grace,
//! horizon…), so every answer is reproducible in tests.
//!
//! A pledge's history is a list of [`RateChange`]s. Read in order of
//! `(effective_from, seq)`, they cut time into *segments*, each with one rate
//! (or none: the pledge ended). Segments are cut into *periods* (days or
//! weeks) and each period is judged against its segment's rate. Segment
//! boundaries are normalised so that every period lies inside one segment;
//! see [`Pledge::plan_change`] for how the boundaries are chosen.

mod closing;
mod period;
mod rate;
mod terms;
mod timeline;
mod verdict;

pub use closing::{LateSession, Placement};
pub use period::{period_end, period_start};
pub use rate::{Per, RATE_HINT, Rate, RateUnit, is_easier};
pub use terms::PledgeTerms;
pub use timeline::{ChangeKind, ChangePlan, Completion, Pledge, RateChange};
pub use verdict::{DayAmount, EvalContext, Logged, PeriodResult, Verdict, debts, evaluate, scheduled, week_kept};

#[cfg(test)]
mod tests;
