//! Tables and detail views of goals, courses, projects, sessions, rest days
//! and the undo journal.

use anyhow::Result;
use chrono::{FixedOffset, Offset, Utc};

use super::{minutes_or_dash, plural};
use crate::domain::parse::format_minutes;
use crate::domain::records::{Kind, RestDay, Session};
use crate::output::Out;
use crate::report::records::ItemView;
use crate::store::undo::Change;

pub fn item_table(out: &mut Out, kind: Kind, rows: &[ItemView]) -> Result<()> {
    if rows.is_empty() {
        return out.prose(format!("No {kind}s. `learnlog add {kind} TITLE` adds one; `--all` shows finished ones."));
    }
    let header: &[&str] = match kind {
        Kind::Goal => &["ref", "title", "status", "by"],
        Kind::Course => &["ref", "title", "platform", "status", "progress", "time", "deadline"],
        Kind::Project => &["ref", "title", "status", "skills", "time", "due"],
    };
    let mut table = out.table(header);
    // Titles are cut first, then references; dates and amounts never.
    table.cut_reference(&[0]).cut_text(&[1]);
    match kind {
        Kind::Goal => table.keep(&[3]),
        Kind::Course => table.keep(&[4, 5, 6]).droppable(&[2]),
        Kind::Project => table.keep(&[4, 5]),
    };
    for row in rows {
        let item = &row.item;
        let date = item.due_date.map(|d| d.to_string()).unwrap_or_else(|| "-".into());
        let cells: Vec<String> = match kind {
            Kind::Goal => vec![item.slug.clone(), item.title.clone(), item.status.clone(), date],
            Kind::Course => vec![
                item.slug.clone(),
                item.title.clone(),
                item.platform.clone().unwrap_or_else(|| "-".into()),
                item.status.clone(),
                match item.units_total {
                    Some(total) => format!("{}/{total}", row.units_done),
                    None if row.units_done > 0 => row.units_done.to_string(),
                    None => "-".into(),
                },
                minutes_or_dash(row.minutes),
                date,
            ],
            Kind::Project => vec![
                item.slug.clone(),
                item.title.clone(),
                item.status.clone(),
                if item.skills.is_empty() { "-".into() } else { item.skills.join(", ") },
                minutes_or_dash(row.minutes),
                date,
            ],
        };
        table.add_row(cells);
    }
    out.print_table(&table)
}

pub fn item_detail(out: &mut Out, view: &ItemView) -> Result<()> {
    let item = &view.item;
    out.prose(out.bold(&format!("{} ({} {})", item.title, item.kind, item.slug)))?;
    let mut field = |name: &str, value: Option<String>| -> Result<()> {
        match value {
            Some(v) if !v.is_empty() => out.prose(format!("  {name:<12} {v}")),
            _ => Ok(()),
        }
    };
    field(
        "status",
        Some(match item.ended_on {
            Some(day) => format!("{} on {day}", item.status),
            None => item.status.clone(),
        }),
    )?;
    field("reason", item.end_reason.clone())?;
    field(if item.kind == Kind::Goal { "why" } else { "description" }, item.description.clone())?;
    field("goal", item.goal.clone())?;
    field("platform", item.platform.clone())?;
    field("url", item.url.clone())?;
    field("track", item.track.clone())?;
    field("intent", item.intent.clone())?;
    field("price", item.price.as_ref().map(|p| p.to_string()))?;
    let unit = item.unit_name.clone().unwrap_or_else(|| "units".into());
    if item.kind == Kind::Course {
        field(
            "progress",
            Some(match item.units_total {
                Some(total) => format!("{}/{total} {unit}", view.units_done),
                None => format!("{} {unit}", view.units_done),
            }),
        )?;
    }
    field("weeks", item.weeks.map(|w| w.to_string()))?;
    field("start", item.start_date.map(|d| d.to_string()))?;
    let due_name = match item.kind {
        Kind::Goal => "by",
        Kind::Course => "deadline",
        Kind::Project => "due",
    };
    field(due_name, item.due_date.map(|d| d.to_string()))?;
    field("skills", (!item.skills.is_empty()).then(|| item.skills.join(", ")))?;
    field("courses", (!item.courses.is_empty()).then(|| item.courses.join(", ")))?;
    field("credential", item.credential_url.clone())?;
    field("score", item.score.map(|s| s.to_string()))?;
    field("time", Some(format!("{} in {}", format_minutes(view.minutes), plural(view.sessions, "session"))))?;
    field("uuid", Some(item.uuid.clone()))?;
    Ok(())
}

pub fn session_table(out: &mut Out, sessions: &[Session]) -> Result<()> {
    if sessions.is_empty() {
        return out.prose("No sessions. `learnlog checkin [REF] [DURATION]` logs one.");
    }
    let mut table = out.table(&["#", "day", "start", "time", "on", "units", "note"]);
    table.keep(&[0, 1, 2, 3, 5]).cut_reference(&[4]).cut_text(&[6]);
    for s in sessions {
        let start = s
            .started_at
            .map(|t| t.with_timezone(&logged_offset(s)).format("%H:%M").to_string())
            .unwrap_or_else(|| "-".into());
        table.add_row(vec![
            s.number.to_string(),
            s.study_day.to_string(),
            start,
            if s.minutes == 0 { "-".into() } else { format_minutes(s.minutes) },
            s.target.clone().unwrap_or_else(|| "-".into()),
            units_cell(s),
            s.note.clone().unwrap_or_default(),
        ]);
    }
    out.print_table(&table)
}

/// Times are shown in the offset the session was logged in, so history
/// reads the same after travel or a change of time zone.
fn logged_offset(s: &Session) -> FixedOffset {
    FixedOffset::east_opt(s.utc_offset).unwrap_or_else(|| Utc.fix())
}

pub fn session_detail(out: &mut Out, s: &Session) -> Result<()> {
    out.prose(out.bold(&format!("Session #{}", s.number)))?;
    out.prose(format!("  {:<12} {}", "day", s.study_day))?;
    if let Some(start) = s.started_at {
        out.prose(format!(
            "  {:<12} {}",
            "started",
            start.with_timezone(&logged_offset(s)).format("%Y-%m-%d %H:%M %:z")
        ))?;
    }
    out.prose(format!("  {:<12} {}", "time", format_minutes(s.minutes)))?;
    out.prose(format!("  {:<12} {}", "on", s.target.as_deref().unwrap_or("general study")))?;
    if let Some(done) = s.progress_to {
        out.prose(format!("  {:<12} set to {done} done", "units"))?;
    } else if s.units != 0 {
        out.prose(format!("  {:<12} {}", "units", s.units))?;
    }
    if let Some(level) = &s.level {
        out.prose(format!("  {:<12} {level}", "level"))?;
    }
    if let Some(note) = &s.note {
        out.prose(format!("  {:<12} {note}", "note"))?;
    }
    out.prose(format!("  {:<12} {}", "uuid", s.uuid))
}

pub fn rest_table(out: &mut Out, days: &[RestDay]) -> Result<()> {
    if days.is_empty() {
        return out.prose("No rest days ahead. `learnlog rest DATE` declares one in advance.");
    }
    let mut table = out.table(&["day", "weekday", "reason"]);
    table.keep(&[0]).cut_text(&[2]);
    for d in days {
        table.add_row(vec![d.day.to_string(), d.day.format("%a").to_string(), d.reason.clone().unwrap_or_default()]);
    }
    out.print_table(&table)
}

pub fn change_table(out: &mut Out, changes: &[Change]) -> Result<()> {
    if changes.is_empty() {
        return out.prose("Nothing to undo.");
    }
    let mut table = out.table(&["#", "when (UTC)", "change"]);
    table.keep(&[0]).cut_text(&[2]);
    for c in changes {
        table.add_row(vec![c.id.to_string(), c.at.format("%Y-%m-%d %H:%M").to_string(), c.summary.clone()]);
    }
    out.print_table(&table)
}

/// A session's units: what it added, or `=N` for a progress mark that set
/// the units done to N.
fn units_cell(s: &Session) -> String {
    match s.progress_to {
        Some(done) => format!("={done}"),
        None if s.units == 0 => "-".into(),
        None => s.units.to_string(),
    }
}
