//! Bad input and a bad environment: every error is `error: …` (plus a
//! `hint: …` where useful) on stderr, exit 2 for bad input, exit 1 for a
//! database that cannot be used; a refused command leaves the database
//! byte-identical.

use crate::common::TestEnv;

/// A small record to refuse things against: a goal, two courses whose slugs
/// share a prefix, a completed course, a project and a session.
fn fixture() -> TestEnv {
    let env = TestEnv::new();
    env.run(&["add", "goal", "Data engineer"]).ok();
    env.run(&["add", "course", "Machine Learning", "--units", "10"]).ok();
    env.run(&["add", "course", "Machine Vision"]).ok();
    env.run(&["add", "course", "Intro to Python"]).ok();
    env.run(&["add", "project", "Bird classifier"]).ok();
    env.run(&["checkin", "machine-learning", "45m"]).ok();
    env.run(&["done", "intro"]).ok();
    env
}

/// Runs each refused command, checks exit code and untouched database, and
/// returns one text of all transcripts for a snapshot.
fn refuse_all(env: &TestEnv, cases: &[(&[&str], i32)]) -> String {
    let mut text = String::new();
    for (args, code) in cases {
        let run = env.refused(args, *code);
        assert!(run.stdout.is_empty(), "a refused command printed to stdout:\n{}", run.transcript());
        text.push_str(&env.session_text(args, &run));
        text.push('\n');
    }
    text
}

#[test]
fn bad_references_are_refused() {
    let env = fixture();
    let sessions = env.count("sessions");
    let text = refuse_all(
        &env,
        &[
            (&["show", "nosuch"], 2),
            (&["show", "machine"], 2),
            (&["show", "course:bird"], 2),
            (&["show", "thing:machine-learning"], 2),
            (&["checkin", "nosuch", "30m"], 2),
            (&["checkin", "machine", "30m"], 2),
            (&["checkin", "data", "30m"], 2),
            (&["edit", "nosuch", "--title", "X"], 2),
            (&["edit", "machine", "--title", "X"], 2),
            (&["done", "nosuch"], 2),
            (&["drop", "machine"], 2),
            (&["pause", "nosuch"], 2),
            (&["resume", "nosuch"], 2),
            (&["rm", "nosuch", "--yes"], 2),
            (&["rm", "machine", "--yes"], 2),
            (&["progress", "nosuch", "3"], 2),
            (&["streak", "nosuch"], 2),
            (&["add", "course", "Deep Learning", "--goal", "nosuch"], 2),
            (&["add", "project", "Robot", "--course", "machine"], 2),
            (&["show", "session", "99"], 2),
            (&["show", "session", "abc"], 2),
            (&["edit", "session", "99", "--minutes", "10"], 2),
            (&["rm", "session", "99", "--yes"], 2),
        ],
    );
    insta::assert_snapshot!("bad_references", text);
    assert_eq!(env.count("sessions"), sessions);
}

#[test]
fn bad_dates_durations_and_values_are_refused() {
    let env = fixture();
    let text = refuse_all(
        &env,
        &[
            // Dates
            (&["checkin", "30m", "--date", "2026-02-30"], 2),
            (&["checkin", "30m", "--date", "someday"], 2),
            (&["checkin", "30m", "--date", "tomorrow"], 2),
            (&["add", "course", "Deep Learning", "--deadline", "2026-02-30"], 2),
            (&["add", "course", "Deep Learning", "--start", "2026-12-01", "--deadline", "2026-11-30"], 2),
            (&["rest", "2026-02-30"], 2),
            (&["list", "sessions", "--since", "abc"], 2),
            // Times
            (&["checkin", "30m", "--at", "25:00"], 2),
            (&["checkin", "30m", "--at", "9:75"], 2),
            (&["checkin", "30m", "--at", "23:00"], 2),
            // Durations
            (&["checkin", "0m"], 2),
            (&["checkin", "--", "-5m"], 2),
            (&["checkin", "-5m"], 2),
            (&["checkin", "25h"], 2),
            (&["checkin", "machine-learning", "abc"], 2),
            (&["checkin", "30m", "1h"], 2),
            (&["edit", "session", "1", "--minutes", "abc"], 2),
            (&["edit", "session", "1", "--minutes", "0"], 2),
            // Titles, slugs and other values
            (&["add", "course", ""], 2),
            (&["add", "goal", "   "], 2),
            (&["edit", "machine-learning", "--title", ""], 2),
            (&["add", "course", "Deep Learning", "--slug", "machine-learning"], 2),
            (&["add", "course", "Deep Learning", "--slug", "123"], 2),
            (&["add", "course", "Deep Learning", "--price", "abc"], 2),
            (&["add", "course", "Deep Learning", "--track", "gold"], 2),
            (&["add", "course", "Deep Learning", "--intent", "maybe"], 2),
            (&["add", "course", "Deep Learning", "--units", "0"], 2),
            (&["add", "project", "Robot", "--status", "shipped"], 2),
            (&["checkin", "30m", "--level", "guru"], 2),
            (&["list", "courses", "--status", "bogus"], 2),
            (&["edit", "machine-learning"], 2),
            (&["progress", "machine-learning", "11"], 2),
            (&["progress", "machine-learning", "x"], 2),
            (&["progress", "machine-learning", "5/4"], 2),
            (&["progress", "bird", "1"], 2),
            (&["pause", "data"], 2),
            (&["resume", "machine-learning"], 2),
            // Rates
            (&["add", "course", "Deep Learning", "--pledge", "5x/week"], 2),
            (&["pledge", "machine-learning", "5x/week"], 2),
            // Clap's own refusals keep the same shape
            (&["frobnicate"], 2),
            (&["list", "everything"], 2),
        ],
    );
    insta::assert_snapshot!("bad_values", text);
    // Nothing was added by any of them.
    assert_eq!(env.count("items"), 5);
}

#[test]
fn finished_records_and_unconfirmed_deletes_are_refused() {
    let env = fixture();
    let text = refuse_all(
        &env,
        &[
            (&["checkin", "intro", "30m"], 2),
            (&["checkin", "30m", "intro-to-python"], 2),
            (&["progress", "intro", "3"], 2),
            (&["done", "intro"], 2),
            (&["drop", "intro"], 2),
            (&["rm", "machine-vision"], 2),
            (&["rm", "session", "1"], 2),
            (&["rest", "yesterday"], 2),
            (&["rest", "2026-11-20..2026-11-30"], 2),
            (&["rest", "2026-11-24..2028-01-01"], 2),
        ],
    );
    insta::assert_snapshot!("refused_actions", text);
    // rm refuses even when stdin has an answer but is not a terminal.
    let before = env.db_bytes();
    let run = env.run_stdin(&["rm", "machine-vision"], "y\n").fails(2);
    assert!(run.stderr.contains("without --yes"), "{}", run.stderr);
    assert_eq!(before, env.db_bytes());
}

#[test]
fn nothing_to_undo_is_an_error() {
    let env = TestEnv::new();
    env.run(&["init"]).ok();
    let run = env.refused(&["undo"], 2);
    insta::assert_snapshot!("nothing_to_undo", env.session_text(&["undo"], &run));
}

#[test]
fn a_config_file_with_an_unknown_key_names_the_key() {
    let env = fixture();
    let cases: &[(&str, &str)] = &[
        ("unknown_top_level_key", "default_minutes = 30\ncolour = \"always\"\n"),
        ("unknown_streak_key", "[streak]\nfreeze_evry = 3\n"),
        ("wrong_type", "default_minutes = \"lots\"\n"),
        ("bad_value", "week_starts = \"someday\"\n"),
        ("not_toml", "this is not toml\n"),
    ];
    let mut text = String::new();
    for (name, toml) in cases {
        env.write_config(toml);
        for args in [&["status"][..], &["checkin", "30m"][..]] {
            let run = env.refused(args, 2);
            assert!(run.stderr.contains(&env.config_path().display().to_string()), "names the file:\n{}", run.stderr);
            if *name == "unknown_top_level_key" {
                assert!(run.stderr.contains("colour"), "names the key:\n{}", run.stderr);
            }
            if *name == "unknown_streak_key" {
                assert!(run.stderr.contains("freeze_evry"), "names the key:\n{}", run.stderr);
            }
        }
        let run = env.run(&["status"]);
        text.push_str(&format!("# {name}\n{}\n", env.session_text(&["status"], &run)));
    }
    insta::assert_snapshot!("bad_config", text);
}

#[test]
fn a_corrupt_or_unreadable_database_exits_1_naming_the_file() {
    let env = TestEnv::new();
    std::fs::create_dir_all(env.db_path().parent().unwrap()).unwrap();
    let mut text = String::new();

    // Not a database at all.
    std::fs::write(env.db_path(), b"this is not a database, just some text\n".repeat(100)).unwrap();
    for args in [&["status"][..], &["checkin", "30m"][..], &["list", "sessions"][..]] {
        let run = env.refused(args, 1);
        assert!(run.stderr.contains(&env.db_path().display().to_string()), "{}", run.stderr);
        text.push_str(&env.session_text(args, &run));
        text.push('\n');
    }

    // A real database cut short.
    std::fs::remove_file(env.db_path()).unwrap();
    env.run(&["checkin", "30m"]).ok();
    env.checkpoint();
    let whole = env.db_bytes();
    std::fs::write(env.db_path(), &whole[..whole.len() / 3]).unwrap();
    for args in [&["status"][..], &["checkin", "30m"][..]] {
        let run = env.refused(args, 1);
        assert!(run.stderr.contains(&env.db_path().display().to_string()), "{}", run.stderr);
        text.push_str(&env.session_text(args, &run));
        text.push('\n');
    }

    // Unreadable: a directory where the file should be.
    std::fs::remove_file(env.db_path()).unwrap();
    std::fs::create_dir(env.db_path()).unwrap();
    for args in [&["status"][..], &["checkin", "30m"][..]] {
        let run = env.run(args).fails(1);
        assert!(run.stderr.contains(&env.db_path().display().to_string()), "{}", run.stderr);
        text.push_str(&env.session_text(args, &run));
        text.push('\n');
    }
    insta::assert_snapshot!("bad_database", text);
}

#[cfg(unix)]
#[test]
fn a_database_without_read_permission_exits_1() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::new();
    env.run(&["checkin", "30m"]).ok();
    std::fs::set_permissions(env.db_path(), std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(env.db_path()).is_ok() {
        // Running as root: permissions do not stop us; the directory case covers it.
        return;
    }
    let run = env.run(&["status"]).fails(1);
    assert!(run.stderr.contains(&env.db_path().display().to_string()), "{}", run.stderr);
}

#[test]
fn errors_never_panic_or_print_a_backtrace() {
    let env = fixture();
    let odd: &[&[&str]] = &[
        &["checkin", "99999999999999999999m"],
        &["checkin", "1e300h"],
        &["checkin", "nan h"],
        &["checkin", "1:99"],
        &["checkin", "30m", "--date", "+99999999y"],
        &["checkin", "30m", "--date", "-99999999d"],
        &["add", "course", "X", "--price", "99999999999999999999999"],
        &["add", "course", "X", "--deadline", "9999-12-31"],
        &["progress", "machine-learning", "99999999999999999999"],
        &["show", "\u{0}"],
        &["show", "course:"],
        &["checkin", "30m", "--at", "12am", "--date", "1970-01-01"],
    ];
    for args in odd {
        let mut cmd = env.command(args);
        cmd.env("RUST_BACKTRACE", "1");
        let Ok(output) = cmd.output() else { continue };
        let run = crate::common::to_run(output);
        assert!(run.code == 0 || run.code == 2, "`{}`:\n{}", args.join(" "), run.transcript());
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("backtrace"), "{}", run.transcript());
        if run.code == 2 {
            assert!(run.stderr.starts_with("error: "), "{}", run.transcript());
        }
    }
}
