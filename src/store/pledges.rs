//! Pledges, their rate changes, and settled debts.

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::{date_text, instant_text, opt_day, parse_day, parse_instant};
use crate::domain::money::Money;
use crate::domain::pledge::{Completion, PledgeTerms};
use crate::domain::snapshot::TermsRecord;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PledgeRow {
    pub id: i64,
    pub uuid: String,
    #[serde(skip)]
    pub item_id: Option<i64>,
    /// The target's slug, or `all`.
    pub target: String,
    pub stake: Option<String>,
    /// The stake as an amount, when one is known (imports may carry one).
    pub stake_amount: Option<Money>,
    pub referee: Option<String>,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    pub rates: Vec<RateRow>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The settings it was made under; `None` for a pledge older than
    /// terms, until a write stores the current settings.
    #[serde(skip)]
    pub terms: Option<PledgeTerms>,
    /// `done` on its target.
    #[serde(skip)]
    pub completion: Option<Completion>,
}

/// The `terms` column's text.
pub fn terms_text(terms: &PledgeTerms) -> String {
    serde_json::to_string(&TermsRecord::from(terms)).unwrap_or_default()
}

/// The `terms` column read back; unreadable text reads as none (the
/// current settings then apply), never as an error that hides the pledge.
fn parse_terms(text: Option<String>) -> Option<PledgeTerms> {
    serde_json::from_str::<TermsRecord>(text.as_deref()?).ok()?.to_terms().ok()
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateRow {
    #[serde(skip)]
    pub id: i64,
    pub uuid: String,
    /// `None`: the pledge ends here.
    pub rate: Option<String>,
    pub effective_from: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settlement {
    pub uuid: String,
    pub pledge_id: i64,
    pub period_start: NaiveDate,
    pub settled_on: NaiveDate,
    pub note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub fn insert(conn: &Connection, p: &PledgeRow) -> Result<i64> {
    conn.execute(
        "INSERT INTO pledges (uuid, item_id, stake, stake_minor, currency, referee, from_date, until_date, created_at,
            updated_at, terms, completed_on, completion_kept)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            p.uuid,
            p.item_id,
            p.stake,
            p.stake_amount.as_ref().map(|m| m.minor),
            p.stake_amount.as_ref().map(|m| m.currency.clone()),
            p.referee,
            date_text(p.from),
            p.until.map(date_text),
            instant_text(p.created_at),
            instant_text(p.updated_at),
            p.terms.as_ref().map(terms_text),
            p.completion.map(|c| date_text(c.on)),
            p.completion.map(|c| c.kept)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Writes the pledge's own fields back (not its rates).
pub fn update(conn: &Connection, p: &PledgeRow) -> Result<()> {
    conn.execute(
        "UPDATE pledges SET stake = ?2, referee = ?3, from_date = ?4, until_date = ?5, updated_at = ?6 WHERE id = ?1",
        params![p.id, p.stake, p.referee, date_text(p.from), p.until.map(date_text), instant_text(p.updated_at)],
    )?;
    Ok(())
}

pub fn insert_rate(conn: &Connection, pledge_id: i64, rate: &RateRow) -> Result<()> {
    conn.execute(
        "INSERT INTO pledge_rates (uuid, pledge_id, rate, effective_from, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            rate.uuid,
            pledge_id,
            rate.rate,
            date_text(rate.effective_from),
            instant_text(rate.created_at),
            instant_text(rate.updated_at)
        ],
    )?;
    Ok(())
}

/// Cancels rate changes still waiting to take effect after `today`.
pub fn cancel_pending(conn: &Connection, pledge_id: i64, after: NaiveDate) -> Result<usize> {
    Ok(conn.execute(
        "DELETE FROM pledge_rates WHERE pledge_id = ?1 AND effective_from > ?2",
        params![pledge_id, date_text(after)],
    )?)
}

/// Every pledge with its rate history, oldest first.
pub fn list(conn: &Connection) -> Result<Vec<PledgeRow>> {
    let mut stmt = conn.prepare(
        "SELECT p.id, p.uuid, p.item_id, coalesce(i.slug, 'all'), p.stake, p.referee, p.from_date, p.until_date,
                p.created_at, p.updated_at, p.stake_minor, p.currency, p.terms, p.completed_on, p.completion_kept
         FROM pledges p LEFT JOIN items i ON i.id = p.item_id ORDER BY p.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(PledgeRow {
            id: r.get(0)?,
            uuid: r.get(1)?,
            item_id: r.get(2)?,
            target: r.get(3)?,
            stake: r.get(4)?,
            stake_amount: match (r.get::<_, Option<i64>>(10)?, r.get::<_, Option<String>>(11)?) {
                (Some(minor), Some(currency)) => Some(Money { minor, currency }),
                _ => None,
            },
            referee: r.get(5)?,
            from: parse_day(&r.get::<_, String>(6)?)?,
            until: opt_day(r.get(7)?)?,
            rates: Vec::new(),
            created_at: parse_instant(&r.get::<_, String>(8)?)?,
            updated_at: parse_instant(&r.get::<_, String>(9)?)?,
            terms: parse_terms(r.get(12)?),
            completion: opt_day(r.get(13)?)?
                .map(|on| Completion { on, kept: r.get::<_, Option<bool>>(14).ok().flatten().unwrap_or(false) }),
        })
    })?;
    let mut pledges: Vec<PledgeRow> = rows.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT id, uuid, pledge_id, rate, effective_from, created_at, updated_at FROM pledge_rates ORDER BY pledge_id, id",
    )?;
    let rates = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(2)?,
            RateRow {
                id: r.get(0)?,
                uuid: r.get(1)?,
                rate: r.get(3)?,
                effective_from: parse_day(&r.get::<_, String>(4)?)?,
                created_at: parse_instant(&r.get::<_, String>(5)?)?,
                updated_at: parse_instant(&r.get::<_, String>(6)?)?,
            },
        ))
    })?;
    let at: std::collections::HashMap<i64, usize> = pledges.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
    for rate in rates {
        let (pledge_id, rate) = rate?;
        if let Some(i) = at.get(&pledge_id) {
            pledges[*i].rates.push(rate);
        }
    }
    Ok(pledges)
}

/// Records `done` on a pledge's target (journaled with the `done`).
pub fn set_completion(conn: &Connection, id: i64, completion: Completion, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE pledges SET completed_on = ?2, completion_kept = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, date_text(completion.on), completion.kept, instant_text(now)],
    )?;
    Ok(())
}

/// Whether some pledge was made before pledges kept their terms (a read:
/// the write in `fill_missing_terms` is needed only then).
pub fn terms_missing(conn: &Connection) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM pledges WHERE terms IS NULL)", [], |r| r.get(0))?)
}

/// Stores `terms` on the pledges made before pledges kept their terms. Not
/// a change of the user's: the journal does not record it (see
/// sql/0004_commitments.sql). It does travel when sync is set up, so it
/// runs in a stamped write (`Db::write_unjournaled`), like any local change.
pub fn fill_missing_terms(conn: &Connection, terms: &PledgeTerms) -> Result<()> {
    conn.execute("UPDATE pledges SET terms = ?1 WHERE terms IS NULL", [terms_text(terms)])?;
    Ok(())
}

pub fn settle(conn: &Connection, s: &Settlement) -> Result<()> {
    conn.execute(
        "INSERT INTO settlements (uuid, pledge_id, period_start, settled_on, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            s.uuid,
            s.pledge_id,
            date_text(s.period_start),
            date_text(s.settled_on),
            s.note,
            instant_text(s.created_at),
            instant_text(s.updated_at)
        ],
    )?;
    Ok(())
}

pub fn settlements(conn: &Connection) -> Result<Vec<Settlement>> {
    let mut stmt = conn.prepare(
        "SELECT uuid, pledge_id, period_start, settled_on, note, created_at, updated_at FROM settlements ORDER BY id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(Settlement {
            uuid: r.get(0)?,
            pledge_id: r.get(1)?,
            period_start: parse_day(&r.get::<_, String>(2)?)?,
            settled_on: parse_day(&r.get::<_, String>(3)?)?,
            note: r.get(4)?,
            created_at: parse_instant(&r.get::<_, String>(5)?)?,
            updated_at: parse_instant(&r.get::<_, String>(6)?)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
