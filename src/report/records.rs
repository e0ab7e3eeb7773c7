//! Records as `list` and `show` present them: the stored fields plus what
//! is derived from sessions.

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use crate::domain::records::{Item, Kind};
use crate::store;
use crate::store::sessions::Scope;

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub item: Item,
    /// Units done (a course), the sum of its sessions' units.
    pub units_done: i64,
    /// Sessions of study: a zero-minute progress mark is not one (the
    /// count `report` and `streak` use). A goal's are its courses' and
    /// projects'.
    pub sessions: i64,
    /// Minutes logged; a goal's are its courses' and projects'.
    pub minutes: i64,
}

impl ItemView {
    pub fn build(conn: &Connection, item: Item) -> Result<ItemView> {
        let scope = scope_of_item(conn, &item)?;
        let (sessions, minutes, units) = store::sessions::scope_totals(conn, &scope)?;
        let units_done = if item.kind == Kind::Goal { units } else { store::items::units_done(conn, item.id)? };
        Ok(ItemView { item, units_done, sessions, minutes })
    }
}

/// The sessions that count for an item: its own, or for a goal those of
/// its courses and projects.
pub fn scope_of_item(conn: &Connection, item: &Item) -> Result<Scope> {
    if item.kind != Kind::Goal {
        return Ok(Scope::Items(vec![item.id]));
    }
    let mut ids: Vec<i64> =
        store::items::list(conn, None)?.into_iter().filter(|i| i.goal_id == Some(item.id)).map(|i| i.id).collect();
    ids.push(item.id);
    Ok(Scope::Items(ids))
}
