//! learnlog: a personal learning tracker over one local SQLite file.
//!
//! Data flows one way: `cli` parses → [`run`] builds a [`Ctx`] →
//! `commands::x::run` reads through `store`, computes through `domain`,
//! assembles a `report` struct → `render` writes it through [`output::Out`].

pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod domain;
pub mod error;
pub mod files;
pub mod interop;
pub mod lookup;
pub mod ops;
pub mod outcome;
pub mod output;
pub mod render;
pub mod report;
pub mod server;
pub mod store;
pub mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::clock::Clock;
use crate::config::{Config, Settings};
use crate::output::Out;
use crate::store::Db;

/// Everything a command needs. The database is opened on first use, so
/// `completions`, `config path` and `--help` never touch a file.
pub struct Ctx {
    pub out: Out,
    pub clock: Clock,
    pub config: Config,
    pub settings: Settings,
    pub config_path: PathBuf,
    db_flag: Option<PathBuf>,
    db: Option<Db>,
    /// A note for stderr once the command has succeeded (a failure prints
    /// its own `error:` line first, and its own hint).
    pending_note: Option<String>,
    /// Whether pledges without terms were looked for (once per run).
    terms_checked: bool,
}

impl Ctx {
    /// The database path in force.
    pub fn db_path(&self) -> Result<PathBuf> {
        config::database_path(self.db_flag.as_deref(), &self.config)
    }

    /// The database for reading: a missing file reads as empty and is not created.
    pub fn read_db(&mut self) -> Result<&Db> {
        if self.db.is_none() {
            let path = self.db_path()?;
            let db = Db::open_for_reading(&path)?;
            // The hint is for a person reading text; a script reading
            // `--json` gets the empty state alone (nothing on stderr).
            if !db.is_file() && !self.out.json {
                self.pending_note = Some(format!(
                    "hint: no learnlog database yet at {}; `learnlog add course TITLE` starts one",
                    path.display()
                ));
            }
            self.db = Some(db);
        }
        self.db.as_ref().ok_or_else(|| anyhow::anyhow!("the database is not open"))
    }

    /// The database for reading, handed over to an outcome that reads it
    /// as it prints (the JSON export's stream of sessions).
    pub fn take_read_db(&mut self) -> Result<Db> {
        self.read_db()?;
        self.db.take().ok_or_else(|| anyhow::anyhow!("the database is not open"))
    }

    /// The database for writing, created on first use.
    pub fn write_db(&mut self) -> Result<&mut Db> {
        // A file opened for reading is read-only, and the in-memory stand-in
        // for a missing file must give way to a real one.
        if self.db.as_ref().is_none_or(|db| !db.is_file() || db.is_read_only()) {
            // Closed first: the read-only connection must not outlive it.
            self.db = None;
            let path = self.db_path()?;
            self.db = Some(Db::open(&path, true)?);
            // It exists now: "no database yet" would be wrong.
            self.pending_note = None;
        }
        let db = self.db.as_mut().ok_or_else(|| anyhow::anyhow!("the database is not open"))?;
        // Pledges made before pledges kept their terms keep those in force
        // now: looked for once per run (a read), and stored, when there are
        // any, in a stamped write of their own, so the change travels with
        // a clock of its own like any local change.
        if !self.terms_checked {
            if store::pledges::terms_missing(db.conn())? {
                let terms = self.settings.pledge_terms();
                db.write_unjournaled(self.clock.now(), |conn| store::pledges::fill_missing_terms(conn, &terms))?;
            }
            self.terms_checked = true;
        }
        Ok(db)
    }
}

/// Runs a parsed command line; the exit code is decided here or by the error.
pub fn run(mut cli: Cli) -> Result<ExitCode> {
    let mut out = Out::new(cli.global.color, cli.global.json, cli.global.quiet);
    let config_path = config::config_path(cli.global.config.as_deref())?;
    // Commands that must work whatever the config says.
    let generated = match &cli.command {
        Command::Completions(args) => Some(commands::completions::run(args)?),
        Command::Man => Some(commands::completions::man()?),
        _ => None,
    };
    if let Some(generated) = generated {
        outcome::emit(&mut out, &*generated)?;
        out.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    // `config path` names the file and `config set` creates it: both work
    // before it exists.
    let creates = matches!(
        &cli.command,
        Command::Config(cli::ConfigArgs { action: Some(cli::ConfigAction::Path | cli::ConfigAction::Set { .. }) })
    );
    let named = config::named_explicitly(cli.global.config.as_deref()) && !creates;
    let config = Config::load(&config_path, named)?;
    let settings = config.settings()?;
    let clock = Clock::from_env(settings.day_starts_at)?;
    cli.settle_json()?;
    let mut ctx = Ctx {
        out,
        clock,
        config,
        settings,
        config_path,
        db_flag: cli.global.db.clone(),
        db: None,
        pending_note: None,
        terms_checked: false,
    };
    let code = commands::dispatch(&mut ctx, cli.command)?;
    ctx.out.flush()?;
    if let Some(note) = ctx.pending_note.take() {
        ctx.out.note(note)?;
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveTime, Utc};

    use super::*;
    use crate::clock::Zone;

    fn at(text: &str) -> DateTime<Utc> {
        text.parse().unwrap()
    }

    fn hlc(db: &Db) -> String {
        store::sync::state(db.conn()).unwrap().unwrap().hlc.to_string()
    }

    /// Storing the terms of old pledges is a local change that travels: it
    /// gets a clock of its own (a stamped write), once, and is not journaled.
    #[test]
    fn old_pledges_get_their_terms_once_in_a_stamped_write() {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open(&dir.path().join("learnlog.db"), true).unwrap();
        store::sync::enable(db.conn(), uuid::Uuid::from_bytes([1; 16]), "ana", at("2026-11-02T09:00:00Z")).unwrap();
        db.write("pledge", at("2026-11-02T09:00:00Z"), |c| {
            c.execute(
                "INSERT INTO pledges (uuid, from_date, created_at, updated_at) VALUES ('p1', '2026-11-02', 'x', 'x')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
        let before = hlc(&db);
        let journal =
            |db: &Db| -> i64 { db.conn().query_row("SELECT count(*) FROM undo_log", [], |r| r.get(0)).unwrap() };
        let entries = journal(&db);
        let config = Config::default();
        let mut ctx = Ctx {
            out: Out::new(cli::ColorChoice::Never, false, true),
            clock: Clock::fixed(at("2026-11-03T09:00:00Z"), NaiveTime::MIN, Zone::Utc),
            settings: config.settings().unwrap(),
            config,
            config_path: PathBuf::new(),
            db_flag: db.path().map(|p| p.to_path_buf()),
            db: Some(db),
            pending_note: None,
            terms_checked: false,
        };
        let db = ctx.write_db().unwrap();
        store::sync::flush_outbox(db.conn()).unwrap();
        let (terms, change_hlc): (Option<String>, String) = db
            .conn()
            .query_row(
                "SELECT (SELECT terms FROM pledges), hlc FROM sync_changes WHERE op = 'update' AND data ->> '$.terms' IS NOT NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert!(terms.is_some());
        assert!(change_hlc > before, "the fill carries a clock of its own: {change_hlc} after {before}");
        assert_eq!(change_hlc, hlc(db));
        assert_eq!(journal(db), entries, "not a change undo reverses");
        // Looked for once per run: a later use of the database reads nothing more.
        db.conn().execute("UPDATE pledges SET terms = NULL", []).unwrap();
        let stamped = hlc(db);
        let db = ctx.write_db().unwrap();
        let terms: Option<String> = db.conn().query_row("SELECT terms FROM pledges", [], |r| r.get(0)).unwrap();
        assert_eq!((terms, hlc(db)), (None, stamped));
    }
}
