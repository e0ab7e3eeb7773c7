//! The heatmap (`learnlog heatmap`): study minutes per day over a window,
//! each day with its shade.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::{Datelike, NaiveDate, Weekday};
use rusqlite::Connection;
use serde::Serialize;

use crate::config::Settings;
use crate::domain::heatmap::{self, Span};
use crate::store;
use crate::store::sessions::Scope;

/// `heatmap --json`.
#[derive(Debug, Clone, Serialize)]
pub struct HeatmapReport {
    /// The course, project or goal, when the heatmap is for one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The least minutes of shades 1–4 (empty when nothing was studied).
    pub thresholds: Vec<i64>,
    pub total_minutes: i64,
    /// Days with minutes, up to today.
    pub studied_days: i64,
    /// Rest days (declared or by weekday) up to today.
    pub rest_days: Vec<NaiveDate>,
    /// Every day from `from` to the earlier of `to` and today.
    pub days: Vec<HeatDay>,
    #[serde(skip)]
    pub today: NaiveDate,
    #[serde(skip)]
    pub week_starts: Weekday,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeatDay {
    pub date: NaiveDate,
    pub minutes: i64,
    /// 0 (no study) to 4.
    pub level: u8,
}

/// The heatmap of a scope; `target` names it. One aggregate query.
pub fn build(
    conn: &Connection,
    settings: &Settings,
    today: NaiveDate,
    span: Span,
    scope: &Scope,
    target: Option<String>,
) -> Result<HeatmapReport> {
    let (from, to) = heatmap::window(span, today, settings.week_starts)?;
    let last = to.min(today);
    let amounts: BTreeMap<NaiveDate, i64> = if from <= last {
        store::sessions::day_amounts(conn, scope, from, last)?
            .into_iter()
            .map(|(day, (minutes, _))| (day, minutes))
            .collect()
    } else {
        BTreeMap::new()
    };
    let thresholds = heatmap::thresholds(amounts.values().copied());
    let declared: BTreeSet<NaiveDate> = store::rest::days(conn)?;
    let days: Vec<HeatDay> = from
        .iter_days()
        .take_while(|day| *day <= last)
        .map(|date| {
            let minutes = amounts.get(&date).copied().unwrap_or(0);
            HeatDay { date, minutes, level: heatmap::level(minutes, &thresholds) }
        })
        .collect();
    let rest_days = days
        .iter()
        .map(|d| d.date)
        .filter(|date| declared.contains(date) || settings.rest_weekdays.contains(&date.weekday()))
        .collect();
    Ok(HeatmapReport {
        target,
        from,
        to,
        total_minutes: days.iter().map(|d| d.minutes).sum(),
        studied_days: days.iter().filter(|d| d.minutes > 0).count() as i64,
        thresholds,
        rest_days,
        days,
        today,
        week_starts: settings.week_starts,
    })
}
