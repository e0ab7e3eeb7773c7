//! `floor DB`: open a learnlog database the way learnlog does (WAL, busy
//! timeout, synchronous=FULL, no checkpoint on close, foreign keys) and
//! insert one session in one `BEGIN IMMEDIATE` transaction. Nothing else: no
//! argument parsing, no config, no clock, no output. `bench/run.sh` times it
//! as the floor a check-in is compared with.
//!
//! `floor --version` prints one line and exits: the floor of process start.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{Connection, OpenFlags, TransactionBehavior, params};

fn main() -> rusqlite::Result<()> {
    let path = std::env::args().nth(1).expect("usage: floor DB");
    if path == "--version" {
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), "learnlog-bench-floor");
        return Ok(());
    }
    let mut conn =
        Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(10))?;
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    }
    conn.execute_batch(
        "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA wal_autocheckpoint = 256; \
         PRAGMA journal_size_limit = 1048576;",
    )?;
    conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let uuid = format!("floor-{nanos}-{}", std::process::id());
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    tx.execute(
        "INSERT INTO sessions (uuid, item_id, study_day, started_at, utc_offset, minutes, units, created_at, updated_at)
         VALUES (?1, NULL, '2026-11-23', '2026-11-23T19:00:00Z', 0, 30, 0, '2026-11-23T19:30:00Z', '2026-11-23T19:30:00Z')",
        params![uuid],
    )?;
    tx.commit()
}
