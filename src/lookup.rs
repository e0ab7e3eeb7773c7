//! Finding what a command names: a goal, course or project by reference
//!, a session by number; and checking a text option.

use anyhow::Result;
use rusqlite::Connection;

use crate::domain::records::{Item, Kind, kinds_text};
use crate::error::{user, user_hint};
use crate::store;

pub const ALL_KINDS: &[Kind] = &[Kind::Goal, Kind::Course, Kind::Project];

/// Resolves a reference: a slug, a unique prefix of one, or
/// `kind:slug`, among items of the given kinds.
pub fn resolve(conn: &Connection, text: &str, kinds: &[Kind]) -> Result<Item> {
    let text = text.trim();
    let (kind, slug) = match text.split_once(':') {
        Some((k, s)) => match Kind::parse(k) {
            Some(kind) => (Some(kind), s),
            None => return Err(user_hint(format!("unknown kind '{k}' in '{text}'"), "use goal:, course: or project:")),
        },
        None => (None, text),
    };
    if slug.is_empty() {
        return Err(user("an empty reference names nothing"));
    }
    let wanted: Vec<Kind> = match kind {
        Some(k) => vec![k],
        None => kinds.to_vec(),
    };
    let candidates: Vec<Item> = store::items::with_slug_prefix(conn, slug, kind)?
        .into_iter()
        .filter(|item| wanted.contains(&item.kind))
        .collect();
    if let Some(exact) = candidates.iter().find(|item| item.slug == slug) {
        return Ok(exact.clone());
    }
    match candidates.len() {
        1 => Ok(candidates.into_iter().next().ok_or_else(|| user("no match"))?),
        0 => Err(no_match(conn, slug, &wanted)?),
        _ => {
            let names: Vec<String> = candidates.iter().map(|i| i.slug.clone()).collect();
            Err(user_hint(
                format!("'{slug}' is ambiguous: it could be {}", names.join(", ")),
                "type more of the slug, or kind:slug",
            ))
        }
    }
}

fn no_match(conn: &Connection, slug: &str, kinds: &[Kind]) -> Result<anyhow::Error> {
    let all = store::items::list(conn, None)?;
    let mut near: Vec<&Item> = all
        .iter()
        .filter(|i| kinds.contains(&i.kind))
        .filter(|i| i.slug.contains(slug) || edit_distance(&i.slug, slug) <= 2)
        .collect();
    near.truncate(3);
    let message = format!("no {} matches '{slug}'", kinds_text(kinds));
    Ok(match near.as_slice() {
        [] => {
            let other_kind = all.iter().find(|i| i.slug.starts_with(slug) && !kinds.contains(&i.kind));
            match other_kind {
                Some(item) => {
                    user_hint(message, format!("'{}' is a {}, not a {}", item.slug, item.kind, kinds_text(kinds)))
                }
                None => {
                    // Courses are what people refer to most; point there when they may be meant.
                    let listed = if kinds.contains(&Kind::Course) {
                        Kind::Course
                    } else {
                        kinds.first().copied().unwrap_or(Kind::Course)
                    };
                    user_hint(message, format!("see `learnlog list {listed}s --all`"))
                }
            }
        }
        found => {
            let names: Vec<String> = found.iter().map(|i| format!("'{}'", i.slug)).collect();
            user_hint(message, format!("did you mean {}?", names.join(" or ")))
        }
    })
}

/// Levenshtein distance, for "did you mean" (short strings only).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(current + 1);
            previous = current;
        }
    }
    row[b.len()]
}

/// Parses a session number given on the command line.
pub fn session_number(text: Option<&str>) -> Result<i64> {
    let text = text.ok_or_else(|| user_hint("which session?", "give its number: see `learnlog list sessions`"))?;
    text.trim().trim_start_matches('#').parse::<i64>().map_err(|_| {
        user_hint(format!("'{text}' is not a session number"), "see `learnlog list sessions` for the numbers")
    })
}

/// A session by number, or a clear error.
pub fn find_session(conn: &Connection, number: i64) -> Result<crate::domain::records::Session> {
    store::sessions::by_number(conn, number)?
        .ok_or_else(|| user_hint(format!("no session #{number}"), "see `learnlog list sessions` for the numbers"))
}

/// A text option that must not be empty when given.
pub fn non_empty(what: &str, text: &str) -> Result<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(user(format!("the {what} cannot be empty")));
    }
    Ok(trimmed.to_string())
}
