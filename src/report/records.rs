//! Records as `list` and `show` present them: the stored fields plus what
//! is derived from sessions.

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use crate::domain::records::Item;
use crate::store;

#[derive(Debug, Clone, Serialize)]
pub struct ItemView {
    #[serde(flatten)]
    pub item: Item,
    /// Units done (a course), the sum of its sessions' units.
    pub units_done: i64,
    pub sessions: i64,
    pub minutes: i64,
}

impl ItemView {
    pub fn build(conn: &Connection, item: Item) -> Result<ItemView> {
        let units_done = store::items::units_done(conn, item.id)?;
        let (sessions, minutes) = store::items::session_count(conn, item.id)?;
        Ok(ItemView { item, units_done, sessions, minutes })
    }
}
