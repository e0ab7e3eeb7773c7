//! Judging periods: kept, missed, on track, behind, scheduled;
//! the debts missed periods leave; whether a week kept every pledge.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, Weekday};
use serde::{Deserialize, Serialize, Serializer};

use super::closing::LateSession;
use super::period::{period_end, period_start};
use super::rate::{Per, Rate, RateUnit};
use super::timeline::Pledge;

/// What was logged on the pledge's target on one study day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayAmount {
    pub minutes: i64,
    pub units: i64,
}

/// What was logged on a pledge's target: the totals per study day as they
/// are now, and the sessions that a closed period may count for less.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Logged {
    pub days: BTreeMap<NaiveDate, DayAmount>,
    pub late: Vec<LateSession>,
}

impl From<BTreeMap<NaiveDate, DayAmount>> for Logged {
    fn from(days: BTreeMap<NaiveDate, DayAmount>) -> Self {
        Logged { days, late: Vec::new() }
    }
}

/// Verdict on one period. JSON: `kept`, `missed`, `on_track`, `behind`, `scheduled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Past period, met.
    Kept,
    /// Past period, not met.
    Missed,
    /// Current period, already met.
    OnTrack,
    /// Current period, not met yet.
    Behind,
    /// The pledge's first period, which has not started.
    Scheduled,
}

impl Verdict {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Kept => "kept",
            Verdict::Missed => "missed",
            Verdict::OnTrack => "on_track",
            Verdict::Behind => "behind",
            Verdict::Scheduled => "scheduled",
        }
    }

    /// Kept, or already met for the current period.
    pub fn is_met(self) -> bool {
        matches!(self, Verdict::Kept | Verdict::OnTrack)
    }
}

/// The judgement of one period. Amounts are in the rate's unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodResult {
    #[serde(serialize_with = "ymd")]
    pub start: NaiveDate,
    #[serde(serialize_with = "ymd")]
    pub end: NaiveDate,
    pub rate: Rate,
    /// The rate's amount, less rest days for a `d/week` rate.
    pub target: i64,
    pub done: i64,
    /// `max(target − done, 0)`.
    pub needed: i64,
    pub verdict: Verdict,
    /// Days from today to the period's end, inclusive; 0 for past periods.
    pub days_left: i64,
    /// Whether its verdict has closed (grace over): it will not change.
    #[serde(skip)]
    pub closed: bool,
}

/// Dates in JSON are `YYYY-MM-DD` (without needing chrono's serde feature).
fn ymd<S: Serializer>(day: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&day.format("%Y-%m-%d"))
}

/// Everything evaluation needs besides the pledge and what was logged.
#[derive(Debug, Clone, Copy)]
pub struct EvalContext<'a> {
    pub today: NaiveDate,
    /// The week grid of the weekly streak ([`week_kept`]); a pledge's own
    /// periods follow its terms.
    pub week_start: Weekday,
    /// Declared rest days, each with the local instant it was declared.
    pub rest_days: &'a BTreeMap<NaiveDate, NaiveDateTime>,
}

impl EvalContext<'_> {
    /// Whether `day` is a rest day for `pledge`: one of its rest weekdays,
    /// or declared at least its horizon before.
    pub fn is_rest(&self, pledge: &Pledge, day: NaiveDate) -> bool {
        pledge.terms.is_rest_weekday(day)
            || self.rest_days.get(&day).is_some_and(|declared| pledge.terms.rest_excuses(day, *declared))
    }
}

/// Judges each period of `pledge` that overlaps `[from, to]` and does not
/// start after today, in order. Rest days of a /day pledge are skipped (not
/// judged); each rest day in a week lowers a `d/week` target by one, never
/// below zero. A closed period counts only what was recorded before it
/// closed (see [`LateSession`]).
pub fn evaluate(
    pledge: &Pledge,
    logged: &Logged,
    ctx: &EvalContext<'_>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<PeriodResult> {
    if from > to {
        return Vec::new();
    }
    let ws = pledge.terms.week_starts;
    pledge
        .timeline(ws)
        .periods(from, to.min(ctx.today), ws)
        .into_iter()
        .filter_map(|(start, end, rate)| judge(pledge, start, end, rate, logged, ctx))
        .collect()
}

/// The pledge's first period while it has not started: `scheduled`, with
/// its start. `None` once it has started (or when it has no rate).
pub fn scheduled(pledge: &Pledge, today: NaiveDate) -> Option<PeriodResult> {
    if pledge.from <= today {
        return None;
    }
    let ws = pledge.terms.week_starts;
    let (start, end, rate) = pledge.timeline(ws).periods(pledge.from, pledge.from, ws).into_iter().next()?;
    Some(PeriodResult {
        start,
        end,
        rate,
        target: rate.amount,
        done: 0,
        needed: rate.amount,
        verdict: Verdict::Scheduled,
        days_left: (end - start).num_days() + 1,
        closed: false,
    })
}

/// The amounts per day that count for the period `[start, end]`: all of
/// them while it is open; once closed, less what was recorded or raised
/// after the close.
fn counted_days(
    pledge: &Pledge,
    start: NaiveDate,
    end: NaiveDate,
    logged: &Logged,
    closed: bool,
) -> BTreeMap<NaiveDate, DayAmount> {
    let mut days: BTreeMap<NaiveDate, DayAmount> = logged.days.range(start..=end).map(|(d, a)| (*d, *a)).collect();
    if closed {
        let close = pledge.terms.close_day(end);
        for (day, excess) in logged.late.iter().filter_map(|s| s.excess(start, end, close, &pledge.terms)) {
            let entry = days.entry(day).or_default();
            entry.minutes -= excess.minutes;
            entry.units -= excess.units;
        }
    }
    days
}

fn judge(
    pledge: &Pledge,
    start: NaiveDate,
    end: NaiveDate,
    rate: Rate,
    logged: &Logged,
    ctx: &EvalContext<'_>,
) -> Option<PeriodResult> {
    if rate.per == Per::Day && ctx.is_rest(pledge, start) {
        return None;
    }
    let closed = pledge.terms.is_closed(end, ctx.today);
    let days = counted_days(pledge, start, end, logged, closed);
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let min_minutes = pledge.terms.min_minutes;
    let done = match rate.unit {
        RateUnit::Minutes => days.values().fold(0_i64, |t, a| t.saturating_add(a.minutes)),
        RateUnit::Units => days.values().fold(0_i64, |t, a| t.saturating_add(a.units)),
        RateUnit::Days => count(days.values().filter(|a| a.minutes > 0 && a.minutes >= min_minutes).count()),
    };
    let rest_days = if rate.unit == RateUnit::Days && rate.per == Per::Week {
        count(start.iter_days().take_while(|d| *d <= end).filter(|d| ctx.is_rest(pledge, *d)).count())
    } else {
        0
    };
    let target = rate.amount.saturating_sub(rest_days).max(0);
    // `done` on the target keeps the period that holds the completion day.
    let completed = pledge.completion.is_some_and(|c| c.kept && start <= c.on && c.on <= end);
    let met = completed || target == 0 || done >= target;
    let current = ctx.today <= end;
    let verdict = match (current && !completed, met) {
        (false, true) => Verdict::Kept,
        (false, false) => Verdict::Missed,
        (true, true) => Verdict::OnTrack,
        (true, false) => Verdict::Behind,
    };
    Some(PeriodResult {
        start,
        end,
        rate,
        target,
        done,
        needed: if completed { 0 } else { target.saturating_sub(done).max(0) },
        verdict,
        days_left: if current { (end - ctx.today).num_days() + 1 } else { 0 },
        closed,
    })
}

/// Start of each missed period that records a debt: all missed periods when
/// the pledge has a stake, none otherwise. (Within its grace a missed
/// period can still be made up, and its debt with it; once closed, nothing
/// recorded later erases it.)
pub fn debts(results: &[PeriodResult], has_stake: bool) -> Vec<NaiveDate> {
    if !has_stake {
        return Vec::new();
    }
    results.iter().filter(|r| r.verdict == Verdict::Missed).map(|r| r.start).collect()
}

/// For the weekly streak: was every pledge active in the week containing
/// `week` kept (for the current week: already met, judged up to today)?
/// `None` when no pledge was active that week, or the week is in the future.
/// A /day pledge keeps a week when every judged day of it was kept (a week
/// made only of rest days counts as kept).
pub fn week_kept(pledges: &[(&Pledge, &Logged)], week: NaiveDate, ctx: &EvalContext<'_>) -> Option<bool> {
    let ws = ctx.week_start;
    let first = period_start(week, Per::Week, ws);
    if first > ctx.today {
        return None;
    }
    let last = period_end(first, Per::Week, ws).min(ctx.today);
    let mut active = false;
    let mut kept = true;
    for (pledge, logged) in pledges {
        let tl = pledge.timeline(pledge.terms.week_starts);
        if !first.iter_days().take_while(|d| *d <= last).any(|d| tl.rate_on(d).is_some()) {
            continue;
        }
        active = true;
        kept &= evaluate(pledge, logged, ctx, first, last).iter().all(|p| p.verdict.is_met());
    }
    active.then_some(kept)
}
