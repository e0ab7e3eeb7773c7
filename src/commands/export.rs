//! `learnlog export [--format json|csv|ics] [--table T] [--out FILE] [--force]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::{ExportArgs, ExportFormat, ExportTable};
use crate::domain::records::Kind;
use crate::error::{user, user_hint};
use crate::files::{refuse_missing_folder, write_atomically, write_atomically_with};
use crate::interop;
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::report::records::ItemView;
use crate::store;
use crate::store::sessions::Scope;

pub fn run(ctx: &mut Ctx, args: &ExportArgs) -> Result<Box<dyn Outcome>> {
    if args.table.is_some() && args.format != ExportFormat::Csv {
        return Err(user_hint("--table is for --format csv", "json and ics exports hold every record"));
    }
    // Refuse before any work, so nothing is read or written in vain.
    if let Some(path) = &args.out {
        refuse_overwrite(path, args.force)?;
    }
    let (text, what) = match args.format {
        ExportFormat::Json => return export_json(ctx, args),
        ExportFormat::Csv => {
            let table = args.table.unwrap_or(ExportTable::Sessions);
            let rows = csv_table(ctx, table)?;
            let what = format!("{} {} rows", rows.rows.len(), table_name(table));
            (interop::csv::write(&rows)?, what)
        }
        ExportFormat::Ics => {
            let conn = ctx.read_db()?.conn();
            let items = store::items::list(conn, None)?;
            let sessions = store::sessions::list(conn, &Scope::All, None, None)?;
            let todos = items.iter().filter(|i| i.due_date.is_some()).count();
            let events = sessions.iter().filter(|s| s.started_at.is_some()).count();
            (interop::ics::calendar(&items, &sessions), format!("{todos} deadlines and {events} sessions"))
        }
    };
    match &args.out {
        // The data itself, the same with --json or without.
        None => Ok(outcome::raw(text.into_bytes())),
        Some(path) => {
            // Checked again: the file may have appeared while we read.
            refuse_overwrite(path, args.force)?;
            write_atomically(path, text.as_bytes())?;
            let format = if matches!(args.format, ExportFormat::Csv) { "csv" } else { "ics" };
            let line = format!("Exported {what} to {}.", path.display());
            let written = serde_json::json!({ "path": path.display().to_string(), "format": format, "exported": what });
            Ok(outcome::done(written, line))
        }
    }
}

/// The JSON export streams its sessions straight from the database to the
/// output, so years of sessions never sit in memory at once: on stdout, the
/// outcome holds the database and streams as it prints (the data itself,
/// the same with `--json` or without).
fn export_json(ctx: &mut Ctx, args: &ExportArgs) -> Result<Box<dyn Outcome>> {
    let now = ctx.clock.now();
    let Some(path) = &args.out else {
        let db = ctx.take_read_db()?;
        let (rest, uuid_of) = store::snapshot::read_all_but_sessions(db.conn())?;
        return Ok(outcome::formatted((db, rest, uuid_of), move |out: &mut Out, (db, rest, uuid_of): &Streamed| {
            let stream = store::snapshot::SessionStream { conn: db.conn(), uuid_of };
            interop::json::write_streaming(out.raw_writer(), rest, stream, now)
        }));
    };
    let conn = ctx.read_db()?.conn();
    let (rest, uuid_of) = store::snapshot::read_all_but_sessions(conn)?;
    let stream = store::snapshot::SessionStream { conn, uuid_of: &uuid_of };
    // Checked again: the file may have appeared while we read.
    refuse_overwrite(path, args.force)?;
    write_atomically_with(path, |file| interop::json::write_streaming(file, &rest, stream, now))?;
    let sessions = store::sessions::count_all(conn)?;
    let records = rest.len() + sessions as usize;
    let line = format!("Exported {records} records to {}.", path.display());
    let written = serde_json::json!({ "path": path.display().to_string(), "format": "json", "records": records });
    Ok(outcome::done(written, line))
}

/// What the JSON export streams from: the database, every record but the
/// sessions, and the items' uuids by id.
type Streamed = (store::Db, crate::domain::snapshot::Snapshot, store::snapshot::UuidOf);

fn refuse_overwrite(path: &std::path::Path, force: bool) -> Result<()> {
    refuse_missing_folder(path)?;
    if path.is_dir() {
        return Err(user(format!("{} is a directory", path.display())));
    }
    if path.exists() && !force {
        return Err(user_hint(format!("{} already exists", path.display()), "pass --force to overwrite it"));
    }
    Ok(())
}

fn table_name(table: ExportTable) -> &'static str {
    match table {
        ExportTable::Sessions => "session",
        ExportTable::Courses => "course",
        ExportTable::Projects => "project",
        ExportTable::Goals => "goal",
        ExportTable::Pledges => "pledge",
    }
}

fn csv_table(ctx: &mut Ctx, table: ExportTable) -> Result<interop::csv::Table> {
    let kind = match table {
        ExportTable::Sessions => {
            let sessions = store::sessions::list(ctx.read_db()?.conn(), &Scope::All, None, None)?;
            return Ok(interop::csv::sessions(&sessions));
        }
        ExportTable::Pledges => {
            let book = super::pledge_book(ctx)?;
            return Ok(interop::csv::pledges(&book.pledges));
        }
        ExportTable::Courses => Kind::Course,
        ExportTable::Projects => Kind::Project,
        ExportTable::Goals => Kind::Goal,
    };
    let conn = ctx.read_db()?.conn();
    let views = store::items::list(conn, Some(kind))?
        .into_iter()
        .map(|item| ItemView::build(conn, item))
        .collect::<Result<Vec<_>>>()?;
    Ok(interop::csv::items(kind, &views))
}
