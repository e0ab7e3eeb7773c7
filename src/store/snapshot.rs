//! The whole database as a [`Snapshot`] (references by UUID), and merging
//! a snapshot into the database: upsert by UUID, the newer `updated_at`
//! wins, so merging the same snapshot twice changes nothing.

use std::collections::HashMap;

use anyhow::Result;
use chrono::{DateTime, Utc};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{date_text, instant_text, parse_day, parse_instant};
use crate::domain::pledge::Completion;
use crate::domain::records::{Item, Kind, Session, kinds_text};
use crate::domain::slug::unique_slug;
use crate::domain::snapshot::{
    ItemRecord, PledgeRecord, PriorRecord, RateRecord, RestDayRecord, SessionRecord, SettlementRecord, Snapshot,
    TermsRecord,
};
use crate::error::user_hint;
use crate::store::{items, pledges, rest, sessions};

// ---- reading ----------------------------------------------------------------

/// Every record, in a deterministic order: items and pledges in the order
/// they were added, sessions by study day, rest days by day, rate changes in
/// the order they were made.
pub fn read(conn: &Connection) -> Result<Snapshot> {
    let (mut snapshot, uuid_of) = read_all_but_sessions(conn)?;
    for_each_session(conn, &uuid_of, |record| {
        snapshot.sessions.push(record);
        Ok(())
    })?;
    Ok(snapshot)
}

/// Item ids → UUIDs, for records that point at items.
pub type UuidOf = HashMap<i64, String>;

/// Every record but the sessions (which can be many: see [`SessionStream`]).
pub fn read_all_but_sessions(conn: &Connection) -> Result<(Snapshot, UuidOf)> {
    let all_items = items::list(conn, None)?;
    let uuid_of: HashMap<i64, String> = all_items.iter().map(|i| (i.id, i.uuid.clone())).collect();
    let mut snapshot = Snapshot::default();
    for item in &all_items {
        let mut courses: Vec<String> = item.course_ids.iter().filter_map(|id| uuid_of.get(id).cloned()).collect();
        courses.sort();
        let record = ItemRecord {
            uuid: item.uuid.clone(),
            slug: item.slug.clone(),
            title: item.title.clone(),
            status: item.status.to_string(),
            goal: item.goal_id.and_then(|id| uuid_of.get(&id).cloned()),
            url: item.url.clone(),
            description: item.description.clone(),
            platform: item.platform.clone(),
            track: item.track.map(|t| t.to_string()),
            price: item.price.clone(),
            units_total: item.units_total,
            unit_name: item.unit_name.clone(),
            weeks: item.weeks,
            start_date: item.start_date,
            due_date: item.due_date,
            intent: item.intent.map(|i| i.to_string()),
            credential_url: item.credential_url.clone(),
            score: item.score,
            skills: item.skills.clone(),
            courses,
            ended_on: item.ended_on,
            end_reason: item.end_reason.clone(),
            created_at: item.created_at,
            updated_at: item.updated_at,
        };
        match item.kind {
            Kind::Goal => snapshot.goals.push(record),
            Kind::Course => snapshot.courses.push(record),
            Kind::Project => snapshot.projects.push(record),
        }
    }
    for r in rest::list(conn)? {
        snapshot.rest_days.push(RestDayRecord {
            uuid: r.uuid,
            day: r.day,
            reason: r.reason,
            utc_offset: r.utc_offset,
            created_at: r.created_at,
            updated_at: r.updated_at,
        });
    }
    snapshot.pledges = read_pledges(conn, &uuid_of)?;
    Ok((snapshot, uuid_of))
}

/// Every stored column of every session, in number order: what both the
/// parsed and the as-stored export read.
fn sessions_in_order() -> String {
    format!(
        "SELECT uuid, item_id, study_day, started_at, utc_offset, minutes, units, note, level, created_at, updated_at,
                amended_at, prior_study_day, prior_item_id, prior_minutes, prior_units, progress_to
         FROM sessions ORDER BY {}",
        super::sessions::ORDER
    )
}

/// Calls `each` with every session as an export record, by study day, one
/// row at a time (an export of years of sessions never holds them all).
pub fn for_each_session(
    conn: &Connection,
    uuid_of: &UuidOf,
    mut each: impl FnMut(SessionRecord) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&sessions_in_order())?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let item_id: Option<i64> = r.get(1)?;
        each(SessionRecord {
            uuid: r.get(0)?,
            target: item_id.and_then(|id| uuid_of.get(&id).cloned()),
            study_day: parse_day(&r.get::<_, String>(2)?)?,
            started_at: r.get::<_, Option<String>>(3)?.as_deref().map(parse_instant).transpose()?,
            utc_offset: r.get(4)?,
            minutes: r.get(5)?,
            units: r.get(6)?,
            note: r.get(7)?,
            level: r.get(8)?,
            created_at: parse_instant(&r.get::<_, String>(9)?)?,
            updated_at: parse_instant(&r.get::<_, String>(10)?)?,
            amended_at: r.get::<_, Option<String>>(11)?.as_deref().map(parse_instant).transpose()?,
            prior: match r.get::<_, Option<String>>(12)? {
                Some(day) => Some(PriorRecord {
                    study_day: parse_day(&day)?,
                    target: r.get::<_, Option<i64>>(13)?.and_then(|id| uuid_of.get(&id).cloned()),
                    minutes: r.get::<_, Option<i64>>(14)?.unwrap_or(0),
                    units: r.get::<_, Option<i64>>(15)?.unwrap_or(0),
                }),
                None => None,
            },
            progress_to: r.get(16)?,
        })?;
    }
    Ok(())
}

/// The sessions as a JSON array written while they are read.
pub struct SessionStream<'a> {
    pub conn: &'a Connection,
    pub uuid_of: &'a UuidOf,
}

impl Serialize for SessionStream<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::{Error, SerializeSeq};
        let mut seq = serializer.serialize_seq(None)?;
        let mut failure: Option<S::Error> = None;
        let read = for_each_stored_session(self.conn, self.uuid_of, |record| {
            seq.serialize_element(record).map_err(|err| {
                let text = err.to_string();
                failure = Some(err);
                anyhow::anyhow!(text)
            })
        });
        if let Some(err) = failure {
            return Err(err);
        }
        read.map_err(|err| S::Error::custom(format!("{err:#}")))?;
        seq.end()
    }
}

/// A session as stored, borrowed from its row: the same JSON as a
/// [`SessionRecord`] (same keys, order and omissions), written without
/// parsing and re-formatting its dates and instants. Every stored date and
/// instant is already in the export's form (`date_text`, `instant_text`);
/// at 100,000 sessions the round trip through chrono was most of an export.
#[derive(Serialize)]
struct StoredSession<'a> {
    uuid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    study_day: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    started_at: Option<&'a str>,
    utc_offset: i64,
    minutes: i64,
    units: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    progress_to: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'a str>,
    created_at: &'a str,
    updated_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amended_at: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prior: Option<StoredPrior<'a>>,
}

/// [`PriorRecord`] as stored.
#[derive(Serialize)]
struct StoredPrior<'a> {
    study_day: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    minutes: i64,
    units: i64,
}

/// Calls `each` with every session as stored, in the export's order, one
/// row at a time.
fn for_each_stored_session(
    conn: &Connection,
    uuid_of: &UuidOf,
    mut each: impl FnMut(&StoredSession<'_>) -> Result<()>,
) -> Result<()> {
    let mut stmt = conn.prepare(&sessions_in_order())?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let text = |i: usize| -> rusqlite::Result<&str> { Ok(r.get_ref(i)?.as_str()?) };
        let optional = |i: usize| -> rusqlite::Result<Option<&str>> { Ok(r.get_ref(i)?.as_str_or_null()?) };
        let target_of = |i: usize| -> rusqlite::Result<Option<&str>> {
            Ok(r.get::<_, Option<i64>>(i)?.and_then(|id| uuid_of.get(&id)).map(String::as_str))
        };
        let prior = match optional(12)? {
            Some(study_day) => Some(StoredPrior {
                study_day,
                target: target_of(13)?,
                minutes: r.get::<_, Option<i64>>(14)?.unwrap_or(0),
                units: r.get::<_, Option<i64>>(15)?.unwrap_or(0),
            }),
            None => None,
        };
        each(&StoredSession {
            uuid: text(0)?,
            target: target_of(1)?,
            study_day: text(2)?,
            started_at: optional(3)?,
            utc_offset: r.get(4)?,
            minutes: r.get(5)?,
            units: r.get(6)?,
            progress_to: r.get(16)?,
            note: optional(7)?,
            level: optional(8)?,
            created_at: text(9)?,
            updated_at: text(10)?,
            amended_at: optional(11)?,
            prior,
        })?;
    }
    Ok(())
}

fn read_pledges(conn: &Connection, uuid_of: &HashMap<i64, String>) -> Result<Vec<PledgeRecord>> {
    let mut settlements = pledges::settlements(conn)?;
    settlements.sort_by_key(|s| (s.pledge_id, s.period_start));
    Ok(pledges::list(conn)?
        .into_iter()
        .map(|p| PledgeRecord {
            target: p.item_id.and_then(|id| uuid_of.get(&id).cloned()),
            rates: p
                .rates
                .into_iter()
                .map(|r| RateRecord {
                    uuid: r.uuid,
                    rate: r.rate,
                    effective_from: r.effective_from,
                    created_at: r.created_at,
                    updated_at: r.updated_at,
                })
                .collect(),
            settlements: settlements
                .iter()
                .filter(|s| s.pledge_id == p.id)
                .map(|s| SettlementRecord {
                    uuid: s.uuid.clone(),
                    period_start: s.period_start,
                    settled_on: s.settled_on,
                    note: s.note.clone(),
                    created_at: s.created_at,
                    updated_at: s.updated_at,
                })
                .collect(),
            terms: p.terms.as_ref().map(TermsRecord::from),
            completed_on: p.completion.map(|c| c.on),
            completion_kept: p.completion.is_some_and(|c| c.kept),
            uuid: p.uuid,
            stake: p.stake,
            stake_amount: p.stake_amount,
            referee: p.referee,
            from: p.from,
            until: p.until,
            created_at: p.created_at,
            updated_at: p.updated_at,
        })
        .collect())
}

// ---- merging ----------------------------------------------------------------

/// What a merge did to one kind of record.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub added: usize,
    pub updated: usize,
    /// Already there and as new (or newer) here.
    pub unchanged: usize,
}

impl Counts {
    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::Added => self.added += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// An imported record whose slug was taken by another one here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub kind: Kind,
    pub uuid: String,
    pub from: String,
    pub to: String,
}

/// What a merge did (or, rehearsed, would do).
#[derive(Debug, Default, Clone, Serialize)]
pub struct MergeReport {
    pub goals: Counts,
    pub courses: Counts,
    pub projects: Counts,
    pub sessions: Counts,
    pub rest_days: Counts,
    pub pledges: Counts,
    pub rates: Counts,
    pub settlements: Counts,
    pub renamed: Vec<Renamed>,
}

impl MergeReport {
    /// Each kind with its label, in a fixed order.
    pub fn tables(&self) -> [(&'static str, Counts); 8] {
        [
            ("goals", self.goals),
            ("courses", self.courses),
            ("projects", self.projects),
            ("sessions", self.sessions),
            ("rest days", self.rest_days),
            ("pledges", self.pledges),
            ("rate changes", self.rates),
            ("settlements", self.settlements),
        ]
    }

    pub fn total(&self) -> Counts {
        self.tables().iter().fold(Counts::default(), |sum, (_, c)| Counts {
            added: sum.added + c.added,
            updated: sum.updated + c.updated,
            unchanged: sum.unchanged + c.unchanged,
        })
    }

    /// Whether the merge changed anything.
    pub fn changed(&self) -> bool {
        let total = self.total();
        total.added + total.updated > 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Added,
    Updated,
    Unchanged,
}

/// Said when the file's records do not fit the ones here.
const MISMATCH_HINT: &str = "nothing was imported: the file's records do not fit the ones in this database";

/// What is known of the items while merging: UUID → (id, kind), slug → UUID.
struct ItemIndex {
    by_uuid: HashMap<String, (i64, Kind, String)>,
    slug_owner: HashMap<String, String>,
}

impl ItemIndex {
    fn load(conn: &Connection) -> Result<ItemIndex> {
        let mut stmt = conn.prepare("SELECT id, uuid, kind, slug FROM items")?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?;
        let mut index = ItemIndex { by_uuid: HashMap::new(), slug_owner: HashMap::new() };
        for row in rows {
            let (id, uuid, kind, slug) = row?;
            let kind = Kind::parse(&kind).unwrap_or(Kind::Course);
            index.slug_owner.insert(slug.clone(), uuid.clone());
            index.by_uuid.insert(uuid, (id, kind, slug));
        }
        Ok(index)
    }

    /// The id of the item `uuid`, which `what` refers to and must be one of `kinds`.
    fn id(&self, uuid: &str, kinds: &[Kind], what: &str) -> Result<i64> {
        match self.by_uuid.get(uuid) {
            Some((id, kind, _)) if kinds.contains(kind) => Ok(*id),
            Some((_, kind, slug)) => Err(user_hint(
                format!("{what} refers to {kind} {slug} ({uuid}), which is not a {}", kinds_text(kinds)),
                MISMATCH_HINT,
            )),
            None => Err(user_hint(
                format!("{what} refers to {uuid}, which is neither in the file nor in the database"),
                "import a complete `learnlog export`, which holds every record its records refer to",
            )),
        }
    }

    fn remember(&mut self, id: i64, uuid: &str, kind: Kind, slug: &str) {
        if let Some((_, _, old_slug)) = self.by_uuid.get(uuid)
            && self.slug_owner.get(old_slug).is_some_and(|owner| owner == uuid)
        {
            self.slug_owner.remove(old_slug);
        }
        self.slug_owner.insert(slug.to_string(), uuid.to_string());
        self.by_uuid.insert(uuid.to_string(), (id, kind, slug.to_string()));
    }

    /// `slug`, or the first free variant of it when another item has it.
    fn free_slug(&self, slug: &str, uuid: &str) -> String {
        unique_slug(slug, |candidate| self.slug_owner.get(candidate).is_some_and(|owner| owner != uuid))
    }
}

/// Merges `snapshot` into the database inside the caller's transaction.
/// `progress` is told how many records have been merged so far.
pub fn merge(conn: &Connection, snapshot: &Snapshot, progress: &mut dyn FnMut(usize)) -> Result<MergeReport> {
    let mut report = MergeReport::default();
    let mut index = ItemIndex::load(conn)?;
    let mut done = 0usize;
    for (kind, records) in
        [(Kind::Goal, &snapshot.goals), (Kind::Course, &snapshot.courses), (Kind::Project, &snapshot.projects)]
    {
        for record in records {
            let outcome = merge_item(conn, kind, record, &mut index, &mut report.renamed)?;
            match kind {
                Kind::Goal => report.goals.count(outcome),
                Kind::Course => report.courses.count(outcome),
                Kind::Project => report.projects.count(outcome),
            }
            done += 1;
            progress(done);
        }
    }
    for record in &snapshot.sessions {
        report.sessions.count(merge_session(conn, record, &index)?);
        done += 1;
        progress(done);
    }
    for record in &snapshot.rest_days {
        report.rest_days.count(merge_rest_day(conn, record)?);
        done += 1;
        progress(done);
    }
    for record in &snapshot.pledges {
        let (pledge_id, outcome) = merge_pledge(conn, record, &index)?;
        report.pledges.count(outcome);
        for rate in &record.rates {
            report.rates.count(merge_rate(conn, pledge_id, rate)?);
        }
        for settlement in &record.settlements {
            report.settlements.count(merge_settlement(conn, pledge_id, settlement)?);
        }
        done += 1 + record.rates.len() + record.settlements.len();
        progress(done);
    }
    Ok(report)
}

/// Whether a stored record at `stored` gives way to an incoming one at `incoming`.
fn incoming_is_newer(incoming: DateTime<Utc>, stored: DateTime<Utc>) -> bool {
    incoming > stored
}

fn merge_item(
    conn: &Connection,
    kind: Kind,
    r: &ItemRecord,
    index: &mut ItemIndex,
    renamed: &mut Vec<Renamed>,
) -> Result<Outcome> {
    let existing = items::by_uuid(conn, &r.uuid)?;
    if let Some(stored) = &existing {
        if stored.kind != kind {
            return Err(user_hint(
                format!("{} is a {} in the file but a {} ({}) in the database", r.uuid, kind, stored.kind, stored.slug),
                MISMATCH_HINT,
            ));
        }
        if !incoming_is_newer(r.updated_at, stored.updated_at) {
            return Ok(Outcome::Unchanged);
        }
    }
    let what = format!("{kind} {}", r.slug);
    let goal_id = r.goal.as_deref().map(|uuid| index.id(uuid, &[Kind::Goal], &what)).transpose()?;
    let course_ids =
        r.courses.iter().map(|uuid| index.id(uuid, &[Kind::Course], &what)).collect::<Result<Vec<i64>>>()?;
    // An older learnlog made slugs that read as a number or a duration (`12`).
    let slug = index.free_slug(&crate::domain::slug::for_import(kind.as_str(), &r.slug), &r.uuid);
    let keeps_its_slug = existing.as_ref().is_some_and(|stored| stored.slug == slug);
    if slug != r.slug && !keeps_its_slug {
        renamed.push(Renamed { kind, uuid: r.uuid.clone(), from: r.slug.clone(), to: slug.clone() });
    }
    let mut item = Item {
        id: existing.as_ref().map(|e| e.id).unwrap_or(0),
        uuid: r.uuid.clone(),
        kind,
        slug,
        title: r.title.clone(),
        status: r.status.parse()?,
        goal: None,
        goal_id,
        url: r.url.clone(),
        description: r.description.clone(),
        platform: r.platform.clone(),
        track: r.track.as_deref().map(str::parse).transpose()?,
        price: r.price.clone(),
        units_total: r.units_total,
        unit_name: r.unit_name.clone(),
        weeks: r.weeks,
        start_date: r.start_date,
        due_date: r.due_date,
        intent: r.intent.as_deref().map(str::parse).transpose()?,
        credential_url: r.credential_url.clone(),
        score: r.score,
        skills: r.skills.clone(),
        courses: Vec::new(),
        course_ids,
        ended_on: r.ended_on,
        end_reason: r.end_reason.clone(),
        created_at: r.created_at,
        updated_at: r.updated_at,
    };
    let outcome = match existing {
        None => {
            item.id = items::insert(conn, &item)?;
            Outcome::Added
        }
        Some(_) => {
            items::update(conn, &item)?;
            Outcome::Updated
        }
    };
    index.remember(item.id, &item.uuid, kind, &item.slug);
    Ok(outcome)
}

fn merge_session(conn: &Connection, r: &SessionRecord, index: &ItemIndex) -> Result<Outcome> {
    let existing = sessions::by_uuid(conn, &r.uuid)?;
    if let Some(stored) = &existing
        && !incoming_is_newer(r.updated_at, stored.updated_at)
    {
        return Ok(Outcome::Unchanged);
    }
    let what = format!("session {}", r.uuid);
    let item_id = r.target.as_deref().map(|uuid| index.id(uuid, &[Kind::Course, Kind::Project], &what)).transpose()?;
    let session = Session {
        id: existing.as_ref().map(|e| e.id).unwrap_or(0),
        uuid: r.uuid.clone(),
        target: None,
        item_id,
        study_day: r.study_day,
        started_at: r.started_at,
        utc_offset: r.utc_offset,
        minutes: r.minutes,
        units: r.units,
        progress_to: r.progress_to,
        number: 0,
        note: r.note.clone(),
        level: r.level.as_deref().map(str::parse).transpose()?,
        created_at: r.created_at,
        updated_at: r.updated_at,
    };
    let prior = match &r.prior {
        Some(p) => {
            let item =
                p.target.as_deref().map(|uuid| index.id(uuid, &[Kind::Course, Kind::Project], &what)).transpose()?;
            Some((p.study_day, item, p.minutes, p.units))
        }
        None => None,
    };
    Ok(match existing {
        None => {
            let id = sessions::insert(conn, &session)?;
            if r.amended_at.is_some() || prior.is_some() {
                sessions::set_amendment(conn, id, r.amended_at, prior)?;
            }
            Outcome::Added
        }
        Some(stored) => {
            sessions::update(conn, &session)?;
            merge_amendment(conn, &stored, &session, r.amended_at, prior)?;
            Outcome::Updated
        }
    })
}

/// An imported newer version of a session that moves it or changes its
/// amounts is an amendment, made when the incoming record was updated: a
/// closed pledge period must not count it for more than before (the same
/// rule as `edit session`). Keeps the earliest prior placement known and
/// the latest amendment instant.
fn merge_amendment(
    conn: &Connection,
    stored: &Session,
    incoming: &Session,
    amended_at: Option<DateTime<Utc>>,
    prior: Option<sessions::Placement>,
) -> Result<()> {
    let placement = |s: &Session| (s.study_day, s.item_id, s.minutes, s.units);
    let moved = placement(stored) != placement(incoming);
    let (stored_at, stored_prior) = sessions::amendment(conn, stored.id)?;
    let amended_at = [stored_at, amended_at, moved.then_some(incoming.updated_at)].into_iter().flatten().max();
    let prior = stored_prior.or(prior).or(moved.then(|| placement(stored)));
    sessions::set_amendment(conn, stored.id, amended_at, prior)
}

/// The id and `updated_at` of the row with this UUID in `table` (a fixed name).
fn stored(conn: &Connection, table: &str, uuid: &str) -> Result<Option<(i64, DateTime<Utc>)>> {
    let row: Option<(i64, String)> = conn
        .prepare_cached(&format!("SELECT id, updated_at FROM {table} WHERE uuid = ?1"))?
        .query_row([uuid], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    row.map(|(id, at)| Ok((id, parse_instant(&at)?))).transpose()
}

fn merge_rest_day(conn: &Connection, r: &RestDayRecord) -> Result<Outcome> {
    let existing = stored(conn, "rest_days", &r.uuid)?;
    // A day can be declared once: another declaration of it already rests it.
    let day_owner: Option<String> =
        conn.query_row("SELECT uuid FROM rest_days WHERE day = ?1", [date_text(r.day)], |row| row.get(0)).optional()?;
    if day_owner.is_some_and(|owner| owner != r.uuid) {
        return Ok(Outcome::Unchanged);
    }
    match existing {
        None => {
            let rest_day = crate::domain::records::RestDay {
                uuid: r.uuid.clone(),
                day: r.day,
                reason: r.reason.clone(),
                utc_offset: r.utc_offset,
                created_at: r.created_at,
                updated_at: r.updated_at,
            };
            rest::insert(conn, &rest_day)?;
            Ok(Outcome::Added)
        }
        Some((id, at)) if incoming_is_newer(r.updated_at, at) => {
            conn.execute(
                "UPDATE rest_days SET day = ?2, reason = ?3, updated_at = ?4, utc_offset = ?5 WHERE id = ?1",
                params![id, date_text(r.day), r.reason, instant_text(r.updated_at), r.utc_offset],
            )?;
            Ok(Outcome::Updated)
        }
        Some(_) => Ok(Outcome::Unchanged),
    }
}

fn merge_pledge(conn: &Connection, r: &PledgeRecord, index: &ItemIndex) -> Result<(i64, Outcome)> {
    let existing = stored(conn, "pledges", &r.uuid)?;
    if let Some((id, at)) = existing
        && !incoming_is_newer(r.updated_at, at)
    {
        return Ok((id, Outcome::Unchanged));
    }
    let what = format!("pledge {}", r.uuid);
    let item_id = r
        .target
        .as_deref()
        .map(|uuid| index.id(uuid, &[Kind::Goal, Kind::Course, Kind::Project], &what))
        .transpose()?;
    let stake_minor = r.stake_amount.as_ref().map(|m| m.minor);
    let currency = r.stake_amount.as_ref().map(|m| m.currency.clone());
    let terms = r
        .terms
        .as_ref()
        .map(|t| t.to_terms())
        .transpose()
        .map_err(|message| user_hint(format!("{what}: {message}"), MISMATCH_HINT))?;
    let completion = r.completed_on.map(|on| Completion { on, kept: r.completion_kept });
    match existing {
        None => {
            let row = pledges::PledgeRow {
                id: 0,
                uuid: r.uuid.clone(),
                item_id,
                target: String::new(),
                stake: r.stake.clone(),
                stake_amount: r.stake_amount.clone(),
                referee: r.referee.clone(),
                from: r.from,
                until: r.until,
                rates: Vec::new(),
                created_at: r.created_at,
                updated_at: r.updated_at,
                terms,
                completion,
            };
            Ok((pledges::insert(conn, &row)?, Outcome::Added))
        }
        Some((id, _)) => {
            conn.execute(
                "UPDATE pledges SET item_id = ?2, stake = ?3, stake_minor = ?4, currency = ?5, referee = ?6, from_date = ?7,
                    until_date = ?8, updated_at = ?9, terms = coalesce(?10, terms),
                    completed_on = coalesce(?11, completed_on),
                    completion_kept = CASE WHEN ?11 IS NULL THEN completion_kept ELSE ?12 END WHERE id = ?1",
                params![
                    id,
                    item_id,
                    r.stake,
                    stake_minor,
                    currency,
                    r.referee,
                    date_text(r.from),
                    r.until.map(date_text),
                    instant_text(r.updated_at),
                    terms.as_ref().map(pledges::terms_text),
                    completion.map(|c| date_text(c.on)),
                    completion.map(|c| c.kept)
                ],
            )?;
            Ok((id, Outcome::Updated))
        }
    }
}

fn merge_rate(conn: &Connection, pledge_id: i64, r: &RateRecord) -> Result<Outcome> {
    match stored(conn, "pledge_rates", &r.uuid)? {
        None => {
            let row = pledges::RateRow {
                id: 0,
                uuid: r.uuid.clone(),
                rate: r.rate.clone(),
                effective_from: r.effective_from,
                created_at: r.created_at,
                updated_at: r.updated_at,
            };
            pledges::insert_rate(conn, pledge_id, &row)?;
            Ok(Outcome::Added)
        }
        Some((id, at)) if incoming_is_newer(r.updated_at, at) => {
            conn.execute(
                "UPDATE pledge_rates SET pledge_id = ?2, rate = ?3, effective_from = ?4, updated_at = ?5 WHERE id = ?1",
                params![id, pledge_id, r.rate, date_text(r.effective_from), instant_text(r.updated_at)],
            )?;
            Ok(Outcome::Updated)
        }
        Some(_) => Ok(Outcome::Unchanged),
    }
}

fn merge_settlement(conn: &Connection, pledge_id: i64, r: &SettlementRecord) -> Result<Outcome> {
    // A period is settled once: another settlement of it already pays it.
    let period_owner: Option<String> = conn
        .query_row(
            "SELECT uuid FROM settlements WHERE pledge_id = ?1 AND period_start = ?2",
            params![pledge_id, date_text(r.period_start)],
            |row| row.get(0),
        )
        .optional()?;
    if period_owner.is_some_and(|owner| owner != r.uuid) {
        return Ok(Outcome::Unchanged);
    }
    match stored(conn, "settlements", &r.uuid)? {
        None => {
            let settlement = pledges::Settlement {
                uuid: r.uuid.clone(),
                pledge_id,
                period_start: r.period_start,
                settled_on: r.settled_on,
                note: r.note.clone(),
                created_at: r.created_at,
                updated_at: r.updated_at,
            };
            pledges::settle(conn, &settlement)?;
            Ok(Outcome::Added)
        }
        Some((id, at)) if incoming_is_newer(r.updated_at, at) => {
            conn.execute(
                "UPDATE settlements SET pledge_id = ?2, period_start = ?3, settled_on = ?4, note = ?5, updated_at = ?6
                 WHERE id = ?1",
                params![
                    id,
                    pledge_id,
                    date_text(r.period_start),
                    date_text(r.settled_on),
                    r.note,
                    instant_text(r.updated_at)
                ],
            )?;
            Ok(Outcome::Updated)
        }
        Some(_) => Ok(Outcome::Unchanged),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The streamed export writes the stored text; it must be the same JSON
    /// as the parsed records give, field for field.
    #[test]
    fn stored_sessions_serialise_like_parsed_records() {
        let db = crate::store::Db::empty().unwrap();
        let conn = db.conn();
        conn.execute_batch(
            "INSERT INTO changes (at, summary) VALUES ('2026-01-01T00:00:00Z', 'test');
             INSERT INTO items (id, uuid, kind, slug, title, status, created_at, updated_at)
                 VALUES (7, 'c0ffee00-0000-4000-8000-000000000007', 'course', 'ml', 'ML', 'active',
                         '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');
             INSERT INTO sessions (uuid, item_id, study_day, started_at, utc_offset, minutes, units, note, level,
                                   created_at, updated_at)
                 VALUES ('a0000000-0000-4000-8000-000000000001', 7, '2026-03-01', '2026-03-01T08:15:00Z', 3600,
                         45, 2, 'a \"quoted\" note\twith a tab', 'apply', '2026-03-01T09:00:00Z',
                         '2026-03-02T09:00:00Z'),
                        ('a0000000-0000-4000-8000-000000000002', NULL, '2026-03-02', NULL, -18000, 30, 0, NULL,
                         NULL, '2026-03-04T10:00:00Z', '2026-03-04T10:00:00Z');
             INSERT INTO sessions (uuid, item_id, study_day, utc_offset, minutes, units, progress_to, created_at,
                                   updated_at)
                 VALUES ('a0000000-0000-4000-8000-000000000003', 7, '2026-03-03', 0, 0, 0, 5,
                         '2026-03-03T10:00:00Z', '2026-03-03T10:00:00Z');
             UPDATE sessions SET amended_at = '2026-03-05T10:00:00Z', prior_study_day = '2026-03-01',
                                 prior_item_id = 7, prior_minutes = 20, prior_units = 1
                 WHERE uuid = 'a0000000-0000-4000-8000-000000000002';",
        )
        .unwrap();
        let (_, uuid_of) = read_all_but_sessions(conn).unwrap();
        let mut parsed = Vec::new();
        for_each_session(conn, &uuid_of, |record| {
            parsed.push(serde_json::to_string_pretty(&record)?);
            Ok(())
        })
        .unwrap();
        let mut stored = Vec::new();
        for_each_stored_session(conn, &uuid_of, |record| {
            stored.push(serde_json::to_string_pretty(record)?);
            Ok(())
        })
        .unwrap();
        assert_eq!(parsed.len(), 3);
        assert_eq!(stored, parsed);
    }
}
