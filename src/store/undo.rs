//! The change journal. Triggers (see sql/0001_init.sql) record the image of
//! every row a change inserts, updates or deletes, and of an updated row the
//! image after it too (sql/0008_undo_new_images.sql); `undo` puts back what
//! the change did, and only that.
//!
//! A device's table rows also receive what sync pulls from other devices
//! (unjournaled), so by the time `undo` runs a row may hold other edits made
//! after the change. Undo reverses exactly the change:
//! - an updated row gets back the old value of each column the change
//!   modified that still holds the value the change wrote; a column another
//!   device changed since keeps that newer value (its edit is not lost, here
//!   or, through the change log, anywhere else);
//! - a deleted row comes back whole (a pulled edit cannot have touched it:
//!   a deletion wins over edits, docs/sync.md);
//! - an inserted row is deleted, even when a pulled edit changed it since:
//!   undoing an `add` means the record should not exist, and the deletion
//!   travels and wins over those edits on every device, as `rm` would.

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};

use super::{instant_text, parse_instant};

/// Tables the journal covers; undo refuses anything else.
const JOURNALED: &[&str] =
    &["items", "project_courses", "sessions", "rest_days", "pledges", "pledge_rates", "settlements"];

pub use crate::domain::records::Change;

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
    let entries: Vec<Entry> = {
        let mut stmt = conn
            .prepare("SELECT tbl, op, row_id, old_row, new_row FROM undo_log WHERE change_id = ?1 ORDER BY seq DESC")?;
        let rows = stmt.query_map([change.id], |r| {
            Ok(Entry { table: r.get(0)?, op: r.get(1)?, row_id: r.get(2)?, old_row: r.get(3)?, new_row: r.get(4)? })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let high_water: i64 = conn.query_row("SELECT coalesce(max(seq), 0) FROM undo_log", [], |r| r.get(0))?;
    // Restored rows may reference each other in any order; check at commit.
    conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    // Newest first: a row the change updated twice is walked back step by
    // step, each step finding the values the next one restored.
    for entry in entries {
        let Entry { table, op, row_id, old_row, new_row } = entry;
        let table = JOURNALED
            .iter()
            .find(|t| **t == table)
            .ok_or_else(|| anyhow!("the undo journal names an unknown table '{table}'"))?;
        match (op.as_str(), old_row, new_row) {
            ("insert", _, _) => {
                conn.execute(&format!("DELETE FROM {table} WHERE id = ?1"), [row_id])?;
            }
            ("update", Some(old), Some(new)) => revert_update(conn, table, row_id, &old, &new)?,
            // Journaled before updates kept their new image: the whole row.
            ("update", Some(old), None) => restore_row(conn, table, &old, true)?,
            (_, Some(old), _) => restore_row(conn, table, &old, false)?,
            (_, None, _) => return Err(anyhow!("the undo journal lacks a row image for {table} #{row_id}")),
        }
    }
    // Forget the change and whatever the restoring itself journaled.
    conn.execute("DELETE FROM undo_log WHERE change_id = ?1 OR seq > ?2", params![change.id, high_water])?;
    conn.execute("DELETE FROM changes WHERE id = ?1", [change.id])?;
    Ok(Some(change))
}

/// One row image the journal holds for a change.
struct Entry {
    table: String,
    op: String,
    row_id: i64,
    old_row: Option<String>,
    new_row: Option<String>,
}

type Image = serde_json::Map<String, serde_json::Value>;

fn parse_image(text: &str) -> Result<Image> {
    serde_json::from_str(text).context("a row image in the undo journal is not valid JSON")
}

/// Reverses one update of row `row_id`: each column the update modified
/// (its images differ) and that still holds what the update wrote gets its
/// old value back. A column changed since (by a pulled edit) keeps its
/// value; a row deleted since stays deleted. Writes only those columns, so
/// the change log records only them as the undo's change.
fn revert_update(conn: &Connection, table: &str, row_id: i64, old: &str, new: &str) -> Result<()> {
    let (old, new) = (parse_image(old)?, parse_image(new)?);
    let columns = table_columns(conn, table)?;
    // The current row through the same json_object as the images, so that
    // equal values compare equal (numbers and text alike).
    let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {c}")).collect();
    let current: Option<String> = conn
        .query_row(&format!("SELECT json_object({}) FROM {table} WHERE id = ?1", pairs.join(", ")), [row_id], |r| {
            r.get(0)
        })
        .optional()?;
    let Some(current) = current else { return Ok(()) };
    let current = parse_image(&current)?;
    let null = serde_json::Value::Null;
    let mut sets = Vec::new();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    for column in &columns {
        let (before, after) = (old.get(column).unwrap_or(&null), new.get(column).unwrap_or(&null));
        if before != after && current.get(column).unwrap_or(&null) == after {
            values.push(json_to_sql(before.clone()));
            sets.push(format!("{column} = ?{}", values.len()));
        }
    }
    if sets.is_empty() {
        return Ok(());
    }
    values.push(rusqlite::types::Value::Integer(row_id));
    let sql = format!("UPDATE {table} SET {} WHERE id = ?{}", sets.join(", "), values.len());
    conn.execute(&sql, rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Puts a row image (a JSON object of column → value) back: over the row
/// (an update) or as a new row again (a delete). Column names come from the
/// schema, values are bound.
fn restore_row(conn: &Connection, table: &str, image: &str, over_existing: bool) -> Result<()> {
    let object = parse_image(image)?;
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

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use uuid::Uuid;

    use super::*;
    use crate::store::Db;
    use crate::store::sync::{self, Pulled};

    fn at(minutes: i64) -> DateTime<Utc> {
        "2026-11-23T10:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::minutes(minutes)
    }

    fn device(byte: u8) -> (Db, Uuid) {
        let db = Db::empty().unwrap();
        let id = Uuid::from_bytes([byte; 16]);
        sync::enable(db.conn(), id, "ana", at(0)).unwrap();
        (db, id)
    }

    /// Applies what `from` has not yet given `to`, the way `sync` does.
    fn pull(to: &mut Db, from: &mut Db, device: Uuid, now: DateTime<Utc>) {
        let first = sync::cursors(to.conn()).unwrap().get(&device).map_or(0, |(seq, _)| *seq) + 1;
        let last = from.sync_write(|c| sync::number_pending(c, 100, now, &mut || Ok(vec![0; 24]))).unwrap();
        let batches: Vec<Pulled> = (first..=last)
            .map(|seq| Pulled { device, seq, batch: sync::batch(from.conn(), seq).unwrap().unwrap().0 })
            .collect();
        to.sync_write(|c| sync::apply(c, batches, now, &mut |_, _| {})).unwrap();
    }

    fn write(db: &mut Db, summary: &str, now: DateTime<Utc>, sql: &str) {
        db.write(summary, now, |c| {
            c.execute_batch(sql)?;
            Ok(())
        })
        .unwrap();
    }

    fn course(db: &Db) -> Option<(String, Option<String>, String)> {
        db.conn()
            .query_row("SELECT title, platform, updated_at FROM items WHERE uuid = 'c1'", [], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()
            .unwrap()
    }

    fn undo(db: &mut Db, now: DateTime<Utc>) -> Change {
        db.write_unjournaled(now, undo_last).unwrap().expect("a change to undo")
    }

    /// The fields of this device's newest captured change.
    fn last_captured(db: &Db) -> (String, Option<String>) {
        sync::flush_outbox(db.conn()).unwrap();
        db.conn()
            .query_row("SELECT op, data FROM sync_changes WHERE device IS NULL ORDER BY id DESC LIMIT 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    }

    const ADD: &str = "INSERT INTO items (uuid, kind, slug, title, status, created_at, updated_at)
                       VALUES ('c1', 'course', 'ml', 'ML', 'active', 'a0', 'a0')";

    #[test]
    fn undo_after_a_pull_reverses_only_the_columns_its_change_wrote() {
        let (mut a, da) = device(1);
        let (mut b, db_) = device(2);
        write(&mut a, "add course", at(1), ADD);
        pull(&mut b, &mut a, da, at(2));
        write(
            &mut a,
            "edit ml",
            at(3),
            "UPDATE items SET title = 'Machine Learning', updated_at = 'a3' WHERE uuid = 'c1'",
        );
        write(&mut b, "edit ml", at(4), "UPDATE items SET platform = 'Coursera', updated_at = 'b4' WHERE uuid = 'c1'");
        pull(&mut a, &mut b, db_, at(5));
        assert_eq!(course(&a), Some(("Machine Learning".into(), Some("Coursera".into()), "b4".into())));

        let undone = undo(&mut a, at(6));
        assert_eq!(undone.summary, "edit ml");
        // The title is back; b's platform (and its later updated_at) stay.
        assert_eq!(course(&a), Some(("ML".into(), Some("Coursera".into()), "b4".into())));
        // What travels is the title alone, not b's fields put back.
        assert_eq!(last_captured(&a), ("update".into(), Some(r#"{"title":"ML"}"#.into())));
        let journal: i64 = a.conn().query_row("SELECT count(*) FROM undo_log", [], |r| r.get(0)).unwrap();
        assert_eq!(journal, 1, "only the add's entry is left");

        // And b, pulling the undo, ends the same.
        pull(&mut b, &mut a, da, at(7));
        assert_eq!(course(&b), course(&a));
    }

    #[test]
    fn undo_without_a_pull_restores_every_column_its_change_wrote() {
        let mut db = Db::empty().unwrap();
        write(&mut db, "add course", at(1), ADD);
        // One change updating the row twice: undo walks both steps back.
        write(
            &mut db,
            "edit ml",
            at(2),
            "UPDATE items SET title = 'Machine Learning', updated_at = 'a2' WHERE uuid = 'c1';
             UPDATE items SET title = 'ML (Coursera)', platform = 'Coursera', status = 'paused' WHERE uuid = 'c1';",
        );
        undo(&mut db, at(3));
        assert_eq!(course(&db), Some(("ML".into(), None, "a0".into())));
        let status: String = db.conn().query_row("SELECT status FROM items", [], |r| r.get(0)).unwrap();
        assert_eq!(status, "active");
        undo(&mut db, at(4));
        assert_eq!(course(&db), None);
        assert!(db.write_unjournaled(at(5), undo_last).unwrap().is_none());
    }

    #[test]
    fn a_column_a_pull_changed_after_the_undone_change_keeps_the_pulled_value() {
        let (mut a, da) = device(1);
        let (mut b, db_) = device(2);
        write(&mut a, "add course", at(1), ADD);
        pull(&mut b, &mut a, da, at(2));
        write(&mut a, "edit ml", at(3), "UPDATE items SET title = 'Machine Learning' WHERE uuid = 'c1'");
        pull(&mut b, &mut a, da, at(4));
        // b renames it again after a's edit: that later title stays.
        write(&mut b, "edit ml", at(5), "UPDATE items SET title = 'Deep Learning' WHERE uuid = 'c1'");
        pull(&mut a, &mut b, db_, at(6));
        undo(&mut a, at(7));
        assert_eq!(course(&a).map(|c| c.0), Some("Deep Learning".into()));
        // Nothing was left to reverse: nothing new travels.
        assert_eq!(last_captured(&a), ("update".into(), Some(r#"{"title":"Machine Learning"}"#.into())));
    }

    #[test]
    fn undo_of_an_add_deletes_the_record_even_after_a_pulled_edit() {
        let (mut a, da) = device(1);
        let (mut b, db_) = device(2);
        write(&mut a, "add course", at(1), ADD);
        pull(&mut b, &mut a, da, at(2));
        write(&mut b, "edit ml", at(3), "UPDATE items SET platform = 'Coursera' WHERE uuid = 'c1'");
        pull(&mut a, &mut b, db_, at(4));
        undo(&mut a, at(5));
        assert_eq!(course(&a), None);
        assert_eq!(last_captured(&a), ("delete".into(), None));
        pull(&mut b, &mut a, da, at(6));
        assert_eq!(course(&b), None, "the deletion wins over the edit it follows");
    }

    #[test]
    fn an_update_journaled_without_its_new_image_restores_the_whole_row() {
        let mut db = Db::empty().unwrap();
        write(&mut db, "add course", at(1), ADD);
        write(&mut db, "edit ml", at(2), "UPDATE items SET title = 'Machine Learning' WHERE uuid = 'c1'");
        // What an entry journaled before version 8 looks like.
        db.conn().execute("UPDATE undo_log SET new_row = NULL WHERE op = 'update'", []).unwrap();
        db.sync_write(|c| {
            c.execute("UPDATE items SET platform = 'Coursera' WHERE uuid = 'c1'", [])?;
            Ok(())
        })
        .unwrap();
        undo(&mut db, at(3));
        assert_eq!(course(&db), Some(("ML".into(), None, "a0".into())));
    }

    /// Each journal trigger's images hold every column of its table: a
    /// column missing from them would be lost on undo (or, from the new
    /// image, never put back). A migration adding a column must recreate
    /// the triggers.
    #[test]
    fn journal_images_name_every_column() {
        let db = Db::empty().unwrap();
        let conn = db.conn();
        for table in JOURNALED {
            let trigger = |op: &str| -> String {
                conn.query_row(
                    "SELECT sql FROM sqlite_master WHERE name = ?1",
                    [format!("{table}_journal_{op}")],
                    |r| r.get(0),
                )
                .unwrap()
            };
            let (update, delete) = (trigger("update"), trigger("delete"));
            assert!(update.contains("new_row"), "{table}: {update}");
            for column in table_columns(conn, table).unwrap() {
                for (sql, row) in [(&update, "OLD"), (&update, "NEW"), (&delete, "OLD")] {
                    assert!(sql.contains(&format!("'{column}', {row}.{column}")), "{table}.{column} ({row}): {sql}");
                }
            }
        }
    }
}
