//! `learnlog rest DATE|FROM..TO`: forgiveness declared in advance only.

use anyhow::Result;
use chrono::Duration;

use crate::Ctx;
use crate::cli::RestArgs;
use crate::domain::parse::parse_range;
use crate::domain::records::RestDay;
use crate::error::user_hint;
use crate::store;

/// A range longer than this is more likely a typo than a plan.
const MAX_REST_RANGE_DAYS: i64 = 366;

pub fn run(ctx: &mut Ctx, args: &RestArgs) -> Result<()> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let (from, to) = parse_range(&args.when, today)?;
    if from < today {
        return Err(user_hint(
            format!("{from} is in the past; rest days are declared in advance"),
            "forgiveness is pre-committed, not retroactive: declare today or later (a freeze covers a missed day)",
        ));
    }
    if (to - from).num_days() >= MAX_REST_RANGE_DAYS {
        return Err(user_hint(format!("{from}..{to} is more than a year of rest"), "declare at most 366 days at once"));
    }
    let reason = args.reason.clone().filter(|r| !r.trim().is_empty());
    let db = ctx.write_db()?;
    let added: Vec<RestDay> = db.write(&format!("rest {}", args.when), now, |conn| {
        let mut added = Vec::new();
        let mut day = from;
        while day <= to {
            let rest =
                RestDay { uuid: store::new_uuid(), day, reason: reason.clone(), created_at: now, updated_at: now };
            if store::rest::insert(conn, &rest)? {
                added.push(rest);
            }
            day += Duration::days(1);
        }
        Ok(added)
    })?;
    if ctx.out.json {
        return ctx.out.json_doc(&added);
    }
    let days = (to - from).num_days() + 1;
    let already = days - added.len() as i64;
    let note = if already > 0 { format!(" ({already} already declared)") } else { String::new() };
    let when = if from == to { from.to_string() } else { format!("{from}..{to}") };
    ctx.out.done(format!("Rest declared for {when}{note}: it neither counts nor breaks your streak."))
}
