//! Closing: once a period has closed, its
//! verdict counts only what was recorded before the close. The day totals
//! hold every session where it is now; a [`LateSession`] is one whose
//! contribution to a closed period may be smaller than that: recorded
//! after the close (a backfill, an import of one), or amended after it.
//!
//! Everything is derived from the records (when each session was recorded
//! and amended, in its own UTC offset), never from when a command ran, so
//! every device reaches the same closed verdict.

use chrono::{NaiveDate, NaiveDateTime};

use super::terms::PledgeTerms;
use super::verdict::DayAmount;

/// Where a session counts: its study day, whether its target is in the
/// pledge's scope, and its amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub day: NaiveDate,
    pub in_scope: bool,
    pub minutes: i64,
    pub units: i64,
}

impl Placement {
    fn amount_in(&self, start: NaiveDate, end: NaiveDate) -> DayAmount {
        if self.in_scope && start <= self.day && self.day <= end {
            DayAmount { minutes: self.minutes, units: self.units }
        } else {
            DayAmount::default()
        }
    }
}

/// A session that was recorded late or amended, with what is known of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LateSession {
    /// Where it counts now (what the day totals hold).
    pub now: Placement,
    /// When it was recorded (`created_at`), in its own UTC offset.
    pub recorded: NaiveDateTime,
    /// The latest edit of its day, target, minutes or units, in its own offset.
    pub amended: Option<NaiveDateTime>,
    /// Where it counted before the first such edit.
    pub prior: Option<Placement>,
}

impl LateSession {
    /// How much of this session the day totals count in `[start, end]` that
    /// the period, closed at the end of study day `close`, must not: on
    /// which day, and how much. `None` when it counts in full.
    ///
    /// - recorded after the close: it does not count (a late negative
    ///   correction of units still does: lowering is always allowed);
    /// - amended after the close: the smaller of what it counts now and
    ///   what its prior placement counted, so an edit never raises a closed
    ///   period but may lower it. The prior placement is the one before the
    ///   *first* edit, with the lowest amounts it had there before any
    ///   later edit (store::sessions::amend): after several edits the
    ///   placement at the close is not known, and this errs toward counting
    ///   less (an edit raising it before the close and another one after
    ///   counts the amount from before both).
    pub fn excess(
        &self,
        start: NaiveDate,
        end: NaiveDate,
        close: NaiveDate,
        terms: &PledgeTerms,
    ) -> Option<(NaiveDate, DayAmount)> {
        let now = self.now.amount_in(start, end);
        if now == DayAmount::default() {
            return None;
        }
        let counted = if terms.study_day(self.recorded) > close {
            DayAmount { minutes: now.minutes.min(0), units: now.units.min(0) }
        } else if self.amended.is_some_and(|at| terms.study_day(at) > close) {
            let prior = self.prior.map(|p| p.amount_in(start, end)).unwrap_or_default();
            DayAmount { minutes: now.minutes.min(prior.minutes), units: now.units.min(prior.units) }
        } else {
            return None;
        };
        let excess = DayAmount { minutes: now.minutes - counted.minutes, units: now.units - counted.units };
        (excess != DayAmount::default()).then_some((self.now.day, excess))
    }
}
