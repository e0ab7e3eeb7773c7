//! `done`, `drop`, `pause`, `resume`, `rm`: a record's life, honestly recorded.

use std::io::{BufRead, IsTerminal};

use anyhow::Result;
use chrono::{DateTime, NaiveDate, Utc};

use crate::Ctx;
use crate::cli::{DoneArgs, DropArgs, RmArgs};
use crate::config::Settings;
use crate::domain::parse::parse_date;
use crate::domain::pledge::Completion;
use crate::domain::records::{Item, Kind, Status};
use crate::error::{user, user_hint};
use crate::lookup::{ALL_KINDS, find_session, resolve, session_number};
use crate::outcome::{self, Outcome};
use crate::report;
use crate::report::records::ItemView;
use crate::store;

pub fn done(ctx: &mut Ctx, args: &DoneArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let day = args.date.as_deref().map(|d| parse_date(d, today)).transpose()?.unwrap_or(today);
    if day > today {
        return Err(user_hint(format!("{day} is in the future"), "record it on the day it happens"));
    }
    let (view, pledges) = change_status(ctx, &args.reference, "done", PledgeEffect::Complete(day), |item| {
        if !item.is_open() {
            let hint = if item.status == Status::Dropped {
                format!("`learnlog resume {}` reopens it", item.slug)
            } else {
                format!("`learnlog show {}` shows when and how", item.slug)
            };
            return Err(user_hint(format!("{} is already {}", item.slug, item.status), hint));
        }
        if item.kind != Kind::Course && (args.credential.is_some() || args.score.is_some()) {
            return Err(user("--credential and --score are for courses"));
        }
        item.status = item.kind.done_status();
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
    let line = format!("{verb} {} {} on {day}.{pledges}", view.item.kind, view.item.slug);
    Ok(outcome::done(view, line))
}

pub fn drop(ctx: &mut Ctx, args: &DropArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let day = args.date.as_deref().map(|d| parse_date(d, today)).transpose()?.unwrap_or(today);
    if day > today {
        return Err(user_hint(format!("{day} is in the future"), "record it on the day it happens"));
    }
    let (view, pledges) = change_status(ctx, &args.reference, "drop", PledgeEffect::End, |item| {
        if !item.is_open() {
            return Err(user(format!("{} is already {}", item.slug, item.status)));
        }
        item.status = Status::Dropped;
        item.ended_on = Some(day);
        item.end_reason = args.reason.clone();
        Ok(())
    })?;
    let line = format!("Dropped {} {} on {day}. It stays in your record.{pledges}", view.item.kind, view.item.slug);
    Ok(outcome::done(view, line))
}

pub fn pause(ctx: &mut Ctx, reference: &str) -> Result<Box<dyn Outcome>> {
    let (view, pledges) = change_status(ctx, reference, "pause", PledgeEffect::End, |item| {
        if item.kind == Kind::Goal {
            return Err(user("a goal cannot be paused; pause its courses or projects"));
        }
        if item.status != Status::Active && item.status != Status::Idea {
            return Err(user(format!("{} is {}, not active", item.slug, item.status)));
        }
        item.status = Status::Paused;
        Ok(())
    })?;
    let line = format!("Paused {} {}.{pledges}", view.item.kind, view.item.slug);
    Ok(outcome::done(view, line))
}

pub fn resume(ctx: &mut Ctx, reference: &str) -> Result<Box<dyn Outcome>> {
    let (view, _) = change_status(ctx, reference, "resume", PledgeEffect::None, |item| {
        match item.status {
            Status::Paused | Status::Dropped => {}
            Status::Active => return Err(user(format!("{} is already active", item.slug))),
            other => {
                return Err(user_hint(
                    format!("{} is {other}; only a paused or dropped record can be resumed", item.slug),
                    "log more study on it as general study: `learnlog checkin`",
                ));
            }
        }
        item.status = Status::Active;
        item.ended_on = None;
        item.end_reason = None;
        Ok(())
    })?;
    let line = format!("Resumed {} {}.", view.item.kind, view.item.slug);
    Ok(outcome::done(view, line))
}

/// What a status change does to the pledges on the record.
#[derive(Debug, Clone, Copy)]
enum PledgeEffect {
    None,
    /// `done`: each pledge ends with the period holding this day, kept.
    Complete(NaiveDate),
    /// `drop`, `pause`: each pledge ends after its horizon, as `pledge end`.
    End,
}

/// Resolves a reference and applies a status change in one journaled
/// write, with its effect on the record's pledges; returns the record and
/// a sentence about the pledges (empty when there are none).
fn change_status(
    ctx: &mut Ctx,
    reference: &str,
    verb: &str,
    effect: PledgeEffect,
    apply: impl FnOnce(&mut Item) -> Result<()>,
) -> Result<(ItemView, String)> {
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let db = ctx.write_db()?;
    db.write(&format!("{verb} {reference}"), now, |conn| {
        let mut item = resolve(conn, reference, ALL_KINDS)?;
        apply(&mut item)?;
        item.updated_at = now;
        store::items::update(conn, &item)?;
        let pledges = end_pledges(conn, item.id, effect, &settings, today, now)?;
        let fresh = store::items::get(conn, item.id)?.ok_or_else(|| user("the record vanished"))?;
        Ok((ItemView::build(conn, fresh)?, pledges))
    })
}

/// Ends the pledges on item `item_id` as `effect` says (SPEC §2
/// "Commitments hold"), and says until when each still holds.
fn end_pledges(
    conn: &rusqlite::Connection,
    item_id: i64,
    effect: PledgeEffect,
    settings: &Settings,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<String> {
    let mut notes = Vec::new();
    for row in store::pledges::list(conn)?.into_iter().filter(|p| p.item_id == Some(item_id)) {
        let pledge = report::pledges::to_domain(&row, settings);
        let ws = pledge.terms.week_starts;
        match effect {
            PledgeEffect::None => {}
            PledgeEffect::Complete(day) => {
                let Some((start, end, _)) = pledge.period_at(day, ws) else {
                    if pledge.from > day {
                        // Not started yet: it never will.
                        store::pledges::set_completion(conn, row.id, Completion { on: day, kept: false }, now)?;
                        notes.push(format!(" Pledge #{}, not started yet, is cancelled.", row.id));
                    }
                    continue;
                };
                // A period already closed keeps its verdict: done never erases a debt.
                let kept = !pledge.terms.is_closed(end, today);
                store::pledges::set_completion(conn, row.id, Completion { on: day, kept }, now)?;
                let verdict =
                    if kept { ", kept: finishing is the goal" } else { " (closed already: its verdict stands)" };
                notes.push(format!(" Pledge #{} ends with its period {start}..{end}{verdict}.", row.id));
            }
            PledgeEffect::End => {
                if pledge.end_day(ws).is_some_and(|end| end < today) {
                    continue;
                }
                let last = match crate::ops::pledges::end_after_horizon(conn, &row, &pledge, today, now)? {
                    Some(first_free) => first_free.pred_opt().unwrap_or(first_free),
                    None => pledge.end_day(ws).unwrap_or(today),
                };
                notes.push(format!(
                    " Pledge #{} on {} still holds until {last} (the {}-day akrasia horizon).",
                    row.id, row.target, pledge.terms.horizon_days
                ));
            }
        }
    }
    Ok(notes.concat())
}

pub fn rm(ctx: &mut Ctx, args: &RmArgs) -> Result<Box<dyn Outcome>> {
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    // Describe what would go, then confirm, then delete in one transaction.
    let (description, record) = {
        let conn = ctx.read_db()?.conn();
        if args.target == "session" {
            let s = find_session(conn, session_number(args.number.as_deref())?)?;
            let text = format!(
                "session #{} ({} on {})",
                s.number,
                crate::domain::parse::format_minutes(s.minutes),
                s.study_day
            );
            (text, serde_json::to_value(&s)?)
        } else {
            let item = resolve(conn, &args.target, ALL_KINDS)?;
            refuse_pledged(conn, &item, &settings, today)?;
            let (sessions, _) = store::items::session_count(conn, item.id)?;
            let with = if sessions > 0 {
                format!(" and its {}", crate::render::plural(sessions, "session"))
            } else {
                String::new()
            };
            let text = format!("{} {}{with}", item.kind, item.slug);
            (text, serde_json::to_value(crate::report::records::ItemView::build(conn, item)?)?)
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
            refuse_pledged(conn, &item, &settings, today)?;
            store::items::delete(conn, item.id)
        }
    })?;
    // The record as it was, as `show --json` printed it.
    Ok(outcome::done(record, format!("Deleted {description}. `learnlog undo` brings it back.")))
}

/// Refuses to delete a record whose pledge has a closed period or a debt
/// owed: deleting would take its verdicts and stakes with it. A pledge
/// with no closed period (made by mistake, say) goes with its record.
fn refuse_pledged(conn: &rusqlite::Connection, item: &Item, settings: &Settings, today: NaiveDate) -> Result<()> {
    let book = report::pledges::build(conn, settings, today)?;
    for j in book.judged.iter().filter(|j| j.row.item_id == Some(item.id)) {
        let owed = book.debts.iter().any(|d| d.pledge_id == j.row.id && d.settled_on.is_none());
        let ctx = book.context(settings, today);
        let closed =
            crate::domain::pledge::evaluate(&j.pledge, &j.amounts, &ctx, j.pledge.from, today).iter().any(|p| p.closed);
        if owed || closed {
            let why = if owed { "a stake owed" } else { "periods already judged" };
            return Err(user_hint(
                format!("not deleting {} {}: its pledge #{} has {why}", item.kind, item.slug, j.row.id),
                format!("`learnlog drop {}` records the decision honestly and keeps the record", item.slug),
            ));
        }
    }
    Ok(())
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
