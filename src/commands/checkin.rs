//! `learnlog checkin` and `learnlog progress`: the daily write, kept to one
//! transaction.

use anyhow::Result;
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::Ctx;
use crate::cli::{CheckinArgs, ProgressArgs};
use crate::domain::parse::{
    check_day_total, format_minutes, looks_like_duration, parse_bloom, parse_date, parse_duration, parse_time,
};
use crate::domain::records::{Item, Kind, Session, Status};
use crate::error::{user, user_hint};
use crate::lookup::resolve;
use crate::ops::sessions::{check_units, day_minutes};
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::store;

/// REF and DURATION may come in either order; a word that parses as a
/// duration is the duration.
fn split_words(words: &[String]) -> Result<(Option<String>, Option<String>)> {
    match words {
        [] => Ok((None, None)),
        [one] if looks_like_duration(one) || one.starts_with('-') => Ok((None, Some(one.clone()))),
        [one] => Ok((Some(one.clone()), None)),
        [a, b] => match (looks_like_duration(a) || a.starts_with('-'), looks_like_duration(b) || b.starts_with('-')) {
            (false, true) => Ok((Some(a.clone()), Some(b.clone()))),
            (true, false) => Ok((Some(b.clone()), Some(a.clone()))),
            (true, true) => {
                Err(user_hint(format!("two durations: '{a}' and '{b}'"), "give one course or project and one duration"))
            }
            (false, false) => {
                // Neither parses: report the one that looks most like a duration
                // attempt; else the second, as the usual order is REF DURATION.
                let digit_led = |w: &str| w.starts_with(|c: char| c.is_ascii_digit());
                let bad = if digit_led(a) && !digit_led(b) { a } else { b };
                let _ = parse_duration(bad)?;
                Err(user_hint(
                    format!("two references: '{a}' and '{b}'"),
                    "give one course or project and one duration",
                ))
            }
        },
        _ => Err(user("too many words: give at most a reference and a duration")),
    }
}

pub fn run(ctx: &mut Ctx, args: &CheckinArgs) -> Result<Box<dyn Outcome>> {
    let (reference, duration) = split_words(&args.words)?;
    let minutes = match &duration {
        Some(text) => parse_duration(text)?,
        None => ctx.settings.default_minutes,
    };
    let today = ctx.clock.today();
    let now = ctx.clock.now();
    let day = args.date.as_deref().map(|d| parse_date(d, today)).transpose()?.unwrap_or(today);
    if day > today {
        return Err(user_hint(format!("{day} is in the future"), "a check-in is for today or an earlier day"));
    }
    let level = args.level.as_deref().map(parse_bloom).transpose()?;
    refuse_negative_units(args.units, reference.as_deref())?;
    let started_at = start_of(ctx, args.at.as_deref(), day, minutes)?;
    // The study day is that of the start (a session crossing midnight stays on its day).
    let study_day = match (&args.at, started_at) {
        (None, Some(start)) => ctx.clock.study_day_at(start),
        _ => day,
    };
    let utc_offset = ctx.clock.offset_at(started_at.unwrap_or(now)).local_minus_utc();
    let note = args.note.clone().filter(|n| !n.trim().is_empty());
    let summary = format!(
        "checkin {}{} on {study_day}",
        format_minutes(minutes),
        reference.as_deref().map(|r| format!(" {r}")).unwrap_or_default()
    );
    // The same check-in without its reference, for a hint.
    let general = match &duration {
        Some(text) => format!("learnlog checkin {text}"),
        None => "learnlog checkin".to_string(),
    };
    let db = ctx.write_db()?;
    let (session, resumed) = db.write(&summary, now, |conn| {
        let (item, resumed) = match &reference {
            Some(text) => {
                let (item, resumed) = target_for_session(conn, text, now, &general)?;
                (Some(item), resumed)
            }
            None => (None, false),
        };
        check_day_total(study_day, day_minutes(conn, study_day)?, minutes)?;
        if let (Some(item), Some(units)) = (&item, args.units) {
            check_units(conn, item, 0, units)?;
        }
        let mut session = Session {
            id: 0,
            uuid: store::new_uuid(),
            target: item.as_ref().map(|i| i.slug.clone()),
            item_id: item.as_ref().map(|i| i.id),
            study_day,
            started_at,
            utc_offset,
            minutes,
            units: args.units.unwrap_or(0),
            progress_to: None,
            number: 0,
            note: note.clone(),
            level,
            created_at: now,
            updated_at: now,
        };
        session.id = store::sessions::insert(conn, &session)?;
        session.number = store::sessions::number_of(conn, session.id)?.unwrap_or(0);
        Ok((session, resumed))
    })?;
    confirm(ctx, session, resumed)
}

fn refuse_negative_units(units: Option<i64>, reference: Option<&str>) -> Result<()> {
    match units {
        Some(units) if units < 0 => Err(user_hint(
            format!("invalid --units {units}: a session adds units, it never takes them away"),
            format!("`learnlog progress {} N` sets the units done", reference.unwrap_or("REF")),
        )),
        _ => Ok(()),
    }
}

/// When a session started: `--at` on its day; else a check-in for today
/// has just ended; else (an earlier day, no time) unknown.
fn start_of(ctx: &Ctx, at: Option<&str>, day: NaiveDate, minutes: i64) -> Result<Option<DateTime<Utc>>> {
    let (today, now) = (ctx.clock.today(), ctx.clock.now());
    Ok(match at {
        Some(time) => {
            let local = ctx.clock.local_moment(day, parse_time(time)?)?;
            if local.with_timezone(&Utc) > now {
                return Err(user_hint(
                    format!("{day} at {time} is in the future"),
                    "a check-in is logged after it starts",
                ));
            }
            Some(local.with_timezone(&Utc))
        }
        None if day == today => Some(now - Duration::minutes(minutes)),
        None => None,
    })
}

/// The session as JSON; as text, the confirming line (and, at a terminal,
/// where the check-in leaves the streak and pledge).
fn confirm(ctx: &mut Ctx, session: Session, resumed: bool) -> Result<Box<dyn Outcome>> {
    let mut lines = Vec::new();
    if resumed {
        lines.push(format!("Resumed {} (it was paused).", session.target.as_deref().unwrap_or("")));
    }
    let on = session.target.as_deref().map(|t| format!(" on {t}")).unwrap_or_default();
    let units =
        if session.units > 0 { format!(", {}", crate::render::plural(session.units, "unit")) } else { String::new() };
    lines.push(format!(
        "Logged {}{on}{units} for {} (session #{}).",
        format_minutes(session.minutes),
        session.study_day,
        session.number
    ));
    // For the person at the terminal; a script gets the one confirming line.
    // (Worked out at a terminal with --json too, where it is not shown.)
    let standing =
        if ctx.out.quiet || !ctx.out.is_tty { None } else { Some(standing_line(ctx, session.target.as_deref())?) };
    Ok(outcome::report(session, move |out: &mut Out, _: &Session| {
        lines.iter().try_for_each(|line| out.done(line))?;
        standing.as_ref().map_or(Ok(()), |line| out.line(line))
    }))
}

/// `streak 12d · week 3h10/5h on ml`: where the check-in leaves the streak
/// and the pledge it counts for (on its target, else on all study). Shown
/// on a terminal only, after the confirming line.
fn standing_line(ctx: &mut Ctx, target: Option<&str>) -> Result<String> {
    let today = ctx.clock.today();
    let settings = ctx.settings.clone();
    let book = super::pledge_book(ctx)?;
    let conn = ctx.read_db()?.conn();
    let streak = crate::report::streak::build(conn, &settings, today, &store::sessions::Scope::All, None, &book)?;
    let mut parts = vec![format!("streak {}d", streak.daily.current)];
    let current = |wanted: &str| {
        book.pledges
            .iter()
            .filter(|p| p.status == crate::report::pledges::PledgeState::Active && p.target == wanted)
            .find_map(|p| p.current.clone())
    };
    let pledge = target.and_then(|t| current(t).map(|c| (c, t))).or_else(|| current("all").map(|c| (c, "all")));
    if let Some((period, on)) = pledge {
        let span = match period.rate.per {
            crate::domain::pledge::Per::Day => "today",
            crate::domain::pledge::Per::Week => "week",
        };
        parts.push(format!(
            "{span} {}/{} on {on}",
            period.rate.format_amount(period.done),
            period.rate.format_amount(period.target)
        ));
    }
    Ok(parts.join(ctx.out.dot()))
}

/// The course or project a session is for; a paused one is resumed, a
/// finished one refused.
fn target_for_session(
    conn: &rusqlite::Connection,
    reference: &str,
    now: chrono::DateTime<Utc>,
    general: &str,
) -> Result<(Item, bool)> {
    let mut item = resolve(conn, reference, &[Kind::Course, Kind::Project])?;
    match item.status {
        Status::Completed | Status::Dropped | Status::Shipped | Status::Achieved => {
            // Only a dropped record can be resumed; general study always works.
            let hint = if item.status == Status::Dropped {
                format!("`learnlog resume {}` reopens it; or log general study: `{general}`", item.slug)
            } else {
                format!("log it as general study: `{general}`")
            };
            Err(user_hint(
                format!("{} {} is {}; no more sessions can be logged to it", item.kind, item.slug, item.status),
                hint,
            ))
        }
        Status::Paused => {
            item.status = Status::Active;
            item.updated_at = now;
            store::items::update(conn, &item)?;
            Ok((item, true))
        }
        Status::Idea => {
            // Working on an idea makes it an active project.
            item.status = Status::Active;
            item.updated_at = now;
            store::items::update(conn, &item)?;
            Ok((item, false))
        }
        Status::Active => Ok((item, false)),
    }
}

/// `N` or `N/TOTAL` of `learnlog progress`: units done, and maybe the total.
fn parse_progress(text: &str) -> Result<(i64, Option<i64>)> {
    let (done_text, total_text) = match text.split_once('/') {
        Some((done, total)) => (done, Some(total)),
        None => (text, None),
    };
    let bad =
        || user_hint(format!("invalid progress '{text}'"), "write units done, optionally with the total: 5 or 5/12");
    let count = |text: &str| -> Result<i64> {
        let n: i64 = text.trim().parse().map_err(|_| bad())?;
        if n.abs() > crate::cli::MAX_UNITS {
            return Err(user(format!("{n} units is too many (at most {})", crate::cli::MAX_UNITS)));
        }
        Ok(n)
    };
    let target = count(done_text)?;
    let total = total_text.map(count).transpose()?;
    if target < 0 || total.is_some_and(|t| t <= 0 || t < target) {
        return Err(bad());
    }
    Ok((target, total))
}

/// `progress REF N[/TOTAL]`: records the units done as a zero-minute mark
/// holding the absolute value (so two devices setting 6 end at 6, not 12),
/// time-stamped like any session.
pub fn progress(ctx: &mut Ctx, args: &ProgressArgs) -> Result<Box<dyn Outcome>> {
    let (target, total) = parse_progress(&args.units)?;
    let now = ctx.clock.now();
    let today = ctx.clock.today();
    let utc_offset = ctx.clock.offset_now().local_minus_utc();
    let db = ctx.write_db()?;
    let (item, before) = db.write(&format!("progress {} {}", args.reference, args.units), now, |conn| {
        let (mut item, _) = target_for_session(conn, &args.reference, now, "learnlog checkin")?;
        if item.kind != Kind::Course {
            return Err(user(format!("{} is a {}; progress in units is for courses", item.slug, item.kind)));
        }
        if let Some(total) = total {
            item.units_total = Some(total);
            item.updated_at = now;
            store::items::update(conn, &item)?;
        }
        if let Some(total) = item.units_total
            && target > total
        {
            return Err(user_hint(
                format!("{target} is more than the {total} units of {}", item.slug),
                "give the new total: N/TOTAL",
            ));
        }
        let before = store::items::units_done(conn, item.id)?;
        if before != target {
            // Marks fold in order (day, created, uuid): one made within the
            // second of the last must still come after it.
            let created_at = match store::sessions::last_mark_created(conn, item.id, today)? {
                Some(last) if last >= now => last + chrono::Duration::seconds(1),
                _ => now,
            };
            let session = Session {
                id: 0,
                uuid: store::new_uuid(),
                target: Some(item.slug.clone()),
                item_id: Some(item.id),
                study_day: today,
                started_at: None,
                utc_offset,
                minutes: 0,
                units: 0,
                progress_to: Some(target),
                number: 0,
                note: Some("progress".into()),
                level: None,
                created_at,
                updated_at: created_at,
            };
            store::sessions::insert(conn, &session)?;
        } else if total.is_none() {
            return Err(user(format!("{} already has {target} units done", item.slug)));
        }
        Ok((item, before))
    })?;
    let of = item.units_total.map(|t| format!(" of {t}")).unwrap_or_default();
    let unit = item.unit_name.clone().unwrap_or_else(|| "units".into());
    let line = format!("{}: {target}{of} {unit} done (was {before}).", item.slug);
    let view = crate::report::records::ItemView::build(ctx.read_db()?.conn(), item)?;
    Ok(outcome::done(view, line))
}
