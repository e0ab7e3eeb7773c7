//! Making a pledge and ending one: the steps `pledge`, `add --pledge` and
//! `done`/`drop`/`pause` share.

use anyhow::Result;
use chrono::NaiveDate;

use crate::Ctx;
use crate::domain::parse::parse_date;
use crate::domain::pledge::{ChangeKind, Pledge, Rate, period_start};
use crate::error::{user, user_hint};
use crate::lookup::{ALL_KINDS, resolve};
use crate::report;
use crate::store;
use crate::store::pledges::{PledgeRow, RateRow};

/// Options of a new pledge beyond its target and rate.
#[derive(Debug, Default, Clone)]
pub struct PledgeOptions {
    pub stake: Option<String>,
    pub referee: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

pub(crate) fn parse_rate(text: &str) -> Result<Rate> {
    Ok(text.parse::<Rate>()?)
}

/// A pledge made or changed: its number and the sentence that says what
/// happened (and from when it counts).
#[derive(Debug, Clone)]
pub struct Made {
    pub id: i64,
    pub message: String,
}

/// Makes a pledge, or changes the rate of the pledge already on that target;
/// prints nothing (the command shows what it returns).
pub fn make(ctx: &mut Ctx, target: &str, rate_text: &str, options: &PledgeOptions) -> Result<Made> {
    let rate = parse_rate(rate_text)?;
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let settings = ctx.settings.clone();
    let ws = settings.week_starts;
    let from = options.from.as_deref().map(|d| parse_date(d, today)).transpose()?;
    // A pledge never judges the past.
    if let Some(day) = from
        && day < period_start(today, rate.per, ws)
    {
        return Err(user_hint(
            format!("--from {day} is before the current period: a pledge never judges the past"),
            format!("learnlog pledge {target} {rate} (from this {}), or a later --from", per_word(rate)),
        ));
    }
    let until = options.until.as_deref().map(|d| parse_date(d, today)).transpose()?;
    let stake = options.stake.clone().filter(|s| !s.trim().is_empty());
    let db = ctx.write_db()?;
    let message = db.write(&format!("pledge {target} {rate}"), now, |conn| {
        let item_id =
            if target.eq_ignore_ascii_case("all") { None } else { Some(resolve(conn, target, ALL_KINDS)?.id) };
        let existing = store::pledges::list(conn)?.into_iter().filter(|p| p.item_id == item_id).find(|p| {
            let pledge = report::pledges::to_domain(p, &settings);
            pledge.end_day(pledge.terms.week_starts).is_none_or(|end| end >= today)
        });
        match existing {
            Some(row) => {
                let id = row.id;
                change_rate(conn, row, rate, options, &settings, today, now).map(|message| (message, id))
            }
            None => {
                let pledge = Pledge::new(rate, from.unwrap_or(today), until, settings.pledge_terms()).map_err(user)?;
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
                    terms: Some(pledge.terms.clone()),
                    completion: None,
                };
                row.id = store::pledges::insert(conn, &row)?;
                store::pledges::insert_rate(conn, row.id, &rate_row(Some(rate), pledge.from, now))?;
                let staked = stake.as_deref().map(|s| format!(", stake: {s}")).unwrap_or_default();
                let name = if item_id.is_none() { "all study".to_string() } else { target.to_string() };
                let scheduled = if pledge.from > today { " (scheduled)" } else { "" };
                Ok((format!("Pledge #{}: {rate} on {name} from {}{scheduled}{staked}.", row.id, pledge.from), row.id))
            }
        }
    })?;
    let (message, id) = message;
    Ok(Made { id, message })
}

/// Changes the rate of the pledge already on a target (the akrasia horizon
/// decides from when), and its stake or referee when given; says what it did.
fn change_rate(
    conn: &rusqlite::Connection,
    mut row: PledgeRow,
    rate: Rate,
    options: &PledgeOptions,
    settings: &crate::config::Settings,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<String> {
    let stake = options.stake.clone().filter(|s| !s.trim().is_empty());
    let pledge = report::pledges::to_domain(&row, settings);
    let terms = &pledge.terms;
    let plan = pledge.plan_change(Some(rate), today, terms.horizon_days, terms.week_starts);
    // A new change cancels any change still waiting for the horizon.
    if !plan.cancels.is_empty() {
        store::pledges::cancel_pending(conn, row.id, today)?;
    }
    store::pledges::insert_rate(conn, row.id, &rate_row(Some(rate), plan.effective_from, now))?;
    if stake.is_some() || options.referee.is_some() {
        row.stake = stake.or(row.stake);
        row.referee = options.referee.clone().or(row.referee);
        row.updated_at = now;
        store::pledges::update(conn, &row)?;
    }
    let name = row.target.clone();
    Ok(match plan.kind {
        ChangeKind::Easier => format!(
            "Pledge #{} on {name} becomes {rate} from {} (an easier pledge waits {} days: the akrasia horizon).",
            row.id, plan.effective_from, terms.horizon_days
        ),
        ChangeKind::Unchanged => format!("Pledge #{} on {name} stays {rate}.", row.id),
        _ => format!("Pledge #{} on {name} is now {rate}, from this period ({}).", row.id, plan.effective_from),
    })
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

fn per_word(rate: Rate) -> &'static str {
    match rate.per {
        crate::domain::pledge::Per::Day => "day",
        crate::domain::pledge::Per::Week => "week",
    }
}

/// Ends a pledge the way `pledge end` does, after its own horizon, unless
/// it already ends sooner (an end waiting already, `done`, `--until`).
/// Returns the first day it is no longer in force, when this changed it.
pub(crate) fn end_after_horizon(
    conn: &rusqlite::Connection,
    row: &PledgeRow,
    pledge: &Pledge,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<NaiveDate>> {
    let terms = &pledge.terms;
    let plan = pledge.plan_change(None, today, terms.horizon_days, terms.week_starts);
    if pledge.end_day(terms.week_starts).is_some_and(|end| end < plan.effective_from) {
        return Ok(None);
    }
    if !plan.cancels.is_empty() {
        store::pledges::cancel_pending(conn, row.id, today)?;
    }
    store::pledges::insert_rate(conn, row.id, &rate_row(None, plan.effective_from, now))?;
    Ok(Some(plan.effective_from))
}
