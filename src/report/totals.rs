//! Per-day, per-item totals of the whole history, loaded once per command
//! (one pass over a covering index) and shared by every report built from it.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::store;
use crate::store::sessions::{DayItemTotal, Scope};

#[derive(Debug, Clone, Default)]
pub struct DayTotals {
    /// (study day, item or general study, minutes, units), ordered by day.
    rows: Vec<DayItemTotal>,
}

impl DayTotals {
    pub fn load(conn: &Connection) -> Result<DayTotals> {
        Ok(DayTotals { rows: store::sessions::day_item_totals(conn)? })
    }

    fn in_scope<'a>(&'a self, scope: &'a Scope) -> impl Iterator<Item = &'a DayItemTotal> + 'a {
        self.rows.iter().filter(move |(_, item, _, _)| match scope {
            Scope::All => true,
            Scope::Items(ids) => item.is_some_and(|id| ids.contains(&id)),
        })
    }

    /// Minutes per study day in a scope.
    pub fn day_minutes(&self, scope: &Scope) -> BTreeMap<NaiveDate, i64> {
        let mut days = BTreeMap::new();
        for (day, _, minutes, _) in self.in_scope(scope) {
            *days.entry(*day).or_insert(0) += minutes;
        }
        days
    }

    /// Minutes and units per study day in a scope, within [from, to].
    pub fn day_amounts(&self, scope: &Scope, from: NaiveDate, to: NaiveDate) -> BTreeMap<NaiveDate, (i64, i64)> {
        let mut days = BTreeMap::new();
        for (day, _, minutes, units) in self.in_scope(scope).filter(|(d, ..)| *d >= from && *d <= to) {
            let entry = days.entry(*day).or_insert((0, 0));
            entry.0 += minutes;
            entry.1 += units;
        }
        days
    }

    /// (study day, minutes, units) of one item, by day.
    pub fn item_days(&self, item_id: i64) -> Vec<(NaiveDate, i64, i64)> {
        self.rows.iter().filter(|(_, item, ..)| *item == Some(item_id)).map(|(d, _, m, u)| (*d, *m, *u)).collect()
    }
}
