//! Files and streams: permissions, read commands that create nothing, schema
//! versions (a newer file refused untouched, an older one migrated after a
//! backup), a closed pipe, and colour.

use std::io::{BufRead, BufReader};
use std::process::Stdio;

use crate::common::{TestEnv, to_run};

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn created_directories_are_0700_and_the_database_0600() {
    let env = TestEnv::new();
    env.run(&["checkin", "30m"]).ok();
    assert_eq!(mode(env.db_path().parent().unwrap()), 0o700);
    assert_eq!(mode(&env.db_path()), 0o600);
    // Every missing parent, with --db.
    let deep = env.path("a/b/c/learn.db");
    env.run(&["--db", deep.to_str().unwrap(), "init", "-q"]).ok();
    for dir in ["a", "a/b", "a/b/c"] {
        assert_eq!(mode(&env.path(dir)), 0o700, "{dir}");
    }
    assert_eq!(mode(&deep), 0o600);
    // And the config directory that `config set` creates.
    env.run(&["config", "set", "default_minutes", "40", "-q"]).ok();
    assert_eq!(mode(env.config_path().parent().unwrap()), 0o700);
    // An existing directory keeps its mode.
    std::fs::create_dir(env.path("shared")).unwrap();
    let before = mode(&env.path("shared"));
    env.run(&["--db", env.path("shared/x.db").to_str().unwrap(), "init", "-q"]).ok();
    assert_eq!(mode(&env.path("shared")), before);
}

#[test]
fn read_commands_on_a_missing_database_create_nothing() {
    let env = TestEnv::new();
    let reads: &[&[&str]] = &[
        &["status"],
        &["status", "--short"],
        &["status", "--json"],
        &["streak"],
        &["streak", "--json"],
        &["list"],
        &["list", "goals"],
        &["list", "projects"],
        &["list", "sessions"],
        &["list", "rest"],
        &["list", "pledges"],
        &["list", "debts"],
        &["list", "--json"],
        &["undo", "--list"],
        &["remind"],
        &["remind", "--exit-code"],
        &["config"],
        &["config", "path"],
        &["config", "get", "currency"],
        &["completions", "zsh"],
        &["demo"],
        &["--help"],
        &["checkin", "--help"],
    ];
    for args in reads {
        env.run(args).ok();
    }
    // Refused commands on a missing database create nothing either.
    for args in
        [&["show", "ml"][..], &["rm", "ml", "--yes"], &["streak", "ml"], &["checkin", "0m"], &["add", "course", ""]]
    {
        env.run(args).fails(2);
    }
    let left: Vec<_> = std::fs::read_dir(env.home()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(left.is_empty(), "created {left:?}");
    // An empty state and a hint (not in JSON).
    let run = env.run(&["list", "sessions"]).ok();
    assert_eq!(run.stdout, "No sessions. `learnlog checkin [REF] [DURATION]` logs one.\n");
    assert_eq!(
        env.redact(&run.stderr),
        "hint: no learnlog database yet at [HOME]/data/learnlog.db; `learnlog add course TITLE` starts one\n"
    );
    let run = env.run(&["list", "--json"]).ok();
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("[]\n", ""));
}

#[test]
fn a_database_from_a_newer_learnlog_is_refused_and_left_untouched() {
    let env = TestEnv::new();
    env.run(&["checkin", "30m"]).ok();
    env.sql().execute_batch("PRAGMA user_version = 99").unwrap();
    let before = env.db_bytes();
    for args in [&["status"][..], &["checkin", "30m"], &["list", "sessions"], &["undo"], &["init"]] {
        let run = env.run(args).fails(1);
        assert_eq!(
            env.redact(&run.stderr),
            "error: database [HOME]/data/learnlog.db: it was written by a newer learnlog (schema version 99; \
             this learnlog knows up to 9)\nhint: upgrade learnlog; the file was left untouched\n"
        );
        assert!(env.db_bytes() == before, "`{}` changed the file", args.join(" "));
    }
    let siblings: Vec<_> =
        std::fs::read_dir(env.db_path().parent().unwrap()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(siblings, ["learnlog.db"]);
}

#[test]
fn an_older_database_migrates_after_a_backup_beside_it() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "-q"]).ok();
    env.run(&["checkin", "rust", "30m", "--at", "18:00", "-q"]).ok();
    // What a version-1 file looks like: no index on started_at, no day totals, no sync.
    back_to_version_4(&env);
    env.sql()
        .execute_batch(
            "DROP TRIGGER sessions_journal_update; DROP TRIGGER sessions_journal_delete;
             ALTER TABLE sessions DROP COLUMN progress_to;",
        )
        .unwrap();
    env.sql()
        .execute_batch(
            "DROP TRIGGER sessions_totals_insert; DROP TRIGGER sessions_totals_delete;
             DROP TRIGGER sessions_totals_update; DROP TABLE day_totals;
             DROP INDEX sessions_started; DROP INDEX sessions_exceptional;
             DROP TRIGGER IF EXISTS sessions_journal_update; DROP TRIGGER IF EXISTS sessions_journal_delete;
             DROP TRIGGER rest_days_journal_update; DROP TRIGGER rest_days_journal_delete;
             DROP TRIGGER pledges_journal_update; DROP TRIGGER pledges_journal_delete;
             ALTER TABLE sessions DROP COLUMN recorded_late; ALTER TABLE sessions DROP COLUMN amended_at;
             ALTER TABLE sessions DROP COLUMN prior_study_day; ALTER TABLE sessions DROP COLUMN prior_item_id;
             ALTER TABLE sessions DROP COLUMN prior_minutes; ALTER TABLE sessions DROP COLUMN prior_units;
             ALTER TABLE pledges DROP COLUMN terms; ALTER TABLE pledges DROP COLUMN completed_on;
             ALTER TABLE pledges DROP COLUMN completion_kept; ALTER TABLE rest_days DROP COLUMN utc_offset;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    without_new_row_images(&env);
    let v1 = env.db_bytes();
    let run = env.run(&["list", "sessions", "--json"]).ok();
    assert_eq!(run.stderr, "");
    assert_eq!(run.json()[0]["started_at"], "2026-11-23T18:00:00Z");
    let backup = env.db_path().with_file_name("learnlog.v1.bak");
    assert!(backup.exists(), "no backup beside the database");
    #[cfg(unix)]
    assert_eq!(mode(&backup), 0o600);
    let old = rusqlite::Connection::open(&backup).unwrap();
    let version: i64 = old.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let sessions: i64 = old.query_row("SELECT count(*) FROM sessions", [], |r| r.get(0)).unwrap();
    assert_eq!((version, sessions), (1, 1));
    drop(old);
    let conn = env.sql();
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    let index: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = 'sessions_started'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!((version, index), (9, 1));
    // The day totals were rebuilt from the sessions.
    let minutes: i64 = conn.query_row("SELECT sum(minutes) FROM day_totals", [], |r| r.get(0)).unwrap();
    assert_eq!(minutes, 30);
    drop(conn);
    env.checkpoint();
    assert!(env.db_bytes() != v1, "the file was not migrated");
    // Nothing was lost, and it works as before (undo too).
    env.run(&["checkin", "rust", "15m", "-q"]).ok();
    env.run(&["undo", "-q"]).ok();
    env.run(&["undo", "-q"]).ok();
    assert_eq!(env.count("sessions"), 0);
    assert_eq!(env.count("items"), 1);
    // The next run does not migrate (or back up) again.
    let stamp = std::fs::metadata(&backup).unwrap().modified().unwrap();
    env.run(&["status", "-q"]).ok();
    assert_eq!(std::fs::metadata(&backup).unwrap().modified().unwrap(), stamp);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let env = TestEnv::new();
    env.run(&["checkin", "30m", "-q"]).ok();
    // Enough rows to fill any pipe buffer several times over.
    env.sql()
        .execute_batch(
            "INSERT INTO sessions (uuid, item_id, study_day, started_at, utc_offset, minutes, units, note, level, created_at, updated_at)
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
             SELECT printf('00000000-0000-4000-8000-%012d', i), NULL, date('2026-11-22', '-' || (i % 2000) || ' days'),
                    NULL, 0, 30, 0, 'bulk row to make the listing long', NULL, '2026-11-23T19:30:00Z', '2026-11-23T19:30:00Z'
             FROM n;",
        )
        .unwrap();
    for args in [&["list", "sessions", "--all"][..], &["list", "sessions"], &["completions", "bash"], &["demo"]] {
        let mut cmd = env.command(args);
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(!first.is_empty());
        // The reader is dropped here: `| head -1`.
        let run = to_run(child.wait_with_output().unwrap());
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "`learnlog {} | head -1`", args.join(" "));
    }
}

/// Whether text holds an ANSI escape.
fn coloured(text: &str) -> bool {
    text.contains("\u{1b}[")
}

#[test]
fn colour_only_on_a_terminal_without_no_color_or_when_forced() {
    let env = TestEnv::new();
    env.run(&["checkin", "30m", "-q"]).ok();
    // Piped, with NO_COLOR (the test default): none.
    for args in [&["status"][..], &["streak"], &["list", "sessions"]] {
        assert!(!coloured(&env.run(args).ok().stdout), "{args:?}");
    }
    // Piped without NO_COLOR: none.
    let mut cmd = env.command(&["status"]);
    cmd.env_remove("NO_COLOR");
    let run = to_run(cmd.output().unwrap());
    assert!(!coloured(&run.stdout), "{}", run.stdout);
    // --color always forces it, NO_COLOR or not; --color never stops it.
    let run = env.run(&["status", "--color", "always"]).ok();
    assert!(coloured(&run.stdout), "{}", run.stdout);
    assert!(coloured(&env.run(&["streak", "--color", "always"]).ok().stdout));
    let mut cmd = env.command(&["status", "--color", "never"]);
    cmd.env_remove("NO_COLOR");
    assert!(!coloured(&to_run(cmd.output().unwrap()).stdout));
    // JSON is never coloured.
    assert!(!coloured(&env.run(&["status", "--json", "--color", "always"]).ok().stdout));
}

/// On a terminal (through `script`, when the system has it).
#[cfg(unix)]
#[test]
fn colour_on_a_terminal_unless_no_color() {
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_script {
        return;
    }
    let env = TestEnv::new();
    env.run(&["checkin", "30m", "-q"]).ok();
    let on_tty = |no_color: bool| {
        let command = format!("'{}' status", crate::common::BIN);
        let mut cmd = env.program("script", &["-qec", &command, "/dev/null"]);
        cmd.env_remove("NO_COLOR");
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        to_run(cmd.output().unwrap())
    };
    let plain = on_tty(true);
    assert_eq!(plain.code, 0, "{}", plain.transcript());
    assert!(plain.stdout.contains("Today Mon 2026-11-23"), "{}", plain.stdout);
    assert!(!coloured(&plain.stdout), "NO_COLOR on a terminal:\n{}", plain.stdout);
    let bright = on_tty(false);
    assert!(coloured(&bright.stdout), "a terminal without NO_COLOR:\n{}", bright.stdout);
}

/// The update journal before version 8: no image of the row after the
/// update (the triggers are made again by the migrations that follow).
fn without_new_row_images(env: &TestEnv) {
    let sql = env.sql();
    for table in ["items", "project_courses", "sessions", "rest_days", "pledges", "pledge_rates", "settlements"] {
        sql.execute_batch(&format!("DROP TRIGGER IF EXISTS {table}_journal_update")).unwrap();
    }
    sql.execute_batch("ALTER TABLE undo_log DROP COLUMN new_row").unwrap();
}

/// Takes a current database's tables back to schema version 4: no sync,
/// cohort or session-count tables, indexes or triggers.
fn back_to_version_4(env: &TestEnv) {
    let sql = env.sql();
    let triggers: Vec<String> = sql
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_sync_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for trigger in triggers {
        sql.execute_batch(&format!("DROP TRIGGER {trigger}")).unwrap();
    }
    sql.execute_batch(
        "DROP TABLE sync_state; DROP TABLE sync_changes; DROP TABLE sync_outbox; DROP TABLE sync_batches; DROP TABLE sync_cursors;
         DROP INDEX sessions_marks; DROP INDEX sessions_order; DROP INDEX sessions_zero;
         DROP TABLE cohort_shares; DROP TABLE review_cache; DROP TABLE settlement_cache;
         DROP TRIGGER sessions_count_insert; DROP TRIGGER sessions_count_delete; DROP TABLE session_count;",
    )
    .unwrap();
}

#[test]
fn progress_marks_of_an_older_database_become_absolute() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "--units", "10", "-q"]).ok();
    env.run_at("2026-11-20T10:00:00Z", &["checkin", "rust", "30m", "--units", "2", "-q"]).ok();
    env.run_at("2026-11-21T10:00:00Z", &["progress", "rust", "5", "-q"]).ok();
    env.run_at("2026-11-22T10:00:00Z", &["checkin", "rust", "30m", "--units", "1", "-q"]).ok();
    back_to_version_4(&env);
    // Version 4 kept the difference (5 - 2) in the mark's units.
    env.sql()
        .execute_batch(
            "UPDATE sessions SET units = 3 WHERE progress_to IS NOT NULL;
             DROP TRIGGER sessions_journal_update; DROP TRIGGER sessions_journal_delete;
             ALTER TABLE sessions DROP COLUMN progress_to; PRAGMA user_version = 4;",
        )
        .unwrap();
    without_new_row_images(&env);
    let show = env.run(&["show", "rust", "--json"]).ok().json();
    assert_eq!(show["units_done"], 6);
    let (units, progress_to): (i64, i64) = env
        .sql()
        .query_row("SELECT units, progress_to FROM sessions WHERE progress_to IS NOT NULL", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((units, progress_to), (0, 5));
    // A report's units per day still add up to units done.
    let report = env.run(&["report", "--from", "2026-11-16", "--to", "2026-11-23", "--json"]).ok().json();
    let line = &report["items"][0];
    assert_eq!((&line["units"], &line["units_done"]), (&serde_json::json!(6), &serde_json::json!(6)));
}

/// An edit journaled by version 7 (no image of the row after it) is still
/// undone after the file is migrated: its whole old row comes back.
#[test]
fn an_edit_journaled_before_version_8_is_undone_after_the_migration() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "-q"]).ok();
    env.run(&["edit", "rust-book", "--title", "The Rust Book", "-q"]).ok();
    without_new_row_images(&env);
    env.sql().execute_batch("DROP TABLE sync_outbox; PRAGMA user_version = 7").unwrap();
    let undone = env.run(&["undo", "--json"]).ok().json();
    assert!(undone["summary"].as_str().is_some_and(|s| s.contains("edit")), "{undone}");
    let courses = env.run(&["list", "courses", "--json"]).ok().json();
    assert_eq!(courses[0]["title"], "Rust Book");
    assert!(env.db_path().with_file_name("learnlog.v7.bak").exists(), "no backup beside the database");
}
