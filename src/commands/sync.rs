//! `learnlog sync setup URL`, `learnlog sync`, `learnlog sync status`
//! (docs/sync.md): push this device's changes the server lacks, pull the
//! other devices' and apply them by the merge rules.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::Ctx;
use crate::cli::{SyncAction, SyncArgs, SyncSetupArgs};
use crate::error::{Error, user_hint};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::server;
use crate::server::sync_log::LogRow;
use crate::store;
use crate::store::sync::Pulled;
use crate::sync::change::Batch;
use crate::sync::seal::{self, KEY_BYTES, Key, NONCE_BYTES};

/// Changes per server row: big enough to keep rows few, small enough that a
/// row stays well under a megabyte.
const CHANGES_PER_BATCH: usize = 1000;
/// Rows per push or pull round trip.
const ROWS_PER_CALL: usize = 50;
/// A clock further than this from the server's is worth a warning (SYNC.md §2).
const SKEW_WARNING_SECONDS: i64 = 5 * 60;

pub fn run(ctx: &mut Ctx, args: &SyncArgs) -> Result<Box<dyn Outcome>> {
    match &args.action {
        None => sync(ctx),
        Some(SyncAction::Setup(setup_args)) => setup(ctx, setup_args),
        Some(SyncAction::Status) => status(ctx),
    }
}

// ---- the server, as this command uses it --------------------------------------

/// A connection to the server, with the calls sync makes.
struct Remote {
    client: postgres::Client,
}

impl Remote {
    fn connect(url: &str) -> Result<Remote> {
        let url = server::ServerUrl::parse(url)?;
        Ok(Remote { client: server::connect(&url)? })
    }

    fn member(&mut self) -> Result<String> {
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

    fn key_check(&mut self) -> Result<Option<(Vec<u8>, Vec<u8>)>> {
        server::sync_log::key_check(&mut self.client)
    }

    fn set_key_check(&mut self, nonce: &[u8], sealed: &[u8]) -> Result<()> {
        server::sync_log::set_key_check(&mut self.client, nonce, sealed)
    }
}

// ---- keys ----------------------------------------------------------------------

/// The key file sits beside the database: `learnlog.db` → `learnlog.sync-key`.
fn key_path(db_path: &Path) -> PathBuf {
    db_path.with_extension("sync-key")
}

fn random<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("cannot draw random bytes: {e}"))?;
    Ok(bytes)
}

fn read_key(path: &Path) -> Result<Key> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read the sync key {}", path.display()))?;
    Key::parse(&text).ok_or_else(|| anyhow!("{} does not hold a sync key", path.display()))
}

fn write_key(path: &Path, key: &Key) -> Result<()> {
    store::create_private_file(path)?;
    std::fs::write(path, format!("{}\n", key.to_text()))
        .with_context(|| format!("cannot write the sync key {}", path.display()))
}

fn not_set_up() -> anyhow::Error {
    user_hint("sync is not set up on this device", "learnlog sync setup postgresql://NAME@HOST/DB")
}

// ---- setup -----------------------------------------------------------------------

#[derive(Debug, Serialize)]
struct SetupReport {
    url: String,
    device: Uuid,
    /// The recovery key, when this setup made it (printed once).
    #[serde(skip_serializing_if = "Option::is_none")]
    recovery_key: Option<String>,
    pending: i64,
}

fn given_key(args: &SyncSetupArgs) -> Result<Option<Key>> {
    let text = match (&args.key, &args.key_file) {
        (Some(text), _) => text.clone(),
        (None, Some(file)) => std::fs::read_to_string(file)
            .map_err(|e| user_hint(format!("cannot read {}: {e}", file.display()), "give the key with --key KEY"))?,
        (None, None) => return Ok(None),
    };
    Key::parse(&text).map(Some).ok_or_else(|| {
        user_hint(
            "that is not a learnlog sync key",
            "a key is 64 hex digits, as the first device's `sync setup` printed it",
        )
    })
}

fn setup(ctx: &mut Ctx, args: &SyncSetupArgs) -> Result<Box<dyn Outcome>> {
    let given = given_key(args)?;
    // Kept and shown without a password: learnlog never stores one
    // (PGPASSWORD or the password file give it).
    let url = server::ServerUrl::parse(&args.url)?.to_string();
    let now = ctx.clock.now();
    let db_path = ctx.db_path()?;
    let key_file = key_path(&db_path);
    let kept = if key_file.exists() { Some(read_key(&key_file)?) } else { None };
    let kept_text = kept.as_ref().map(Key::to_text);
    let mut remote = Remote::connect(&args.url)?;
    let owner = remote.member()?;
    let check = remote.key_check()?;
    // The recovery key is shown whenever this device's own key (made now or
    // on an earlier run that stopped half-way) is the learner's key.
    let own_key = given.is_none();
    let key = match (check, given.or(kept)) {
        (Some((nonce, sealed)), Some(key)) => {
            if !seal::key_matches(&key, &owner, &nonce, &sealed) {
                return Err(user_hint(
                    format!("the key does not match the one {owner}'s other devices sync with"),
                    "give the recovery key the first device printed: learnlog sync setup URL --key KEY",
                ));
            }
            if kept_text.as_deref() != Some(key.to_text().as_str()) {
                write_key(&key_file, &key)?;
            }
            key
        }
        (Some(_), None) => {
            return Err(user_hint(
                format!("{owner} already syncs from another device, with a key this device lacks"),
                "give the recovery key the first device printed: learnlog sync setup URL --key KEY",
            ));
        }
        (None, key) => {
            let key = match key {
                Some(key) => key,
                None => Key::from_bytes(random::<KEY_BYTES>()?),
            };
            // The key file first: a key the server checks against but no
            // file holds would lock every device out.
            write_key(&key_file, &key)?;
            let nonce = random::<NONCE_BYTES>()?;
            remote.set_key_check(&nonce, &seal::seal_key_check(&key, &owner, &nonce))?;
            key
        }
    };
    let db = ctx.write_db()?;
    let device = db.sync_write(|conn| {
        match store::sync::state(conn)? {
            None => {
                store::sync::enable(conn, Uuid::new_v4(), &owner, now)?;
            }
            Some(_) if args.new_device => store::sync::new_device(conn, Uuid::new_v4())?,
            Some(_) => store::sync::set_owner(conn, &owner)?,
        }
        let state = store::sync::state(conn)?.ok_or_else(|| anyhow!("sync state missing after setup"))?;
        Ok(state.device)
    })?;
    let pending = store::sync::pending(db.conn())?;
    crate::config::set_sync_url(&ctx.config_path, &url)?;
    let report = SetupReport { url, device, recovery_key: own_key.then(|| key.to_text()), pending };
    Ok(outcome::report(report, |out: &mut Out, report: &SetupReport| {
        let (device, pending) = (report.device, report.pending);
        out.done(format!("Sync is set up: this device is {device}; {pending} changes wait to be pushed."))?;
        if let Some(key) = &report.recovery_key {
            // Printed even with -q: it is shown this once.
            out.line(format!("Recovery key (keep it safe; other devices join with --key): {key}"))?;
        }
        out.done("Run `learnlog sync` to push and pull.")
    }))
}

// ---- sync --------------------------------------------------------------------------

#[derive(Debug, Serialize)]
struct SyncReport {
    pushed: usize,
    pulled: usize,
    devices: usize,
    server_time: DateTime<Utc>,
    warnings: Vec<String>,
}

fn sync(ctx: &mut Ctx) -> Result<Box<dyn Outcome>> {
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
    let pushed = push(ctx, &mut remote, &key, &state, &heads, now)?;
    let pulled = pull(ctx, &mut remote, &key, &state, &heads)?;
    let devices: BTreeSet<Uuid> = pulled.iter().filter(|p| !p.batch.changes.is_empty()).map(|p| p.device).collect();
    let mut progress = progress_line(ctx, "applying", pulled.iter().map(|p| p.batch.changes.len()).sum());
    let db = ctx.write_db()?;
    let applied = db.sync_write(|conn| {
        let applied = store::sync::apply(conn, &pulled, now, &mut |done, _| progress.tick(done))?;
        store::sync::finish(conn, now, skew)?;
        Ok(applied)
    })?;
    progress.finish();
    if let Some(problem) = publish_to_cohorts(ctx, &mut remote)? {
        warnings.push(problem);
    }
    let report = SyncReport { pushed, pulled: applied, devices: devices.len(), server_time, warnings };
    Ok(outcome::report(report, |out: &mut Out, report: &SyncReport| {
        for warning in &report.warnings {
            out.note(format!("warning: {warning}"))?;
        }
        out.done(format!(
            "synced: pushed {}, pulled {} from {} {}",
            report.pushed,
            report.pulled,
            report.devices,
            if report.devices == 1 { "device" } else { "devices" }
        ))
    }))
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

/// A progress bar on a terminal for long work, counted in changes (none
/// with -q or off a terminal: `Out` decides).
fn progress_line(ctx: &Ctx, label: &str, total: usize) -> crate::output::Progress {
    ctx.out.progress(label, total)
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
    let mut progress = ctx.out.progress("pushing", total);
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
        progress.tick(sent);
    }
    progress.finish();
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
) -> Result<Vec<Pulled>> {
    let cursors = store::sync::cursors(ctx.read_db()?.conn())?;
    let behind: Vec<(Uuid, i64, i64)> = heads
        .iter()
        .filter(|(device, _)| *device != state.device)
        .map(|(device, head)| (*device, cursors.get(device).map_or(0, |c| c.0), *head))
        .filter(|(_, cursor, head)| head > cursor)
        .collect();
    let total: i64 = behind.iter().map(|(_, cursor, head)| head - cursor).sum();
    let mut progress = ctx.out.progress_from("pulling", total.max(0) as usize, PULL_ROWS_WORTH_A_BAR);
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
            progress.tick(pulled.len());
        }
    }
    progress.finish();
    Ok(pulled)
}

// ---- status ---------------------------------------------------------------------------

#[derive(Debug, Serialize)]
struct StatusReport {
    url: Option<String>,
    device: Uuid,
    last_sync: Option<DateTime<Utc>>,
    pending: i64,
    devices: Vec<DeviceLine>,
    skew_seconds: Option<i64>,
}

#[derive(Debug, Serialize)]
struct DeviceLine {
    device: Uuid,
    last_push: Option<DateTime<Utc>>,
}

fn status(ctx: &mut Ctx) -> Result<Box<dyn Outcome>> {
    // Never a password, even one written into the config by hand.
    let url =
        ctx.config.sync.url.as_deref().map(|u| server::ServerUrl::parse(u).map_or(u.to_string(), |p| p.to_string()));
    let conn = ctx.read_db()?.conn();
    let state = store::sync::state(conn)?.ok_or_else(not_set_up)?;
    let pending = store::sync::pending(conn)?;
    let devices = store::sync::cursors(conn)?
        .into_iter()
        .map(|(device, (_, last_push))| DeviceLine { device, last_push })
        .collect();
    let report = StatusReport {
        url,
        device: state.device,
        last_sync: state.last_sync,
        pending,
        devices,
        skew_seconds: state.skew_seconds,
    };
    Ok(outcome::report(report, print_status))
}

fn print_status(out: &mut Out, report: &StatusReport) -> Result<()> {
    let when = |t: Option<DateTime<Utc>>| t.map_or("never".to_string(), |t| t.format("%Y-%m-%d %H:%M UTC").to_string());
    out.line(format!("server:     {}", report.url.as_deref().unwrap_or("(none)")))?;
    out.line(format!("device:     {}", report.device))?;
    out.line(format!("last sync:  {}", when(report.last_sync)))?;
    out.line(format!("pending:    {} changes", report.pending))?;
    if let Some(skew) = report.skew_seconds {
        out.line(format!("clock skew: {skew} s against the server"))?;
    }
    for line in &report.devices {
        out.line(format!("other device {}: last pushed {}", line.device, when(line.last_push)))?;
    }
    Ok(())
}
