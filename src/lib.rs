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
pub mod interop;
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

    /// The database for reading and the output at once, for a command that
    /// streams from one to the other.
    pub fn read_db_and_out(&mut self) -> Result<(&Db, &mut Out)> {
        self.read_db()?;
        let db = self.db.as_ref().ok_or_else(|| anyhow::anyhow!("the database is not open"))?;
        Ok((db, &mut self.out))
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
        // Pledges made before pledges kept their terms keep those in force now.
        store::pledges::fill_missing_terms(db.conn(), &self.settings.pledge_terms())?;
        Ok(db)
    }

    /// A context over an explicit database and clock (the demo's).
    pub fn with_db(out: Out, clock: Clock, config: Config, db: Db) -> Result<Ctx> {
        let settings = config.settings()?;
        Ok(Ctx {
            out,
            clock,
            config,
            settings,
            config_path: PathBuf::new(),
            db_flag: db.path().map(|p| p.to_path_buf()),
            db: Some(db),
            pending_note: None,
        })
    }
}

/// Runs a parsed command line; the exit code is decided here or by the error.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let out = Out::new(cli.global.color, cli.global.json, cli.global.quiet);
    let config_path = config::config_path(cli.global.config.as_deref())?;
    // Commands that must work whatever the config says.
    match &cli.command {
        Command::Completions(args) => return commands::completions::run(out, args).map(|_| ExitCode::SUCCESS),
        Command::Man => return commands::completions::man(out).map(|_| ExitCode::SUCCESS),
        _ => {}
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
    let mut ctx =
        Ctx { out, clock, config, settings, config_path, db_flag: cli.global.db.clone(), db: None, pending_note: None };
    let code = commands::dispatch(&mut ctx, cli.command)?;
    ctx.out.flush()?;
    if let Some(note) = ctx.pending_note.take() {
        ctx.out.note(note)?;
    }
    Ok(code)
}
