//! The mentor's list (`learnlog next`): the facts of today gathered from the
//! dashboard, the odds and the records, ranked by `domain::mentor`.

use anyhow::Result;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use super::odds::start_day;
use super::status::{self, Dashboard};
use crate::config::Settings;
use crate::domain::mentor::{
    self, CompletedCourse, CourseFact, Facts, PledgeFact, ProjectFact, StreakFact, Suggestion,
};
use crate::domain::records::{Item, Kind, Status};
use crate::domain::streak::week_start;
use crate::store;
use crate::store::sessions::Scope;

/// `next --json`: the ranked list itself.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct NextReport {
    pub suggestions: Vec<Suggestion>,
    #[serde(skip)]
    pub today: NaiveDate,
}

pub fn build(conn: &Connection, settings: &Settings, today: NaiveDate) -> Result<NextReport> {
    let facts = facts(conn, settings, today)?;
    Ok(NextReport { suggestions: mentor::suggest(&facts), today })
}

/// Each pledge in force: where its period stands, and whether today counts.
fn pledge_facts(dashboard: &Dashboard, today: NaiveDate, studied: impl Fn(i64) -> bool) -> Vec<PledgeFact> {
    let mut pledges = Vec::new();
    for view in &dashboard.book.pledges {
        let Some(current) = &view.current else { continue };
        let today_minutes = dashboard
            .book
            .judged
            .iter()
            .find(|j| j.row.id == view.id)
            .and_then(|j| j.amounts.days.get(&today))
            .map(|a| a.minutes)
            .unwrap_or(0);
        pledges.push(PledgeFact {
            id: view.id,
            target: view.target.clone(),
            rate: current.rate,
            verdict: current.verdict,
            needed: current.needed,
            days_left: current.days_left,
            staked: view.stake.is_some(),
            studied_today: studied(today_minutes),
        });
    }
    pledges
}

/// Each active course's odds, with its unit name.
fn course_facts(dashboard: &Dashboard, items: &[Item]) -> Vec<CourseFact> {
    dashboard
        .odds
        .iter()
        .map(|o| CourseFact {
            slug: o.reference.clone(),
            unit_name: items
                .iter()
                .find(|i| i.kind == Kind::Course && i.slug == o.reference)
                .and_then(|i| i.unit_name.clone()),
            probability: o.probability,
            buffer_days: o.buffer_days,
            units_done: o.units_done,
            units_total: o.units_total,
            deadline: o.deadline,
        })
        .collect()
}

/// What the mentor needs to know, read once.
pub fn facts(conn: &Connection, settings: &Settings, today: NaiveDate) -> Result<Facts> {
    let dashboard = status::build(conn, settings, today)?;
    let items = store::items::list(conn, None)?;
    let studied = |minutes: i64| minutes > 0 && minutes >= settings.min_minutes;

    let pledges = pledge_facts(&dashboard, today, studied);
    let has_pledge = dashboard.book.pledges.iter().any(|p| p.status == super::pledges::PledgeState::Active);

    let courses = course_facts(&dashboard, &items);

    let mut projects = Vec::new();
    for project in items.iter().filter(|i| i.kind == Kind::Project && i.status == Status::Active) {
        projects.push(ProjectFact {
            slug: project.slug.clone(),
            last_session: store::sessions::last_day(conn, project.id)?,
            since: start_day(project),
        });
    }
    let applied = |course_id: i64| items.iter().any(|i| i.kind == Kind::Project && i.course_ids.contains(&course_id));
    let completed_courses = items
        .iter()
        .filter(|i| i.kind == Kind::Course && i.status == Status::Completed)
        .map(|c| CompletedCourse { slug: c.slug.clone(), ended_on: c.ended_on, applied: applied(c.id) })
        .collect();
    let projects_shipped =
        items.iter().filter(|i| i.kind == Kind::Project && i.status == Status::Shipped).count() as i64;

    let this_week = week_start(today, settings.week_starts);
    let recent_minutes = store::sessions::day_amounts(
        conn,
        &Scope::All,
        mentor::history_start(this_week),
        this_week - Duration::days(1),
    )?
    .values()
    .map(|(minutes, _)| minutes)
    .sum();
    let daily = &dashboard.report.streak.daily;
    Ok(Facts {
        today,
        week_start: this_week,
        default_minutes: settings.default_minutes,
        min_minutes: settings.min_minutes,
        pledges,
        has_pledge,
        courses,
        projects,
        completed_courses,
        projects_shipped,
        streak: StreakFact { current: daily.current, today_studied: daily.today_studied, last_break: daily.last_break },
        recent_minutes,
    })
}
