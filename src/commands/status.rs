//! `learnlog status [--short]`: the daily dashboard.

use anyhow::Result;

use crate::Ctx;
use crate::cli::StatusArgs;
use crate::render;
use crate::report;

pub fn run(ctx: &mut Ctx, args: &StatusArgs) -> Result<()> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let dashboard = report::status::build(ctx.read_db()?.conn(), &settings, today)?;
    if ctx.out.json {
        return ctx.out.json_doc(&dashboard.report);
    }
    if args.short {
        let line = render::status::short_line(&ctx.out, &dashboard.report);
        return ctx.out.line(line);
    }
    render::status::dashboard(&mut ctx.out, &dashboard.report)
}
