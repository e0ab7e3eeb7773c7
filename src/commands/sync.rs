//! `learnlog sync setup URL`, `learnlog sync`, `learnlog sync status`
//! (docs/sync.md): push this device's changes the server lacks, pull the
//! other devices' and apply them by the merge rules.

use anyhow::{Result, anyhow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use uuid::Uuid;

use crate::Ctx;
use crate::cli::{SyncAction, SyncArgs, SyncSetupArgs};
use crate::error::user_hint;
use crate::ops;
use crate::ops::sync::{Remote, SyncReport, key_path, not_set_up, random, read_key, write_key};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::server;
use crate::store;
use crate::sync::seal::{self, KEY_BYTES, Key, NONCE_BYTES};

pub fn run(ctx: &mut Ctx, args: &SyncArgs) -> Result<Box<dyn Outcome>> {
    match &args.action {
        None => sync(ctx),
        Some(SyncAction::Setup(setup_args)) => setup(ctx, setup_args),
        Some(SyncAction::Status) => status(ctx),
    }
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

fn sync(ctx: &mut Ctx) -> Result<Box<dyn Outcome>> {
    let mut bars = ctx.out.stage_bars();
    let report = ops::sync::sync(ctx, &mut |step| bars.show(step.label, step.done, step.total, step.min_steps))?;
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
