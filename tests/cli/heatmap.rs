//! `learnlog heatmap`: windows, quantile shades, month labels, REF, ASCII.

use serde_json::json;

use crate::common::TestEnv;

/// Logs `minutes` on `day` (general study, or on `target`).
fn log(env: &TestEnv, target: Option<&str>, minutes: i64, day: &str) {
    let duration = format!("{minutes}m");
    let mut args = vec!["checkin", duration.as_str(), "--date", day, "-q"];
    if let Some(target) = target {
        args.insert(1, target);
    }
    env.run(&args).ok();
}

/// Eight days, 10 to 80 minutes, the week of 2026-11-16 and today (Monday 2026-11-23).
fn eight_days(env: &TestEnv) {
    for (i, day) in
        ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23"]
            .iter()
            .enumerate()
    {
        log(env, None, (i as i64 + 1) * 10, day);
    }
}

#[test]
fn quartile_shades_in_json() {
    let env = TestEnv::new();
    eight_days(&env);
    let run = env.run(&["heatmap", "--weeks", "2", "--json"]).ok();
    let day = |date: &str, minutes: i64, level: i64| json!({"date": date, "minutes": minutes, "level": level});
    assert_eq!(
        run.json(),
        json!({
            "from": "2026-11-16",
            "to": "2026-11-23",
            "thresholds": [10, 30, 50, 70],
            "total_minutes": 360,
            "studied_days": 8,
            "rest_days": [],
            "days": [
                day("2026-11-16", 10, 1),
                day("2026-11-17", 20, 1),
                day("2026-11-18", 30, 2),
                day("2026-11-19", 40, 2),
                day("2026-11-20", 50, 3),
                day("2026-11-21", 60, 3),
                day("2026-11-22", 70, 4),
                day("2026-11-23", 80, 4),
            ],
        })
    );
}

#[test]
fn quartile_shades_drawn() {
    let env = TestEnv::new();
    eight_days(&env);
    insta::assert_snapshot!(env.run(&["heatmap", "--weeks", "2"]).ok().transcript());
}

#[test]
fn default_is_26_weeks_with_month_labels() {
    let env = TestEnv::new();
    for (minutes, day) in [
        (30, "2026-06-03"),
        (45, "2026-07-15"),
        (90, "2026-08-01"),
        (20, "2026-09-30"),
        (60, "2026-10-01"),
        (120, "2026-11-20"),
    ] {
        log(&env, None, minutes, day);
    }
    let run = env.run(&["heatmap"]).ok();
    insta::assert_snapshot!(run.transcript());
    let doc = env.run(&["heatmap", "--json"]).ok().json();
    assert_eq!(doc["from"], "2026-06-01");
    assert_eq!(doc["to"], "2026-11-23");
    assert_eq!(doc["days"].as_array().unwrap().len(), 26 * 7 - 6);
    assert_eq!(doc["thresholds"], json!([20, 30, 60, 90]));
}

#[test]
fn a_calendar_year() {
    let env = TestEnv::new();
    for (minutes, day) in
        [(30, "2026-01-01"), (45, "2026-02-14"), (90, "2026-05-31"), (20, "2026-09-30"), (60, "2026-11-23")]
    {
        log(&env, None, minutes, day);
    }
    // Outside the year: not counted.
    log(&env, None, 300, "2025-12-31");
    insta::assert_snapshot!(env.run(&["heatmap", "--year", "2026"]).ok().transcript());
    let doc = env.run(&["heatmap", "--year", "2026", "--json"]).ok().json();
    assert_eq!((doc["from"].as_str(), doc["to"].as_str()), (Some("2026-01-01"), Some("2026-12-31")));
    // Days after today are not listed.
    assert_eq!(doc["days"].as_array().unwrap().len(), 327);
    assert_eq!(doc["total_minutes"], 245);
    let past = env.run(&["heatmap", "--year", "2025", "--json"]).ok().json();
    assert_eq!(past["total_minutes"], 300);
    assert_eq!(past["days"].as_array().unwrap().len(), 365);
}

#[test]
fn weeks_and_year_are_checked() {
    let env = TestEnv::new();
    insta::assert_snapshot!("weeks_zero", env.run(&["heatmap", "--weeks", "0"]).fails(2).transcript());
    insta::assert_snapshot!("weeks_too_many", env.run(&["heatmap", "--weeks", "521"]).fails(2).transcript());
    env.run(&["heatmap", "--weeks", "520"]).ok();
    let both = env.run(&["heatmap", "--weeks", "3", "--year", "2026"]);
    assert_eq!(both.code, 2, "{}", both.transcript());
    env.run(&["heatmap", "--year", "0"]).fails(2);
    assert!(!env.db_path().exists(), "a read command creates nothing");
}

#[test]
fn one_course_or_project() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "-q"]).ok();
    env.run(&["add", "project", "Bird classifier", "--slug", "birds", "--course", "ml", "-q"]).ok();
    log(&env, Some("ml"), 40, "2026-11-20");
    log(&env, Some("ml"), 20, "2026-11-21");
    log(&env, Some("birds"), 90, "2026-11-21");
    log(&env, None, 15, "2026-11-22");
    let ml = env.run(&["heatmap", "ml", "--weeks", "1", "--json"]).ok().json();
    assert_eq!(ml["target"], "ml");
    assert_eq!(ml["total_minutes"], 0, "the current week has only today");
    let ml = env.run(&["heatmap", "ml", "--weeks", "2", "--json"]).ok().json();
    assert_eq!((ml["total_minutes"].as_i64(), ml["studied_days"].as_i64()), (Some(60), Some(2)));
    assert_eq!(ml["thresholds"], json!([20, 20, 40, 40]));
    let birds = env.run(&["heatmap", "project:birds", "--weeks", "2", "--json"]).ok().json();
    assert_eq!(birds["total_minutes"], 90);
    let all = env.run(&["heatmap", "--weeks", "2", "--json"]).ok().json();
    assert_eq!(all["total_minutes"], 165);
    assert!(all.get("target").is_none());
    insta::assert_snapshot!(env.run(&["heatmap", "ml", "--weeks", "2"]).ok().transcript());
    insta::assert_snapshot!("unknown_ref", env.run(&["heatmap", "mll"]).fails(2).transcript());
}

#[test]
fn ascii_without_utf8() {
    let mut env = TestEnv::new();
    eight_days(&env);
    env.extra_env.push(("LANG".into(), "C".into()));
    let run = env.run(&["heatmap", "--weeks", "2"]).ok();
    assert!(run.stdout.is_ascii(), "{}", run.stdout);
    insta::assert_snapshot!(run.transcript());
    // --color never also means plain ASCII.
    env.extra_env.clear();
    let never = env.run(&["heatmap", "--weeks", "2", "--color", "never"]).ok();
    assert_eq!(never.stdout, run.stdout);
}

#[test]
fn colour_uses_green_shades() {
    let env = TestEnv::new();
    eight_days(&env);
    let run = env.run(&["heatmap", "--weeks", "2", "--color", "always"]).ok();
    for sgr in ["\x1b[2;32m░", "\x1b[32m▒", "\x1b[92m▓", "\x1b[1;92m█"] {
        assert!(run.stdout.contains(sgr), "{sgr:?} missing:\n{}", run.stdout);
    }
}

#[test]
fn rest_days_and_future_days() {
    let env = TestEnv::new();
    env.run(&["rest", "2026-11-25", "--reason", "travel", "-q"]).ok();
    let later = "2026-11-27T19:30:00Z";
    for (minutes, day) in [(30, "2026-11-23"), (45, "2026-11-24"), (60, "2026-11-26")] {
        env.run_at(later, &["checkin", &format!("{minutes}m"), "--date", day, "-q"]).ok();
    }
    let run = env.run_at(later, &["heatmap", "--weeks", "1"]).ok();
    insta::assert_snapshot!(run.transcript());
    let doc = env.run_at(later, &["heatmap", "--weeks", "1", "--json"]).ok().json();
    assert_eq!(doc["rest_days"], json!(["2026-11-25"]));
    assert_eq!(doc["days"].as_array().unwrap().len(), 5, "Monday to Friday, today");
}

#[test]
fn rows_follow_week_starts() {
    let env = TestEnv::new();
    env.write_config("week_starts = \"sunday\"\n[streak]\nrest_weekdays = [\"saturday\"]\n");
    eight_days(&env);
    let doc = env.run(&["heatmap", "--weeks", "2", "--json"]).ok().json();
    assert_eq!(doc["from"], "2026-11-15");
    assert_eq!(doc["rest_days"], json!(["2026-11-21"]));
    insta::assert_snapshot!(env.run(&["heatmap", "--weeks", "2"]).ok().transcript());
}

#[test]
fn a_narrow_terminal_keeps_the_latest_weeks() {
    let mut env = TestEnv::new();
    eight_days(&env);
    env.extra_env.push(("COLUMNS".into(), "30".into()));
    let run = env.run(&["heatmap", "--weeks", "52"]).ok();
    assert!(run.stdout.lines().skip(1).take(8).all(|l| l.chars().count() <= 30), "{}", run.stdout);
    insta::assert_snapshot!(run.transcript());
}

#[test]
fn an_empty_record() {
    let env = TestEnv::new();
    env.run(&["init", "-q"]).ok();
    let run = env.run(&["heatmap", "--weeks", "4"]).ok();
    insta::assert_snapshot!(run.transcript());
    let doc = env.run(&["heatmap", "--weeks", "4", "--json"]).ok().json();
    assert_eq!(doc["thresholds"], json!([]));
    assert_eq!(doc["total_minutes"], 0);
}
