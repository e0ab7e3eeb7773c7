//! Commitments hold: no command gets a learner out of a pledge
//! sooner than its horizon — not `rest`, `rm`, `done`, `drop`, `pause`,
//! `--from`, a late backfill, an edit, an import, or a config change.
//!
//! Mondays of November 2026: 2, 9, 16, 23. With the default grace of one
//! day, the week of Nov 2 closes at the end of Monday Nov 9.

use serde_json::Value;

use crate::common::TestEnv;

fn env_with_course() -> TestEnv {
    let env = TestEnv::new();
    env.run_at("2026-11-02T08:00:00Z", &["add", "course", "Machine Learning", "--slug", "ml", "-q"]).ok();
    env
}

/// A check-in logged on its own study day, in the evening.
fn on_the_day(env: &TestEnv, day: &str, args: &[&str]) {
    let mut all = vec!["checkin", "--date", day, "-q"];
    all.extend_from_slice(args);
    env.run_at(&format!("{day}T20:00:00Z"), &all).ok();
}

/// A check-in for `day` logged later, at `now`.
fn backfill(env: &TestEnv, now: &str, day: &str, args: &[&str]) {
    let mut all = vec!["checkin", "--date", day, "-q"];
    all.extend_from_slice(args);
    env.run_at(now, &all).ok();
}

/// (start, done, verdict) of the first pledge's periods in [from, to], judged at `now`.
fn periods(env: &TestEnv, now: &str, from: &str, to: &str) -> Vec<(String, i64, String)> {
    let report = env.run_at(now, &["report", "--from", from, "--to", to, "--json"]).ok().json();
    report["pledges"][0]["periods"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    let text = |k: &str| p[k].as_str().unwrap().to_string();
                    (text("start"), p["done"].as_i64().unwrap(), text("verdict"))
                })
                .collect()
        })
        .unwrap_or_default()
}

fn p(start: &str, done: i64, verdict: &str) -> (String, i64, String) {
    (start.to_string(), done, verdict.to_string())
}

/// Period starts of the debts, owed or settled, as seen at `now`.
fn debts(env: &TestEnv, now: &str) -> Vec<String> {
    let all = env.run_at(now, &["list", "debts", "--all", "--json"]).ok().json();
    all.as_array().unwrap().iter().map(|d| d["period_start"].as_str().unwrap().to_string()).collect()
}

/// The same, for periods starting up to `last` (later weeks with nothing logged owe too).
fn debts_until(env: &TestEnv, now: &str, last: &str) -> Vec<String> {
    debts(env, now).into_iter().filter(|start| start.as_str() <= last).collect()
}

#[test]
fn rest_today_is_refused_and_a_late_rest_day_does_not_excuse_a_pledge() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "30m/day"]).ok();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "all", "4d/week"]).ok();
    // Declared 10 days ahead: excuses both pledges on Nov 12.
    let early = env.run_at("2026-11-02T09:00:00Z", &["rest", "2026-11-12"]).ok();
    assert!(!early.stdout.contains("still count"), "{}", early.stdout);
    // Today is refused, and so is the past.
    let before = env.db_bytes();
    env.run_at("2026-11-09T09:00:00Z", &["rest", "today"]).fails(2);
    env.run_at("2026-11-09T09:00:00Z", &["rest", "2026-11-08"]).fails(2);
    assert!(before == env.db_bytes(), "a refused rest changed the database");
    // Tomorrow is allowed, but it only protects the streak: the pledges still count.
    let late = env.run_at("2026-11-09T09:00:00Z", &["rest", "tomorrow"]).ok();
    assert!(late.stdout.contains("Pledges still count that day: #1 on ml"), "{}", late.stdout);
    assert!(late.stdout.contains("#2 on all"), "{}", late.stdout);
    for day in ["2026-11-09", "2026-11-11", "2026-11-13", "2026-11-14", "2026-11-15"] {
        on_the_day(&env, day, &["ml", "30m"]);
    }
    let days = periods(&env, "2026-11-17T09:00:00Z", "2026-11-09", "2026-11-15");
    // Nov 10 (declared a day ahead) is judged and missed; Nov 12 is not judged.
    assert_eq!(
        days,
        [
            p("2026-11-09", 30, "kept"),
            p("2026-11-10", 0, "missed"),
            p("2026-11-11", 30, "kept"),
            p("2026-11-13", 30, "kept"),
            p("2026-11-14", 30, "kept"),
            p("2026-11-15", 30, "kept"),
        ]
    );
    // The week pledge: only the early rest day lowers 4 days to 3.
    let report =
        env.run_at("2026-11-17T09:00:00Z", &["report", "--from", "2026-11-09", "--to", "2026-11-15", "--json"]);
    let week = &report.ok().json()["pledges"][1]["periods"][0];
    assert_eq!((week["target"].as_i64(), week["done"].as_i64()), (Some(3), Some(5)));
    // The late rest day still keeps the streak alive.
    let streak = env.run_at("2026-11-17T09:00:00Z", &["streak", "--json"]).ok().json();
    assert_eq!(streak["daily"]["frozen_days"], 0, "{streak}");
}

#[test]
fn rm_is_refused_with_a_closed_period_or_a_debt_and_allowed_without() {
    let env = env_with_course();
    env.run_at("2026-11-02T08:00:00Z", &["add", "course", "Rust Book", "--slug", "rust", "-q"]).ok();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "2h/week", "--stake", "$10"]).ok();
    // Its first week has closed, missed, owing its stake: ml cannot be removed.
    let before = env.db_bytes();
    let refused = env.run_at("2026-11-11T09:00:00Z", &["rm", "ml", "--yes"]).fails(2);
    assert!(before == env.db_bytes(), "a refused rm changed the database");
    assert!(
        refused.stderr.contains("error: not deleting course ml: its pledge #1 has a stake owed"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("hint: `learnlog drop ml` records the decision honestly"), "{}", refused.stderr);
    // Settled, it still has a closed period: still refused.
    env.run_at("2026-11-11T09:00:00Z", &["settle", "1"]).ok();
    let refused = env.run_at("2026-11-11T09:00:00Z", &["rm", "ml", "--yes"]).fails(2);
    assert!(refused.stderr.contains("periods already judged"), "{}", refused.stderr);
    assert_eq!(env.count("settlements"), 1);
    // A pledge with no closed period goes with its record, and undo brings both back.
    env.run_at("2026-11-11T09:00:00Z", &["pledge", "rust", "1h/week"]).ok();
    env.run_at("2026-11-12T09:00:00Z", &["rm", "rust", "--yes"]).ok();
    assert_eq!(env.count("pledges"), 1);
    let undone = env.run_at("2026-11-12T09:00:00Z", &["undo"]).ok();
    assert!(undone.stdout.contains("rm"), "{}", undone.stdout);
    let list = env.run_at("2026-11-12T09:00:00Z", &["list", "pledges", "--json"]).ok().json();
    let targets: Vec<&str> = list.as_array().unwrap().iter().map(|p| p["target"].as_str().unwrap()).collect();
    assert_eq!(targets, ["ml", "rust"]);
    // The restored pledge kept its terms: ending it still waits the horizon.
    env.write_config("horizon_days = 0\n");
    let end = env.run_at("2026-11-12T09:00:00Z", &["pledge", "end", "2"]).ok();
    assert!(end.stdout.contains("before 2026-11-23"), "{}", end.stdout);
}

#[test]
fn done_ends_the_pledge_with_the_period_holding_the_day_and_keeps_it() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "5h/week", "--stake", "$10"]).ok();
    on_the_day(&env, "2026-11-03", &["ml", "5h"]);
    on_the_day(&env, "2026-11-10", &["ml", "1h"]);
    let done = env.run_at("2026-11-11T09:00:00Z", &["done", "ml"]).ok();
    assert!(done.stdout.contains("Pledge #1 ends with its period 2026-11-09..2026-11-15, kept"), "{}", done.stdout);
    let all = periods(&env, "2026-11-30T09:00:00Z", "2026-11-02", "2026-11-29");
    assert_eq!(all, [p("2026-11-02", 300, "kept"), p("2026-11-09", 60, "kept")]);
    assert!(debts(&env, "2026-11-30T09:00:00Z").is_empty());
    let list = env.run_at("2026-11-30T09:00:00Z", &["list", "pledges", "--all", "--json"]).ok().json();
    assert_eq!(list[0]["status"], "ended");
    // A period that had closed keeps its verdict: done on a past date never erases a debt.
    let other = env_with_course();
    other.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "5h/week", "--stake", "$10"]).ok();
    let late = other.run_at("2026-11-11T09:00:00Z", &["done", "ml", "--date", "2026-11-04"]).ok();
    assert!(late.stdout.contains("closed already"), "{}", late.stdout);
    assert_eq!(periods(&other, "2026-11-30T09:00:00Z", "2026-11-02", "2026-11-29"), [p("2026-11-02", 0, "missed")]);
    assert_eq!(debts(&other, "2026-11-30T09:00:00Z"), ["2026-11-02"]);
}

#[test]
fn drop_and_pause_end_a_pledge_only_after_its_horizon() {
    let env = env_with_course();
    env.run_at("2026-11-02T08:00:00Z", &["add", "course", "Rust Book", "--slug", "rust", "-q"]).ok();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "2h/week", "--stake", "$10"]).ok();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "rust", "30m/day"]).ok();
    on_the_day(&env, "2026-11-03", &["ml", "2h"]);
    // Wednesday Nov 11 + 7 days = Nov 18: the first week starting after it is Nov 23.
    let dropped = env.run_at("2026-11-11T09:00:00Z", &["drop", "ml", "--reason", "no time"]).ok();
    assert!(dropped.stdout.contains("Pledge #1 on ml still holds until 2026-11-22"), "{}", dropped.stdout);
    let paused = env.run_at("2026-11-11T09:00:00Z", &["pause", "rust"]).ok();
    assert!(paused.stdout.contains("Pledge #2 on rust still holds until 2026-11-17"), "{}", paused.stdout);
    // The weeks before the horizon are still judged: a dropped course's pledge can be missed.
    let weeks = periods(&env, "2026-11-30T09:00:00Z", "2026-11-02", "2026-11-29");
    assert_eq!(weeks, [p("2026-11-02", 120, "kept"), p("2026-11-09", 0, "missed"), p("2026-11-16", 0, "missed")]);
    assert_eq!(debts(&env, "2026-11-30T09:00:00Z"), ["2026-11-09", "2026-11-16"]);
    let report =
        env.run_at("2026-11-30T09:00:00Z", &["report", "--from", "2026-11-16", "--to", "2026-11-22", "--json"]);
    let days = report.ok().json()["pledges"][1]["periods"].as_array().unwrap().len();
    assert_eq!(days, 2, "rust's daily pledge holds through Nov 17");
}

#[test]
fn from_in_the_past_is_refused_and_a_future_pledge_is_scheduled() {
    let env = env_with_course();
    for from in ["-2w", "2026-11-15", "last fri"] {
        let before = env.db_bytes();
        let run = env.run(&["pledge", "ml", "2h/week", "--from", from]).fails(2);
        assert!(run.stderr.contains("before the current period: a pledge never judges the past"), "{}", run.stderr);
        assert!(before == env.db_bytes());
    }
    // The start of the current week is fine (the default snaps there too).
    env.run(&["pledge", "all", "1h/week", "--from", "2026-11-23"]).ok();
    let made = env.run(&["pledge", "ml", "2h/week", "--from", "2026-12-02"]).ok();
    assert!(made.stdout.contains("from 2026-11-30 (scheduled)"), "{}", made.stdout);
    let status = env.run(&["status", "--json"]).ok().json();
    let ml = &status["pledges"][1];
    assert_eq!((ml["verdict"].as_str(), ml["period_start"].as_str()), (Some("scheduled"), Some("2026-11-30")));
    let status = env.run(&["status"]).ok();
    assert!(status.stdout.contains("scheduled from 2026-11-30"), "{}", status.stdout);
    let list = env.run(&["list", "pledges", "--json"]).ok().json();
    assert_eq!(list[1]["status"], "scheduled");
    assert_eq!(list[1]["current"]["verdict"], "scheduled");
    let table = env.run(&["list", "pledges"]).ok();
    assert!(table.stdout.contains("scheduled from 2026-11-30"), "{}", table.stdout);
    let report = env.run(&["report", "--json"]).ok().json();
    assert_eq!(report["pledges"][1]["periods"][0]["verdict"], "scheduled");
    assert_eq!(report["pledges"][1]["periods"][0]["start"], "2026-11-30");
    // Once its week starts, it is judged.
    let later = env.run_at("2026-12-01T09:00:00Z", &["status", "--json"]).ok().json();
    assert_eq!(later["pledges"][1]["verdict"], "behind");
}

#[test]
fn a_backfill_after_the_close_never_turns_missed_into_kept() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "2h/week", "--stake", "$10"]).ok();
    // Week of Nov 2: made up on the grace day (Monday Nov 9), it counts.
    backfill(&env, "2026-11-09T09:00:00Z", "2026-11-06", &["ml", "2h"]);
    // Week of Nov 9: backfilled on Nov 11 and Nov 17 (after the close), it does not.
    on_the_day(&env, "2026-11-10", &["ml", "1h"]);
    let missed = periods(&env, "2026-11-17T08:00:00Z", "2026-11-02", "2026-11-15");
    assert_eq!(missed, [p("2026-11-02", 120, "kept"), p("2026-11-09", 60, "missed")]);
    assert_eq!(debts(&env, "2026-11-17T08:00:00Z"), ["2026-11-09"]);
    backfill(&env, "2026-11-17T09:00:00Z", "2026-11-12", &["ml", "1h"]);
    // An import of a session recorded after the close counts no more (see below).
    for now in ["2026-11-17T10:00:00Z", "2026-11-30T09:00:00Z"] {
        let judged = periods(&env, now, "2026-11-02", "2026-11-15");
        assert_eq!(judged, [p("2026-11-02", 120, "kept"), p("2026-11-09", 60, "missed")], "at {now}");
        assert_eq!(debts_until(&env, now, "2026-11-09"), ["2026-11-09"]);
    }
    // It still counts as study time.
    let report =
        env.run_at("2026-11-30T09:00:00Z", &["report", "--from", "2026-11-09", "--to", "2026-11-15", "--json"]);
    let report = report.ok().json();
    assert_eq!(report["items"][0]["minutes"], 120, "{}", report["items"]);
    // The same verdict on another device that imports the export.
    let export = env.run_at("2026-11-30T09:00:00Z", &["export"]).ok().stdout;
    let other = TestEnv::new();
    other.run_stdin(&["import", "-"], &export).ok();
    let there = periods(&other, "2026-11-30T09:00:00Z", "2026-11-02", "2026-11-15");
    assert_eq!(there, [p("2026-11-02", 120, "kept"), p("2026-11-09", 60, "missed")]);
    assert_eq!(debts_until(&other, "2026-11-30T09:00:00Z", "2026-11-09"), ["2026-11-09"]);
}

#[test]
fn an_edit_after_the_close_never_raises_but_lowering_turns_kept_into_missed() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "2h/week", "--stake", "$10"]).ok();
    on_the_day(&env, "2026-11-03", &["ml", "1h"]); // session 1: week of Nov 2, missed
    on_the_day(&env, "2026-11-10", &["ml", "2h"]); // session 2: week of Nov 9, kept
    on_the_day(&env, "2026-11-17", &["ml", "45m"]); // session 3: week of Nov 16
    assert_eq!(debts(&env, "2026-11-11T09:00:00Z"), ["2026-11-02"]);
    // Raising session 1 after the close, or moving session 3 into that week, changes nothing.
    env.run_at("2026-11-18T09:00:00Z", &["edit", "session", "1", "--minutes", "3h"]).ok();
    env.run_at("2026-11-18T09:00:00Z", &["edit", "session", "3", "--date", "2026-11-04"]).ok();
    let weeks = periods(&env, "2026-11-18T10:00:00Z", "2026-11-02", "2026-11-15");
    assert_eq!(weeks, [p("2026-11-02", 60, "missed"), p("2026-11-09", 120, "kept")]);
    // Lowering the Nov 10 session (a mistake) turns its kept week into a missed
    // one, with a debt. Sessions are numbered by day: the session moved to
    // Nov 4 is #2 now, the Nov 10 one #3.
    env.run_at("2026-11-18T09:00:00Z", &["edit", "session", "3", "--minutes", "30m"]).ok();
    let weeks = periods(&env, "2026-11-18T10:00:00Z", "2026-11-02", "2026-11-15");
    assert_eq!(weeks, [p("2026-11-02", 60, "missed"), p("2026-11-09", 30, "missed")]);
    assert_eq!(debts(&env, "2026-11-18T10:00:00Z"), ["2026-11-02", "2026-11-09"]);
    // Raising it back does not restore what was lowered after the close.
    env.run_at("2026-11-19T09:00:00Z", &["edit", "session", "3", "--minutes", "2h"]).ok();
    assert_eq!(periods(&env, "2026-11-19T10:00:00Z", "2026-11-09", "2026-11-15"), [p("2026-11-09", 30, "missed")]);
    // Deleting a session lowers too.
    let other = env_with_course();
    other.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "1h/week"]).ok();
    on_the_day(&other, "2026-11-03", &["ml", "1h"]);
    assert_eq!(periods(&other, "2026-11-11T09:00:00Z", "2026-11-02", "2026-11-08"), [p("2026-11-02", 60, "kept")]);
    other.run_at("2026-11-11T09:00:00Z", &["rm", "session", "1", "--yes"]).ok();
    assert_eq!(periods(&other, "2026-11-11T09:00:00Z", "2026-11-02", "2026-11-08"), [p("2026-11-02", 0, "missed")]);
}

#[test]
fn an_import_that_would_raise_a_closed_period_does_not_change_its_verdict() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "2h/week", "--stake", "$10"]).ok();
    on_the_day(&env, "2026-11-03", &["ml", "1h"]);
    let other = TestEnv::new();
    other.run_stdin(&["import", "-"], &env.run_at("2026-11-04T09:00:00Z", &["export"]).ok().stdout).ok();
    // On the first device, after the close: the session raised, and a session backfilled.
    env.run_at("2026-11-18T09:00:00Z", &["edit", "session", "1", "--minutes", "3h"]).ok();
    backfill(&env, "2026-11-18T09:00:00Z", "2026-11-05", &["ml", "1h"]);
    let mut document: Value =
        serde_json::from_str(&env.run_at("2026-11-18T10:00:00Z", &["export"]).ok().stdout).unwrap();
    // A file that says nothing of the edit (older learnlog, hand-made) is judged the same way.
    for session in document["sessions"].as_array_mut().unwrap() {
        let session = session.as_object_mut().unwrap();
        session.remove("amended_at");
        session.remove("prior");
    }
    let run = other.run_stdin(&["import", "-"], &document.to_string()).ok();
    assert!(run.stdout.contains("1 added") && run.stdout.contains("1 updated"), "{}", run.stdout);
    for device in [&env, &other] {
        let week = periods(device, "2026-11-18T10:00:00Z", "2026-11-02", "2026-11-08");
        assert_eq!(week, [p("2026-11-02", 60, "missed")]);
        assert_eq!(debts_until(device, "2026-11-18T10:00:00Z", "2026-11-02"), ["2026-11-02"]);
    }
    // The amendment travels: export → import into an empty file → export is lossless.
    let first = env.run_at("2026-11-18T10:00:00Z", &["export"]).ok().stdout;
    assert!(first.contains("\"amended_at\": \"2026-11-18T09:00:00Z\""), "{first}");
    assert!(first.contains("\"prior\": {"), "{first}");
    let copy = TestEnv::new();
    copy.run_stdin(&["import", "-"], &first).ok();
    assert_eq!(copy.run_at("2026-11-18T10:00:00Z", &["export"]).ok().stdout, first);
    // Both still count every minute as study time.
    for device in [&env, &other] {
        let streak = device.run_at("2026-11-18T10:00:00Z", &["streak", "--json"]).ok().json();
        assert_eq!(streak["total_minutes"], 240);
    }
}

#[test]
fn config_changes_do_not_shorten_or_ease_an_existing_pledge() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "4d/week", "--stake", "$10"]).ok();
    for day in ["2026-11-02", "2026-11-03", "2026-11-04"] {
        on_the_day(&env, day, &["ml", "20m"]);
    }
    env.run_at("2026-11-10T09:00:00Z", &["config", "set", "horizon_days", "0"]).ok();
    env.run_at("2026-11-10T09:00:00Z", &["config", "set", "grace_days", "30"]).ok();
    env.run_at("2026-11-10T09:00:00Z", &["config", "set", "week_starts", "sunday"]).ok();
    env.run_at("2026-11-10T09:00:00Z", &["config", "set", "streak.min_minutes", "30"]).ok();
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    env.write_config(&config.replace("min_minutes = 30", "min_minutes = 30\nrest_weekdays = [\"thursday\"]"));
    assert_eq!(env.run(&["config", "get", "grace_days"]).ok().stdout, "30\n");
    // A late backfill still does not count (the pledge's grace is 1 day), the
    // week still starts on Monday, 20 minutes still make a study day, and
    // Thursday is no rest day for it.
    backfill(&env, "2026-11-10T09:00:00Z", "2026-11-06", &["ml", "20m"]);
    assert_eq!(periods(&env, "2026-11-10T09:00:00Z", "2026-11-02", "2026-11-08"), [p("2026-11-02", 3, "missed")]);
    // Ending it still waits the 7-day horizon of when it was made.
    let end = env.run_at("2026-11-11T09:00:00Z", &["pledge", "end", "1"]).ok();
    assert!(end.stdout.contains("before 2026-11-23"), "{}", end.stdout);
    // An easier rate waits too.
    let easier = env.run_at("2026-11-11T09:00:00Z", &["pledge", "ml", "1d/week"]).ok();
    assert!(easier.stdout.contains("from 2026-11-23"), "{}", easier.stdout);
    // A pledge made now takes the new settings.
    env.run_at("2026-11-11T09:00:00Z", &["pledge", "all", "1h/week"]).ok();
    let list = env.run_at("2026-11-11T09:00:00Z", &["list", "pledges", "--json"]).ok().json();
    assert_eq!(list[1]["from"], "2026-11-08", "a Sunday, the new week start");
}

#[test]
fn undo_of_a_settle_owes_the_debt_again_and_nothing_else_removes_it() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "2h/week", "--stake", "$10"]).ok();
    env.run_at("2026-11-11T09:00:00Z", &["settle", "1", "--note", "paid"]).ok();
    let owed = |now: &str| env.run_at(now, &["list", "debts", "--json"]).ok().json().as_array().unwrap().len();
    assert_eq!(owed("2026-11-11T09:00:00Z"), 0);
    // done, drop, rest, edit, config: none of them touches the settlement.
    env.run_at("2026-11-11T09:00:00Z", &["rest", "2026-11-20"]).ok();
    env.run_at("2026-11-11T09:00:00Z", &["config", "set", "grace_days", "0"]).ok();
    env.run_at("2026-11-11T09:00:00Z", &["done", "ml"]).ok();
    assert_eq!(env.count("settlements"), 1);
    assert_eq!(debts(&env, "2026-11-30T09:00:00Z"), ["2026-11-02"]);
    assert_eq!(periods(&env, "2026-11-30T09:00:00Z", "2026-11-02", "2026-11-29").len(), 2, "done ended it");
    // Undo reverses only the last command (done: the pledge holds again),
    // then the rest day, then the settle.
    env.run_at("2026-11-11T09:00:00Z", &["undo"]).ok();
    assert_eq!(env.count("settlements"), 1);
    assert_eq!(periods(&env, "2026-11-30T09:00:00Z", "2026-11-02", "2026-11-29").len(), 4);
    env.run_at("2026-11-11T09:00:00Z", &["undo"]).ok();
    assert_eq!(env.count("settlements"), 1);
    let undone = env.run_at("2026-11-11T09:00:00Z", &["undo"]).ok();
    assert!(undone.stdout.contains("settle"), "{}", undone.stdout);
    assert_eq!(owed("2026-11-11T09:00:00Z"), 1);
}

#[test]
fn old_pledges_take_the_settings_in_force_at_the_first_write() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "2h/week"]).ok();
    // What a pledge made before pledges kept their terms looks like.
    env.sql().execute_batch("UPDATE pledges SET terms = NULL").unwrap();
    env.run_at("2026-11-03T09:00:00Z", &["checkin", "ml", "30m", "-q"]).ok();
    let terms: String = env.sql().query_row("SELECT terms FROM pledges", [], |r| r.get(0)).unwrap();
    let terms: Value = serde_json::from_str(&terms).unwrap();
    assert_eq!((terms["horizon_days"].as_i64(), terms["week_starts"].as_str()), (Some(7), Some("monday")));
    // From then on a config change does not ease it.
    env.write_config("horizon_days = 0\n");
    let end = env.run_at("2026-11-04T09:00:00Z", &["pledge", "end", "1"]).ok();
    assert!(end.stdout.contains("before 2026-11-16"), "{}", end.stdout);
}
