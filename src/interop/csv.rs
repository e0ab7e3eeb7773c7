//! `export --format csv`: one table per call, RFC 4180 (CRLF line ends,
//! quotes where needed), a header row, UTF-8.
//!
//! Text a user typed is guarded against spreadsheet formula injection: a cell starting with `=`, `+`, `-` or `@`
//! (or a tab or carriage return, which some spreadsheets skip before one)
//! gets a leading `'`. Numbers, dates and instants learnlog formats itself
//! are never guarded, so a negative number stays a number.

use anyhow::Result;
use chrono::{FixedOffset, Offset, Utc};

use crate::domain::records::{Kind, Session};
use crate::report::pledges::PledgeView;
use crate::report::records::ItemView;

/// One cell: user text (guarded) or a value learnlog formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Value(String),
}

fn text(value: &str) -> Cell {
    Cell::Text(value.to_string())
}

fn opt_text(value: &Option<impl ToString>) -> Cell {
    Cell::Text(value.as_ref().map(ToString::to_string).unwrap_or_default())
}

fn value(value: impl ToString) -> Cell {
    Cell::Value(value.to_string())
}

fn opt_value<T: ToString>(value: &Option<T>) -> Cell {
    Cell::Value(value.as_ref().map(|v| v.to_string()).unwrap_or_default())
}

/// A header and rows of cells.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Table {
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// The formula-injection guard: a leading `'` where a spreadsheet would
/// start a formula.
pub fn guard(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// The table as RFC 4180 text.
pub fn write(table: &Table) -> Result<String> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    writer.write_record(&table.header)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(t) => guard(t),
            Cell::Value(v) => v.clone(),
        }))?;
    }
    let bytes = writer.into_inner().map_err(|e| anyhow::anyhow!("cannot write CSV: {e}"))?;
    Ok(String::from_utf8(bytes)?)
}

/// Sessions: one row each, oldest first.
pub fn sessions(sessions: &[Session]) -> Table {
    let header = vec![
        "number",
        "uuid",
        "study_day",
        "started_at",
        "minutes",
        "units",
        "target",
        "note",
        "level",
        "created_at",
        "updated_at",
    ];
    let rows = sessions
        .iter()
        .map(|s| {
            // The start in the offset it was logged in: what the learner's clock said.
            let started = s.started_at.map(|t| {
                let offset = FixedOffset::east_opt(s.utc_offset).unwrap_or(Utc.fix());
                t.with_timezone(&offset).to_rfc3339()
            });
            vec![
                value(s.number),
                value(&s.uuid),
                value(s.study_day),
                opt_value(&started),
                value(s.minutes),
                value(s.units),
                opt_text(&s.target),
                opt_text(&s.note),
                opt_text(&s.level),
                value(s.created_at.to_rfc3339()),
                value(s.updated_at.to_rfc3339()),
            ]
        })
        .collect();
    Table { header, rows }
}

/// The amount of a price without its currency (`49.99`).
fn amount(money: &crate::domain::money::Money) -> String {
    money.to_string().split(' ').next().unwrap_or_default().to_string()
}

/// Columns every kind starts with, and those it ends with.
const ITEM_HEAD: [&str; 4] = ["uuid", "slug", "title", "status"];
const ITEM_TAIL: [&str; 4] = ["ended_on", "end_reason", "created_at", "updated_at"];

const GOAL_COLUMNS: &[&str] = &["why", "by"];
const COURSE_COLUMNS: &[&str] = &[
    "platform",
    "url",
    "track",
    "price",
    "currency",
    "units_total",
    "units_done",
    "unit_name",
    "weeks",
    "start_date",
    "deadline",
    "intent",
    "goal",
    "minutes",
    "credential_url",
    "score",
];
const PROJECT_COLUMNS: &[&str] = &["url", "description", "skills", "goal", "courses", "due_date", "minutes"];

/// Goals, courses or projects (the rows must all be of `kind`).
pub fn items(kind: Kind, views: &[ItemView]) -> Table {
    let middle = match kind {
        Kind::Goal => GOAL_COLUMNS,
        Kind::Course => COURSE_COLUMNS,
        Kind::Project => PROJECT_COLUMNS,
    };
    let header = ITEM_HEAD.iter().chain(middle).chain(&ITEM_TAIL).copied().collect();
    let rows = views
        .iter()
        .map(|v| {
            let i = &v.item;
            let mut row = vec![value(&i.uuid), text(&i.slug), text(&i.title), value(i.status)];
            row.extend(match kind {
                Kind::Goal => vec![opt_text(&i.description), opt_value(&i.due_date)],
                Kind::Course => course_cells(v),
                Kind::Project => project_cells(v),
            });
            row.extend([
                opt_value(&i.ended_on),
                opt_text(&i.end_reason),
                value(i.created_at.to_rfc3339()),
                value(i.updated_at.to_rfc3339()),
            ]);
            row
        })
        .collect();
    Table { header, rows }
}

/// The cells of [`COURSE_COLUMNS`].
fn course_cells(v: &ItemView) -> Vec<Cell> {
    let i = &v.item;
    vec![
        opt_text(&i.platform),
        opt_text(&i.url),
        opt_value(&i.track),
        opt_value(&i.price.as_ref().map(amount)),
        opt_value(&i.price.as_ref().map(|p| p.currency.clone())),
        opt_value(&i.units_total),
        value(v.units_done),
        opt_text(&i.unit_name),
        opt_value(&i.weeks),
        opt_value(&i.start_date),
        opt_value(&i.due_date),
        opt_value(&i.intent),
        opt_text(&i.goal),
        value(v.minutes),
        opt_text(&i.credential_url),
        opt_value(&i.score),
    ]
}

/// The cells of [`PROJECT_COLUMNS`].
fn project_cells(v: &ItemView) -> Vec<Cell> {
    let i = &v.item;
    vec![
        opt_text(&i.url),
        opt_text(&i.description),
        text(&i.skills.join(", ")),
        opt_text(&i.goal),
        text(&i.courses.join(" ")),
        opt_value(&i.due_date),
        value(v.minutes),
    ]
}

/// Pledges with the rate in force today.
pub fn pledges(pledges: &[PledgeView]) -> Table {
    let header = vec![
        "number",
        "uuid",
        "target",
        "rate",
        "status",
        "stake",
        "referee",
        "from",
        "until",
        "pending_rate",
        "pending_from",
    ];
    let rows = pledges
        .iter()
        .map(|p| {
            vec![
                value(p.id),
                value(&p.uuid),
                text(&p.target),
                opt_value(&p.rate),
                value(p.status.as_str()),
                opt_text(&p.stake),
                opt_text(&p.referee),
                value(p.from),
                opt_value(&p.until),
                opt_value(&p.pending.as_ref().and_then(|c| c.rate)),
                opt_value(&p.pending.as_ref().map(|c| c.effective_from)),
            ]
        })
        .collect();
    Table { header, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guard_prefixes_formula_starts() {
        assert_eq!(guard("=SUM(A1:A2)"), "'=SUM(A1:A2)");
        assert_eq!(guard("+1"), "'+1");
        assert_eq!(guard("-cmd"), "'-cmd");
        assert_eq!(guard("@x"), "'@x");
        assert_eq!(guard("\tx"), "'\tx");
        assert_eq!(guard("plain = text"), "plain = text");
        assert_eq!(guard(""), "");
    }

    #[test]
    fn rfc_4180_quoting_and_line_ends() {
        let table = Table {
            header: vec!["a", "b"],
            rows: vec![vec![text("x, y"), text("say \"hi\"\nbye")], vec![text("=1+1"), value(-5)]],
        };
        let out = write(&table).unwrap();
        assert_eq!(out, "a,b\r\n\"x, y\",\"say \"\"hi\"\"\nbye\"\r\n'=1+1,-5\r\n");
    }
}
