//! Goals, courses and projects (one table: they share slugs and most fields).

use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{date_text, instant_text, new_uuid, opt_day, parse_instant};
use crate::domain::money::Money;
use crate::domain::records::{Item, Kind};

const SELECT: &str = "SELECT i.id, i.uuid, i.kind, i.slug, i.title, i.status, g.slug, i.goal_id, i.url, i.description,
    i.platform, i.track, i.price_minor, i.currency, i.units_total, i.unit_name, i.weeks, i.start_date, i.due_date,
    i.intent, i.credential_url, i.score, i.skills, i.ended_on, i.end_reason, i.created_at, i.updated_at,
    (SELECT json_group_array(c.slug) FROM project_courses pc JOIN items c ON c.id = pc.course_id WHERE pc.project_id = i.id),
    (SELECT json_group_array(pc.course_id) FROM project_courses pc WHERE pc.project_id = i.id)
    FROM items i LEFT JOIN items g ON g.id = i.goal_id";

fn from_row(r: &Row) -> rusqlite::Result<Item> {
    let json_list =
        |index: usize| -> rusqlite::Result<String> { Ok(r.get::<_, Option<String>>(index)?.unwrap_or_default()) };
    let kind: String = r.get(2)?;
    let price = match (r.get::<_, Option<i64>>(12)?, r.get::<_, Option<String>>(13)?) {
        (Some(minor), Some(currency)) => Some(Money { minor, currency }),
        _ => None,
    };
    Ok(Item {
        id: r.get(0)?,
        uuid: r.get(1)?,
        kind: Kind::parse(&kind).unwrap_or(Kind::Course),
        slug: r.get(3)?,
        title: r.get(4)?,
        status: r.get(5)?,
        goal: r.get(6)?,
        goal_id: r.get(7)?,
        url: r.get(8)?,
        description: r.get(9)?,
        platform: r.get(10)?,
        track: r.get(11)?,
        price,
        units_total: r.get(14)?,
        unit_name: r.get(15)?,
        weeks: r.get(16)?,
        start_date: opt_day(r.get(17)?)?,
        due_date: opt_day(r.get(18)?)?,
        intent: r.get(19)?,
        credential_url: r.get(20)?,
        score: r.get(21)?,
        skills: serde_json::from_str(&json_list(22)?).unwrap_or_default(),
        ended_on: opt_day(r.get(23)?)?,
        end_reason: r.get(24)?,
        created_at: parse_instant(&r.get::<_, String>(25)?)?,
        updated_at: parse_instant(&r.get::<_, String>(26)?)?,
        courses: serde_json::from_str(&json_list(27)?).unwrap_or_default(),
        course_ids: serde_json::from_str(&json_list(28)?).unwrap_or_default(),
    })
}

/// A new item with every optional field empty.
pub fn blank(kind: Kind, slug: String, title: String, status: &str, now: DateTime<Utc>) -> Item {
    Item {
        id: 0,
        uuid: new_uuid(),
        kind,
        slug,
        title,
        status: status.to_string(),
        goal: None,
        goal_id: None,
        url: None,
        description: None,
        platform: None,
        track: None,
        price: None,
        units_total: None,
        unit_name: None,
        weeks: None,
        start_date: None,
        due_date: None,
        intent: None,
        credential_url: None,
        score: None,
        skills: Vec::new(),
        courses: Vec::new(),
        course_ids: Vec::new(),
        ended_on: None,
        end_reason: None,
        created_at: now,
        updated_at: now,
    }
}

/// Inserts an item (and its course links); returns its id.
pub fn insert(conn: &Connection, item: &Item) -> Result<i64> {
    conn.execute(
        "INSERT INTO items (uuid, kind, slug, title, status, goal_id, url, description, platform, track, price_minor,
            currency, units_total, unit_name, weeks, start_date, due_date, intent, credential_url, score, skills,
            ended_on, end_reason, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
        params![
            item.uuid,
            item.kind.as_str(),
            item.slug,
            item.title,
            item.status,
            item.goal_id,
            item.url,
            item.description,
            item.platform,
            item.track,
            item.price.as_ref().map(|p| p.minor),
            item.price.as_ref().map(|p| p.currency.clone()),
            item.units_total,
            item.unit_name,
            item.weeks,
            item.start_date.map(date_text),
            item.due_date.map(date_text),
            item.intent,
            item.credential_url,
            item.score,
            serde_json::to_string(&item.skills)?,
            item.ended_on.map(date_text),
            item.end_reason,
            instant_text(item.created_at),
            instant_text(item.updated_at),
        ],
    )?;
    let id = conn.last_insert_rowid();
    set_courses(conn, id, &item.course_ids)?;
    Ok(id)
}

/// Writes every field of an existing item back (and its course links).
pub fn update(conn: &Connection, item: &Item) -> Result<()> {
    conn.execute(
        "UPDATE items SET slug = ?2, title = ?3, status = ?4, goal_id = ?5, url = ?6, description = ?7, platform = ?8,
            track = ?9, price_minor = ?10, currency = ?11, units_total = ?12, unit_name = ?13, weeks = ?14,
            start_date = ?15, due_date = ?16, intent = ?17, credential_url = ?18, score = ?19, skills = ?20,
            ended_on = ?21, end_reason = ?22, updated_at = ?23
         WHERE id = ?1",
        params![
            item.id,
            item.slug,
            item.title,
            item.status,
            item.goal_id,
            item.url,
            item.description,
            item.platform,
            item.track,
            item.price.as_ref().map(|p| p.minor),
            item.price.as_ref().map(|p| p.currency.clone()),
            item.units_total,
            item.unit_name,
            item.weeks,
            item.start_date.map(date_text),
            item.due_date.map(date_text),
            item.intent,
            item.credential_url,
            item.score,
            serde_json::to_string(&item.skills)?,
            item.ended_on.map(date_text),
            item.end_reason,
            instant_text(item.updated_at),
        ],
    )?;
    let current: Vec<i64> = get(conn, item.id)?.map(|i| i.course_ids).unwrap_or_default();
    if current != item.course_ids {
        conn.execute("DELETE FROM project_courses WHERE project_id = ?1", [item.id])?;
        set_courses(conn, item.id, &item.course_ids)?;
    }
    Ok(())
}

fn set_courses(conn: &Connection, project_id: i64, course_ids: &[i64]) -> Result<()> {
    let mut stmt =
        conn.prepare_cached("INSERT OR IGNORE INTO project_courses (project_id, course_id) VALUES (?1, ?2)")?;
    for course_id in course_ids {
        stmt.execute(params![project_id, course_id])?;
    }
    Ok(())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM items WHERE id = ?1", [id])?;
    Ok(())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Item>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE i.id = ?1"), [id], from_row).optional()?)
}

pub fn by_uuid(conn: &Connection, uuid: &str) -> Result<Option<Item>> {
    Ok(conn.query_row(&format!("{SELECT} WHERE i.uuid = ?1"), [uuid], from_row).optional()?)
}

pub fn slug_taken(conn: &Connection, slug: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM items WHERE slug = ?1)", [slug], |r| r.get(0))?)
}

/// Items whose slug starts with `prefix` (LIKE-free, so `_` and `%` are literal).
pub fn with_slug_prefix(conn: &Connection, prefix: &str, kind: Option<Kind>) -> Result<Vec<Item>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE substr(i.slug, 1, length(?1)) = ?1 AND (?2 IS NULL OR i.kind = ?2) ORDER BY i.slug"
    ))?;
    let rows = stmt.query_map(params![prefix, kind.map(Kind::as_str)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All items of a kind (or every kind), oldest first.
pub fn list(conn: &Connection, kind: Option<Kind>) -> Result<Vec<Item>> {
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE (?1 IS NULL OR i.kind = ?1) ORDER BY i.id"))?;
    let rows = stmt.query_map(params![kind.map(Kind::as_str)], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Units done in a course (check-ins add units, progress marks set them).
pub fn units_done(conn: &Connection, id: i64) -> Result<i64> {
    super::sessions::units_done(conn, id)
}

/// Sessions and minutes logged on an item (for `rm` to say what goes with it).
pub fn session_count(conn: &Connection, id: i64) -> Result<(i64, i64)> {
    Ok(conn.query_row("SELECT count(*), coalesce(sum(minutes), 0) FROM sessions WHERE item_id = ?1", [id], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })?)
}
