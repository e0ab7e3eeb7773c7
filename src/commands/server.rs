//! `learnlog server init | add-member | remove-member`: the database
//! administrator's side of sync and cohorts.

use std::io::Read;

use anyhow::{Context, Result};
use serde_json::{Value, json};

use crate::cli::{ServerAddMemberArgs, ServerCommand, ServerInitArgs, ServerRemoveMemberArgs};
use crate::error::{user, user_hint};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::server::{self, ServerUrl, admin, schema};

pub fn run(command: ServerCommand) -> Result<Box<dyn Outcome>> {
    match command {
        ServerCommand::Init(args) => init(&args),
        ServerCommand::AddMember(args) => add_member(&args),
        ServerCommand::RemoveMember(args) => remove_member(&args),
    }
}

fn init(args: &ServerInitArgs) -> Result<Box<dyn Outcome>> {
    let url = ServerUrl::parse(&args.url)?;
    let mut client = server::connect_raw(&url)?;
    let done = schema::init(&mut client)?;
    let record = json!({
        "url": url.to_string(),
        "from_version": done.from_version,
        "to_version": done.to_version,
        "applied": done.applied,
        "created_group_role": done.created_group_role,
    });
    let mut lines = Vec::new();
    if done.created_group_role {
        lines.push(format!("Created the group role {}.", schema::MEMBER_ROLE));
    }
    lines.push(if done.applied.is_empty() {
        format!("The learnlog schema on {url} is up to date (version {}).", done.to_version)
    } else if done.from_version == 0 {
        format!("Created the learnlog schema (version {}) on {url}.", done.to_version)
    } else {
        format!(
            "Migrated the learnlog schema on {url} from version {} to {} ({}).",
            done.from_version,
            done.to_version,
            done.applied.join(", ")
        )
    });
    let hint = !done.applied.is_empty();
    Ok(outcome::report(record, move |out: &mut Out, _: &Value| {
        lines.iter().try_for_each(|line| out.done(line))?;
        if hint && !out.quiet {
            out.note("hint: add a learner with `learnlog server add-member NAME --url URL`")?;
        }
        Ok(())
    }))
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

fn add_member(args: &ServerAddMemberArgs) -> Result<Box<dyn Outcome>> {
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
    let record = json!({
        "member": args.name,
        "display_name": display_name.trim(),
        "url": member_url.to_string(),
        "password": shown,
    });
    let line = format!("Added member {} ({}).", args.name, display_name.trim());
    Ok(outcome::report(record, move |out: &mut Out, _: &Value| {
        out.done(&line)?;
        out.line(format!("url: {member_url}"))?;
        if let Some(password) = &shown {
            // Shown once, even with -q: it is not kept anywhere.
            out.line(format!("password: {password}"))?;
            out.note("hint: hand the password over privately; it is shown only this once")?;
        }
        Ok(())
    }))
}

fn remove_member(args: &ServerRemoveMemberArgs) -> Result<Box<dyn Outcome>> {
    let url = admin_url(args.url.as_deref())?;
    admin::validate_name(&args.name)?;
    let mut client = admin_client(&url)?;
    let purged = admin::remove_member(&mut client, &args.name, args.purge)?;
    let record = json!({
        "member": args.name,
        "purged": purged,
    });
    let name = args.name.clone();
    Ok(outcome::report(record, move |out: &mut Out, _: &Value| {
        match &purged {
        Some(p) => out.done(format!(
            "Removed member {name} and deleted what they stored ({} sync log rows, {} key checks, {} cohort memberships).",
            p.sync_log_rows, p.sync_keys, p.cohort_memberships
        )),
        None => {
            out.done(format!("Removed member {name}."))?;
            if !out.quiet {
                out.note(format!(
                    "hint: what {name} stored stays on the server; `learnlog server remove-member {name} --purge` deletes it"
                ))?;
            }
            Ok(())
        }
    }
    }))
}
