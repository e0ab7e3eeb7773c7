//! The change journal. Triggers (see sql/0001_init.sql) record the image of
//! every row a change inserts, updates or deletes; `undo` puts them back.

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{instant_text, parse_instant};

/// Tables the journal covers; undo refuses anything else.
const JOURNALED: &[&str] =
    &["items", "project_courses", "sessions", "rest_days", "pledges", "pledge_rates", "settlements"];

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub summary: String,
}

/// Opens a change: the triggers attach every row image to the newest change.
/// Keeps only the last `depth` changes.
pub(crate) fn begin_change(conn: &Connection, summary: &str, now: DateTime<Utc>, depth: i64) -> Result<()> {
    conn.execute("INSERT INTO changes (at, summary) VALUES (?1, ?2)", params![instant_text(now), summary])?;
    let newest = conn.last_insert_rowid();
    let oldest_kept = newest - depth;
    if oldest_kept > 0 && newest % 16 == 0 {
        // Pruning every 16th change keeps a check-in to one small insert.
        conn.execute("DELETE FROM undo_log WHERE change_id <= ?1", [oldest_kept])?;
        conn.execute("DELETE FROM changes WHERE id <= ?1", [oldest_kept])?;
    }
    Ok(())
}

/// Changes undo can reverse, newest first.
pub fn list(conn: &Connection, limit: usize) -> Result<Vec<Change>> {
    let mut stmt = conn.prepare("SELECT id, at, summary FROM changes ORDER BY id DESC LIMIT ?1")?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(Change { id: r.get(0)?, at: parse_instant(&r.get::<_, String>(1)?)?, summary: r.get(2)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Reverses the newest change and forgets it. Returns it, or `None` when
/// there is nothing to undo. Runs inside the caller's transaction.
pub fn undo_last(conn: &Connection) -> Result<Option<Change>> {
    let change = conn
        .query_row("SELECT id, at, summary FROM changes ORDER BY id DESC LIMIT 1", [], |r| {
            Ok(Change { id: r.get(0)?, at: parse_instant(&r.get::<_, String>(1)?)?, summary: r.get(2)? })
        })
        .optional()?;
    let Some(change) = change else { return Ok(None) };
    let entries: Vec<(i64, String, String, i64, Option<String>)> = {
        let mut stmt =
            conn.prepare("SELECT seq, tbl, op, row_id, old_row FROM undo_log WHERE change_id = ?1 ORDER BY seq DESC")?;
        let rows = stmt.query_map([change.id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let high_water: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM undo_log", [], |r| r.get(0))?;
    // Restored rows may reference each other in any order; check at commit.
    conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    for (_, table, op, row_id, old_row) in entries {
        let table = JOURNALED
            .iter()
            .find(|t| **t == table)
            .ok_or_else(|| anyhow!("the undo journal names an unknown table '{table}'"))?;
        match (op.as_str(), old_row) {
            ("insert", _) => {
                conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [row_id])?;
            }
            (op, Some(image)) => restore_row(conn, table, &image, op == "update")?,
            (_, None) => return Err(anyhow!("the undo journal lacks a row image for {table} #{row_id}")),
        }
    }
    // Forget the change and whatever the restoring itself journaled.
    conn.execute("DELETE FROM undo_log WHERE change_id = ?1 OR seq > ?2", params![change.id, high_water])?;
    conn.execute("DELETE FROM changes WHERE id = ?1", [change.id])?;
    Ok(Some(change))
}

/// Puts a row image (a JSON object of column → value) back: over the row
/// (an update) or as a new row again (a delete). Column names come from the
/// schema, values are bound.
fn restore_row(conn: &Connection, table: &str, image: &str, over_existing: bool) -> Result<()> {
    let object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(image).context("a row image in the undo journal is not valid JSON")?;
    let columns = table_columns(conn, table)?;
    let mut names = Vec::new();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    for column in &columns {
        let value = object.get(column).cloned().unwrap_or(serde_json::Value::Null);
        names.push(column.as_str());
        values.push(json_to_sql(value));
    }
    let sql = if over_existing {
        let id_at = names.iter().position(|n| *n == "id").ok_or_else(|| anyhow!("{table} has no id column"))?;
        let sets: Vec<String> = names.iter().enumerate().map(|(i, n)| format!("{n} = ?{}", i + 1)).collect();
        format!("UPDATE {table} SET {} WHERE id = ?{}", sets.join(", "), id_at + 1)
    } else {
        let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
        format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "))
    };
    conn.execute(&sql, rusqlite::params_from_iter(values))?;
    Ok(())
}

fn table_columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let names = stmt.query_map([], |r| r.get::<_, String>(1))?;
    Ok(names.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn json_to_sql(value: serde_json::Value) -> rusqlite::types::Value {
    use rusqlite::types::Value;
    match value {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Integer(i64::from(b)),
        serde_json::Value::Number(n) => match n.as_i64() {
            Some(i) => Value::Integer(i),
            None => Value::Real(n.as_f64().unwrap_or(0.0)),
        },
        serde_json::Value::String(s) => Value::Text(s),
        other => Value::Text(other.to_string()),
    }
}
