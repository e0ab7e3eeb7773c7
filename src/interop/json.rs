//! The learnlog export document (`export --format json`, `import`): a
//! [`Snapshot`] under a header naming the format and its version. The shape
//! is documented in docs/export-format.md.

use std::collections::HashSet;

use anyhow::Result;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::domain::money::is_currency_code;
use crate::domain::pledge::Rate;
use crate::domain::records::{BloomLevel, Intent, Kind, Track};
use crate::domain::slug::is_well_formed;
use crate::domain::snapshot::{ItemRecord, PledgeRecord, Snapshot};
use crate::error::{Error, user_hint};

/// The value of the document's `format` key.
pub const FORMAT: &str = "learnlog-export";

/// The format version this learnlog writes, and the newest it reads.
pub const VERSION: u64 = 1;

const SHAPE_HINT: &str = "the file does not have the shape of a learnlog export; see docs/export-format.md";

#[derive(Serialize)]
struct Document<'a> {
    format: &'static str,
    version: u64,
    exported_at: DateTime<Utc>,
    generator: String,
    #[serde(flatten)]
    snapshot: &'a Snapshot,
}

/// The export document with its sessions streamed from `sessions` (the
/// snapshot's own sessions are ignored), pretty-printed, ending in a newline.
pub fn write_streaming<S: Serialize>(
    writer: &mut dyn std::io::Write,
    rest: &Snapshot,
    sessions: S,
    exported_at: DateTime<Utc>,
) -> Result<()> {
    #[derive(Serialize)]
    struct Streamed<'a, S: Serialize> {
        format: &'static str,
        version: u64,
        exported_at: DateTime<Utc>,
        generator: String,
        // The same keys, in the same order, as a flattened Snapshot.
        goals: &'a [ItemRecord],
        courses: &'a [ItemRecord],
        projects: &'a [ItemRecord],
        sessions: S,
        rest_days: &'a [crate::domain::snapshot::RestDayRecord],
        pledges: &'a [PledgeRecord],
    }
    let document = Streamed {
        format: FORMAT,
        version: VERSION,
        exported_at,
        generator: format!("learnlog {}", env!("CARGO_PKG_VERSION")),
        goals: &rest.goals,
        courses: &rest.courses,
        projects: &rest.projects,
        sessions,
        rest_days: &rest.rest_days,
        pledges: &rest.pledges,
    };
    // serde_json writes in many small pieces: buffer them here, where the
    // writer's type is known, rather than behind the `dyn Write`.
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, writer);
    serde_json::to_writer_pretty(&mut buffered, &document)?;
    std::io::Write::write_all(&mut buffered, b"\n")?;
    std::io::Write::flush(&mut buffered)?;
    Ok(())
}

/// The export document, pretty-printed, ending in a newline.
pub fn write(snapshot: &Snapshot, exported_at: DateTime<Utc>) -> Result<String> {
    let document = Document {
        format: FORMAT,
        version: VERSION,
        exported_at,
        generator: format!("learnlog {}", env!("CARGO_PKG_VERSION")),
        snapshot,
    };
    let mut text = serde_json::to_string_pretty(&document)?;
    text.push('\n');
    Ok(text)
}

/// Reads and checks an export document; `name` names the input in errors.
/// UUIDs come back in their canonical (lowercase, hyphenated) form.
pub fn read(text: &str, name: &str) -> Result<Snapshot> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        user_hint(
            format!("{name} is not JSON ({e})"),
            "learnlog imports the files `learnlog export` writes; for `timew export` output use --format timewarrior",
        )
    })?;
    let not_export = || {
        user_hint(
            format!("{name} is not a learnlog export (it lacks \"format\": \"{FORMAT}\")"),
            "learnlog imports the files `learnlog export` writes; for `timew export` output use --format timewarrior",
        )
    };
    let Value::Object(document) = &value else { return Err(not_export()) };
    if document.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(not_export());
    }
    let version = document.get("version").and_then(Value::as_u64).ok_or_else(|| {
        user_hint(format!("{name} has no valid format version (\"version\" must be a whole number)"), SHAPE_HINT)
    })?;
    if version > VERSION {
        return Err(user_hint(
            format!(
                "{name} is a learnlog export of format version {version}; this learnlog reads up to version {VERSION}"
            ),
            "it was written by a newer learnlog: upgrade learnlog to import it",
        ));
    }
    if version == 0 {
        return Err(user_hint(format!("{name} has format version 0, which never existed"), SHAPE_HINT));
    }
    let mut snapshot = Snapshot {
        goals: records(document, "goals", name)?,
        courses: records(document, "courses", name)?,
        projects: records(document, "projects", name)?,
        sessions: records(document, "sessions", name)?,
        rest_days: records(document, "rest_days", name)?,
        pledges: records(document, "pledges", name)?,
    };
    validate(&mut snapshot).map_err(|err| user_hint(format!("{name}: {}", err.message), SHAPE_HINT))?;
    Ok(snapshot)
}

/// One array of the document, each element read on its own so an error can
/// say which one is wrong.
fn records<T: DeserializeOwned>(document: &Map<String, Value>, key: &str, name: &str) -> Result<Vec<T>> {
    match document.get(key) {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(values)) => values
            .iter()
            .enumerate()
            .map(|(at, value)| {
                T::deserialize(value).map_err(|e| user_hint(format!("{name}: {key}[{at}]: {e}"), SHAPE_HINT))
            })
            .collect(),
        Some(_) => Err(user_hint(format!("{name}: \"{key}\" must be an array"), SHAPE_HINT)),
    }
}

/// A UUID in canonical form, or why not.
fn canonical_uuid(text: &str, place: &str) -> Result<String, Error> {
    uuid::Uuid::parse_str(text.trim())
        .map(|u| u.hyphenated().to_string())
        .map_err(|_| Error::usage(format!("{place}: '{text}' is not a UUID")))
}

/// Checks every value the database would refuse (or a report would
/// misread), and puts UUIDs in canonical form.
pub fn validate(snapshot: &mut Snapshot) -> Result<(), Error> {
    let mut item_uuids = HashSet::new();
    for (kind, key, records) in [
        (Kind::Goal, "goals", &mut snapshot.goals),
        (Kind::Course, "courses", &mut snapshot.courses),
        (Kind::Project, "projects", &mut snapshot.projects),
    ] {
        for (at, item) in records.iter_mut().enumerate() {
            let place = format!("{key}[{at}]");
            validate_item(kind, item, &place)?;
            if !item_uuids.insert(item.uuid.clone()) {
                return Err(Error::usage(format!("{place}: UUID {} appears twice", item.uuid)));
            }
        }
    }
    let mut seen = HashSet::new();
    for (at, session) in snapshot.sessions.iter_mut().enumerate() {
        let place = format!("sessions[{at}]");
        session.uuid = canonical_uuid(&session.uuid, &place)?;
        if let Some(target) = &mut session.target {
            *target = canonical_uuid(target, &format!("{place}.target"))?;
        }
        if session.minutes < 0 || session.minutes > crate::domain::parse::DAY_MINUTES {
            return Err(Error::usage(format!("{place}: minutes must be 0 to 1440 (24h), not {}", session.minutes)));
        }
        if let Some(prior) = &mut session.prior {
            if let Some(target) = &mut prior.target {
                *target = canonical_uuid(target, &format!("{place}.prior.target"))?;
            }
            if prior.minutes < 0 {
                return Err(Error::usage(format!("{place}: prior minutes must be 0 or more, not {}", prior.minutes)));
            }
        }
        if let Some(level) = &session.level
            && level.parse::<BloomLevel>().is_err()
        {
            let names: Vec<&str> = BloomLevel::ALL.iter().map(|l| l.as_str()).collect();
            return Err(Error::usage(format!(
                "{place}: unknown Bloom level '{level}' (use one of {})",
                names.join(", ")
            )));
        }
        if !seen.insert(session.uuid.clone()) {
            return Err(Error::usage(format!("{place}: UUID {} appears twice", session.uuid)));
        }
    }
    let mut seen = HashSet::new();
    for (at, rest) in snapshot.rest_days.iter_mut().enumerate() {
        let place = format!("rest_days[{at}]");
        rest.uuid = canonical_uuid(&rest.uuid, &place)?;
        if !seen.insert(rest.uuid.clone()) {
            return Err(Error::usage(format!("{place}: UUID {} appears twice", rest.uuid)));
        }
    }
    let mut seen = HashSet::new();
    for (at, pledge) in snapshot.pledges.iter_mut().enumerate() {
        let place = format!("pledges[{at}]");
        validate_pledge(pledge, &place, &mut seen)?;
    }
    Ok(())
}

fn validate_item(kind: Kind, item: &mut ItemRecord, place: &str) -> Result<(), Error> {
    item.uuid = canonical_uuid(&item.uuid, place)?;
    if !is_well_formed(&item.slug) {
        return Err(Error::usage(format!("{place}: '{}' is not a valid slug", item.slug)));
    }
    if item.title.trim().is_empty() {
        return Err(Error::usage(format!("{place} ({}): the title is empty", item.slug)));
    }
    let place = format!("{place} ({})", item.slug);
    if !item.status.parse().is_ok_and(|status| kind.statuses().contains(&status)) {
        return Err(Error::usage(format!(
            "{place}: '{}' is not a {kind} status (use one of {})",
            item.status,
            kind.statuses_text()
        )));
    }
    if let Some(track) = &item.track
        && track.parse::<Track>().is_err()
    {
        return Err(Error::usage(format!("{place}: track '{track}' is neither audit nor verified")));
    }
    if let Some(intent) = &item.intent
        && intent.parse::<Intent>().is_err()
    {
        return Err(Error::usage(format!("{place}: intent '{intent}' is neither complete nor explore")));
    }
    if let Some(price) = &item.price
        && (!is_currency_code(&price.currency) || price.minor < 0)
    {
        return Err(Error::usage(format!("{place}: the price must be 0 or more with a three-letter currency code")));
    }
    if let Some(score) = item.score
        && (!score.is_finite() || score < 0.0)
    {
        return Err(Error::usage(format!("{place}: the score must be 0 or more")));
    }
    if let Some(goal) = &mut item.goal {
        *goal = canonical_uuid(goal, &format!("{place}.goal"))?;
    }
    for course in &mut item.courses {
        *course = canonical_uuid(course, &format!("{place}.courses"))?;
    }
    Ok(())
}

fn validate_pledge(pledge: &mut PledgeRecord, place: &str, seen: &mut HashSet<String>) -> Result<(), Error> {
    pledge.uuid = canonical_uuid(&pledge.uuid, place)?;
    if !seen.insert(pledge.uuid.clone()) {
        return Err(Error::usage(format!("{place}: UUID {} appears twice", pledge.uuid)));
    }
    if let Some(target) = &mut pledge.target {
        *target = canonical_uuid(target, &format!("{place}.target"))?;
    }
    if pledge.until.is_some_and(|until| until < pledge.from) {
        return Err(Error::usage(format!("{place}: it ends before it starts")));
    }
    if let Some(terms) = &pledge.terms {
        terms.to_terms().map_err(|reason| Error::usage(format!("{place}.terms: {reason}")))?;
    }
    if let Some(amount) = &pledge.stake_amount
        && !is_currency_code(&amount.currency)
    {
        return Err(Error::usage(format!("{place}: the stake amount needs a three-letter currency code")));
    }
    for (at, rate) in pledge.rates.iter_mut().enumerate() {
        let rate_place = format!("{place}.rates[{at}]");
        rate.uuid = canonical_uuid(&rate.uuid, &rate_place)?;
        if !seen.insert(rate.uuid.clone()) {
            return Err(Error::usage(format!("{rate_place}: UUID {} appears twice", rate.uuid)));
        }
        if let Some(text) = &rate.rate {
            text.parse::<Rate>().map_err(|e| Error::usage(format!("{rate_place}: {e}")))?;
        }
    }
    for (at, settlement) in pledge.settlements.iter_mut().enumerate() {
        let settlement_place = format!("{place}.settlements[{at}]");
        settlement.uuid = canonical_uuid(&settlement.uuid, &settlement_place)?;
        if !seen.insert(settlement.uuid.clone()) {
            return Err(Error::usage(format!("{settlement_place}: UUID {} appears twice", settlement.uuid)));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn course() -> ItemRecord {
        ItemRecord {
            uuid: "6F9619FF-8B86-D011-B42D-00C04FC964FF".into(),
            slug: "ml".into(),
            title: "Machine Learning".into(),
            status: "active".into(),
            goal: None,
            url: None,
            description: None,
            platform: Some("coursera".into()),
            track: None,
            price: None,
            units_total: Some(11),
            unit_name: None,
            weeks: None,
            start_date: NaiveDate::from_ymd_opt(2026, 11, 1),
            due_date: None,
            intent: None,
            credential_url: None,
            score: None,
            skills: Vec::new(),
            courses: Vec::new(),
            ended_on: None,
            end_reason: None,
            created_at: at("2026-11-01T10:00:00Z"),
            updated_at: at("2026-11-02T10:00:00Z"),
        }
    }

    #[test]
    fn writes_a_header_and_reads_it_back() {
        let mut snapshot = Snapshot::default();
        snapshot.courses.push(course());
        let text = write(&snapshot, at("2026-11-23T19:30:00Z")).unwrap();
        let value: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["format"], FORMAT);
        assert_eq!(value["version"], 1);
        assert_eq!(value["exported_at"], "2026-11-23T19:30:00Z");
        // Absent optional fields are left out, not written as null.
        assert!(value["courses"][0].get("url").is_none());
        let back = read(&text, "x.json").unwrap();
        assert_eq!(back.courses[0].uuid, "6f9619ff-8b86-d011-b42d-00c04fc964ff");
        assert_eq!(back.courses[0].title, "Machine Learning");
    }

    #[test]
    fn refuses_what_is_not_an_export() {
        for text in ["not json", "[1, 2]", "{\"version\": 1}", "{\"format\": \"other\", \"version\": 1}"] {
            assert!(read(text, "x").is_err(), "{text}");
        }
        let future = format!("{{\"format\": \"{FORMAT}\", \"version\": 99}}");
        let err = read(&future, "x").unwrap_err().to_string();
        assert!(err.contains("version 99"), "{err}");
        let wrong = format!("{{\"format\": \"{FORMAT}\", \"version\": 1, \"sessions\": [{{\"uuid\": 3}}]}}");
        let err = read(&wrong, "x").unwrap_err().to_string();
        assert!(err.contains("sessions[0]"), "{err}");
    }

    #[test]
    fn validation_names_the_record() {
        let mut snapshot = Snapshot::default();
        let mut bad = course();
        bad.status = "finished".into();
        snapshot.courses.push(bad);
        let err = validate(&mut snapshot).unwrap_err().message;
        assert!(err.contains("courses[0] (ml)") && err.contains("finished"), "{err}");
    }

    proptest::proptest! {
        /// No input makes the reader panic: arbitrary text, and JSON that
        /// has the header but arbitrary records.
        #[test]
        fn arbitrary_documents_never_panic(text in "\\PC{0,200}", value in proptest::arbitrary::any::<i64>()) {
            let _ = read(&text, "fuzz");
            let shaped = format!(
                r#"{{"format": "learnlog", "version": 1, "exported_at": "2026-11-23T00:00:00Z",
                    "courses": [{{"uuid": "{text:?}", "slug": {value}, "title": []}}], "sessions": [{text:?}]}}"#
            );
            let _ = read(&shaped, "fuzz");
            let mut snapshot = Snapshot::default();
            let _ = validate(&mut snapshot);
        }
    }
}
