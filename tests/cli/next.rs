//! `learnlog next`: every rule of the mentor, through the real binary.

use serde_json::{Value, json};

use crate::common::TestEnv;

/// Friday of the pinned week.
const FRIDAY: &str = "2026-11-27T19:30:00Z";
/// Tuesday after the pinned Monday.
const TUESDAY: &str = "2026-11-24T19:30:00Z";

fn item(rank: i64, kind: &str, action: &str, reason: &str) -> Value {
    json!({"rank": rank, "kind": kind, "action": action, "reason": reason})
}

#[test]
fn nothing_to_suggest() {
    let env = TestEnv::new();
    env.run(&["init", "-q"]).ok();
    let wednesday = "2026-11-25T19:30:00Z";
    insta::assert_snapshot!(env.run_at(wednesday, &["next"]).ok().transcript());
    assert_eq!(env.run_at(wednesday, &["next", "--json"]).ok().json(), json!([]));
}

#[test]
fn pledges_behind() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "-q"]).ok();
    env.run(&["add", "project", "Bird classifier", "--slug", "birds", "-q"]).ok();
    env.run(&["pledge", "ml", "5h/week", "-q"]).ok();
    env.run(&["pledge", "all", "30m/day", "-q"]).ok();
    env.run(&["pledge", "birds", "3d/week", "--stake", "$5 to charity", "-q"]).ok();
    for (duration, day) in [("1h", "2026-11-23"), ("40m", "2026-11-24"), ("30m", "2026-11-25"), ("30m", "2026-11-26")] {
        env.run_at(FRIDAY, &["checkin", "ml", duration, "--date", day, "-q"]).ok();
    }
    assert_eq!(
        env.run_at(FRIDAY, &["next", "--json"]).ok().json(),
        json!([
            item(1, "pledge", "30m of study", "pledge all 30m/day: 30m left, 1 day left"),
            item(2, "pledge", "30m on birds", "pledge 3d/week: 3 study days left, 3 days left"),
            item(3, "pledge", "50m on ml", "pledge 5h/week: 2h20 left, 3 days left"),
        ])
    );
    insta::assert_snapshot!(env.run_at(FRIDAY, &["next"]).ok().transcript());
    // A study day on birds today: the d/week pledge has nothing more to ask of today.
    env.run_at(FRIDAY, &["checkin", "birds", "30m", "-q"]).ok();
    let list = env.run_at(FRIDAY, &["next", "--json"]).ok().json();
    assert_eq!(list, json!([item(1, "pledge", "50m on ml", "pledge 5h/week: 2h20 left, 3 days left")]));
}

#[test]
fn units_pledge() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "--slug", "rust-book", "--units", "20", "-q"]).ok();
    env.run(&["pledge", "rust-book", "3u/week", "-q"]).ok();
    let list = env.run_at(FRIDAY, &["next", "--json"]).ok().json();
    assert_eq!(list, json!([item(1, "pledge", "1 unit of rust-book", "pledge 3u/week: 3 units left, 3 days left")]));
}

#[test]
fn courses_behind_short_of_buffer_due_soon_or_past_deadline() {
    let env = TestEnv::new();
    let add = |args: &[&str]| env.run(&[&["add", "course"], args, &["-q"]].concat()).ok();
    add(&["Rust Book", "--slug", "rust-book", "--units", "10", "--start", "2026-10-01", "--deadline", "2027-01-31"]);
    add(&[
        "Machine Learning",
        "--slug",
        "ml",
        "--units",
        "10",
        "--unit-name",
        "module",
        "--start",
        "2026-11-01",
        "--deadline",
        "2026-12-31",
    ]);
    add(&["Go Tour", "--slug", "go", "--deadline", "2026-12-01"]);
    add(&["Old Course", "--slug", "old", "--units", "8", "--start", "2026-09-01", "--deadline", "2026-11-20"]);
    env.run(&["progress", "rust-book", "1", "-q"]).ok();
    env.run(&["progress", "ml", "4", "-q"]).ok();
    env.run(&["progress", "old", "3", "-q"]).ok();
    let status = env.run_at(TUESDAY, &["status", "--json"]).ok().json();
    let buffer = |slug: &str| {
        status["at_risk"].as_array().unwrap().iter().find(|a| a["ref"] == slug).map(|a| a["buffer_days"].clone())
    };
    assert_eq!(buffer("rust-book"), Some(json!(-42)), "{status}");
    let list = env.run_at(TUESDAY, &["next", "--json"]).ok().json();
    let kinds: Vec<&str> = list.as_array().unwrap().iter().map(|s| s["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["behind", "behind", "deadline", "buffer"], "{list:#}");
    assert_eq!(
        list[0],
        item(
            1,
            "behind",
            "set a new deadline for old or drop it",
            "its deadline 2026-11-20 has passed with 3 of 8 units done"
        )
    );
    assert_eq!(list[1], item(2, "behind", "1 unit of rust-book", "behind the road by 42 days"));
    assert_eq!(list[3], item(4, "buffer", "1 module of ml", "only 1 day of buffer left"));
    assert_eq!(list[2]["action"], "30m on go");
    assert!(list[2]["reason"].as_str().unwrap().ends_with("deadline in 7 days"), "{list:#}");
    insta::assert_snapshot!(env.run_at(TUESDAY, &["next"]).ok().transcript());
}

#[test]
fn welcome_back_after_a_broken_streak() {
    let env = TestEnv::new();
    for day in ["2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21"] {
        env.run(&["checkin", "25m", "--date", day, "-q"]).ok();
    }
    let list = env.run_at(TUESDAY, &["next", "--json"]).ok().json();
    assert_eq!(list, json!([item(1, "comeback", "start a new streak today", "your streak broke on Sun 2026-11-22")]));
    insta::assert_snapshot!(env.run_at(TUESDAY, &["next"]).ok().transcript());
    // Once back, or long after, there is no welcome.
    assert_eq!(env.run_at("2026-11-26T19:30:00Z", &["next", "--json"]).ok().json(), json!([]));
    env.run_at(TUESDAY, &["checkin", "10m", "-q"]).ok();
    assert_eq!(env.run_at(TUESDAY, &["next", "--json"]).ok().json(), json!([]));
}

#[test]
fn stalled_project_and_ship_something() {
    let env = TestEnv::new();
    let october = "2026-10-01T12:00:00Z";
    env.run_at(october, &["add", "course", "Machine Learning", "--slug", "ml", "-q"]).ok();
    env.run_at(october, &["add", "course", "Statistics", "--slug", "stats", "-q"]).ok();
    env.run_at(october, &["add", "project", "Bird classifier", "--slug", "birds", "--course", "ml", "-q"]).ok();
    env.run(&["checkin", "birds", "1h", "--date", "2026-11-02", "-q"]).ok();
    env.run(&["done", "ml", "--date", "2026-11-10", "-q"]).ok();
    env.run(&["done", "stats", "--date", "2026-11-15", "-q"]).ok();
    let list = env.run_at(TUESDAY, &["next", "--json"]).ok().json();
    assert_eq!(
        list,
        json!([
            item(1, "project", "30m on birds", "no session in 22 days"),
            item(2, "ship", "ship birds", "2 credentials, 0 projects shipped"),
        ])
    );
    insta::assert_snapshot!(env.run_at(TUESDAY, &["next"]).ok().transcript());
    // With no project under way: start one that applies the latest course no project applies.
    env.run(&["drop", "birds", "-q"]).ok();
    let list = env.run_at(TUESDAY, &["next", "--json"]).ok().json();
    assert_eq!(
        list,
        json!([item(1, "ship", "start a project that applies stats", "2 credentials, 0 projects shipped")])
    );
    insta::assert_snapshot!("start_a_project", env.run_at(TUESDAY, &["next"]).ok().transcript());
}

#[test]
fn a_new_week_or_month_without_a_pledge() {
    let env = TestEnv::new();
    env.run(&["init", "-q"]).ok();
    // Monday 2026-11-23, the pinned day, with nothing logged.
    let list = env.run(&["next", "--json"]).ok().json();
    assert_eq!(
        list,
        json!([item(
            1,
            "new_pledge",
            "make a pledge: learnlog pledge all 30m/week",
            "a new week starts today and no pledge is in force"
        )])
    );
    insta::assert_snapshot!(env.run(&["next"]).ok().transcript());
    // Tuesday 2026-12-01 starts a month; the four weeks before averaged 1h15.
    env.run(&["checkin", "2h", "--date", "2026-11-10", "-q"]).ok();
    env.run(&["checkin", "3h", "--date", "2026-11-20", "-q"]).ok();
    let december = "2026-12-01T19:30:00Z";
    let list = env.run_at(december, &["next", "--json"]).ok().json();
    assert_eq!(
        list,
        json!([item(
            1,
            "new_pledge",
            "make a pledge: learnlog pledge all 1h/week",
            "a new month starts today and no pledge is in force; you averaged 1h15 a week over the last 4 weeks"
        )])
    );
    // A pledge in force: no suggestion to make one.
    env.run(&["pledge", "all", "1h/week", "-q"]).ok();
    env.run_at(december, &["checkin", "1h", "-q"]).ok();
    assert_eq!(env.run_at(december, &["next", "--json"]).ok().json(), json!([]));
}

#[test]
fn ascii_without_utf8() {
    let mut env = TestEnv::new();
    env.extra_env.push(("LANG".into(), "C".into()));
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "-q"]).ok();
    env.run(&["add", "course", "Statistics", "--slug", "stats", "-q"]).ok();
    env.run(&["done", "ml", "-q"]).ok();
    env.run(&["done", "stats", "-q"]).ok();
    let run = env.run_at(TUESDAY, &["next"]).ok();
    assert!(run.stdout.is_ascii(), "{}", run.stdout);
    insta::assert_snapshot!(run.transcript());
}
