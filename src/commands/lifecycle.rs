//! `done`, `drop`, `pause`, `resume`, `rm`: a record's life, honestly recorded.

use std::io::{BufRead, IsTerminal};

use anyhow::Result;

use super::{ALL_KINDS, find_session, resolve, session_number};
use crate::Ctx;
use crate::cli::{DoneArgs, DropArgs, RmArgs};
use crate::domain::parse::parse_date;
use crate::domain::records::{Item, Kind};
use crate::error::{user, user_hint};
use crate::report::records::ItemView;
use crate::store;

pub fn done(ctx: &mut Ctx, args: &DoneArgs) -> Result<()> {
    let today = ctx.clock.today();
    let day = args.date.as_deref().map(|d| parse_date(d, today)).transpose()?.unwrap_or(today);
    if day > today {
        return Err(user_hint(format!("{day} is in the future"), "record it on the day it happens"));
    }
    let view = change_status(ctx, &args.reference, "done", |item| {
        if !item.is_open() {
            return Err(user_hint(
                format!("{} is already {}", item.slug, item.status),
                "`learnlog resume` reopens a dropped one; `learnlog undo` reverses a mistake",
            ));
        }
        if item.kind != Kind::Course && (args.credential.is_some() || args.score.is_some()) {
            return Err(user("--credential and --score are for courses"));
        }
        item.status = item.kind.done_status().to_string();
        item.ended_on = Some(day);
        if let Some(url) = &args.credential {
            item.credential_url = Some(url.trim().to_string());
        }
        if let Some(score) = args.score {
            if !score.is_finite() || score < 0.0 {
                return Err(user(format!("invalid score '{score}': it must be 0 or more")));
            }
            item.score = Some(score);
        }
        Ok(())
    })?;
    let verb = match view.item.kind {
        Kind::Goal => "Achieved",
        Kind::Course => "Completed",
        Kind::Project => "Shipped",
    };
    finish(ctx, &view, format!("{verb} {} {} on {day}.", view.item.kind, view.item.slug))
}

pub fn drop(ctx: &mut Ctx, args: &DropArgs) -> Result<()> {
    let today = ctx.clock.today();
    let day = args.date.as_deref().map(|d| parse_date(d, today)).transpose()?.unwrap_or(today);
    let view = change_status(ctx, &args.reference, "drop", |item| {
        if !item.is_open() {
            return Err(user(format!("{} is already {}", item.slug, item.status)));
        }
        item.status = "dropped".into();
        item.ended_on = Some(day);
        item.end_reason = args.reason.clone();
        Ok(())
    })?;
    finish(ctx, &view, format!("Dropped {} {} on {day}. It stays in your record.", view.item.kind, view.item.slug))
}

pub fn pause(ctx: &mut Ctx, reference: &str) -> Result<()> {
    let view = change_status(ctx, reference, "pause", |item| {
        if item.kind == Kind::Goal {
            return Err(user("a goal cannot be paused; pause its courses or projects"));
        }
        if item.status != "active" && item.status != "idea" {
            return Err(user(format!("{} is {}, not active", item.slug, item.status)));
        }
        item.status = "paused".into();
        Ok(())
    })?;
    finish(ctx, &view, format!("Paused {} {}.", view.item.kind, view.item.slug))
}

pub fn resume(ctx: &mut Ctx, reference: &str) -> Result<()> {
    let view = change_status(ctx, reference, "resume", |item| {
        match item.status.as_str() {
            "paused" | "dropped" => {}
            "active" => return Err(user(format!("{} is already active", item.slug))),
            other => {
                return Err(user_hint(format!("{} is {other}", item.slug), "`learnlog undo` reverses a mistaken done"));
            }
        }
        item.status = "active".into();
        item.ended_on = None;
        item.end_reason = None;
        Ok(())
    })?;
    finish(ctx, &view, format!("Resumed {} {}.", view.item.kind, view.item.slug))
}

/// Resolves a reference and applies a status change in one journaled write.
fn change_status(
    ctx: &mut Ctx,
    reference: &str,
    verb: &str,
    apply: impl FnOnce(&mut Item) -> Result<()>,
) -> Result<ItemView> {
    let now = ctx.clock.now();
    let db = ctx.write_db()?;
    db.write(&format!("{verb} {reference}"), now, |conn| {
        let mut item = resolve(conn, reference, ALL_KINDS)?;
        apply(&mut item)?;
        item.updated_at = now;
        store::items::update(conn, &item)?;
        let fresh = store::items::get(conn, item.id)?.ok_or_else(|| user("the record vanished"))?;
        ItemView::build(conn, fresh)
    })
}

fn finish(ctx: &mut Ctx, view: &ItemView, line: String) -> Result<()> {
    if ctx.out.json {
        return ctx.out.json_doc(view);
    }
    ctx.out.done(line)
}

pub fn rm(ctx: &mut Ctx, args: &RmArgs) -> Result<()> {
    let now = ctx.clock.now();
    // Describe what would go, then confirm, then delete in one transaction.
    let description = {
        let conn = ctx.read_db()?.conn();
        if args.target == "session" {
            let s = find_session(conn, session_number(args.number.as_deref())?)?;
            format!("session #{} ({} on {})", s.number, crate::domain::parse::format_minutes(s.minutes), s.study_day)
        } else {
            let item = resolve(conn, &args.target, ALL_KINDS)?;
            let (sessions, _) = store::items::session_count(conn, item.id)?;
            let with = if sessions > 0 {
                format!(" and its {}", crate::render::plural(sessions, "session"))
            } else {
                String::new()
            };
            format!("{} {}{with}", item.kind, item.slug)
        }
    };
    confirm(args.yes, &description, ctx)?;
    let db = ctx.write_db()?;
    db.write(&format!("rm {description}"), now, |conn| {
        if args.target == "session" {
            let session = find_session(conn, session_number(args.number.as_deref())?)?;
            store::sessions::delete(conn, session.id)
        } else {
            let item = resolve(conn, &args.target, ALL_KINDS)?;
            store::items::delete(conn, item.id)
        }
    })?;
    ctx.out.done(format!("Deleted {description}. `learnlog undo` brings it back."))
}

/// Asks on a terminal; without one, only `--yes` proceeds.
fn confirm(yes: bool, description: &str, ctx: &mut Ctx) -> Result<()> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(user_hint(
            format!("not deleting {description} without --yes (stdin is not a terminal, so it cannot ask)"),
            "pass --yes to delete without asking",
        ));
    }
    ctx.out.note(format!("Delete {description}? [y/N] "))?;
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer)?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        Ok(())
    } else {
        Err(user("nothing deleted"))
    }
}
