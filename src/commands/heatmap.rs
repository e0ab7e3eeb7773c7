//! `learnlog heatmap [REF] [--weeks N | --year YYYY]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::HeatmapArgs;
use crate::domain::heatmap::{DEFAULT_WEEKS, Span};
use crate::domain::records::Kind;
use crate::lookup::{ALL_KINDS, resolve};
use crate::outcome::{self, Outcome};
use crate::render;
use crate::report;
use crate::store;
use crate::store::sessions::Scope;

pub fn run(ctx: &mut Ctx, args: &HeatmapArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let span = match args.year {
        Some(year) => Span::Year(year),
        None => Span::Weeks(args.weeks.unwrap_or(DEFAULT_WEEKS)),
    };
    // Check the span before touching the database, so a bad flag is the error shown.
    crate::domain::heatmap::window(span, today, settings.week_starts)?;
    let conn = ctx.read_db()?.conn();
    let (scope, target) = match &args.reference {
        Some(reference) => {
            let item = resolve(conn, reference, ALL_KINDS)?;
            // A goal covers the sessions of its courses and projects.
            let ids = if item.kind == Kind::Goal {
                store::items::list(conn, None)?
                    .into_iter()
                    .filter(|i| i.goal_id == Some(item.id))
                    .map(|i| i.id)
                    .collect()
            } else {
                vec![item.id]
            };
            (Scope::Items(ids), Some(item.slug))
        }
        None => (Scope::All, None),
    };
    let heatmap = report::heatmap::build(conn, &settings, today, span, &scope, target)?;
    Ok(outcome::report(heatmap, render::heatmap::heatmap))
}
