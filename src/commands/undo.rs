//! `learnlog undo [--list]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::UndoArgs;
use crate::error::user_hint;
use crate::render;
use crate::store;

pub fn run(ctx: &mut Ctx, args: &UndoArgs) -> Result<()> {
    if args.list {
        let db = ctx.read_db()?;
        let changes = store::undo::list(db.conn(), 100)?;
        if ctx.out.json {
            return ctx.out.json_doc(&changes);
        }
        return render::records::change_table(&mut ctx.out, &changes);
    }
    let now = ctx.clock.now();
    let db = ctx.write_db()?;
    let undone = db.write_unjournaled(now, store::undo::undo_last)?;
    match undone {
        Some(change) => {
            if ctx.out.json {
                return ctx.out.json_doc(&change);
            }
            ctx.out.done(format!("Undid: {} (from {}).", change.summary, change.at.format("%Y-%m-%d %H:%M UTC")))
        }
        None => Err(user_hint("nothing to undo", "`learnlog undo --list` shows what can be undone")),
    }
}
