//! `learnlog report`: the commitment report for a period.

use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;

use crate::Ctx;
use crate::cli::{ReportArgs, ReportFormat};
use crate::domain::parse::parse_date;
use crate::error::user_hint;
use crate::files::write_atomically;
use crate::lookup::{ALL_KINDS, resolve};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::report::page;
use crate::report::period::{self, PeriodReport, Span};

pub fn run(ctx: &mut Ctx, args: &ReportArgs) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let (from, to, label) = period_of(args, today, &settings)?;
    // Refuse before any work, so nothing is read or written in vain.
    if let Some(path) = &args.out {
        refuse_out(path, args.force)?;
    }
    let conn = ctx.read_db()?.conn();
    let focus = args.reference.as_deref().map(|r| resolve(conn, r, ALL_KINDS)).transpose()?;
    let report = period::build(conn, &settings, today, from, to, label, focus.as_ref())?;
    // The format decides, alone: `--json` arrives as `--format json`
    // (`Cli::settle_json`).
    let shown = match args.format {
        ReportFormat::Json => outcome::formatted(report, |out: &mut Out, r: &PeriodReport| out.json_doc(r)),
        ReportFormat::Markdown => outcome::formatted(report, render::period::markdown),
        ReportFormat::Table => outcome::formatted(report, render::period::table),
        ReportFormat::Html => {
            outcome::raw(render::html::page(&page::build(conn, &settings, today, report)?).into_bytes())
        }
    };
    let Some(path) = &args.out else { return Ok(shown) };
    // The file holds what the same report prints, without colour or width.
    let bytes = outcome::file_bytes(&*shown)?;
    // Checked again: the file may have appeared while the report was built.
    refuse_out(path, args.force)?;
    write_atomically(path, &bytes)?;
    let written = serde_json::json!({ "path": path, "from": from, "to": to });
    Ok(outcome::done(written, format!("Wrote the report for {from} to {to} to {}.", path.display())))
}

/// `--out` never overwrites without `--force`, and never creates a folder.
fn refuse_out(path: &Path, force: bool) -> Result<()> {
    if path.is_dir() {
        return Err(user_hint(format!("{} is a directory", path.display()), "give --out a file name"));
    }
    let folder = path.parent().filter(|d| !d.as_os_str().is_empty());
    if let Some(folder) = folder.filter(|d| !d.is_dir()) {
        return Err(user_hint(
            format!("the folder {} does not exist", folder.display()),
            "create it first, or give --out a file in an existing folder",
        ));
    }
    if path.exists() && !force {
        return Err(user_hint(format!("{} already exists", path.display()), "pass --force to overwrite it"));
    }
    Ok(())
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
