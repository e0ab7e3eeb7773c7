//! `learnlog next`: the mentor.

use anyhow::Result;

use crate::Ctx;
use crate::outcome::{self, Outcome};
use crate::render;
use crate::report;

pub fn run(ctx: &mut Ctx) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let next = report::next::build(ctx.read_db()?.conn(), &settings, today)?;
    Ok(outcome::report(next, render::next::next))
}
