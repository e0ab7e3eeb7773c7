//! What this learner shares with cohorts, and the reviews their projects
//! received (a cache, so `portfolio` works offline). docs/sync.md.

use anyhow::Result;
use rusqlite::{Connection, params};

/// One shared target: an item's uuid, or `all`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Share {
    pub cohort: String,
    pub cohort_name: String,
    pub target: String,
}

pub fn shares(conn: &Connection) -> Result<Vec<Share>> {
    let mut stmt =
        conn.prepare("SELECT cohort, cohort_name, target FROM cohort_shares ORDER BY cohort_name, target")?;
    let rows = stmt.query_map([], |r| Ok(Share { cohort: r.get(0)?, cohort_name: r.get(1)?, target: r.get(2)? }))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Adds a share; false when it was there already.
pub fn share(conn: &Connection, cohort: &str, cohort_name: &str, target: &str, now: &str) -> Result<bool> {
    let n = conn.execute(
        "INSERT INTO cohort_shares (cohort, cohort_name, target, created_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (cohort, target) DO NOTHING",
        params![cohort, cohort_name, target, now],
    )?;
    Ok(n == 1)
}

/// Removes one share (`Some(target)`) or every share of a cohort (`None`);
/// returns how many went.
pub fn unshare(conn: &Connection, cohort: &str, target: Option<&str>) -> Result<usize> {
    Ok(match target {
        Some(t) => conn.execute("DELETE FROM cohort_shares WHERE cohort = ?1 AND target = ?2", params![cohort, t])?,
        None => conn.execute("DELETE FROM cohort_shares WHERE cohort = ?1", params![cohort])?,
    })
}

/// Forgets a cohort this learner left: its shares and the reviews cached
/// from it.
pub fn forget(conn: &Connection, cohort: &str) -> Result<()> {
    conn.execute("DELETE FROM cohort_shares WHERE cohort = ?1", params![cohort])?;
    conn.execute("DELETE FROM review_cache WHERE cohort = ?1", params![cohort])?;
    Ok(())
}

/// Keeps the cached reviews of these cohorts only (the learner's cohorts
/// now): a cohort left on another device takes its reviews along.
pub fn keep_reviews_of(conn: &Connection, cohorts: &[String]) -> Result<()> {
    conn.execute(
        "DELETE FROM review_cache WHERE cohort NOT IN (SELECT value FROM json_each(?1))",
        [serde_json::to_string(cohorts)?],
    )?;
    Ok(())
}

/// A review of one of this learner's projects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedReview {
    pub project: String,
    pub cohort: String,
    pub reviewer: String,
    pub rating: i64,
    pub comment: String,
    pub at: String,
}

/// Replaces the cached reviews of one cohort with `reviews`.
pub fn replace_reviews(conn: &Connection, cohort: &str, reviews: &[CachedReview]) -> Result<()> {
    let tx = conn.unchecked_transaction()?;
    tx.execute("DELETE FROM review_cache WHERE cohort = ?1", params![cohort])?;
    {
        let mut stmt = tx.prepare(
            "INSERT INTO review_cache (project, cohort, reviewer, rating, comment, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for r in reviews {
            stmt.execute(params![r.project, r.cohort, r.reviewer, r.rating, r.comment, r.at])?;
        }
    }
    tx.commit()?;
    Ok(())
}

/// Every cached review, by project then time.
pub fn reviews(conn: &Connection) -> Result<Vec<CachedReview>> {
    let mut stmt = conn.prepare(
        "SELECT project, cohort, reviewer, rating, comment, at FROM review_cache ORDER BY project, at, reviewer",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(CachedReview {
            project: r.get(0)?,
            cohort: r.get(1)?,
            reviewer: r.get(2)?,
            rating: r.get(3)?,
            comment: r.get(4)?,
            at: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Records that a settlement was published, and who confirmed it.
pub fn set_settlement(conn: &Connection, pledge: &str, period_start: &str, confirmed_by: Option<&str>) -> Result<()> {
    conn.execute(
        "INSERT INTO settlement_cache (pledge, period_start, confirmed_by) VALUES (?1, ?2, ?3)
         ON CONFLICT (pledge, period_start) DO UPDATE SET confirmed_by = excluded.confirmed_by
         WHERE confirmed_by IS NOT excluded.confirmed_by",
        params![pledge, period_start, confirmed_by],
    )?;
    Ok(())
}

/// Published settlements: (pledge uuid, period start) -> the confirming referee.
pub fn settlements(conn: &Connection) -> Result<std::collections::HashMap<(String, String), Option<String>>> {
    let mut stmt = conn.prepare("SELECT pledge, period_start, confirmed_by FROM settlement_cache")?;
    let rows = stmt.query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
