//! `learnlog portfolio [--format markdown|json-resume]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::{PortfolioArgs, PortfolioFormat};
use crate::interop;
use crate::render;
use crate::report;

pub fn run(ctx: &mut Ctx, args: &PortfolioArgs) -> Result<()> {
    let portfolio = report::portfolio::build(ctx.read_db()?.conn())?;
    match args.format {
        PortfolioFormat::JsonResume => {
            let resume = interop::json_resume::resume(&portfolio, ctx.clock.now());
            ctx.out.json_doc(&resume)
        }
        PortfolioFormat::Markdown if ctx.out.json => ctx.out.json_doc(&portfolio),
        PortfolioFormat::Markdown => ctx.out.text(render::portfolio::markdown(&portfolio)),
    }
}
