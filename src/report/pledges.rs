//! Pledges as the reports see them: each pledge's periods judged against
//! what was logged on its target, and the debts its missed periods left.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::Connection;
use serde::Serialize;

use super::totals::DayTotals;
use crate::config::Settings;
use crate::domain::pledge::{
    self, DayAmount, EvalContext, LateSession, Logged, PeriodResult, Placement, Pledge, Rate, RateChange,
};
use crate::domain::records::Kind;
use crate::store;
use crate::store::pledges::PledgeRow;
use crate::store::sessions::Scope;

/// Where a pledge stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PledgeState {
    /// It has not started yet.
    Scheduled,
    Active,
    Ended,
}

impl PledgeState {
    pub fn as_str(self) -> &'static str {
        match self {
            PledgeState::Scheduled => "scheduled",
            PledgeState::Active => "active",
            PledgeState::Ended => "ended",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PledgeView {
    pub id: i64,
    pub uuid: String,
    /// The target's slug, or `all`.
    pub target: String,
    /// The rate in force today (or the first one, before it starts).
    pub rate: Option<Rate>,
    pub status: PledgeState,
    pub stake: Option<String>,
    pub referee: Option<String>,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
    /// A change waiting for the akrasia horizon.
    pub pending: Option<PendingChange>,
    /// The period containing today, when the pledge is in force.
    pub current: Option<PeriodResult>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PendingChange {
    /// The new rate; `None` when the pledge ends.
    pub rate: Option<Rate>,
    pub effective_from: NaiveDate,
}

#[derive(Debug, Clone, Serialize)]
pub struct DebtView {
    /// Its number, as `settle` takes it.
    pub id: i64,
    pub pledge_id: i64,
    pub target: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub stake: String,
    pub settled_on: Option<NaiveDate>,
    pub note: Option<String>,
    /// For a settlement published to a cohort: the referee who confirmed
    /// it (`by`), or none yet (self-reported).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirmation: Option<Confirmation>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Confirmation {
    pub by: Option<String>,
}

impl Confirmation {
    /// "settled, confirmed by NAME" or "settled (self-reported)".
    pub fn text(&self) -> String {
        match &self.by {
            Some(name) => format!("settled, confirmed by {name}"),
            None => "settled (self-reported)".to_string(),
        }
    }
}

/// Every pledge, judged, with the data needed to judge other ranges.
pub struct PledgeBook {
    pub pledges: Vec<PledgeView>,
    pub debts: Vec<DebtView>,
    pub judged: Vec<Judged>,
    /// Declared rest days, each with the local instant it was declared.
    pub rest_days: BTreeMap<NaiveDate, NaiveDateTime>,
}

/// One pledge with what was logged on its target.
pub struct Judged {
    pub row: PledgeRow,
    pub pledge: Pledge,
    pub amounts: Logged,
}

impl PledgeBook {
    pub fn context(&self, settings: &Settings, today: NaiveDate) -> EvalContext<'_> {
        EvalContext { today, week_start: settings.week_starts, rest_days: &self.rest_days }
    }

    /// Each pledge's periods overlapping [from, to].
    pub fn periods(
        &self,
        settings: &Settings,
        today: NaiveDate,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Vec<(&Judged, Vec<PeriodResult>)> {
        let ctx = self.context(settings, today);
        self.judged
            .iter()
            .map(|j| {
                let mut periods = pledge::evaluate(&j.pledge, &j.amounts, &ctx, from, to);
                // A pledge not started yet shows its first period, when the range reaches today.
                if to >= today {
                    periods.extend(pledge::scheduled(&j.pledge, today));
                }
                (j, periods)
            })
            .collect()
    }

    /// Whether every pledge in force in the week of `week` was kept.
    pub fn week_kept(&self, settings: &Settings, today: NaiveDate, week: NaiveDate) -> Option<bool> {
        let ctx = self.context(settings, today);
        let pairs: Vec<(&Pledge, &Logged)> = self.judged.iter().map(|j| (&j.pledge, &j.amounts)).collect();
        pledge::week_kept(&pairs, week, &ctx)
    }
}

/// The domain pledge a stored one stands for. A pledge older than kept
/// terms is judged by `settings` (the first write stores them on it).
pub fn to_domain(row: &PledgeRow, settings: &Settings) -> Pledge {
    let changes = row
        .rates
        .iter()
        .map(|r| RateChange {
            effective_from: r.effective_from,
            rate: r.rate.as_deref().and_then(|t| t.parse::<Rate>().ok()),
            seq: r.id,
        })
        .collect();
    let terms = row.terms.clone().unwrap_or_else(|| settings.pledge_terms());
    Pledge { from: row.from, until: row.until, changes, terms, completion: row.completion }
}

/// Whether a session's target is in a pledge's scope.
fn in_scope(scope: &Scope, item: Option<i64>) -> bool {
    match scope {
        Scope::All => true,
        Scope::Items(ids) => item.is_some_and(|id| ids.contains(&id)),
    }
}

/// The exceptional sessions as one pledge's scope sees them.
fn late_sessions(scope: &Scope, exceptional: &[store::sessions::Exceptional]) -> Vec<LateSession> {
    let placement = |(day, item, minutes, units): store::sessions::Placement| Placement {
        day,
        in_scope: in_scope(scope, item),
        minutes,
        units,
    };
    exceptional
        .iter()
        .map(|e| LateSession {
            now: placement(e.now),
            recorded: e.recorded,
            amended: e.amended,
            prior: e.prior.map(placement),
        })
        .filter(|s| s.now.in_scope)
        .collect()
}

/// The sessions a pledge counts: its course or project, a goal's courses
/// and projects, or everything.
pub fn scope_of(conn: &Connection, row: &PledgeRow) -> Result<Scope> {
    let Some(item_id) = row.item_id else { return Ok(Scope::All) };
    let item = store::items::get(conn, item_id)?;
    Ok(match item {
        Some(goal) if goal.kind == Kind::Goal => {
            let ids = store::items::list(conn, None)?
                .into_iter()
                .filter(|i| i.goal_id == Some(goal.id))
                .map(|i| i.id)
                .collect();
            Scope::Items(ids)
        }
        _ => Scope::Items(vec![item_id]),
    })
}

/// The pledge book as of `today`.
pub fn build(conn: &Connection, settings: &Settings, today: NaiveDate) -> Result<PledgeBook> {
    build_over(conn, settings, today, &DayTotals::load(conn)?)
}

/// The pledge book from totals already loaded.
pub fn build_over(conn: &Connection, settings: &Settings, today: NaiveDate, totals: &DayTotals) -> Result<PledgeBook> {
    let rows = store::pledges::list(conn)?;
    let rest_days = store::rest::declared(conn)?;
    // Only the sessions a closed period may count for less are read one by one.
    let exceptional = match rows.iter().map(|r| r.from).min() {
        Some(first) => store::sessions::exceptional(conn, first)?,
        None => Vec::new(),
    };
    let mut judged = Vec::with_capacity(rows.len());
    for row in rows {
        let scope = scope_of(conn, &row)?;
        let days = totals
            .day_amounts(&scope, row.from, today)
            .into_iter()
            .map(|(day, (minutes, units))| (day, DayAmount { minutes, units }))
            .collect();
        let amounts = Logged { days, late: late_sessions(&scope, &exceptional) };
        let pledge = to_domain(&row, settings);
        judged.push(Judged { row, pledge, amounts });
    }
    let mut book = PledgeBook { pledges: Vec::new(), debts: Vec::new(), judged, rest_days };
    let settlements = store::pledges::settlements(conn)?;
    let (pledges, mut debts) = judge(&book, &settlements, settings, today);
    let published = store::cohorts::settlements(conn)?;
    if !published.is_empty() {
        for d in debts.iter_mut().filter(|d| d.settled_on.is_some()) {
            let Some(j) = book.judged.iter().find(|j| j.row.id == d.pledge_id) else { continue };
            if let Some(by) = published.get(&(j.row.uuid.clone(), d.period_start.to_string())) {
                d.confirmation = Some(Confirmation { by: by.clone() });
            }
        }
    }
    book.pledges = pledges;
    book.debts = debts;
    Ok(book)
}

/// Views of every pledge today, and the debts of missed staked periods.
fn judge(
    book: &PledgeBook,
    settlements: &[store::pledges::Settlement],
    settings: &Settings,
    today: NaiveDate,
) -> (Vec<PledgeView>, Vec<DebtView>) {
    let ctx = book.context(settings, today);
    let mut pledges = Vec::new();
    let mut debts = Vec::new();
    for j in &book.judged {
        let ws = j.pledge.terms.week_starts;
        let rate_today = j.pledge.rate_on(today.max(j.pledge.from), ws);
        let ended = j.pledge.end_day(ws).is_some_and(|end| end < today);
        let pending = j
            .pledge
            .changes
            .iter()
            .filter(|c| c.effective_from > today.max(j.pledge.from))
            .max_by_key(|c| (c.effective_from, c.seq))
            .map(|c| PendingChange { rate: c.rate, effective_from: c.effective_from });
        let current = pledge::evaluate(&j.pledge, &j.amounts, &ctx, today, today)
            .into_iter()
            .next()
            .or_else(|| pledge::scheduled(&j.pledge, today));
        pledges.push(PledgeView {
            id: j.row.id,
            uuid: j.row.uuid.clone(),
            target: j.row.target.clone(),
            rate: rate_today,
            status: if ended || rate_today.is_none() && j.pledge.from <= today {
                PledgeState::Ended
            } else if j.pledge.from > today {
                PledgeState::Scheduled
            } else {
                PledgeState::Active
            },
            stake: j.row.stake.clone(),
            referee: j.row.referee.clone(),
            from: j.row.from,
            until: j.row.until,
            pending,
            current,
        });
        if let Some(stake) = &j.row.stake {
            let all = pledge::evaluate(&j.pledge, &j.amounts, &ctx, j.pledge.from, today);
            for missed in all.iter().filter(|p| pledge::debts(std::slice::from_ref(*p), true).contains(&p.start)) {
                let settlement = settlements.iter().find(|s| s.pledge_id == j.row.id && s.period_start == missed.start);
                debts.push(DebtView {
                    id: 0,
                    pledge_id: j.row.id,
                    target: j.row.target.clone(),
                    period_start: missed.start,
                    period_end: missed.end,
                    stake: stake.clone(),
                    settled_on: settlement.map(|s| s.settled_on),
                    note: settlement.and_then(|s| s.note.clone()),
                    confirmation: None,
                });
            }
        }
    }
    // Debts are numbered in the order they fell due, so numbers stay put as new ones come.
    debts.sort_by_key(|d| (d.period_end, d.pledge_id));
    for (number, debt) in debts.iter_mut().enumerate() {
        debt.id = number as i64 + 1;
    }
    (pledges, debts)
}
