//! `learnlog undo [--list]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::UndoArgs;
use crate::error::user_hint;
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::store;

pub fn run(ctx: &mut Ctx, args: &UndoArgs) -> Result<Box<dyn Outcome>> {
    if args.list {
        let db = ctx.read_db()?;
        let changes = store::undo::list(db.conn(), 100)?;
        return Ok(outcome::report(changes, |out: &mut Out, changes: &Vec<store::undo::Change>| {
            render::records::change_table(out, changes)
        }));
    }
    let now = ctx.clock.now();
    let db = ctx.write_db()?;
    let undone = db.write_unjournaled(now, store::undo::undo_last)?;
    match undone {
        Some(change) => {
            // The change it reversed, as `undo --list` showed it (not the record it restored).
            let line = format!("Undid: {} (from {}).", change.summary, change.at.format("%Y-%m-%d %H:%M UTC"));
            Ok(outcome::done(change, line))
        }
        None => Err(user_hint("nothing to undo", "`learnlog undo --list` shows what can be undone")),
    }
}
