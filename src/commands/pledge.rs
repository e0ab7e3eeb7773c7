//! `learnlog pledge REF|all RATE`, `pledge end ID`, `settle DEBT`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::{PledgeAction, PledgeArgs, SettleArgs};
use crate::error::{user, user_hint};
use crate::ops::pledges::{PledgeOptions, end_after_horizon, make};
use crate::outcome::{self, Outcome};
use crate::report;
use crate::store;
use crate::store::pledges::Settlement;

pub fn run(ctx: &mut Ctx, args: &PledgeArgs) -> Result<Box<dyn Outcome>> {
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
    let made = make(ctx, target, rate, &options)?;
    // The pledge made or changed, as `list pledges --json` shows it.
    let book = super::pledge_book(ctx)?;
    let pledge = book.pledges.into_iter().find(|p| p.id == made.id);
    Ok(outcome::done(pledge, made.message))
}

/// Ends a pledge after the akrasia horizon (ending is the easiest change).
fn end(ctx: &mut Ctx, id: i64) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let settings = ctx.settings.clone();
    let db = ctx.write_db()?;
    let row = db.write(&format!("pledge end {id}"), now, |conn| {
        let row = store::pledges::list(conn)?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| user_hint(format!("no pledge #{id}"), "see `learnlog list pledges --all`"))?;
        let pledge = report::pledges::to_domain(&row, &settings);
        if pledge.end_day(pledge.terms.week_starts).is_some_and(|end| end < today) {
            return Err(user(format!("pledge #{id} has ended already")));
        }
        let effective = match end_after_horizon(conn, &row, &pledge, today, now)? {
            Some(day) => day,
            // It already ends sooner: that end stands.
            None => pledge.end_day(pledge.terms.week_starts).and_then(|d| d.succ_opt()).unwrap_or(today),
        };
        Ok((row, effective, pledge.terms.horizon_days))
    })?;
    let (row, effective, horizon) = row;
    let book = super::pledge_book(ctx)?;
    let pledge = book.pledges.into_iter().find(|p| p.id == row.id);
    let line = format!(
        "Pledge #{} on {} ends: its last period is the one before {effective} (ending waits {horizon} days: the akrasia horizon).",
        row.id, row.target
    );
    Ok(outcome::done(pledge, line))
}

pub fn settle(ctx: &mut Ctx, args: &SettleArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let settings = ctx.settings.clone();
    // Checked first on a read, so a refused settle never creates a database…
    open_debt(&super::pledge_book(ctx)?, args.debt)?;
    let note = args.note.clone().filter(|n| !n.trim().is_empty());
    let db = ctx.write_db()?;
    let debt = db.write(&format!("settle debt #{}", args.debt), now, |conn| {
        // …and again inside the write, so two settles at once cannot both pass.
        let debt = open_debt(&report::pledges::build(conn, &settings, today)?, args.debt)?;
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
    // The debt as `list debts --json` now shows it: settled, with its note.
    let book = super::pledge_book(ctx)?;
    let settled = book.debts.into_iter().find(|d| d.id == debt.id);
    let line =
        format!("Settled debt #{} ({} for {}, period from {}).", debt.id, debt.stake, debt.target, debt.period_start);
    Ok(outcome::done(settled, line))
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
