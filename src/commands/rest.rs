//! `learnlog rest DATE|FROM..TO`: forgiveness declared in advance only.

use anyhow::Result;
use chrono::{Duration, NaiveDate};

use crate::Ctx;
use crate::cli::RestArgs;
use crate::domain::parse::parse_range;
use crate::domain::pledge::{Per, RateUnit};
use crate::domain::records::RestDay;
use crate::error::user_hint;
use crate::outcome::{self, Outcome};
use crate::report;
use crate::store;

/// A range longer than this is more likely a typo than a plan.
const MAX_REST_RANGE_DAYS: i64 = 366;

pub fn run(ctx: &mut Ctx, args: &RestArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let utc_offset = ctx.clock.offset_now().local_minus_utc();
    let (from, to) = parse_range(&args.when, today)?;
    if from <= today {
        let when = if from == today { "is today" } else { "is in the past" };
        return Err(user_hint(
            format!("{from} {when}; rest days are declared in advance"),
            "forgiveness is pre-committed, not retroactive: declare tomorrow or later (a freeze covers a missed day)",
        ));
    }
    if (to - from).num_days() >= MAX_REST_RANGE_DAYS {
        return Err(user_hint(format!("{from}..{to} is more than a year of rest"), "declare at most 366 days at once"));
    }
    let reason = args.reason.clone().filter(|r| !r.trim().is_empty());
    let settings = ctx.settings.clone();
    let db = ctx.write_db()?;
    let (added, still_count) = db.write(&format!("rest {}", args.when), now, |conn| {
        let mut added = Vec::new();
        let mut day = from;
        while day <= to {
            let rest = RestDay {
                uuid: store::new_uuid(),
                day,
                reason: reason.clone(),
                utc_offset,
                created_at: now,
                updated_at: now,
            };
            if store::rest::insert(conn, &rest)? {
                added.push(rest);
            }
            day += Duration::days(1);
        }
        let book = report::pledges::build(conn, &settings, today)?;
        Ok((added.clone(), pledges_still_counting(&book, &added)))
    })?;
    let days = (to - from).num_days() + 1;
    let already = days - added.len() as i64;
    let note = if already > 0 { format!(" ({already} already declared)") } else { String::new() };
    let when = if from == to { from.to_string() } else { format!("{from}..{to}") };
    let mut line = format!("Rest declared for {when}{note}: it neither counts nor breaks your streak.");
    if !still_count.is_empty() {
        line.push_str(&format!(
            " Pledges still count {}: {} (a rest day excuses a pledge only when declared its horizon ahead).",
            if from == to { "that day" } else { "those days" },
            still_count.join(", ")
        ));
    }
    // The rest days it added (not those declared already).
    Ok(outcome::done(added, line))
}

/// The pledges (`#1 on ml (7-day horizon)`) a rest day would excuse, had it been
/// declared early enough, but does not: /day and d/week pledges in force on
/// a new rest day declared less than their horizon ahead.
fn pledges_still_counting(book: &report::pledges::PledgeBook, added: &[RestDay]) -> Vec<String> {
    let mut names = Vec::new();
    for j in &book.judged {
        let ws = j.pledge.terms.week_starts;
        let counts = |day: NaiveDate| {
            let rate = j.pledge.rate_on(day, ws);
            let excusable = rate.is_some_and(|r| r.per == Per::Day || r.unit == RateUnit::Days);
            let declared = book.rest_days.get(&day);
            excusable
                && !j.pledge.terms.is_rest_weekday(day)
                && declared.is_some_and(|at| !j.pledge.terms.rest_excuses(day, *at))
        };
        if added.iter().any(|r| counts(r.day)) {
            names.push(format!("#{} on {} ({}-day horizon)", j.row.id, j.row.target, j.pledge.terms.horizon_days));
        }
    }
    names
}
