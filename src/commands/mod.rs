//! One module per command or command group; each reads through `store`,
//! computes through `domain`, and prints through `render`/`Out`.

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
use rusqlite::Connection;

use crate::Ctx;
use crate::cli::Command;
use crate::domain::records::{Item, Kind};
use crate::error::{user, user_hint};
use crate::store;

pub fn dispatch(ctx: &mut Ctx, command: Command) -> Result<ExitCode> {
    match command {
        Command::Add(args) => add::run(ctx, args)?,
        Command::List(args) => list::run(ctx, &args)?,
        Command::Show(args) => show::run(ctx, &args)?,
        Command::Edit(args) => edit::run(ctx, &args)?,
        Command::Done(args) => lifecycle::done(ctx, &args)?,
        Command::Drop(args) => lifecycle::drop(ctx, &args)?,
        Command::Pause(args) => lifecycle::pause(ctx, &args.reference)?,
        Command::Resume(args) => lifecycle::resume(ctx, &args.reference)?,
        Command::Rm(args) => lifecycle::rm(ctx, &args)?,
        Command::Undo(args) => undo::run(ctx, &args)?,
        Command::Checkin(args) => checkin::run(ctx, &args)?,
        Command::Progress(args) => checkin::progress(ctx, &args)?,
        Command::Status(args) => status::run(ctx, &args)?,
        Command::Remind(args) => return remind::run(ctx, &args),
        Command::Rest(args) => rest::run(ctx, &args)?,
        Command::Streak(args) => streak::run(ctx, &args)?,
        Command::Heatmap(args) => heatmap::run(ctx, &args)?,
        Command::Next => next::run(ctx)?,
        Command::Report(args) => report::run(ctx, &args)?,
        Command::Pledge(args) => pledge::run(ctx, &args)?,
        Command::Settle(args) => pledge::settle(ctx, &args)?,
        Command::Odds(args) => odds::run(ctx, &args)?,
        Command::Init => init(ctx)?,
        Command::Config(args) => config_cmd::run(ctx, &args)?,
        Command::Demo => demo::run(ctx)?,
        Command::Export(args) => export::run(ctx, &args)?,
        Command::Import(args) => import::run(ctx, &args)?,
        Command::Backup(args) => backup::run(ctx, &args)?,
        Command::Portfolio(args) => portfolio::run(ctx, &args)?,
        Command::Sync(args) => sync::run(ctx, &args)?,
        Command::Server(cmd) => server::run(ctx, cmd)?,
        Command::Cohort(cmd) => cohort::run(ctx, cmd)?,
        Command::Review(cmd) => review::run(ctx, cmd)?,
        Command::Completions(_) | Command::Man => {}
    }
    Ok(ExitCode::SUCCESS)
}

fn init(ctx: &mut Ctx) -> Result<()> {
    let path = ctx.db_path()?;
    let existed = path.exists();
    ctx.write_db()?;
    if ctx.out.json {
        return ctx.out.json_doc(&serde_json::json!({ "path": path.display().to_string(), "created": !existed }));
    }
    if existed {
        ctx.out.done(format!("Database {} is ready (it already existed).", path.display()))
    } else {
        ctx.out.done(format!("Created {}.", path.display()))
    }
}

/// What kinds a reference may name, for the error message.
fn kinds_text(kinds: &[Kind]) -> String {
    match kinds {
        [] | [Kind::Goal, Kind::Course, Kind::Project] => "goal, course or project".into(),
        [one] => one.to_string(),
        [a, b] => format!("{a} or {b}"),
        many => many.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", "),
    }
}

pub const ALL_KINDS: &[Kind] = &[Kind::Goal, Kind::Course, Kind::Project];

/// Resolves a reference (SPEC §1.2): a slug, a unique prefix of one, or
/// `kind:slug`, among items of the given kinds.
pub fn resolve(conn: &Connection, text: &str, kinds: &[Kind]) -> Result<Item> {
    let text = text.trim();
    let (kind, slug) = match text.split_once(':') {
        Some((k, s)) => match Kind::parse(k) {
            Some(kind) => (Some(kind), s),
            None => return Err(user_hint(format!("unknown kind '{k}' in '{text}'"), "use goal:, course: or project:")),
        },
        None => (None, text),
    };
    if slug.is_empty() {
        return Err(user("an empty reference names nothing"));
    }
    let wanted: Vec<Kind> = match kind {
        Some(k) => vec![k],
        None => kinds.to_vec(),
    };
    let candidates: Vec<Item> = store::items::with_slug_prefix(conn, slug, kind)?
        .into_iter()
        .filter(|item| wanted.contains(&item.kind))
        .collect();
    if let Some(exact) = candidates.iter().find(|item| item.slug == slug) {
        return Ok(exact.clone());
    }
    match candidates.len() {
        1 => Ok(candidates.into_iter().next().ok_or_else(|| user("no match"))?),
        0 => Err(no_match(conn, slug, &wanted)?),
        _ => {
            let names: Vec<String> = candidates.iter().map(|i| i.slug.clone()).collect();
            Err(user_hint(
                format!("'{slug}' is ambiguous: it could be {}", names.join(", ")),
                "type more of the slug, or kind:slug",
            ))
        }
    }
}

fn no_match(conn: &Connection, slug: &str, kinds: &[Kind]) -> Result<anyhow::Error> {
    let all = store::items::list(conn, None)?;
    let mut near: Vec<&Item> = all
        .iter()
        .filter(|i| kinds.contains(&i.kind))
        .filter(|i| i.slug.contains(slug) || edit_distance(&i.slug, slug) <= 2)
        .collect();
    near.truncate(3);
    let message = format!("no {} matches '{slug}'", kinds_text(kinds));
    Ok(match near.as_slice() {
        [] => {
            let other_kind = all.iter().find(|i| i.slug.starts_with(slug) && !kinds.contains(&i.kind));
            match other_kind {
                Some(item) => {
                    user_hint(message, format!("'{}' is a {}, not a {}", item.slug, item.kind, kinds_text(kinds)))
                }
                None => {
                    // Courses are what people refer to most; point there when they may be meant.
                    let listed = if kinds.contains(&Kind::Course) {
                        Kind::Course
                    } else {
                        kinds.first().copied().unwrap_or(Kind::Course)
                    };
                    user_hint(message, format!("see `learnlog list {listed}s --all`"))
                }
            }
        }
        found => {
            let names: Vec<String> = found.iter().map(|i| format!("'{}'", i.slug)).collect();
            user_hint(message, format!("did you mean {}?", names.join(" or ")))
        }
    })
}

/// Levenshtein distance, for "did you mean" (short strings only).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// Parses a session number given on the command line.
pub fn session_number(text: Option<&str>) -> Result<i64> {
    let text = text.ok_or_else(|| user_hint("which session?", "give its number: see `learnlog list sessions`"))?;
    text.trim().trim_start_matches('#').parse::<i64>().map_err(|_| {
        user_hint(format!("'{text}' is not a session number"), "see `learnlog list sessions` for the numbers")
    })
}

/// A session by number, or a clear error.
pub fn find_session(conn: &Connection, number: i64) -> Result<crate::domain::records::Session> {
    store::sessions::by_number(conn, number)?
        .ok_or_else(|| user_hint(format!("no session #{number}"), "see `learnlog list sessions` for the numbers"))
}

/// A text option that must not be empty when given.
pub fn non_empty(what: &str, text: &str) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(user(format!("the {what} cannot be empty")));
    }
    Ok(trimmed.to_string())
}

/// Writes a file through a temporary sibling renamed into place, so a
/// failure never leaves half a file.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |file| Ok(std::io::Write::write_all(file, bytes)?))
}

/// Like [`write_atomically`], for content written piece by piece.
pub fn write_atomically_with(
    path: &std::path::Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let temp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| -> Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&temp)?);
        fill(&mut file)?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}
