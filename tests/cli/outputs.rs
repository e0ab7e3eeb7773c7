//! Output contract: `--json` on every command, read-only
//! databases, one number everywhere, rest days, list limits, check-in lines.

use serde_json::Value;

use crate::common::TestEnv;

/// A course with a staked pledge that missed a week (so there is a debt),
/// a second pledge, sessions and a project.
fn small_record() -> TestEnv {
    let env = TestEnv::new();
    let steps: &[(&str, &[&str])] = &[
        ("2026-11-02T12:00:00Z", &["add", "course", "Machine Learning", "--units", "10", "--slug", "ml"]),
        ("2026-11-02T12:00:00Z", &["add", "project", "Bird classifier", "--slug", "birds"]),
        ("2026-11-02T12:00:00Z", &["pledge", "ml", "5h/week", "--stake", "$5 to charity"]),
        ("2026-11-02T12:00:00Z", &["pledge", "birds", "1h/week"]),
        ("2026-11-03T20:00:00Z", &["checkin", "ml", "45m"]),
        ("2026-11-18T20:00:00Z", &["checkin", "birds", "1h"]),
        ("2026-11-20T20:00:00Z", &["checkin", "ml", "30m"]),
    ];
    for (now, args) in steps {
        env.run_at(now, args).ok();
    }
    env
}

#[track_caller]
fn json_of(env: &TestEnv, args: &[&str]) -> Value {
    let mut all = vec!["--json"];
    all.extend_from_slice(args);
    let run = env.run(&all);
    assert_eq!(run.code, 0, "`learnlog {}` failed:\n{}", all.join(" "), run.transcript());
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("`learnlog {}` printed no JSON document ({e}):\n{}", all.join(" "), run.stdout))
}

#[test]
fn every_write_and_utility_command_prints_one_json_document() {
    let env = small_record();
    let backup = env.path("copy.db");
    let backup_text = backup.display().to_string();
    let export = env.path("export.json");
    let export_text = export.display().to_string();

    let pledge = json_of(&env, &["pledge", "end", "2"]);
    assert_eq!(pledge["id"], 2);
    assert_eq!(pledge["target"], "birds");

    // Making or changing a pledge prints that pledge, not the whole book.
    let made = json_of(&env, &["pledge", "all", "20m/day"]);
    assert!(made.is_object(), "{made}");
    assert_eq!(made["target"], "all");
    let changed = json_of(&env, &["pledge", "all", "30m/day"]);
    assert_eq!((&changed["id"], &changed["rate"]), (&made["id"], &serde_json::json!("30m/day")));

    let debt = json_of(&env, &["settle", "1", "--note", "paid"]);
    assert_eq!(debt["id"], 1);
    assert_eq!(debt["note"], "paid");
    assert_eq!(debt["settled_on"], "2026-11-23");

    let session = json_of(&env, &["rm", "session", "2", "--yes"]);
    assert_eq!(session["id"], 2);
    assert_eq!(session["minutes"], 60);

    let copy = json_of(&env, &["backup", &backup_text]);
    assert_eq!(copy["path"], backup_text.as_str());
    assert!(copy["bytes"].as_u64().unwrap() > 0);

    let init = json_of(&env, &["init"]);
    assert_eq!(init["path"], env.db_path().display().to_string().as_str());
    assert_eq!(init["created"], false);

    let path = json_of(&env, &["config", "path"]);
    assert_eq!(path["path"], env.config_path().display().to_string().as_str());

    let set = json_of(&env, &["config", "set", "default_minutes", "25"]);
    assert_eq!(set["key"], "default_minutes");
    assert_eq!(set["value"], 25);

    let exported = json_of(&env, &["export", "--out", &export_text]);
    assert_eq!(exported["path"], export_text.as_str());

    env.run(&["add", "project", "Spare", "--slug", "spare"]).ok();
    let item = json_of(&env, &["rm", "spare", "--yes"]);
    assert_eq!(item["slug"], "spare");

    assert_eq!(json_of(&env, &["completions", "bash"])["shell"], "bash");
    assert!(json_of(&env, &["man"])["page"].as_str().unwrap().contains(".TH LEARNLOG"));

    // The others already printed JSON; they still do.
    for args in [
        &["status"][..],
        &["streak"],
        &["odds"],
        &["report"],
        &["heatmap"],
        &["next"],
        &["list", "sessions"],
        &["list", "debts", "--all"],
        &["show", "ml"],
        &["undo", "--list"],
        &["config", "show"],
        &["checkin", "ml", "20m"],
        &["undo"],
        &["rest", "2026-12-01"],
    ] {
        json_of(&env, args);
    }
}

// ---- a read-only database can be read ----------------------------

/// What a file of another tool or an older learnlog may be: a rollback
/// journal instead of WAL. Reading must not switch it (a write).
#[test]
fn read_commands_open_the_database_read_only_and_change_no_byte() {
    let env = small_record();
    env.sql().query_row("PRAGMA journal_mode = DELETE", [], |r| r.get::<_, String>(0)).unwrap();
    let before = env.db_bytes();
    let copy = env.path("copy.db").display().to_string();
    for args in [
        &["report"][..],
        &["report", "--month", "--json"],
        &["export"],
        &["export", "--format", "csv"],
        &["backup", &copy],
        &["status"],
        &["streak"],
        &["list", "sessions"],
        &["heatmap"],
        &["odds"],
        &["portfolio"],
    ] {
        env.run(args).ok();
        assert!(env.db_bytes() == before, "`learnlog {}` wrote to the database", args.join(" "));
        assert!(!env.db_path().with_extension("db-wal").exists(), "`learnlog {}` made a WAL", args.join(" "));
    }
    let mode: String = env.sql().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "delete");
    // A write still switches it to WAL and writes.
    env.run(&["checkin", "ml", "10m"]).ok();
    let mode: String = env.sql().query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[cfg(unix)]
fn is_root(env: &TestEnv) -> bool {
    use std::os::unix::fs::MetadataExt;
    let probe = env.path("uid-probe");
    std::fs::write(&probe, "").unwrap();
    let uid = std::fs::metadata(&probe).unwrap().uid();
    std::fs::remove_file(&probe).unwrap();
    uid == 0
}

/// Runs learnlog as an unprivileged user (nobody) when the tests run as
/// root, for whom permission bits stop nothing; else as the current user.
/// Nobody runs a copy of the binary in the test's folder: the build folder
/// may be one only root can enter (a checkout under /root).
#[cfg(unix)]
fn run_unprivileged(env: &TestEnv, args: &[&str]) -> crate::common::Run {
    if is_root(env) {
        let copy = env.path("learnlog-for-nobody");
        if !copy.exists() {
            std::fs::copy(crate::common::BIN, &copy).unwrap();
            set_mode(&copy, 0o755);
        }
        let copy = copy.display().to_string();
        let mut all = vec!["--reuid=65534", "--regid=65534", "--clear-groups", copy.as_str()];
        all.extend_from_slice(args);
        // Another test thread may fork while the copy is still open for
        // writing in this process, and exec then fails with "Text file busy"
        // until that child has exec'd: try again.
        let mut run = crate::common::to_run(env.program("setpriv", &all).output().unwrap());
        for _ in 0..20 {
            if !run.stderr.contains("Text file busy") {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
            run = crate::common::to_run(env.program("setpriv", &all).output().unwrap());
        }
        run
    } else {
        env.run(args)
    }
}

#[cfg(unix)]
fn set_mode(path: &std::path::Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// The database in a 0555 folder as a 0444 file, WAL mode, no `-shm`:
/// reports, `export` and `backup` read it; a check-in is refused (exit 1).
#[cfg(unix)]
#[test]
fn a_database_in_a_read_only_folder_and_file_can_be_read() {
    let env = small_record();
    let data = env.db_path().parent().unwrap().to_path_buf();
    let out_dir = env.path("out");
    std::fs::create_dir(&out_dir).unwrap();
    set_mode(env.home(), 0o755);
    set_mode(&out_dir, 0o777);
    let expected = env.run(&["--json", "report", "--month"]).ok().json();
    make_database_read_only(&env);
    set_mode(&data, 0o555);
    let backup = out_dir.join("copy.db").display().to_string();
    for args in [&["status"][..], &["report"], &["export"], &["list", "sessions"], &["backup", &backup]] {
        let run = run_unprivileged(&env, args);
        assert_eq!(run.code, 0, "`learnlog {}` on a read-only database:\n{}", args.join(" "), run.transcript());
    }
    let report = run_unprivileged(&env, &["--json", "report", "--month"]);
    assert_eq!(serde_json::from_str::<Value>(&report.stdout).unwrap(), expected);
    assert!(std::fs::metadata(out_dir.join("copy.db")).unwrap().len() > 0);
    let write = run_unprivileged(&env, &["checkin", "ml", "10m"]);
    assert_eq!(write.code, 1, "{}", write.transcript());
    assert!(write.stderr.starts_with("error: "), "{}", write.transcript());
    // Only the file read-only, in a folder that can hold the WAL's files.
    set_mode(&data, 0o777);
    let run = run_unprivileged(&env, &["report"]);
    assert_eq!(run.code, 0, "{}", run.transcript());
    set_mode(&data, 0o700);
    set_mode(&env.db_path(), 0o600);
}

/// The database read-only: the file and, since recent commits may still be
/// in the WAL (checkpoints are left to later writes), its WAL files too.
#[cfg(unix)]
fn make_database_read_only(env: &TestEnv) {
    set_mode(&env.db_path(), 0o444);
    for companion in ["db-wal", "db-shm"] {
        let file = env.db_path().with_extension(companion);
        if file.exists() {
            set_mode(&file, 0o444);
        }
    }
}

/// A read-only file that needs a schema migration: a clear error, exit 1,
/// and the file untouched.
#[cfg(unix)]
#[test]
fn a_read_only_database_that_needs_a_migration_says_so() {
    let env = small_record();
    env.sql()
        .execute_batch(
            "DROP TRIGGER sessions_totals_insert; DROP TRIGGER sessions_totals_delete;
             DROP TRIGGER sessions_totals_update; DROP TABLE day_totals;
             DROP INDEX sessions_started; PRAGMA user_version = 1;",
        )
        .unwrap();
    let data = env.db_path().parent().unwrap().to_path_buf();
    set_mode(env.home(), 0o755);
    make_database_read_only(&env);
    set_mode(&data, 0o555);
    let before = env.db_bytes();
    let run = run_unprivileged(&env, &["report"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.starts_with("error: "), "{}", run.transcript());
    assert!(run.stderr.contains("schema upgrade"), "{}", run.transcript());
    assert!(run.stderr.contains("hint: "), "{}", run.transcript());
    assert!(env.db_bytes() == before);
    set_mode(&data, 0o700);
    set_mode(&env.db_path(), 0o600);
}

// ---- one number everywhere ------------------------------------------

/// A goal with a course and a project; the course has study sessions and a
/// zero-minute progress mark, which is not a session of study.
fn goal_record() -> TestEnv {
    let env = TestEnv::new();
    let steps: &[(&str, &[&str])] = &[
        ("2026-11-02T12:00:00Z", &["add", "goal", "Data engineer", "--slug", "de"]),
        (
            "2026-11-02T12:00:00Z",
            &["add", "course", "Machine Learning", "--units", "10", "--goal", "de", "--slug", "ml"],
        ),
        ("2026-11-02T12:00:00Z", &["add", "project", "Bird classifier", "--goal", "de", "--slug", "birds"]),
        ("2026-11-16T20:00:00Z", &["checkin", "ml", "45m"]),
        ("2026-11-17T20:00:00Z", &["checkin", "ml", "1h", "--units", "2"]),
        ("2026-11-18T12:00:00Z", &["progress", "ml", "5"]),
        ("2026-11-19T20:00:00Z", &["checkin", "birds", "1h30m"]),
        ("2026-11-21T20:00:00Z", &["checkin", "20m"]),
        ("2026-11-23T18:00:00Z", &["checkin", "ml", "25m"]),
    ];
    for (now, args) in steps {
        env.run_at(now, args).ok();
    }
    env
}

#[test]
fn the_same_counts_in_status_streak_show_report_heatmap_portfolio_and_export() {
    let env = goal_record();
    let (ml_minutes, ml_sessions) = (45 + 60 + 25, 3);
    let (birds_minutes, all_minutes) = (90, 45 + 60 + 90 + 20 + 25);

    let show = json_of(&env, &["show", "ml"]);
    assert_eq!((show["minutes"].as_i64(), show["sessions"].as_i64()), (Some(ml_minutes), Some(ml_sessions)));
    let report = json_of(&env, &["report", "--month"]);
    let ml = report["items"].as_array().unwrap().iter().find(|i| i["ref"] == "ml").unwrap().clone();
    assert_eq!((ml["minutes"].as_i64(), ml["sessions"].as_i64()), (Some(ml_minutes), Some(ml_sessions)));
    assert_eq!(report["totals"]["minutes"], all_minutes);
    let streak = json_of(&env, &["streak", "ml"]);
    assert_eq!(streak["total_minutes"], ml_minutes);
    assert_eq!(json_of(&env, &["streak"])["total_minutes"], all_minutes);
    assert_eq!(json_of(&env, &["heatmap", "ml"])["total_minutes"], ml_minutes);
    assert_eq!(json_of(&env, &["status"])["today"]["minutes"], 25);
    // Studied days: every day above streak.min_minutes, the same in each.
    let studied = json_of(&env, &["streak"])["studied_days"].clone();
    assert_eq!(studied, 5);
    assert_eq!(json_of(&env, &["heatmap"])["studied_days"], studied);
    assert_eq!(json_of(&env, &["report", "--year"])["totals"]["study_days"], studied);
    assert_eq!(json_of(&env, &["status"])["streak"]["studied_days"], studied);
    let portfolio = json_of(&env, &["portfolio"]);
    let hours = portfolio["hours"].as_array().unwrap();
    assert_eq!(hours.iter().find(|h| h["slug"] == "ml").unwrap()["minutes"], ml_minutes);
    assert_eq!(portfolio["total_minutes"], all_minutes);
    assert_eq!(portfolio["general_minutes"], 20);
    let export = json_of(&env, &["export"]);
    let ml_uuid = json_of(&env, &["show", "ml"])["uuid"].clone();
    let ml_rows: Vec<&Value> =
        export["sessions"].as_array().unwrap().iter().filter(|s| s["target"] == ml_uuid).collect();
    let studied = ml_rows.iter().filter(|s| s["minutes"].as_i64() > Some(0)).count();
    assert_eq!(studied as i64, ml_sessions);
    assert_eq!(ml_rows.iter().map(|s| s["minutes"].as_i64().unwrap()).sum::<i64>(), ml_minutes);

    // A goal's totals are its courses' and projects'.
    let goal = json_of(&env, &["show", "de"]);
    assert_eq!(goal["minutes"], ml_minutes + birds_minutes);
    assert_eq!(goal["sessions"], ml_sessions + 1);
    assert_eq!(json_of(&env, &["heatmap", "de"])["total_minutes"], ml_minutes + birds_minutes);
    let text = env.run(&["show", "de"]).ok().stdout;
    assert!(text.contains("time         3h40 in 4 sessions"), "{text}");
}

// ---- rest days ----------------------------------------------

#[test]
fn a_rest_day_is_a_rest_day_not_a_streak_at_stake() {
    let env = TestEnv::new();
    env.run_at("2026-11-20T20:00:00Z", &["checkin", "30m"]).ok();
    env.run_at("2026-11-21T20:00:00Z", &["checkin", "30m"]).ok();
    env.run_at("2026-11-21T20:00:00Z", &["rest", "2026-11-23", "--reason", "travel"]).ok();
    env.run_at("2026-11-22T20:00:00Z", &["checkin", "30m"]).ok();
    let status = env.run(&["status"]).ok().stdout;
    assert!(status.contains("today is a rest day"), "{status}");
    assert!(!status.contains("at stake"), "{status}");
    let streak = env.run(&["streak"]).ok().stdout;
    assert!(streak.contains("today: rest day"), "{streak}");
    assert_eq!(json_of(&env, &["streak"])["rest_today"], true);
    // The day after, with nothing logged, the streak is at stake again.
    let status = env.run_at("2026-11-24T19:00:00Z", &["status"]).ok().stdout;
    assert!(status.contains("today at stake"), "{status}");
}

#[test]
fn reports_count_rest_days_apart() {
    let env = TestEnv::new();
    env.run_at("2026-11-13T12:00:00Z", &["rest", "2026-11-19", "--reason", "travel"]).ok();
    for day in ["16", "17", "18", "20", "21"] {
        env.run_at(&format!("2026-11-{day}T20:00:00Z"), &["checkin", "30m"]).ok();
    }
    let report = json_of(&env, &["report", "--last-week"]);
    assert_eq!(report["totals"]["study_days"], 5);
    assert_eq!(report["totals"]["days"], 6);
    assert_eq!(report["totals"]["rest_days"], 1);
    let text = env.run(&["report", "--last-week"]).ok().stdout;
    assert!(text.contains("Studied 5 of 6 days, 1 rest day (83 %)"), "{text}");
    let markdown = env.run(&["report", "--last-week", "--format", "markdown"]).ok().stdout;
    assert!(markdown.contains("I studied on 5 of 6 days, 1 rest day (83 %)"), "{markdown}");
    // Studying on a rest day makes it a studied day, not a rest day.
    env.run_at("2026-11-19T21:00:00Z", &["checkin", "--date", "2026-11-19", "10m"]).ok();
    let report = json_of(&env, &["report", "--last-week"]);
    assert_eq!((report["totals"]["study_days"].as_i64(), report["totals"]["rest_days"].as_i64()), (Some(6), Some(0)));
}

// ---- list sessions and report, for one record --------------------------------

#[test]
fn list_sessions_says_how_many_it_leaves_out() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "-q"]).ok();
    for day in 1..=25 {
        let target = if day % 2 == 0 { "ml" } else { "20m" };
        env.run_at(&format!("2026-10-{day:02}T20:00:00Z"), &["checkin", target, "-q"]).ok();
    }
    let run = env.run(&["list", "sessions"]).ok();
    assert!(run.stdout.ends_with("20 of 25 sessions (--all or --limit N for more)\n"), "{}", run.stdout);
    let all = env.run(&["list", "sessions", "--all"]).ok();
    assert!(!all.stdout.contains(" of 25 sessions"), "{}", all.stdout);
    // JSON stays the list alone.
    assert_eq!(json_of(&env, &["list", "sessions"]).as_array().unwrap().len(), 20);
    // One course's sessions.
    let ml = json_of(&env, &["list", "sessions", "ml"]);
    let rows = ml.as_array().unwrap();
    assert_eq!(rows.len(), 12);
    assert!(rows.iter().all(|s| s["target"] == "ml"));
    let limited = env.run(&["list", "sessions", "ml", "--limit", "5"]).ok();
    assert!(limited.stdout.ends_with("5 of 12 sessions (--all or --limit N for more)\n"), "{}", limited.stdout);
    env.run(&["list", "courses", "ml"]).fails(2);
}

#[test]
fn report_of_one_course_project_or_goal() {
    let env = goal_record();
    let ml = json_of(&env, &["report", "--month", "ml"]);
    assert_eq!(ml["target"], "ml");
    let refs: Vec<&str> = ml["items"].as_array().unwrap().iter().map(|i| i["ref"].as_str().unwrap()).collect();
    assert_eq!(refs, ["ml"]);
    assert_eq!(ml["totals"]["minutes"], 130);
    assert_eq!(ml["totals"]["sessions"], 3);
    assert_eq!(ml["balance"]["general_minutes"], 0);
    let goal = json_of(&env, &["report", "--month", "de"]);
    let refs: Vec<&str> = goal["items"].as_array().unwrap().iter().map(|i| i["ref"].as_str().unwrap()).collect();
    assert_eq!(refs, ["ml", "birds"]);
    assert_eq!(goal["totals"]["minutes"], 220);
    let all = json_of(&env, &["report", "--month"]);
    assert_eq!(all["totals"]["minutes"], 240);
    let text = env.run(&["report", "--month", "birds"]).ok().stdout;
    assert!(text.starts_with("This month on birds: "), "{text}");
    env.run(&["report", "nope"]).fails(2);
}

// ---- progress ------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_large_import_shows_progress_on_a_terminal_only() {
    if !crate::common::has_script() {
        return;
    }
    let (_source, file) = crate::common::history_file(2500);
    let import = format!("import '{}'", file.display());
    let run = TestEnv::new().on_terminal(&import);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("importing: ["), "no progress bar:\n{}", run.stdout);
    let quiet = TestEnv::new().on_terminal(&format!("{import} -q"));
    assert_eq!(quiet.code, 0, "{}", quiet.transcript());
    assert!(!quiet.stdout.contains("importing"), "a progress bar with -q:\n{}", quiet.stdout);
    let piped = TestEnv::new().run(&["import", file.to_str().unwrap()]).ok();
    assert!(!piped.stderr.contains("importing"), "a progress bar on a pipe:\n{}", piped.stderr);
}

// ---- after a check-in ----------------------------------------------------------

/// Runs learnlog on a terminal (through `script`).
#[cfg(unix)]
fn run_on_terminal(env: &TestEnv, args: &str) -> crate::common::Run {
    let command = format!("'{}' {args}", crate::common::BIN);
    crate::common::to_run(env.program("script", &["-qec", &command, "/dev/null"]).output().unwrap())
}

#[cfg(unix)]
#[test]
fn a_checkin_on_a_terminal_says_where_the_streak_and_the_pledge_stand() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "-q"]).ok();
    env.run(&["pledge", "ml", "5h/week", "-q"]).ok();
    env.run_at("2026-11-22T20:00:00Z", &["checkin", "ml", "1h", "-q"]).ok();
    let run = run_on_terminal(&env, "checkin ml 45m");
    assert_eq!(run.code, 0, "{}", run.transcript());
    let lines: Vec<&str> = run.stdout.lines().map(str::trim_end).collect();
    assert_eq!(lines, ["Logged 45m on ml for 2026-11-23 (session #2).", "streak 2d · week 45m/5h on ml"]);
    // General study counts for an `all` pledge.
    env.run(&["pledge", "all", "30m/day", "-q"]).ok();
    let run = run_on_terminal(&env, "checkin 20m");
    assert!(run.stdout.contains("streak 2d · today 1h05/30m on all"), "{}", run.stdout);
    // Not with -q, not with --json, and not for a script.
    let quiet = run_on_terminal(&env, "checkin 5m -q");
    assert_eq!(quiet.stdout, "");
    let json = run_on_terminal(&env, "--json checkin 5m");
    assert!(!json.stdout.contains("streak"), "{}", json.stdout);
    let piped = env.run(&["checkin", "5m"]).ok();
    assert_eq!(piped.stdout.lines().count(), 1, "{}", piped.stdout);
}
