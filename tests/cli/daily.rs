//! The daily loop: check in, progress, status, remind, rest — and the
//! clock: study days that start at 04:00, DST, a change of time zone, and
//! two processes checking in at once.

use serde_json::{Value, json};

use crate::common::TestEnv;

/// Every session in the order they were logged (`list sessions` orders
/// them by study day and start).
fn sessions(env: &TestEnv) -> Vec<Value> {
    let mut all = env.run(&["list", "sessions", "--all", "--json"]).ok().json().as_array().unwrap().clone();
    all.sort_by_key(|s| s["id"].as_i64().unwrap());
    all
}

/// The fields of a session that say when and how much.
fn when(session: &Value) -> Value {
    json!({
        "study_day": session["study_day"],
        "started_at": session["started_at"],
        "utc_offset": session["utc_offset"],
        "minutes": session["minutes"],
    })
}

#[test]
fn add_checkin_status_streak() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--platform", "Coursera", "--units", "11"]).ok();
    let run = env.run(&["checkin", "machine", "45m", "--units", "1"]).ok();
    assert_eq!(run.stdout, "Logged 45m on machine-learning, 1 unit for 2026-11-23 (session #1).\n");
    let status = env.run(&["status", "--json"]).ok().json();
    assert_eq!(status["today"]["minutes"], 45);
    assert_eq!(status["today"]["studied"], true);
    assert_eq!(status["streak"]["daily"]["current"], 1);
}

#[test]
fn checkin_takes_ref_and_duration_in_either_order_and_every_duration_form() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "-q"]).ok();
    // (24h, just ended, started yesterday evening: it is yesterday's.)
    let forms = [("45m", 45), ("1h", 60), ("1h30m", 90), ("1.5h", 90), ("90", 90), ("1:30", 90), ("24h", 1440)];
    for (text, _) in forms {
        env.run(&["checkin", text, "rust", "-q"]).ok();
    }
    env.run(&["checkin", "rust", "20m", "-q"]).ok();
    let logged: Vec<i64> = sessions(&env).iter().map(|s| s["minutes"].as_i64().unwrap()).collect();
    // In number order: the 24h one started yesterday; then by start, the
    // longest first (each ended now).
    assert_eq!(logged, [1440, 90, 90, 90, 90, 60, 45, 20]);
    assert!(sessions(&env).iter().all(|s| s["target"] == "rust-book"));
    let days: Vec<String> = sessions(&env).iter().map(|s| s["study_day"].as_str().unwrap().to_string()).collect();
    let mut expected_days = vec!["2026-11-23"; 8];
    expected_days[0] = "2026-11-22";
    assert_eq!(days, expected_days);
}

#[test]
fn checkin_without_duration_logs_default_minutes_and_records_every_field() {
    let env = TestEnv::new();
    env.run(&["checkin"]).ok();
    env.write_config("default_minutes = 25\n");
    env.run(&["add", "course", "Rust Book", "--units", "20", "-q"]).ok();
    let run = env.run(&["checkin", "rust", "--units", "2", "--note", "ownership", "--level", "Apply"]).ok();
    assert_eq!(run.stdout, "Logged 25m on rust-book, 2 units for 2026-11-23 (session #2).\n");
    let all = sessions(&env);
    // A check-in for today without --at has just ended.
    assert_eq!(
        when(&all[0]),
        json!({"study_day": "2026-11-23", "started_at": "2026-11-23T19:00:00Z", "utc_offset": 0, "minutes": 30})
    );
    assert_eq!(all[0]["target"], Value::Null);
    assert_eq!(
        when(&all[1]),
        json!({"study_day": "2026-11-23", "started_at": "2026-11-23T19:05:00Z", "utc_offset": 0, "minutes": 25})
    );
    assert_eq!(
        (&all[1]["units"], &all[1]["note"], &all[1]["level"]),
        (&json!(2), &json!("ownership"), &json!("apply"))
    );
    let show = env.run(&["show", "rust", "--json"]).ok().json();
    assert_eq!((&show["units_done"], &show["minutes"], &show["sessions"]), (&json!(2), &json!(25), &json!(1)));
    let run = env.run(&["show", "session", "2"]).ok();
    insta::assert_snapshot!("show_session", env.redact(&run.stdout));
}

#[test]
fn backfilled_checkins_have_a_start_only_with_at() {
    let env = TestEnv::new();
    assert_eq!(
        env.run(&["checkin", "1h", "--date", "yesterday"]).ok().stdout,
        "Logged 1h for 2026-11-22 (session #1).\n"
    );
    env.run(&["checkin", "1h", "--date", "2026-11-20", "--at", "9pm"]).ok();
    env.run(&["checkin", "30m", "--at", "18:00"]).ok();
    // 01:30 on a study day is the night after it.
    env.run(&["checkin", "20m", "--date", "sat", "--at", "1:30am"]).ok();
    let all: Vec<Value> = sessions(&env).iter().map(when).collect();
    assert_eq!(
        all,
        vec![
            // In number order: study day, then start.
            json!({"study_day": "2026-11-20", "started_at": "2026-11-20T21:00:00Z", "utc_offset": 0, "minutes": 60}),
            json!({"study_day": "2026-11-21", "started_at": "2026-11-22T01:30:00Z", "utc_offset": 0, "minutes": 20}),
            json!({"study_day": "2026-11-22", "started_at": null, "utc_offset": 0, "minutes": 60}),
            json!({"study_day": "2026-11-23", "started_at": "2026-11-23T18:00:00Z", "utc_offset": 0, "minutes": 30}),
        ]
    );
}

#[test]
fn a_checkin_at_0130_counts_for_the_previous_day() {
    let mut env = TestEnv::new();
    env.tz("Europe/Berlin");
    // Tuesday 01:30 in Berlin (00:30 UTC): still Monday's study day.
    let run = env.run_at("2026-11-24T00:30:00Z", &["checkin", "30m"]).ok();
    assert_eq!(run.stdout, "Logged 30m for 2026-11-23 (session #1).\n");
    let status = env.run_at("2026-11-24T00:30:00Z", &["status", "--json"]).ok().json();
    assert_eq!(status["today"], json!({"date": "2026-11-23", "minutes": 30, "studied": true}));
    // At 04:00 the new day starts: Monday counts, Tuesday is at stake.
    let status = env.run_at("2026-11-24T03:00:00Z", &["status", "--json"]).ok().json();
    assert_eq!(status["today"], json!({"date": "2026-11-24", "minutes": 0, "studied": false}));
    assert_eq!(status["streak"]["daily"]["current"], 1);
    // With days starting at midnight the same moment is Tuesday.
    let other = TestEnv::new();
    other.write_config("day_starts_at = \"00:00\"\n");
    let run = other.run_at("2026-11-24T01:30:00Z", &["checkin", "30m"]).ok();
    assert_eq!(run.stdout, "Logged 30m for 2026-11-24 (session #1).\n");
}

#[test]
fn a_week_across_the_end_of_summer_time_keeps_its_days() {
    let mut env = TestEnv::new();
    env.tz("Europe/Berlin");
    // 21:00 in Berlin each evening, Mon 2026-10-19 to Mon 10-26; summer
    // time (UTC+2) ends on Sunday 10-25 at 03:00.
    let evenings = [
        "2026-10-19T19:00:00Z",
        "2026-10-20T19:00:00Z",
        "2026-10-21T19:00:00Z",
        "2026-10-22T19:00:00Z",
        "2026-10-23T19:00:00Z",
        "2026-10-24T19:00:00Z",
        "2026-10-25T20:00:00Z",
        "2026-10-26T20:00:00Z",
    ];
    for instant in &evenings[..7] {
        env.run_at(instant, &["checkin", "30m"]).ok();
    }
    // The night of the change: 02:30 happens twice; the second one (CET,
    // 01:30 UTC) is still Saturday's study day.
    let run = env.run_at("2026-10-25T01:30:00Z", &["checkin", "15m"]).ok();
    // Numbered by study day and start: the evening of the 24th comes first.
    assert_eq!(run.stdout, "Logged 15m for 2026-10-24 (session #7).\n");
    // Sunday evening: the whole week is there, each day once.
    let status = env.run_at(evenings[6], &["status", "--json"]).ok().json();
    assert_eq!(status["today"], json!({"date": "2026-10-25", "minutes": 30, "studied": true}));
    assert_eq!(status["week"], json!({"start": "2026-10-19", "minutes": 225}));
    assert_eq!(status["streak"]["daily"]["current"], 7);
    assert_eq!(status["streak"]["daily"]["freezes_held"], 1);
    // Monday: a new week.
    env.run_at(evenings[7], &["checkin", "30m"]).ok();
    let status = env.run_at(evenings[7], &["status", "--json"]).ok().json();
    assert_eq!(status["week"], json!({"start": "2026-10-26", "minutes": 30}));
    assert_eq!(status["streak"]["daily"]["current"], 8);
    let days: Vec<(String, i64)> = sessions(&env)
        .iter()
        .map(|s| (s["study_day"].as_str().unwrap().to_string(), s["utc_offset"].as_i64().unwrap()))
        .collect();
    let expected: Vec<(String, i64)> = [
        ("2026-10-19", 7200),
        ("2026-10-20", 7200),
        ("2026-10-21", 7200),
        ("2026-10-22", 7200),
        ("2026-10-23", 7200),
        ("2026-10-24", 7200),
        ("2026-10-24", 3600),
        ("2026-10-25", 3600),
        ("2026-10-26", 3600),
    ]
    .iter()
    .map(|(d, o)| (d.to_string(), *o))
    .collect();
    assert_eq!(days, expected);
    // Every evening session started at 20:30 local time, on both sides of
    // the change; the list is by study day, then start.
    let list = env.run_at(evenings[7], &["list", "sessions"]).ok();
    let rows: Vec<(&str, &str)> = list
        .stdout
        .lines()
        .skip(2)
        .map(|l| {
            let cells: Vec<&str> = l.split_whitespace().collect();
            (cells[1], cells[2])
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("2026-10-19", "20:30"),
            ("2026-10-20", "20:30"),
            ("2026-10-21", "20:30"),
            ("2026-10-22", "20:30"),
            ("2026-10-23", "20:30"),
            ("2026-10-24", "20:30"),
            ("2026-10-24", "02:15"),
            ("2026-10-25", "20:30"),
            ("2026-10-26", "20:30"),
        ]
    );
}

#[test]
fn a_time_skipped_by_the_start_of_summer_time_is_refused() {
    let mut env = TestEnv::new();
    env.tz("Europe/Berlin");
    env.at("2026-03-29T18:00:00Z");
    env.run(&["init", "-q"]).ok();
    // 02:30 on Saturday's study day is Sunday 02:30 on the calendar: skipped.
    let run = env.refused(&["checkin", "30m", "--date", "yesterday", "--at", "02:30"], 2);
    assert_eq!(
        run.stderr,
        "error: 2026-03-29 02:30:00 does not exist in the local time zone (a daylight-saving change skips it)\n\
         hint: pick a time an hour later or earlier\n"
    );
    env.run(&["checkin", "30m", "--date", "yesterday", "--at", "03:30"]).ok();
    assert_eq!(
        when(&sessions(&env)[0]),
        json!({"study_day": "2026-03-28", "started_at": "2026-03-29T01:30:00Z", "utc_offset": 7200, "minutes": 30})
    );
}

#[test]
fn a_change_of_time_zone_between_checkins_does_not_move_history() {
    let mut env = TestEnv::new();
    // Monday 23:00 in London.
    env.run_at("2026-11-23T23:30:00Z", &["checkin", "30m"]).ok();
    let before = sessions(&env);
    let listed_before = env.run(&["list", "sessions"]).ok().stdout;
    // Then a flight to Tokyo (UTC+9): that same instant is Tuesday 08:30
    // there, but the session stays on Monday.
    env.tz("Asia/Tokyo");
    assert_eq!(sessions(&env), before);
    assert_eq!(env.run(&["list", "sessions"]).ok().stdout, listed_before);
    env.run_at("2026-11-24T11:00:00Z", &["checkin", "30m"]).ok();
    let all = sessions(&env);
    assert_eq!(when(&all[0]), when(&before[0]));
    assert_eq!(
        when(&all[1]),
        json!({"study_day": "2026-11-24", "started_at": "2026-11-24T10:30:00Z", "utc_offset": 32400, "minutes": 30})
    );
    let streak = env.run_at("2026-11-24T11:00:00Z", &["streak", "--json"]).ok().json();
    assert_eq!((&streak["daily"]["current"], &streak["studied_days"]), (&json!(2), &json!(2)));
    // And on to Los Angeles (UTC-8), where it is Tuesday evening.
    env.tz("America/Los_Angeles");
    let streak = env.run_at("2026-11-25T04:00:00Z", &["streak", "--json"]).ok().json();
    assert_eq!((&streak["daily"]["current"], &streak["daily"]["today_studied"]), (&json!(2), &json!(true)));
    assert_eq!(sessions(&env), all);
    // Start times read in the offset each session was logged in.
    let listed = env.run(&["list", "sessions"]).ok().stdout;
    let starts: Vec<&str> = listed.lines().skip(2).map(|l| l.split_whitespace().nth(2).unwrap()).collect();
    assert_eq!(starts, ["23:00", "19:30"]);
}

#[test]
fn two_processes_checking_in_at_the_same_moment_both_succeed() {
    for existing in [false, true] {
        let env = TestEnv::new();
        if existing {
            env.run(&["add", "course", "Rust Book", "-q"]).ok();
        }
        let children: Vec<_> = (0..2)
            .map(|i| {
                let minutes = format!("{}m", 20 + i);
                let mut cmd = env.command(&["checkin", &minutes]);
                cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
                cmd.spawn().unwrap()
            })
            .collect();
        for child in children {
            let run = crate::common::to_run(child.wait_with_output().unwrap());
            assert_eq!(run.code, 0, "{}", run.transcript());
            assert!(run.stderr.is_empty(), "{}", run.transcript());
        }
        let mut minutes: Vec<i64> = sessions(&env).iter().map(|s| s["minutes"].as_i64().unwrap()).collect();
        minutes.sort();
        assert_eq!(minutes, [20, 21]);
    }
}

#[test]
fn many_processes_checking_in_at_once_lose_nothing() {
    let env = TestEnv::new();
    let children: Vec<_> = (0..8)
        .map(|i| {
            let minutes = format!("{}m", 10 + i);
            let mut cmd = env.command(&["checkin", &minutes, "-q"]);
            cmd.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
            cmd.spawn().unwrap()
        })
        .collect();
    for child in children {
        let run = crate::common::to_run(child.wait_with_output().unwrap());
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.transcript());
    }
    let mut minutes: Vec<i64> = sessions(&env).iter().map(|s| s["minutes"].as_i64().unwrap()).collect();
    minutes.sort();
    assert_eq!(minutes, (10..18).collect::<Vec<i64>>());
    assert_eq!(env.count("changes"), 8);
}

#[test]
fn checkin_on_a_paused_course_resumes_it_and_an_idea_becomes_active() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "-q"]).ok();
    env.run(&["add", "project", "Bird classifier", "--status", "idea", "-q"]).ok();
    env.run(&["pause", "rust"]).ok();
    let run = env.run(&["checkin", "rust", "30m"]).ok();
    assert_eq!(
        run.stdout,
        "Resumed rust-book (it was paused).\nLogged 30m on rust-book for 2026-11-23 (session #1).\n"
    );
    assert_eq!(env.run(&["show", "rust", "--json"]).ok().json()["status"], "active");
    env.run(&["checkin", "bird", "1h"]).ok();
    assert_eq!(env.run(&["show", "bird", "--json"]).ok().json()["status"], "active");
}

#[test]
fn progress_records_units_as_zero_minute_sessions() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "--units", "10", "--unit-name", "chapters", "-q"]).ok();
    assert_eq!(env.run(&["progress", "rust", "3"]).ok().stdout, "rust-book: 3 of 10 chapters done (was 0).\n");
    assert_eq!(env.run(&["progress", "rust", "5/12"]).ok().stdout, "rust-book: 5 of 12 chapters done (was 3).\n");
    let show = env.run(&["show", "rust", "--json"]).ok().json();
    assert_eq!((&show["units_done"], &show["units_total"], &show["minutes"]), (&json!(5), &json!(12), &json!(0)));
    // A mark holds the units done it sets, not a difference.
    let mut marks: Vec<(i64, i64, i64)> = sessions(&env)
        .iter()
        .map(|s| (s["minutes"].as_i64().unwrap(), s["units"].as_i64().unwrap(), s["progress_to"].as_i64().unwrap()))
        .collect();
    marks.sort();
    assert_eq!(marks, [(0, 0, 3), (0, 0, 5)]);
    // Going back is recorded too, as a negative difference.
    env.run(&["progress", "rust", "4"]).ok();
    assert_eq!(env.run(&["show", "rust", "--json"]).ok().json()["units_done"], 4);
    // Zero-minute marks are not study.
    let status = env.run(&["status", "--json"]).ok().json();
    assert_eq!(status["today"], json!({"date": "2026-11-23", "minutes": 0, "studied": false}));
    assert_eq!(status["streak"]["daily"]["current"], 0);
}

/// A learner with pledges, a course at risk and a deadline ahead.
fn busy_learner() -> TestEnv {
    let env = TestEnv::new();
    env.run(&[
        "add",
        "course",
        "Machine Learning",
        "--slug",
        "ml",
        "--platform",
        "coursera",
        "--units",
        "10",
        "--start",
        "2026-11-01",
        "--deadline",
        "2026-12-31",
        "--pledge",
        "5h/week",
        "-q",
    ])
    .ok();
    env.run(&[
        "add",
        "course",
        "Rust Book",
        "--units",
        "20",
        "--start",
        "2026-10-01",
        "--deadline",
        "2026-12-10",
        "-q",
    ])
    .ok();
    for day in ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-20", "2026-11-22"] {
        env.checkin_on(day, &["ml", "1h", "--units", "1", "-q"]);
    }
    env.run(&["checkin", "ml", "1h40m", "-q"]).ok();
    env.run(&["pledge", "all", "30m/day", "-q"]).ok();
    env
}

#[test]
fn status_shows_today_streaks_pledges_risk_and_the_next_deadline() {
    let env = busy_learner();
    let run = env.run(&["status"]).ok();
    insta::assert_snapshot!("status", run.stdout);
    let short = env.run(&["status", "--short"]).ok();
    assert_eq!(short.stdout, "streak 2d · today 1h40 · week 1h40/5h · 1 behind · 1 at risk\n");
    let ascii = env.run(&["status", "--short", "--color", "never"]).ok();
    assert_eq!(ascii.stdout, "streak 2d | today 1h40 | week 1h40/5h | 1 behind | 1 at risk\n");
    let mut cmd = env.command(&["status", "--short"]);
    cmd.env("LANG", "C");
    let plain = crate::common::to_run(cmd.output().unwrap());
    assert_eq!(plain.stdout, ascii.stdout);
}

#[test]
fn status_json_has_the_keys_of_the_contract() {
    let env = busy_learner();
    let status = env.run(&["status", "--json"]).ok().json();
    assert_eq!(status["today"], json!({"date": "2026-11-23", "minutes": 100, "studied": true}));
    let streak = &status["streak"];
    assert_eq!(
        (&streak["daily"]["current"], &streak["daily"]["longest"], &streak["daily"]["today_studied"]),
        (&json!(2), &json!(3), &json!(true))
    );
    for key in ["freezes_held", "frozen_days"] {
        assert!(streak["daily"][key].is_i64(), "streak.daily.{key}");
    }
    assert!(streak["weekly"]["current"].is_i64() && streak["weekly"]["longest"].is_i64());
    assert_eq!((&streak["studied_days"], &streak["total_minutes"]), (&json!(6), &json!(400)));
    let pledges = status["pledges"].as_array().unwrap();
    assert_eq!(pledges.len(), 2);
    let ml = pledges.iter().find(|p| p["target"] == "ml").unwrap();
    assert_eq!(
        (&ml["rate"], &ml["period_start"], &ml["done"], &ml["needed"], &ml["verdict"]),
        (&json!("5h/week"), &json!("2026-11-23"), &json!(100), &json!(200), &json!("behind"))
    );
    let all = pledges.iter().find(|p| p["target"] == "all").unwrap();
    assert_eq!(
        (&all["rate"], &all["period_start"], &all["done"], &all["needed"], &all["verdict"]),
        (&json!("30m/day"), &json!("2026-11-23"), &json!(100), &json!(0), &json!("on_track"))
    );
    assert!(all["id"].is_i64() && ml["id"].is_i64());
    let at_risk = status["at_risk"].as_array().unwrap();
    assert_eq!(at_risk.len(), 1);
    assert_eq!(at_risk[0]["ref"], "rust-book");
    let probability = at_risk[0]["probability"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&probability), "{probability}");
    assert!(at_risk[0]["buffer_days"].as_i64().unwrap() < 0);
}

#[test]
fn status_on_an_empty_record() {
    let env = TestEnv::new();
    let run = env.run(&["status"]).ok();
    insta::assert_snapshot!("status_empty", env.session_text(&["status"], &run));
    assert_eq!(env.run(&["status", "--short"]).ok().stdout, "streak 0d · today 0m · week 0m\n");
}

#[test]
fn remind_nudges_only_when_due_and_exit_code_says_so() {
    let env = TestEnv::new();
    // No database: nothing to remind of, nothing created.
    let run = env.run(&["remind", "--exit-code"]).ok();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("", ""));
    assert!(!env.db_path().exists());
    env.checkin_on("yesterday", &["30m"]);
    // Before 18:00 it stays quiet.
    let run = env.run_at("2026-11-23T17:59:00Z", &["remind", "--exit-code"]).ok();
    assert_eq!(run.stdout, "");
    // After it, one line; exit 3 only with --exit-code.
    let run = env.run(&["remind", "--exit-code"]);
    assert_eq!(run.code, 3, "{}", run.transcript());
    assert_eq!(run.stdout, "No study logged today: your 1-day streak is at stake.\n");
    assert_eq!(run.stderr, "");
    let run = env.run(&["remind"]).ok();
    assert_eq!(run.stdout, "No study logged today: your 1-day streak is at stake.\n");
    // After midnight, before the study day ends, it is late, not early.
    let run = env.run_at("2026-11-24T01:00:00Z", &["remind", "--exit-code"]);
    assert_eq!(run.code, 3, "{}", run.transcript());
    // remind.after moves the quiet hours.
    env.write_config("[remind]\nafter = \"21:00\"\n");
    assert_eq!(env.run(&["remind", "--exit-code"]).ok().stdout, "");
    std::fs::remove_file(env.config_path()).unwrap();
    // After a check-in: silence.
    env.run(&["checkin", "5m", "-q"]).ok();
    let run = env.run(&["remind", "--exit-code"]).ok();
    assert_eq!(run.stdout, "");
}

#[test]
fn remind_names_the_most_urgent_pledge_and_stays_quiet_on_rest_days() {
    let env = busy_learner();
    env.run(&["undo", "-q"]).ok(); // the pledge on all
    env.run(&["undo", "-q"]).ok(); // today's check-in
    let run = env.run(&["remind", "--exit-code"]);
    assert_eq!(run.code, 3, "{}", run.transcript());
    assert_eq!(
        run.stdout,
        "No study logged today: your 1-day streak is at stake · pledge #1 5h/week on ml: 5h to go, 7 days left.\n"
    );
    // A declared rest day (declared in advance: on Sunday).
    env.run_at("2026-11-22T12:00:00Z", &["rest", "tomorrow", "-q"]).ok();
    assert_eq!(env.run(&["remind", "--exit-code"]).ok().stdout, "");
    // A weekly rest day.
    let other = TestEnv::new();
    other.checkin_on("yesterday", &["30m"]);
    other.write_config("[streak]\nrest_weekdays = [\"monday\"]\n");
    assert_eq!(other.run(&["remind", "--exit-code"]).ok().stdout, "");
}

#[test]
fn rest_days_are_declared_for_tomorrow_or_later_and_listed() {
    let env = TestEnv::new();
    let run = env.run(&["rest", "tomorrow", "--reason", "travel"]).ok();
    assert_eq!(run.stdout, "Rest declared for 2026-11-24: it neither counts nor breaks your streak.\n");
    env.refused(&["rest", "today"], 2);
    env.run_at("2026-11-22T12:00:00Z", &["rest", "2026-11-23", "-q"]).ok();
    let run = env.run(&["rest", "2026-12-24..2026-12-26"]).ok();
    assert_eq!(run.stdout, "Rest declared for 2026-12-24..2026-12-26: it neither counts nor breaks your streak.\n");
    let run = env.run(&["rest", "2026-12-24..2026-12-26"]).ok();
    assert_eq!(
        run.stdout,
        "Rest declared for 2026-12-24..2026-12-26 (3 already declared): it neither counts nor breaks your streak.\n"
    );
    let list = env.run(&["list", "rest"]).ok();
    insta::assert_snapshot!("list_rest", list.stdout);
    let days: Vec<Value> = env.run(&["list", "rest", "--json"]).ok().json().as_array().unwrap().clone();
    let pairs: Vec<(&str, &Value)> = days.iter().map(|d| (d["day"].as_str().unwrap(), &d["reason"])).collect();
    assert_eq!(
        pairs,
        [
            ("2026-11-23", &Value::Null),
            ("2026-11-24", &json!("travel")),
            ("2026-12-24", &Value::Null),
            ("2026-12-25", &Value::Null),
            ("2026-12-26", &Value::Null),
        ]
    );
    // A week later, the past ones are only listed with --all.
    let later = env.run_at("2026-12-01T12:00:00Z", &["list", "rest", "--json"]).ok().json();
    assert_eq!(later.as_array().unwrap().len(), 3);
    let all = env.run_at("2026-12-01T12:00:00Z", &["list", "rest", "--all", "--json"]).ok().json();
    assert_eq!(all.as_array().unwrap().len(), 5);
}

#[test]
fn undo_of_a_removed_progress_mark_brings_back_its_value() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "--slug", "rust", "--units", "10", "-q"]).ok();
    env.run(&["progress", "rust", "4", "-q"]).ok();
    env.run(&["rm", "session", "1", "--yes", "-q"]).ok();
    assert_eq!(env.run(&["show", "rust", "--json"]).ok().json()["units_done"], 0);
    env.run(&["undo", "-q"]).ok();
    assert_eq!(env.run(&["show", "rust", "--json"]).ok().json()["units_done"], 4);
}

#[test]
fn session_numbers_follow_day_then_start_whatever_the_order_of_logging() {
    let env = TestEnv::new();
    env.run(&["checkin", "30m", "--date", "2026-11-20", "--at", "21:00", "-q"]).ok();
    env.run(&["checkin", "20m", "--date", "2026-11-18", "-q"]).ok();
    env.run(&["checkin", "40m", "--date", "2026-11-20", "--at", "08:00", "-q"]).ok();
    assert_eq!(env.run(&["checkin", "10m"]).ok().stdout, "Logged 10m for 2026-11-23 (session #4).\n");
    let latest = env.run(&["list", "sessions", "--limit", "3", "--json"]).ok().json();
    let shown: Vec<(i64, i64)> = latest
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_i64().unwrap(), s["minutes"].as_i64().unwrap()))
        .collect();
    assert_eq!(shown, [(2, 40), (3, 30), (4, 10)]);
    assert_eq!(env.run(&["show", "session", "1", "--json"]).ok().json()["study_day"], "2026-11-18");
}
