//! Study sessions, and the per-day aggregates every report is built on.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{date_text, instant_text, parse_day, parse_instant};
use crate::domain::records::Session;

/// Which sessions an aggregate covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every session, general study included.
    All,
    /// The sessions of these items (a course, a project, a goal's items).
    Items(Vec<i64>),
}

impl Scope {
    /// The bound parameter for `scope_sql`: NULL for all, else a JSON list of ids.
    fn param(&self) -> Option<String> {
        match self {
            Scope::All => None,
            Scope::Items(ids) => Some(serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())),
        }
    }

    /// The WHERE condition on `?1`, over `day_totals`. Two texts rather than
    /// one `?1 IS NULL OR …`, so SQLite can use its key for each.
    fn condition(&self) -> &'static str {
        match self {
            Scope::All => "(?1 IS NULL)",
            Scope::Items(_) => "item_key IN (SELECT value FROM json_each(?1))",
        }
    }
}

/// The order session numbers count in: the same on every device.
pub(crate) const ORDER: &str = "study_day, coalesce(started_at, ''), uuid";

/// A session's columns, then its number, for `from_row`.
const COLUMNS: &str = "s.id, s.uuid, i.slug, s.item_id, s.study_day, s.started_at, s.utc_offset, s.minutes,
    s.units, s.note, s.level, s.created_at, s.updated_at, s.progress_to";

/// A session's number: how many sessions there are (`session_count`) less
/// those after it — on later days (the day totals count those with
/// minutes, `sessions_zero` the few without) and later on its own day. A
/// handful of index reads for a recent session, whatever the history's
/// size; never a count of the whole history.
const NUMBER: &str = "(SELECT n FROM session_count)
    - (SELECT coalesce(sum(sessions), 0) FROM day_totals WHERE study_day > s.study_day)
    - (SELECT count(*) FROM sessions z INDEXED BY sessions_zero WHERE z.minutes = 0 AND z.study_day > s.study_day)
    - (SELECT count(*) FROM sessions o WHERE o.study_day = s.study_day
       AND (coalesce(o.started_at, ''), o.uuid) > (coalesce(s.started_at, ''), s.uuid))";

const FROM: &str = "FROM sessions s LEFT JOIN items i ON i.id = s.item_id";

/// The query of sessions with `number` as each one's number.
fn select(number: &str) -> String {
    format!("SELECT {COLUMNS},\n    {number}\n    {FROM}")
}

fn from_row(r: &Row) -> rusqlite::Result<Session> {
    Ok(Session {
        id: r.get(0)?,
        uuid: r.get(1)?,
        target: r.get(2)?,
        item_id: r.get(3)?,
        study_day: parse_day(&r.get::<_, String>(4)?)?,
        started_at: r.get::<_, Option<String>>(5)?.as_deref().map(parse_instant).transpose()?,
        utc_offset: r.get(6)?,
        minutes: r.get(7)?,
        units: r.get(8)?,
        note: r.get(9)?,
        level: r.get(10)?,
        created_at: parse_instant(&r.get::<_, String>(11)?)?,
        updated_at: parse_instant(&r.get::<_, String>(12)?)?,
        progress_to: r.get(13)?,
        number: r.get(14)?,
    })
}

/// Inserts a session; returns its number.
pub fn insert(conn: &Connection, s: &Session) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sessions (uuid, item_id, study_day, started_at, utc_offset, minutes, units, note, level, created_at, updated_at,
            progress_to)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )?;
    stmt.execute(params![
        s.uuid,
        s.item_id,
        date_text(s.study_day),
        s.started_at.map(instant_text),
        s.utc_offset,
        s.minutes,
        s.units,
        s.note,
        s.level,
        instant_text(s.created_at),
        instant_text(s.updated_at),
        s.progress_to,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// A session's number: its rank in the order (study day, start, uuid).
pub fn number_of(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(get(conn, id)?.map(|s| s.number))
}

/// The row of session number `number`, if there is one.
pub fn by_number(conn: &Connection, number: i64) -> Result<Option<Session>> {
    if number < 1 {
        return Ok(None);
    }
    let id: Option<i64> = conn
        .query_row(&format!("SELECT id FROM sessions ORDER BY {ORDER} LIMIT 1 OFFSET ?1"), [number - 1], |r| r.get(0))
        .optional()?;
    id.map(|id| get(conn, id)).transpose().map(Option::flatten)
}

pub fn update(conn: &Connection, s: &Session) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET item_id = ?2, study_day = ?3, started_at = ?4, utc_offset = ?5, minutes = ?6, units = ?7,
            note = ?8, level = ?9, updated_at = ?10, progress_to = ?11 WHERE id = ?1",
        params![
            s.id,
            s.item_id,
            date_text(s.study_day),
            s.started_at.map(instant_text),
            s.utc_offset,
            s.minutes,
            s.units,
            s.note,
            s.level,
            instant_text(s.updated_at),
            s.progress_to,
        ],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Session>> {
    Ok(conn.query_row(&format!("{} WHERE s.id = ?1", select(NUMBER)), [id], from_row).optional()?)
}

pub fn by_uuid(conn: &Connection, uuid: &str) -> Result<Option<Session>> {
    Ok(conn.query_row(&format!("{} WHERE s.uuid = ?1", select(NUMBER)), [uuid], from_row).optional()?)
}

/// Sessions in a scope from `since` on, the latest `limit` of them, in
/// number order.
pub fn list(conn: &Connection, scope: &Scope, since: Option<NaiveDate>, limit: Option<usize>) -> Result<Vec<Session>> {
    let limit = limit.map(|l| l as i64).unwrap_or(-1);
    if *scope != Scope::All {
        return list_ranked(conn, scope, since, limit);
    }
    // Every session from a day on, the latest of them: a run of consecutive
    // numbers, read backwards along the `sessions_order` index and numbered
    // from the first one's number.
    let select = select("0");
    let mut stmt = conn.prepare(&format!(
        "{select} WHERE (?1 IS NULL OR s.study_day >= ?1)
         ORDER BY s.study_day DESC, coalesce(s.started_at, '') DESC, s.uuid DESC LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![since.map(date_text), limit], from_row)?;
    let mut sessions: Vec<Session> = rows.collect::<rusqlite::Result<_>>()?;
    sessions.reverse();
    let first = match sessions.first() {
        Some(first) => number_of(conn, first.id)?.unwrap_or(1),
        None => return Ok(sessions),
    };
    for (offset, session) in sessions.iter_mut().enumerate() {
        session.number = first + offset as i64;
    }
    Ok(sessions)
}

/// Sessions of some items: numbered by one pass over every session.
fn list_ranked(conn: &Connection, scope: &Scope, since: Option<NaiveDate>, limit: i64) -> Result<Vec<Session>> {
    let select = format!(
        "SELECT {COLUMNS},\n    r.number\n    FROM sessions s JOIN ranked r ON r.row_id = s.id LEFT JOIN items i ON i.id = s.item_id"
    );
    let mut stmt = conn.prepare(&format!(
        "WITH ranked AS (SELECT id AS row_id, row_number() OVER (ORDER BY {ORDER}) AS number FROM sessions)
         SELECT * FROM ({select} WHERE (?1 IS NULL OR s.item_id IN (SELECT value FROM json_each(?1)))
           AND (?2 IS NULL OR s.study_day >= ?2) ORDER BY r.number DESC LIMIT ?3)
         ORDER BY 15"
    ))?;
    let rows = stmt.query_map(params![scope.param(), since.map(date_text), limit], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Minutes and units per study day in a scope within [from, to].
pub fn day_amounts(
    conn: &Connection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<BTreeMap<NaiveDate, (i64, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT study_day, sum(minutes), sum(units) FROM day_totals WHERE {} AND study_day BETWEEN ?2 AND ?3
         GROUP BY study_day ORDER BY study_day",
        scope.condition()
    ))?;
    let rows = stmt.query_map(params![scope.param(), date_text(from), date_text(to)], |r| {
        Ok((parse_day(&r.get::<_, String>(0)?)?, (r.get(1)?, r.get(2)?)))
    })?;
    let mut amounts: BTreeMap<NaiveDate, (i64, i64)> = rows.collect::<rusqlite::Result<_>>()?;
    for (day, item, delta) in mark_deltas(conn)? {
        let in_scope = match scope {
            Scope::All => true,
            Scope::Items(ids) => ids.contains(&item),
        };
        if in_scope && day >= from && day <= to {
            amounts.entry(day).or_insert((0, 0)).1 += delta;
        }
    }
    Ok(amounts)
}

/// Total minutes in a scope.
pub fn total_minutes(conn: &Connection, scope: &Scope) -> Result<i64> {
    let sql = format!("SELECT coalesce(sum(minutes), 0) FROM day_totals WHERE {}", scope.condition());
    Ok(conn.query_row(&sql, params![scope.param()], |r| r.get(0))?)
}

/// One row of `day_item_totals`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayItemTotal {
    pub study_day: NaiveDate,
    /// The course or project; `None` for general study.
    pub item_id: Option<i64>,
    pub minutes: i64,
    pub units: i64,
}

/// Minutes and units per study day and item (None: general study), the
/// whole history, from the trigger-kept `day_totals` (a few thousand rows
/// for years of sessions). Reports derive every per-day series from this.
pub fn day_item_totals(conn: &Connection) -> Result<Vec<DayItemTotal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT study_day, nullif(item_key, 0), minutes, units FROM day_totals ORDER BY study_day, item_key",
    )?;
    let mut rows = stmt.query([])?;
    let mut totals = Vec::new();
    // Many rows share a day: parse each day's text once.
    let mut last: Option<(String, NaiveDate)> = None;
    while let Some(row) = rows.next()? {
        let text: String = row.get(0)?;
        let day = match &last {
            Some((previous, day)) if *previous == text => *day,
            _ => {
                let day = parse_day(&text)?;
                last = Some((text, day));
                day
            }
        };
        totals.push(DayItemTotal { study_day: day, item_id: row.get(1)?, minutes: row.get(2)?, units: row.get(3)? });
    }
    let deltas = mark_deltas(conn)?;
    if !deltas.is_empty() {
        for (day, item, delta) in deltas {
            match totals.iter_mut().find(|row| row.study_day == day && row.item_id == Some(item)) {
                Some(row) => row.units += delta,
                None => totals.push(DayItemTotal { study_day: day, item_id: Some(item), minutes: 0, units: delta }),
            }
        }
        totals.sort_by_key(|row| (row.study_day, row.item_id.unwrap_or(0)));
    }
    Ok(totals)
}

/// One row of `per_item`: item (None: general study), minutes, sessions
/// with minutes, units.
pub type ItemTotals = (Option<i64>, i64, i64, i64);

/// Per item (NULL: general study) in [from, to]: minutes, sessions with
/// minutes, units.
pub fn per_item(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<ItemTotals>> {
    let mut stmt = conn.prepare(
        "SELECT nullif(item_key, 0), sum(minutes), sum(sessions), sum(units) FROM day_totals
         WHERE study_day BETWEEN ?1 AND ?2 GROUP BY item_key ORDER BY item_key",
    )?;
    let rows =
        stmt.query_map(params![date_text(from), date_text(to)], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    let mut totals: Vec<ItemTotals> = rows.collect::<rusqlite::Result<_>>()?;
    for (day, item, delta) in mark_deltas(conn)? {
        if day < from || day > to {
            continue;
        }
        match totals.iter_mut().find(|(i, ..)| *i == Some(item)) {
            Some(row) => row.3 += delta,
            None => totals.push((Some(item), 0, 0, delta)),
        }
    }
    totals.sort_by_key(|(item, ..)| item.unwrap_or(0));
    Ok(totals)
}

/// Minutes by Bloom level (NULL: not given) in [from, to], in a scope.
pub fn per_level(
    conn: &Connection,
    scope: &Scope,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(Option<String>, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT level, sum(minutes) FROM sessions WHERE study_day BETWEEN ?1 AND ?2
           AND (?3 IS NULL OR item_id IN (SELECT value FROM json_each(?3))) GROUP BY level ORDER BY level",
    )?;
    let rows =
        stmt.query_map(params![date_text(from), date_text(to), scope.param()], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sessions of study (with minutes; a progress mark is not one), minutes
/// and units of a scope, over all time.
pub fn scope_totals(conn: &Connection, scope: &Scope) -> Result<(i64, i64, i64)> {
    let sql = format!(
        "SELECT coalesce(sum(sessions), 0), coalesce(sum(minutes), 0), coalesce(sum(units), 0) FROM day_totals WHERE {}",
        scope.condition()
    );
    Ok(conn.query_row(&sql, params![scope.param()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?)
}

/// Sessions in a scope from `since` on (what `list sessions` could show).
pub fn count(conn: &Connection, scope: &Scope, since: Option<NaiveDate>) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM sessions s WHERE (?1 IS NULL OR s.item_id IN (SELECT value FROM json_each(?1)))
           AND (?2 IS NULL OR s.study_day >= ?2)",
        params![scope.param(), since.map(date_text)],
        |r| r.get(0),
    )?)
}

/// How many sessions there are.
pub fn count_all(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0))?)
}

/// The last study day with a session on an item.
pub fn last_day(conn: &Connection, item_id: i64) -> Result<Option<NaiveDate>> {
    let day: Option<String> = conn.query_row(
        "SELECT max(study_day) FROM sessions WHERE item_id = ?1 AND (minutes > 0 OR units <> 0 OR progress_to IS NOT NULL)",
        [item_id],
        |r| r.get(0),
    )?;
    day.as_deref().map(parse_day).transpose().map_err(Into::into)
}

/// Where a session counts: study day, item (None: general study), minutes, units.
pub type Placement = (NaiveDate, Option<i64>, i64, i64);

/// A session a closed pledge period may count for less than the day
/// totals say (see domain::pledge::LateSession).
#[derive(Debug, Clone, PartialEq)]
pub struct Exceptional {
    pub now: Placement,
    /// `created_at` in the session's own UTC offset.
    pub recorded: NaiveDateTime,
    /// `amended_at` in the session's own UTC offset.
    pub amended: Option<NaiveDateTime>,
    pub prior: Option<Placement>,
}

/// The sessions from `since` on that were amended, or recorded on a later
/// local date than their study day: a few rows, read through the partial
/// index `sessions_exceptional` (its condition is repeated here verbatim,
/// so that SQLite can use it; `INDEXED BY` makes sure it does).
pub fn exceptional(conn: &Connection, since: NaiveDate) -> Result<Vec<Exceptional>> {
    let mut stmt = conn.prepare_cached(
        "SELECT study_day, item_id, minutes, units, created_at, utc_offset, amended_at,
                prior_study_day, prior_item_id, prior_minutes, prior_units
         FROM sessions INDEXED BY sessions_exceptional
         WHERE (amended_at IS NOT NULL OR recorded_late)
           AND study_day >= ?1",
    )?;
    let rows = stmt.query_map([date_text(since)], |r| {
        let offset = TimeDelta::seconds(r.get::<_, i64>(5)?);
        let local = |t: DateTime<Utc>| t.naive_utc() + offset;
        let prior = match r.get::<_, Option<String>>(7)? {
            Some(day) => Some((
                parse_day(&day)?,
                r.get(8)?,
                r.get::<_, Option<i64>>(9)?.unwrap_or(0),
                r.get::<_, Option<i64>>(10)?.unwrap_or(0),
            )),
            None => None,
        };
        Ok(Exceptional {
            now: (parse_day(&r.get::<_, String>(0)?)?, r.get(1)?, r.get(2)?, r.get(3)?),
            recorded: local(parse_instant(&r.get::<_, String>(4)?)?),
            amended: r.get::<_, Option<String>>(6)?.as_deref().map(parse_instant).transpose()?.map(local),
            prior,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Notes that session `id` was moved or changed in amount at `at`: the
/// latest such instant, and where it counted before the first one (kept
/// from then on: a later edit does not replace it). While it stays in that
/// place, the prior amounts are the lowest it had before any edit, so a
/// lowering followed by a raise never counts the raise in a period closed
/// in between (conservative: see domain::pledge::LateSession::excess).
pub fn amend(conn: &Connection, id: i64, before: Placement, at: DateTime<Utc>) -> Result<()> {
    let (day, item_id, minutes, units) = before;
    conn.execute(
        "UPDATE sessions SET amended_at = max(coalesce(amended_at, ''), ?2),
            prior_item_id = CASE WHEN prior_study_day IS NULL THEN ?4 ELSE prior_item_id END,
            prior_minutes = CASE WHEN prior_study_day IS NULL THEN ?5
                WHEN prior_study_day = ?3 AND prior_item_id IS ?4 THEN min(prior_minutes, ?5)
                ELSE prior_minutes END,
            prior_units = CASE WHEN prior_study_day IS NULL THEN ?6
                WHEN prior_study_day = ?3 AND prior_item_id IS ?4 THEN min(prior_units, ?6)
                ELSE prior_units END,
            prior_study_day = coalesce(prior_study_day, ?3)
         WHERE id = ?1",
        params![id, instant_text(at), date_text(day), item_id, minutes, units],
    )?;
    Ok(())
}

/// Sets a session's amendment fields as an import carries them.
pub fn set_amendment(
    conn: &Connection,
    id: i64,
    amended_at: Option<DateTime<Utc>>,
    prior: Option<Placement>,
) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET amended_at = ?2, prior_study_day = ?3, prior_item_id = ?4, prior_minutes = ?5,
            prior_units = ?6 WHERE id = ?1",
        params![
            id,
            amended_at.map(instant_text),
            prior.map(|p| date_text(p.0)),
            prior.and_then(|p| p.1),
            prior.map(|p| p.2),
            prior.map(|p| p.3)
        ],
    )?;
    Ok(())
}

/// A session's amendment fields: `amended_at` and its prior placement.
pub fn amendment(conn: &Connection, id: i64) -> Result<(Option<DateTime<Utc>>, Option<Placement>)> {
    Ok(conn.query_row(
        "SELECT amended_at, prior_study_day, prior_item_id, prior_minutes, prior_units FROM sessions WHERE id = ?1",
        [id],
        |r| {
            let amended = r.get::<_, Option<String>>(0)?.as_deref().map(parse_instant).transpose()?;
            let prior = match r.get::<_, Option<String>>(1)? {
                Some(day) => Some((
                    parse_day(&day)?,
                    r.get(2)?,
                    r.get::<_, Option<i64>>(3)?.unwrap_or(0),
                    r.get::<_, Option<i64>>(4)?.unwrap_or(0),
                )),
                None => None,
            };
            Ok((amended, prior))
        },
    )?)
}

// ---- progress: check-ins add units, marks set them ------------------------

/// A progress mark's place in its course's order (study day, created, uuid).
type MarkKey = (String, String, String);

/// Check-in units of an item strictly between two places in its order.
fn units_between(conn: &Connection, item: i64, after: Option<&MarkKey>, before: Option<&MarkKey>) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "SELECT coalesce(sum(units), 0) FROM sessions WHERE item_id = ?1 AND progress_to IS NULL
           AND (?2 IS NULL OR (study_day, created_at, uuid) > (?2, ?3, ?4))
           AND (?5 IS NULL OR (study_day, created_at, uuid) < (?5, ?6, ?7))",
    )?;
    let (a0, a1, a2) = after.map(|k| (Some(&k.0), Some(&k.1), Some(&k.2))).unwrap_or_default();
    let (b0, b1, b2) = before.map(|k| (Some(&k.0), Some(&k.1), Some(&k.2))).unwrap_or_default();
    Ok(stmt.query_row(params![item, a0, a1, a2, b0, b1, b2], |r| r.get(0))?)
}

/// Units done in a course: its sessions folded in order, a check-in adding
/// its units and a progress mark setting the total. Reads the last mark and
/// the check-ins after it, never the whole history.
pub fn units_done(conn: &Connection, item: i64) -> Result<i64> {
    let last: Option<(MarkKey, i64)> = conn
        .query_row(
            "SELECT study_day, created_at, uuid, progress_to FROM sessions
             WHERE item_id = ?1 AND progress_to IS NOT NULL
             ORDER BY study_day DESC, created_at DESC, uuid DESC LIMIT 1",
            [item],
            |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)),
        )
        .optional()?;
    match last {
        Some((key, value)) => Ok(value + units_between(conn, item, Some(&key), None)?),
        None => units_between(conn, item, None, None),
    }
}

/// When the last progress mark of an item on a study day was made.
pub fn last_mark_created(
    conn: &Connection,
    item: i64,
    day: NaiveDate,
) -> Result<Option<chrono::DateTime<chrono::Utc>>> {
    let text: Option<String> = conn.query_row(
        "SELECT max(created_at) FROM sessions WHERE item_id = ?1 AND study_day = ?2 AND progress_to IS NOT NULL",
        params![item, date_text(day)],
        |r| r.get(0),
    )?;
    Ok(text.as_deref().map(parse_instant).transpose()?)
}

/// What each progress mark adds on its day: its value less the units done
/// just before it (negative for a correction down). With these, per-day
/// units add up to units done. Marks are few; this reads only them and the
/// check-in units between them.
pub fn mark_deltas(conn: &Connection) -> Result<Vec<(NaiveDate, i64, i64)>> {
    let marks: Vec<(i64, MarkKey, i64)> = {
        let mut stmt = conn.prepare_cached(
            "SELECT item_id, study_day, created_at, uuid, progress_to FROM sessions
             WHERE progress_to IS NOT NULL AND item_id IS NOT NULL
             ORDER BY item_id, study_day, created_at, uuid",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?), r.get(4)?)))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let mut deltas = Vec::with_capacity(marks.len());
    let mut previous: Option<(i64, MarkKey, i64)> = None;
    for (item, key, value) in marks {
        let (after, done_before) = match &previous {
            Some((last_item, last_key, last_value)) if *last_item == item => (Some(last_key), *last_value),
            _ => (None, 0),
        };
        let before = done_before + units_between(conn, item, after, Some(&key))?;
        deltas.push((parse_day(&key.0)?, item, value - before));
        previous = Some((item, key, value));
    }
    Ok(deltas)
}
