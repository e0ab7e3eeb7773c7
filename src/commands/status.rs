//! `learnlog status [--short]`: the daily dashboard.

use anyhow::Result;

use crate::Ctx;
use crate::cli::StatusArgs;
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::report;
use crate::report::status::StatusReport;

pub fn run(ctx: &mut Ctx, args: &StatusArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let dashboard = report::status::build(ctx.read_db()?.conn(), &settings, today)?;
    Ok(if args.short {
        outcome::report(dashboard.report, |out: &mut Out, r: &StatusReport| {
            let line = render::status::short_line(out, r);
            out.line(line)
        })
    } else {
        outcome::report(dashboard.report, render::status::dashboard)
    })
}
