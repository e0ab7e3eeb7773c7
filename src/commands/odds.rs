//! `learnlog odds [REF] [--explain]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::OddsArgs;
use crate::domain::records::{Kind, Status};
use crate::error::user_hint;
use crate::lookup::resolve;
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::report;
use crate::report::odds::CourseOdds;

pub fn run(ctx: &mut Ctx, args: &OddsArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let conn = ctx.read_db()?.conn();
    let only = args.reference.as_deref().map(|r| resolve(conn, r, &[Kind::Course])).transpose()?;
    if let Some(course) = &only
        && course.status != Status::Active
    {
        return Err(user_hint(
            format!("{} is {}; odds are for active courses", course.slug, course.status),
            format!("`learnlog resume {}` makes it active again", course.slug),
        ));
    }
    let odds = report::odds::build(conn, today, only.as_ref())?;
    let explain = args.explain;
    Ok(outcome::report(odds, move |out: &mut Out, odds: &Vec<CourseOdds>| render::odds::table(out, odds, explain)))
}
