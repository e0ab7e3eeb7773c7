//! `learnlog report`: a small history built with the real binary at pinned
//! clocks, then the JSON values checked exactly and the text snapshotted.

use serde_json::{Value, json};

use crate::common::TestEnv;

/// Four courses, a project, a staked pledge, a settled and an owed debt.
///
/// Pinned today is Monday 2026-11-23; "last week" is 2026-11-16..22:
/// ml 45m (apply, 2 units) + 30m (understand, 1 unit), birds 1h (create),
/// general 20m, stats 15m (remember, 1 unit) then done; rust dropped.
fn history() -> TestEnv {
    let env = TestEnv::new();
    let steps: &[(&str, &[&str])] = &[
        ("2026-10-01T12:00:00Z", &["add", "course", "Old Course", "--price", "10", "--units", "4", "--slug", "old"]),
        (
            "2026-11-02T12:00:00Z",
            &[
                "add",
                "course",
                "Machine Learning",
                "--platform",
                "coursera",
                "--price",
                "49",
                "--units",
                "10",
                "--weeks",
                "8",
                "--deadline",
                "2027-01-10",
                "--slug",
                "ml",
            ],
        ),
        (
            "2026-11-02T12:00:00Z",
            &["add", "course", "Rust Book", "--price", "30EUR", "--units", "20", "--slug", "rust"],
        ),
        (
            "2026-11-02T12:00:00Z",
            &["add", "course", "Stats | *Basics* `x`\n# not a heading", "--units", "5", "--slug", "stats"],
        ),
        ("2026-11-02T12:00:00Z", &["add", "project", "Bird classifier", "--course", "ml", "--slug", "birds"]),
        (
            "2026-11-02T12:00:00Z",
            &["pledge", "ml", "3h/week", "--stake", "$20 to charity", "--referee", "ana@example.org"],
        ),
        ("2026-11-03T20:00:00Z", &["checkin", "rust", "30m"]),
        ("2026-11-03T20:00:00Z", &["checkin", "ml", "1h30m", "--units", "1"]),
        ("2026-11-05T20:00:00Z", &["checkin", "ml", "1h30m", "--units", "1"]),
        ("2026-11-10T20:00:00Z", &["checkin", "ml", "1h", "--units", "1"]),
        ("2026-11-16T12:00:00Z", &["settle", "1", "--note", "paid | to *charity*"]),
        ("2026-11-16T20:00:00Z", &["checkin", "ml", "45m", "--units", "2", "--level", "apply"]),
        ("2026-11-17T20:00:00Z", &["checkin", "ml", "30m", "--units", "1", "--level", "understand"]),
        ("2026-11-18T20:00:00Z", &["checkin", "birds", "1h", "--level", "create"]),
        ("2026-11-18T20:00:00Z", &["drop", "rust", "--reason", "no time"]),
        ("2026-11-19T20:00:00Z", &["checkin", "20m"]),
        ("2026-11-20T20:00:00Z", &["checkin", "stats", "15m", "--units", "1", "--level", "remember"]),
        ("2026-11-20T20:00:00Z", &["done", "stats"]),
        ("2026-11-23T19:30:00Z", &["checkin", "ml", "30m", "--level", "apply"]),
    ];
    for (now, args) in steps {
        env.run_at(now, args).ok();
    }
    env
}

fn item<'a>(report: &'a Value, slug: &str) -> &'a Value {
    report["items"].as_array().unwrap().iter().find(|i| i["ref"] == slug).unwrap_or_else(|| panic!("no item {slug}"))
}

#[test]
fn last_week_in_json() {
    let env = history();
    let report = env.run(&["report", "--last-week", "--json"]).ok().json();
    assert_eq!(
        report["period"],
        json!({"from": "2026-11-16", "to": "2026-11-22", "label": "last_week", "as_of": "2026-11-22"})
    );

    let totals = &report["totals"];
    assert_eq!(totals["minutes"], 45 + 30 + 60 + 20 + 15);
    assert_eq!(totals["sessions"], 5);
    assert_eq!(totals["units"], 4);
    assert_eq!(totals["study_days"], 5);
    assert_eq!(totals["days"], 7);
    assert_eq!(totals["consistency"].as_f64(), Some(5.0 / 7.0));
    // 2026-11-21 and 22 unstudied, no freezes earned: the streak is today's check-in.
    assert_eq!(totals["daily_streak"], 1);
    assert_eq!(totals["weekly_streak"], 0);
    assert_eq!((totals["pledges_kept"].as_i64(), totals["pledges_missed"].as_i64()), (Some(0), Some(1)));
    assert_eq!(totals["stakes_owed"], 1);

    let ml = item(&report, "ml");
    assert_eq!((ml["minutes"].as_i64(), ml["sessions"].as_i64(), ml["units"].as_i64()), (Some(75), Some(2), Some(3)));
    assert_eq!((ml["units_done"].as_i64(), ml["units_total"].as_i64()), (Some(6), Some(10)));
    assert_eq!(ml["progress"].as_f64(), Some(0.6));
    assert_eq!(
        ml["pledges"],
        json!([{"pledge_id": 1, "start": "2026-11-16", "end": "2026-11-22", "verdict": "missed"}])
    );
    // Odds change over the period: three units in the week raised them.
    let (start, end) = (ml["odds_start"].as_f64().unwrap(), ml["odds_end"].as_f64().unwrap());
    assert!(0.0 < start && start < end && end < 1.0, "{start} -> {end}");
    // Completed in the period: certain at its end; dropped: zero.
    let stats = item(&report, "stats");
    assert_eq!((stats["status"].as_str(), stats["ended_on"].as_str()), (Some("completed"), Some("2026-11-20")));
    assert_eq!(stats["odds_end"].as_f64(), Some(1.0));
    assert_eq!(item(&report, "rust")["odds_end"].as_f64(), Some(0.0));
    assert_eq!(item(&report, "birds")["odds_start"], Value::Null);
    assert_eq!(item(&report, "birds")["minutes"], 60);

    let pledge = &report["pledges"][0];
    assert_eq!(
        (pledge["id"].as_i64(), pledge["target"].as_str(), pledge["rate"].as_str()),
        (Some(1), Some("ml"), Some("3h/week"))
    );
    let period = &pledge["periods"][0];
    assert_eq!(
        (&period["start"], &period["end"], &period["target"], &period["done"], &period["verdict"]),
        (&json!("2026-11-16"), &json!("2026-11-22"), &json!(180), &json!(75), &json!("missed"))
    );
    assert_eq!(pledge["periods"].as_array().unwrap().len(), 1);

    assert_eq!(
        report["stakes"]["owed"],
        json!([{"id": 2, "pledge_id": 1, "target": "ml", "period_start": "2026-11-16", "period_end": "2026-11-22", "stake": "$20 to charity"}])
    );
    let settled = &report["stakes"]["settled"][0];
    assert_eq!((settled["id"].as_i64(), settled["period_start"].as_str()), (Some(1), Some("2026-11-09")));
    assert_eq!(
        (settled["settled_on"].as_str(), settled["note"].as_str()),
        (Some("2026-11-16"), Some("paid | to *charity*"))
    );

    let balance = &report["balance"];
    assert_eq!(
        (
            &balance["course_minutes"],
            &balance["project_minutes"],
            &balance["credentials"],
            &balance["projects_shipped"]
        ),
        (&json!(90), &json!(60), &json!(1), &json!(0))
    );
    assert_eq!(balance["general_minutes"], 20);
    assert_eq!(balance["credential_refs"], json!(["stats"]));

    assert_eq!(
        report["money"],
        json!([
            {"currency": "EUR", "paid": {"minor": 3000, "currency": "EUR"}, "dropped": {"minor": 3000, "currency": "EUR"},
             "stalled": {"minor": 0, "currency": "EUR"}, "dropped_refs": ["rust"], "stalled_refs": []},
            {"currency": "USD", "paid": {"minor": 5900, "currency": "USD"}, "dropped": {"minor": 0, "currency": "USD"},
             "stalled": {"minor": 1000, "currency": "USD"}, "dropped_refs": [], "stalled_refs": ["old"]},
        ])
    );
    assert_eq!(
        report["bloom"],
        json!({"remember": 15, "understand": 30, "apply": 45, "analyze": 0, "evaluate": 0, "create": 60, "unspecified": 20})
    );
}

#[test]
fn format_json_is_the_json_flag() {
    let env = history();
    let a = env.run(&["report", "--last-week", "--json"]).ok().stdout;
    let b = env.run(&["report", "--last-week", "--format", "json"]).ok().stdout;
    assert_eq!(a, b);
}

#[test]
fn out_writes_what_the_report_prints_whichever_way_json_is_asked_for() {
    let env = history();
    let printed = env.run(&["report", "--last-week", "--format", "json"]).ok().stdout;
    let (flag, format) = (env.path("flag.json"), env.path("format.json"));
    // `--json` asks for the JSON report and a JSON answer to the write.
    let written = env.run(&["report", "--last-week", "--json", "--out", flag.to_str().unwrap()]).ok().json();
    assert_eq!(written, json!({"path": flag.to_str().unwrap(), "from": "2026-11-16", "to": "2026-11-22"}));
    assert_eq!(std::fs::read_to_string(&flag).unwrap(), printed);
    // `--format json` asks for the JSON report only: the answer is a line.
    let run = env.run(&["report", "--last-week", "--format", "json", "--out", format.to_str().unwrap()]).ok();
    assert_eq!(run.stdout, format!("Wrote the report for 2026-11-16 to 2026-11-22 to {}.\n", format.display()));
    assert_eq!(std::fs::read_to_string(&format).unwrap(), printed);
    // `--json` wins over another format, as it does without `--out`.
    let markdown = env.path("markdown.json");
    env.run(&["report", "--last-week", "--format", "markdown", "--json", "--out", markdown.to_str().unwrap()]).ok();
    assert_eq!(std::fs::read_to_string(&markdown).unwrap(), printed);
}

#[test]
fn this_week_judges_the_running_period() {
    let env = history();
    let report = env.run(&["report", "--json"]).ok().json();
    assert_eq!(report["period"]["from"], "2026-11-23");
    assert_eq!(report["totals"]["days"], 1);
    assert_eq!(report["totals"]["consistency"].as_f64(), Some(1.0));
    assert_eq!(report["totals"]["pledges_behind"], 1);
    let period = &report["pledges"][0]["periods"][0];
    assert_eq!((period["done"].as_i64(), period["verdict"].as_str()), (Some(30), Some("behind")));
    // The debt of last week is still owed in this week's report.
    assert_eq!(report["stakes"]["owed"][0]["id"], 2);
    assert_eq!(report["balance"]["credentials"], 0);
    // At today, the report's odds are those of `learnlog odds`.
    let odds = env.run(&["odds", "--json"]).ok().json();
    let ml_odds = odds.as_array().unwrap().iter().find(|o| o["ref"] == "ml").unwrap();
    assert_eq!(item(&report, "ml")["odds_end"], ml_odds["probability"]);
}

#[test]
fn each_period_flag() {
    let env = TestEnv::new();
    let cases: &[(&[&str], &str, &str)] = &[
        (&["report"], "2026-11-23", "2026-11-29"),
        (&["report", "--week"], "2026-11-23", "2026-11-29"),
        (&["report", "--month"], "2026-11-01", "2026-11-30"),
        (&["report", "--year"], "2026-01-01", "2026-12-31"),
        (&["report", "--last-week"], "2026-11-16", "2026-11-22"),
        (&["report", "--last-month"], "2026-10-01", "2026-10-31"),
        (&["report", "--from", "2026-09-15", "--to", "2026-10-14"], "2026-09-15", "2026-10-14"),
        (&["report", "--from=-1w", "--to", "yesterday"], "2026-11-16", "2026-11-22"),
        (&["report", "--from", "today", "--to", "today"], "2026-11-23", "2026-11-23"),
    ];
    for (args, from, to) in cases {
        let mut args = args.to_vec();
        args.push("--json");
        let report = env.run(&args).ok().json();
        assert_eq!(
            (report["period"]["from"].as_str(), report["period"]["to"].as_str()),
            (Some(*from), Some(*to)),
            "{args:?}"
        );
    }
    // A week starting on Sunday.
    env.write_config("week_starts = \"sunday\"\n");
    let report = env.run(&["report", "--json"]).ok().json();
    assert_eq!(
        report["period"],
        json!({"from": "2026-11-22", "to": "2026-11-28", "label": "week", "as_of": "2026-11-23"})
    );
    let report = env.run(&["report", "--last-week", "--json"]).ok().json();
    assert_eq!(report["period"]["from"], "2026-11-15");
}

#[test]
fn bad_periods_are_usage_errors() {
    let env = TestEnv::new();
    let run = env.run(&["report", "--from", "2026-11-20", "--to", "2026-11-10"]).fails(2);
    insta::assert_snapshot!("report_from_after_to", run.transcript());
    env.run(&["report", "--from", "someday", "--to", "today"]).fails(2);
    assert_eq!(env.run(&["report", "--from", "2026-11-01"]).code, 2, "--from needs --to");
    assert_eq!(env.run(&["report", "--week", "--month"]).code, 2, "one period");
}

#[test]
fn empty_database_reports_nothing_and_creates_nothing() {
    let env = TestEnv::new();
    let report = env.run(&["report", "--json"]).ok().json();
    assert_eq!(report["totals"]["minutes"], 0);
    assert_eq!(report["totals"]["consistency"].as_f64(), Some(0.0));
    assert_eq!(report["items"], json!([]));
    assert_eq!(report["money"], json!([]));
    env.run(&["report"]).ok();
    assert!(!env.db_path().exists());
}

#[test]
fn future_period_has_no_days_yet() {
    let env = history();
    let report = env.run(&["report", "--from", "2026-12-01", "--to", "2026-12-31", "--json"]).ok().json();
    assert_eq!((report["totals"]["days"].as_i64(), report["totals"]["minutes"].as_i64()), (Some(0), Some(0)));
    assert_eq!(report["period"]["as_of"], "2026-11-23");
    let ml = item(&report, "ml");
    assert_eq!(ml["odds_start"], ml["odds_end"], "nothing happened yet");
}

#[test]
fn table_snapshots() {
    let env = history();
    insta::assert_snapshot!("report_last_week_table", env.run(&["report", "--last-week"]).ok().stdout);
    insta::assert_snapshot!("report_this_week_table", env.run(&["report"]).ok().stdout);
}

#[test]
fn markdown_snapshot() {
    let env = history();
    let markdown = env.run(&["report", "--last-week", "--format", "markdown"]).ok().stdout;
    assert!(markdown.starts_with("# Study report, 2026-11-16 – 2026-11-22\n"));
    // The title's Markdown is escaped and its line break cannot start a heading.
    assert!(markdown.contains("Stats \\| \\*Basics\\* \\`x\\` \\# not a heading (stats)"), "{markdown}");
    assert!(markdown.contains("paid \\| to \\*charity\\*"));
    insta::assert_snapshot!("report_last_week_markdown", markdown);
}

#[test]
fn demo_ends_with_last_weeks_report() {
    let env = TestEnv::new();
    let demo = env.run(&["demo"]).ok().stdout;
    let report =
        demo.split("$ learnlog report --last-week\n").nth(1).unwrap_or_else(|| panic!("no report in:\n{demo}"));
    assert!(report.starts_with("Last week: 2026-11-16 – 2026-11-22\n"), "{report}");
}
