//! What `report --format html` draws: the period report (the same value
//! `report --json` prints) and the series behind each chart. Rendering it
//! is `render::html`'s job.
//!
//! Every collection here is ordered (Vec, BTreeMap), so the same records
//! and clock give the same page byte for byte.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use super::heatmap::{self, HeatmapReport};
use super::odds;
use super::period::PeriodReport;
use super::pledges;
use super::totals::DayTotals;
use crate::config::Settings;
use crate::domain::heatmap::{DEFAULT_WEEKS, Span};
use crate::domain::pledge::{Per, PeriodResult, Verdict};
use crate::domain::records::{Item, Kind, Status};
use crate::store;
use crate::store::sessions::Scope;

/// The page's data.
#[derive(Debug, Clone)]
pub struct Page {
    pub report: PeriodReport,
    pub today: NaiveDate,
    /// Today plus `horizon_days`: an easier pledge takes effect no sooner.
    pub horizon: NaiveDate,
    pub horizon_days: i64,
    /// The 26 weeks up to the period's end (days after today are not drawn).
    pub heatmap: HeatmapReport,
    /// Courses with units and a deadline.
    pub burnups: Vec<Burnup>,
    /// Active courses' odds as of each week's end.
    pub odds: Vec<OddsTrack>,
    pub pledges: Vec<PledgeGrid>,
    /// Per item reference: its link as stored (a project's URL, a course's
    /// credential URL). The renderer decides whether it may be a link.
    pub links: BTreeMap<String, String>,
}

/// Units done against the road from the start to the deadline.
#[derive(Debug, Clone)]
pub struct Burnup {
    pub reference: String,
    pub title: String,
    pub unit_name: Option<String>,
    pub start: NaiveDate,
    pub deadline: NaiveDate,
    pub total: i64,
    /// The start, each week's end after it, and the report's day.
    pub points: Vec<BurnPoint>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BurnPoint {
    pub day: NaiveDate,
    /// Units done by the end of the day.
    pub done: i64,
    /// Where the straight road from 0 at the start to the total at the
    /// deadline stands that day.
    pub road: f64,
}

/// One course's completion odds over time, by the model `odds` uses.
#[derive(Debug, Clone)]
pub struct OddsTrack {
    pub reference: String,
    pub title: String,
    /// (day, probability in 0..1): each week's end, then the report's day.
    pub points: Vec<(NaiveDate, f64)>,
}

/// A pledge's periods over the heatmap's weeks, each with its verdict.
#[derive(Debug, Clone)]
pub struct PledgeGrid {
    pub id: i64,
    pub target: String,
    /// The rate of the last period shown.
    pub rate: String,
    pub per: Per,
    pub stake: Option<String>,
    pub referee: Option<String>,
    pub cells: Vec<Cell>,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub state: CellState,
    /// The amount done and the target, in the rate's unit, as text (judged periods only).
    pub done: Option<String>,
    pub target: Option<String>,
}

/// A period's verdict, plus the two a grid also shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CellState {
    Kept,
    Missed,
    OnTrack,
    Behind,
    /// Not started yet.
    Scheduled,
    /// A rest day of a daily pledge: not judged.
    Excused,
}

impl CellState {
    pub const ALL: [CellState; 6] = [
        CellState::Kept,
        CellState::Missed,
        CellState::OnTrack,
        CellState::Behind,
        CellState::Scheduled,
        CellState::Excused,
    ];

    /// The JSON name of the verdict (`scheduled`, `excused` for the others).
    pub fn as_str(self) -> &'static str {
        match self {
            CellState::Kept => "kept",
            CellState::Missed => "missed",
            CellState::OnTrack => "on_track",
            CellState::Behind => "behind",
            CellState::Scheduled => "scheduled",
            CellState::Excused => "excused",
        }
    }

    /// For people.
    pub fn label(self) -> &'static str {
        match self {
            CellState::Kept => "kept",
            CellState::Missed => "missed",
            CellState::OnTrack => "on track",
            CellState::Behind => "behind",
            CellState::Scheduled => "scheduled",
            CellState::Excused => "excused",
        }
    }

    fn of(verdict: Verdict) -> CellState {
        match verdict {
            Verdict::Kept => CellState::Kept,
            Verdict::Missed => CellState::Missed,
            Verdict::OnTrack => CellState::OnTrack,
            Verdict::Behind => CellState::Behind,
            Verdict::Scheduled => CellState::Scheduled,
        }
    }
}

fn plus(day: NaiveDate, n: i64) -> NaiveDate {
    day.checked_add_days(Days::new(n.max(0).unsigned_abs())).unwrap_or(NaiveDate::MAX)
}

/// The page for a report already built (with the same `today`).
pub fn build(conn: &Connection, settings: &Settings, today: NaiveDate, report: PeriodReport) -> Result<Page> {
    let as_of = report.period.as_of;
    let heatmap = heatmap::build(conn, settings, as_of, Span::Weeks(DEFAULT_WEEKS), &Scope::All, None)?;
    let history = DayTotals::load(conn)?;
    let items = store::items::list(conn, None)?;
    let courses: Vec<Item> = items.iter().filter(|i| i.kind == Kind::Course).cloned().collect();
    let by_ref: BTreeMap<&str, &Item> = items.iter().map(|i| (i.slug.as_str(), i)).collect();
    // Each week's last day in the heatmap's window, before the report's day.
    let week_ends: Vec<NaiveDate> =
        heatmap.from.iter_weeks().map(|w| plus(w, 6)).take_while(|end| *end < as_of).collect();

    let mut burnups = Vec::new();
    let mut tracks = Vec::new();
    let mut links = BTreeMap::new();
    for line in &report.items {
        let Some(item) = by_ref.get(line.reference.as_str()) else { continue };
        let link = if item.kind == Kind::Project { &item.url } else { &item.credential_url };
        if let Some(link) = link {
            links.insert(item.slug.clone(), link.clone());
        }
        if item.kind != Kind::Course {
            continue;
        }
        let start = odds::start_day(item);
        if let (Some(total), Some(deadline)) = (item.units_total.filter(|t| *t > 0), item.due_date) {
            burnups.push(burnup(item, &history, start, deadline, total, &week_ends, as_of));
        }
        if item.status == Status::Active && start <= as_of {
            let days = week_ends.iter().copied().filter(|d| *d >= start).chain([as_of]);
            let points = days.map(|day| (day, odds::course_on(item, &courses, day, &history).probability)).collect();
            tracks.push(OddsTrack { reference: item.slug.clone(), title: item.title.clone(), points });
        }
    }

    let horizon = plus(today, settings.horizon_days);
    // Pledges: the heatmap's weeks, and while the period runs, what is
    // already committed up to the horizon.
    let grid_to = if report.period.to >= today { report.period.to.max(horizon) } else { report.period.to };
    let book = pledges::build_over(conn, settings, today, &history)?;
    let mut grids = Vec::new();
    for (judged, results) in book.periods(settings, today, heatmap.from, grid_to) {
        let cells = cells(&judged.pledge, settings, today, heatmap.from, grid_to, &results);
        let Some(last) = cells.last() else { continue };
        let Some((_, _, rate)) = judged.pledge.period_at(last.start, settings.week_starts) else { continue };
        grids.push(PledgeGrid {
            id: judged.row.id,
            target: judged.row.target.clone(),
            rate: rate.to_string(),
            per: rate.per,
            stake: judged.row.stake.clone(),
            referee: judged.row.referee.clone(),
            cells,
        });
    }
    grids.sort_by_key(|g| g.id);

    Ok(Page {
        report,
        today,
        horizon,
        horizon_days: settings.horizon_days,
        heatmap,
        burnups,
        odds: tracks,
        pledges: grids,
        links,
    })
}

fn burnup(
    item: &Item,
    history: &DayTotals,
    start: NaiveDate,
    deadline: NaiveDate,
    total: i64,
    week_ends: &[NaiveDate],
    as_of: NaiveDate,
) -> Burnup {
    let days = history.item_days(item.id);
    let done_by = |day: NaiveDate| days.iter().filter(|d| d.study_day <= day).map(|d| d.units).sum::<i64>();
    let span = (deadline - start).num_days();
    let road = |day: NaiveDate| {
        if span <= 0 {
            return total as f64;
        }
        let share = ((day - start).num_days() as f64 / span as f64).clamp(0.0, 1.0);
        total as f64 * share
    };
    let mut points = Vec::new();
    if start <= as_of {
        let inner = week_ends.iter().copied().filter(|d| *d > start);
        for day in [start].into_iter().chain(inner).chain([as_of]) {
            if points.last().is_some_and(|p: &BurnPoint| p.day >= day) {
                continue;
            }
            points.push(BurnPoint { day, done: done_by(day), road: road(day) });
        }
    }
    Burnup {
        reference: item.slug.clone(),
        title: item.title.clone(),
        unit_name: item.unit_name.clone(),
        start,
        deadline,
        total,
        points,
    }
}

/// Every period of `pledge` starting in [from, to], with its verdict:
/// judged ones as `evaluate` judged them, later ones scheduled, and the
/// days evaluation skips (rest days of a daily pledge) excused.
fn cells(
    pledge: &crate::domain::pledge::Pledge,
    settings: &Settings,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
    results: &[PeriodResult],
) -> Vec<Cell> {
    let judged: BTreeMap<NaiveDate, &PeriodResult> = results.iter().map(|r| (r.start, r)).collect();
    let mut cells = Vec::new();
    let mut day = from;
    while day <= to {
        let Some((start, end, rate)) = pledge.period_at(day, settings.week_starts) else {
            day = plus(day, 1);
            continue;
        };
        if start >= from {
            let cell = match judged.get(&start) {
                Some(r) => Cell {
                    start,
                    end,
                    state: CellState::of(r.verdict),
                    done: Some(rate.format_amount(r.done)),
                    target: Some(rate.format_amount(r.target)),
                },
                None => Cell {
                    start,
                    end,
                    state: if start > today { CellState::Scheduled } else { CellState::Excused },
                    done: None,
                    target: None,
                },
            };
            cells.push(cell);
        }
        if end == NaiveDate::MAX {
            break;
        }
        day = plus(end, 1);
    }
    cells
}
