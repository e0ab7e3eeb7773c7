//! Pledges: rates, periods, the akrasia horizon, verdicts and debts
//! (SPEC §1.5, §2 Commitments, §3.3).
//!
//! Pure: no I/O, no clock, no SQL. `today` and the first day of the week are
//! always parameters, so every answer is reproducible in tests.
//!
//! A pledge's history is a list of [`RateChange`]s. Read in order of
//! `(effective_from, seq)`, they cut time into *segments*, each with one rate
//! (or none: the pledge ended). Segments are cut into *periods* (days or
//! weeks) and each period is judged against its segment's rate. Segment
//! boundaries are normalised so that every period lies inside one segment;
//! see [`Pledge::plan_change`] for how the boundaries are chosen.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize, Serializer};

// ---------------------------------------------------------------------------
// Rates
// ---------------------------------------------------------------------------

/// What a rate counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RateUnit {
    /// Study minutes on the target.
    Minutes,
    /// Study days: days whose minutes on the target reach `min_minutes`.
    Days,
    /// Units (modules, lessons…) done on the target.
    Units,
}

/// How often a rate is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Per {
    Day,
    Week,
}

impl Per {
    /// Number of days in one period.
    pub fn days(self) -> i64 {
        match self {
            Per::Day => 1,
            Per::Week => 7,
        }
    }
}

/// A pledge rate such as `5h/week`. Minutes are stored as whole minutes.
///
/// Serialized (JSON) as its canonical text, e.g. `"1h30m/week"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rate {
    pub amount: i64,
    pub unit: RateUnit,
    pub per: Per,
}

/// Why a rate could not be parsed. Displays as
/// `invalid rate '5x/week': unknown unit 'x'`; [`RateError::hint`] gives the
/// accepted forms for a `hint:` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateError {
    /// The input as typed (trimmed).
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

impl RateError {
    pub const HINT: &'static str = "rates look like 5h/week, 90m/week, 1h30m/week, 1.5h/week, \
         4d/week (study days), 3u/week (units) or 30m/day";

    pub fn hint(&self) -> &'static str {
        Self::HINT
    }
}

impl fmt::Display for RateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid rate '{}': {}", self.input, self.reason)
    }
}

impl std::error::Error for RateError {}

const MINUTES_PER_DAY: i64 = 24 * 60;
/// Longest number accepted in one component; keeps all arithmetic far from overflow.
const MAX_DIGITS: usize = 9;

impl FromStr for Rate {
    type Err = RateError;

    /// Accepts `AMOUNT/PER`, case-insensitive, whitespace ignored.
    /// AMOUNT: `5h`, `90m`, `1h30m`, `1.5h` (rounded to the minute), `4d`, `3u`
    /// (also `hr`/`hours`, `min`/`minutes`, `day(s)`, `unit(s)`).
    /// PER: `week` (`wk`, `w`) or `day` (`d`).
    fn from_str(s: &str) -> Result<Self, RateError> {
        let fail = |reason: String| RateError { input: s.trim().to_string(), reason };
        let text: String = s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
        if text.is_empty() {
            return Err(fail("it is empty".into()));
        }
        let Some((amount, per)) = text.split_once('/') else {
            return Err(fail("missing the period: add /week or /day".into()));
        };
        let per = match per {
            "week" | "wk" | "w" => Per::Week,
            "day" | "d" => Per::Day,
            "" => return Err(fail("missing the period after '/': week or day".into())),
            other => {
                return Err(fail(format!("unknown period '{other}': use /week or /day")));
            }
        };
        let (amount, unit) = parse_amount(amount).map_err(fail)?;
        let rate = Rate { amount, unit, per };
        rate.check().map_err(fail)?;
        Ok(rate)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Part {
    Hours,
    Minutes,
    Days,
    Units,
}

/// Parses the amount before `/`: one `d` or `u` component, or hours then
/// minutes (each at most once).
fn parse_amount(text: &str) -> Result<(i64, RateUnit), String> {
    if text.is_empty() {
        return Err("missing the amount before '/'".into());
    }
    if text.starts_with('-') {
        return Err("the amount must be greater than zero".into());
    }
    let mut parts: Vec<Part> = Vec::new();
    let mut total: i64 = 0;
    let mut rest = text;
    while !rest.is_empty() {
        let n = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let (num, tail) = rest.split_at(n);
        let n = tail.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(tail.len());
        let (suffix, tail) = tail.split_at(n);
        rest = tail;
        if num.is_empty() {
            return Err(match suffix {
                "" => format!("unexpected '{}'", rest.chars().next().unwrap_or_default()),
                s => format!("expected a number before '{s}'"),
            });
        }
        let part = match suffix {
            "h" | "hr" | "hrs" | "hour" | "hours" => Part::Hours,
            "m" | "min" | "mins" | "minute" | "minutes" => Part::Minutes,
            "d" | "day" | "days" => Part::Days,
            "u" | "unit" | "units" => Part::Units,
            "" => {
                return Err(match rest.chars().next() {
                    Some(c) => format!("unexpected '{c}'"),
                    None => format!("'{num}' needs a unit: {num}m, {num}h, {num}d or {num}u"),
                });
            }
            other => return Err(format!("unknown unit '{other}'")),
        };
        let in_order = match part {
            Part::Hours => parts.is_empty(),
            Part::Minutes => parts.iter().all(|p| *p == Part::Hours),
            Part::Days | Part::Units => parts.is_empty() && rest.is_empty(),
        };
        if !in_order {
            return Err("write one amount: hours then minutes (1h30m), or days (4d), or units (3u)".into());
        }
        parts.push(part);
        let value = match part {
            Part::Hours => scaled(num, 60)?,
            _ if num.contains('.') => {
                return Err(format!("'{num}{suffix}' must be a whole number"));
            }
            _ => scaled(num, 1)?,
        };
        total += value;
    }
    let unit = match parts.first() {
        Some(Part::Days) => RateUnit::Days,
        Some(Part::Units) => RateUnit::Units,
        _ => RateUnit::Minutes,
    };
    Ok((total, unit))
}

/// `num × factor` for a decimal `num`, rounded half up, in integer arithmetic.
fn scaled(num: &str, factor: i64) -> Result<i64, String> {
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    if (int.is_empty() && frac.is_empty()) || frac.contains('.') {
        return Err(format!("'{num}' is not a number"));
    }
    if int.len() > MAX_DIGITS || frac.len() > MAX_DIGITS {
        return Err(format!("'{num}' is too long"));
    }
    let digits = |s: &str| -> Result<i64, String> {
        if s.is_empty() { Ok(0) } else { s.parse().map_err(|_| format!("'{num}' is not a number")) }
    };
    let denom = 10_i64.pow(u32::try_from(frac.len()).unwrap_or(0));
    Ok(digits(int)? * factor + (digits(frac)? * factor * 2 + denom) / (2 * denom))
}

impl Rate {
    /// Rejects rates that cannot be kept or make no sense.
    fn check(&self) -> Result<(), String> {
        let most = self.per.days() * MINUTES_PER_DAY;
        match (self.unit, self.per) {
            _ if self.amount <= 0 => Err("the amount must be greater than zero (to stop, use `pledge end`)".into()),
            (RateUnit::Days, Per::Day) => Err("study days per day makes no sense: \
                 a /day pledge is already checked every day; \
                 use minutes or units per day (30m/day), or days per week (5d/week)"
                .into()),
            (RateUnit::Days, Per::Week) if self.amount > 7 => Err("a week has only 7 days".into()),
            (RateUnit::Minutes, _) if self.amount > most => {
                Err(format!("more than a {} holds", if self.per == Per::Day { "day" } else { "week" }))
            }
            _ => Ok(()),
        }
    }

    /// An amount in this rate's unit, for humans: `2h20`, `45m`, `3 days`, `1 unit`.
    pub fn format_amount(&self, amount: i64) -> String {
        self.unit.format_amount(amount)
    }
}

impl RateUnit {
    /// An amount in this unit, for humans: `2h20`, `45m`, `3 days`, `1 unit`.
    pub fn format_amount(self, amount: i64) -> String {
        let plural = |one: &str| {
            let s = if amount == 1 { "" } else { "s" };
            format!("{amount} {one}{s}")
        };
        match self {
            RateUnit::Minutes => format_minutes(amount),
            RateUnit::Days => plural("day"),
            RateUnit::Units => plural("unit"),
        }
    }
}

/// Minutes for humans, as in `status`: `45m`, `5h`, `2h20`, `1h05`.
pub fn format_minutes(minutes: i64) -> String {
    let sign = if minutes < 0 { "-" } else { "" };
    let m = minutes.unsigned_abs();
    match (m / 60, m % 60) {
        (0, m) => format!("{sign}{m}m"),
        (h, 0) => format!("{sign}{h}h"),
        (h, m) => format!("{sign}{h}h{m:02}"),
    }
}

impl fmt::Display for Rate {
    /// Canonical form, parsed back by `FromStr`: minutes as `5h` (whole
    /// hours), `1h30m` or `45m`; then `4d`, `3u`; then `/week` or `/day`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.amount;
        match self.unit {
            RateUnit::Minutes => match (a / 60, a % 60) {
                (0, m) => write!(f, "{m}m")?,
                (h, 0) => write!(f, "{h}h")?,
                (h, m) => write!(f, "{h}h{m}m")?,
            },
            RateUnit::Days => write!(f, "{a}d")?,
            RateUnit::Units => write!(f, "{a}u")?,
        }
        match self.per {
            Per::Day => f.write_str("/day"),
            Per::Week => f.write_str("/week"),
        }
    }
}

impl TryFrom<String> for Rate {
    type Error = RateError;
    fn try_from(s: String) -> Result<Self, RateError> {
        s.parse()
    }
}

impl From<Rate> for String {
    fn from(rate: Rate) -> String {
        rate.to_string()
    }
}

/// Whether moving from `old` to `new` makes the pledge easier, so that the
/// akrasia horizon applies: a lower amount of the same unit and period, or
/// any change of unit or period (they cannot be compared, so they are
/// treated as easier, the cautious choice). The same rate is not easier.
pub fn is_easier(old: &Rate, new: &Rate) -> bool {
    old.unit != new.unit || old.per != new.per || new.amount < old.amount
}

// ---------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------

/// First day of the period containing `day`: the day itself, or the most
/// recent `week_start` not after it.
pub fn period_start(day: NaiveDate, per: Per, week_start: Weekday) -> NaiveDate {
    match per {
        Per::Day => day,
        Per::Week => {
            let back = (7 + day.weekday().num_days_from_monday() - week_start.num_days_from_monday()) % 7;
            day.checked_sub_days(Days::new(back.into())).unwrap_or(NaiveDate::MIN)
        }
    }
}

/// Last day (inclusive) of the period containing `day`.
pub fn period_end(day: NaiveDate, per: Per, week_start: Weekday) -> NaiveDate {
    match per {
        Per::Day => day,
        Per::Week => period_start(day, per, week_start).checked_add_days(Days::new(6)).unwrap_or(NaiveDate::MAX),
    }
}

/// First period start on or after `day`.
fn align_up(day: NaiveDate, per: Per, week_start: Weekday) -> NaiveDate {
    if period_start(day, per, week_start) == day {
        day
    } else {
        period_end(day, per, week_start).succ_opt().unwrap_or(NaiveDate::MAX)
    }
}

/// The period grid a change between two rates must respect: weeks as soon as
/// either side is weekly, so that no week is split between two rates.
fn grid(a: Option<Rate>, b: Option<Rate>) -> Per {
    if [a, b].iter().flatten().any(|r| r.per == Per::Week) { Per::Week } else { Per::Day }
}

// ---------------------------------------------------------------------------
// Pledges and rate changes
// ---------------------------------------------------------------------------

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
struct Timeline {
    segs: Vec<Segment>,
    end: Option<NaiveDate>,
}

impl Timeline {
    fn rate_on(&self, day: NaiveDate) -> Option<Rate> {
        if self.end.is_some_and(|e| day > e) {
            return None;
        }
        self.segs.iter().rev().find(|s| s.from <= day)?.rate
    }

    /// Periods with a rate that start in `[lo's period, last_start]`, in order.
    fn periods(&self, lo: NaiveDate, last_start: NaiveDate, ws: Weekday) -> Vec<(NaiveDate, NaiveDate, Rate)> {
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
    pub fn new(rate: Rate, from: NaiveDate, until: Option<NaiveDate>, week_start: Weekday) -> Result<Self, String> {
        let from = period_start(from, rate.per, week_start);
        let until = until.map(|u| period_end(u, rate.per, week_start));
        if let Some(u) = until
            && u < from
        {
            return Err(format!("the pledge would end ({u}) before it starts ({from})"));
        }
        let changes = vec![RateChange { effective_from: from, rate: Some(rate), seq: 0 }];
        Ok(Pledge { from, until, changes })
    }

    /// Reads the history in `(effective_from, seq)` order. Dates before
    /// `from` count as `from`; the first segment starts at the start of its
    /// period. A later boundary that touches a weekly rate and is not a week
    /// start moves forward to the next week start (plan_change never makes
    /// such boundaries; this only guards odd data or a changed `week_starts`).
    fn timeline(&self, ws: Weekday) -> Timeline {
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
        tl.end = self.until.map(|u| match tl.rate_on(u) {
            Some(r) => period_end(u, r.per, ws),
            None => u,
        });
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
    /// (akrasia horizon, SPEC §2):
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

// ---------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------

/// What was logged on the pledge's target on one study day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DayAmount {
    pub minutes: i64,
    pub units: i64,
}

/// Verdict on one period. JSON: `kept`, `missed`, `on_track`, `behind`.
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
}

impl Verdict {
    /// The JSON name.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Kept => "kept",
            Verdict::Missed => "missed",
            Verdict::OnTrack => "on_track",
            Verdict::Behind => "behind",
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
}

/// Dates in JSON are `YYYY-MM-DD` (without needing chrono's serde feature).
fn ymd<S: Serializer>(day: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&day.format("%Y-%m-%d"))
}

/// Everything evaluation needs besides the pledge and its amounts.
pub struct EvalContext<R: Fn(NaiveDate) -> bool> {
    pub today: NaiveDate,
    pub week_start: Weekday,
    /// `streak.min_minutes`: a study day has at least this many minutes (and more than 0).
    pub min_minutes: i64,
    /// Declared rest dates and rest weekdays.
    pub is_rest: R,
}

/// Judges each period of `pledge` that overlaps `[from, to]` and does not
/// start after today, in order. `amounts` holds the pledge target's totals
/// per study day. Rest days of a /day pledge are skipped (not judged); each
/// rest day in a week lowers a `d/week` target by one, never below zero.
pub fn evaluate<R: Fn(NaiveDate) -> bool>(
    pledge: &Pledge,
    amounts: &BTreeMap<NaiveDate, DayAmount>,
    ctx: &EvalContext<R>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<PeriodResult> {
    if from > to {
        return Vec::new();
    }
    pledge
        .timeline(ctx.week_start)
        .periods(from, to.min(ctx.today), ctx.week_start)
        .into_iter()
        .filter_map(|(start, end, rate)| judge(start, end, rate, amounts, ctx))
        .collect()
}

fn judge<R: Fn(NaiveDate) -> bool>(
    start: NaiveDate,
    end: NaiveDate,
    rate: Rate,
    amounts: &BTreeMap<NaiveDate, DayAmount>,
    ctx: &EvalContext<R>,
) -> Option<PeriodResult> {
    if rate.per == Per::Day && (ctx.is_rest)(start) {
        return None;
    }
    let days = amounts.range(start..=end).map(|(_, a)| a);
    let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let done = match rate.unit {
        RateUnit::Minutes => days.fold(0_i64, |t, a| t.saturating_add(a.minutes)),
        RateUnit::Units => days.fold(0_i64, |t, a| t.saturating_add(a.units)),
        RateUnit::Days => count(days.filter(|a| a.minutes > 0 && a.minutes >= ctx.min_minutes).count()),
    };
    let rest_days = if rate.unit == RateUnit::Days && rate.per == Per::Week {
        count(start.iter_days().take_while(|d| *d <= end).filter(|d| (ctx.is_rest)(*d)).count())
    } else {
        0
    };
    let target = rate.amount.saturating_sub(rest_days).max(0);
    let met = target == 0 || done >= target;
    let current = ctx.today <= end;
    let verdict = match (current, met) {
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
        needed: target.saturating_sub(done).max(0),
        verdict,
        days_left: if current { (end - ctx.today).num_days() + 1 } else { 0 },
    })
}

/// Start of each missed period that records a debt: all missed periods when
/// the pledge has a stake, none otherwise.
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
pub fn week_kept<R: Fn(NaiveDate) -> bool>(
    pledges: &[(&Pledge, &BTreeMap<NaiveDate, DayAmount>)],
    week: NaiveDate,
    ctx: &EvalContext<R>,
) -> Option<bool> {
    let ws = ctx.week_start;
    let first = period_start(week, Per::Week, ws);
    if first > ctx.today {
        return None;
    }
    let last = period_end(first, Per::Week, ws).min(ctx.today);
    let mut active = false;
    let mut kept = true;
    for (pledge, amounts) in pledges {
        let tl = pledge.timeline(ws);
        if !first.iter_days().take_while(|d| *d <= last).any(|d| tl.rate_on(d).is_some()) {
            continue;
        }
        active = true;
        kept &= evaluate(pledge, amounts, ctx, first, last).iter().all(|p| p.verdict.is_met());
    }
    active.then_some(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn r(s: &str) -> Rate {
        s.parse().unwrap()
    }

    fn err(s: &str) -> String {
        s.parse::<Rate>().unwrap_err().to_string()
    }

    fn ctx(today: &str, rest: &[&str]) -> EvalContext<impl Fn(NaiveDate) -> bool> {
        let rest: BTreeSet<NaiveDate> = rest.iter().map(|s| d(s)).collect();
        EvalContext {
            today: d(today),
            week_start: Weekday::Mon,
            min_minutes: 1,
            is_rest: move |day| rest.contains(&day),
        }
    }

    fn log(entries: &[(&str, i64)]) -> BTreeMap<NaiveDate, DayAmount> {
        entries.iter().map(|(day, minutes)| (d(day), DayAmount { minutes: *minutes, units: 0 })).collect()
    }

    fn pledge(rate: &str, from: &str) -> Pledge {
        Pledge::new(r(rate), d(from), None, Weekday::Mon).unwrap()
    }

    /// (start, rate, verdict) of each period, for compact assertions.
    fn summary(results: &[PeriodResult]) -> Vec<(String, String, Verdict)> {
        results.iter().map(|p| (p.start.to_string(), p.rate.to_string(), p.verdict)).collect()
    }

    // 2024-06-03 is a Monday; 2024-06-02 a Sunday.

    #[test]
    fn parses_every_form() {
        let cases = [
            ("5h/week", 300, RateUnit::Minutes, Per::Week),
            ("90m/week", 90, RateUnit::Minutes, Per::Week),
            ("1h30m/week", 90, RateUnit::Minutes, Per::Week),
            ("1.5h/week", 90, RateUnit::Minutes, Per::Week),
            ("4d/week", 4, RateUnit::Days, Per::Week),
            ("3u/week", 3, RateUnit::Units, Per::Week),
            ("30m/day", 30, RateUnit::Minutes, Per::Day),
            ("2u/day", 2, RateUnit::Units, Per::Day),
            ("  5H / Week ", 300, RateUnit::Minutes, Per::Week),
            ("1 h 30 min/wk", 90, RateUnit::Minutes, Per::Week),
            ("7days/w", 7, RateUnit::Days, Per::Week),
            ("0.01h/day", 1, RateUnit::Minutes, Per::Day),
            ("24h/day", 1440, RateUnit::Minutes, Per::Day),
        ];
        for (text, amount, unit, per) in cases {
            assert_eq!(r(text), Rate { amount, unit, per }, "{text}");
        }
    }

    #[test]
    fn rejects_bad_rates_with_reasons() {
        assert_eq!(err("5x/week"), "invalid rate '5x/week': unknown unit 'x'");
        let cases = [
            ("", "empty"),
            ("5h", "missing the period"),
            ("5h/", "missing the period"),
            ("5h/month", "unknown period 'month'"),
            ("/week", "missing the amount"),
            ("90/week", "'90' needs a unit"),
            ("0h/week", "greater than zero"),
            ("-5h/week", "greater than zero"),
            ("0.001h/week", "greater than zero"),
            ("2d/day", "makes no sense"),
            ("8d/week", "only 7 days"),
            ("25h/day", "more than a day"),
            ("169h/week", "more than a week"),
            ("1.5d/week", "whole number"),
            ("1.5m/week", "whole number"),
            ("30m1h/week", "hours then minutes"),
            ("1h2d/week", "hours then minutes"),
            ("3d2d/week", "hours then minutes"),
            ("h/week", "expected a number"),
            ("1..5h/week", "not a number"),
            ("+5h/week", "unexpected '+'"),
            ("5é/week", "unexpected 'é'"),
            ("9999999999h/week", "too long"),
        ];
        for (text, reason) in cases {
            let e = err(text);
            assert!(e.contains(reason), "{text}: {e}");
        }
        let e = "5x/week".parse::<Rate>().unwrap_err();
        assert!(e.hint().contains("4d/week (study days)"));
    }

    #[test]
    fn displays_canonical_forms() {
        for (text, shown) in [
            ("90m/week", "1h30m/week"),
            ("1.5h/week", "1h30m/week"),
            ("300m/week", "5h/week"),
            ("45m/day", "45m/day"),
            ("4d/week", "4d/week"),
            ("3u/week", "3u/week"),
        ] {
            assert_eq!(r(text).to_string(), shown);
        }
        let week = r("5h/week");
        assert_eq!(week.format_amount(140), "2h20");
        assert_eq!(week.format_amount(65), "1h05");
        assert_eq!(week.format_amount(45), "45m");
        assert_eq!(week.format_amount(300), "5h");
        assert_eq!(r("4d/week").format_amount(1), "1 day");
        assert_eq!(r("4d/week").format_amount(3), "3 days");
        assert_eq!(r("3u/week").format_amount(2), "2 units");
    }

    #[test]
    fn serializes_for_json() {
        assert_eq!(serde_json::to_string(&r("90m/week")).unwrap(), "\"1h30m/week\"");
        let back: Rate = serde_json::from_str("\"5h/week\"").unwrap();
        assert_eq!(back, r("5h/week"));
        assert!(serde_json::from_str::<Rate>("\"5x/week\"").is_err());
        assert_eq!(serde_json::to_string(&Verdict::OnTrack).unwrap(), "\"on_track\"");
        let p = pledge("5h/week", "2024-06-05");
        let res = evaluate(&p, &log(&[]), &ctx("2024-06-05", &[]), d("2024-06-05"), d("2024-06-05"));
        let json = serde_json::to_value(&res[0]).unwrap();
        assert_eq!(json["start"], "2024-06-03");
        assert_eq!(json["end"], "2024-06-09");
        assert_eq!(json["rate"], "5h/week");
        assert_eq!(json["verdict"], "behind");
        assert_eq!(json["needed"], 300);
    }

    #[test]
    fn periods_follow_week_start() {
        let wed = d("2024-06-05");
        assert_eq!(period_start(wed, Per::Week, Weekday::Mon), d("2024-06-03"));
        assert_eq!(period_end(wed, Per::Week, Weekday::Mon), d("2024-06-09"));
        assert_eq!(period_start(wed, Per::Week, Weekday::Sun), d("2024-06-02"));
        assert_eq!(period_end(wed, Per::Week, Weekday::Sun), d("2024-06-08"));
        let sun = d("2024-06-09");
        assert_eq!(period_start(sun, Per::Week, Weekday::Sun), sun);
        assert_eq!(period_start(sun, Per::Week, Weekday::Mon), d("2024-06-03"));
        assert_eq!(period_start(wed, Per::Day, Weekday::Mon), wed);
        assert_eq!(period_end(wed, Per::Day, Weekday::Sun), wed);
    }

    #[test]
    fn new_pledge_snaps_from_and_until() {
        let (wed, fri) = (d("2024-06-05"), d("2024-06-21"));
        let mon = Pledge::new(r("5h/week"), wed, Some(fri), Weekday::Mon).unwrap();
        assert_eq!((mon.from, mon.until), (d("2024-06-03"), Some(d("2024-06-23"))));
        let sun = Pledge::new(r("5h/week"), wed, Some(fri), Weekday::Sun).unwrap();
        assert_eq!((sun.from, sun.until), (d("2024-06-02"), Some(d("2024-06-22"))));
        let day = Pledge::new(r("30m/day"), wed, Some(fri), Weekday::Sun).unwrap();
        assert_eq!((day.from, day.until), (wed, Some(fri)));
        assert_eq!(day.changes[0].effective_from, wed);
        let bad = Pledge::new(r("5h/week"), fri, Some(wed), Weekday::Mon);
        assert!(bad.unwrap_err().contains("before it starts"));
        assert_eq!(mon.end_day(Weekday::Mon), Some(d("2024-06-23")));
    }

    #[test]
    fn week_kept_and_week_missed() {
        let p = pledge("5h/week", "2024-06-03");
        let amounts = log(&[("2024-06-04", 200), ("2024-06-08", 100), ("2024-06-12", 60)]);
        let c = ctx("2024-06-20", &[]);
        let res = evaluate(&p, &amounts, &c, d("2024-06-03"), d("2024-06-16"));
        assert_eq!(res.len(), 2);
        assert_eq!((res[0].done, res[0].verdict), (300, Verdict::Kept));
        assert_eq!((res[1].done, res[1].needed, res[1].verdict), (60, 240, Verdict::Missed));
        assert_eq!(res[1].days_left, 0);
        assert_eq!(debts(&res, true), vec![d("2024-06-10")]);
        assert!(debts(&res, false).is_empty());
        let both = [(&p, &amounts)];
        assert_eq!(week_kept(&both, d("2024-06-05"), &c), Some(true));
        assert_eq!(week_kept(&both, d("2024-06-12"), &c), Some(false));
        assert_eq!(week_kept(&both, d("2024-05-29"), &c), None);
    }

    #[test]
    fn study_days_with_a_rest_day() {
        let p = pledge("4d/week", "2024-06-03");
        // 2024-06-06 has 0 minutes (a progress mark): not a study day.
        let amounts = log(&[("2024-06-03", 30), ("2024-06-04", 5), ("2024-06-05", 40), ("2024-06-06", 0)]);
        let mut c = ctx("2024-06-20", &["2024-06-07"]);
        c.min_minutes = 10;
        let res = evaluate(&p, &amounts, &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].target, res[0].done, res[0].verdict), (3, 2, Verdict::Missed));
        c.min_minutes = 1;
        let res = evaluate(&p, &amounts, &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].target, res[0].done, res[0].verdict), (3, 3, Verdict::Kept));
        // A target lowered to 0 is kept.
        let p = pledge("1d/week", "2024-06-03");
        let res = evaluate(&p, &log(&[]), &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].target, res[0].verdict), (0, Verdict::Kept));
    }

    #[test]
    fn day_pledge_skips_rest_days() {
        let p = pledge("30m/day", "2024-06-03");
        let amounts = log(&[("2024-06-03", 30), ("2024-06-05", 10)]);
        let c = ctx("2024-06-06", &["2024-06-04"]);
        let res = evaluate(&p, &amounts, &c, d("2024-06-01"), d("2024-06-09"));
        let days: Vec<_> = res.iter().map(|p| (p.start.to_string(), p.verdict)).collect();
        assert_eq!(
            days,
            [
                ("2024-06-03".to_string(), Verdict::Kept),
                ("2024-06-05".to_string(), Verdict::Missed),
                ("2024-06-06".to_string(), Verdict::Behind),
            ]
        );
        assert_eq!((res[2].needed, res[2].days_left), (30, 1));
        assert_eq!(week_kept(&[(&p, &amounts)], d("2024-06-03"), &c), Some(false));
        let ok = log(&[("2024-06-03", 30), ("2024-06-05", 30), ("2024-06-06", 45)]);
        assert_eq!(week_kept(&[(&p, &ok)], d("2024-06-03"), &c), Some(true));
    }

    #[test]
    fn easier_change_waits_for_the_horizon() {
        let mut p = pledge("5h/week", "2024-05-27");
        let wed = d("2024-06-05");
        let plan = p.plan_change(Some(r("3h/week")), wed, 7, Weekday::Mon);
        assert_eq!(plan.kind, ChangeKind::Easier);
        // wed + 7 = 2024-06-12; the first week start on or after it:
        assert_eq!(plan.effective_from, d("2024-06-17"));
        p.apply(&plan, 1);
        let c = ctx("2024-06-19", &[]);
        let res = evaluate(&p, &log(&[]), &c, d("2024-06-03"), d("2024-06-23"));
        let s = summary(&res);
        assert_eq!(s[0].1, "5h/week", "current week (of the change)");
        assert_eq!(s[1].1, "5h/week", "next week");
        assert_eq!(s[2].1, "3h/week");
        assert_eq!(p.rate_on(d("2024-06-16"), Weekday::Mon), Some(r("5h/week")));
        // Changing the unit is easier too.
        let plan = p.plan_change(Some(r("10u/week")), d("2024-06-19"), 7, Weekday::Mon);
        assert_eq!((plan.kind, plan.effective_from), (ChangeKind::Easier, d("2024-07-01")));
    }

    #[test]
    fn harder_change_applies_to_the_current_period() {
        let mut p = pledge("3h/week", "2024-05-27");
        let plan = p.plan_change(Some(r("5h/week")), d("2024-06-05"), 7, Weekday::Mon);
        assert_eq!(plan.kind, ChangeKind::Harder);
        assert_eq!(plan.effective_from, d("2024-06-03"));
        p.apply(&plan, 1);
        let amounts = log(&[("2024-06-04", 200)]);
        let res = evaluate(&p, &amounts, &ctx("2024-06-05", &[]), d("2024-05-27"), d("2024-06-09"));
        assert_eq!(summary(&res)[0].1, "3h/week");
        assert_eq!((res[1].rate, res[1].needed, res[1].verdict), (r("5h/week"), 100, Verdict::Behind));
        // On the pledge's first day a harder change replaces the first rate.
        let mut q = pledge("3h/week", "2024-06-03");
        let plan = q.plan_change(Some(r("4h/week")), d("2024-06-03"), 7, Weekday::Mon);
        assert_eq!(plan.effective_from, d("2024-06-03"));
        q.apply(&plan, 1);
        assert_eq!(q.rate_on(d("2024-06-03"), Weekday::Mon), Some(r("4h/week")));
    }

    #[test]
    fn new_change_cancels_a_pending_one() {
        let mut p = pledge("5h/week", "2024-05-27");
        let easier = p.plan_change(Some(r("2h/week")), d("2024-06-05"), 7, Weekday::Mon);
        p.apply(&easier, 1);
        let again = p.plan_change(Some(r("5h/week")), d("2024-06-06"), 7, Weekday::Mon);
        assert_eq!(again.kind, ChangeKind::Unchanged);
        assert_eq!(again.cancels, vec![1]);
        p.apply(&again, 2);
        assert_eq!(p.rate_on(d("2024-07-01"), Weekday::Mon), Some(r("5h/week")));
        // An easier change cancels a pending one too and still waits.
        let mut q = pledge("5h/week", "2024-05-27");
        q.apply(&q.plan_change(Some(r("4h/week")), d("2024-06-05"), 7, Weekday::Mon), 1);
        let plan = q.plan_change(Some(r("1h/week")), d("2024-06-12"), 7, Weekday::Mon);
        assert_eq!((plan.cancels.clone(), plan.effective_from), (vec![1], d("2024-06-24")));
        q.apply(&plan, 2);
        assert_eq!(q.rate_on(d("2024-06-17"), Weekday::Mon), Some(r("5h/week")));
        assert_eq!(q.rate_on(d("2024-06-24"), Weekday::Mon), Some(r("1h/week")));
    }

    #[test]
    fn end_waits_for_the_horizon() {
        let mut p = pledge("30m/day", "2024-06-01");
        let plan = p.plan_change(None, d("2024-06-05"), 7, Weekday::Mon);
        assert_eq!((plan.kind, plan.effective_from), (ChangeKind::End, d("2024-06-12")));
        p.apply(&plan, 1);
        assert_eq!(p.end_day(Weekday::Mon), Some(d("2024-06-11")));
        let res = evaluate(&p, &log(&[]), &ctx("2024-06-30", &[]), d("2024-06-01"), d("2024-06-30"));
        assert_eq!(res.len(), 11);
        assert_eq!(res.last().unwrap().start, d("2024-06-11"));
        // A weekly pledge ends on a week start.
        let mut w = pledge("5h/week", "2024-05-27");
        let plan = w.plan_change(None, d("2024-06-05"), 7, Weekday::Mon);
        assert_eq!(plan.effective_from, d("2024-06-17"));
        w.apply(&plan, 1);
        assert_eq!(w.end_day(Weekday::Mon), Some(d("2024-06-16")));
        // Restarting an ended pledge is harder: at once.
        let plan = w.plan_change(Some(r("2h/week")), d("2024-07-03"), 7, Weekday::Mon);
        assert_eq!((plan.kind, plan.effective_from), (ChangeKind::Harder, d("2024-07-01")));
    }

    #[test]
    fn switching_between_day_and_week_happens_on_a_week_start() {
        let mut p = pledge("30m/day", "2024-05-29");
        let plan = p.plan_change(Some(r("3h/week")), d("2024-06-05"), 3, Weekday::Mon);
        assert_eq!(plan.effective_from, d("2024-06-10"));
        p.apply(&plan, 1);
        let res = evaluate(&p, &log(&[]), &ctx("2024-06-12", &[]), d("2024-06-08"), d("2024-06-16"));
        let s = summary(&res);
        assert_eq!(s.len(), 3);
        assert_eq!((s[1].0.as_str(), s[1].1.as_str()), ("2024-06-09", "30m/day"));
        assert_eq!((s[2].0.as_str(), s[2].1.as_str()), ("2024-06-10", "3h/week"));
        // Odd data (a weekly rate from a Wednesday) is moved to the next week start.
        let mut odd = pledge("30m/day", "2024-05-29");
        odd.changes.push(RateChange { effective_from: d("2024-06-05"), rate: Some(r("3h/week")), seq: 1 });
        assert_eq!(odd.period_at(d("2024-06-07"), Weekday::Mon).unwrap().1, d("2024-06-07"));
        assert_eq!(
            odd.period_at(d("2024-06-12"), Weekday::Mon),
            Some((d("2024-06-10"), d("2024-06-16"), r("3h/week")))
        );
    }

    #[test]
    fn current_period_on_track_or_behind() {
        let p = pledge("5h/week", "2024-06-03");
        let c = ctx("2024-06-06", &[]);
        let behind = log(&[("2024-06-03", 90), ("2024-06-05", 70)]);
        let res = evaluate(&p, &behind, &c, d("2024-06-06"), d("2024-06-06"));
        assert_eq!(res.len(), 1);
        let now = &res[0];
        assert_eq!((now.done, now.needed, now.days_left, now.verdict), (160, 140, 4, Verdict::Behind));
        assert_eq!(now.rate.format_amount(now.needed), "2h20");
        let met = log(&[("2024-06-03", 300), ("2024-06-06", 20)]);
        let res = evaluate(&p, &met, &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].needed, res[0].verdict), (0, Verdict::OnTrack));
        assert_eq!(week_kept(&[(&p, &met)], d("2024-06-06"), &c), Some(true));
        assert_eq!(week_kept(&[(&p, &met)], d("2024-06-10"), &c), None, "future week");
        // Units count, including negative corrections.
        let u = pledge("3u/week", "2024-06-03");
        let mut units = BTreeMap::new();
        units.insert(d("2024-06-03"), DayAmount { minutes: 0, units: 4 });
        units.insert(d("2024-06-04"), DayAmount { minutes: 0, units: -2 });
        let res = evaluate(&u, &units, &c, d("2024-06-03"), d("2024-06-09"));
        assert_eq!((res[0].done, res[0].needed), (2, 1));
    }

    fn rate_strategy() -> impl Strategy<Value = Rate> {
        prop_oneof![
            (1..=MINUTES_PER_DAY).prop_map(|a| Rate { amount: a, unit: RateUnit::Minutes, per: Per::Day }),
            (1..=7 * MINUTES_PER_DAY).prop_map(|a| Rate { amount: a, unit: RateUnit::Minutes, per: Per::Week }),
            (1..=7_i64).prop_map(|a| Rate { amount: a, unit: RateUnit::Days, per: Per::Week }),
            (1..=999_999_999_i64, prop_oneof![Just(Per::Day), Just(Per::Week)]).prop_map(|(a, per)| Rate {
                amount: a,
                unit: RateUnit::Units,
                per
            }),
        ]
    }

    fn day(offset: i64) -> NaiveDate {
        d("2024-01-01") + chrono::TimeDelta::days(offset)
    }

    proptest! {
        #[test]
        fn display_round_trips(rate in rate_strategy()) {
            prop_assert_eq!(rate.to_string().parse::<Rate>(), Ok(rate));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,20}") {
            let _ = s.parse::<Rate>();
        }

        #[test]
        fn evaluation_tiles_the_range(
            ws in 0..7_u8,
            first in rate_strategy(),
            changes in prop::collection::vec((0..200_i64, prop::option::weighted(0.8, rate_strategy())), 0..5),
            until in prop::option::of(0..300_i64),
            logged in prop::collection::vec((0..300_i64, 0..400_i64, -2..5_i64), 0..60),
            rest in prop_oneof![Just(vec![]), prop::collection::vec(0..300_i64, 0..20)],
            (today, lo, len) in (-20..320_i64, -20..320_i64, 0..120_i64),
            min_minutes in 0..60_i64,
        ) {
            let ws = Weekday::try_from(ws).unwrap();
            let start = day(10);
            let mut p = Pledge::new(first, start, until.map(day), ws).unwrap_or(Pledge {
                from: start, until: None, changes: vec![] });
            let simple = changes.iter().all(|(_, r)| r.is_some()) && rest.is_empty();
            for (i, (off, rate)) in changes.iter().enumerate() {
                p.changes.push(RateChange { effective_from: day(*off), rate: *rate, seq: i as i64 + 1 });
            }
            let amounts: BTreeMap<_, _> = logged.iter()
                .map(|(o, m, u)| (day(*o), DayAmount { minutes: *m, units: *u })).collect();
            let rest: BTreeSet<_> = rest.iter().map(|o| day(*o)).collect();
            let c = EvalContext { today: day(today), week_start: ws, min_minutes, is_rest: |x| rest.contains(&x) };
            let (from, to) = (day(lo), day(lo + len));
            let res = evaluate(&p, &amounts, &c, from, to);
            for w in res.windows(2) {
                prop_assert!(w[0].end < w[1].start, "ordered, non-overlapping");
                if simple {
                    prop_assert_eq!(w[0].end.succ_opt(), Some(w[1].start), "contiguous");
                }
            }
            for x in &res {
                prop_assert!(x.start <= x.end && x.end >= from && x.start <= to && x.start <= c.today);
                prop_assert!(x.needed >= 0 && x.days_left >= 0 && x.target >= 0);
            }
            if simple {
                for x in from.iter_days().take_while(|x| *x <= to.min(c.today)) {
                    if p.rate_on(x, ws).is_some() {
                        prop_assert!(res.iter().any(|r| r.start <= x && x <= r.end), "{} uncovered", x);
                    }
                }
            }
            let _ = week_kept(&[(&p, &amounts)], from, &c);
        }
    }
}
