//! `learnlog show REF | session N`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::ShowArgs;
use crate::lookup::{ALL_KINDS, find_session, resolve, session_number};
use crate::render;
use crate::report::records::ItemView;

pub fn run(ctx: &mut Ctx, args: &ShowArgs) -> Result<()> {
    let db = ctx.read_db()?;
    let conn = db.conn();
    if args.target == "session" {
        let session = find_session(conn, session_number(args.number.as_deref())?)?;
        if ctx.out.json {
            return ctx.out.json_doc(&session);
        }
        return render::records::session_detail(&mut ctx.out, &session);
    }
    let item = resolve(conn, &args.target, ALL_KINDS)?;
    let view = ItemView::build(conn, item)?;
    if ctx.out.json {
        return ctx.out.json_doc(&view);
    }
    render::records::item_detail(&mut ctx.out, &view)
}
