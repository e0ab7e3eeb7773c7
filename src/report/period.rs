//! The commitment report for a period:
//! what was studied, what was promised and whether it was kept, what it cost.
//!
//! Built from per-day and per-item aggregates (never from every session
//! row), so it stays fast however long the history.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use rusqlite::Connection;
use serde::Serialize;

use super::odds;
use super::pledges::{self, DebtView, Judged, PledgeBook};
use super::streak;
use super::totals::DayTotals;
use crate::config::Settings;
use crate::domain::money::Money;
use crate::domain::pledge::{PeriodResult, Verdict};
use crate::domain::records::{BloomLevel, Item, Kind, Status};
use crate::domain::streak::week_start;
use crate::store;
use crate::store::sessions::{DayItemTotal, Scope};

/// An active course with no session for this many days is stalled (its
/// money is at risk). Design choice: two weeks, the window in which Ho et
/// al. 2014 see most learners leave.
pub const STALLED_AFTER_DAYS: i64 = 14;

/// A named period, relative to today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    Week,
    Month,
    Year,
    LastWeek,
    LastMonth,
}

impl Span {
    /// The label in `period.label`.
    pub fn label(self) -> &'static str {
        match self {
            Span::Week => "week",
            Span::Month => "month",
            Span::Year => "year",
            Span::LastWeek => "last_week",
            Span::LastMonth => "last_month",
        }
    }

    /// First and last day (inclusive) of the period, for `today`.
    pub fn range(self, today: NaiveDate, week_starts: Weekday) -> (NaiveDate, NaiveDate) {
        let week = week_start(today, week_starts);
        let month = first_of_month(today);
        match self {
            Span::Week => (week, add_days(week, 6)),
            Span::LastWeek => (sub_days(week, 7), sub_days(week, 1)),
            Span::Month => (month, last_of_month(month)),
            Span::LastMonth => {
                let previous = first_of_month(sub_days(month, 1));
                (previous, last_of_month(previous))
            }
            Span::Year => {
                let first = sub_days(today, u64::from(today.ordinal0()));
                let next = first.checked_add_months(Months::new(12)).unwrap_or(NaiveDate::MAX);
                (first, next.pred_opt().unwrap_or(first))
            }
        }
    }
}

fn add_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(NaiveDate::MAX)
}

fn sub_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_sub_days(Days::new(n)).unwrap_or(NaiveDate::MIN)
}

fn first_of_month(day: NaiveDate) -> NaiveDate {
    sub_days(day, u64::from(day.day0()))
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    let next = first.checked_add_months(Months::new(1)).unwrap_or(NaiveDate::MAX);
    next.pred_opt().unwrap_or(first)
}

/// Studied days over days, 0 when there are no days yet.
pub fn consistency(studied_days: i64, days: i64) -> f64 {
    if days <= 0 { 0.0 } else { studied_days as f64 / days as f64 }
}

/// The days of `[from, to]`, in order.
fn days_in(from: NaiveDate, to: NaiveDate) -> impl Iterator<Item = NaiveDate> {
    from.iter_days().take_while(move |day| *day <= to)
}

/// Days of `[from, to]` up to today (a period still running has fewer).
pub fn days_so_far(from: NaiveDate, to: NaiveDate, today: NaiveDate) -> i64 {
    let last = to.min(today);
    if last < from { 0 } else { (last - from).num_days() + 1 }
}

// ---------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------

/// `report --json`.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodReport {
    /// The course, project or goal the report is restricted to (`report REF`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub period: Period,
    pub totals: Totals,
    /// Per course and project, courses first.
    pub items: Vec<ItemLine>,
    pub pledges: Vec<PledgeLine>,
    pub stakes: Stakes,
    pub balance: Balance,
    /// Money paid for courses, one entry per currency.
    pub money: Vec<MoneyLine>,
    /// Minutes by Bloom level.
    pub bloom: Bloom,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// `week`, `month`, `year`, `last_week`, `last_month` or `custom`.
    pub label: String,
    /// The day the report speaks of: the period's last day, or today while it runs.
    pub as_of: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub minutes: i64,
    /// Sessions with minutes (progress marks are not sessions of study).
    pub sessions: i64,
    pub units: i64,
    /// Days of the period with at least `streak.min_minutes`.
    pub study_days: i64,
    /// Days of the period up to today, rest days without study aside.
    pub days: i64,
    /// Rest days (declared, or `streak.rest_weekdays`) of the period up to
    /// today without study: counted apart, neither studied nor missed.
    pub rest_days: i64,
    /// `study_days / days`, in 0..1.
    pub consistency: f64,
    /// Current streaks (as of today, whatever the period).
    pub daily_streak: i64,
    pub weekly_streak: i64,
    /// Verdicts of the pledge periods in the report.
    pub pledges_kept: i64,
    pub pledges_missed: i64,
    pub pledges_on_track: i64,
    pub pledges_behind: i64,
    /// Stakes owed (unpaid), see [`Stakes`].
    pub stakes_owed: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemLine {
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: Kind,
    pub title: String,
    /// Its status now.
    pub status: Status,
    /// When it was completed, shipped or dropped.
    pub ended_on: Option<NaiveDate>,
    pub minutes: i64,
    pub sessions: i64,
    /// Units done in the period.
    pub units: i64,
    /// Units done by the end of the period.
    pub units_done: i64,
    pub units_total: Option<i64>,
    /// `units_done / units_total`, in 0..1, when the total is known.
    pub progress: Option<f64>,
    /// The periods of pledges on this item, judged.
    pub pledges: Vec<ItemVerdict>,
    /// Completion odds (courses) the day before the period and at its end.
    pub odds_start: Option<f64>,
    pub odds_end: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ItemVerdict {
    pub pledge_id: i64,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub verdict: Verdict,
}

#[derive(Debug, Clone, Serialize)]
pub struct PledgeLine {
    pub id: i64,
    /// The target's slug, or `all`.
    pub target: String,
    /// The rate of its last period in the report.
    pub rate: String,
    pub stake: Option<String>,
    pub referee: Option<String>,
    pub periods: Vec<PeriodResult>,
}

/// Owed: every unpaid debt from a period that started by the report's end
/// (a debt does not vanish because the window moved). Settled: debts of
/// periods overlapping the report, or paid within it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stakes {
    pub owed: Vec<StakeLine>,
    pub settled: Vec<SettledStake>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StakeLine {
    /// Its number, as `settle` takes it.
    pub id: i64,
    pub pledge_id: i64,
    pub target: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub stake: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SettledStake {
    #[serde(flatten)]
    pub stake: StakeLine,
    pub settled_on: NaiveDate,
    pub note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<super::pledges::Confirmation>,
}

/// Learning vs building.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Balance {
    pub course_minutes: i64,
    pub project_minutes: i64,
    /// Study logged without a course or project.
    pub general_minutes: i64,
    /// Courses completed in the period.
    pub credentials: i64,
    /// Projects shipped in the period.
    pub projects_shipped: i64,
    /// Their slugs.
    pub credential_refs: Vec<String>,
    pub shipped_refs: Vec<String>,
}

/// Money paid for the courses enrolled in by the end of the period, and how
/// much of it went to courses dropped or stalled at that point.
#[derive(Debug, Clone, Serialize)]
pub struct MoneyLine {
    pub currency: String,
    pub paid: Money,
    pub dropped: Money,
    pub stalled: Money,
    pub dropped_refs: Vec<String>,
    pub stalled_refs: Vec<String>,
}

/// Minutes by Bloom level; `unspecified` when no level was given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Bloom {
    pub remember: i64,
    pub understand: i64,
    pub apply: i64,
    pub analyze: i64,
    pub evaluate: i64,
    pub create: i64,
    pub unspecified: i64,
}

impl Bloom {
    fn slot(&mut self, level: Option<BloomLevel>) -> &mut i64 {
        match level {
            Some(BloomLevel::Remember) => &mut self.remember,
            Some(BloomLevel::Understand) => &mut self.understand,
            Some(BloomLevel::Apply) => &mut self.apply,
            Some(BloomLevel::Analyze) => &mut self.analyze,
            Some(BloomLevel::Evaluate) => &mut self.evaluate,
            Some(BloomLevel::Create) => &mut self.create,
            None => &mut self.unspecified,
        }
    }

    pub fn add(&mut self, level: Option<BloomLevel>, minutes: i64) {
        *self.slot(level) += minutes;
    }

    /// (level, minutes) in the taxonomy's order ([`BloomLevel::ALL`]),
    /// `None` (unspecified) last.
    pub fn levels(&self) -> Vec<(Option<BloomLevel>, i64)> {
        let mut copy = self.clone();
        BloomLevel::ALL.iter().copied().map(Some).chain([None]).map(|level| (level, *copy.slot(level))).collect()
    }

    pub fn total(&self) -> i64 {
        self.levels().iter().map(|(_, m)| m).sum()
    }
}

/// What an item's sessions in the period add up to.
#[derive(Debug, Clone, Copy, Default)]
struct Logged {
    minutes: i64,
    sessions: i64,
    units: i64,
}

/// The report for `[from, to]`, judged on `today`.
pub fn build(
    conn: &Connection,
    settings: &Settings,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    label: &str,
    focus: Option<&Item>,
) -> Result<PeriodReport> {
    let as_of = to.min(today);
    let scope = match focus {
        Some(item) => super::records::scope_of_item(conn, item)?,
        None => Scope::All,
    };
    let in_scope = |id: Option<i64>| match &scope {
        Scope::All => true,
        Scope::Items(ids) => id.is_some_and(|id| ids.contains(&id)),
    };

    // The whole history per day and item, in one pass, shared by the
    // pledges, streaks and odds below.
    let history = DayTotals::load(conn)?;
    let logged = logged_per_item(conn, from, to, in_scope)?;
    let studied = |minutes: i64| minutes > 0 && minutes >= settings.min_minutes;
    let day_amounts = history.day_amounts(&scope, from, as_of);
    let study_days = day_amounts.values().filter(|(minutes, _)| studied(*minutes)).count() as i64;

    let book = focused_book(pledges::build_over(conn, settings, today, &history)?, focus, in_scope);
    let studied_on = |day: &NaiveDate| day_amounts.get(day).is_some_and(|(m, _)| studied(*m));
    let rest_days = rest_days_in(&book, settings, from, as_of, studied_on);
    let days = days_so_far(from, to, today) - rest_days;
    let streaks = streak::build_over(conn, settings, today, &scope, focus.map(|i| i.slug.clone()), &book, &history)?;
    let judged = book.periods(settings, today, from, to);

    let mut all_items = store::items::list(conn, None)?;
    if focus.is_some() {
        all_items.retain(|i| in_scope(Some(i.id)));
    }
    let courses: Vec<Item> = all_items.iter().filter(|i| i.kind == Kind::Course).cloned().collect();
    let window = Window { from, to, as_of };
    let (items, through) = item_lines(&all_items, &courses, &logged, &judged, &history, window);

    let pledge_lines = pledge_lines(&judged);

    let stakes = stakes(&book.debts, from, to);
    let balance = balance(&all_items, &logged, from, to);
    let money = money(&courses, &through, as_of);
    let bloom = bloom(conn, &scope, from, to)?;

    let count =
        |verdict: Verdict| pledge_lines.iter().flat_map(|p| &p.periods).filter(|p| p.verdict == verdict).count() as i64;
    let totals = Totals {
        minutes: logged.values().map(|l| l.minutes).sum(),
        sessions: logged.values().map(|l| l.sessions).sum(),
        units: logged.values().map(|l| l.units).sum(),
        study_days,
        days,
        rest_days,
        consistency: consistency(study_days, days),
        daily_streak: streaks.daily.current,
        weekly_streak: streaks.weekly.current,
        pledges_kept: count(Verdict::Kept),
        pledges_missed: count(Verdict::Missed),
        pledges_on_track: count(Verdict::OnTrack),
        pledges_behind: count(Verdict::Behind),
        stakes_owed: stakes.owed.len() as i64,
    };
    Ok(PeriodReport {
        target: focus.map(|i| i.slug.clone()),
        period: Period { from, to, label: label.to_string(), as_of },
        totals,
        items,
        pledges: pledge_lines,
        stakes,
        balance,
        money,
        bloom,
    })
}

/// The period a report covers: `[from, to]`, judged as of `as_of`.
#[derive(Debug, Clone, Copy)]
struct Window {
    from: NaiveDate,
    to: NaiveDate,
    as_of: NaiveDate,
}

/// One line per course and project live during the window or logged in it,
/// courses first and the most studied first; and, per shown item, the
/// units done and the last study day by `as_of`.
fn item_lines(
    all_items: &[Item],
    courses: &[Item],
    logged: &HashMap<Option<i64>, Logged>,
    judged: &[(&Judged, Vec<PeriodResult>)],
    history: &DayTotals,
    window: Window,
) -> (Vec<ItemLine>, HashMap<i64, Through>) {
    let Window { from, to, as_of } = window;
    let mut through: HashMap<i64, Through> = HashMap::new();

    // Items: everything live during the period, and anything logged in it.
    let mut items = Vec::new();
    for item in all_items.iter().filter(|i| i.kind != Kind::Goal) {
        let done = logged.get(&Some(item.id)).copied().unwrap_or_default();
        let live =
            item.status != Status::Idea && odds::start_day(item) <= to && item.ended_on.is_none_or(|e| e >= from);
        if !live && done.minutes == 0 && done.sessions == 0 && done.units == 0 {
            continue;
        }
        let so_far = Through::of(&history.item_days(item.id), as_of);
        let units_done = so_far.units;
        through.insert(item.id, so_far);
        let verdicts = judged
            .iter()
            .filter(|(j, _)| j.row.item_id == Some(item.id))
            .flat_map(|(j, periods)| {
                periods.iter().map(|p| ItemVerdict {
                    pledge_id: j.row.id,
                    start: p.start,
                    end: p.end,
                    verdict: p.verdict,
                })
            })
            .collect();
        let (odds_start, odds_end) =
            if item.kind == Kind::Course { odds_change(item, courses, history, from, as_of) } else { (None, None) };
        items.push(ItemLine {
            reference: item.slug.clone(),
            kind: item.kind,
            title: item.title.clone(),
            status: item.status,
            ended_on: item.ended_on,
            minutes: done.minutes,
            sessions: done.sessions,
            units: done.units,
            units_done,
            units_total: item.units_total,
            progress: item.units_total.filter(|t| *t > 0).map(|t| (units_done as f64 / t as f64).clamp(0.0, 1.0)),
            pledges: verdicts,
            odds_start,
            odds_end,
        });
    }
    items.sort_by(|a, b| a.kind.cmp(&b.kind).then(b.minutes.cmp(&a.minutes)).then(a.reference.cmp(&b.reference)));
    (items, through)
}

fn pledge_lines(judged: &[(&Judged, Vec<PeriodResult>)]) -> Vec<PledgeLine> {
    judged
        .iter()
        .filter(|(_, periods)| !periods.is_empty())
        .map(|(j, periods)| PledgeLine {
            id: j.row.id,
            target: j.row.target.clone(),
            rate: periods.last().map(|p| p.rate.to_string()).unwrap_or_default(),
            stake: j.row.stake.clone(),
            referee: j.row.referee.clone(),
            periods: periods.clone(),
        })
        .collect()
}

/// Rest days in [from, as_of] (declared, or a rest weekday) on which
/// nothing was studied.
fn rest_days_in(
    book: &PledgeBook,
    settings: &Settings,
    from: NaiveDate,
    as_of: NaiveDate,
    studied_on: impl Fn(&NaiveDate) -> bool,
) -> i64 {
    let resting = |day: &NaiveDate| book.rest_days.contains_key(day) || settings.rest_weekdays.contains(&day.weekday());
    days_in(from, as_of).filter(|day| resting(day) && !studied_on(day)).count() as i64
}

/// The pledge book as a report on `focus` sees it: only the pledges on the
/// target (or on its goal's items) judge it, and only their debts count.
fn focused_book(mut book: PledgeBook, focus: Option<&Item>, in_scope: impl Fn(Option<i64>) -> bool) -> PledgeBook {
    if let Some(item) = focus {
        book.judged.retain(|j| in_scope(j.row.item_id) || j.row.item_id == Some(item.id));
        let kept: Vec<i64> = book.judged.iter().map(|j| j.row.id).collect();
        book.debts.retain(|d| kept.contains(&d.pledge_id));
    }
    book
}

/// Per item (None: general study) in the period: SQL counts the sessions.
fn logged_per_item(
    conn: &Connection,
    from: NaiveDate,
    to: NaiveDate,
    in_scope: impl Fn(Option<i64>) -> bool,
) -> Result<HashMap<Option<i64>, Logged>> {
    Ok(store::sessions::per_item(conn, from, to)?
        .into_iter()
        .filter(|(id, ..)| in_scope(*id))
        .map(|(id, minutes, sessions, units)| (id, Logged { minutes, sessions, units }))
        .collect())
}

/// Minutes by Bloom level in a scope and period.
fn bloom(conn: &Connection, scope: &Scope, from: NaiveDate, to: NaiveDate) -> Result<Bloom> {
    let mut bloom = Bloom::default();
    for (level, minutes) in store::sessions::per_level(conn, scope, from, to)? {
        // A level this version does not know counts as unspecified.
        bloom.add(level.as_deref().and_then(|l| l.parse().ok()), minutes);
    }
    Ok(bloom)
}

/// A course's odds the day before `from` and on `as_of`. None where it had
/// not started yet; once completed it is 1, once dropped 0.
fn odds_change(
    course: &Item,
    courses: &[Item],
    history: &DayTotals,
    from: NaiveDate,
    as_of: NaiveDate,
) -> (Option<f64>, Option<f64>) {
    // A period in the future compares today with today.
    let before = from.pred_opt().unwrap_or(from).min(as_of);
    let start = odds::start_day(course);
    let settled = |day: NaiveDate| match (course.status, course.ended_on) {
        (Status::Completed, Some(end)) if end <= day => Some(1.0),
        (Status::Dropped, Some(end)) if end <= day => Some(0.0),
        _ => None,
    };
    let at = |day: NaiveDate| -> Option<f64> {
        if day < start {
            return None;
        }
        settled(day).or_else(|| Some(odds::course_on(course, courses, day, history).probability))
    };
    (at(before), at(as_of))
}

/// What an item's sessions add up to by a day.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Through {
    units: i64,
    /// The last study day with minutes or units.
    last_day: Option<NaiveDate>,
}

impl Through {
    fn of(item_days: &[DayItemTotal], day: NaiveDate) -> Through {
        let upto = item_days.iter().filter(|d| d.study_day <= day);
        Through {
            units: upto.clone().map(|d| d.units).sum(),
            last_day: upto.filter(|d| d.minutes > 0 || d.units != 0).map(|d| d.study_day).max(),
        }
    }
}

fn stake_line(d: &DebtView) -> StakeLine {
    StakeLine {
        id: d.id,
        pledge_id: d.pledge_id,
        target: d.target.clone(),
        period_start: d.period_start,
        period_end: d.period_end,
        stake: d.stake.clone(),
    }
}

fn stakes(debts: &[DebtView], from: NaiveDate, to: NaiveDate) -> Stakes {
    let mut stakes = Stakes::default();
    for d in debts {
        match d.settled_on {
            None if d.period_start <= to => stakes.owed.push(stake_line(d)),
            Some(on) if (d.period_start <= to && d.period_end >= from) || (from <= on && on <= to) => {
                stakes.settled.push(SettledStake {
                    stake: stake_line(d),
                    settled_on: on,
                    note: d.note.clone(),
                    confirmation: d.confirmation.clone(),
                })
            }
            _ => {}
        }
    }
    stakes
}

fn balance(items: &[Item], logged: &HashMap<Option<i64>, Logged>, from: NaiveDate, to: NaiveDate) -> Balance {
    let mut balance =
        Balance { general_minutes: logged.get(&None).map(|l| l.minutes).unwrap_or(0), ..Balance::default() };
    let in_period = |item: &Item| item.ended_on.is_some_and(|e| from <= e && e <= to);
    for item in items {
        let minutes = logged.get(&Some(item.id)).map(|l| l.minutes).unwrap_or(0);
        match item.kind {
            Kind::Course => {
                balance.course_minutes += minutes;
                if item.status == Status::Completed && in_period(item) {
                    balance.credential_refs.push(item.slug.clone());
                }
            }
            Kind::Project => {
                balance.project_minutes += minutes;
                if item.status == Status::Shipped && in_period(item) {
                    balance.shipped_refs.push(item.slug.clone());
                }
            }
            Kind::Goal => {}
        }
    }
    balance.credentials = balance.credential_refs.len() as i64;
    balance.projects_shipped = balance.shipped_refs.len() as i64;
    balance
}

/// How a priced course stood on a day, for the money section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Dropped,
    Stalled,
    Other,
}

/// Dropped by `day`, or still active then with no session (nor start) in
/// the last [`STALLED_AFTER_DAYS`] days.
pub fn standing(course: &Item, last_day: Option<NaiveDate>, day: NaiveDate) -> Standing {
    let ended = course.ended_on.is_some_and(|e| e <= day);
    match course.status {
        Status::Dropped if ended || course.ended_on.is_none() => Standing::Dropped,
        Status::Completed if ended || course.ended_on.is_none() => Standing::Other,
        Status::Paused => Standing::Other,
        _ => {
            let since =
                last_day.filter(|d| *d <= day).into_iter().chain([odds::start_day(course)]).max().unwrap_or(day);
            if (day - since).num_days() >= STALLED_AFTER_DAYS { Standing::Stalled } else { Standing::Other }
        }
    }
}

/// `through` holds the courses still live in the period (the only ones
/// that can be stalled).
fn money(courses: &[Item], through: &HashMap<i64, Through>, as_of: NaiveDate) -> Vec<MoneyLine> {
    let mut lines: BTreeMap<String, MoneyLine> = BTreeMap::new();
    for course in courses {
        let Some(price) = course.price.as_ref().filter(|p| p.minor > 0) else { continue };
        let enrolled = odds::start_day(course).min(course.created_at.date_naive());
        if enrolled > as_of {
            continue;
        }
        let zero = || Money { minor: 0, currency: price.currency.clone() };
        let line = lines.entry(price.currency.clone()).or_insert_with(|| MoneyLine {
            currency: price.currency.clone(),
            paid: zero(),
            dropped: zero(),
            stalled: zero(),
            dropped_refs: Vec::new(),
            stalled_refs: Vec::new(),
        });
        line.paid.minor = line.paid.minor.saturating_add(price.minor);
        match standing(course, through.get(&course.id).and_then(|t| t.last_day), as_of) {
            Standing::Dropped => {
                line.dropped.minor = line.dropped.minor.saturating_add(price.minor);
                line.dropped_refs.push(course.slug.clone());
            }
            Standing::Stalled => {
                line.stalled.minor = line.stalled.minor.saturating_add(price.minor);
                line.stalled_refs.push(course.slug.clone());
            }
            Standing::Other => {}
        }
    }
    lines.into_values().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn named_periods_around_a_monday() {
        let today = d("2026-11-23");
        let mon = Weekday::Mon;
        assert_eq!(Span::Week.range(today, mon), (d("2026-11-23"), d("2026-11-29")));
        assert_eq!(Span::LastWeek.range(today, mon), (d("2026-11-16"), d("2026-11-22")));
        assert_eq!(Span::Month.range(today, mon), (d("2026-11-01"), d("2026-11-30")));
        assert_eq!(Span::LastMonth.range(today, mon), (d("2026-10-01"), d("2026-10-31")));
        assert_eq!(Span::Year.range(today, mon), (d("2026-01-01"), d("2026-12-31")));
        assert_eq!(Span::Week.range(today, Weekday::Sun), (d("2026-11-22"), d("2026-11-28")));
    }

    #[test]
    fn month_edges() {
        let mon = Weekday::Mon;
        assert_eq!(Span::Month.range(d("2028-02-29"), mon), (d("2028-02-01"), d("2028-02-29")));
        assert_eq!(Span::LastMonth.range(d("2027-01-01"), mon), (d("2026-12-01"), d("2026-12-31")));
        assert_eq!(Span::LastMonth.range(d("2026-03-31"), mon), (d("2026-02-01"), d("2026-02-28")));
        assert_eq!(Span::Year.range(d("2024-12-31"), mon), (d("2024-01-01"), d("2024-12-31")));
    }

    #[test]
    fn days_and_consistency() {
        let today = d("2026-11-23");
        assert_eq!(days_so_far(d("2026-11-23"), d("2026-11-29"), today), 1);
        assert_eq!(days_so_far(d("2026-11-16"), d("2026-11-22"), today), 7);
        assert_eq!(days_so_far(d("2026-12-01"), d("2026-12-31"), today), 0);
        assert_eq!(consistency(4, 7), 4.0 / 7.0);
        assert_eq!(consistency(0, 0), 0.0);
    }

    #[test]
    fn bloom_levels_and_unknowns() {
        let mut bloom = Bloom::default();
        bloom.add(Some(BloomLevel::Apply), 30);
        bloom.add(None, 10);
        bloom.add(None, 5);
        bloom.add(Some(BloomLevel::Apply), 15);
        assert_eq!((bloom.apply, bloom.unspecified, bloom.total()), (45, 15, 60));
    }

    #[test]
    fn through_a_day() {
        let days = [("2026-11-01", 30, 1), ("2026-11-03", 0, 2), ("2026-11-05", 0, 0), ("2026-11-09", 40, 1)]
            .map(|(day, minutes, units)| DayItemTotal { study_day: d(day), item_id: Some(1), minutes, units });
        assert_eq!(Through::of(&days, d("2026-11-06")), Through { units: 3, last_day: Some(d("2026-11-03")) });
        assert_eq!(Through::of(&days, d("2026-12-01")), Through { units: 4, last_day: Some(d("2026-11-09")) });
        assert_eq!(Through::of(&days, d("2026-10-01")), Through::default());
    }

    fn course(status: Status, start: &str, ended_on: Option<&str>) -> Item {
        let now = chrono::DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z").unwrap().with_timezone(&chrono::Utc);
        let mut item = store::items::blank(Kind::Course, "c".into(), "C".into(), status, now);
        item.start_date = Some(d(start));
        item.ended_on = ended_on.map(d);
        item
    }

    #[test]
    fn standing_of_a_course() {
        let day = d("2026-11-22");
        let active = course(Status::Active, "2026-10-01", None);
        assert_eq!(standing(&active, Some(d("2026-11-08")), day), Standing::Stalled, "14 days silent");
        assert_eq!(standing(&active, Some(d("2026-11-09")), day), Standing::Other);
        assert_eq!(standing(&active, None, day), Standing::Stalled, "never studied since the start");
        assert_eq!(standing(&course(Status::Active, "2026-11-15", None), None, day), Standing::Other, "just started");
        assert_eq!(standing(&course(Status::Dropped, "2026-10-01", Some("2026-11-20")), None, day), Standing::Dropped);
        // Dropped after the day: it was still live then (and silent).
        assert_eq!(standing(&course(Status::Dropped, "2026-10-01", Some("2026-11-30")), None, day), Standing::Stalled);
        assert_eq!(standing(&course(Status::Completed, "2026-10-01", Some("2026-11-01")), None, day), Standing::Other);
        assert_eq!(standing(&course(Status::Paused, "2026-10-01", None), None, day), Standing::Other);
    }
}
