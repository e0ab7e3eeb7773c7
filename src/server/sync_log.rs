//! A member's sync log on the server: sealed rows, one sequence per device,
//! append-only. Every query reads or writes the connected member's own rows;
//! row-level security would refuse anything else anyway.

use anyhow::Result;
use chrono::{DateTime, Utc};
use postgres::Client;
use uuid::Uuid;

use super::query_error;

/// Rows are sent in statements of at most this many.
const CHUNK: usize = 1000;

/// One sealed batch of changes, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogRow {
    pub device: Uuid,
    pub seq: i64,
    pub nonce: Vec<u8>,
    pub sealed: Vec<u8>,
}

/// What a push found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Every row is on the server now (`inserted` of them by this push; the
    /// others were there already, identical — a retried push).
    Pushed { inserted: u64 },
    /// The server holds a different row under this device and sequence
    /// number: another copy of this device's database pushed first. Nothing
    /// of this push was kept.
    Conflict { seq: i64 },
}

/// The server's clock.
pub fn server_time(c: &mut Client) -> Result<DateTime<Utc>> {
    let row = c.query_one("SELECT now()", &[]).map_err(|e| query_error(e, "cannot read the server's clock"))?;
    Ok(row.get(0))
}

/// The connected member's login name.
pub fn member(c: &mut Client) -> Result<String> {
    let row =
        c.query_one("SELECT session_user::text", &[]).map_err(|e| query_error(e, "cannot ask who is connected"))?;
    Ok(row.get(0))
}

/// For each of the member's devices, the highest sequence number stored.
pub fn heads(c: &mut Client) -> Result<Vec<(Uuid, i64)>> {
    let rows = c
        .query(
            "SELECT device, max(seq) FROM learnlog.sync_log WHERE owner = session_user GROUP BY device ORDER BY device",
            &[],
        )
        .map_err(|e| query_error(e, "cannot read the sync log"))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
}

/// For each of the member's devices: the highest sequence number and when
/// that device last pushed (the server's clock).
pub fn devices(c: &mut Client) -> Result<Vec<(Uuid, i64, DateTime<Utc>)>> {
    let rows = c
        .query(
            "SELECT device, max(seq), max(pushed_at) FROM learnlog.sync_log
             WHERE owner = session_user GROUP BY device ORDER BY device",
            &[],
        )
        .map_err(|e| query_error(e, "cannot read the sync log"))?;
    Ok(rows.iter().map(|r| (r.get(0), r.get(1), r.get(2))).collect())
}

/// Appends rows in one transaction. A row already stored identically is
/// skipped (a retried push duplicates nothing); a row stored differently is
/// a conflict, and then nothing of this push is kept.
pub fn push(c: &mut Client, rows: &[LogRow]) -> Result<PushOutcome> {
    const DOING: &str = "cannot push to the server";
    let mut tx = c.transaction().map_err(|e| query_error(e, DOING))?;
    let mut inserted = 0;
    for chunk in rows.chunks(CHUNK) {
        let devices: Vec<Uuid> = chunk.iter().map(|r| r.device).collect();
        let seqs: Vec<i64> = chunk.iter().map(|r| r.seq).collect();
        let nonces: Vec<&[u8]> = chunk.iter().map(|r| r.nonce.as_slice()).collect();
        let sealed: Vec<&[u8]> = chunk.iter().map(|r| r.sealed.as_slice()).collect();
        let added = tx
            .execute(
                "INSERT INTO learnlog.sync_log (device, seq, nonce, sealed)
                 SELECT * FROM unnest($1::uuid[], $2::int8[], $3::bytea[], $4::bytea[])
                 ON CONFLICT DO NOTHING",
                &[&devices, &seqs, &nonces, &sealed],
            )
            .map_err(|e| query_error(e, DOING))?;
        inserted += added;
        // What was not inserted was there before: it must be the same row.
        if added < chunk.len() as u64 {
            let differs = tx
                .query_opt(
                    "SELECT s.seq FROM unnest($1::uuid[], $2::int8[], $3::bytea[], $4::bytea[])
                            AS sent(device, seq, nonce, sealed)
                     JOIN learnlog.sync_log s
                       ON s.owner = session_user AND s.device = sent.device AND s.seq = sent.seq
                     WHERE s.sealed <> sent.sealed OR s.nonce <> sent.nonce
                     ORDER BY s.seq LIMIT 1",
                    &[&devices, &seqs, &nonces, &sealed],
                )
                .map_err(|e| query_error(e, DOING))?;
            if let Some(row) = differs {
                tx.rollback().map_err(|e| query_error(e, DOING))?;
                return Ok(PushOutcome::Conflict { seq: row.get(0) });
            }
        }
    }
    tx.commit().map_err(|e| query_error(e, DOING))?;
    Ok(PushOutcome::Pushed { inserted })
}

/// The member's rows of one device after `after_seq`, in order, at most `limit`.
pub fn pull(c: &mut Client, device: Uuid, after_seq: i64, limit: i64) -> Result<Vec<LogRow>> {
    let rows = c
        .query(
            "SELECT device, seq, nonce, sealed FROM learnlog.sync_log
             WHERE owner = session_user AND device = $1 AND seq > $2
             ORDER BY seq LIMIT $3",
            &[&device, &after_seq, &limit],
        )
        .map_err(|e| query_error(e, "cannot pull from the server"))?;
    Ok(rows.iter().map(|r| LogRow { device: r.get(0), seq: r.get(1), nonce: r.get(2), sealed: r.get(3) }).collect())
}

/// The member's key check (nonce, sealed), if one was set.
pub fn key_check(c: &mut Client) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
    let row = c
        .query_opt("SELECT nonce, sealed FROM learnlog.sync_keys WHERE owner = session_user", &[])
        .map_err(|e| query_error(e, "cannot read the key check"))?;
    Ok(row.map(|r| (r.get(0), r.get(1))))
}

/// Sets the member's key check. It is written once: a second call with the
/// same value is a no-op, with another value an error.
pub fn set_key_check(c: &mut Client, nonce: &[u8], sealed: &[u8]) -> Result<()> {
    const DOING: &str = "cannot store the key check";
    c.execute(
        "INSERT INTO learnlog.sync_keys (nonce, sealed) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        &[&nonce, &sealed],
    )
    .map_err(|e| query_error(e, DOING))?;
    match key_check(c)? {
        Some((n, s)) if n == nonce && s == sealed => Ok(()),
        Some(_) => Err(super::with_hint(
            format!("{DOING}: the server already holds another key check for this member"),
            "join with the existing key: `learnlog sync setup URL --key KEY`",
        )),
        None => Err(anyhow::anyhow!("{DOING}: the server did not keep it")),
    }
}
