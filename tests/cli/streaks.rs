//! Streaks end to end: studied days, rest days declared in
//! advance and weekly rest days, freezes earned and used, min_minutes, the
//! longest run, weekly streaks, and the streak of one course.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};

use crate::common::TestEnv;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// Check-ins of `minutes` on every day from `from` to `to`, inclusive.
fn study(env: &TestEnv, from: &str, to: &str, minutes: &str) {
    let mut d = day(from);
    while d <= day(to) {
        env.checkin_on(&d.to_string(), &[minutes, "-q"]);
        d += Duration::days(1);
    }
}

fn streak(env: &TestEnv) -> Value {
    env.run(&["streak", "--json"]).ok().json()
}

/// current, longest, today_studied, freezes_held, frozen_days
fn daily(s: &Value) -> (i64, i64, bool, i64, i64) {
    let d = &s["daily"];
    (
        d["current"].as_i64().unwrap(),
        d["longest"].as_i64().unwrap(),
        d["today_studied"].as_bool().unwrap(),
        d["freezes_held"].as_i64().unwrap(),
        d["frozen_days"].as_i64().unwrap(),
    )
}

#[test]
fn freezes_are_earned_every_seventh_day_and_cover_missed_days() {
    let env = TestEnv::new();
    // A 20-day run earns two freezes (days 7 and 14); they cover 10-21 and
    // 10-22; 10-23 breaks the run.
    study(&env, "2026-10-01", "2026-10-20", "30m");
    let s = env.run_at("2026-10-22T12:00:00Z", &["streak", "--json"]).ok().json();
    assert_eq!(daily(&s), (20, 20, false, 1, 1), "10-21 used one freeze");
    // Seven days earn one freeze; 11-16 uses it; six more days follow.
    study(&env, "2026-11-09", "2026-11-15", "30m");
    study(&env, "2026-11-17", "2026-11-22", "30m");
    let s = streak(&env);
    assert_eq!(daily(&s), (13, 20, false, 0, 1));
    assert_eq!((&s["studied_days"], &s["total_minutes"]), (&json!(33), &json!(990)));
    // Weeks with a studied day (no pledges): 09-28 to 10-19, then 11-09 and 11-16.
    assert_eq!(s["weekly"], json!({"current": 2, "longest": 4}));
    insta::assert_snapshot!("streak_at_stake", env.run(&["streak"]).ok().stdout);
    // Studying today: the 14th day of the run earns a freeze, and the week counts.
    env.run(&["checkin", "30m", "-q"]).ok();
    let s = streak(&env);
    assert_eq!(daily(&s), (14, 20, true, 1, 1));
    assert_eq!(s["weekly"], json!({"current": 3, "longest": 4}));
    insta::assert_snapshot!("streak_studied", env.run(&["streak"]).ok().stdout);
}

#[test]
fn freezes_beyond_the_maximum_are_lost_and_the_maximum_is_configurable() {
    let env = TestEnv::new();
    study(&env, "2026-10-26", "2026-11-22", "30m");
    assert_eq!(daily(&streak(&env)), (28, 28, false, 2, 0), "4 earned, 2 held at most");
    env.write_config("[streak]\nmax_freezes = 3\nfreeze_every = 5\n");
    assert_eq!(daily(&streak(&env)), (28, 28, false, 3, 0));
    env.write_config("[streak]\nmax_freezes = 0\n");
    let s = env.run_at("2026-11-25T12:00:00Z", &["streak", "--json"]).ok().json();
    assert_eq!(daily(&s), (0, 28, false, 0, 0), "11-23 missed without a freeze breaks the run");
}

#[test]
fn rest_days_declared_in_advance_keep_the_streak_without_adding() {
    let env = TestEnv::new();
    env.run_at("2026-11-20T19:00:00Z", &["checkin", "30m", "-q"]).ok();
    // Declared on Friday for Saturday.
    let run = env.run_at("2026-11-20T19:00:00Z", &["rest", "tomorrow", "--reason", "family"]).ok();
    assert_eq!(run.stdout, "Rest declared for 2026-11-21: it neither counts nor breaks your streak.\n");
    env.run_at("2026-11-22T19:00:00Z", &["checkin", "30m", "-q"]).ok();
    assert_eq!(daily(&streak(&env)), (2, 2, false, 0, 0));
    // Forgiveness is not retroactive: Thursday cannot become a rest day now.
    let run = env.refused(&["rest", "2026-11-19"], 2);
    assert!(
        run.stderr.starts_with("error: 2026-11-19 is in the past; rest days are declared in advance\n"),
        "{}",
        run.stderr
    );
    // Today cannot be declared as rest any more; declared yesterday for today,
    // it keeps the streak alive tomorrow.
    env.refused(&["rest", "today"], 2);
    env.run_at("2026-11-22T19:00:00Z", &["rest", "2026-11-23", "-q"]).ok();
    let s = env.run_at("2026-11-24T19:00:00Z", &["streak", "--json"]).ok().json();
    assert_eq!(daily(&s), (2, 2, false, 0, 0));
    // Studying on a rest day makes it a studied day.
    env.checkin_on("2026-11-21", &["20m", "-q"]);
    let s = env.run_at("2026-11-24T19:00:00Z", &["streak", "--json"]).ok().json();
    assert_eq!(daily(&s), (3, 3, false, 0, 0));
    assert_eq!(s["studied_days"], 3);
}

#[test]
fn rest_weekdays_from_the_config() {
    let env = TestEnv::new();
    study(&env, "2026-11-09", "2026-11-13", "30m");
    study(&env, "2026-11-16", "2026-11-20", "30m");
    // Without rest weekdays the first weekend breaks the run (no freeze
    // yet), and the second one too (only 5 studied days since).
    assert_eq!(daily(&streak(&env)), (0, 5, false, 0, 0));
    env.write_config("[streak]\nrest_weekdays = [\"saturday\", \"sunday\"]\n");
    assert_eq!(daily(&streak(&env)), (10, 10, false, 1, 0));
    // A weekend day studied counts.
    env.checkin_on("2026-11-21", &["30m", "-q"]);
    assert_eq!(daily(&streak(&env)), (11, 11, false, 1, 0));
    // The status line agrees.
    let status = env.run(&["status", "--json"]).ok().json();
    assert_eq!(status["streak"]["daily"]["current"], 11);
}

#[test]
fn min_minutes_decides_what_a_studied_day_is() {
    let env = TestEnv::new();
    env.checkin_on("2026-11-20", &["10m", "-q"]);
    env.checkin_on("2026-11-20", &["15m", "-q"]);
    env.checkin_on("2026-11-21", &["10m", "-q"]);
    env.checkin_on("2026-11-22", &["30m", "-q"]);
    let s = streak(&env);
    assert_eq!(daily(&s), (3, 3, false, 0, 0));
    env.write_config("[streak]\nmin_minutes = 20\n");
    let s = streak(&env);
    // 11-20 totals 25m and counts; 11-21 (10m) does not, and breaks the run.
    assert_eq!(daily(&s), (1, 1, false, 0, 0));
    assert_eq!((&s["studied_days"], &s["total_minutes"]), (&json!(2), &json!(65)));
    // Today: 15m is not yet a studied day; 5m more makes it one.
    env.run(&["checkin", "15m", "-q"]).ok();
    assert_eq!(daily(&streak(&env)), (1, 1, false, 0, 0));
    assert_eq!(
        env.run(&["status", "--json"]).ok().json()["today"],
        json!({"date": "2026-11-23", "minutes": 15, "studied": false})
    );
    env.run(&["checkin", "5m", "-q"]).ok();
    assert_eq!(daily(&streak(&env)), (2, 2, true, 0, 0));
}

#[test]
fn the_streak_of_one_course() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "-q"]).ok();
    env.checkin_on("2026-11-20", &["ml", "30m", "-q"]);
    env.checkin_on("2026-11-21", &["45m", "-q"]);
    env.checkin_on("2026-11-22", &["ml", "1h", "-q"]);
    let all = streak(&env);
    assert_eq!(daily(&all), (3, 3, false, 0, 0));
    let ml = env.run(&["streak", "ml", "--json"]).ok().json();
    assert_eq!(ml["target"], "ml");
    assert_eq!(daily(&ml), (1, 1, false, 0, 0));
    assert_eq!((&ml["studied_days"], &ml["total_minutes"]), (&json!(2), &json!(90)));
    insta::assert_snapshot!("streak_ref", env.run(&["streak", "ml"]).ok().stdout);
}

#[test]
fn streak_json_has_the_keys_of_the_contract() {
    let env = TestEnv::new();
    let empty = streak(&env);
    assert_eq!(
        empty,
        json!({
            "daily": {"current": 0, "longest": 0, "today_studied": false, "freezes_held": 0, "frozen_days": 0},
            "weekly": {"current": 0, "longest": 0},
            "studied_days": 0,
            "total_minutes": 0,
        })
    );
    assert!(!env.db_path().exists());
}
