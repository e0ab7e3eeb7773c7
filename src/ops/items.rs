//! Filling in a goal, course or project from its flags: the steps `add`
//! and `edit` share.

use std::fmt::Display;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::cli::{CourseOpts, ProjectOpts};
use crate::domain::money::Money;
use crate::domain::parse::{parse_date, require_positive};
use crate::domain::records::{Intent, Item, Kind, Status, Track};
use crate::domain::slug::{check_given, slugify, unique_slug};
use crate::error::{user, user_hint};
use crate::lookup::{non_empty, resolve};
use crate::store;

/// `--slug` when given (it must be free), else one made from the title.
pub fn choose_slug(conn: &Connection, kind: Kind, given: Option<&str>, title: &str) -> Result<String> {
    match given {
        Some(slug) => {
            let slug = slug.trim().to_lowercase();
            if let Err(why) = check_given(&slug) {
                return Err(user_hint(format!("invalid slug '{slug}'"), why));
            }
            if store::items::slug_taken(conn, &slug)? {
                return Err(user_hint(format!("the slug '{slug}' is taken"), "choose another with --slug"));
            }
            Ok(slug)
        }
        None => {
            let base = slugify(kind.as_str(), title);
            let mut failure = None;
            let slug = unique_slug(&base, |candidate| match store::items::slug_taken(conn, candidate) {
                Ok(taken) => taken,
                Err(err) => {
                    failure = Some(err);
                    false
                }
            });
            match failure {
                Some(err) => Err(err),
                None => Ok(slug),
            }
        }
    }
}

/// Known platforms, and the spellings people use for them.
const PLATFORMS: &[(&str, &[&str])] = &[
    ("coursera", &["coursera", "coursera.org"]),
    ("edx", &["edx", "edx.org"]),
    ("udacity", &["udacity"]),
    ("futurelearn", &["futurelearn", "future-learn"]),
    ("khan-academy", &["khan-academy", "khanacademy", "khan"]),
    ("swayam", &["swayam", "nptel"]),
    ("udemy", &["udemy"]),
    ("linkedin-learning", &["linkedin-learning", "linkedin", "lynda"]),
    ("mit-ocw", &["mit-ocw", "mitocw", "ocw", "mit-opencourseware", "opencourseware"]),
];

/// Known platform names normalised; any other text kept as typed.
pub fn normalize_platform(text: &str) -> String {
    let key: String = text
        .trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    PLATFORMS
        .iter()
        .find(|(_, aliases)| aliases.contains(&key.as_str()))
        .map(|(name, _)| (*name).to_string())
        .unwrap_or_else(|| text.trim().to_string())
}

/// One of `allowed`, as typed in any case.
fn one_of<T: Copy + Display>(what: &str, value: &str, allowed: &[T]) -> Result<T> {
    let lower = value.trim().to_ascii_lowercase();
    allowed.iter().copied().find(|v| v.to_string() == lower).ok_or_else(|| {
        let names: Vec<String> = allowed.iter().map(T::to_string).collect();
        user_hint(format!("invalid {what} '{value}'"), format!("use {}", names.join(" or ")))
    })
}

fn date_opt(text: &Option<String>, today: NaiveDate) -> Result<Option<NaiveDate>> {
    Ok(text.as_deref().map(|d| parse_date(d, today)).transpose()?)
}

/// Applies the course flags that were given (add and edit).
pub fn apply_course_opts(
    conn: &Connection,
    item: &mut Item,
    opts: &CourseOpts,
    today: NaiveDate,
    currency: &str,
) -> Result<()> {
    if let Some(platform) = &opts.platform {
        item.platform = Some(normalize_platform(platform)).filter(|p| !p.is_empty());
    }
    if let Some(url) = &opts.url {
        item.url = Some(url.trim().to_string()).filter(|u| !u.is_empty());
    }
    if let Some(track) = &opts.track {
        item.track = Some(one_of("track", track, Track::ALL)?);
    }
    if let Some(price) = &opts.price {
        let money = Money::parse(price, currency)?;
        // Paying for a course means the verified track, unless said otherwise.
        if !money.is_zero() && opts.track.is_none() {
            item.track = Some(Track::Verified);
        }
        item.price = Some(money);
    }
    if let Some(units) = opts.units {
        item.units_total = Some(require_positive("--units", units)?);
    }
    if let Some(name) = &opts.unit_name {
        item.unit_name = Some(non_empty("unit name", name)?);
    }
    if let Some(weeks) = opts.weeks {
        item.weeks = Some(require_positive("--weeks", weeks)?);
    }
    if let Some(start) = date_opt(&opts.start, today)? {
        item.start_date = Some(start);
    }
    if let Some(deadline) = date_opt(&opts.deadline, today)? {
        item.due_date = Some(deadline);
    }
    if let (Some(start), Some(deadline)) = (item.start_date, item.due_date)
        && deadline < start
    {
        return Err(user_hint(
            format!("the deadline {deadline} is before the start {start}"),
            "check --start and --deadline",
        ));
    }
    if let Some(intent) = &opts.intent {
        item.intent = Some(one_of("intent", intent, Intent::ALL)?);
    }
    if let Some(goal) = &opts.goal {
        set_goal(conn, item, goal)?;
    }
    Ok(())
}

/// Applies the project flags that were given (add and edit).
pub fn apply_project_opts(conn: &Connection, item: &mut Item, opts: &ProjectOpts, today: NaiveDate) -> Result<()> {
    if let Some(url) = &opts.url {
        item.url = Some(url.trim().to_string()).filter(|u| !u.is_empty());
    }
    if let Some(description) = &opts.description {
        item.description = Some(description.clone());
    }
    if let Some(skills) = &opts.skills {
        item.skills = parse_skills(skills);
    }
    if let Some(goal) = &opts.goal {
        set_goal(conn, item, goal)?;
    }
    if !opts.courses.is_empty() {
        item.course_ids = Vec::new();
        for course in &opts.courses {
            let course = resolve(conn, course, &[Kind::Course])?;
            if !item.course_ids.contains(&course.id) {
                item.course_ids.push(course.id);
            }
        }
    }
    if let Some(due) = date_opt(&opts.due, today)? {
        item.due_date = Some(due);
    }
    if let Some(status) = &opts.status {
        item.status = one_of("project status", status, &[Status::Idea, Status::Active])?;
    }
    Ok(())
}

/// `a, b ,c` → [a, b, c], without blanks or repeats.
pub fn parse_skills(text: &str) -> Vec<String> {
    let mut skills: Vec<String> = Vec::new();
    for skill in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if !skills.iter().any(|s| s.eq_ignore_ascii_case(skill)) {
            skills.push(skill.to_string());
        }
    }
    skills
}

fn set_goal(conn: &Connection, item: &mut Item, reference: &str) -> Result<()> {
    if reference.trim().eq_ignore_ascii_case("none") {
        item.goal_id = None;
        item.goal = None;
        return Ok(());
    }
    let goal = resolve(conn, reference, &[Kind::Goal])?;
    if goal.id == item.id {
        return Err(user("a goal cannot serve itself"));
    }
    item.goal_id = Some(goal.id);
    item.goal = Some(goal.slug);
    Ok(())
}
