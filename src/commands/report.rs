//! `learnlog report`: the commitment report for a period.

use anyhow::Result;
use chrono::NaiveDate;

use crate::Ctx;
use crate::cli::{ReportArgs, ReportFormat};
use crate::commands::{ALL_KINDS, resolve};
use crate::domain::parse::parse_date;
use crate::error::user_hint;
use crate::render;
use crate::report::period::{self, Span};

pub fn run(ctx: &mut Ctx, args: &ReportArgs) -> Result<()> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let (from, to, label) = period_of(args, today, &settings)?;
    let conn = ctx.read_db()?.conn();
    let focus = args.reference.as_deref().map(|r| resolve(conn, r, ALL_KINDS)).transpose()?;
    let report = period::build(conn, &settings, today, from, to, label, focus.as_ref())?;
    if ctx.out.json || args.format == ReportFormat::Json {
        return ctx.out.json_doc(&report);
    }
    match args.format {
        ReportFormat::Markdown => render::period::markdown(&mut ctx.out, &report),
        _ => render::period::table(&mut ctx.out, &report),
    }
}

/// The period the flags name: `--from`/`--to`, a named span, or this week.
fn period_of(
    args: &ReportArgs,
    today: NaiveDate,
    settings: &crate::config::Settings,
) -> Result<(NaiveDate, NaiveDate, &'static str)> {
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        let (from, to) = (parse_date(from, today)?, parse_date(to, today)?);
        if to < from {
            return Err(user_hint(
                format!("the period ends ({to}) before it starts ({from})"),
                "give --from DATE --to DATE with FROM on or before TO",
            ));
        }
        return Ok((from, to, "custom"));
    }
    let span = if args.month {
        Span::Month
    } else if args.year {
        Span::Year
    } else if args.last_week {
        Span::LastWeek
    } else if args.last_month {
        Span::LastMonth
    } else {
        Span::Week
    };
    let (from, to) = span.range(today, settings.week_starts);
    Ok((from, to, span.label()))
}
