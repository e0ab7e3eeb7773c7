//! `learnlog demo`: a deterministic sample learner in a throwaway database,
//! then the reports. It never touches the user's database.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use rusqlite::Connection;

use crate::Ctx;
use crate::cli::{HeatmapArgs, OddsArgs, ReportArgs, ReportFormat, StatusArgs, StreakArgs};
use crate::clock::{Clock, Zone};
use crate::config::Config;
use crate::domain::money::Money;
use crate::domain::records::{Kind, RestDay, Session};
use crate::output::Out;
use crate::store::pledges::{PledgeRow, RateRow};
use crate::store::{self, Db};

/// The demo's "now": fixed, so the demo prints the same every time.
const DEMO_NOW: &str = "2026-11-23T19:30:00Z";

pub fn run(ctx: &mut Ctx) -> Result<()> {
    if ctx.out.json {
        return Err(crate::error::user(
            "`learnlog demo` prints text; run the reports with --json on your own database",
        ));
    }
    let dir =
        tempfile::Builder::new().prefix("learnlog-demo").tempdir().context("cannot create a temporary directory")?;
    let path = dir.path().join("demo.db");
    let now = DateTime::parse_from_rfc3339(DEMO_NOW)?.with_timezone(&Utc);
    let clock = Clock::fixed(now, NaiveTime::from_hms_opt(4, 0, 0).unwrap_or(NaiveTime::MIN), Zone::Utc);
    let mut db = Db::open(&path, true)?;
    db.write("demo sample", now, |conn| build_sample(conn, clock.today(), now))?;
    // The demo's context borrows the real output for as long as it runs.
    let out = std::mem::replace(&mut ctx.out, Out::buffered(false, None).0);
    let mut demo = Ctx::with_db(out, clock, Config::default(), db)?;
    let shown = show_reports(&mut demo);
    // The real output comes back whatever happened, so an error still prints.
    ctx.out = demo.out;
    drop(dir);
    shown
}

/// The reports the demo prints, each under the command that prints it.
fn show_reports(demo: &mut Ctx) -> Result<()> {
    section(demo, "learnlog demo: a sample learner's record on 2026-11-23 (a throwaway database)")?;
    section(demo, "$ learnlog status")?;
    super::status::run(demo, &StatusArgs { short: false })?;
    section(demo, "$ learnlog status --short")?;
    super::status::run(demo, &StatusArgs { short: true })?;
    section(demo, "$ learnlog streak")?;
    super::streak::run(demo, &StreakArgs { reference: None })?;
    section(demo, "$ learnlog odds")?;
    super::odds::run(demo, &OddsArgs { reference: None, explain: false })?;
    section(demo, "$ learnlog odds ml --explain")?;
    super::odds::run(demo, &OddsArgs { reference: Some("ml".into()), explain: true })?;
    section(demo, "$ learnlog heatmap")?;
    super::heatmap::run(demo, &HeatmapArgs { reference: None, weeks: None, year: None })?;
    section(demo, "$ learnlog next")?;
    super::next::run(demo)?;
    section(demo, "$ learnlog report --last-week")?;
    super::report::run(demo, &last_week_report(ReportFormat::Table, None))?;
    // The page outlives the demo's database: its folder is kept for the
    // newcomer to open (it holds nothing but the page).
    let folder = tempfile::Builder::new()
        .prefix("learnlog-demo-report")
        .tempdir()
        .context("cannot create a temporary directory")?
        .keep();
    let page = folder.join("report.html");
    section(demo, "$ learnlog report --last-week --format html --out report.html")?;
    // One line says where the page is, not two.
    let quiet = std::mem::replace(&mut demo.out.quiet, true);
    let written = super::report::run(demo, &last_week_report(ReportFormat::Html, Some(page.clone())));
    demo.out.quiet = quiet;
    written?;
    demo.out.line(format!("Open it in a browser: {}", page.display()))?;
    demo.out.flush()
}

fn last_week_report(format: ReportFormat, out: Option<std::path::PathBuf>) -> ReportArgs {
    ReportArgs {
        reference: None,
        week: false,
        month: false,
        year: false,
        last_week: true,
        last_month: false,
        from: None,
        to: None,
        format,
        out,
        force: false,
    }
}

fn section(ctx: &mut Ctx, title: &str) -> Result<()> {
    ctx.out.line("")?;
    let title = ctx.out.bold(title);
    ctx.out.line(title)
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
        status: &str,
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
        level: Option<&str>,
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
            level: level.map(String::from),
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
    let goal = s.item(Kind::Goal, "ml-engineer", "Become a machine-learning engineer", "active", |i| {
        i.description = Some("work on problems I care about".into());
        i.due_date = Some(s.day(220));
    })?;
    let ml = s.item(Kind::Course, "ml", "Machine Learning Specialization", "active", |i| {
        i.platform = Some("coursera".into());
        i.track = Some("verified".into());
        i.price = money(4900);
        i.units_total = Some(11);
        i.unit_name = Some("week".into());
        i.weeks = Some(11);
        i.start_date = Some(s.day(-84));
        i.due_date = Some(s.day(30));
        i.intent = Some("complete".into());
        i.goal_id = Some(goal);
    })?;
    let cs50 = s.item(Kind::Course, "cs50", "CS50's Introduction to Computer Science", "active", |i| {
        i.platform = Some("edx".into());
        i.track = Some("audit".into());
        i.units_total = Some(10);
        i.unit_name = Some("lecture".into());
        i.weeks = Some(12);
        i.start_date = Some(s.day(-60));
        i.due_date = Some(s.day(40));
        i.intent = Some("complete".into());
    })?;
    let rust = s.item(Kind::Course, "rust-book", "The Rust Programming Language", "active", |i| {
        i.platform = Some("rust-lang.org".into());
        i.track = Some("audit".into());
        i.units_total = Some(20);
        i.unit_name = Some("chapter".into());
        i.start_date = Some(s.day(-45));
        i.due_date = Some(s.day(12));
        i.intent = Some("explore".into());
    })?;
    s.item(Kind::Course, "learning-how-to-learn", "Learning How to Learn", "completed", |i| {
        i.platform = Some("coursera".into());
        i.track = Some("verified".into());
        i.price = money(4900);
        i.units_total = Some(4);
        i.weeks = Some(4);
        i.start_date = Some(s.day(-150));
        i.ended_on = Some(s.day(-118));
        i.credential_url = Some("https://coursera.org/verify/DEMO1234".into());
        i.score = Some(96.0);
    })?;
    s.item(Kind::Course, "stats", "Intro to Statistics", "dropped", |i| {
        i.platform = Some("udacity".into());
        i.track = Some("verified".into());
        i.price = money(3900);
        i.start_date = Some(s.day(-140));
        i.ended_on = Some(s.day(-100));
        i.end_reason = Some("too much at once".into());
    })?;
    let birds = s.item(Kind::Project, "bird-songs", "Bird song classifier", "active", |i| {
        i.url = Some("https://github.com/example/bird-songs".into());
        i.description = Some("Classifies garden bird songs from phone recordings".into());
        i.skills = vec!["python".into(), "pytorch".into(), "audio".into()];
        i.course_ids = vec![ml];
        i.goal_id = Some(goal);
        i.due_date = Some(s.day(45));
    })?;
    s.item(Kind::Project, "study-site", "Personal study site", "shipped", |i| {
        i.url = Some("https://example.org".into());
        i.skills = vec!["html".into(), "css".into()];
        i.ended_on = Some(s.day(-90));
    })?;
    // Five months of sessions with a summer-holiday gap and a slow patch.
    let mut dice = Dice(0x5EED_1EA2_2026);
    let levels = ["remember", "understand", "apply", "apply", "analyze", "create"];
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
