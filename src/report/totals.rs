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
    /// Ordered by day.
    rows: Vec<DayItemTotal>,
}

impl DayTotals {
    pub fn load(conn: &Connection) -> Result<DayTotals> {
        Ok(DayTotals { rows: store::sessions::day_item_totals(conn)? })
    }

    fn in_scope<'a>(&'a self, scope: &'a Scope) -> impl Iterator<Item = &'a DayItemTotal> + 'a {
        self.rows.iter().filter(move |row| match scope {
            Scope::All => true,
            Scope::Items(ids) => row.item_id.is_some_and(|id| ids.contains(&id)),
        })
    }

    /// Minutes per study day in a scope.
    pub fn day_minutes(&self, scope: &Scope) -> BTreeMap<NaiveDate, i64> {
        let mut days = BTreeMap::new();
        for row in self.in_scope(scope) {
            *days.entry(row.study_day).or_insert(0) += row.minutes;
        }
        days
    }

    /// Minutes and units per study day in a scope, within [from, to].
    pub fn day_amounts(&self, scope: &Scope, from: NaiveDate, to: NaiveDate) -> BTreeMap<NaiveDate, (i64, i64)> {
        let mut days = BTreeMap::new();
        for row in self.in_scope(scope).filter(|row| row.study_day >= from && row.study_day <= to) {
            let entry = days.entry(row.study_day).or_insert((0, 0));
            entry.0 += row.minutes;
            entry.1 += row.units;
        }
        days
    }

    /// The days of one item, by day.
    pub fn item_days(&self, item_id: i64) -> Vec<DayItemTotal> {
        self.rows.iter().filter(|row| row.item_id == Some(item_id)).copied().collect()
    }
}
