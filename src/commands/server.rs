//! `learnlog server init | add-member | remove-member`: the database
//! administrator's side of sync and cohorts.

use std::io::Read;

use anyhow::{Context, Result};
use serde_json::json;

use crate::Ctx;
use crate::cli::{ServerAddMemberArgs, ServerCommand, ServerInitArgs, ServerRemoveMemberArgs};
use crate::error::{user, user_hint};
use crate::server::{self, ServerUrl, admin, schema};

pub fn run(ctx: &mut Ctx, command: ServerCommand) -> Result<()> {
    match command {
        ServerCommand::Init(args) => init(ctx, &args),
        ServerCommand::AddMember(args) => add_member(ctx, &args),
        ServerCommand::RemoveMember(args) => remove_member(ctx, &args),
    }
}

fn init(ctx: &mut Ctx, args: &ServerInitArgs) -> Result<()> {
    let url = ServerUrl::parse(&args.url)?;
    let mut client = server::connect_raw(&url)?;
    let outcome = schema::init(&mut client)?;
    if ctx.out.json {
        return ctx.out.json_doc(&json!({
            "url": url.to_string(),
            "from_version": outcome.from_version,
            "to_version": outcome.to_version,
            "applied": outcome.applied,
            "created_group_role": outcome.created_group_role,
        }));
    }
    if outcome.created_group_role {
        ctx.out.done(format!("Created the group role {}.", schema::MEMBER_ROLE))?;
    }
    let text = if outcome.applied.is_empty() {
        format!("The learnlog schema on {url} is up to date (version {}).", outcome.to_version)
    } else if outcome.from_version == 0 {
        format!("Created the learnlog schema (version {}) on {url}.", outcome.to_version)
    } else {
        format!(
            "Migrated the learnlog schema on {url} from version {} to {} ({}).",
            outcome.from_version,
            outcome.to_version,
            outcome.applied.join(", ")
        )
    };
    ctx.out.done(text)?;
    if !outcome.applied.is_empty() && !ctx.out.quiet {
        ctx.out.note("hint: add a learner with `learnlog server add-member NAME --url URL`")?;
    }
    Ok(())
}

fn admin_url(url: Option<&str>) -> Result<ServerUrl> {
    match url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => ServerUrl::parse(url),
        None => Err(user_hint(
            "no administrator's URL was given",
            "pass --url postgresql://ADMIN@HOST/DB or set LEARNLOG_SERVER_URL",
        )),
    }
}

/// An administrator's connection to an initialised, not newer, schema.
fn admin_client(url: &ServerUrl) -> Result<postgres::Client> {
    let mut client = server::connect_raw(url)?;
    match schema::version(&mut client)? {
        None | Some(0) => Err(server::with_hint(
            format!("the database {} on {} has no learnlog schema", url.dbname(), url.address()),
            format!("run `learnlog server init '{url}'` first"),
        )),
        Some(version) if version > schema::latest() => schema::refuse_newer(version).map(|()| client),
        Some(version) if version < schema::latest() => Err(server::with_hint(
            format!(
                "the server's learnlog schema is version {version}, older than this learnlog's ({})",
                schema::latest()
            ),
            format!("migrate it first: `learnlog server init '{url}'`"),
        )),
        Some(_) => Ok(client),
    }
}

fn add_member(ctx: &mut Ctx, args: &ServerAddMemberArgs) -> Result<()> {
    let url = admin_url(args.url.as_deref())?;
    admin::validate_name(&args.name)?;
    let password = if args.password_stdin {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("cannot read the password from stdin")?;
        let password = text.strip_suffix('\n').map(|t| t.strip_suffix('\r').unwrap_or(t)).unwrap_or(&text);
        if password.is_empty() {
            return Err(user("the password on stdin is empty"));
        }
        if password.contains('\n') {
            return Err(user("the password on stdin has more than one line"));
        }
        password.to_string()
    } else {
        admin::generate_password()
    };
    let display_name = args.display_name.clone().unwrap_or_else(|| args.name.clone());
    let mut client = admin_client(&url)?;
    admin::add_member(&mut client, &args.name, &display_name, &password)?;
    let member_url = url.for_member(&args.name);
    let shown = (!args.password_stdin).then_some(password);
    if ctx.out.json {
        return ctx.out.json_doc(&json!({
            "member": args.name,
            "display_name": display_name.trim(),
            "url": member_url.to_string(),
            "password": shown,
        }));
    }
    ctx.out.done(format!("Added member {} ({}).", args.name, display_name.trim()))?;
    ctx.out.line(format!("url: {member_url}"))?;
    if let Some(password) = shown {
        // Shown once, even with -q: it is not kept anywhere.
        ctx.out.line(format!("password: {password}"))?;
        ctx.out.note("hint: hand the password over privately; it is shown only this once")?;
    }
    Ok(())
}

fn remove_member(ctx: &mut Ctx, args: &ServerRemoveMemberArgs) -> Result<()> {
    let url = admin_url(args.url.as_deref())?;
    admin::validate_name(&args.name)?;
    let mut client = admin_client(&url)?;
    let purged = admin::remove_member(&mut client, &args.name, args.purge)?;
    if ctx.out.json {
        return ctx.out.json_doc(&json!({
            "member": args.name,
            "purged": purged,
        }));
    }
    match purged {
        Some(p) => ctx.out.done(format!(
            "Removed member {} and deleted what they stored ({} sync log rows, {} key checks, {} cohort memberships).",
            args.name, p.sync_log_rows, p.sync_keys, p.cohort_memberships
        )),
        None => {
            ctx.out.done(format!("Removed member {}.", args.name))?;
            if !ctx.out.quiet {
                ctx.out.note(format!(
                    "hint: what {} stored stays on the server; `learnlog server remove-member {} --purge` deletes it",
                    args.name, args.name
                ))?;
            }
            Ok(())
        }
    }
}
