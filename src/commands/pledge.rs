//! `learnlog pledge REF|all RATE`, `pledge end ID`, `settle DEBT`.

use anyhow::Result;
use chrono::NaiveDate;

use super::{ALL_KINDS, resolve};
use crate::Ctx;
use crate::cli::{PledgeAction, PledgeArgs, SettleArgs};
use crate::domain::parse::parse_date;
use crate::domain::pledge::{ChangeKind, Pledge, Rate};
use crate::error::{user, user_hint};
use crate::report;
use crate::store;
use crate::store::pledges::{PledgeRow, RateRow, Settlement};

/// Options of a new pledge beyond its target and rate.
#[derive(Debug, Default, Clone)]
pub struct PledgeOptions {
    pub stake: Option<String>,
    pub referee: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

pub fn run(ctx: &mut Ctx, args: &PledgeArgs) -> Result<()> {
    if let Some(PledgeAction::End { id }) = &args.action {
        return end(ctx, *id);
    }
    let (Some(target), Some(rate)) = (&args.target, &args.rate) else {
        return Err(user_hint("a pledge needs a target and a rate", "learnlog pledge ml 5h/week"));
    };
    let options = PledgeOptions {
        stake: args.stake.clone(),
        referee: args.referee.clone(),
        from: args.from.clone(),
        until: args.until.clone(),
    };
    make(ctx, target, rate, &options)
}

pub(crate) fn parse_rate(text: &str) -> Result<Rate> {
    text.parse::<Rate>().map_err(|err| user_hint(err.to_string(), err.hint()))
}

/// Makes a pledge, or changes the rate of the pledge already on that target.
pub fn make(ctx: &mut Ctx, target: &str, rate_text: &str, options: &PledgeOptions) -> Result<()> {
    let rate = parse_rate(rate_text)?;
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let settings = ctx.settings.clone();
    let ws = settings.week_starts;
    let from = options.from.as_deref().map(|d| parse_date(d, today)).transpose()?;
    let until = options.until.as_deref().map(|d| parse_date(d, today)).transpose()?;
    let stake = options.stake.clone().filter(|s| !s.trim().is_empty());
    let db = ctx.write_db()?;
    let message = db.write(&format!("pledge {target} {rate}"), now, |conn| {
        let item_id = if target.eq_ignore_ascii_case("all") { None } else { Some(resolve(conn, target, ALL_KINDS)?.id) };
        let existing = store::pledges::list(conn)?
            .into_iter()
            .filter(|p| p.item_id == item_id)
            .find(|p| report::pledges::to_domain(p).end_day(ws).is_none_or(|end| end >= today));
        match existing {
            Some(mut row) => {
                let pledge = report::pledges::to_domain(&row);
                let plan = pledge.plan_change(Some(rate), today, settings.horizon_days, ws);
                // A new change cancels any change still waiting for the horizon.
                if !plan.cancels.is_empty() {
                    store::pledges::cancel_pending(conn, row.id, today)?;
                }
                store::pledges::insert_rate(conn, row.id, &rate_row(Some(rate), plan.effective_from, now))?;
                if stake.is_some() || options.referee.is_some() {
                    row.stake = stake.clone().or(row.stake);
                    row.referee = options.referee.clone().or(row.referee);
                    row.updated_at = now;
                    store::pledges::update(conn, &row)?;
                }
                let name = row.target.clone();
                Ok(match plan.kind {
                    ChangeKind::Easier => format!(
                        "Pledge #{} on {name} becomes {rate} from {} (an easier pledge waits {} days: the akrasia horizon).",
                        row.id, plan.effective_from, settings.horizon_days
                    ),
                    ChangeKind::Unchanged => format!("Pledge #{} on {name} stays {rate}.", row.id),
                    _ => format!("Pledge #{} on {name} is now {rate}, from this period ({}).", row.id, plan.effective_from),
                })
            }
            None => {
                let pledge = Pledge::new(rate, from.unwrap_or(today), until, ws).map_err(user)?;
                let mut row = PledgeRow {
                    id: 0,
                    uuid: store::new_uuid(),
                    item_id,
                    target: target.to_string(),
                    stake: stake.clone(),
                    stake_amount: None,
                    referee: options.referee.clone(),
                    from: pledge.from,
                    until: pledge.until,
                    rates: Vec::new(),
                    created_at: now,
                    updated_at: now,
                };
                row.id = store::pledges::insert(conn, &row)?;
                store::pledges::insert_rate(conn, row.id, &rate_row(Some(rate), pledge.from, now))?;
                let staked = stake.as_deref().map(|s| format!(", stake: {s}")).unwrap_or_default();
                let name = if item_id.is_none() { "all study".to_string() } else { target.to_string() };
                Ok(format!("Pledge #{}: {rate} on {name} from {}{staked}.", row.id, pledge.from))
            }
        }
    })?;
    if ctx.out.json {
        let book = report::pledges::build(ctx)?;
        return ctx.out.json_doc(&book.pledges);
    }
    ctx.out.done(message)
}

fn rate_row(rate: Option<Rate>, effective_from: NaiveDate, now: chrono::DateTime<chrono::Utc>) -> RateRow {
    RateRow {
        id: 0,
        uuid: store::new_uuid(),
        rate: rate.map(|r| r.to_string()),
        effective_from,
        created_at: now,
        updated_at: now,
    }
}

/// Ends a pledge after the akrasia horizon (ending is the easiest change).
fn end(ctx: &mut Ctx, id: i64) -> Result<()> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let settings = ctx.settings.clone();
    let db = ctx.write_db()?;
    let (row, effective) = db.write(&format!("pledge end {id}"), now, |conn| {
        let row = store::pledges::list(conn)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| user_hint(format!("no pledge #{id}"), "see `learnlog list pledges --all`"))?;
        let pledge = report::pledges::to_domain(&row);
        if pledge.end_day(settings.week_starts).is_some_and(|end| end < today) {
            return Err(user(format!("pledge #{id} has ended already")));
        }
        let plan = pledge.plan_change(None, today, settings.horizon_days, settings.week_starts);
        if !plan.cancels.is_empty() {
            store::pledges::cancel_pending(conn, row.id, today)?;
        }
        store::pledges::insert_rate(conn, row.id, &rate_row(None, plan.effective_from, now))?;
        Ok((row, plan.effective_from))
    })?;
    if ctx.out.json {
        let book = report::pledges::build(ctx)?;
        let pledge = book.pledges.iter().find(|p| p.id == row.id);
        return ctx.out.json_doc(&pledge);
    }
    ctx.out.done(format!(
        "Pledge #{} on {} ends: its last period is the one before {effective} (ending waits {} days: the akrasia horizon).",
        row.id, row.target, settings.horizon_days
    ))
}

pub fn settle(ctx: &mut Ctx, args: &SettleArgs) -> Result<()> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let settings = ctx.settings.clone();
    // Checked first on a read, so a refused settle never creates a database…
    open_debt(&report::pledges::build(ctx)?, args.debt)?;
    let note = args.note.clone().filter(|n| !n.trim().is_empty());
    let db = ctx.write_db()?;
    let debt = db.write(&format!("settle debt #{}", args.debt), now, |conn| {
        // …and again inside the write, so two settles at once cannot both pass.
        let debt = open_debt(&report::pledges::build_from(conn, &settings, today)?, args.debt)?;
        store::pledges::settle(
            conn,
            &Settlement {
                uuid: store::new_uuid(),
                pledge_id: debt.pledge_id,
                period_start: debt.period_start,
                settled_on: today,
                note: note.clone(),
                created_at: now,
                updated_at: now,
            },
        )?;
        Ok(debt)
    })?;
    if ctx.out.json {
        // The debt as `list debts --json` now shows it: settled, with its note.
        let book = report::pledges::build(ctx)?;
        let settled = book.debts.iter().find(|d| d.id == debt.id);
        return ctx.out.json_doc(&settled);
    }
    ctx.out.done(format!(
        "Settled debt #{} ({} for {}, period from {}).",
        debt.id, debt.stake, debt.target, debt.period_start
    ))
}

/// The debt with this number, if it is still owed.
fn open_debt(book: &report::pledges::PledgeBook, number: i64) -> Result<report::pledges::DebtView> {
    let debt = book
        .debts
        .iter()
        .find(|d| d.id == number)
        .ok_or_else(|| user_hint(format!("no debt #{number}"), "see `learnlog list debts`"))?;
    match debt.settled_on {
        Some(on) => Err(user(format!("debt #{} was settled on {on}", debt.id))),
        None => Ok(debt.clone()),
    }
}
