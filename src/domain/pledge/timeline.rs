//! A pledge's rate history cut into segments and periods, and the akrasia
//! horizon for changes.

use chrono::{Days, NaiveDate, Weekday};
use serde::Serialize;

use super::period::{align_up, grid, period_end, period_start};
use super::rate::{Rate, is_easier};
use super::terms::PledgeTerms;

/// One decision about a pledge's rate. `rate: None` ends the pledge.
/// `seq` orders decisions taking effect on the same day (higher wins).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateChange {
    pub effective_from: NaiveDate,
    pub rate: Option<Rate>,
    pub seq: i64,
}

/// A pledge's dates and rate history (the initial rate is the first change).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pledge {
    /// First day, snapped to the start of its period.
    pub from: NaiveDate,
    /// Last day, snapped to the end of its period.
    pub until: Option<NaiveDate>,
    pub changes: Vec<RateChange>,
    /// The settings it was made under.
    pub terms: PledgeTerms,
    /// `done` on its target: it ends with the period holding this day.
    pub completion: Option<Completion>,
}

/// The target of a pledge was completed (`done`): the pledge ends with the
/// period that holds `on`, and that period is kept when `kept` (it had not
/// closed yet when `done` was recorded: a closed verdict never changes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Completion {
    pub on: NaiveDate,
    pub kept: bool,
}

/// How a requested change compares with the rate in effect today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Higher amount, or a restart of an ended pledge: effective at once.
    Harder,
    /// Same rate: effective at once (it only cancels pending changes).
    Unchanged,
    /// See [`is_easier`]: effective after the horizon.
    Easier,
    /// `pledge end`: effective after the horizon.
    End,
}

/// What [`Pledge::plan_change`] decided; store it with [`Pledge::apply`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangePlan {
    pub rate: Option<Rate>,
    pub kind: ChangeKind,
    pub effective_from: NaiveDate,
    /// `seq` of the pending changes (not yet in effect) this one replaces.
    pub cancels: Vec<i64>,
}

#[derive(Debug, Clone, Copy)]
struct Segment {
    from: NaiveDate,
    rate: Option<Rate>,
}

/// Normalised history: strictly increasing segment starts, each aligned to
/// the grid of the rates on both sides, and the last day allowed by `until`.
pub(super) struct Timeline {
    segs: Vec<Segment>,
    end: Option<NaiveDate>,
}

impl Timeline {
    pub(super) fn rate_on(&self, day: NaiveDate) -> Option<Rate> {
        if self.end.is_some_and(|e| day > e) {
            return None;
        }
        self.segs.iter().rev().find(|s| s.from <= day)?.rate
    }

    /// Periods with a rate that start in `[lo's period, last_start]`, in order.
    pub(super) fn periods(
        &self,
        lo: NaiveDate,
        last_start: NaiveDate,
        ws: Weekday,
    ) -> Vec<(NaiveDate, NaiveDate, Rate)> {
        let last_start = self.end.map_or(last_start, |e| last_start.min(e));
        let mut out = Vec::new();
        for (i, seg) in self.segs.iter().enumerate() {
            let Some(rate) = seg.rate else { continue };
            let seg_end = self.segs.get(i + 1).and_then(|n| n.from.pred_opt());
            if seg_end.is_some_and(|e| e < lo) {
                continue;
            }
            if seg.from > last_start {
                break;
            }
            let mut day = seg.from.max(period_start(lo, rate.per, ws));
            while day <= last_start && seg_end.is_none_or(|e| day <= e) {
                let end = period_end(day, rate.per, ws);
                let end = seg_end.map_or(end, |e| end.min(e));
                out.push((day, end, rate));
                match end.succ_opt() {
                    Some(next) => day = next,
                    None => break,
                }
            }
        }
        out
    }
}

impl Pledge {
    /// A new pledge: `from` snaps to the start of its period and `until` to
    /// the end of its period, so the current week's sessions already count.
    /// Errors when it would end before it starts.
    pub fn new(rate: Rate, from: NaiveDate, until: Option<NaiveDate>, terms: PledgeTerms) -> Result<Self, String> {
        let week_start = terms.week_starts;
        let from = period_start(from, rate.per, week_start);
        let until = until.map(|u| period_end(u, rate.per, week_start));
        if let Some(u) = until
            && u < from
        {
            return Err(format!("the pledge would end ({u}) before it starts ({from})"));
        }
        let changes = vec![RateChange { effective_from: from, rate: Some(rate), seq: 0 }];
        Ok(Pledge { from, until, changes, terms, completion: None })
    }

    /// Reads the history in `(effective_from, seq)` order. Dates before
    /// `from` count as `from`; the first segment starts at the start of its
    /// period. A later boundary that touches a weekly rate and is not a week
    /// start moves forward to the next week start (plan_change never makes
    /// such boundaries; this only guards odd data or a changed `week_starts`).
    pub(super) fn timeline(&self, ws: Weekday) -> Timeline {
        let mut changes = self.changes.clone();
        changes.sort_by_key(|c| (c.effective_from, c.seq));
        let mut segs: Vec<Segment> = Vec::new();
        for c in changes {
            let day = c.effective_from.max(self.from);
            let day = match segs.last() {
                None => c.rate.map_or(day, |r| period_start(day, r.per, ws)),
                Some(last) => align_up(day.max(last.from), grid(last.rate, c.rate), ws),
            };
            match segs.last_mut() {
                Some(last) if last.from == day => last.rate = c.rate,
                _ => segs.push(Segment { from: day, rate: c.rate }),
            }
        }
        let mut tl = Timeline { segs, end: None };
        let end_of = |tl: &Timeline, day: NaiveDate| match tl.rate_on(day) {
            Some(r) => period_end(day, r.per, ws),
            None => day,
        };
        let until = self.until.map(|u| end_of(&tl, u));
        let completed = self.completion.map(|c| end_of(&tl, c.on));
        tl.end = match (until, completed) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        tl
    }

    /// The rate in effect on `day` (`None` before the start, after the end,
    /// or while ended).
    pub fn rate_on(&self, day: NaiveDate, week_start: Weekday) -> Option<Rate> {
        self.timeline(week_start).rate_on(day)
    }

    /// The period containing `day` and the rate that judges it: the latest
    /// one in effect on the period's last day. `None` when no rate applies.
    pub fn period_at(&self, day: NaiveDate, week_start: Weekday) -> Option<(NaiveDate, NaiveDate, Rate)> {
        let tl = self.timeline(week_start);
        tl.periods(day, day, week_start).into_iter().find(|(s, e, _)| *s <= day && day <= *e)
    }

    /// The last day of the pledge when known: the end of `until`'s period,
    /// or the day before a scheduled end. `None`: open-ended.
    pub fn end_day(&self, week_start: Weekday) -> Option<NaiveDate> {
        let tl = self.timeline(week_start);
        let ended = match tl.segs.last() {
            Some(Segment { from, rate: None }) => from.pred_opt(),
            _ => None,
        };
        match (tl.end, ended) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Decides when a new rate (`None` = `pledge end`) takes effect
    /// (the akrasia horizon):
    /// - compared with the rate in effect today (or on the first day, for a
    ///   pledge not started yet), ignoring pending changes;
    /// - harder or unchanged (and restarting an ended pledge): from the start
    ///   of the current period, so the current period is judged by it;
    /// - easier or end: from the first period start on or after
    ///   `today + horizon_days`;
    /// - if the old or the new rate is weekly, "period" means week, so a
    ///   switch between /day and /week happens on a week start and no week
    ///   ever has two rates;
    /// - never before the latest change already in effect;
    /// - every change still waiting (effective after today) is cancelled.
    pub fn plan_change(
        &self,
        new: Option<Rate>,
        today: NaiveDate,
        horizon_days: i64,
        week_start: Weekday,
    ) -> ChangePlan {
        let reference = today.max(self.from);
        let (settled, pending): (Vec<RateChange>, Vec<RateChange>) =
            self.changes.iter().partition(|c| c.effective_from <= reference);
        let settled = Pledge { changes: settled, ..self.clone() }.timeline(week_start);
        let current = settled.rate_on(reference);
        let kind = match (current, new) {
            (Some(old), Some(new)) if old == new => ChangeKind::Unchanged,
            (Some(old), Some(new)) if is_easier(&old, &new) => ChangeKind::Easier,
            (Some(_), None) => ChangeKind::End,
            (None, None) => ChangeKind::Unchanged,
            _ => ChangeKind::Harder,
        };
        let grid = grid(current, new);
        let base = match kind {
            ChangeKind::Harder | ChangeKind::Unchanged => period_start(reference, grid, week_start),
            ChangeKind::Easier | ChangeKind::End => {
                let days = Days::new(u64::try_from(horizon_days).unwrap_or(0));
                let earliest = today.checked_add_days(days).unwrap_or(NaiveDate::MAX);
                align_up(earliest, grid, week_start)
            }
        };
        let last_in_effect = settled.segs.last().map_or(reference, |s| s.from);
        ChangePlan {
            rate: new,
            kind,
            effective_from: align_up(base.max(last_in_effect), grid, week_start),
            cancels: pending.iter().map(|c| c.seq).collect(),
        }
    }

    /// Records a planned change under `seq` (which must exceed every
    /// existing one), dropping the changes it cancels.
    pub fn apply(&mut self, plan: &ChangePlan, seq: i64) {
        self.changes.retain(|c| !plan.cancels.contains(&c.seq));
        self.changes.push(RateChange { effective_from: plan.effective_from, rate: plan.rate, seq });
    }
}
