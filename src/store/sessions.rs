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

const SELECT: &str = "SELECT s.id, s.uuid, i.slug, s.item_id, s.study_day, s.started_at, s.utc_offset, s.minutes,
    s.units, s.note, s.level, s.created_at, s.updated_at FROM sessions s LEFT JOIN items i ON i.id = s.item_id";

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
    })
}

/// Inserts a session; returns its number.
pub fn insert(conn: &Connection, s: &Session) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO sessions (uuid, item_id, study_day, started_at, utc_offset, minutes, units, note, level, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
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
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn update(conn: &Connection, s: &Session) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET item_id = ?2, study_day = ?3, started_at = ?4, utc_offset = ?5, minutes = ?6, units = ?7,
            note = ?8, level = ?9, updated_at = ?10 WHERE id = ?1",
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
        ],
    )?;
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM sessions WHERE id = ?1", [id])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Session>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE s.id = ?1"), [id], from_row).optional()?)
}

pub fn by_uuid(conn: &Connection, uuid: &str) -> Result<Option<Session>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE s.uuid = ?1"), [uuid], from_row).optional()?)
}

/// Sessions in a scope from `since` on, the latest `limit` of them, oldest first.
pub fn list(conn: &Connection, scope: &Scope, since: Option<NaiveDate>, limit: Option<usize>) -> Result<Vec<Session>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT * FROM ({SELECT} WHERE (?1 IS NULL OR s.item_id IN (SELECT value FROM json_each(?1)))
           AND (?2 IS NULL OR s.study_day >= ?2) ORDER BY s.study_day DESC, s.id DESC LIMIT ?3)
         ORDER BY 5, 1"
    ))?;
    let limit = limit.map(|l| l as i64).unwrap_or(-1);
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
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
    Ok(rows.collect::<rusqlite::Result<_>>()?)
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
        "SELECT max(study_day) FROM sessions WHERE item_id = ?1 AND (minutes > 0 OR units <> 0)",
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
