//! `learnlog import FILE [--format learnlog|timewarrior] [--dry-run]`.
//!
//! The whole file is read and checked before the database is touched; the
//! merge then runs in one journaled transaction (so `undo` reverses it), or,
//! with `--dry-run`, in one that is rolled back.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;

use crate::Ctx;
use crate::cli::{ImportArgs, ImportFormat};
use crate::domain::parse::{DAY_MINUTES, format_minutes};
use crate::domain::records::Kind;
use crate::domain::snapshot::Snapshot;
use crate::error::user_hint;
use crate::interop;
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::store;
use crate::store::Db;
use crate::store::snapshot::{Counts, MergeReport};

/// What `import --json` prints.
#[derive(Debug, Serialize)]
struct ImportReport {
    file: String,
    format: &'static str,
    dry_run: bool,
    total: Counts,
    #[serde(flatten)]
    merge: MergeReport,
    /// Intervals left out (Timewarrior), with the reason.
    skipped: Vec<String>,
}

/// Raised inside the write when the merge changed nothing, so the
/// transaction rolls back and leaves no empty change for `undo`.
#[derive(Debug, thiserror::Error)]
#[error("the import changed nothing")]
struct NothingChanged(MergeReport);

pub fn run(ctx: &mut Ctx, args: &ImportArgs) -> Result<Box<dyn Outcome>> {
    let (name, text) = read_input(&args.file)?;
    let (snapshot, skipped, format) = match args.format {
        ImportFormat::Learnlog => (interop::json::read(&text, &name)?, Vec::new(), "learnlog"),
        ImportFormat::Timewarrior => {
            let intervals = interop::timewarrior::parse(&text, &name)?;
            let items =
                if ctx.db_path()?.exists() { store::items::list(ctx.read_db()?.conn(), None)? } else { Vec::new() };
            let targets: HashMap<String, String> = items
                .into_iter()
                .filter(|item| matches!(item.kind, Kind::Course | Kind::Project))
                .map(|item| (item.slug.to_lowercase(), item.uuid))
                .collect();
            let converted = interop::timewarrior::to_sessions(&intervals, &targets, &ctx.clock);
            (Snapshot { sessions: converted.sessions, ..Snapshot::default() }, converted.skipped, "timewarrior")
        }
    };
    for reason in &skipped {
        ctx.out.note(format!("note: skipped {reason}"))?;
    }
    let days: BTreeSet<NaiveDate> = snapshot.sessions.iter().map(|s| s.study_day).collect();
    let mut progress = ctx.out.progress("importing", snapshot.len());
    let merge = if args.dry_run {
        let now = ctx.clock.now();
        // Into a database not created yet: rehearse on an empty one, quietly.
        let empty;
        let db = if ctx.db_path()?.exists() {
            ctx.read_db()?
        } else {
            empty = Db::empty()?;
            &empty
        };
        db.rehearse(now, |conn| {
            let before = day_totals(conn, &days)?;
            let merge = store::snapshot::merge(conn, &snapshot, &mut |done| progress.tick(done))?;
            check_day_totals(conn, &before)?;
            Ok(merge)
        })?
    } else {
        let now = ctx.clock.now();
        let db = ctx.write_db()?;
        db.prepare_for_bulk()?;
        let written = db.write(&format!("import {name}"), now, |conn| {
            let before = day_totals(conn, &days)?;
            let merge = store::snapshot::merge(conn, &snapshot, &mut |done| progress.tick(done))?;
            check_day_totals(conn, &before)?;
            if merge.changed() { Ok(merge) } else { Err(NothingChanged(merge).into()) }
        });
        match written {
            Ok(merge) => merge,
            Err(err) => match err.downcast::<NothingChanged>() {
                Ok(NothingChanged(merge)) => merge,
                Err(err) => return Err(err),
            },
        }
    };
    progress.finish();
    let report = ImportReport { file: name, format, dry_run: args.dry_run, total: merge.total(), merge, skipped };
    Ok(outcome::report(report, print))
}

/// Minutes logged on each of these study days.
fn day_totals(conn: &Connection, days: &BTreeSet<NaiveDate>) -> Result<BTreeMap<NaiveDate, i64>> {
    days.iter().map(|day| Ok((*day, crate::ops::sessions::day_minutes(conn, *day)?))).collect()
}

/// No import brings a study day past 24 hours (a day that already was, in
/// an older file, may stay so but not grow).
fn check_day_totals(conn: &Connection, before: &BTreeMap<NaiveDate, i64>) -> Result<()> {
    for (day, was) in before {
        let now = crate::ops::sessions::day_minutes(conn, *day)?;
        if now > DAY_MINUTES && now > *was {
            return Err(user_hint(
                format!("the import would make {} on {day}, more than 24h in one study day", format_minutes(now)),
                "fix the sessions of that day in the file; nothing was imported",
            ));
        }
    }
    Ok(())
}

/// The input's name for messages, and its text; `-` is stdin.
fn read_input(path: &Path) -> Result<(String, String)> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text).context("cannot read standard input")?;
        return Ok(("standard input".to_string(), text));
    }
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|err| match err.kind() {
        std::io::ErrorKind::NotFound => {
            user_hint(format!("{name} does not exist"), "give the path of an export file, or - for stdin")
        }
        std::io::ErrorKind::IsADirectory => {
            user_hint(format!("{name} is a directory"), "give the path of an export file")
        }
        _ => anyhow::Error::new(err).context(format!("cannot read {name}")),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| {
        user_hint(format!("{name} is not UTF-8 text"), "learnlog imports JSON files (learnlog or `timew export`)")
    })?;
    Ok((name, text))
}

fn print(out: &mut Out, report: &ImportReport) -> Result<()> {
    let total = report.total;
    let changes = total.added + total.updated;
    if changes == 0 {
        let records = total.unchanged;
        let message = if records == 0 {
            format!("Nothing to import: {} holds no records.", report.file)
        } else {
            format!("Nothing to import from {}: its {records} records are already here.", report.file)
        };
        return out.done(message);
    }
    let mut table = out.table(&["records", "added", "updated", "unchanged"]);
    for (label, counts) in report.merge.tables() {
        if counts.added + counts.updated + counts.unchanged > 0 {
            table.add_row(vec![
                label.to_string(),
                counts.added.to_string(),
                counts.updated.to_string(),
                counts.unchanged.to_string(),
            ]);
        }
    }
    if report.dry_run {
        out.line(format!(
            "Dry run: importing {} would add {}, update {} and leave {} unchanged. Nothing was written.",
            report.file, total.added, total.updated, total.unchanged
        ))?;
        out.print_table(&table)?;
    } else {
        out.done(format!(
            "Imported {}: {} added, {} updated, {} unchanged.",
            report.file, total.added, total.updated, total.unchanged
        ))?;
        if !out.quiet {
            out.print_table(&table)?;
        }
    }
    for renamed in &report.merge.renamed {
        let verb = if report.dry_run { "would be imported" } else { "was imported" };
        let why = if crate::domain::slug::is_reserved(&renamed.from) {
            "its slug would read as a number, a duration, a date or a keyword"
        } else {
            "another record here has that slug"
        };
        out.line(format!("{} '{}' {verb} as '{}': {why}.", renamed.kind, renamed.from, renamed.to))?;
    }
    if !report.dry_run {
        out.done("`learnlog undo` reverses the import.")?;
    }
    Ok(())
}
