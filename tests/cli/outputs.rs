//! Output contract (SPEC §2, §4, §5): `--json` on every command, read-only
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

// ---- a read-only database can be read (SPEC §5) ----------------------------

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
#[cfg(unix)]
fn run_unprivileged(env: &TestEnv, args: &[&str]) -> crate::common::Run {
    if is_root(env) {
        let mut all = vec!["--reuid=65534", "--regid=65534", "--clear-groups", crate::common::BIN];
        all.extend_from_slice(args);
        crate::common::to_run(env.program("setpriv", &all).output().unwrap())
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
    set_mode(&env.db_path(), 0o444);
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
    set_mode(&env.db_path(), 0o444);
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
