//! `learnlog cohort …` (SYNC.md §3): study together, as the member the
//! config's `[sync] url` names. Nothing is published before `cohort share`.

use anyhow::Result;
use chrono::NaiveDate;
use postgres::Client;
use serde_json::{Value, json};

use crate::Ctx;
use crate::cli::{BoardFormat, CohortBoardArgs, CohortCommand, CohortConfirmArgs, CohortInviteArgs, CohortShareArgs};
use crate::domain::parse::parse_date;
use crate::domain::streak::week_start;
use crate::error::{user, user_hint};
use crate::ops;
use crate::ops::cohorts::{client, refresh_reviews};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::report::cohort as board;
use crate::server;
use crate::server::cohorts::{self, Cohort};
use crate::store;

pub fn run(ctx: &mut Ctx, command: CohortCommand) -> Result<Box<dyn Outcome>> {
    match command {
        CohortCommand::Create(a) => create(ctx, &a.name, a.display_name.as_deref()),
        CohortCommand::Invite(a) => invite(ctx, &a),
        CohortCommand::Join(a) => join(ctx, &a.code, a.display_name.as_deref()),
        CohortCommand::Leave(a) => leave(ctx, &a.name),
        CohortCommand::Remove(a) => remove(ctx, &a.name, &a.member),
        CohortCommand::Share(a) => share(ctx, &a),
        CohortCommand::Unshare(a) => unshare(ctx, &a),
        CohortCommand::Board(a) => show_board(ctx, &a),
        CohortCommand::Confirm(a) => confirm(ctx, &a),
    }
}

fn create(ctx: &mut Ctx, name: &str, display: Option<&str>) -> Result<Box<dyn Outcome>> {
    let mut c = client(ctx)?;
    let me = server::sync_log::member(&mut c)?;
    let id = cohorts::create(&mut c, name.trim(), display.unwrap_or(&me))?;
    let line = format!("Created cohort {name}; you are its owner.");
    let hint = format!("hint: `learnlog cohort invite {name}` prints a code for a friend");
    Ok(done_with_hint(json!({"cohort": name, "id": id.to_string(), "owner": me}), line, hint))
}

/// A confirming line, then a hint on stderr for the next step; the record
/// alone as JSON.
fn done_with_hint(record: Value, line: String, hint: String) -> Box<dyn Outcome> {
    outcome::report(record, move |out: &mut Out, _: &Value| {
        out.done(&line)?;
        out.note(&hint)
    })
}

/// `30m`, `12h`, `7d`, `2w`.
fn parse_expiry(text: &str) -> Result<std::time::Duration> {
    let t = text.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (n, unit) = t.split_at(split);
    let n: u64 =
        n.parse().map_err(|_| user_hint(format!("invalid duration '{t}'"), "e.g. --expires 7d (m, h, d, w)"))?;
    let secs = match unit {
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => return Err(user_hint(format!("invalid duration '{t}'"), "e.g. --expires 7d (m, h, d, w)")),
    };
    Ok(std::time::Duration::from_secs(n.saturating_mul(secs)))
}

fn invite(ctx: &mut Ctx, a: &CohortInviteArgs) -> Result<Box<dyn Outcome>> {
    let valid = parse_expiry(&a.expires)?;
    let mut c = client(ctx)?;
    let cohort = cohorts::find(&mut c, &a.name)?;
    let (code, expires) = cohorts::invite(&mut c, cohort.id, a.uses, valid)?;
    let hint = format!(
        "hint: valid for {} join{} until {}; the other learner runs `learnlog cohort join CODE`",
        a.uses,
        if a.uses == 1 { "" } else { "s" },
        expires.format("%Y-%m-%d %H:%M UTC")
    );
    // The code is the output (not a confirmation): `-q` keeps it.
    let invitation = json!({"cohort": cohort.name, "code": code, "uses": a.uses, "expires": expires});
    Ok(outcome::report(invitation, move |out: &mut Out, _: &Value| {
        out.line(&code)?;
        out.note(&hint)
    }))
}

fn join(ctx: &mut Ctx, code: &str, display: Option<&str>) -> Result<Box<dyn Outcome>> {
    let mut c = client(ctx)?;
    let me = server::sync_log::member(&mut c)?;
    let id = cohorts::join(&mut c, code, display.unwrap_or(&me))?;
    let name = cohorts::list(&mut c)?.into_iter().find(|k| k.id == id).map(|k| k.name).unwrap_or_default();
    let line = format!("Joined cohort {name}. Nothing of yours is shared yet.");
    let hint = format!("hint: `learnlog cohort share {name} all` shares your totals, streaks and pledges");
    Ok(done_with_hint(json!({"cohort": name, "id": id.to_string()}), line, hint))
}

fn leave(ctx: &mut Ctx, name: &str) -> Result<Box<dyn Outcome>> {
    let mut c = client(ctx)?;
    let cohort = cohorts::find(&mut c, name)?;
    cohorts::leave(&mut c, cohort.id)?;
    store::cohorts::forget(ctx.write_db()?.conn(), &cohort.id.to_string())?;
    let line = format!("Left cohort {name}; what you published there is gone.");
    Ok(outcome::done(json!({"cohort": name, "left": true}), line))
}

fn remove(ctx: &mut Ctx, name: &str, member: &str) -> Result<Box<dyn Outcome>> {
    let mut c = client(ctx)?;
    let cohort = cohorts::find(&mut c, name)?;
    let members = cohorts::members(&mut c, cohort.id)?;
    let Some(m) = board::find_member(&members, member) else {
        return Err(user_hint(format!("{member} is not in cohort {name}"), format!("`learnlog cohort board {name}`")));
    };
    let login = m.member.clone();
    cohorts::remove(&mut c, cohort.id, &login)?;
    Ok(outcome::done(json!({"cohort": name, "removed": login}), format!("Removed {member} from cohort {name}.")))
}

/// A share target as stored: an item's uuid, or `all`.
fn target_of(ctx: &mut Ctx, text: &str) -> Result<(String, String)> {
    if text.trim() == "all" {
        return Ok(("all".into(), "all".into()));
    }
    let conn = ctx.read_db()?.conn();
    let item = super::resolve(conn, text, super::ALL_KINDS)?;
    Ok((item.uuid.clone(), item.qualified()))
}

fn share(ctx: &mut Ctx, a: &CohortShareArgs) -> Result<Box<dyn Outcome>> {
    let (target, shown) = target_of(ctx, &a.target)?;
    let mut c = client(ctx)?;
    let cohort = cohorts::find(&mut c, &a.name)?;
    let now = ctx.clock.now().to_rfc3339();
    let id = cohort.id.to_string();
    let added = store::cohorts::share(ctx.write_db()?.conn(), &id, &cohort.name, &target, &now)?;
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let published = match board::publish(ctx.write_db()?.conn(), &mut c, today, &settings) {
        Ok(published) => published,
        Err(err) => {
            // A share that failed is not left for the next sync to publish.
            if added {
                store::cohorts::unshare(ctx.write_db()?.conn(), &id, Some(&target))?;
            }
            return Err(err);
        }
    };
    let line = format!(
        "Sharing {shown} with cohort {} ({} published).",
        cohort.name,
        crate::render::plural(published.weeks as i64, "week")
    );
    Ok(outcome::done(json!({"cohort": cohort.name, "shared": shown, "new": added, "published": published}), line))
}

fn unshare(ctx: &mut Ctx, a: &CohortShareArgs) -> Result<Box<dyn Outcome>> {
    let (target, shown) = target_of(ctx, &a.target)?;
    let mut c = client(ctx)?;
    let cohort = cohorts::find(&mut c, &a.name)?;
    let id = cohort.id.to_string();
    let shared = store::cohorts::shares(ctx.write_db()?.conn())?
        .iter()
        .any(|s| s.cohort == id && (target == "all" || s.target == target));
    if !shared {
        return Err(user_hint(
            format!("{shown} is not shared with {}", cohort.name),
            "`learnlog cohort share NAME REF`",
        ));
    }
    // Withdrawn from the server first: if that fails, the share is still
    // here and the command can run again. Then what is still shared is
    // published again.
    cohorts::unpublish(&mut c, cohort.id)?;
    let conn = ctx.write_db()?.conn();
    store::cohorts::unshare(conn, &id, if target == "all" { None } else { Some(&target) })?;
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    board::publish(ctx.write_db()?.conn(), &mut c, today, &settings)?;
    let line = format!("No longer sharing {shown} with cohort {}.", cohort.name);
    Ok(outcome::done(json!({"cohort": cohort.name, "unshared": shown}), line))
}

fn pick(c: &mut Client, name: Option<&str>) -> Result<Cohort> {
    if let Some(name) = name {
        return cohorts::find(c, name);
    }
    let mut all = cohorts::list(c)?;
    match all.len() {
        1 => Ok(all.remove(0)),
        0 => Err(user_hint("you are in no cohort", "`learnlog cohort create NAME` or `learnlog cohort join CODE`")),
        _ => Err(user_hint(
            format!(
                "you are in {} cohorts: {}",
                all.len(),
                all.iter().map(|k| k.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
            "name one: `learnlog cohort board NAME`",
        )),
    }
}

fn show_board(ctx: &mut Ctx, a: &CohortBoardArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let day = match a.week.as_deref() {
        Some(d) => parse_date(d, today)?,
        None => today,
    };
    let week = week_start(day, ctx.settings.week_starts);
    let mut c = client(ctx)?;
    let cohort = pick(&mut c, a.name.as_deref())?;
    let mut warnings = Vec::new();
    if !a.offline {
        // Syncs first: what this learner's other devices recorded is
        // pulled before this device publishes its weeks.
        if ops::sync::is_set_up(ctx)? {
            warnings = ops::sync::sync(ctx, &mut |_| {})?.warnings;
        } else {
            let settings = ctx.settings.clone();
            board::publish(ctx.write_db()?.conn(), &mut c, today, &settings)?;
        }
        refresh_reviews(ctx, &mut c)?;
    }
    for warning in warnings {
        ctx.out.note(format!("warning: {warning}"))?;
    }
    let b = board::board(&mut c, &cohort, week)?;
    // `--json` prints the board itself, whatever `--format` says.
    let format = a.format;
    Ok(outcome::report(b, move |out: &mut Out, b: &board::Board| match format {
        BoardFormat::Table => render::cohort::table(out, b),
        BoardFormat::Markdown => out.text(render::cohort::markdown(b)),
        BoardFormat::Html => out.raw(render::cohort::html(b).as_bytes()),
    }))
}

fn confirm(ctx: &mut Ctx, a: &CohortConfirmArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let mut c = client(ctx)?;
    let by_date: Option<NaiveDate> = a.debt.trim().parse().ok();
    let by_number: Option<i64> = a.debt.trim().parse().ok();
    if by_date.is_none() && by_number.is_none() {
        return Err(user_hint(format!("invalid debt '{}'", a.debt), "give its number or its period's first day"));
    }
    for k in cohorts::list(&mut c)? {
        let members = cohorts::members(&mut c, k.id)?;
        let Some(m) = board::find_member(&members, &a.member) else { continue };
        let (login, shown) = (m.member.clone(), m.display_name.clone());
        let debts = board::published_debts(&mut c, k.id, &login, today)?;
        let found = debts.iter().find(|d| {
            by_number.is_some_and(|n| d["number"].as_i64() == Some(n))
                || by_date.is_some_and(|day| d["period_start"].as_str() == Some(&day.to_string()))
        });
        let Some(debt) = found else { continue };
        let pledge = debt["pledge"].as_str().and_then(|p| uuid::Uuid::parse_str(p).ok());
        let start: Option<NaiveDate> = debt["period_start"].as_str().and_then(|s| s.parse().ok());
        let (Some(pledge), Some(start)) = (pledge, start) else { continue };
        if debt["settled_on"].is_null() {
            return Err(user_hint(
                format!("{shown} has not settled that stake yet"),
                "wait until they settle and sync",
            ));
        }
        cohorts::confirm(&mut c, k.id, &login, pledge, start, a.note.as_deref())?;
        let line = format!("Confirmed {shown}'s stake for the period from {start}.");
        return Ok(outcome::done(json!({"cohort": k.name, "member": shown, "period_start": start.to_string()}), line));
    }
    Err(user(format!("{} has published no debt {} in your cohorts", a.member, a.debt)))
}
