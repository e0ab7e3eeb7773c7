//! Rest days declared in advance.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};
use rusqlite::{Connection, params};

use super::{date_text, instant_text, parse_day, parse_instant};
use crate::domain::records::RestDay;

/// Declares a rest day; returns false when it was declared already.
pub fn insert(conn: &Connection, rest: &RestDay) -> Result<bool> {
    let added = conn.execute(
        "INSERT OR IGNORE INTO rest_days (uuid, day, reason, created_at, updated_at, utc_offset)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            rest.uuid,
            date_text(rest.day),
            rest.reason,
            instant_text(rest.created_at),
            instant_text(rest.updated_at),
            rest.utc_offset
        ],
    )?;
    Ok(added > 0)
}

pub fn list(conn: &Connection) -> Result<Vec<RestDay>> {
    let mut stmt =
        conn.prepare("SELECT uuid, day, reason, created_at, updated_at, utc_offset FROM rest_days ORDER BY day")?;
    let rows = stmt.query_map([], |r| {
        Ok(RestDay {
            uuid: r.get(0)?,
            day: parse_day(&r.get::<_, String>(1)?)?,
            reason: r.get(2)?,
            created_at: parse_instant(&r.get::<_, String>(3)?)?,
            updated_at: parse_instant(&r.get::<_, String>(4)?)?,
            utc_offset: r.get::<_, Option<i32>>(5)?.unwrap_or(0),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn days(conn: &Connection) -> Result<BTreeSet<NaiveDate>> {
    Ok(list(conn)?.into_iter().map(|r| r.day).collect())
}

/// Each declared rest day with the local instant it was declared (in the
/// offset in force then), for telling whether it was declared in time.
pub fn declared(conn: &Connection) -> Result<BTreeMap<NaiveDate, NaiveDateTime>> {
    Ok(list(conn)?
        .into_iter()
        .map(|r| (r.day, r.created_at.naive_utc() + TimeDelta::seconds(i64::from(r.utc_offset))))
        .collect())
}

pub fn by_uuid(conn: &Connection, uuid: &str) -> Result<Option<RestDay>> {
    Ok(list(conn)?.into_iter().find(|r| r.uuid == uuid))
}
