//! One module per command or command group; each reads through `store`,
//! computes through `domain`, and returns an [`Outcome`] that [`dispatch`]
//! shows: no command prints for itself or chooses between JSON and text.

pub mod add;
pub mod backup;
pub mod checkin;
pub mod cohort;
pub mod completions;
pub mod config_cmd;
pub mod demo;
pub mod edit;
pub mod export;
pub mod heatmap;
pub mod import;
pub mod lifecycle;
pub mod list;
pub mod next;
pub mod odds;
pub mod pledge;
pub mod portfolio;
pub mod remind;
pub mod report;
pub mod rest;
pub mod review;
pub mod server;
pub mod show;
pub mod status;
pub mod streak;
pub mod sync;
pub mod undo;

use std::process::ExitCode;

use anyhow::Result;

use crate::Ctx;
use crate::cli::Command;
use crate::outcome::{self, Outcome};

/// Runs a command and shows what it returns: [`outcome::emit`] alone
/// chooses JSON or text. `remind` alone decides an exit code of its own.
pub fn dispatch(ctx: &mut Ctx, command: Command) -> Result<ExitCode> {
    let (shown, code) = match command {
        Command::Remind(args) => remind::run(ctx, &args)?,
        command => (run(ctx, command)?, ExitCode::SUCCESS),
    };
    outcome::emit(&mut ctx.out, &*shown)?;
    Ok(code)
}

fn run(ctx: &mut Ctx, command: Command) -> Result<Box<dyn Outcome>> {
    match command {
        Command::Add(args) => add::run(ctx, args),
        Command::List(args) => list::run(ctx, &args),
        Command::Show(args) => show::run(ctx, &args),
        Command::Edit(args) => edit::run(ctx, &args),
        Command::Done(args) => lifecycle::done(ctx, &args),
        Command::Drop(args) => lifecycle::drop(ctx, &args),
        Command::Pause(args) => lifecycle::pause(ctx, &args.reference),
        Command::Resume(args) => lifecycle::resume(ctx, &args.reference),
        Command::Rm(args) => lifecycle::rm(ctx, &args),
        Command::Undo(args) => undo::run(ctx, &args),
        Command::Checkin(args) => checkin::run(ctx, &args),
        Command::Progress(args) => checkin::progress(ctx, &args),
        Command::Status(args) => status::run(ctx, &args),
        Command::Rest(args) => rest::run(ctx, &args),
        Command::Streak(args) => streak::run(ctx, &args),
        Command::Heatmap(args) => heatmap::run(ctx, &args),
        Command::Next => next::run(ctx),
        Command::Report(args) => report::run(ctx, &args),
        Command::Pledge(args) => pledge::run(ctx, &args),
        Command::Settle(args) => pledge::settle(ctx, &args),
        Command::Odds(args) => odds::run(ctx, &args),
        Command::Init => init(ctx),
        Command::Config(args) => config_cmd::run(ctx, &args),
        Command::Demo => demo::run(),
        Command::Export(args) => export::run(ctx, &args),
        Command::Import(args) => import::run(ctx, &args),
        Command::Backup(args) => backup::run(ctx, &args),
        Command::Portfolio(args) => portfolio::run(ctx, &args),
        Command::Sync(args) => sync::run(ctx, &args),
        Command::Server(cmd) => server::run(cmd),
        Command::Cohort(cmd) => cohort::run(ctx, cmd),
        Command::Review(cmd) => review::run(ctx, cmd),
        // Shown before the configuration is read (`lib::run`).
        Command::Completions(_) | Command::Man => Ok(outcome::nothing()),
        // With its exit code (`dispatch`).
        Command::Remind(args) => remind::run(ctx, &args).map(|(shown, _)| shown),
    }
}

fn init(ctx: &mut Ctx) -> Result<Box<dyn Outcome>> {
    let path = ctx.db_path()?;
    let existed = path.exists();
    ctx.write_db()?;
    let line = if existed {
        format!("Database {} is ready (it already existed).", path.display())
    } else {
        format!("Created {}.", path.display())
    };
    Ok(outcome::done(serde_json::json!({ "path": path.display().to_string(), "created": !existed }), line))
}

/// The pledge book as of today, read through the context's database.
pub(crate) fn pledge_book(ctx: &mut Ctx) -> Result<crate::report::pledges::PledgeBook> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let conn = ctx.read_db()?.conn();
    crate::report::pledges::build(conn, &settings, today)
}

// Lookups and file writes that several commands share live outside
// commands/ (a command never imports another); these keep the old paths.
pub use crate::files::{write_atomically, write_atomically_with};
pub use crate::lookup::{ALL_KINDS, find_session, non_empty, resolve, session_number};
