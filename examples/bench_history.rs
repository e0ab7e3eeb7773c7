//! Builds a deterministic study history for the performance harness
//! (`bench/run.sh`): a learnlog database of N sessions over Y years ending on
//! the pinned day 2026-11-23, and, with `--peers-dir`, the same sessions in
//! the data formats of Timewarrior, Taskwarrior, Watson and bartib, so every
//! tool is measured on the same history.
//!
//! ```text
//! cargo run --release --example bench_history -- --sessions 100000 --years 5 --db /tmp/h.db [--peers-dir DIR]
//! ```
//!
//! Run learnlog on it with `LEARNLOG_NOW=2026-11-23T19:30:00Z TZ=UTC` so its
//! reports see the same "today".

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use learnlog::commands::demo::Dice;
use learnlog::domain::money::Money;
use learnlog::domain::records::{Intent, Kind, RestDay, Session, Status, Track};
use learnlog::store::pledges::{PledgeRow, RateRow};
use learnlog::store::{self, Db};
use rusqlite::Connection;

/// The pinned "now" every learnlog run of the harness uses.
const NOW: &str = "2026-11-23T19:30:00Z";
/// Fixed seed: the same history every run.
const SEED: u64 = 0x1EA2_10C5_2026_1123;
/// Sessions written one change at a time after the bulk load, so the undo
/// journal looks like that of a database in daily use (it keeps 100 changes).
const JOURNALED_TAIL: usize = 100;
/// Study happens between 06:00 and midnight UTC (the study day starts at 04:00).
const WINDOW_START_MIN: i64 = 6 * 60;
const WINDOW_END_MIN: i64 = 24 * 60;
/// On the last day, sessions end before the pinned now (19:30).
const LAST_DAY_END_MIN: i64 = 19 * 60;

struct Args {
    sessions: usize,
    years: i64,
    db: PathBuf,
    peers_dir: Option<PathBuf>,
}

fn parse_args() -> Result<Args> {
    let mut args = Args { sessions: 10_000, years: 5, db: PathBuf::new(), peers_dir: None };
    let mut words = std::env::args().skip(1);
    while let Some(word) = words.next() {
        let mut value = || words.next().with_context(|| format!("{word} needs a value"));
        match word.as_str() {
            "--sessions" => args.sessions = value()?.parse().context("--sessions takes a number")?,
            "--years" => args.years = value()?.parse().context("--years takes a number")?,
            "--db" => args.db = PathBuf::from(value()?),
            "--peers-dir" => args.peers_dir = Some(PathBuf::from(value()?)),
            "-h" | "--help" => {
                println!("usage: bench_history --sessions N --years Y --db PATH [--peers-dir DIR]");
                std::process::exit(0);
            }
            other => bail!("unknown argument '{other}' (see --help)"),
        }
    }
    if args.db.as_os_str().is_empty() {
        bail!("--db PATH is required");
    }
    if args.years < 1 || args.sessions == 0 {
        bail!("--years and --sessions must be at least 1");
    }
    // Sessions sit in whole-minute slots of a day without overlapping.
    if args.sessions as i64 > args.years * 365 * 200 {
        bail!("at most 200 sessions a day on average: use more --years");
    }
    Ok(args)
}

/// A course, project or goal of the sample learner, placed on the timeline as
/// fractions of the history (so the same shape at any length).
struct Plan {
    kind: Kind,
    slug: &'static str,
    title: &'static str,
    status: &'static str,
    /// [start, end) as fractions of the history; end 1.0: still open.
    span: (f64, f64),
    units_total: Option<i64>,
    /// How often a session goes to it, relative to the others open that day.
    weight: i64,
}

/// A row of `PLANS`: kind, slug, title, status, span, units total, weight.
const fn plan(
    kind: Kind,
    slug: &'static str,
    title: &'static str,
    status: &'static str,
    span: (f64, f64),
    units_total: Option<i64>,
    weight: i64,
) -> Plan {
    Plan { kind, slug, title, status, span, units_total, weight }
}

#[rustfmt::skip]
const PLANS: &[Plan] = &[
    plan(Kind::Course, "cs50", "CS50's Introduction to Computer Science", "completed", (0.0, 0.22), Some(10), 4),
    plan(Kind::Course, "stats", "Intro to Statistics", "dropped", (0.10, 0.25), Some(8), 2),
    plan(Kind::Course, "ml", "Machine Learning Specialization", "completed", (0.22, 0.48), Some(11), 4),
    plan(Kind::Course, "rust-book", "The Rust Programming Language", "completed", (0.40, 0.62), Some(20), 3),
    plan(Kind::Course, "dl", "Deep Learning Specialization", "dropped", (0.60, 0.70), Some(16), 3),
    plan(Kind::Course, "algorithms", "Algorithms, Part I", "active", (0.70, 1.0), Some(12), 4),
    plan(Kind::Course, "systems", "Computer Systems: A Programmer's Perspective", "active", (0.80, 1.0), Some(12), 3),
    plan(Kind::Course, "spanish", "Spanish for Beginners", "active", (0.90, 1.0), Some(30), 2),
    plan(Kind::Project, "bird-songs", "Bird song classifier", "shipped", (0.45, 0.60), None, 2),
    plan(Kind::Project, "study-site", "Personal study site", "active", (0.62, 1.0), None, 1),
    plan(Kind::Project, "toy-compiler", "A toy compiler", "active", (0.90, 1.0), None, 2),
];

const NOTES: &[&str] = &[
    "lecture and quiz",
    "problem set",
    "reread the chapter",
    "exercises 1-5",
    "flashcards",
    "project work: tests",
    "video notes",
    "review of last week",
];
const LEVELS: &[&str] = &["remember", "understand", "apply", "apply", "analyze", "evaluate", "create"];

/// One session as planned, before it is written in any format.
struct Planned {
    /// Index into `PLANS`, or `None` for general study.
    plan: Option<usize>,
    start: DateTime<Utc>,
    minutes: i64,
    units: i64,
    note: Option<&'static str>,
    level: Option<&'static str>,
}

impl Planned {
    fn end(&self) -> DateTime<Utc> {
        self.start + Duration::minutes(self.minutes)
    }

    /// The name peers file it under: the slug, or `general`.
    fn project(&self) -> &'static str {
        self.plan.map_or("general", |p| PLANS[p].slug)
    }

    fn description(&self) -> String {
        match self.note {
            Some(note) => note.to_string(),
            None => format!("study {}", self.project()),
        }
    }
}

struct History {
    first_day: NaiveDate,
    last_day: NaiveDate,
    sessions: Vec<Planned>,
    rest_days: Vec<NaiveDate>,
}

impl History {
    fn day_at(&self, fraction: f64) -> NaiveDate {
        let span = (self.last_day - self.first_day).num_days();
        self.first_day + Duration::days((span as f64 * fraction).round() as i64)
    }
}

fn plan_history(sessions: usize, years: i64, last_day: NaiveDate, dice: &mut Dice) -> History {
    let first_day = last_day - Duration::days(years * 365 - 1);
    let day_count = (last_day - first_day).num_days() + 1;
    let mut history = History { first_day, last_day, sessions: Vec::with_capacity(sessions), rest_days: Vec::new() };
    // Days off: a two-week break each August, a few random days, never in
    // the last 40 days (so there is a live streak); a third of them declared
    // rest days in advance.
    let mut weights = Vec::with_capacity(day_count as usize);
    for offset in 0..day_count {
        let day = first_day + Duration::days(offset);
        let holiday = day.month() == 8 && (10..24).contains(&day.day());
        let off = offset < day_count - 40 && (holiday || dice.chance(7));
        if off && dice.chance(33) {
            history.rest_days.push(day);
        }
        weights.push(if off { 0 } else { dice.between(5, 15) });
    }
    let total_weight: i64 = weights.iter().sum();
    let mut cumulative = 0i64;
    let mut allotted = 0usize;
    for (offset, weight) in weights.iter().enumerate() {
        cumulative += weight;
        let upto = (sessions as i128 * cumulative as i128 / total_weight as i128) as usize;
        let count = upto - allotted;
        allotted = upto;
        if count == 0 {
            continue;
        }
        let day = first_day + Duration::days(offset as i64);
        let fraction = offset as f64 / (day_count - 1).max(1) as f64;
        let open: Vec<usize> = (0..PLANS.len())
            .filter(|&p| PLANS[p].span.0 <= fraction && (fraction < PLANS[p].span.1 || PLANS[p].span.1 >= 1.0))
            .collect();
        let open_weight: i64 = open.iter().map(|&p| PLANS[p].weight).sum();
        let window_end = if day == last_day { LAST_DAY_END_MIN } else { WINDOW_END_MIN };
        // Sessions sit in equal slots of the window, so none overlap (Timewarrior refuses overlaps).
        let slot = ((window_end - WINDOW_START_MIN) / count as i64).min(90);
        for index in 0..count as i64 {
            let minutes = dice.between((slot / 3).max(1), (slot - 1).max(1));
            let start_min = WINDOW_START_MIN + index * slot;
            let start =
                day.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default() + Duration::minutes(start_min);
            // General study a fifth of the time, else one of the open items by weight.
            let plan = if open.is_empty() || dice.chance(20) {
                None
            } else {
                let mut pick = dice.between(0, open_weight - 1);
                open.iter().copied().find(|&p| {
                    pick -= PLANS[p].weight;
                    pick < 0
                })
            };
            let note = dice.chance(15).then(|| NOTES[dice.between(0, NOTES.len() as i64 - 1) as usize]);
            let level = dice.chance(50).then(|| LEVELS[dice.between(0, LEVELS.len() as i64 - 1) as usize]);
            history.sessions.push(Planned { plan, start, minutes, units: 0, note, level });
        }
    }
    assign_units(&mut history.sessions);
    history
}

/// Spreads each course's units evenly over its sessions: a completed course
/// reaches its total, an open or dropped one stops short of it.
fn assign_units(sessions: &mut [Planned]) {
    for (index, plan) in PLANS.iter().enumerate() {
        let Some(total) = plan.units_total else { continue };
        let done = if plan.status == "completed" { total } else { total * 3 / 5 };
        let mine: Vec<usize> = (0..sessions.len()).filter(|&s| sessions[s].plan == Some(index)).collect();
        if mine.is_empty() || done == 0 {
            continue;
        }
        for unit in 1..=done {
            let at = (mine.len() as i64 * unit / done) as usize - 1;
            sessions[mine[at]].units += 1;
        }
    }
}

fn write_learnlog(path: &Path, history: &History, now: DateTime<Utc>, dice: &mut Dice) -> Result<()> {
    if path.exists() {
        fs::remove_file(path).with_context(|| format!("cannot replace {}", path.display()))?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut db = Db::open(path, true)?;
    let bulk = history.sessions.len().saturating_sub(JOURNALED_TAIL);
    let item_ids = db.write("bench history", now, |conn| {
        let ids = write_items(conn, history, dice)?;
        write_pledges(conn, history, &ids, dice)?;
        for day in &history.rest_days {
            let at = day.and_hms_opt(8, 0, 0).map(|t| t.and_utc()).unwrap_or(now) - Duration::days(3);
            let rest = RestDay {
                uuid: dice.uuid(),
                day: *day,
                reason: Some("planned break".into()),
                utc_offset: 0,
                created_at: at,
                updated_at: at,
            };
            store::rest::insert(conn, &rest)?;
        }
        for planned in &history.sessions[..bulk] {
            insert_session(conn, planned, &ids, dice)?;
        }
        Ok(ids)
    })?;
    // A long-used database keeps only its last changes in the undo journal,
    // not one giant change holding the whole history.
    db.conn().execute_batch("DELETE FROM undo_log; DELETE FROM changes;")?;
    for planned in &history.sessions[bulk..] {
        let summary = format!("checkin {}m {} on {}", planned.minutes, planned.project(), planned.start.date_naive());
        db.write(&summary, planned.end(), |conn| insert_session(conn, planned, &item_ids, dice))?;
    }
    db.conn().execute_batch("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);")?;
    Ok(())
}

fn write_items(conn: &Connection, history: &History, dice: &mut Dice) -> Result<Vec<i64>> {
    let at = |day: NaiveDate| day.and_hms_opt(9, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    let mut goal = store::items::blank(
        Kind::Goal,
        "ml-engineer".into(),
        "Become a machine-learning engineer".into(),
        Status::Active,
        at(history.first_day),
    );
    goal.uuid = dice.uuid();
    goal.description = Some("work on problems I care about".into());
    goal.due_date = Some(history.last_day + Duration::days(200));
    let goal_id = store::items::insert(conn, &goal)?;
    let mut ids = Vec::with_capacity(PLANS.len());
    for (index, plan) in PLANS.iter().enumerate() {
        let start = history.day_at(plan.span.0);
        let mut item =
            store::items::blank(plan.kind, plan.slug.into(), plan.title.into(), plan.status.parse()?, at(start));
        item.uuid = dice.uuid();
        item.start_date = Some(start);
        if plan.span.1 < 1.0 {
            let end = history.day_at(plan.span.1);
            item.ended_on = Some(end);
            item.updated_at = at(end);
            if plan.status == "dropped" {
                item.end_reason = Some("too much at once".into());
            }
        }
        match plan.kind {
            Kind::Course => {
                item.platform = Some(["coursera", "edx", "udemy"][index % 3].into());
                item.track = Some(if index % 2 == 0 { Track::Verified } else { Track::Audit });
                if index % 2 == 0 {
                    item.price = Some(Money { minor: 4900, currency: "USD".into() });
                }
                item.units_total = plan.units_total;
                item.unit_name = Some("week".into());
                item.weeks = plan.units_total;
                item.intent = Some(if plan.slug == "spanish" { Intent::Explore } else { Intent::Complete });
                // Open courses have deadlines ahead; closed ones had theirs.
                item.due_date = Some(if plan.span.1 >= 1.0 {
                    history.last_day + Duration::days(30 + 30 * (index as i64 % 3))
                } else {
                    history.day_at(plan.span.1) + Duration::days(14)
                });
                if plan.status == "completed" {
                    item.credential_url = Some(format!("https://example.org/verify/{}", plan.slug));
                    item.score = Some(90.0 + index as f64);
                }
                if matches!(plan.slug, "ml" | "dl" | "algorithms") {
                    item.goal_id = Some(goal_id);
                }
            }
            _ => {
                item.url = Some(format!("https://example.org/{}", plan.slug));
                item.description = Some(plan.title.into());
                item.skills = vec!["python".into(), "rust".into()];
                item.goal_id = Some(goal_id);
                item.due_date = Some(history.day_at(plan.span.1.min(1.0)) + Duration::days(45));
                // A project applies the courses that ended before it started.
                item.course_ids = PLANS
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.kind == Kind::Course && c.status == "completed" && c.span.1 <= plan.span.0)
                    .map(|(i, _)| ids[i])
                    .collect();
            }
        }
        ids.push(store::items::insert(conn, &item)?);
    }
    Ok(ids)
}

/// A pledge of the sample learner: its target, stake, start, and rate
/// changes (`None` ends it).
struct PledgePlan {
    item_id: Option<i64>,
    stake: Option<&'static str>,
    from: NaiveDate,
    rates: Vec<(Option<&'static str>, NaiveDate)>,
}

fn write_pledges(conn: &Connection, history: &History, ids: &[i64], dice: &mut Dice) -> Result<()> {
    let monday = |day: NaiveDate| day - Duration::days(day.weekday().num_days_from_monday() as i64);
    let slot = |slug: &str| PLANS.iter().position(|p| p.slug == slug);
    // A daily habit for all study, eased halfway through the history.
    let mut pledges = vec![PledgePlan {
        item_id: None,
        stake: None,
        from: history.first_day,
        rates: vec![(Some("30m/day"), history.first_day), (Some("20m/day"), history.day_at(0.5))],
    }];
    // A staked weekly pledge on an open course.
    if let Some(i) = slot("algorithms") {
        let from = monday(history.day_at(PLANS[i].span.0));
        let rates = vec![(Some("3h/week"), from)];
        pledges.push(PledgePlan {
            item_id: Some(ids[i]),
            stake: Some("$20 to a charity of Ana's choice"),
            from,
            rates,
        });
    }
    // A pledge on a dropped course, ended when it was dropped.
    if let Some(i) = slot("dl") {
        let from = monday(history.day_at(PLANS[i].span.0));
        let end = monday(history.day_at(PLANS[i].span.1)) + Duration::days(7);
        let rates = vec![(Some("2h/week"), from), (None, end)];
        pledges.push(PledgePlan { item_id: Some(ids[i]), stake: None, from, rates });
    }
    // The terms a pledge made today keeps (the default config's), as every
    // pledge learnlog writes now has: none is left for a later run to fill.
    let terms = learnlog::config::Config::default().settings()?.pledge_terms();
    for plan in pledges {
        let created = plan.from.and_hms_opt(9, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
        let row = PledgeRow {
            id: 0,
            uuid: dice.uuid(),
            item_id: plan.item_id,
            target: String::new(),
            stake: plan.stake.map(String::from),
            stake_amount: None,
            referee: plan.stake.map(|_| "ana@example.org".to_string()),
            from: plan.from,
            until: None,
            rates: Vec::new(),
            created_at: created,
            updated_at: created,
            terms: Some(terms.clone()),
            completion: None,
        };
        let pledge_id = store::pledges::insert(conn, &row)?;
        for (rate, effective_from) in plan.rates {
            let rate_row = RateRow {
                id: 0,
                uuid: dice.uuid(),
                rate: rate.map(String::from),
                effective_from,
                created_at: created,
                updated_at: created,
            };
            store::pledges::insert_rate(conn, pledge_id, &rate_row)?;
        }
    }
    Ok(())
}

fn insert_session(conn: &Connection, planned: &Planned, ids: &[i64], dice: &mut Dice) -> Result<()> {
    let session = Session {
        id: 0,
        uuid: dice.uuid(),
        target: None,
        item_id: planned.plan.map(|p| ids[p]),
        study_day: planned.start.date_naive(),
        started_at: Some(planned.start),
        utc_offset: 0,
        minutes: planned.minutes,
        units: planned.units,
        progress_to: None,
        number: 0,
        note: planned.note.map(String::from),
        level: planned.level.map(str::parse).transpose()?,
        created_at: planned.end(),
        updated_at: planned.end(),
    };
    store::sessions::insert(conn, &session)?;
    Ok(())
}

// ---- the peers' formats ------------------------------------------------------

fn create(path: &Path) -> Result<BufWriter<File>> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    Ok(BufWriter::new(File::create(path).with_context(|| format!("cannot create {}", path.display()))?))
}

/// Timewarrior: `data/YYYY-MM.data`, one `inc START - END # TAG` line per
/// interval, and the tag index `data/tags.data`.
fn write_timewarrior(dir: &Path, history: &History) -> Result<()> {
    let data = dir.join("data");
    fs::create_dir_all(&data)?;
    File::create(dir.join("timewarrior.cfg"))?;
    let stamp = |t: DateTime<Utc>| t.format("%Y%m%dT%H%M%SZ").to_string();
    let mut month = String::new();
    let mut file: Option<BufWriter<File>> = None;
    let mut tags = std::collections::BTreeMap::<&str, usize>::new();
    for s in &history.sessions {
        let this_month = s.start.format("%Y-%m").to_string();
        if this_month != month {
            if let Some(mut f) = file.take() {
                f.flush()?;
            }
            file = Some(create(&data.join(format!("{this_month}.data")))?);
            month = this_month;
        }
        if let Some(f) = file.as_mut() {
            writeln!(f, "inc {} - {} # {}", stamp(s.start), stamp(s.end()), s.project())?;
        }
        *tags.entry(s.project()).or_default() += 1;
    }
    if let Some(mut f) = file {
        f.flush()?;
    }
    let index: serde_json::Map<String, serde_json::Value> =
        tags.into_iter().map(|(tag, count)| (tag.to_string(), serde_json::json!({ "count": count }))).collect();
    let mut f = create(&data.join("tags.data"))?;
    serde_json::to_writer(&mut f, &index)?;
    f.flush()?;
    Ok(())
}

/// Taskwarrior 2.x: each session a completed task in `completed.data`
/// (format FF4, one `[name:"value" …]` line per task).
fn write_taskwarrior(dir: &Path, history: &History, dice: &mut Dice) -> Result<()> {
    let mut f = create(&dir.join("completed.data"))?;
    for s in &history.sessions {
        let (entry, end) = (s.start.timestamp(), s.end().timestamp());
        writeln!(
            f,
            "[description:\"{}\" end:\"{end}\" entry:\"{entry}\" modified:\"{end}\" project:\"{}\" status:\"completed\" uuid:\"{}\"]",
            s.description(),
            s.project(),
            dice.uuid()
        )?;
    }
    f.flush()?;
    for empty in ["pending.data", "undo.data", "backlog.data"] {
        File::create(dir.join(empty))?;
    }
    Ok(())
}

/// Watson: the `frames` file, a JSON list of
/// `[start, stop, project, id, tags, updated_at]` (Unix seconds).
fn write_watson(dir: &Path, history: &History, dice: &mut Dice) -> Result<()> {
    let frames: Vec<serde_json::Value> = history
        .sessions
        .iter()
        .map(|s| {
            let id = dice.uuid().replace('-', "");
            let tags: Vec<&str> = s.level.into_iter().collect();
            serde_json::json!([s.start.timestamp(), s.end().timestamp(), s.project(), id, tags, s.end().timestamp()])
        })
        .collect();
    let mut f = create(&dir.join("frames"))?;
    serde_json::to_writer(&mut f, &frames)?;
    f.flush()?;
    Ok(())
}

/// bartib: one `START - END | project | description` line per activity
/// (local time, minutes; the harness runs it with TZ=UTC).
fn write_bartib(dir: &Path, history: &History) -> Result<()> {
    let mut f = create(&dir.join("activities.bartib"))?;
    let stamp = |t: DateTime<Utc>| t.format("%Y-%m-%d %H:%M").to_string();
    for s in &history.sessions {
        writeln!(f, "{} - {} | {} | {}", stamp(s.start), stamp(s.end()), s.project(), s.description())?;
    }
    f.flush()?;
    Ok(())
}

fn main() -> Result<()> {
    let args = parse_args()?;
    let now = DateTime::parse_from_rfc3339(NOW)?.with_timezone(&Utc);
    let mut dice = Dice(SEED);
    let history = plan_history(args.sessions, args.years, now.date_naive(), &mut dice);
    write_learnlog(&args.db, &history, now, &mut dice)?;
    if let Some(dir) = &args.peers_dir {
        write_timewarrior(&dir.join("timewarrior"), &history)?;
        write_taskwarrior(&dir.join("taskwarrior"), &history, &mut dice)?;
        write_watson(&dir.join("watson"), &history, &mut dice)?;
        write_bartib(&dir.join("bartib"), &history)?;
    }
    let minutes: i64 = history.sessions.iter().map(|s| s.minutes).sum();
    eprintln!(
        "bench_history: {} sessions ({} hours) on {} study days, {} to {}, into {}{}",
        history.sessions.len(),
        minutes / 60,
        {
            let mut days: Vec<NaiveDate> = history.sessions.iter().map(|s| s.start.date_naive()).collect();
            days.dedup();
            days.len()
        },
        history.first_day,
        history.last_day,
        args.db.display(),
        args.peers_dir.as_ref().map(|d| format!(" and {}", d.display())).unwrap_or_default()
    );
    Ok(())
}
