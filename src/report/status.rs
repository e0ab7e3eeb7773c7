//! The daily dashboard (`status`), and the facts `remind` and `next` share.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use super::odds::{self, CourseOdds};
use super::pledges::{self, PledgeBook};
use super::streak::{self, StreakReport};
use super::totals::DayTotals;
use crate::config::Settings;
use crate::domain::pledge::{Rate, Verdict};
use crate::domain::records::Kind;
use crate::domain::streak::week_start;
use crate::store;
use crate::store::sessions::Scope;

#[derive(Debug, Clone, Serialize)]
pub struct StatusReport {
    pub today: Today,
    pub streak: StreakReport,
    pub week: Week,
    pub pledges: Vec<PledgeNow>,
    pub at_risk: Vec<AtRisk>,
    pub next_deadline: Option<Deadline>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Today {
    pub date: NaiveDate,
    pub minutes: i64,
    pub studied: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Week {
    pub start: NaiveDate,
    pub minutes: i64,
}

/// A pledge's current period (`status --json` `pledges`).
#[derive(Debug, Clone, Serialize)]
pub struct PledgeNow {
    pub id: i64,
    pub target: String,
    pub rate: Rate,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The amount so far, in the rate's unit (minutes, study days or units).
    pub done: i64,
    /// What is still missing, 0 when met.
    pub needed: i64,
    pub target_amount: i64,
    pub verdict: Verdict,
    pub days_left: i64,
    pub stake: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AtRisk {
    #[serde(rename = "ref")]
    pub reference: String,
    pub probability: f64,
    pub buffer_days: Option<i64>,
    pub days_silent: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Deadline {
    #[serde(rename = "ref")]
    pub reference: String,
    pub kind: Kind,
    pub date: NaiveDate,
    pub days_left: i64,
}

/// Everything `status` shows, plus the pledge book and odds it was built from.
pub struct Dashboard {
    pub report: StatusReport,
    pub book: PledgeBook,
    pub odds: Vec<CourseOdds>,
}

pub fn build(conn: &Connection, settings: &Settings, today: NaiveDate) -> Result<Dashboard> {
    let totals = DayTotals::load(conn)?;
    let book = pledges::build_over(conn, settings, today, &totals)?;
    let streak = streak::build_over(conn, settings, today, &Scope::All, None, &book, &totals)?;
    let week_from = week_start(today, settings.week_starts);
    let days = totals.day_amounts(&Scope::All, week_from, today);
    let today_minutes = days.get(&today).map(|(m, _)| *m).unwrap_or(0);
    let week_minutes = days.values().map(|(m, _)| m).sum();
    let pledges = book
        .pledges
        .iter()
        .filter_map(|p| {
            let current = p.current.as_ref()?;
            Some(PledgeNow {
                id: p.id,
                target: p.target.clone(),
                rate: current.rate,
                period_start: current.start,
                period_end: current.end,
                done: current.done,
                needed: current.needed,
                target_amount: current.target,
                verdict: current.verdict,
                days_left: current.days_left,
                stake: p.stake.clone(),
            })
        })
        .collect();
    let odds = odds::build_over(conn, today, None, &totals)?;
    let at_risk = odds::at_risk(&odds)
        .into_iter()
        .map(|o| AtRisk {
            reference: o.reference.clone(),
            probability: o.probability,
            buffer_days: o.buffer_days,
            days_silent: o.days_silent,
        })
        .collect();
    let next_deadline = store::items::list(conn, None)?
        .into_iter()
        .filter(|i| i.is_open())
        .filter_map(|i| {
            let date = i.due_date.filter(|d| *d >= today)?;
            Some(Deadline { reference: i.slug, kind: i.kind, date, days_left: (date - today).num_days() })
        })
        .min_by_key(|d| (d.date, d.reference.clone()));
    let report = StatusReport {
        today: Today { date: today, minutes: today_minutes, studied: streak.daily.today_studied },
        streak,
        week: Week { start: week_from, minutes: week_minutes },
        pledges,
        at_risk,
        next_deadline,
    };
    Ok(Dashboard { report, book, odds })
}
