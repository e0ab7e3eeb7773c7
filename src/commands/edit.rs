//! `learnlog edit REF [flags]` and `learnlog edit session N [flags]`.

use anyhow::Result;

use crate::Ctx;
use crate::cli::{EditArgs, ProjectOpts};
use crate::domain::parse::{check_day_total, parse_bloom, parse_date, parse_duration};
use crate::domain::records::{Item, Kind, Status};
use crate::error::{user, user_hint};
use crate::lookup::{ALL_KINDS, find_session, non_empty, resolve, session_number};
use crate::ops::items::{apply_course_opts, apply_project_opts, choose_slug};
use crate::outcome::{self, Outcome};
use crate::report::records::ItemView;
use crate::store;

pub fn run(ctx: &mut Ctx, args: &EditArgs) -> Result<Box<dyn Outcome>> {
    if args.target == "session" {
        return edit_session(ctx, args);
    }
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let currency = ctx.settings.currency.clone();
    let db = ctx.write_db()?;
    let view = db.write(&format!("edit {}", args.target), now, |conn| {
        let mut item = resolve(conn, &args.target, ALL_KINDS)?;
        let before = item.clone();
        if let Some(title) = &args.title {
            item.title = non_empty("title", title)?;
        }
        if let Some(slug) = &args.slug
            && *slug != item.slug
        {
            item.slug = choose_slug(conn, item.kind, Some(slug), &item.title)?;
        }
        match item.kind {
            Kind::Goal => {
                if let Some(why) = &args.why {
                    item.description = Some(why.clone());
                }
                if let Some(by) = &args.by {
                    item.due_date = Some(parse_date(by, today)?);
                }
                refuse_flags(
                    item.kind,
                    &[("--platform", args.course.platform.is_some()), ("--units", args.course.units.is_some())],
                )?;
            }
            Kind::Course => {
                apply_course_opts(conn, &mut item, &args.course, today, &currency)?;
                refuse_total_below_done(conn, &item, args.course.units)?;
            }
            Kind::Project => {
                let opts = ProjectOpts {
                    url: args.course.url.clone(),
                    description: args.description.clone(),
                    skills: args.skills.clone(),
                    goal: args.course.goal.clone(),
                    courses: args.courses.clone(),
                    due: args.due.clone(),
                    status: args.status.clone(),
                };
                apply_project_opts(conn, &mut item, &opts, today)?;
            }
        }
        if item == before {
            return Err(user_hint(
                format!("nothing to change in {}", item.slug),
                "pass a flag, e.g. --title or --deadline",
            ));
        }
        item.updated_at = now;
        store::items::update(conn, &item)?;
        let fresh = store::items::get(conn, item.id)?.ok_or_else(|| user("the record vanished"))?;
        ItemView::build(conn, fresh)
    })?;
    let line = format!("Updated {} {}.", view.item.kind, view.item.slug);
    Ok(outcome::done(view, line))
}

/// `--units` may not fall below the units already done.
fn refuse_total_below_done(conn: &rusqlite::Connection, item: &Item, given: Option<i64>) -> Result<()> {
    let (Some(total), Some(_)) = (item.units_total, given) else { return Ok(()) };
    let done = store::items::units_done(conn, item.id)?;
    if total >= done {
        return Ok(());
    }
    // `progress` works only while the course is open.
    let hint = if matches!(item.status, Status::Active | Status::Paused) {
        format!(
            "give --units {done} or more; to lower the units done as well, `learnlog progress {} {total}/{total}`",
            item.slug
        )
    } else {
        format!("give --units {done} or more")
    };
    Err(user_hint(format!("{} has {done} units done, more than --units {total}", item.slug), hint))
}

fn refuse_flags(kind: Kind, given: &[(&str, bool)]) -> Result<()> {
    match given.iter().find(|(_, present)| *present) {
        Some((flag, _)) => Err(user(format!("{flag} does not apply to a {kind}"))),
        None => Ok(()),
    }
}

fn edit_session(ctx: &mut Ctx, args: &EditArgs) -> Result<Box<dyn Outcome>> {
    let number = session_number(args.number.as_deref())?;
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let db = ctx.write_db()?;
    let session = db.write(&format!("edit session #{number}"), now, |conn| {
        let mut session = find_session(conn, number)?;
        let before = session.clone();
        if let Some(minutes) = &args.minutes {
            session.minutes = parse_duration(minutes)?;
        }
        if let Some(date) = &args.date {
            let day = parse_date(date, today)?;
            if day > today {
                return Err(user_hint(format!("{day} is in the future"), "a session is logged for today or earlier"));
            }
            // A start time belongs to the old day; it goes with the move.
            if day != session.study_day {
                session.started_at = None;
            }
            session.study_day = day;
        }
        if let Some(units) = args.course.units {
            session.units = units;
        }
        if let Some(note) = &args.note {
            session.note = Some(note.clone()).filter(|n| !n.is_empty());
        }
        if let Some(level) = &args.level {
            session.level = Some(parse_bloom(level)?);
        }
        if let Some(target) = &args.target_ref {
            if target.eq_ignore_ascii_case("none") {
                session.item_id = None;
                session.target = None;
            } else {
                let item = resolve(conn, target, &[Kind::Course, Kind::Project])?;
                if !item.is_open() && Some(item.id) != before.item_id {
                    return Err(user_hint(
                        format!("{} {} is {}; no session can move to it", item.kind, item.slug, item.status),
                        format!("move it to an open course or project, or to general study: `learnlog edit session {number} --target none`"),
                    ));
                }
                session.item_id = Some(item.id);
                session.target = Some(item.slug);
            }
        }
        // The limits a check-in keeps: 24h in a study day, units within the course.
        if session.minutes != before.minutes || session.study_day != before.study_day {
            let others = crate::ops::sessions::day_minutes(conn, session.study_day)?
                - if before.study_day == session.study_day { before.minutes } else { 0 };
            check_day_total(session.study_day, others, session.minutes)?;
        }
        if (session.units != before.units || session.item_id != before.item_id)
            && let Some(item_id) = session.item_id
            && let Some(item) = store::items::get(conn, item_id)?
        {
            let counted = if before.item_id == Some(item_id) { before.units } else { 0 };
            crate::ops::sessions::check_units(conn, &item, counted, session.units)?;
        }
        if session == before {
            return Err(user_hint(format!("nothing to change in session #{number}"), "pass a flag, e.g. --minutes 50"));
        }
        session.updated_at = now;
        store::sessions::update(conn, &session)?;
        // A move or a change of amount is an amendment: a pledge period
        // closed before it never counts the session for more (SPEC §2).
        let placement = |s: &crate::domain::records::Session| (s.study_day, s.item_id, s.minutes, s.units);
        if placement(&session) != placement(&before) {
            store::sessions::amend(conn, session.id, placement(&before), now)?;
        }
        // A new day may give it a new number.
        store::sessions::get(conn, session.id)?.ok_or_else(|| user("the session vanished"))
    })?;
    let line = format!("Updated session #{}.", session.number);
    Ok(outcome::done(session, line))
}
