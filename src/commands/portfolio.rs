//! `learnlog portfolio [--format markdown|json-resume]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::{PortfolioArgs, PortfolioFormat};
use crate::interop;
use crate::interop::json_resume::Resume;
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::report;
use crate::report::portfolio::PortfolioReport;

pub fn run(ctx: &mut Ctx, args: &PortfolioArgs) -> Result<Box<dyn Outcome>> {
    let portfolio = report::portfolio::build(ctx.read_db()?.conn())?;
    Ok(match args.format {
        // A JSON Resume document is JSON either way.
        PortfolioFormat::JsonResume => {
            let resume = interop::json_resume::resume(&portfolio, ctx.clock.now());
            outcome::formatted(resume, |out: &mut Out, resume: &Resume| out.json_doc(resume))
        }
        PortfolioFormat::Markdown => outcome::report(portfolio, |out: &mut Out, portfolio: &PortfolioReport| {
            out.text(render::portfolio::markdown(portfolio))
        }),
    })
}
