//! The local side of sync, all its SQL: the state row, the outbox the
//! capture triggers fill and the change log it is moved into, batches for
//! the server, and applying pulled changes by the merge rules of
//! `sync::merge` (docs/sync.md).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use uuid::Uuid;

use super::{instant_text, parse_instant};
use crate::sync::change::{Batch, Change, Fields, Op};
use crate::sync::hlc::Hlc;
use crate::sync::merge::{RecordState, SlugClaim, fold, resolve_slugs};

/// The tables that travel, parents before children (the order changes are
/// applied in). `changes`/`undo_log` are this device's undo journal and
/// `day_totals` is kept by triggers: neither travels.
pub const SYNCED: &[&str] =
    &["items", "project_courses", "sessions", "rest_days", "pledges", "pledge_rates", "settlements"];

/// The one table whose rows have no uuid: a link is named by its two ends.
const LINKS: &str = "project_courses";

/// A column of a synced table, as the capture triggers see it.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    /// The table a foreign key points at, and whether its rows go with it.
    reference: Option<(String, bool)>,
}

fn columns(conn: &Connection, table: &str) -> Result<Vec<Column>> {
    let mut references: HashMap<String, (String, bool)> = HashMap::new();
    let mut stmt = conn.prepare(&format!("PRAGMA foreign_key_list({table})"))?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(3)?, r.get::<_, String>(2)?, r.get::<_, String>(6)?)))?;
    for row in rows {
        let (from, to, on_delete) = row?;
        references.insert(from, (to, on_delete.eq_ignore_ascii_case("CASCADE")));
    }
    let mut stmt = conn.prepare(&format!("PRAGMA table_info({table})"))?;
    let names = stmt.query_map([], |r| r.get::<_, String>(1))?;
    let mut columns = Vec::new();
    for name in names {
        let name = name?;
        if name == "id" || name == "uuid" {
            continue;
        }
        let reference = references.get(&name).cloned();
        columns.push(Column { name, reference });
    }
    Ok(columns)
}

/// The SQL value of a column of row `row` as it travels: a reference
/// becomes the uuid of the row it names.
fn travelling_value(column: &Column, row: &str) -> String {
    match &column.reference {
        Some((table, _)) => format!("(SELECT uuid FROM {table} WHERE id = {row}.{})", column.name),
        None => format!("{row}.{}", column.name),
    }
}

fn record_expr(table: &str, row: &str) -> String {
    if table == LINKS {
        format!(
            "(SELECT uuid FROM items WHERE id = {row}.project_id) || ':' || (SELECT uuid FROM items WHERE id = {row}.course_id)"
        )
    } else {
        format!("{row}.uuid")
    }
}

fn object_expr(columns: &[Column], row: &str) -> String {
    let pairs: Vec<String> = columns.iter().map(|c| format!("'{}', {}", c.name, travelling_value(c, row))).collect();
    format!("json_object({})", pairs.join(", "))
}

/// The capture triggers of one table: each local insert, update (only the
/// fields that changed) and delete becomes one row of `sync_outbox`,
/// stamped with the transaction's clock (the newest row there, which
/// `stamp` appended), while sync is set up.
fn trigger_sql(table: &str, columns: &[Column]) -> String {
    let on = "(SELECT capture FROM sync_state)";
    // A write that was not stamped (none should be) still gets a valid clock.
    let hlc = "coalesce((SELECT hlc FROM sync_outbox ORDER BY id DESC LIMIT 1), (SELECT hlc FROM sync_state))";
    let changed: Vec<String> = columns.iter().map(|c| format!("OLD.{0} IS NOT NEW.{0}", c.name)).collect();
    let changed_fields: Vec<String> = columns
        .iter()
        .map(|c| {
            format!("SELECT '{0}' AS k, {1} AS v WHERE OLD.{0} IS NOT NEW.{0}", c.name, travelling_value(c, "NEW"))
        })
        .collect();
    // A link whose ends are gone went with them: nothing to record.
    let old_exists =
        if table == LINKS { format!(" AND {} IS NOT NULL", record_expr(table, "OLD")) } else { String::new() };
    format!(
        "CREATE TRIGGER {table}_sync_insert AFTER INSERT ON {table} WHEN {on} BEGIN
    INSERT INTO sync_outbox (hlc, tbl, record, op, data) VALUES ({hlc}, '{table}', {new_record}, 'insert', {new_object});
END;
CREATE TRIGGER {table}_sync_update AFTER UPDATE ON {table} WHEN {on} AND ({changed}) BEGIN
    INSERT INTO sync_outbox (hlc, tbl, record, op, data) VALUES ({hlc}, '{table}', {new_record}, 'update',
        (SELECT json_group_object(k, v) FROM ({changed_fields})));
END;
CREATE TRIGGER {table}_sync_delete AFTER DELETE ON {table} WHEN {on}{old_exists} BEGIN
    INSERT INTO sync_outbox (hlc, tbl, record, op) VALUES ({hlc}, '{table}', {old_record}, 'delete');
END;
",
        new_record = record_expr(table, "NEW"),
        old_record = record_expr(table, "OLD"),
        new_object = object_expr(columns, "NEW"),
        changed = changed.join(" OR "),
        changed_fields = changed_fields.join(" UNION ALL "),
    )
}

/// (Re)creates the capture triggers from the schema as it is now. Runs after
/// every migration, so a column added later travels too.
pub(crate) fn install_triggers(conn: &Connection) -> Result<()> {
    let existing: Vec<String> = {
        let mut stmt = conn.prepare(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%\\_sync\\_%' ESCAPE '\\'",
        )?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for name in existing {
        conn.execute_batch(&format!("DROP TRIGGER \"{}\"", name.replace('"', "")))?;
    }
    for table in SYNCED {
        let columns = columns(conn, table)?;
        conn.execute_batch(&trigger_sql(table, &columns))
            .with_context(|| format!("cannot make the sync triggers of {table}"))?;
    }
    Ok(())
}

// ---- state ------------------------------------------------------------------

#[derive(Debug, Clone)]
pub struct State {
    pub device: Uuid,
    pub owner: String,
    pub hlc: Hlc,
    pub pushed_seq: i64,
    pub last_sync: Option<DateTime<Utc>>,
    pub skew_seconds: Option<i64>,
}

pub fn state(conn: &Connection) -> Result<Option<State>> {
    let row = conn
        .query_row(
            &format!("SELECT device, owner, {CLOCK}, pushed_seq, last_sync, skew_seconds FROM sync_state"),
            [],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                ))
            },
        )
        .optional()?;
    let Some((device, owner, hlc, pushed_seq, last_sync, skew_seconds)) = row else { return Ok(None) };
    let device = Uuid::parse_str(&device).context("the sync state names no valid device")?;
    let hlc = Hlc::parse(&hlc).ok_or_else(|| anyhow!("the sync state holds no valid clock"))?;
    let last_sync = last_sync.as_deref().map(parse_instant).transpose()?;
    Ok(Some(State { device, owner, hlc, pushed_seq, last_sync, skew_seconds }))
}

fn millis(now: DateTime<Utc>) -> i64 {
    now.timestamp_millis()
}

/// This device's clock as SQL over `sync_state`: the later of the state's
/// (flushed and observed clocks) and the newest stamp in the outbox. The
/// text form sorts as the clock does.
const CLOCK: &str = "max(hlc, coalesce((SELECT hlc FROM sync_outbox ORDER BY id DESC LIMIT 1), ''))";

/// Moves the clock for a local transaction, when sync is set up: every
/// change the transaction captures carries this one clock. The stamp is a
/// row of the outbox, the page the changes go to anyway.
pub(crate) fn stamp(conn: &Connection, now: DateTime<Utc>) -> Result<()> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {CLOCK} FROM sync_state WHERE capture"))?;
    let current: Option<String> = stmt.query_row([], |r| r.get(0)).optional()?;
    let Some(current) = current else { return Ok(()) };
    let hlc = Hlc::parse(&current).ok_or_else(|| anyhow!("the sync state holds no valid clock"))?;
    let next = hlc.tick(millis(now));
    conn.prepare_cached("INSERT INTO sync_outbox (hlc) VALUES (?1)")?.execute([next.to_string()])?;
    Ok(())
}

/// Moves the local changes from the outbox into the change log, in the
/// order they were made, and the clock into the state row. Every reader of
/// the log that needs this device's newest changes (numbering batches,
/// merging pulled ones, a new device id) runs it first, in its transaction.
pub fn flush_outbox(conn: &Connection) -> Result<()> {
    let waiting: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM sync_outbox)", [], |r| r.get(0))?;
    if !waiting {
        return Ok(());
    }
    conn.execute_batch(&format!(
        "INSERT INTO sync_changes (hlc, tbl, record, op, data)
             SELECT hlc, tbl, record, op, data FROM sync_outbox WHERE tbl IS NOT NULL ORDER BY id;
         UPDATE sync_state SET hlc = {CLOCK};
         DELETE FROM sync_outbox;"
    ))?;
    Ok(())
}

/// Turns capture on for a device that was not set up: the state row, and
/// the history so far as changes (one insert per row) of one transaction.
pub fn enable(conn: &Connection, device: Uuid, owner: &str, now: DateTime<Utc>) -> Result<usize> {
    let hlc = Hlc::zero(device).tick(millis(now));
    conn.execute(
        "INSERT INTO sync_state (id, capture, device, owner, hlc) VALUES (1, 1, ?1, ?2, ?3)",
        params![device.to_string(), owner, hlc.to_string()],
    )?;
    let mut captured = 0;
    for table in SYNCED {
        let columns = columns(conn, table)?;
        let sql = format!(
            "INSERT INTO sync_changes (hlc, tbl, record, op, data)
             SELECT ?1, '{table}', {record}, 'insert', {object} FROM {table} AS r ORDER BY r.id",
            record = record_expr(table, "r"),
            object = object_expr(&columns, "r"),
        );
        captured += conn.execute(&sql, [hlc.to_string()])?;
    }
    Ok(captured)
}

/// Changes the owner (a setup again, with another server login) and keeps the rest.
pub fn set_owner(conn: &Connection, owner: &str) -> Result<()> {
    conn.execute("UPDATE sync_state SET owner = ?1", [owner])?;
    Ok(())
}

/// Gives this database a new device id (`sync setup --new-device`, for a
/// copy): what the old id pushed stays that device's; what was not pushed
/// yet will go out under the new id.
pub fn new_device(conn: &Connection, device: Uuid) -> Result<()> {
    flush_outbox(conn)?;
    let Some(old) = state(conn)? else { return Err(anyhow!("sync is not set up")) };
    let old_text = old.device.to_string();
    // What the server confirmed under the old id is that device's; batches
    // numbered but never confirmed (a push refused as a conflict) go out
    // again under the new id.
    conn.execute(
        "UPDATE sync_changes SET device = ?1, idx = id WHERE device IS NULL AND seq <= ?2",
        params![old_text, old.pushed_seq],
    )?;
    conn.execute("UPDATE sync_changes SET seq = NULL WHERE device IS NULL", [])?;
    if old.pushed_seq > 0 {
        conn.execute(
            "INSERT INTO sync_cursors (device, seq) VALUES (?1, ?2)
             ON CONFLICT (device) DO UPDATE SET seq = max(seq, excluded.seq)",
            params![old_text, old.pushed_seq],
        )?;
    }
    conn.execute("DELETE FROM sync_batches", [])?;
    let hlc = Hlc { device, ..old.hlc };
    conn.execute(
        "UPDATE sync_state SET device = ?1, hlc = ?2, pushed_seq = 0",
        params![device.to_string(), hlc.to_string()],
    )?;
    Ok(())
}

/// Local changes the server has not confirmed yet (read only: the outbox
/// is counted where it is).
pub fn pending(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT (SELECT count(*) FROM sync_outbox WHERE tbl IS NOT NULL) + count(*) FROM sync_changes
         WHERE device IS NULL AND (seq IS NULL OR seq > (SELECT pushed_seq FROM sync_state))",
        [],
        |r| r.get(0),
    )?)
}

// ---- batches ------------------------------------------------------------------

fn change_from_row(r: &rusqlite::Row) -> rusqlite::Result<Change> {
    let hlc: String = r.get(0)?;
    let op: String = r.get(4)?;
    let data: Option<String> = r.get(5)?;
    let bad = |what: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("bad {what} in the change log").into(),
        )
    };
    let fields: Fields = match data {
        Some(text) => serde_json::from_str(&text).map_err(|_| bad("fields"))?,
        None => Fields::new(),
    };
    Ok(Change {
        hlc: Hlc::parse(&hlc).ok_or_else(|| bad("clock"))?,
        index: r.get(1)?,
        table: r.get(2)?,
        record: r.get(3)?,
        op: Op::parse(&op).ok_or_else(|| bad("operation"))?,
        fields,
    })
}

const CHANGE_COLUMNS: &str = "hlc, coalesce(idx, id), tbl, record, op, data";

/// Puts the pending local changes in batches of about `per_batch` changes,
/// numbered from `pushed_seq + 1` on (after those already numbered but not
/// confirmed pushed). `nonce` draws a nonce for each new batch. Returns the
/// last batch number.
pub fn number_pending(
    conn: &Connection,
    per_batch: usize,
    now: DateTime<Utc>,
    nonce: &mut dyn FnMut() -> Result<Vec<u8>>,
) -> Result<i64> {
    flush_outbox(conn)?;
    let last: i64 = conn.query_row(
        "SELECT max(coalesce((SELECT max(seq) FROM sync_batches), 0), (SELECT pushed_seq FROM sync_state))",
        [],
        |r| r.get(0),
    )?;
    let ids: Vec<i64> = {
        let mut stmt = conn.prepare("SELECT id FROM sync_changes WHERE device IS NULL AND seq IS NULL ORDER BY id")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut seq = last;
    for chunk in ids.chunks(per_batch.max(1)) {
        seq += 1;
        let (first, end) = (chunk[0], chunk[chunk.len() - 1]);
        conn.execute(
            "UPDATE sync_changes SET seq = ?1 WHERE device IS NULL AND seq IS NULL AND id BETWEEN ?2 AND ?3",
            params![seq, first, end],
        )?;
        conn.execute(
            "INSERT OR REPLACE INTO sync_batches (seq, nonce, sent_at_ms) VALUES (?1, ?2, ?3)",
            params![seq, nonce()?, millis(now)],
        )?;
    }
    Ok(seq)
}

/// The highest batch number given out (pushed or not).
pub fn last_numbered(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT max(coalesce((SELECT max(seq) FROM sync_batches), 0), (SELECT pushed_seq FROM sync_state))",
        [],
        |r| r.get(0),
    )?)
}

/// Batch `seq` as it was numbered, with its nonce: sealed again, it is the
/// same row. `None` when this database no longer has it.
pub fn batch(conn: &Connection, seq: i64) -> Result<Option<(Batch, Vec<u8>)>> {
    let head: Option<(Vec<u8>, i64)> = conn
        .query_row("SELECT nonce, sent_at_ms FROM sync_batches WHERE seq = ?1", [seq], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((nonce, sent_at_ms)) = head else { return Ok(None) };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {CHANGE_COLUMNS} FROM sync_changes WHERE device IS NULL AND seq = ?1 ORDER BY id"
    ))?;
    let changes = stmt.query_map([seq], change_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some((Batch { sent_at_ms, changes }, nonce)))
}

/// How many local changes batches `first..=last` hold.
pub fn changes_in(conn: &Connection, first: i64, last: i64) -> Result<usize> {
    let count: i64 = conn.query_row(
        "SELECT count(*) FROM sync_changes WHERE device IS NULL AND seq BETWEEN ?1 AND ?2",
        [first, last],
        |r| r.get(0),
    )?;
    Ok(count.max(0) as usize)
}

/// Records that the server holds every batch up to `seq`.
pub fn set_pushed(conn: &Connection, seq: i64) -> Result<()> {
    conn.execute("UPDATE sync_state SET pushed_seq = ?1", [seq])?;
    Ok(())
}

/// Per other device: the last batch pulled, and when that device sent it.
pub type Cursors = BTreeMap<Uuid, (i64, Option<DateTime<Utc>>)>;

/// How far each other device has been pulled.
pub fn cursors(conn: &Connection) -> Result<Cursors> {
    let mut stmt = conn.prepare("SELECT device, seq, last_push FROM sync_cursors ORDER BY device")?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, Option<String>>(2)?)))?;
    let mut cursors = BTreeMap::new();
    for row in rows {
        let (device, seq, last_push) = row?;
        let Ok(device) = Uuid::parse_str(&device) else { continue };
        cursors.insert(device, (seq, last_push.as_deref().map(parse_instant).transpose()?));
    }
    Ok(cursors)
}

/// Notes a finished sync: when, and the clock's distance from the server's.
pub fn finish(conn: &Connection, now: DateTime<Utc>, skew_seconds: i64) -> Result<()> {
    conn.execute("UPDATE sync_state SET last_sync = ?1, skew_seconds = ?2", params![instant_text(now), skew_seconds])?;
    Ok(())
}

// ---- applying pulled changes ----------------------------------------------------

/// A batch pulled from another device.
#[derive(Debug, Clone)]
pub struct Pulled {
    pub device: Uuid,
    pub seq: i64,
    pub batch: Batch,
}

/// Applies pulled batches and moves the cursors, in the caller's
/// transaction, without capturing what it writes (it is not a local change)
/// and without journaling it for undo (undo reverses this device's own
/// changes). Returns how many changes were new.
pub fn apply(
    conn: &Connection,
    pulled: Vec<Pulled>,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<usize> {
    // Merges see this device's newest changes, and the clock moves on from them.
    flush_outbox(conn)?;
    let Some(state) = state(conn)? else { return Err(anyhow!("sync is not set up")) };
    // One statement per table and kind of write, reused for every record.
    conn.set_prepared_statement_cache_capacity(64);
    conn.execute("UPDATE sync_state SET capture = 0", [])?;
    // The journal triggers attach row images to the newest change: give them
    // one of their own, dropped at the end.
    conn.execute("INSERT INTO changes (at, summary) VALUES (?1, 'sync')", [instant_text(now)])?;
    let journal = conn.last_insert_rowid();
    let mut fresh = 0;
    let mut touched: BTreeSet<(String, String)> = BTreeSet::new();
    let mut newest = state.hlc;
    // Records the log knew before this pull fold from the log; the others
    // (all of them, on a first pull) from the pulled changes in memory.
    let records: HashSet<&str> =
        pulled.iter().flat_map(|batch| batch.batch.changes.iter().map(|c| c.record.as_str())).collect();
    let known = known_records(conn, records.into_iter())?;
    {
        let mut insert = conn.prepare_cached(
            "INSERT OR IGNORE INTO sync_changes (hlc, idx, tbl, record, op, data, device, seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )?;
        for batch in &pulled {
            for change in &batch.batch.changes {
                // A table this learnlog does not know (a newer device's) is
                // kept in the log, not applied.
                let data = if change.op == Op::Delete { None } else { Some(serde_json::to_string(&change.fields)?) };
                fresh += insert.execute(params![
                    change.hlc.to_string(),
                    change.index,
                    change.table,
                    change.record,
                    change.op.as_str(),
                    data,
                    batch.device.to_string(),
                    batch.seq
                ])?;
                touched.insert((change.table.clone(), change.record.clone()));
                newest = newest.max(change.hlc);
            }
            let sent = DateTime::<Utc>::from_timestamp_millis(batch.batch.sent_at_ms).map(instant_text);
            conn.execute(
                "INSERT INTO sync_cursors (device, seq, last_push) VALUES (?1, ?2, ?3)
                 ON CONFLICT (device) DO UPDATE SET seq = max(seq, excluded.seq), last_push = coalesce(excluded.last_push, last_push)",
                params![batch.device.to_string(), batch.seq, sent],
            )?;
        }
    }
    let mut memory: HashMap<(String, String), Vec<Change>> = HashMap::new();
    for change in pulled.into_iter().flat_map(|batch| batch.batch.changes) {
        if !known.contains(&change.record) {
            memory.entry((change.table.clone(), change.record.clone())).or_default().push(change);
        }
    }
    materialize(conn, touched, &Known { memory, logged: known }, progress)?;
    let hlc = state.hlc.observe(newest, millis(now));
    conn.execute("DELETE FROM undo_log WHERE change_id = ?1", [journal])?;
    conn.execute("DELETE FROM changes WHERE id = ?1", [journal])?;
    conn.execute("UPDATE sync_state SET capture = 1, hlc = ?1", [hlc.to_string()])?;
    Ok(fresh)
}

/// Which of these records the log has changes of.
fn known_records<'a>(conn: &Connection, records: impl Iterator<Item = &'a str>) -> Result<HashSet<String>> {
    let records: Vec<&str> = records.collect();
    let mut known = HashSet::new();
    let mut stmt =
        conn.prepare("SELECT DISTINCT record FROM sync_changes WHERE record IN (SELECT value FROM json_each(?1))")?;
    for chunk in records.chunks(5000) {
        let list = serde_json::to_string(chunk)?;
        let rows = stmt.query_map([list], |r| r.get::<_, String>(0))?;
        for row in rows {
            known.insert(row?);
        }
    }
    Ok(known)
}

/// Where a record's changes are: pulled ones in memory, and whether the log
/// held any before the pull.
struct Known {
    memory: HashMap<(String, String), Vec<Change>>,
    logged: HashSet<String>,
}

impl Known {
    fn state(&self, conn: &Connection, table: &str, record: &str) -> Result<RecordState> {
        if !self.logged.contains(record)
            && let Some(changes) = self.memory.get(&(table.to_string(), record.to_string()))
        {
            return Ok(fold(changes).into_values().next().unwrap_or_default());
        }
        record_state(conn, table, record)
    }
}

/// Every change of one record, folded.
fn record_state(conn: &Connection, table: &str, record: &str) -> Result<RecordState> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {CHANGE_COLUMNS} FROM sync_changes WHERE record = ?1 AND tbl = ?2"))?;
    let changes = stmt.query_map(params![record, table], change_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(fold(&changes).into_values().next().unwrap_or_default())
}

/// Writes the merged state of the touched records into the tables, parents
/// first. A record revived brings back the records that hang from it.
fn materialize(
    conn: &Connection,
    mut touched: BTreeSet<(String, String)>,
    known: &Known,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<()> {
    let total = touched.len();
    let mut done = 0;
    conn.execute_batch("PRAGMA defer_foreign_keys = ON")?;
    for (pass, table) in SYNCED.iter().enumerate() {
        let columns = columns(conn, table)?;
        let records: Vec<String> = touched.iter().filter(|(t, _)| t == table).map(|(_, r)| r.clone()).collect();
        // Items name items (a goal): a second round links those made in the first.
        let rounds = if *table == "items" { 2 } else { 1 };
        let mut revived = Vec::new();
        for round in 0..rounds {
            for record in &records {
                let state = known.state(conn, table, record)?;
                if write_record(conn, table, &columns, record, &state)? && round == 0 {
                    revived.push(record.clone());
                }
                if round + 1 == rounds {
                    done += 1;
                    progress(done, total);
                }
            }
        }
        if *table == "items" && !records.is_empty() {
            resolve_item_slugs(conn)?;
        }
        for parent in revived {
            let mut stmt = conn.prepare_cached("SELECT DISTINCT tbl, record FROM sync_changes WHERE parent = ?1")?;
            let children = stmt.query_map([&parent], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            for child in children {
                let child = child?;
                // Only tables still to come in this pass order.
                if SYNCED.iter().position(|t| *t == child.0).is_some_and(|p| p > pass) {
                    touched.insert(child);
                }
            }
        }
    }
    Ok(())
}

/// The local row of a record, if it is here.
fn local_id(conn: &Connection, table: &str, record: &str) -> Result<Option<i64>> {
    if table == LINKS {
        let Some((project, course)) = record.split_once(':') else { return Ok(None) };
        let (Some(project), Some(course)) = (id_of(conn, "items", project)?, id_of(conn, "items", course)?) else {
            return Ok(None);
        };
        let mut stmt =
            conn.prepare_cached("SELECT id FROM project_courses WHERE project_id = ?1 AND course_id = ?2")?;
        return Ok(stmt.query_row([project, course], |r| r.get(0)).optional()?);
    }
    id_of(conn, table, record)
}

fn id_of(conn: &Connection, table: &str, uuid: &str) -> Result<Option<i64>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT id FROM {table} WHERE uuid = ?1"))?;
    Ok(stmt.query_row([uuid], |r| r.get(0)).optional()?)
}

/// Writes one record's merged state over its local row (or deletes the
/// row). Returns whether the row was inserted (a record new or revived here).
fn write_record(conn: &Connection, table: &str, columns: &[Column], record: &str, state: &RecordState) -> Result<bool> {
    let existing = local_id(conn, table, record)?;
    let remove = |id: Option<i64>| -> Result<bool> {
        if let Some(id) = id {
            conn.prepare_cached(&format!("DELETE FROM {table} WHERE id = ?1"))?.execute([id])?;
        }
        Ok(false)
    };
    if !state.exists() {
        return remove(existing);
    }
    let mut names = Vec::new();
    let mut values: Vec<rusqlite::types::Value> = Vec::new();
    for column in columns {
        let Some(value) = state.field(&column.name) else { continue };
        let value = match (&column.reference, value) {
            (Some((target, cascade)), serde_json::Value::String(uuid)) => match id_of(conn, target, uuid)? {
                Some(id) => rusqlite::types::Value::Integer(id),
                // What it hangs from is gone: so is it, on every device alike.
                None if *cascade => return remove(existing),
                None => rusqlite::types::Value::Null,
            },
            (_, value) => super::undo::json_to_sql(value.clone()),
        };
        let value = match (column.name.as_str(), value) {
            // A slug held by another item for now: a placeholder until the slugs are resolved.
            ("slug", rusqlite::types::Value::Text(slug)) if table == "items" => {
                let mut stmt = conn.prepare_cached("SELECT uuid FROM items WHERE slug = ?1")?;
                let holder: Option<String> = stmt.query_row([&slug], |r| r.get(0)).optional()?;
                match holder {
                    Some(holder) if holder != record => rusqlite::types::Value::Text(format!("~{record}")),
                    _ => rusqlite::types::Value::Text(slug),
                }
            }
            (_, value) => value,
        };
        names.push(column.name.clone());
        values.push(value);
    }
    match existing {
        Some(id) => {
            if names.is_empty() {
                return Ok(false);
            }
            let sets: Vec<String> = names.iter().enumerate().map(|(i, n)| format!("{n} = ?{}", i + 1)).collect();
            values.push(rusqlite::types::Value::Integer(id));
            let sql = format!("UPDATE OR IGNORE {table} SET {} WHERE id = ?{}", sets.join(", "), values.len());
            conn.prepare_cached(&sql)?.execute(rusqlite::params_from_iter(values))?;
            Ok(false)
        }
        None => {
            if table != LINKS {
                names.push("uuid".into());
                values.push(rusqlite::types::Value::Text(record.to_string()));
            }
            let placeholders: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
            let sql =
                format!("INSERT OR IGNORE INTO {table} ({}) VALUES ({})", names.join(", "), placeholders.join(", "));
            let mut insert = conn.prepare_cached(&sql)?;
            if insert.execute(rusqlite::params_from_iter(values.clone()))? > 0 {
                return Ok(true);
            }
            // Another device made a row for the same day (a rest day) or
            // period (a settlement): the one made first by the clock stays.
            let Some(holder) = unique_holder(conn, table, &names, &values)? else { return Ok(false) };
            let holder_created = record_state(conn, table, &holder.1)?.created();
            if state.created().is_some_and(|mine| holder_created.is_none_or(|theirs| mine < theirs)) {
                remove(Some(holder.0))?;
                return Ok(insert.execute(rusqlite::params_from_iter(values))? > 0);
            }
            Ok(false)
        }
    }
}

/// The row (id, uuid) that holds the unique key a refused insert asked for.
fn unique_holder(
    conn: &Connection,
    table: &str,
    names: &[String],
    values: &[rusqlite::types::Value],
) -> Result<Option<(i64, String)>> {
    let key: &[&str] = match table {
        "rest_days" => &["day"],
        "settlements" => &["pledge_id", "period_start"],
        _ => return Ok(None),
    };
    let mut conditions = Vec::new();
    let mut bound = Vec::new();
    for column in key {
        let Some(at) = names.iter().position(|n| n == column) else { return Ok(None) };
        bound.push(values[at].clone());
        conditions.push(format!("{column} = ?{}", bound.len()));
    }
    let sql = format!("SELECT id, uuid FROM {table} WHERE {}", conditions.join(" AND "));
    Ok(conn.query_row(&sql, rusqlite::params_from_iter(bound), |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
}

/// Gives every item the slug the merge rules say (the earlier of two made
/// with one slug keeps it), in two steps so no two rows hold one slug between.
fn resolve_item_slugs(conn: &Connection) -> Result<()> {
    let changes: Vec<Change> = {
        let mut stmt = conn.prepare(&format!("SELECT {CHANGE_COLUMNS} FROM sync_changes WHERE tbl = 'items'"))?;
        stmt.query_map([], change_from_row)?.collect::<rusqlite::Result<_>>()?
    };
    let states = fold(&changes);
    let local: Vec<(i64, String, String)> = {
        let mut stmt = conn.prepare("SELECT id, uuid, slug FROM items")?;
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<_>>()?
    };
    let claims: Vec<SlugClaim> = local
        .iter()
        .map(|(_, uuid, slug)| {
            let state = states.get(&("items".to_string(), uuid.clone()));
            let wanted = state
                .and_then(|s| s.field("slug"))
                .and_then(|v| v.as_str())
                .map(str::to_string)
                .unwrap_or_else(|| slug.clone());
            SlugClaim { record: uuid.clone(), slug: wanted, created: state.and_then(RecordState::created) }
        })
        .collect();
    let resolved = resolve_slugs(&claims);
    let moves: Vec<(i64, String)> = local
        .iter()
        .filter_map(|(id, uuid, slug)| resolved.get(uuid).filter(|s| *s != slug).map(|s| (*id, s.clone())))
        .collect();
    for (id, _) in &moves {
        conn.execute("UPDATE items SET slug = '~' || uuid WHERE id = ?1", [id])?;
    }
    for (id, slug) in &moves {
        conn.execute("UPDATE items SET slug = ?2 WHERE id = ?1", params![id, slug])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Db;

    fn now() -> DateTime<Utc> {
        "2026-11-29T12:00:00Z".parse().unwrap()
    }

    #[test]
    fn captures_only_once_set_up_and_only_changed_fields() {
        let mut db = Db::empty().unwrap();
        db.write("add", now(), |c| {
            c.execute("INSERT INTO items (uuid, kind, slug, title, status, created_at, updated_at) VALUES ('u1', 'course', 'ml', 'ML', 'active', 'x', 'x')", [])?;
            Ok(())
        })
        .unwrap();
        let count =
            |db: &Db| -> i64 { db.conn().query_row("SELECT count(*) FROM sync_changes", [], |r| r.get(0)).unwrap() };
        assert_eq!(count(&db), 0);
        let snapshot = enable(db.conn(), Uuid::from_bytes([1; 16]), "ana", now()).unwrap();
        assert_eq!(snapshot, 1);
        db.write("edit", now(), |c| {
            c.execute("UPDATE items SET title = 'Machine learning' WHERE uuid = 'u1'", [])?;
            Ok(())
        })
        .unwrap();
        assert_eq!(count(&db), 1, "a write goes to the outbox first");
        flush_outbox(db.conn()).unwrap();
        let data: String =
            db.conn().query_row("SELECT data FROM sync_changes WHERE op = 'update'", [], |r| r.get(0)).unwrap();
        assert_eq!(data, r#"{"title":"Machine learning"}"#);
        let hlcs: Vec<String> = {
            let mut stmt = db.conn().prepare("SELECT hlc FROM sync_changes ORDER BY id").unwrap();
            stmt.query_map([], |r| r.get(0)).unwrap().map(|r| r.unwrap()).collect()
        };
        assert!(hlcs[0] < hlcs[1], "each transaction moves the clock: {hlcs:?}");
    }

    /// A write with sync set up appends to the outbox and touches neither the
    /// log nor the state row (the pages a check-in pays for); a flush moves
    /// the changes in the order they were made and the clock with them.
    #[test]
    fn writes_go_to_the_outbox_and_a_flush_keeps_their_order_and_clock() {
        let mut db = Db::empty().unwrap();
        enable(db.conn(), Uuid::from_bytes([1; 16]), "ana", now()).unwrap();
        let log_and_state = |db: &Db| -> (i64, String) {
            db.conn()
                .query_row("SELECT (SELECT count(*) FROM sync_changes), hlc FROM sync_state", [], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })
                .unwrap()
        };
        let before = log_and_state(&db);
        add_course(&mut db, "c1", "ml", now());
        checkin(&mut db, "s1", "c1", now());
        checkin(&mut db, "s2", "c1", now() - chrono::Duration::hours(1));
        assert_eq!(log_and_state(&db), before);
        assert_eq!(pending(db.conn()).unwrap(), 3, "the outbox counts as pending");
        let clock = state(db.conn()).unwrap().unwrap().hlc;
        assert!(clock.to_string() > before.1, "the clock moved: {clock} after {}", before.1);

        db.sync_write(flush_outbox).unwrap();
        let moved: Vec<(String, String)> = {
            let mut stmt = db.conn().prepare("SELECT record, hlc FROM sync_changes ORDER BY id").unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(|r| r.unwrap()).collect()
        };
        let records: Vec<&str> = moved.iter().map(|(r, _)| r.as_str()).collect();
        assert_eq!(records[records.len() - 3..], ["c1", "s1", "s2"]);
        let clocks: Vec<&str> = moved[moved.len() - 3..].iter().map(|(_, h)| h.as_str()).collect();
        assert!(clocks[0] < clocks[1] && clocks[1] < clocks[2], "one clock per write, rising: {clocks:?}");
        let outbox: i64 = db.conn().query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0)).unwrap();
        assert_eq!(outbox, 0);
        assert_eq!(state(db.conn()).unwrap().unwrap().hlc, clock, "the state row holds the clock now");
        assert_eq!(pending(db.conn()).unwrap(), 3);
        // The next write moves on from it.
        checkin(&mut db, "s3", "c1", now());
        assert!(state(db.conn()).unwrap().unwrap().hlc > clock);
        // A rehearsal (`import --dry-run`) is stamped too, and leaves nothing.
        let outbox =
            |db: &Db| -> i64 { db.conn().query_row("SELECT count(*) FROM sync_outbox", [], |r| r.get(0)).unwrap() };
        let before = outbox(&db);
        let captured = db
            .rehearse(now(), |c| {
                c.execute("UPDATE items SET title = 'Rehearsed' WHERE uuid = 'c1'", [])?;
                let stamped: i64 =
                    c.query_row("SELECT count(DISTINCT hlc) FROM sync_outbox WHERE tbl IS NOT NULL", [], |r| r.get(0))?;
                Ok(stamped)
            })
            .unwrap();
        assert_eq!(captured, 2, "s3's change and the rehearsed one, each with its own clock");
        assert_eq!(outbox(&db), before);
    }

    fn add_course(db: &mut Db, uuid: &str, slug: &str, at: DateTime<Utc>) {
        db.write("add", at, |c| {
            c.execute(
                "INSERT INTO items (uuid, kind, slug, title, status, created_at, updated_at)
                 VALUES (?1, 'course', ?2, 'T', 'active', 'x', 'x')",
                params![uuid, slug],
            )?;
            Ok(())
        })
        .unwrap();
    }

    fn checkin(db: &mut Db, uuid: &str, course: &str, at: DateTime<Utc>) {
        db.write("checkin", at, |c| {
            c.execute(
                "INSERT INTO sessions (uuid, item_id, study_day, utc_offset, minutes, created_at, updated_at)
                 VALUES (?1, (SELECT id FROM items WHERE uuid = ?2), '2026-11-29', 0, 30, 'x', 'x')",
                params![uuid, course],
            )?;
            Ok(())
        })
        .unwrap();
    }

    /// This device's batches as another device pulls them.
    fn outgoing(db: &mut Db, device: Uuid) -> Vec<Pulled> {
        let last = db.sync_write(|c| number_pending(c, 2, now(), &mut || Ok(vec![0; 24]))).unwrap();
        (1..=last).map(|seq| Pulled { device, seq, batch: batch(db.conn(), seq).unwrap().unwrap().0 }).collect()
    }

    fn rows(db: &Db) -> Vec<(String, String, i64)> {
        let mut stmt = db
            .conn()
            .prepare(
                "SELECT s.uuid, i.slug, s.minutes FROM sessions s JOIN items i ON i.id = s.item_id ORDER BY s.uuid",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap().map(|r| r.unwrap()).collect()
    }

    #[test]
    fn a_check_in_captures_one_row_and_applying_twice_changes_nothing() {
        let (da, db_) = (Uuid::from_bytes([1; 16]), Uuid::from_bytes([2; 16]));
        let mut a = Db::empty().unwrap();
        let mut b = Db::empty().unwrap();
        enable(a.conn(), da, "ana", now()).unwrap();
        enable(b.conn(), db_, "ana", now()).unwrap();
        add_course(&mut a, "c1", "ml", now());
        checkin(&mut a, "s1", "c1", now());
        assert_eq!(pending(a.conn()).unwrap(), 2, "one change per row written");
        // b made a course with the same slug, later by the clock.
        add_course(&mut b, "c2", "ml", now() + chrono::Duration::minutes(1));
        let pulled = outgoing(&mut a, da);
        for _ in 0..2 {
            b.sync_write(|c| apply(c, pulled.clone(), now(), &mut |_, _| {})).unwrap();
        }
        assert_eq!(rows(&b), [("s1".to_string(), "ml".to_string(), 30)]);
        let slug: String = b.conn().query_row("SELECT slug FROM items WHERE uuid = 'c2'", [], |r| r.get(0)).unwrap();
        assert_eq!(slug, "ml-2");
        assert_eq!(pending(b.conn()).unwrap(), 1, "applying captures nothing");
        let journal: i64 = b.conn().query_row("SELECT count(*) FROM undo_log", [], |r| r.get(0)).unwrap();
        let own: i64 = b.conn().query_row("SELECT count(*) FROM changes", [], |r| r.get(0)).unwrap();
        assert_eq!((journal, own), (1, 1), "undo still reverses only b's own change");
    }
}
