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
