//! `learnlog list [goals|courses|projects|sessions|pledges|debts|rest]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::{ListArgs, ListKind};
use crate::domain::parse::parse_date;
use crate::domain::records::{Kind, RestDay, Session, Status};
use crate::error::user_hint;
use crate::lookup::{ALL_KINDS, resolve};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::report;
use crate::report::pledges::{DebtView, PledgeView};
use crate::report::records::ItemView;
use crate::store;
use crate::store::sessions::Scope;

pub fn run(ctx: &mut Ctx, args: &ListArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let kind = args.kind.unwrap_or(ListKind::Courses);
    if args.reference.is_some() && !matches!(kind, ListKind::Sessions) {
        return Err(user_hint(
            "only `list sessions` takes a REF",
            "`learnlog show REF` shows one record; `learnlog list sessions REF` lists its sessions",
        ));
    }
    match kind {
        ListKind::Goals => items(ctx, Kind::Goal, args),
        ListKind::Courses => items(ctx, Kind::Course, args),
        ListKind::Projects => items(ctx, Kind::Project, args),
        ListKind::Sessions => sessions(ctx, args),
        ListKind::Rest => {
            let db = ctx.read_db()?;
            let mut days = store::rest::list(db.conn())?;
            if !args.all {
                days.retain(|r| r.day >= today);
            }
            Ok(outcome::report(days, |out: &mut Out, days: &Vec<RestDay>| render::records::rest_table(out, days)))
        }
        ListKind::Pledges => {
            let report = super::pledge_book(ctx)?;
            let mut pledges = report.pledges;
            if !args.all {
                pledges.retain(|p| p.status != crate::report::pledges::PledgeState::Ended);
            }
            Ok(outcome::report(pledges, |out: &mut Out, pledges: &Vec<PledgeView>| {
                render::commitments::pledge_table(out, pledges)
            }))
        }
        ListKind::Debts => {
            let report = super::pledge_book(ctx)?;
            let mut debts = report.debts;
            if !args.all {
                debts.retain(|d| d.settled_on.is_none());
            }
            Ok(outcome::report(debts, |out: &mut Out, debts: &Vec<DebtView>| {
                render::commitments::debt_table(out, debts)
            }))
        }
    }
}

/// Sessions, the latest 20 unless `--all`, `--since` or `--limit` say
/// otherwise; a line below the table says when there are more (the JSON
/// document stays the list alone: its length says how many).
fn sessions(ctx: &mut Ctx, args: &ListArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let since = args.since.as_deref().map(|d| parse_date(d, today)).transpose()?;
    let limit = args.limit.or(if args.all || since.is_some() { None } else { Some(DEFAULT_SESSIONS) });
    let db = ctx.read_db()?;
    let conn = db.conn();
    let scope = match &args.reference {
        Some(reference) => report::records::scope_of_item(conn, &resolve(conn, reference, ALL_KINDS)?)?,
        None => Scope::All,
    };
    let sessions = store::sessions::list(conn, &scope, since, limit)?;
    let total = store::sessions::count(conn, &scope, since)?;
    Ok(outcome::report(sessions, move |out: &mut Out, sessions: &Vec<Session>| {
        render::records::session_table(out, sessions)?;
        let shown = sessions.len() as i64;
        if shown < total {
            let more = out.dim(&format!("{shown} of {total} sessions (--all or --limit N for more)"));
            out.prose(more)?;
        }
        Ok(())
    }))
}

/// Sessions `list sessions` shows without `--all`, `--since` or `--limit`.
const DEFAULT_SESSIONS: usize = 20;

fn items(ctx: &mut Ctx, kind: Kind, args: &ListArgs) -> Result<Box<dyn Outcome>> {
    let wanted: Option<Status> = match &args.status {
        Some(text) => match text.parse() {
            Ok(status) if kind.statuses().contains(&status) => Some(status),
            _ => {
                return Err(user_hint(
                    format!("a {kind} has no status '{text}'"),
                    format!("use one of {}", kind.statuses_text()),
                ));
            }
        },
        None => None,
    };
    let db = ctx.read_db()?;
    let conn = db.conn();
    let mut items = store::items::list(conn, Some(kind))?;
    items.retain(|item| match wanted {
        Some(status) => item.status == status,
        None => args.all || item.is_open() || item.status == Status::Active,
    });
    if let Some(limit) = args.limit {
        items.truncate(limit);
    }
    let rows = items.into_iter().map(|item| ItemView::build(conn, item)).collect::<Result<Vec<_>>>()?;
    Ok(outcome::report(rows, move |out: &mut Out, rows: &Vec<ItemView>| render::records::item_table(out, kind, rows)))
}
