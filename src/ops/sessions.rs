//! Checks a session must pass wherever it is logged or moved: `checkin`,
//! `edit` and `import`.

use anyhow::Result;

use crate::domain::records::{Item, Kind};
use crate::error::{user, user_hint};
use crate::store;

/// Minutes logged on a study day, every target together.
pub fn day_minutes(conn: &rusqlite::Connection, day: chrono::NaiveDate) -> Result<i64> {
    let days = store::sessions::day_amounts(conn, &store::sessions::Scope::All, day, day)?;
    Ok(days.get(&day).map(|(minutes, _)| *minutes).unwrap_or(0))
}

/// A session's units may not take a course past its total, nor below zero
/// (`replacing`: the units of the session being changed, already counted).
pub fn check_units(conn: &rusqlite::Connection, item: &Item, replacing: i64, units: i64) -> Result<()> {
    if item.kind != Kind::Course {
        return Ok(());
    }
    let others = store::items::units_done(conn, item.id)? - replacing;
    let done = others.checked_add(units).ok_or_else(|| user(format!("{units} units is too many")))?;
    if done < 0 {
        return Err(user_hint(
            format!("{} has {others} units done; {units} would make fewer than none", item.slug),
            format!("`learnlog progress {} N` sets the units done", item.slug),
        ));
    }
    match item.units_total {
        Some(total) if done > total => {
            // `progress` works only on an open course.
            let hint = if item.is_open() {
                format!("if it has more, `learnlog progress {} {others}/{done}` raises the total first", item.slug)
            } else {
                format!("{} is {}; give at most {} units", item.slug, item.status, (total - others).max(0))
            };
            Err(user_hint(
                format!("{} has {total} units; {others} done and {units} more would make {done}", item.slug),
                hint,
            ))
        }
        _ => Ok(()),
    }
}
