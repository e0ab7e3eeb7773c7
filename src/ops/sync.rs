//! Sync with the server (docs/sync.md): push this device's changes the
//! server lacks, pull the other devices' and apply them by the merge rules,
//! then publish what the learner shares with cohorts. `learnlog sync` runs
//! it, and so does `cohort board` before it reads the board.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::Ctx;
use crate::error::{Error, user_hint};
use crate::server;
use crate::server::sync_log::LogRow;
use crate::store;
use crate::store::sync::Pulled;
use crate::sync::change::Batch;
use crate::sync::seal::{self, Key, NONCE_BYTES};

/// Changes per server row: big enough to keep rows few, small enough that a
/// row stays well under a megabyte.
const CHANGES_PER_BATCH: usize = 1000;
/// Rows per push or pull round trip.
const ROWS_PER_CALL: usize = 50;
/// A clock further than this from the server's is worth a warning (SYNC.md §2).
const SKEW_WARNING_SECONDS: i64 = 5 * 60;

// ---- the server, as this command uses it --------------------------------------

/// A connection to the server, with the calls sync makes.
pub(crate) struct Remote {
    client: postgres::Client,
}

impl Remote {
    pub(crate) fn connect(url: &str) -> Result<Remote> {
        let url = server::ServerUrl::parse(url)?;
        Ok(Remote { client: server::connect(&url)? })
    }

    pub(crate) fn member(&mut self) -> Result<String> {
        server::sync_log::member(&mut self.client)
    }

    fn server_time(&mut self) -> Result<DateTime<Utc>> {
        server::sync_log::server_time(&mut self.client)
    }

    fn heads(&mut self) -> Result<Vec<(Uuid, i64)>> {
        server::sync_log::heads(&mut self.client)
    }

    /// Sends rows; `Some(seq)` when the server holds other content at a seq.
    fn push(&mut self, rows: &[LogRow]) -> Result<Option<i64>> {
        match server::sync_log::push(&mut self.client, rows)? {
            server::sync_log::PushOutcome::Conflict { seq } => Ok(Some(seq)),
            _ => Ok(None),
        }
    }

    fn pull(&mut self, device: Uuid, after: i64) -> Result<Vec<LogRow>> {
        server::sync_log::pull(&mut self.client, device, after, ROWS_PER_CALL as i64)
    }

    pub(crate) fn key_check(&mut self) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        server::sync_log::key_check(&mut self.client)
    }

    pub(crate) fn set_key_check(&mut self, nonce: &[u8], sealed: &[u8]) -> Result<()> {
        server::sync_log::set_key_check(&mut self.client, nonce, sealed)
    }
}

// ---- keys ----------------------------------------------------------------------

/// The key file sits beside the database: `learnlog.db` → `learnlog.sync-key`.
pub(crate) fn key_path(db_path: &Path) -> PathBuf {
    db_path.with_extension("sync-key")
}

pub(crate) fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("cannot draw random bytes: {e}"))?;
    Ok(bytes)
}

pub(crate) fn read_key(path: &Path) -> Result<Key> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the sync key {}", path.display()))?;
    Key::parse(&text).ok_or_else(|| anyhow!("{} does not hold a sync key", path.display()))
}

pub(crate) fn write_key(path: &Path, key: &Key) -> Result<()> {
    store::create_private_file(path)?;
    std::fs::write(path, format!("{}\n", key.to_text()))
        .with_context(|| format!("cannot write the sync key {}", path.display()))
}

pub(crate) fn not_set_up() -> anyhow::Error {
    user_hint("sync is not set up on this device", "learnlog sync setup postgresql://NAME@HOST/DB")
}

// ---- sync --------------------------------------------------------------------------

/// What a sync did: `learnlog sync --json` prints it.
#[derive(Debug, Serialize)]
pub struct SyncReport {
    pub pushed: usize,
    pub pulled: usize,
    pub devices: usize,
    pub server_time: DateTime<Utc>,
    pub warnings: Vec<String>,
}

/// Whether this device syncs: set up, with a server in the config.
pub fn is_set_up(ctx: &mut Ctx) -> Result<bool> {
    Ok(ctx.config.sync.url.is_some() && store::sync::state(ctx.read_db()?.conn())?.is_some())
}

/// How far a stage of a sync got, for a progress bar: `done` of `total`
/// steps, worth showing from `min_steps` on (`None`: the output's default).
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub label: &'static str,
    pub done: usize,
    pub total: usize,
    pub min_steps: Option<usize>,
}

/// Pushes, pulls and applies, then publishes to cohorts. `on_step` hears
/// how far each stage got (this module prints nothing itself).
pub fn sync(ctx: &mut Ctx, on_step: &mut dyn FnMut(Step)) -> Result<SyncReport> {
    let url = ctx.config.sync.url.clone().ok_or_else(not_set_up)?;
    let now = ctx.clock.now();
    let key_file = key_path(&ctx.db_path()?);
    let state = store::sync::state(ctx.read_db()?.conn())?.ok_or_else(not_set_up)?;
    let key = read_key(&key_file).map_err(|e| {
        e.context(Error::environment_hint("run `learnlog sync setup URL --key KEY` with the recovery key"))
    })?;
    let mut remote = Remote::connect(&url)?;
    let owner = remote.member()?;
    if owner != state.owner {
        return Err(user_hint(
            format!("this device synced as {}, but the server now says {owner}", state.owner),
            format!("run `learnlog sync setup URL` to sync as {owner}"),
        ));
    }
    // A key file that is not the learner's key would push rows no other
    // device can open: check it before anything goes up.
    if let Some((nonce, sealed)) = remote.key_check()?
        && !seal::key_matches(&key, &owner, &nonce, &sealed)
    {
        return Err(user_hint(
            format!("the key in {} is not the one {owner}'s devices sync with", key_file.display()),
            "learnlog sync setup URL --key KEY (the recovery key the first device printed)",
        ));
    }
    let server_time = remote.server_time()?;
    let skew = (now - server_time).num_seconds();
    let mut warnings = Vec::new();
    if skew.abs() > SKEW_WARNING_SECONDS {
        warnings.push(format!(
            "this device's clock is {} {} the server's; set it right so changes merge in the order they were made",
            describe_seconds(skew.abs()),
            if skew > 0 { "ahead of" } else { "behind" }
        ));
    }
    let heads = remote.heads()?;
    let pushed = push(ctx, &mut remote, &key, &state, &heads, now, on_step)?;
    let pulled = pull(ctx, &mut remote, &key, &state, &heads, on_step)?;
    let devices: BTreeSet<Uuid> = pulled.iter().filter(|p| !p.batch.changes.is_empty()).map(|p| p.device).collect();
    let total = pulled.iter().map(|p| p.batch.changes.len()).sum();
    let step = |done| Step { label: "applying", done, total, min_steps: None };
    let db = ctx.write_db()?;
    let applied = db.sync_write(|conn| {
        let applied = store::sync::apply(conn, pulled, now, &mut |done, _| on_step(step(done)))?;
        store::sync::finish(conn, now, skew)?;
        Ok(applied)
    })?;
    if let Some(problem) = publish_to_cohorts(ctx, &mut remote)? {
        warnings.push(problem);
    }
    Ok(SyncReport { pushed, pulled: applied, devices: devices.len(), server_time, warnings })
}

/// Publishes what the learner shares with cohorts (SYNC.md §3: publishing
/// happens during `sync`). Nothing is read from the server when nothing is
/// shared; a cohort that cannot be reached is a warning, not a failed sync.
fn publish_to_cohorts(ctx: &mut Ctx, remote: &mut Remote) -> Result<Option<String>> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let conn = ctx.write_db()?.conn();
    if store::cohorts::shares(conn)?.is_empty() {
        return Ok(None);
    }
    Ok(match crate::report::cohort::publish(conn, &mut remote.client, today, &settings) {
        Ok(_) => None,
        Err(err) => Some(format!("nothing was published to your cohorts: {err:#}")),
    })
}

/// Pulled rows are batches of up to `CHANGES_PER_BATCH` changes, their
/// count unknown until opened: a few rows are already a long history.
const PULL_ROWS_WORTH_A_BAR: usize = 3;

fn describe_seconds(seconds: i64) -> String {
    match seconds {
        s if s >= 2 * 86_400 => format!("{} days", s / 86_400),
        s if s >= 2 * 3600 => format!("{} hours", s / 3600),
        s => format!("{} minutes", s / 60),
    }
}

fn copied_database() -> anyhow::Error {
    user_hint(
        "another machine pushes under this device's id: this database file is a copy of another device's",
        "give this copy an id of its own: learnlog sync setup URL --new-device",
    )
}

/// Pushes every batch the server lacks; returns how many changes went.
fn push(
    ctx: &mut Ctx,
    remote: &mut Remote,
    key: &Key,
    state: &store::sync::State,
    heads: &[(Uuid, i64)],
    now: DateTime<Utc>,
    on_step: &mut dyn FnMut(Step),
) -> Result<usize> {
    let server_head = heads.iter().find(|(d, _)| *d == state.device).map_or(0, |(_, s)| *s);
    let db = ctx.write_db()?;
    let numbered = store::sync::last_numbered(db.conn())?;
    if server_head > numbered {
        // Rows under this id that this database never wrote.
        return Err(copied_database());
    }
    let last = db.sync_write(|conn| {
        store::sync::number_pending(conn, CHANGES_PER_BATCH, now, &mut || Ok(random::<NONCE_BYTES>()?.to_vec()))
    })?;
    // From what both the server and this device know was pushed: after a
    // reset or a restore from an old backup, the server holds less, and the
    // rest goes again; when it holds more than was confirmed here, those
    // batches go again too, and the server tells the same rows (a lost
    // confirmation) from other ones (a copy of this database).
    let first = server_head.min(state.pushed_seq) + 1;
    let db = ctx.write_db()?;
    let total = store::sync::changes_in(db.conn(), first, last)?;
    let step = |done| Step { label: "pushing", done, total, min_steps: None };
    on_step(step(0));
    let db = ctx.write_db()?;
    let mut pushed = 0;
    let mut sent = 0;
    let mut seq = first;
    while seq <= last {
        let mut rows = Vec::new();
        while seq <= last && rows.len() < ROWS_PER_CALL {
            if let Some((batch, nonce)) = store::sync::batch(db.conn(), seq)? {
                let sealed = seal::seal(
                    key,
                    nonce.as_slice().try_into().context("a stored nonce has the wrong length")?,
                    &seal::row_ad(&state.owner, state.device, seq),
                    &batch.to_bytes()?,
                );
                pushed += batch.changes.len();
                sent += batch.changes.len();
                rows.push(LogRow { device: state.device, seq, nonce, sealed });
            }
            seq += 1;
        }
        if remote.push(&rows)?.is_some() {
            return Err(copied_database());
        }
        db.sync_write(|conn| store::sync::set_pushed(conn, seq - 1))?;
        on_step(step(sent));
    }
    // What a re-push sent again is not news to the learner: count only the new.
    let repushed = if first <= state.pushed_seq { count_changes(db, first, state.pushed_seq)? } else { 0 };
    Ok(pushed.saturating_sub(repushed))
}

fn count_changes(db: &store::Db, from: i64, to: i64) -> Result<usize> {
    let mut count = 0;
    for seq in from..=to {
        if let Some((batch, _)) = store::sync::batch(db.conn(), seq)? {
            count += batch.changes.len();
        }
    }
    Ok(count)
}

/// Pulls what the other devices pushed since the last pull.
fn pull(
    ctx: &mut Ctx,
    remote: &mut Remote,
    key: &Key,
    state: &store::sync::State,
    heads: &[(Uuid, i64)],
    on_step: &mut dyn FnMut(Step),
) -> Result<Vec<Pulled>> {
    let cursors = store::sync::cursors(ctx.read_db()?.conn())?;
    let behind: Vec<(Uuid, i64, i64)> = heads
        .iter()
        .filter(|(device, _)| *device != state.device)
        .map(|(device, head)| (*device, cursors.get(device).map_or(0, |c| c.0), *head))
        .filter(|(_, cursor, head)| head > cursor)
        .collect();
    let total: i64 = behind.iter().map(|(_, cursor, head)| head - cursor).sum();
    let total = total.max(0) as usize;
    let step = |done| Step { label: "pulling", done, total, min_steps: Some(PULL_ROWS_WORTH_A_BAR) };
    on_step(step(0));
    let mut pulled = Vec::new();
    for (device, mut cursor, head) in behind {
        while cursor < head {
            let rows = remote.pull(device, cursor)?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let plain = seal::open(key, &row.nonce, &seal::row_ad(&state.owner, row.device, row.seq), &row.sealed)
                    .map_err(|_| {
                        anyhow!("row {} of device {} does not open with this device's key", row.seq, row.device)
                            .context(Error::environment_hint(
                                "check the key: learnlog sync setup URL --key KEY (the recovery key)",
                            ))
                    })?;
                let batch = Batch::from_bytes(&plain)
                    .with_context(|| format!("row {} of device {} is not a batch of changes", row.seq, row.device))?;
                cursor = cursor.max(row.seq);
                pulled.push(Pulled { device: row.device, seq: row.seq, batch });
            }
            on_step(step(pulled.len()));
        }
    }
    Ok(pulled)
}
