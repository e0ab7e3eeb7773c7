//! `export --format ics`: an RFC 5545 calendar with a VTODO for each
//! deadline (courses, projects, goals) and a VEVENT for each session that
//! has a start time.
//!
//! Each component's UID is its record's UUID (RFC 7986 §5.3 recommends a
//! UUID), and DTSTAMP is the record's `updated_at`: without a METHOD, RFC
//! 5545 §3.8.7.2 makes DTSTAMP the time the information was last revised,
//! which also keeps the output the same from one export to the next.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::parse::format_minutes;
use crate::domain::records::{Item, Kind, Session};

/// Longest content line, in octets, before folding (RFC 5545 §3.1).
const MAX_LINE_OCTETS: usize = 75;

/// TEXT escaping (RFC 5545 §3.3.11): backslash, semicolon and comma are
/// escaped, a line break becomes `\n`, other control characters (which
/// TEXT may not hold) are dropped.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets without splitting a UTF-8
/// sequence (RFC 5545 §3.1), ending in CRLF.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 64 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > MAX_LINE_OCTETS {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

/// A URL fit for a URI property: printable ASCII only (anything else would
/// need escaping a URI value does not have).
fn uri(url: &str) -> Option<&str> {
    let url = url.trim();
    (!url.is_empty() && url.bytes().all(|b| b.is_ascii_graphic())).then_some(url)
}

fn utc(t: DateTime<Utc>) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

fn date(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

struct Lines(String);

impl Lines {
    fn raw(&mut self, name: &str, value: &str) {
        self.0.push_str(&fold(&format!("{name}:{value}")));
    }

    fn text(&mut self, name: &str, value: &str) {
        self.raw(name, &escape_text(value));
    }
}

fn todo_status(status: &str) -> &'static str {
    match status {
        "completed" | "shipped" | "achieved" => "COMPLETED",
        "dropped" => "CANCELLED",
        _ => "NEEDS-ACTION",
    }
}

/// The calendar: VTODOs for items with a due date, VEVENTs for sessions
/// with a start time, in the order given.
pub fn calendar(items: &[Item], sessions: &[Session]) -> String {
    let mut lines = Lines(String::new());
    lines.raw("BEGIN", "VCALENDAR");
    lines.raw("VERSION", "2.0");
    lines.raw("PRODID", &format!("-//learnlog//learnlog {}//EN", env!("CARGO_PKG_VERSION")));
    lines.raw("CALSCALE", "GREGORIAN");
    let titles: HashMap<&str, &str> = items.iter().map(|i| (i.slug.as_str(), i.title.as_str())).collect();
    for item in items {
        let Some(due) = item.due_date else { continue };
        lines.raw("BEGIN", "VTODO");
        lines.raw("UID", &item.uuid);
        lines.raw("DTSTAMP", &utc(item.updated_at));
        lines.raw("CREATED", &utc(item.created_at));
        lines.raw("LAST-MODIFIED", &utc(item.updated_at));
        let what = match item.kind {
            Kind::Course => "course deadline",
            Kind::Project => "project due",
            Kind::Goal => "goal",
        };
        lines.text("SUMMARY", &format!("{} ({what})", item.title));
        lines.raw("DUE;VALUE=DATE", &date(due));
        lines.raw("STATUS", todo_status(&item.status));
        lines.raw("CATEGORIES", &format!("learnlog,{}", item.kind));
        let mut description = Vec::new();
        if let Some(platform) = &item.platform {
            description.push(format!("Platform: {platform}"));
        }
        if let Some(text) = &item.description {
            description.push(text.clone());
        }
        description.push(format!("learnlog: {}", item.qualified()));
        lines.text("DESCRIPTION", &description.join("\n"));
        if let Some(url) = item.url.as_deref().and_then(uri) {
            lines.raw("URL", url);
        }
        lines.raw("END", "VTODO");
    }
    for session in sessions {
        let Some(start) = session.started_at else { continue };
        lines.raw("BEGIN", "VEVENT");
        lines.raw("UID", &session.uuid);
        lines.raw("DTSTAMP", &utc(session.updated_at));
        lines.raw("CREATED", &utc(session.created_at));
        lines.raw("LAST-MODIFIED", &utc(session.updated_at));
        lines.raw("DTSTART", &utc(start));
        lines.raw("DURATION", &format!("PT{}M", session.minutes.max(0)));
        let summary = match session.target.as_deref() {
            Some(slug) => format!("Study: {}", titles.get(slug).copied().unwrap_or(slug)),
            None => "Study".to_string(),
        };
        lines.text("SUMMARY", &summary);
        let mut description = vec![format!("{} logged (session #{})", format_minutes(session.minutes), session.number)];
        if session.units != 0 {
            description.push(format!("Units: {}", session.units));
        }
        if let Some(level) = &session.level {
            description.push(format!("Bloom level: {level}"));
        }
        if let Some(note) = &session.note {
            description.push(note.clone());
        }
        lines.text("DESCRIPTION", &description.join("\n"));
        lines.raw("CATEGORIES", "learnlog,study");
        lines.raw("END", "VEVENT");
    }
    lines.raw("END", "VCALENDAR");
    lines.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape_text("a,b;c\\d"), "a\\,b\\;c\\\\d");
        assert_eq!(escape_text("one\r\ntwo\nthree"), "one\\ntwo\\nthree");
        assert_eq!(escape_text("bell\u{7}gone"), "bellgone");
        assert_eq!(escape_text("Données: ok"), "Données: ok");
    }

    #[test]
    fn long_lines_fold_at_75_octets() {
        let line = format!("SUMMARY:{}", "x".repeat(200));
        let folded = fold(&line);
        for physical in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75, "{} octets", physical.len());
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn folding_never_splits_a_character() {
        // 'é' is two octets, '🦀' four: a fold must fall between characters.
        let line = format!("DESCRIPTION:{}", "é🦀".repeat(40));
        let folded = fold(&line);
        for physical in folded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(physical.len() <= 75);
        }
        assert_eq!(folded.replace("\r\n ", ""), format!("{line}\r\n"));
    }

    #[test]
    fn short_lines_are_left_alone() {
        assert_eq!(fold("VERSION:2.0"), "VERSION:2.0\r\n");
        let exactly = format!("X:{}", "y".repeat(73));
        assert_eq!(fold(&exactly), format!("{exactly}\r\n"));
    }

    #[test]
    fn urls_with_spaces_are_not_uris() {
        assert_eq!(uri(" https://x.org/a "), Some("https://x.org/a"));
        assert_eq!(uri("https://x.org/a b"), None);
        assert_eq!(uri("https://x.org/\r\nEVIL:1"), None);
    }
}
