//! Pledges end to end: periods, verdicts, rest days, the akrasia horizon,
//! stakes owed and settled — and the odds of docs/odds.md on the real binary.

use crate::common::TestEnv;

/// Mondays of November 2026: 2, 9, 16, 23.
fn env_with_course() -> TestEnv {
    let env = TestEnv::new();
    env.run_at("2026-11-02T09:00:00Z", &["add", "course", "Machine Learning", "--slug", "ml", "--units", "10"]).ok();
    env
}

/// A check-in logged on its own study day (in the evening), not backfilled
/// later: a closed period counts only what was recorded before it closed.
fn on_the_day(env: &TestEnv, day: &str, args: &[&str]) {
    let mut all = vec!["checkin", "--date", day];
    all.extend_from_slice(args);
    env.run_at(&format!("{day}T20:00:00Z"), &all).ok();
}

fn pledge_periods(env: &TestEnv, from: &str, to: &str) -> Vec<serde_json::Value> {
    let report = env.run(&["report", "--from", from, "--to", to, "--json"]).ok().json();
    report["pledges"][0]["periods"].as_array().unwrap().clone()
}

#[test]
fn a_week_kept_and_a_week_missed_and_the_stake_they_leave() {
    let env = env_with_course();
    env.run_at(
        "2026-11-02T09:00:00Z",
        &["pledge", "ml", "2h/week", "--stake", "$10 to charity", "--referee", "ana@example.org"],
    )
    .ok();
    // Week of Nov 2: 2h10 → kept. Week of Nov 9: 1h → missed. Week of Nov 16: 2h → kept.
    for (day, minutes) in [("2026-11-03", "1h10m"), ("2026-11-05", "1h"), ("2026-11-10", "1h"), ("2026-11-17", "2h")] {
        on_the_day(&env, day, &["ml", minutes]);
    }
    let periods = pledge_periods(&env, "2026-11-02", "2026-11-22");
    let verdicts: Vec<(&str, i64, &str)> = periods
        .iter()
        .map(|p| (p["start"].as_str().unwrap(), p["done"].as_i64().unwrap(), p["verdict"].as_str().unwrap()))
        .collect();
    assert_eq!(verdicts, [("2026-11-02", 130, "kept"), ("2026-11-09", 60, "missed"), ("2026-11-16", 120, "kept")]);
    assert!(periods.iter().all(|p| p["target"] == 120));

    // The missed week left one debt; settling it moves it to settled.
    let debts = env.run(&["list", "debts", "--json"]).ok().json();
    assert_eq!(debts.as_array().unwrap().len(), 1, "{debts}");
    assert_eq!(debts[0]["id"], 1);
    assert_eq!(debts[0]["period_start"], "2026-11-09");
    assert_eq!(debts[0]["stake"], "$10 to charity");
    let settled = env.run(&["settle", "1", "--note", "paid to the food bank"]).ok();
    assert!(settled.stdout.contains("Settled debt #1"), "{}", settled.stdout);
    assert_eq!(env.run(&["list", "debts", "--json"]).ok().json().as_array().unwrap().len(), 0);
    let all = env.run(&["list", "debts", "--all", "--json"]).ok().json();
    assert_eq!(all[0]["settled_on"], "2026-11-23");
    assert_eq!(all[0]["note"], "paid to the food bank");
    // Settling twice is refused; so is an unknown debt.
    env.refused(&["settle", "1"], 2);
    env.refused(&["settle", "9"], 2);
    // The report lists it as settled.
    let report = env.run(&["report", "--from", "2026-11-09", "--to", "2026-11-15", "--json"]).ok().json();
    assert_eq!(report["stakes"]["owed"].as_array().unwrap().len(), 0);
    assert_eq!(report["stakes"]["settled"][0]["period_start"], "2026-11-09");
    assert_eq!(report["stakes"]["settled"][0]["settled_on"], "2026-11-23");
}

#[test]
fn a_rest_day_lowers_a_study_days_pledge() {
    let env = env_with_course();
    // Declared in advance, at least the horizon (7 days) ahead: on Oct 26 for Wednesday Nov 4.
    env.run_at("2026-10-26T09:00:00Z", &["rest", "2026-11-04", "--reason", "travel"]).ok();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "4d/week"]).ok();
    for day in ["2026-11-02", "2026-11-03", "2026-11-06"] {
        on_the_day(&env, day, &["ml", "30m"]);
    }
    let periods = pledge_periods(&env, "2026-11-02", "2026-11-08");
    assert_eq!(periods[0]["target"], 3, "one rest day lowers 4 days to 3: {periods:?}");
    assert_eq!(periods[0]["done"], 3);
    assert_eq!(periods[0]["verdict"], "kept");
}

#[test]
fn an_easier_pledge_waits_for_the_horizon_and_a_harder_one_applies_at_once() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "5h/week"]).ok();
    // Wednesday Nov 18: easier (3h) waits 7 days: from the week starting on or after Nov 25 → Nov 30.
    let easier = env.run_at("2026-11-18T09:00:00Z", &["pledge", "ml", "3h/week"]).ok();
    assert!(easier.stdout.contains("from 2026-11-30"), "{}", easier.stdout);
    let status = env.run(&["status", "--json"]).ok().json();
    assert_eq!(status["pledges"][0]["rate"], "5h/week", "this week is still judged at 5h");
    let list = env.run(&["list", "pledges", "--json"]).ok().json();
    assert_eq!(list[0]["pending"]["rate"], "3h/week");
    assert_eq!(list[0]["pending"]["effective_from"], "2026-11-30");
    // Harder (6h) on Monday Nov 23 applies to this week at once and cancels the pending 3h.
    let harder = env.run(&["pledge", "ml", "6h/week"]).ok();
    assert!(harder.stdout.contains("is now 6h/week"), "{}", harder.stdout);
    let status = env.run(&["status", "--json"]).ok().json();
    assert_eq!(status["pledges"][0]["rate"], "6h/week");
    assert_eq!(status["pledges"][0]["period_start"], "2026-11-23");
    assert_eq!(status["pledges"][0]["needed"], 360);
    assert_eq!(status["pledges"][0]["verdict"], "behind");
    let list = env.run(&["list", "pledges", "--json"]).ok().json();
    assert!(list[0]["pending"].is_null(), "the waiting easier change was cancelled: {list}");
    // Ending waits for the horizon too.
    let end = env.run(&["pledge", "end", "1"]).ok();
    assert!(end.stdout.contains("2026-11-30"), "{}", end.stdout);
    assert_eq!(env.run(&["status", "--json"]).ok().json()["pledges"][0]["rate"], "6h/week");
    let later = env.run_at("2026-12-01T09:00:00Z", &["list", "pledges", "--json"]).ok().json();
    assert_eq!(later.as_array().unwrap().len(), 0, "ended by then: {later}");
}

#[test]
fn status_reports_each_pledges_current_period() {
    let env = env_with_course();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "all", "30m/day"]).ok();
    env.run_at("2026-11-02T09:00:00Z", &["pledge", "ml", "3u/week"]).ok();
    env.run(&["checkin", "ml", "45m", "--units", "1"]).ok();
    let status = env.run(&["status", "--json"]).ok().json();
    let pledges = status["pledges"].as_array().unwrap();
    assert_eq!(pledges.len(), 2);
    let daily = &pledges[0];
    assert_eq!((daily["target"].as_str(), daily["rate"].as_str()), (Some("all"), Some("30m/day")));
    assert_eq!((daily["done"].as_i64(), daily["needed"].as_i64()), (Some(45), Some(0)));
    assert_eq!(daily["verdict"], "on_track");
    let units = &pledges[1];
    assert_eq!((units["done"].as_i64(), units["needed"].as_i64()), (Some(1), Some(2)));
    assert_eq!(units["verdict"], "behind");
    for key in ["id", "target", "rate", "period_start", "done", "needed", "verdict"] {
        assert!(daily.get(key).is_some(), "status --json pledges lacks {key}");
    }
    let short = env.run(&["status", "--short"]).ok();
    assert_eq!(short.stdout, "streak 1d · today 45m · week 45m · 1 behind\n");
}

#[test]
fn add_course_with_a_pledge_is_pledge_right_after() {
    let env = TestEnv::new();
    let run = env.run(&["add", "course", "Rust", "--pledge", "2h/week"]).ok();
    assert_eq!(run.stdout, "Added course rust (Rust).\nPledge #1: 2h/week on rust from 2026-11-23.\n");
    // With --json, one document: the course added (its pledge is in `list pledges`).
    let added = env.run(&["add", "course", "Go", "--pledge", "1h/week", "--json"]).ok().json();
    assert_eq!((added["slug"].as_str(), added["kind"].as_str()), (Some("go"), Some("course")));
    assert_eq!(env.run(&["list", "pledges", "--json"]).ok().json().as_array().map(Vec::len), Some(2));
    // -q hides both lines.
    assert_eq!(env.run(&["add", "course", "C", "--slug", "c", "--pledge", "1h/week", "-q"]).ok().stdout, "");
    env.refused(&["pledge", "rust", "5x/week"], 2);
    env.refused(&["pledge", "nothing", "5h/week"], 2);
    env.refused(&["pledge", "end", "7"], 2);
}

#[test]
fn odds_json_and_table() {
    let env = TestEnv::new();
    env.run_at(
        "2026-10-01T10:00:00Z",
        &[
            "add",
            "course",
            "ML",
            "--slug",
            "ml",
            "--price",
            "49",
            "--units",
            "24",
            "--weeks",
            "8",
            "--deadline",
            "2026-11-26",
        ],
    )
    .ok();
    env.run_at("2026-10-01T10:00:00Z", &["add", "course", "Poetry", "--intent", "explore"]).ok();
    for day in ["2026-10-02", "2026-10-04", "2026-10-07", "2026-10-10"] {
        env.run_at(&format!("{day}T20:00:00Z"), &["checkin", "ml", "1h", "--units", "2"]).ok();
    }
    let odds = env.run(&["odds", "--json"]).ok().json();
    let list = odds.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let ml = list.iter().find(|o| o["ref"] == "ml").unwrap();
    let kinds: Vec<&str> = ml["factors"].as_array().unwrap().iter().map(|f| f["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["prior", "length", "parallel", "progress", "inactivity", "pace"]);
    assert_eq!(ml["factors"][0]["value"], 0.4602);
    let last = ml["factors"].as_array().unwrap().last().unwrap()["value"].as_f64().unwrap();
    assert_eq!(ml["probability"].as_f64().unwrap(), last, "the factors chain to the probability");
    assert_eq!(ml["buffer_days"], -35, "floor(8·56/24 − 53)");
    let poetry = list.iter().find(|o| o["ref"] == "poetry").unwrap();
    assert_eq!(poetry["factors"][0]["value"], 0.0313, "explore: everyone who started");
    assert!(poetry["buffer_days"].is_null());
    insta::assert_snapshot!("odds_explain", env.run(&["odds", "ml", "--explain"]).ok().stdout);
    env.refused(&["odds", "nope"], 2);
    env.run(&["done", "poetry"]).ok();
    env.refused(&["odds", "poetry"], 2);
}
