//! `learnlog next`: the mentor.

use anyhow::Result;

use crate::Ctx;
use crate::render;
use crate::report;

pub fn run(ctx: &mut Ctx) -> Result<()> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let next = report::next::build(ctx.read_db()?.conn(), &settings, today)?;
    if ctx.out.json {
        return ctx.out.json_doc(&next);
    }
    render::next::next(&mut ctx.out, &next)
}
