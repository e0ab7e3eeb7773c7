//! Stand-in for the server module (PostgreSQL), with the API the sync
//! client is written against; replaced by the full module.

use anyhow::{Context, Result};
use postgres::{Client, NoTls};

pub struct ServerUrl(String);

impl ServerUrl {
    pub fn parse(text: &str) -> Result<ServerUrl> {
        if !(text.starts_with("postgresql://") || text.starts_with("postgres://")) {
            return Err(crate::error::user_hint(
                format!("'{text}' is not a PostgreSQL URL"),
                "write it as postgresql://NAME@HOST[:PORT]/DB",
            ));
        }
        Ok(ServerUrl(text.to_string()))
    }
}

pub fn connect(url: &ServerUrl) -> Result<Client> {
    let mut config: postgres::Config = url.0.parse().context("invalid server URL")?;
    if let Ok(password) = std::env::var("PGPASSWORD") {
        config.password(password);
    }
    config.connect(NoTls).map_err(|e| {
        anyhow::anyhow!("cannot reach the server: {e}")
            .context(crate::error::EnvHint { hint: "check the URL and that the server runs".into() })
    })
}

pub mod sync_log {
    use anyhow::Result;
    use chrono::{DateTime, Utc};
    use postgres::Client;
    use uuid::Uuid;

    pub struct LogRow {
        pub device: Uuid,
        pub seq: i64,
        pub nonce: Vec<u8>,
        pub sealed: Vec<u8>,
    }

    pub enum PushOutcome {
        Stored,
        Conflict { seq: i64 },
    }

    pub fn server_time(c: &mut Client) -> Result<DateTime<Utc>> {
        Ok(c.query_one("SELECT now()", &[])?.get(0))
    }

    pub fn member(c: &mut Client) -> Result<String> {
        Ok(c.query_one("SELECT current_user::text", &[])?.get(0))
    }

    pub fn heads(c: &mut Client) -> Result<Vec<(Uuid, i64)>> {
        let rows =
            c.query("SELECT device, max(seq) FROM learnlog.sync_log WHERE owner = current_user GROUP BY device", &[])?;
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    pub fn push(c: &mut Client, rows: &[LogRow]) -> Result<PushOutcome> {
        let mut tx = c.transaction()?;
        for row in rows {
            tx.execute(
                "INSERT INTO learnlog.sync_log (device, seq, nonce, sealed) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
                &[&row.device, &row.seq, &row.nonce, &row.sealed],
            )?;
            let stored: Vec<u8> = tx
                .query_one(
                    "SELECT sealed FROM learnlog.sync_log WHERE owner = current_user AND device = $1 AND seq = $2",
                    &[&row.device, &row.seq],
                )?
                .get(0);
            if stored != row.sealed {
                return Ok(PushOutcome::Conflict { seq: row.seq });
            }
        }
        tx.commit()?;
        Ok(PushOutcome::Stored)
    }

    pub fn pull(c: &mut Client, device: Uuid, after_seq: i64, limit: i64) -> Result<Vec<LogRow>> {
        let rows = c.query(
            "SELECT device, seq, nonce, sealed FROM learnlog.sync_log WHERE owner = current_user AND device = $1 AND seq > $2 ORDER BY seq LIMIT $3",
            &[&device, &after_seq, &limit],
        )?;
        Ok(rows.iter().map(|r| LogRow { device: r.get(0), seq: r.get(1), nonce: r.get(2), sealed: r.get(3) }).collect())
    }

    pub fn key_check(c: &mut Client) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        let row = c.query_opt("SELECT nonce, sealed FROM learnlog.sync_keys WHERE owner = current_user", &[])?;
        Ok(row.map(|r| (r.get(0), r.get(1))))
    }

    pub fn set_key_check(c: &mut Client, nonce: &[u8], sealed: &[u8]) -> Result<()> {
        c.execute("INSERT INTO learnlog.sync_keys (nonce, sealed) VALUES ($1, $2)", &[&nonce, &sealed])?;
        Ok(())
    }
}
