//! `learnlog show REF | session N`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::ShowArgs;
use crate::lookup::{ALL_KINDS, find_session, resolve, session_number};
use crate::outcome::{self, Outcome};
use crate::render;
use crate::report::records::ItemView;

pub fn run(ctx: &mut Ctx, args: &ShowArgs) -> Result<Box<dyn Outcome>> {
    let db = ctx.read_db()?;
    let conn = db.conn();
    if args.target == "session" {
        let session = find_session(conn, session_number(args.number.as_deref())?)?;
        return Ok(outcome::report(session, render::records::session_detail));
    }
    let item = resolve(conn, &args.target, ALL_KINDS)?;
    Ok(outcome::report(ItemView::build(conn, item)?, render::records::item_detail))
}
