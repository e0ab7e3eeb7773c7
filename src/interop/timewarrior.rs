//! `import --format timewarrior`: the JSON `timew export` prints, one
//! session per closed interval.
//!
//! An interval is identified by its start (Timewarrior keeps intervals from
//! overlapping), so its session gets a UUID derived from the start alone:
//! importing the same export twice adds nothing, and an interval changed in
//! Timewarrior later never doubles its session. Such a session's
//! `created_at` and `updated_at` are the interval's end; as with any import
//! the newer `updated_at` wins, so an interval extended later updates its
//! session, while a session edited in learnlog since is kept (Timewarrior
//! records no modification time to compare with).

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, NaiveDateTime, Utc};
use serde::Deserialize;
use serde_json::Value;
use uuid::Uuid;

use crate::clock::Clock;
use crate::domain::snapshot::SessionRecord;
use crate::error::user_hint;

/// The namespace of the UUIDs derived from Timewarrior intervals (a
/// constant, so every learnlog derives the same UUID for an interval).
const NAMESPACE: Uuid = Uuid::from_u128(0x6c65_6172_6e6c_4f67_8a1e_7469_6d65_7772);

/// Timewarrior's instant format, always UTC: `20260105T090000Z`.
const TIMEW_INSTANT: &str = "%Y%m%dT%H%M%SZ";

/// Intervals longer than this are taken for a forgotten `timew stop`.
const LONGEST_MINUTES: i64 = 24 * 60;

/// One interval of `timew export`.
#[derive(Debug, Clone, PartialEq)]
pub struct Interval {
    /// Its position in the export, counting from 1 (what `timew` calls @N
    /// differs: that counts back from the newest).
    pub position: usize,
    pub start: DateTime<Utc>,
    /// `None`: still running.
    pub end: Option<DateTime<Utc>>,
    pub tags: Vec<String>,
    pub annotation: Option<String>,
}

#[derive(Deserialize)]
struct RawInterval {
    start: Option<String>,
    end: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    annotation: Option<String>,
}

const HINT: &str = "pipe in what `timew export` prints: a JSON array of intervals with start, end and tags";

/// Parses a `timew export` document; `name` names the input in errors.
/// Every interval must have a valid start.
pub fn parse(text: &str, name: &str) -> Result<Vec<Interval>> {
    let value: Value = serde_json::from_str(text).map_err(|e| user_hint(format!("{name} is not JSON ({e})"), HINT))?;
    let Value::Array(values) = value else {
        return Err(user_hint(format!("{name} is not a Timewarrior export (it is not a JSON array)"), HINT));
    };
    let mut intervals = Vec::with_capacity(values.len());
    for (at, value) in values.iter().enumerate() {
        let position = at + 1;
        let raw = RawInterval::deserialize(value)
            .map_err(|e| user_hint(format!("{name}: interval {position} is not a Timewarrior interval ({e})"), HINT))?;
        let start_text =
            raw.start.ok_or_else(|| user_hint(format!("{name}: interval {position} has no start"), HINT))?;
        let start = parse_instant(&start_text).ok_or_else(|| {
            user_hint(format!("{name}: interval {position} has an invalid start '{start_text}'"), HINT)
        })?;
        let end =
            match raw.end {
                Some(text) => Some(parse_instant(&text).ok_or_else(|| {
                    user_hint(format!("{name}: interval {position} has an invalid end '{text}'"), HINT)
                })?),
                None => None,
            };
        if end.is_some_and(|end| end < start) {
            return Err(user_hint(format!("{name}: interval {position} ends before it starts"), HINT));
        }
        let annotation = raw.annotation.filter(|a| !a.trim().is_empty());
        intervals.push(Interval { position, start, end, tags: raw.tags, annotation });
    }
    Ok(intervals)
}

fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    NaiveDateTime::parse_from_str(text.trim(), TIMEW_INSTANT).ok().map(|t| t.and_utc())
}

/// Sessions made from intervals, and what was left out and why.
#[derive(Debug, Default)]
pub struct Converted {
    pub sessions: Vec<SessionRecord>,
    pub skipped: Vec<String>,
}

/// The UUID of the session an interval becomes.
pub fn session_uuid(start: DateTime<Utc>) -> String {
    let name = format!("timewarrior:{}", start.format(TIMEW_INSTANT));
    Uuid::new_v5(&NAMESPACE, name.as_bytes()).to_string()
}

/// Turns intervals into sessions. `targets` maps a course or project slug
/// (lowercase) to its UUID: the first tag equal to one sets the session's
/// target, the other tags go into the note. The study day is the start's,
/// by `clock`'s time zone and `day_starts_at`.
pub fn to_sessions(intervals: &[Interval], targets: &HashMap<String, String>, clock: &Clock) -> Converted {
    let mut converted = Converted::default();
    for interval in intervals {
        let label = format!("interval {} (started {})", interval.position, interval.start.format("%Y-%m-%d %H:%M UTC"));
        let Some(end) = interval.end else {
            converted.skipped.push(format!("{label}: it is still running"));
            continue;
        };
        let minutes = ((end - interval.start).num_seconds() + 30) / 60;
        if minutes == 0 {
            converted.skipped.push(format!("{label}: it lasted under half a minute"));
            continue;
        }
        if minutes > LONGEST_MINUTES {
            converted.skipped.push(format!("{label}: it lasted over 24 hours (a forgotten `timew stop`?)"));
            continue;
        }
        let mut target = None;
        let mut other_tags = Vec::new();
        for tag in &interval.tags {
            match targets.get(&tag.trim().to_lowercase()) {
                Some(uuid) if target.is_none() => target = Some(uuid.clone()),
                _ => other_tags.push(tag.clone()),
            }
        }
        let mut note_parts = Vec::new();
        if let Some(annotation) = &interval.annotation {
            note_parts.push(annotation.trim().to_string());
        }
        if !other_tags.is_empty() {
            note_parts.push(format!("tags: {}", other_tags.join(", ")));
        }
        converted.sessions.push(SessionRecord {
            uuid: session_uuid(interval.start),
            target,
            study_day: clock.study_day_at(interval.start),
            started_at: Some(interval.start),
            utc_offset: clock.offset_at(interval.start).local_minus_utc(),
            minutes,
            progress_to: None,
            units: 0,
            note: if note_parts.is_empty() { None } else { Some(note_parts.join("; ")) },
            level: None,
            created_at: end,
            updated_at: end,
            amended_at: None,
            prior: None,
        });
    }
    converted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::Zone;
    use chrono::{NaiveDate, NaiveTime};

    fn clock() -> Clock {
        let now = "2026-11-23T19:30:00Z".parse().unwrap();
        Clock::fixed(now, NaiveTime::from_hms_opt(4, 0, 0).unwrap(), Zone::Utc)
    }

    #[test]
    fn intervals_become_sessions() {
        let text = r#"[
            {"id": 2, "start": "20260105T090000Z", "end": "20260105T094500Z", "tags": ["ML", "video"], "annotation": "week 3"},
            {"id": 1, "start": "20260106T013000Z", "end": "20260106T020000Z", "tags": ["reading"]},
            {"id": 0, "start": "20260107T090000Z", "tags": ["ml"]}
        ]"#;
        let intervals = parse(text, "t.json").unwrap();
        let targets = HashMap::from([("ml".to_string(), "course-uuid".to_string())]);
        let converted = to_sessions(&intervals, &targets, &clock());
        assert_eq!(converted.sessions.len(), 2);
        let first = &converted.sessions[0];
        assert_eq!(first.minutes, 45);
        assert_eq!(first.target.as_deref(), Some("course-uuid"));
        assert_eq!(first.note.as_deref(), Some("week 3; tags: video"));
        // 01:30 belongs to the previous study day.
        assert_eq!(converted.sessions[1].study_day, NaiveDate::from_ymd_opt(2026, 1, 5).unwrap());
        assert_eq!(converted.sessions[1].target, None);
        assert_eq!(converted.skipped.len(), 1);
        assert!(converted.skipped[0].contains("still running"));
    }

    #[test]
    fn the_uuid_depends_on_the_start_only() {
        let start = parse_instant("20260105T090000Z").unwrap();
        assert_eq!(session_uuid(start), session_uuid(start));
        assert_ne!(session_uuid(start), session_uuid(start + chrono::Duration::seconds(1)));
        assert_eq!(Uuid::parse_str(&session_uuid(start)).unwrap().get_version_num(), 5);
    }

    #[test]
    fn bad_intervals_are_refused() {
        assert!(parse("{}", "t").is_err());
        let err = parse(r#"[{"end": "20260105T094500Z"}]"#, "t").unwrap_err().to_string();
        assert!(err.contains("interval 1 has no start"), "{err}");
        assert!(parse(r#"[{"start": "yesterday"}]"#, "t").is_err());
        assert!(parse(r#"[{"start": "20260105T094500Z", "end": "20260105T090000Z"}]"#, "t").is_err());
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_input_never_panics(text in "\\PC{0,200}", start in "[0-9TZ]{0,20}", tags in "\\PC{0,20}") {
            let _ = parse(&text, "fuzz");
            let shaped = format!(r#"[{{"id": 1, "start": "{start}", "end": {text:?}, "tags": [{tags:?}]}}]"#);
            let _ = parse(&shaped, "fuzz");
        }
    }
}
