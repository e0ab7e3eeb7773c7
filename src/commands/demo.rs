//! `learnlog demo`: a deterministic sample learner in a throwaway database,
//! then the reports. It never touches the user's database.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use rusqlite::Connection;

use crate::clock::{Clock, Zone};
use crate::config::{Config, Settings};
use crate::domain::heatmap::{DEFAULT_WEEKS, Span};
use crate::domain::money::Money;
use crate::domain::records::{BloomLevel, Intent, Kind, RestDay, Session, Status, Track};
use crate::files::write_atomically;
use crate::lookup::resolve;
use crate::outcome::{self, Outcome};
use crate::output::Out;
use crate::render;
use crate::report::status::StatusReport;
use crate::report::{self, period};
use crate::store::pledges::{PledgeRow, RateRow};
use crate::store::sessions::Scope;
use crate::store::{self, Db};

/// The demo's "now": fixed, so the demo prints the same every time.
const DEMO_NOW: &str = "2026-11-23T19:30:00Z";

pub fn run() -> Result<Box<dyn Outcome>> {
    let dir =
        tempfile::Builder::new().prefix("learnlog-demo").tempdir().context("cannot create a temporary directory")?;
    let path = dir.path().join("demo.db");
    let now = DateTime::parse_from_rfc3339(DEMO_NOW)?.with_timezone(&Utc);
    let clock = Clock::fixed(now, NaiveTime::from_hms_opt(4, 0, 0).unwrap_or(NaiveTime::MIN), Zone::Utc);
    let mut db = Db::open(&path, true)?;
    db.write("demo sample", now, |conn| build_sample(conn, clock.today(), now))?;
    let settings = Config::default().settings()?;
    let sections = sections(db.conn(), &settings, clock.today())?;
    // The outcomes hold what they show: the sample database can go.
    drop(db);
    drop(dir);
    Ok(Box::new(Demo { sections }))
}

/// The demo's output: each report under the command that prints it, as
/// those commands show it. Text only (`Cli::settle_json` refuses `--json`).
struct Demo {
    sections: Vec<(&'static str, Box<dyn Outcome>)>,
}

impl Outcome for Demo {
    fn json(&self, _: &mut Out) -> Result<()> {
        Err(crate::cli::demo_prints_text())
    }

    fn text(&self, out: &mut Out) -> Result<()> {
        for (title, shown) in &self.sections {
            out.line("")?;
            let title = out.bold(title);
            out.line(title)?;
            shown.text(out)?;
        }
        Ok(())
    }
}

/// The reports the demo shows, built from the sample database as the
/// commands build them, each under its command line.
fn sections(conn: &Connection, settings: &Settings, today: NaiveDate) -> Result<Vec<(&'static str, Box<dyn Outcome>)>> {
    let mut shown =
        vec![("learnlog demo: a sample learner's record on 2026-11-23 (a throwaway database)", outcome::nothing())];
    let dashboard = report::status::build(conn, settings, today)?;
    shown.push(("$ learnlog status", outcome::report(dashboard.report.clone(), render::status::dashboard)));
    let short = outcome::report(dashboard.report, |out: &mut Out, r: &StatusReport| {
        let line = render::status::short_line(out, r);
        out.line(line)
    });
    shown.push(("$ learnlog status --short", short));
    let totals = report::totals::DayTotals::load(conn)?;
    let book = report::pledges::build_over(conn, settings, today, &totals)?;
    let streak = report::streak::build_over(conn, settings, today, &Scope::All, None, &book, &totals)?;
    shown.push(("$ learnlog streak", outcome::report(streak, render::status::streak)));
    let odds = report::odds::build(conn, today, None)?;
    shown.push((
        "$ learnlog odds",
        outcome::report(odds, |out: &mut Out, o: &Vec<report::odds::CourseOdds>| render::odds::table(out, o, false)),
    ));
    let ml = resolve(conn, "ml", &[Kind::Course])?;
    let explained = report::odds::build(conn, today, Some(&ml))?;
    let explained = outcome::report(explained, |out: &mut Out, o: &Vec<report::odds::CourseOdds>| {
        render::odds::table(out, o, true)
    });
    shown.push(("$ learnlog odds ml --explain", explained));
    let weeks = Span::Weeks(DEFAULT_WEEKS);
    let heatmap = report::heatmap::build(conn, settings, today, weeks, &Scope::All, None)?;
    shown.push(("$ learnlog heatmap", outcome::report(heatmap, render::heatmap::heatmap)));
    shown.push(("$ learnlog next", outcome::report(report::next::build(conn, settings, today)?, render::next::next)));
    let (from, to) = period::Span::LastWeek.range(today, settings.week_starts);
    let last_week = period::build(conn, settings, today, from, to, period::Span::LastWeek.label(), None)?;
    shown.push(("$ learnlog report --last-week", outcome::report(last_week.clone(), render::period::table)));
    // The page outlives the demo's database: its folder is kept for the
    // newcomer to open (it holds nothing but the page).
    let folder = tempfile::Builder::new()
        .prefix("learnlog-demo-report")
        .tempdir()
        .context("cannot create a temporary directory")?
        .keep();
    let path = folder.join("report.html");
    let page = report::page::build(conn, settings, today, last_week)?;
    write_atomically(&path, render::html::page(&page).as_bytes())?;
    let open = format!("Open it in a browser: {}", path.display());
    let open = outcome::report((), move |out: &mut Out, _: &()| out.line(&open));
    shown.push(("$ learnlog report --last-week --format html --out report.html", open));
    Ok(shown)
}

/// A tiny deterministic generator (xorshift64*): the same sample every run,
/// on every machine. The benchmark's history generator uses it too.
pub struct Dice(pub u64);

impl Dice {
    pub fn roll(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A whole number in [low, high].
    pub fn between(&mut self, low: i64, high: i64) -> i64 {
        low + (self.roll() % ((high - low + 1) as u64)) as i64
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.roll() % 100 < percent
    }

    /// A version-4 UUID from the generator (deterministic, unlike `new_v4`).
    pub fn uuid(&mut self) -> String {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&self.roll().to_le_bytes());
        bytes[8..].copy_from_slice(&self.roll().to_le_bytes());
        uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
    }
}

struct Sample<'a> {
    conn: &'a Connection,
    now: DateTime<Utc>,
    today: NaiveDate,
}

impl Sample<'_> {
    fn item(
        &self,
        kind: Kind,
        slug: &str,
        title: &str,
        status: Status,
        fill: impl FnOnce(&mut crate::domain::records::Item),
    ) -> Result<i64> {
        let mut item = store::items::blank(kind, slug.into(), title.into(), status, self.now - Duration::days(160));
        fill(&mut item);
        store::items::insert(self.conn, &item)
    }

    fn day(&self, offset: i64) -> NaiveDate {
        self.today + Duration::days(offset)
    }

    fn session(
        &self,
        item: Option<i64>,
        day: NaiveDate,
        start_hour: u32,
        minutes: i64,
        units: i64,
        level: Option<BloomLevel>,
    ) -> Result<()> {
        let start = day.and_hms_opt(start_hour, 0, 0).map(|t| t.and_utc());
        let session = Session {
            id: 0,
            uuid: store::new_uuid(),
            target: None,
            item_id: item,
            study_day: day,
            started_at: start,
            utc_offset: 0,
            minutes,
            units,
            progress_to: None,
            number: 0,
            note: None,
            level,
            created_at: self.now,
            updated_at: self.now,
        };
        store::sessions::insert(self.conn, &session).map(|_| ())
    }
}

fn money(minor: i64) -> Option<Money> {
    Some(Money { minor, currency: "USD".into() })
}

fn build_sample(conn: &Connection, today: NaiveDate, now: DateTime<Utc>) -> Result<()> {
    let s = Sample { conn, now, today };
    let ids = sample_items(&s)?;
    sample_sessions(&s, &ids)?;
    sample_rest_days(&s)?;
    sample_pledges(&s, ids.ml)
}

/// The ids of the sample records that sessions and pledges name.
#[derive(Clone, Copy)]
struct SampleIds {
    ml: i64,
    cs50: i64,
    rust: i64,
    birds: i64,
}

/// A goal, five courses (one completed, one dropped) and two projects.
fn sample_items(s: &Sample) -> Result<SampleIds> {
    let goal = s.item(Kind::Goal, "ml-engineer", "Become a machine-learning engineer", Status::Active, |i| {
        i.description = Some("work on problems I care about".into());
        i.due_date = Some(s.day(220));
    })?;
    let ml = s.item(Kind::Course, "ml", "Machine Learning Specialization", Status::Active, |i| {
        i.platform = Some("coursera".into());
        i.track = Some(Track::Verified);
        i.price = money(4900);
        i.units_total = Some(11);
        i.unit_name = Some("week".into());
        i.weeks = Some(11);
        i.start_date = Some(s.day(-84));
        i.due_date = Some(s.day(30));
        i.intent = Some(Intent::Complete);
        i.goal_id = Some(goal);
    })?;
    let cs50 = s.item(Kind::Course, "cs50", "CS50's Introduction to Computer Science", Status::Active, |i| {
        i.platform = Some("edx".into());
        i.track = Some(Track::Audit);
        i.units_total = Some(10);
        i.unit_name = Some("lecture".into());
        i.weeks = Some(12);
        i.start_date = Some(s.day(-60));
        i.due_date = Some(s.day(40));
        i.intent = Some(Intent::Complete);
    })?;
    let rust = s.item(Kind::Course, "rust-book", "The Rust Programming Language", Status::Active, |i| {
        i.platform = Some("rust-lang.org".into());
        i.track = Some(Track::Audit);
        i.units_total = Some(20);
        i.unit_name = Some("chapter".into());
        i.start_date = Some(s.day(-45));
        i.due_date = Some(s.day(12));
        i.intent = Some(Intent::Explore);
    })?;
    s.item(Kind::Course, "learning-how-to-learn", "Learning How to Learn", Status::Completed, |i| {
        i.platform = Some("coursera".into());
        i.track = Some(Track::Verified);
        i.price = money(4900);
        i.units_total = Some(4);
        i.weeks = Some(4);
        i.start_date = Some(s.day(-150));
        i.ended_on = Some(s.day(-118));
        i.credential_url = Some("https://coursera.org/verify/DEMO1234".into());
        i.score = Some(96.0);
    })?;
    s.item(Kind::Course, "stats", "Intro to Statistics", Status::Dropped, |i| {
        i.platform = Some("udacity".into());
        i.track = Some(Track::Verified);
        i.price = money(3900);
        i.start_date = Some(s.day(-140));
        i.ended_on = Some(s.day(-100));
        i.end_reason = Some("too much at once".into());
    })?;
    let birds = s.item(Kind::Project, "bird-songs", "Bird song classifier", Status::Active, |i| {
        i.url = Some("https://github.com/example/bird-songs".into());
        i.description = Some("Classifies garden bird songs from phone recordings".into());
        i.skills = vec!["python".into(), "pytorch".into(), "audio".into()];
        i.course_ids = vec![ml];
        i.goal_id = Some(goal);
        i.due_date = Some(s.day(45));
    })?;
    s.item(Kind::Project, "study-site", "Personal study site", Status::Shipped, |i| {
        i.url = Some("https://example.org".into());
        i.skills = vec!["html".into(), "css".into()];
        i.ended_on = Some(s.day(-90));
    })?;
    Ok(SampleIds { ml, cs50, rust, birds })
}

fn sample_sessions(s: &Sample, ids: &SampleIds) -> Result<()> {
    let SampleIds { ml, cs50, rust, birds } = *ids;
    // Five months of sessions with a summer-holiday gap and a slow patch.
    let mut dice = Dice(0x5EED_1EA2_2026);
    // Applying weighs double; nothing is evaluated.
    let levels = {
        use BloomLevel::*;
        [Remember, Understand, Apply, Apply, Analyze, Create]
    };
    let (mut ml_units, mut cs_units, mut rust_units) = (0, 0, 0);
    for offset in -150..=0 {
        let day = s.day(offset);
        let gap = (-75..=-64).contains(&offset) || (offset > -30 && offset < -26);
        if gap || !dice.chance(if offset > -20 { 85 } else { 70 }) {
            continue;
        }
        let pick = dice.between(0, 9);
        let minutes = dice.between(2, 9) * 10;
        let level = Some(levels[dice.between(0, 5) as usize]);
        let (item, units) = match pick {
            0..=3 if offset >= -84 => {
                let unit = i64::from(ml_units < 8 && dice.chance(30));
                ml_units += unit;
                (Some(ml), unit)
            }
            4..=5 if offset >= -60 => {
                let unit = i64::from(cs_units < 6 && dice.chance(30));
                cs_units += unit;
                (Some(cs50), unit)
            }
            6 if offset >= -45 => {
                let unit = i64::from(rust_units < 6 && dice.chance(40));
                rust_units += unit;
                (Some(rust), unit)
            }
            7 if (-40..=-3).contains(&offset) => (Some(birds), 0),
            _ => (None, 0),
        };
        let hour = dice.between(7, 21) as u32;
        s.session(item, day, hour, minutes, units, level)?;
    }
    Ok(())
}

fn sample_rest_days(s: &Sample) -> Result<()> {
    let (conn, now) = (s.conn, s.now);
    // A rest day declared in advance, and one ahead.
    for (offset, reason) in [(-6, "family visit"), (3, "travel")] {
        store::rest::insert(
            conn,
            &RestDay {
                uuid: store::new_uuid(),
                day: s.day(offset),
                reason: Some(reason.into()),
                utc_offset: 0,
                created_at: now,
                updated_at: now,
            },
        )?;
    }
    Ok(())
}

fn sample_pledges(s: &Sample, ml: i64) -> Result<()> {
    let (conn, now) = (s.conn, s.now);
    // A staked pledge on the ML course, and a daily habit pledge.
    let week_start = crate::domain::streak::week_start(s.day(-42), chrono::Weekday::Mon);
    for (item, rate, stake) in
        [(Some(ml), "2h/week", Some("$10 to a charity of Ana's choice")), (None, "20m/day", None)]
    {
        let row = PledgeRow {
            id: 0,
            uuid: store::new_uuid(),
            item_id: item,
            target: String::new(),
            stake: stake.map(String::from),
            stake_amount: None,
            referee: item.map(|_| "ana@example.org".to_string()),
            from: week_start,
            until: None,
            rates: Vec::new(),
            created_at: now,
            updated_at: now,
            terms: None,
            completion: None,
        };
        let id = store::pledges::insert(conn, &row)?;
        let rate_row = RateRow {
            id: 0,
            uuid: store::new_uuid(),
            rate: Some(rate.into()),
            effective_from: week_start,
            created_at: now,
            updated_at: now,
        };
        store::pledges::insert_rate(conn, id, &rate_row)?;
    }
    Ok(())
}
