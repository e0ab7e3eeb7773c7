//! Completion odds of active courses (docs/odds.md), from the local record.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::totals::DayTotals;
use crate::domain::odds::{self, Factor, OddsInput};
use crate::domain::records::{Intent, Item, Kind, Status, Track};
use crate::store;

/// `odds --json`: one entry per active course.
#[derive(Debug, Clone, Serialize)]
pub struct CourseOdds {
    #[serde(rename = "ref")]
    pub reference: String,
    pub title: String,
    pub probability: f64,
    pub factors: Vec<Factor>,
    pub buffer_days: Option<i64>,
    pub units_per_week_needed: Option<f64>,
    pub units_per_week_pace: Option<f64>,
    pub units_done: i64,
    pub units_total: Option<i64>,
    pub deadline: Option<NaiveDate>,
    /// Days since the last session (or since the start, with none).
    pub days_silent: i64,
}

/// The learner's record across courses: completed, dropped, active.
struct Record {
    completed: u32,
    dropped: u32,
    active: u32,
}

fn record(courses: &[Item]) -> Record {
    let count = |status: Status| courses.iter().filter(|c| c.status == status).count() as u32;
    Record { completed: count(Status::Completed), dropped: count(Status::Dropped), active: count(Status::Active) }
}

/// The day a course counts from: its start date, else the day it was added.
pub fn start_day(item: &Item) -> NaiveDate {
    item.start_date.unwrap_or_else(|| item.created_at.date_naive())
}

/// Odds of every active course (or of `only`), lowest first.
pub fn build(conn: &Connection, today: NaiveDate, only: Option<&Item>) -> Result<Vec<CourseOdds>> {
    build_over(conn, today, only, &DayTotals::load(conn)?)
}

/// Odds from totals already loaded.
pub fn build_over(
    conn: &Connection,
    today: NaiveDate,
    only: Option<&Item>,
    totals: &DayTotals,
) -> Result<Vec<CourseOdds>> {
    let courses = store::items::list(conn, Some(Kind::Course))?;
    let record = record(&courses);
    let mut all = Vec::new();
    for course in courses.iter().filter(|c| c.status == Status::Active) {
        if only.is_some_and(|o| o.id != course.id) {
            continue;
        }
        all.push(course_odds(course, &record, today, totals));
    }
    all.sort_by(|a, b| a.probability.total_cmp(&b.probability).then(a.reference.cmp(&b.reference)));
    Ok(all)
}

/// The odds of one course as they stood on `day`, whatever its status now
/// (`report` compares a period's start with its end): sessions after the day
/// do not count, and the learner's record counts the other courses as they
/// were then. For an active course and today, this is what [`build`] gives.
pub fn course_on(course: &Item, courses: &[Item], day: NaiveDate, totals: &DayTotals) -> CourseOdds {
    course_odds(course, &record_on(courses, course.id, day), day, totals)
}

/// The record on `day` of every course but `this`, which counts as active.
fn record_on(courses: &[Item], this: i64, day: NaiveDate) -> Record {
    let ended_by = |c: &Item| c.ended_on.is_none_or(|e| e <= day);
    let mut record = Record { completed: 0, dropped: 0, active: 1 };
    for c in courses.iter().filter(|c| c.id != this) {
        match c.status {
            Status::Completed if ended_by(c) => record.completed += 1,
            Status::Dropped if ended_by(c) => record.dropped += 1,
            Status::Active | Status::Completed | Status::Dropped => record.active += 1,
            _ => {}
        }
    }
    record
}

fn course_odds(course: &Item, record: &Record, today: NaiveDate, totals: &DayTotals) -> CourseOdds {
    let start = start_day(course);
    let offset = |day: NaiveDate| (day - start).num_days();
    // Only days up to today: the model's T is today.
    let days: Vec<_> = totals.item_days(course.id).into_iter().filter(|d| d.study_day <= today).collect();
    let units_done: i64 = days.iter().map(|d| d.units).sum();
    let session_days: Vec<i64> =
        days.iter().filter(|d| d.minutes > 0 || d.units > 0).map(|d| offset(d.study_day)).collect();
    let day_units: Vec<(i64, i64)> =
        days.iter().filter(|d| d.units != 0).map(|d| (offset(d.study_day), d.units)).collect();
    let t = offset(today);
    // The learner's own record excludes this course; it is active, so it is not counted there.
    let input = OddsInput {
        verified: course.track == Some(Track::Verified),
        intent_complete: course.intent != Some(Intent::Explore),
        length_weeks: course.weeks.map(|w| w as f64),
        units_total: course.units_total,
        units_done,
        today: t,
        deadline: course.due_date.map(offset),
        weekly_units: odds::weekly_units(&day_units, t),
        session_days: session_days.clone(),
        completed_courses: record.completed,
        dropped_courses: record.dropped,
        active_courses: record.active.max(1),
    };
    let result = odds::completion_odds(&input);
    let last = session_days.last().copied().unwrap_or(0);
    CourseOdds {
        reference: course.slug.clone(),
        title: course.title.clone(),
        probability: result.probability,
        factors: result.factors,
        buffer_days: result.buffer_days,
        units_per_week_needed: result.units_per_week_needed,
        units_per_week_pace: result.units_per_week_pace,
        units_done,
        units_total: course.units_total,
        deadline: course.due_date,
        days_silent: (t - last).max(0),
    }
}

/// At risk: behind the road, silent for two weeks, or under 10 % odds.
pub fn at_risk(odds: &[CourseOdds]) -> Vec<&CourseOdds> {
    let mut risky: Vec<&CourseOdds> = odds
        .iter()
        .filter(|o| o.buffer_days.is_some_and(|b| b < 0) || o.days_silent >= 14 || o.probability < 0.10)
        .collect();
    risky.sort_by(|a, b| {
        a.probability
            .total_cmp(&b.probability)
            .then(a.buffer_days.unwrap_or(i64::MAX).cmp(&b.buffer_days.unwrap_or(i64::MAX)))
    });
    risky
}
