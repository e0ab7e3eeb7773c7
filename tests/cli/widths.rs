//! Tables fit the terminal: at 80 and 60 columns no line is wider
//! than the terminal, no word or header is split mid-word, long titles are
//! cut with `…`, and control characters in user text show as escapes.

use unicode_width::UnicodeWidthStr;

use crate::common::TestEnv;

const LONG_COURSE: &str =
    "Machine Learning Specialization: Supervised Regression and Classification, Advanced Learning Algorithms";

/// A record with long titles, slugs, stakes and referees, and a note with a
/// tab and a newline in it.
pub fn long_record() -> TestEnv {
    let env = TestEnv::new();
    let steps: &[(&str, &[&str])] = &[
        (
            "2026-10-01T12:00:00Z",
            &[
                "add",
                "goal",
                "Become a machine learning engineer who ships real products to production",
                "--slug",
                "ml-engineer",
            ],
        ),
        (
            "2026-10-01T12:00:00Z",
            &[
                "add",
                "course",
                LONG_COURSE,
                "--platform",
                "coursera",
                "--units",
                "30",
                "--deadline",
                "2026-12-20",
                "--price",
                "49",
                "--goal",
                "ml-engineer",
            ],
        ),
        (
            "2026-10-01T12:00:00Z",
            &[
                "add",
                "course",
                "Deep Learning Specialization with Neural Networks and Hyperparameter Tuning",
                "--units",
                "20",
                "--slug",
                "dl",
            ],
        ),
        (
            "2026-10-01T12:00:00Z",
            &[
                "add",
                "project",
                "A very long project title about a recommendation engine for local bookshops",
                "--skills",
                "python,pytorch,sql,recommendation-systems",
                "--course",
                "machine-learning",
            ],
        ),
        (
            "2026-10-01T12:00:00Z",
            &[
                "pledge",
                "machine-learning",
                "5h/week",
                "--stake",
                "20 EUR to a charity of my referee's choosing",
                "--referee",
                "Alexandra Montgomery-Smith <alexandra@example.org>",
            ],
        ),
        ("2026-10-01T12:00:00Z", &["pledge", "dl", "3d/week"]),
    ];
    for (now, args) in steps {
        env.run_at(now, args).ok();
    }
    for day in 2..=22 {
        let now = format!("2026-11-{day:02}T20:00:00Z");
        env.run_at(&now, &["checkin", "machine-learning", "45m", "--note", "lectures\twith a tab\nand a newline"]).ok();
        if day >= 10 {
            env.run_at(&format!("2026-11-{day:02}T21:30:00Z"), &["checkin", "a-very", "1h"]).ok();
        }
    }
    env.run_at("2026-11-20T12:00:00Z", &["progress", "machine-learning", "12"]).ok();
    env.run_at("2026-11-20T12:00:00Z", &["rest", "2026-11-21", "--reason", "family"]).ok();
    env
}

/// Runs learnlog at `columns` wide.
fn run_at_width(env: &mut TestEnv, columns: u16, args: &[&str]) -> crate::common::Run {
    env.extra_env.retain(|(k, _)| k != "COLUMNS");
    env.extra_env.push(("COLUMNS".into(), columns.to_string()));
    let run = env.run(args).ok();
    env.extra_env.retain(|(k, _)| k != "COLUMNS");
    run
}

/// Every human view of the record; Markdown documents (`report --format
/// markdown`, `portfolio`) are documents to send, not terminal tables.
const VIEWS: &[&[&str]] = &[
    &["list", "courses", "--all"],
    &["list", "goals", "--all"],
    &["list", "projects", "--all"],
    &["list", "sessions"],
    &["list", "sessions", "--all"],
    &["list", "pledges"],
    &["list", "debts", "--all"],
    &["list", "rest", "--all"],
    &["status"],
    &["status", "--short"],
    &["streak"],
    &["streak", "machine-learning"],
    &["report"],
    &["report", "--month"],
    &["report", "--last-month"],
    &["odds"],
    &["odds", "--explain"],
    &["next"],
    &["heatmap"],
    &["show", "machine-learning"],
    &["show", "session", "3"],
    &["undo", "--list"],
];

#[test]
fn no_line_is_wider_than_the_terminal_at_80_and_60_columns() {
    let mut env = long_record();
    for columns in [80u16, 60] {
        for args in VIEWS {
            let run = run_at_width(&mut env, columns, args);
            for line in run.stdout.lines() {
                assert!(
                    line.width() <= usize::from(columns),
                    "`learnlog {}` at {columns} columns printed a line {} wide:\n{line}\n\n{}",
                    args.join(" "),
                    line.width(),
                    run.stdout
                );
                assert!(!line.contains('\t'), "a raw tab in `learnlog {}`:\n{line}", args.join(" "));
            }
        }
    }
}

#[test]
fn long_titles_are_cut_with_an_ellipsis_and_shown_whole_in_show_and_json() {
    let mut env = long_record();
    let list = run_at_width(&mut env, 80, &["list", "courses", "--all"]);
    assert!(list.stdout.contains('…'), "{}", list.stdout);
    assert!(!list.stdout.contains(LONG_COURSE));
    let json = env.run(&["--json", "list", "courses", "--all"]).ok().json();
    assert!(json.to_string().contains(LONG_COURSE));
    let show = run_at_width(&mut env, 200, &["show", "machine-learning"]);
    assert!(show.stdout.contains(LONG_COURSE), "{}", show.stdout);
}

#[test]
fn headers_are_never_split_inside_a_word() {
    let mut env = long_record();
    let headers = ["units/wk", "needed", "pace", "progress", "sessions", "platform", "deadline", "verdict"];
    for columns in [80u16, 60] {
        for args in VIEWS {
            let run = run_at_width(&mut env, columns, args);
            for word in headers {
                // A header split mid-word leaves a piece of it at a line's start.
                for cut in 2..word.len() {
                    let (head, tail) = word.split_at(cut);
                    let split = format!("{head}\n");
                    let broken = run.stdout.contains(&split) && run.stdout.lines().any(|l| l.trim_start() == tail);
                    assert!(!broken, "`{word}` split in `learnlog {}`:\n{}", args.join(" "), run.stdout);
                }
            }
        }
    }
}

#[test]
fn tabs_and_newlines_in_notes_show_as_escapes_and_rows_stay_whole() {
    let mut env = long_record();
    let run = run_at_width(&mut env, 200, &["list", "sessions", "--limit", "3"]);
    assert!(run.stdout.contains("lectures\\twith a tab\\nand a newline"), "{}", run.stdout);
    // Header, rule, three rows and how many are left out: a raw newline
    // would add lines.
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", run.stdout);
    assert!(lines[5].starts_with("3 of "), "{}", run.stdout);
    let show = env.run(&["show", "session", "3"]).ok();
    assert!(show.stdout.contains("lectures\\twith a tab\\nand a newline"), "{}", show.stdout);
}

#[test]
fn snapshots_at_80_and_60_columns() {
    let mut env = long_record();
    let views: &[&[&str]] = &[
        &["list", "courses", "--all"],
        &["list", "sessions"],
        &["list", "pledges"],
        &["status"],
        &["report"],
        &["report", "--month"],
        &["odds"],
        &["next"],
        &["portfolio"],
    ];
    for columns in [80u16, 60] {
        let mut text = String::new();
        for args in views {
            let run = run_at_width(&mut env, columns, args);
            text.push_str(&env.session_text(args, &run));
            text.push('\n');
        }
        insta::assert_snapshot!(format!("widths_{columns}"), text);
    }
}
