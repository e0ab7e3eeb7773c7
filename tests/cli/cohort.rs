//! Cohorts and peer review (docs/sync.md) against a real PostgreSQL: four
//! learners, each with their own database file and clock, and their own
//! member login. Without LEARNLOG_TEST_PG_URL these return early (and fail
//! under CI=true).

use crate::common::TestEnv;
use crate::common::pg::PgTest;

struct Learner {
    env: TestEnv,
}

impl Learner {
    fn run(&self, now: &str, args: &[&str]) -> crate::common::Run {
        self.env.run_at(now, args)
    }
}

/// A member login NAME_<suffix> and a learner whose config points at it.
fn learner(pg: &PgTest, admin: &TestEnv, name: &str) -> Learner {
    let role = pg.role(name);
    let password = format!("pw-{name}-{}", pg.suffix);
    admin
        .run_stdin(
            &["server", "add-member", &role, "--password-stdin", "--url", &pg.admin_url()],
            &format!("{password}\n"),
        )
        .ok();
    let mut env = TestEnv::new();
    // The password as a learner gives it: libpq's PGPASSWORD, never the config.
    env.extra_env.push(("PGPASSWORD".into(), password));
    let url = format!("{}?sslmode=disable", pg.url_as(&role));
    env.write_config(&format!("[sync]\nurl = \"{url}\"\n"));
    Learner { env }
}

fn setup() -> Option<(PgTest, TestEnv)> {
    let pg = PgTest::new()?;
    let admin = TestEnv::new();
    admin.run(&["server", "init", &pg.admin_url()]).ok();
    Some((pg, admin))
}

fn invite(l: &Learner, now: &str, cohort: &str) -> String {
    let run = l.run(now, &["--json", "cohort", "invite", cohort]).ok();
    run.json()["code"].as_str().unwrap().to_string()
}

fn member<'a>(board: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    board["members"].as_array().unwrap().iter().find(|m| m["name"] == name).unwrap_or_else(|| panic!("{name}: {board}"))
}

const W1: &str = "2026-11-02T20:00:00Z";
const W2: &str = "2026-11-10T20:00:00Z";
const W3: &str = "2026-11-20T20:00:00Z";

#[test]
fn a_cohort_studies_together() {
    let Some((pg, admin)) = setup() else { return };
    let alice = learner(&pg, &admin, "alice");
    let bob = learner(&pg, &admin, "bob");
    let carol = learner(&pg, &admin, "carol");
    let eve = learner(&pg, &admin, "eve");

    alice.run(W1, &["cohort", "create", "evenings", "--as", "Alice"]).ok();
    let code = invite(&alice, W1, "evenings");
    assert!(code.len() >= 22, "{code}");
    bob.run(W1, &["cohort", "join", &code, "--as", "Bob"]).ok();
    // A used code, an unknown one and an expired one get the same refusal.
    let used = eve.run(W1, &["cohort", "join", &code]).fails(2);
    let unknown = eve.run(W1, &["cohort", "join", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]).fails(2);
    assert_eq!(used.stderr, unknown.stderr);
    let late_code = invite(&alice, W1, "evenings");
    pg.admin().execute("UPDATE learnlog.invites SET expires_at = now() - interval '1 minute'", &[]).unwrap();
    let expired = eve.run(W1, &["cohort", "join", &late_code]).fails(2);
    assert_eq!(expired.stderr, used.stderr);
    assert!(!used.stderr.contains("evenings"), "{}", used.stderr);
    let code = invite(&alice, W1, "evenings");
    carol.run(W1, &["cohort", "join", &code, "--as", "Carol"]).ok();

    // Alice pledges 120 minutes a week, refereed by Bob, and shares it.
    alice.run(W1, &["add", "course", "Machine Learning", "--slug", "ml", "--units", "10"]).ok();
    alice
        .run(W1, &["pledge", "ml", "120m/week", "--stake", "5 EUR", "--referee", &format!("@{}", pg.role("bob"))])
        .ok();
    alice.run(W1, &["checkin", "ml", "150m", "--note", "secret notes stay home"]).ok();
    alice.run(W2, &["checkin", "ml", "30m"]).ok();
    alice.run(W3, &["checkin", "ml", "130m"]).ok();
    // Nothing leaves the device before a share.
    let before = bob.run(W3, &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
    assert_eq!(member(&before, "Alice")["pledges"], serde_json::json!([]));
    assert_eq!(member(&before, "Alice")["week"]["minutes"], 0);
    alice.run(W3, &["settle", "1", "--note", "paid"]).ok();
    alice.run(W3, &["cohort", "share", "evenings", "ml"]).ok();

    // Bob studies three days in a row and shares everything.
    bob.run(W3, &["add", "course", "Go"]).ok();
    for day in ["2026-11-18", "2026-11-19", "2026-11-20"] {
        bob.env.run_at(W3, &["checkin", "--date", day, "go", "40m"]).ok();
    }
    bob.run(W3, &["cohort", "share", "evenings", "all"]).ok();
    let report = alice.run(W3, &["report"]).ok().stdout;
    assert!(report.contains("settled (self-reported)"), "{report}");

    // Carol, a non-referee, cannot confirm; Bob, the named referee, can.
    carol.run(W3, &["cohort", "confirm", "Alice", "1"]).fails(2);
    bob.run(W3, &["cohort", "confirm", "Alice", "1", "--note", "seen"]).ok();
    alice.run(W3, &["cohort", "board", "evenings"]).ok();
    let report = alice.run(W3, &["report"]).ok().stdout;
    assert!(report.contains("settled, confirmed by Bob"), "{report}");
    let md = alice.run(W3, &["report", "--format", "markdown"]).ok().stdout;
    assert!(md.contains("settled, confirmed by Bob"), "{md}");

    let expected = |b: &serde_json::Value| {
        assert_eq!(b["cohort"], "evenings");
        assert_eq!(b["week"], serde_json::json!({"from": "2026-11-16", "to": "2026-11-22"}));
        let names: Vec<&str> = b["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert_eq!(names, ["Alice", "Bob", "Carol"]);
        let a = member(b, "Alice");
        assert_eq!(a["week"], serde_json::json!({"minutes": 130, "study_days": 1}));
        assert_eq!(a["streak"]["current"], 1);
        let p = &a["pledges"][0];
        assert_eq!(p["target"], "ml");
        assert_eq!(p["rate"], "2h/week");
        assert_eq!((p["done"].as_i64(), p["needed"].as_i64()), (Some(130), Some(120)));
        assert_eq!(p["verdict"], "on_track");
        assert_eq!(p["referee"], "Bob");
        let history: Vec<(&str, &str)> = p["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| (h["start"].as_str().unwrap(), h["verdict"].as_str().unwrap()))
            .collect();
        assert_eq!(history, [("2026-11-02", "kept"), ("2026-11-09", "missed")]);
        assert_eq!(a["stakes"], serde_json::json!({"owed": 0, "settled": 1, "confirmed": 1}));
        assert_eq!(a["last_study_day"], "2026-11-20");
        assert_eq!(a["late"], serde_json::json!([]));
        let bb = member(b, "Bob");
        assert_eq!(bb["week"], serde_json::json!({"minutes": 120, "study_days": 3}));
        assert_eq!(bb["streak"], serde_json::json!({"current": 3, "longest": 3}));
        let c = member(b, "Carol");
        assert_eq!(c["week"]["minutes"], 0);
        assert_eq!(c["last_study_day"], serde_json::Value::Null);
    };
    for l in [&alice, &bob, &carol] {
        expected(&l.run(W3, &["--json", "cohort", "board", "evenings", "--offline"]).ok().json());
    }
    // Never notes, never single sessions.
    let raw: Vec<String> =
        pg.admin().query("SELECT data::text FROM learnlog.published", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert!(raw.iter().all(|d| !d.contains("secret")), "{raw:?}");
    // The table and the Markdown say the same.
    let table = bob.run(W3, &["cohort", "board", "evenings", "--offline"]).ok().stdout;
    assert!(table.contains("ml 130/120 on track") && table.contains("✓✗"), "{table}");
    let md = bob.run(W3, &["cohort", "board", "evenings", "--offline", "--format", "markdown"]).ok().stdout;
    assert!(md.contains("| Bob | 3 | 120 | 3 |"), "{md}");
    assert!(md.contains("0 owed; settled, confirmed by Bob"), "{md}");
    let html = bob.run(W3, &["cohort", "board", "evenings", "--offline", "--format", "html"]).ok().stdout;
    assert!(html.contains("Content-Security-Policy") && !html.contains("<script"), "{html}");

    // A week that closed after Bob joined, published now, is marked late
    // (by the server's clock; the administrator backdates his joining).
    pg.admin()
        .execute("UPDATE learnlog.cohort_members SET joined_at = '2026-10-01' WHERE display_name = 'Bob'", &[])
        .unwrap();
    bob.env.run_at(W3, &["checkin", "--date", "2026-11-04", "go", "20m"]).ok();
    bob.run(W3, &["cohort", "board", "evenings"]).ok();
    let b = carol.run(W3, &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
    // (Both weeks his first study day now reaches back over are new.)
    assert_eq!(member(&b, "Bob")["late"], serde_json::json!(["2026-11-02", "2026-11-09"]));
    assert_eq!(member(&b, "Alice")["late"], serde_json::json!([]));

    // Eve, outside, sees nothing.
    eve.run(W3, &["cohort", "board", "evenings", "--offline"]).fails(2);
    let mut e = pg.connect_as(&pg.role("eve"), &format!("pw-eve-{}", pg.suffix)).unwrap();
    let seen: i64 = e.query_one("SELECT count(*) FROM learnlog.published", &[]).unwrap().get(0);
    assert_eq!(seen, 0);

    // A removed member sees nothing after removal.
    carol.run(W3, &["cohort", "board", "evenings", "--offline"]).ok();
    bob.run(W3, &["cohort", "remove", "evenings", "Carol"]).fails(2);
    alice.run(W3, &["cohort", "remove", "evenings", "Carol"]).ok();
    carol.run(W3, &["cohort", "board", "evenings", "--offline"]).fails(2);
    let b = alice.run(W3, &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
    assert_eq!(b["members"].as_array().unwrap().len(), 2);
}

#[test]
fn an_easing_counts_only_from_the_servers_horizon_whatever_the_clock() {
    let Some((pg, admin)) = setup() else { return };
    let alice = learner(&pg, &admin, "alice");
    let bob = learner(&pg, &admin, "bob");
    // The server's date, and clocks around it.
    let today = chrono::Utc::now().date_naive();
    let at = |days: i64| (today + chrono::Duration::days(days)).format("%Y-%m-%dT12:00:00Z").to_string();
    alice.run(&at(-21), &["cohort", "create", "evenings", "--as", "Alice"]).ok();
    let code = invite(&alice, &at(-21), "evenings");
    bob.run(&at(-21), &["cohort", "join", &code, "--as", "Bob"]).ok();
    alice.run(&at(-21), &["add", "course", "ML", "--slug", "ml"]).ok();
    alice.run(&at(-21), &["pledge", "ml", "120m/week"]).ok();
    alice.run(&at(-21), &["cohort", "share", "evenings", "ml"]).ok();
    // A clock set two weeks back eases the pledge: locally it holds from a
    // week ago; the server holds it from its own date plus the horizon.
    alice.run(&at(-14), &["pledge", "ml", "30m/week"]).ok();
    alice.run(&at(0), &["checkin", "ml", "40m"]).ok();
    let local = alice.run(&at(0), &["--json", "status"]).ok().stdout;
    assert!(local.contains("30m/week") || local.contains("\"needed\": 0"), "the local record eased: {local}");
    alice.run(&at(0), &["cohort", "board", "evenings"]).ok();
    let from: chrono::NaiveDate =
        pg.admin().query_one("SELECT effective_from FROM learnlog.pledges WHERE version = 2", &[]).unwrap().get(0);
    assert_eq!(from, today + chrono::Days::new(7));
    // The board judges this week by the rate the server holds in force.
    let board = bob.run(&at(0), &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
    let p = &member(&board, "Alice")["pledges"][0];
    assert_eq!((p["done"].as_i64(), p["needed"].as_i64()), (Some(40), Some(120)), "{board}");
    assert_eq!(p["verdict"], "behind");
    assert_eq!(p["rate"], "2h/week");
    // A clock a month ahead publishes nothing of weeks the server has not reached.
    alice.run(&at(30), &["checkin", "ml", "40m"]).ok();
    alice.run(&at(30), &["cohort", "board", "evenings"]).ok();
    let ahead: i64 = pg
        .admin()
        .query_one(
            "SELECT count(*) FROM learnlog.published WHERE week_start > (now() AT TIME ZONE 'UTC')::date + 1",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(ahead, 0);
    let board = bob.run(&at(0), &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
    assert_eq!(member(&board, "Alice")["pledges"][0]["needed"], 120);
}

#[test]
fn peer_review() {
    let Some((pg, admin)) = setup() else { return };
    let alice = learner(&pg, &admin, "alice");
    let bob = learner(&pg, &admin, "bob");
    alice.run(W1, &["cohort", "create", "evenings", "--as", "Alice"]).ok();
    let code = invite(&alice, W1, "evenings");
    bob.run(W1, &["cohort", "join", &code, "--as", "Bob"]).ok();
    alice.run(W1, &["add", "project", "Portfolio site", "--slug", "site"]).ok();
    alice.run(W1, &["review", "request", "site", "--cohort", "evenings"]).ok();
    // Nobody reviews their own project.
    alice.run(W1, &["review", "give", "Alice/site", "--rating", "5", "--comment", "mine"]).fails(2);
    bob.run(W1, &["review", "give", "Alice/site", "--rating", "3", "--comment", "fine"]).ok();
    bob.run(W1, &["review", "give", "Alice/site", "--rating", "5", "--comment", "great now"]).ok();
    let open = bob.run(W1, &["--json", "review", "list"]).ok().json();
    assert_eq!(open[0]["member"], "Alice");
    assert_eq!(open[0]["project"]["slug"], "site");
    let mine = alice.run(W1, &["--json", "review", "list", "--mine"]).ok().json();
    let reviews = mine[0]["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1, "{mine}");
    assert_eq!(reviews[0]["reviewer"], "Bob");
    assert_eq!(reviews[0]["rating"], 5);
    assert_eq!(reviews[0]["comment"], "great now");
    // The cache holds it for offline use.
    let cached: i64 = alice.env.sql().query_row("SELECT count(*) FROM review_cache", [], |r| r.get(0)).unwrap();
    assert_eq!(cached, 1);
    // The portfolio shows them, offline.
    let offline = |args: &[&str]| {
        let mut cmd = alice.env.command(args);
        cmd.env("LEARNLOG_CONFIG", alice.env.path("none.toml"));
        std::fs::write(alice.env.path("none.toml"), "").unwrap();
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let md = offline(&["portfolio"]);
    assert!(md.contains("- Peer reviews: 1 (mean 5.0/5)"), "{md}");
    let json: serde_json::Value = serde_json::from_str(&offline(&["--json", "portfolio"])).unwrap();
    let site = &json["projects"][0]["reviews"];
    assert_eq!((site["count"].as_i64(), site["mean_rating"].as_f64()), (Some(1), Some(5.0)), "{json}");
    assert_eq!(site["reviews"][0]["comment"], "great now");
    let resume = offline(&["portfolio", "--format", "json-resume"]);
    assert!(resume.contains("Peer reviews: 1 (mean 5.0/5)"), "{resume}");
    // Leaving the cohort takes its reviews out of the cache and the portfolio.
    alice.run(W1, &["cohort", "leave", "evenings"]).ok();
    let cached: i64 = alice.env.sql().query_row("SELECT count(*) FROM review_cache", [], |r| r.get(0)).unwrap();
    assert_eq!(cached, 0);
    let md = offline(&["portfolio"]);
    assert!(!md.contains("Peer reviews"), "{md}");
}

#[test]
fn shares_invites_and_leaving() {
    let Some((pg, admin)) = setup() else { return };
    let alice = learner(&pg, &admin, "alice");
    let bob = learner(&pg, &admin, "bob");
    let carol = learner(&pg, &admin, "carol");
    alice.run(W3, &["cohort", "create", "evenings", "--as", "Alice"]).ok();
    alice.run(W3, &["cohort", "invite", "evenings", "--expires", "soon"]).fails(2);
    alice.run(W3, &["cohort", "invite", "evenings", "--uses", "0"]).fails(2);
    let code = alice.run(W3, &["--json", "cohort", "invite", "evenings", "--uses", "2", "--expires", "2h"]).ok().json()
        ["code"]
        .as_str()
        .unwrap()
        .to_string();
    bob.run(W3, &["cohort", "join", &code, "--as", "Bob"]).ok();
    carol.run(W3, &["cohort", "join", &code, "--as", "Carol"]).ok();
    let rows = |who: &str| -> i64 {
        pg.admin()
            .query_one("SELECT count(*) FROM learnlog.published WHERE member = $1::text::name", &[&pg.role(who)])
            .unwrap()
            .get(0)
    };
    bob.run(W3, &["add", "course", "Go"]).ok();
    bob.run(W3, &["checkin", "go", "30m"]).ok();
    // A board without a share publishes nothing.
    bob.run(W3, &["cohort", "board", "evenings"]).ok();
    assert_eq!(rows("bob"), 0);
    bob.run(W3, &["cohort", "share", "evenings", "go"]).ok();
    assert_eq!(rows("bob"), 1);
    bob.run(W3, &["add", "course", "Rust"]).ok();
    bob.run(W3, &["cohort", "unshare", "evenings", "rust"]).fails(2);
    // `unshare all` stops every share.
    bob.run(W3, &["cohort", "unshare", "evenings", "all"]).ok();
    assert_eq!(rows("bob"), 0);
    bob.run(W3, &["cohort", "board", "evenings"]).ok();
    assert_eq!(rows("bob"), 0, "an unshared target is not published again");
    // A pledge stays on the server for its referee, but leaves the board
    // once it is no longer shared.
    alice.run(W3, &["add", "course", "ML", "--slug", "ml"]).ok();
    alice.run(W3, &["pledge", "ml", "2h/week"]).ok();
    alice.run(W3, &["add", "course", "Art", "--slug", "art"]).ok();
    alice.run(W3, &["cohort", "share", "evenings", "ml"]).ok();
    alice.run(W3, &["cohort", "share", "evenings", "art"]).ok();
    let pledges = |l: &Learner| {
        let b = l.run(W3, &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
        member(&b, "Alice")["pledges"].as_array().unwrap().len()
    };
    assert_eq!(pledges(&bob), 1);
    alice.run(W3, &["cohort", "unshare", "evenings", "ml"]).ok();
    assert_eq!(pledges(&bob), 0);
    // Leaving withdraws what one published, and the cohort is gone for them.
    carol.run(W3, &["cohort", "share", "evenings", "all"]).ok();
    assert_eq!(rows("carol"), 1);
    carol.run(W3, &["cohort", "leave", "evenings"]).ok();
    assert_eq!(rows("carol"), 0);
    carol.run(W3, &["cohort", "board", "evenings", "--offline"]).fails(2);
    // Without a server in the config, a cohort command says how to set one.
    let lone = TestEnv::new();
    let run = lone.run(&["cohort", "board"]).fails(2);
    assert!(run.stderr.contains("learnlog sync setup"), "{}", run.stderr);
}

#[test]
fn sync_publishes_what_is_shared() {
    let Some((pg, admin)) = setup() else { return };
    let alice = learner(&pg, &admin, "alice");
    let bob = learner(&pg, &admin, "bob");
    alice.run(W3, &["cohort", "create", "evenings", "--as", "Alice"]).ok();
    let code = invite(&alice, W3, "evenings");
    bob.run(W3, &["cohort", "join", &code, "--as", "Bob"]).ok();
    bob.run(W3, &["add", "course", "Go", "--slug", "go"]).ok();
    bob.run(W3, &["cohort", "share", "evenings", "go"]).ok();
    let config = std::fs::read_to_string(bob.env.config_path()).unwrap();
    let url = config.split('"').nth(1).unwrap().to_string();
    bob.run(W3, &["sync", "setup", &url, "-q"]).ok();
    bob.run(W3, &["checkin", "go", "45m", "-q"]).ok();
    let before = alice.run(W3, &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
    assert_eq!(member(&before, "Bob")["week"]["minutes"], 0, "not published before a sync");
    let setup = bob.run(W3, &["sync"]).ok();
    let after = alice.run(W3, &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
    assert_eq!(member(&after, "Bob")["week"]["minutes"], 45, "sync published the check-in");
    // Bob's second device checks in and syncs; his first device's board
    // syncs before it publishes, so the week it publishes holds both.
    let key = bob.env.db_path().with_extension("sync-key");
    let key = std::fs::read_to_string(key).unwrap().trim().to_string();
    let mut laptop = TestEnv::new();
    laptop.extra_env = bob.env.extra_env.clone();
    laptop.run_at(W3, &["sync", "setup", &url, "--key", &key, "-q"]).ok();
    laptop.run_at(W3, &["sync", "-q"]).ok();
    laptop.run_at(W3, &["checkin", "go", "30m", "-q"]).ok();
    laptop.run_at(W3, &["sync", "-q"]).ok();
    bob.run(W3, &["cohort", "board", "evenings"]).ok();
    let board = alice.run(W3, &["--json", "cohort", "board", "evenings", "--offline"]).ok().json();
    assert_eq!(member(&board, "Bob")["week"]["minutes"], 75, "the board did not sync first: {setup:?}");
}

#[test]
fn a_raise_that_cancels_a_pending_easing_reaches_the_server() {
    let Some((pg, admin)) = setup() else { return };
    let alice = learner(&pg, &admin, "alice");
    let today = chrono::Utc::now().date_naive();
    let now = today.format("%Y-%m-%dT12:00:00Z").to_string();
    alice.run(&now, &["cohort", "create", "evenings", "--as", "Alice"]).ok();
    alice.run(&now, &["add", "course", "ML", "--slug", "ml"]).ok();
    alice.run(&now, &["pledge", "ml", "2h/week"]).ok();
    alice.run(&now, &["cohort", "share", "evenings", "ml"]).ok();
    // An easing waits out the horizon; the server holds it as version 2.
    alice.run(&now, &["pledge", "ml", "30m/week"]).ok();
    alice.run(&now, &["cohort", "board", "evenings"]).ok();
    // A raise cancels the easing before it took effect: no local rate is
    // left of it, yet the server must hear of the raise.
    alice.run(&now, &["pledge", "ml", "3h/week"]).ok();
    alice.run(&now, &["cohort", "board", "evenings"]).ok();
    let versions = || -> Vec<(i32, f64)> {
        pg.admin()
            .query("SELECT version, amount::float8 FROM learnlog.pledges ORDER BY version", &[])
            .unwrap()
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect()
    };
    let held = versions();
    assert_eq!(held.last().map(|v| v.1), Some(180.0), "{held:?}");
    // Nothing new: nothing published again.
    alice.run(&now, &["cohort", "board", "evenings"]).ok();
    assert_eq!(versions(), held);
}
