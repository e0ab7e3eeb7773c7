//! The streak report.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Duration, NaiveDate};
use rusqlite::Connection;
use serde::Serialize;

use super::pledges::PledgeBook;
use super::totals::DayTotals;
use crate::config::Settings;
use crate::domain::streak::{self, DailyStreak, StreakRules, WeeklyStreak};
use crate::store;
use crate::store::sessions::Scope;

#[derive(Debug, Clone, Serialize)]
pub struct StreakReport {
    /// The course or project, when the streak is for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub daily: DailyStreak,
    pub weekly: WeeklyStreak,
    pub studied_days: i64,
    pub total_minutes: i64,
    /// Today is a rest day (declared, or a `streak.rest_weekdays` day): the
    /// streak is not at stake. Present only on a rest day.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub rest_today: bool,
}

pub fn rules(settings: &Settings) -> StreakRules {
    StreakRules {
        min_minutes: settings.min_minutes,
        freeze_every: settings.freeze_every,
        max_freezes: settings.max_freezes,
        rest_weekdays: settings.rest_weekdays.clone(),
    }
}

/// The streaks of a scope. `book` holds the pledges that judge its weeks
/// (only those on the scope's target, for one course or project).
pub fn build(
    conn: &Connection,
    settings: &Settings,
    today: NaiveDate,
    scope: &Scope,
    target: Option<String>,
    book: &PledgeBook,
) -> Result<StreakReport> {
    build_over(conn, settings, today, scope, target, book, &DayTotals::load(conn)?)
}

/// The streaks of a scope from totals already loaded.
pub fn build_over(
    conn: &Connection,
    settings: &Settings,
    today: NaiveDate,
    scope: &Scope,
    target: Option<String>,
    book: &PledgeBook,
    totals: &DayTotals,
) -> Result<StreakReport> {
    let day_minutes = totals.day_minutes(scope);
    let rest_days = store::rest::days(conn)?;
    let rules = rules(settings);
    let daily = streak::daily_streak(&day_minutes, &rest_days, &rules, today);
    let studied = |day: &NaiveDate, minutes: &i64| *day <= today && *minutes >= rules.min_minutes && *minutes > 0;
    let studied_days = day_minutes.iter().filter(|(d, m)| studied(d, m)).count() as i64;
    let total_minutes = day_minutes.values().sum();
    let weekly = weekly(&day_minutes, settings, today, book, &rules);
    let rest_today = rest_days.contains(&today) || rules.rest_weekdays.contains(&chrono::Datelike::weekday(&today));
    Ok(StreakReport { target, daily, weekly, studied_days, total_minutes, rest_today })
}

/// Weeks kept: every pledge in force kept, or (with none) a studied day.
fn weekly(
    day_minutes: &BTreeMap<NaiveDate, i64>,
    settings: &Settings,
    today: NaiveDate,
    book: &PledgeBook,
    rules: &StreakRules,
) -> WeeklyStreak {
    let ws = settings.week_starts;
    let first_session = day_minutes.iter().find(|(_, m)| **m >= rules.min_minutes && **m > 0).map(|(d, _)| *d);
    let first_pledge = book.judged.iter().map(|j| j.pledge.from).min();
    let Some(first) = [first_session, first_pledge].into_iter().flatten().min() else {
        return WeeklyStreak::default();
    };
    let current_week = streak::week_start(today, ws);
    let studied_in = |week: NaiveDate| {
        day_minutes.range(week..week + Duration::days(7)).any(|(d, m)| *d <= today && *m >= rules.min_minutes && *m > 0)
    };
    let kept = |week: NaiveDate| book.week_kept(settings, today, week).unwrap_or_else(|| studied_in(week));
    let mut past = Vec::new();
    let mut week = streak::week_start(first.min(today), ws);
    while week < current_week {
        past.push(kept(week));
        week += Duration::days(7);
    }
    streak::weekly_streak(&past, kept(current_week))
}
