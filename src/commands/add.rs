//! `learnlog add goal|course|project`, and the field rules `edit` shares.

use anyhow::Result;

use crate::Ctx;
use crate::cli::AddCommand;
use crate::domain::parse::parse_date;
use crate::domain::records::{Intent, Item, Kind, Status, Track};
use crate::lookup::non_empty;
use crate::ops::items::{apply_course_opts, apply_project_opts, choose_slug};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::store;

pub fn run(ctx: &mut Ctx, command: AddCommand) -> Result<Box<dyn Outcome>> {
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let currency = ctx.settings.currency.clone();
    let (kind, title, slug) = match &command {
        AddCommand::Goal(f) => (Kind::Goal, f.title.clone(), f.slug.clone()),
        AddCommand::Course(f) => (Kind::Course, f.title.clone(), f.slug.clone()),
        AddCommand::Project(f) => (Kind::Project, f.title.clone(), f.slug.clone()),
    };
    let title = non_empty("title", &title)?;
    let pledge = match &command {
        AddCommand::Course(f) => f.pledge.clone(),
        _ => None,
    };
    // A bad --pledge is refused before anything is written.
    if let Some(rate) = &pledge {
        crate::ops::pledges::parse_rate(rate)?;
    }
    let db = ctx.write_db()?;
    let summary = format!("add {kind} '{title}'");
    let item = db.write(&summary, now, |conn| {
        let slug = choose_slug(conn, kind, slug.as_deref(), &title)?;
        let mut item = store::items::blank(kind, slug, title.clone(), Status::Active, now);
        match &command {
            AddCommand::Goal(f) => {
                item.description = f.why.clone();
                item.due_date = f.by.as_deref().map(|d| parse_date(d, today)).transpose()?;
            }
            AddCommand::Course(f) => {
                item.start_date = Some(today);
                apply_course_opts(conn, &mut item, &f.opts, today, &currency)?;
                item.intent.get_or_insert(Intent::Complete);
                item.track.get_or_insert(Track::Audit);
            }
            AddCommand::Project(f) => apply_project_opts(conn, &mut item, &f.opts, today)?,
        }
        item.id = store::items::insert(conn, &item)?;
        store::items::get(conn, item.id)?.ok_or_else(|| anyhow::anyhow!("the new {kind} vanished"))
    })?;
    let mut lines = vec![format!("Added {} {} ({}).", item.kind, item.slug, item.title)];
    if let Some(rate) = pledge {
        // The same as `learnlog pledge COURSE RATE` right after adding it:
        // its line follows; the JSON is the record added.
        lines.push(crate::ops::pledges::make(ctx, &item.slug, &rate, &Default::default())?.message);
    }
    Ok(outcome::report(item, move |out: &mut Out, _: &Item| lines.iter().try_for_each(|line| out.done(line))))
}
