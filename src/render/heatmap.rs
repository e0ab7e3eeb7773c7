//! The heatmap as a GitHub-style calendar: one row per weekday (from
//! `week_starts`), one column per week, month labels above, a legend below.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::{Datelike, Duration, NaiveDate};

use super::plural;
use crate::domain::parse::format_minutes;
use crate::domain::streak::week_start;
use crate::output::Out;
use crate::report::heatmap::HeatmapReport;

/// Width of the weekday labels (`Mon `).
const LABEL_WIDTH: usize = 4;

/// Shades 0–4, a rest day without study, and what is outside the window or
/// still to come.
struct Glyphs {
    levels: [&'static str; 5],
    rest: &'static str,
}

const UNICODE: Glyphs = Glyphs { levels: ["·", "░", "▒", "▓", "█"], rest: "◦" };
const ASCII: Glyphs = Glyphs { levels: [".", "-", "+", "*", "#"], rest: "~" };

/// Greens from faint to bright (SGR), so the shades read even where the
/// glyphs look alike; level 0 is dimmed.
const GREENS: [&str; 5] = ["2", "2;32", "32", "92", "1;92"];

pub fn heatmap(out: &mut Out, r: &HeatmapReport) -> Result<()> {
    let glyphs = if out.unicode { &UNICODE } else { &ASCII };
    let grid_start = week_start(r.from, r.week_starts);
    let weeks = ((week_start(r.to, r.week_starts) - grid_start).num_days() / 7 + 1) as usize;
    let available = out.width.map(usize::from).unwrap_or(usize::MAX).saturating_sub(LABEL_WIDTH).max(1);
    // Two characters a week (glyph and space) when they fit, else one; the
    // oldest weeks give way when even that is too wide.
    let cell = if weeks * 2 - 1 <= available { 2 } else { 1 };
    let shown = weeks.min(available);
    let first = grid_start + Duration::weeks((weeks - shown) as i64);
    let columns: Vec<NaiveDate> = (0..shown).map(|c| first + Duration::weeks(c as i64)).collect();

    let minutes: BTreeMap<NaiveDate, (i64, u8)> = r.days.iter().map(|d| (d.date, (d.minutes, d.level))).collect();
    let rest: BTreeSet<NaiveDate> = r.rest_days.iter().copied().collect();

    out.prose(title(out, r))?;
    out.line(month_labels(&columns, cell, r.from, r.to))?;
    for row in 0..7 {
        let weekday = columns.first().map(|c| *c + Duration::days(row)).unwrap_or(r.from);
        let label = if row % 2 == 0 { weekday.format("%a").to_string() } else { String::new() };
        let mut line = format!("{label:<LABEL_WIDTH$}");
        for week in &columns {
            let day = *week + Duration::days(row);
            let glyph = if day < r.from || day > r.to || day > r.today {
                " ".to_string()
            } else {
                match minutes.get(&day) {
                    Some((m, level)) if *m > 0 => shade(out, glyphs, *level),
                    _ if rest.contains(&day) => glyphs.rest.to_string(),
                    _ => shade(out, glyphs, 0),
                }
            };
            line.push_str(&glyph);
            if cell == 2 {
                line.push(' ');
            }
        }
        out.line(line.trim_end())?;
    }
    out.line(legend(out, glyphs, r))?;
    if shown < weeks {
        out.line(format!(
            "(the {} do not fit in {} columns; `--json` has every day)",
            if weeks - shown == 1 { "oldest week".to_string() } else { format!("{} oldest weeks", weeks - shown) },
            available + LABEL_WIDTH
        ))?;
    }
    Ok(())
}

fn shade(out: &Out, glyphs: &Glyphs, level: u8) -> String {
    let level = usize::from(level.min(4));
    out.paint(glyphs.levels[level], GREENS[level])
}

/// `38h20 in 62 study days, 2026-05-25 to 2026-11-23 (ml)`.
fn title(out: &Out, r: &HeatmapReport) -> String {
    let what = match &r.target {
        Some(target) => format!("Study minutes on {target}"),
        None => "Study minutes".to_string(),
    };
    let totals = if r.total_minutes > 0 {
        format!("{} in {}", format_minutes(r.total_minutes), plural(r.studied_days, "study day"))
    } else {
        "nothing logged".to_string()
    };
    format!("{}, {} to {}: {totals}", out.bold(&what), r.from, r.to)
}

/// Month names above the columns where a month starts; the first column is
/// named too when there is room before the next name.
fn month_labels(columns: &[NaiveDate], cell: usize, from: NaiveDate, to: NaiveDate) -> String {
    let mut labels: Vec<(usize, String)> = Vec::new();
    for (c, week) in columns.iter().enumerate() {
        let first_of_month =
            (0..7).map(|d| *week + Duration::days(d)).find(|day| day.day() == 1 && *day >= from && *day <= to);
        if let Some(day) = first_of_month {
            labels.push((LABEL_WIDTH + c * cell, day.format("%b").to_string()));
        } else if c == 0 {
            let day = (*week).max(from);
            labels.push((LABEL_WIDTH, day.format("%b").to_string()));
        }
    }
    let mut line = String::new();
    for (i, (x, name)) in labels.iter().enumerate() {
        let next = labels.get(i + 1).map(|(x, _)| *x).unwrap_or(usize::MAX);
        if *x < line.len() || x + name.len() >= next {
            continue;
        }
        line.push_str(&" ".repeat(x - line.len()));
        line.push_str(name);
    }
    line
}

/// `less · ░ ▒ ▓ █ more   ░ 10m+  ▒ 30m+  ▓ 50m+  █ 1h10+  ◦ rest`.
fn legend(out: &Out, glyphs: &Glyphs, r: &HeatmapReport) -> String {
    let scale: Vec<String> = (0..5).map(|level| shade(out, glyphs, level)).collect();
    let mut line = format!("less {} more", scale.join(" "));
    if r.thresholds.is_empty() {
        line.push_str("   (no study in this window)");
    } else {
        // A shade whose threshold the next one repeats holds no day; it is left out.
        let parts: Vec<String> = r
            .thresholds
            .iter()
            .enumerate()
            .filter(|(i, t)| r.thresholds.get(i + 1) != Some(t))
            .map(|(i, t)| format!("{} {}+", shade(out, glyphs, i as u8 + 1), format_minutes(*t)))
            .collect();
        line.push_str("   ");
        line.push_str(&parts.join("  "));
    }
    // The rest glyph shows only on rest days without study.
    let unstudied_rest = r.days.iter().any(|d| d.minutes == 0 && r.rest_days.contains(&d.date));
    if unstudied_rest {
        line.push_str(&format!("  {} rest", glyphs.rest));
    }
    line
}
