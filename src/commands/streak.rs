//! `learnlog streak [REF]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::StreakArgs;
use crate::domain::records::Kind;
use crate::lookup::resolve;
use crate::outcome::{self, Outcome};
use crate::render;
use crate::report;
use crate::store::sessions::Scope;

pub fn run(ctx: &mut Ctx, args: &StreakArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let conn = ctx.read_db()?.conn();
    let totals = report::totals::DayTotals::load(conn)?;
    let mut book = report::pledges::build_over(conn, &settings, today, &totals)?;
    let (scope, target) = match &args.reference {
        Some(reference) => {
            let item = resolve(conn, reference, &[Kind::Course, Kind::Project])?;
            // Only the pledges on this target judge its weeks.
            book.judged.retain(|j| j.row.item_id == Some(item.id));
            (Scope::Items(vec![item.id]), Some(item.slug))
        }
        None => (Scope::All, None),
    };
    let streak = report::streak::build_over(conn, &settings, today, &scope, target, &book, &totals)?;
    Ok(outcome::report(streak, render::status::streak))
}
