//! The files in examples/ are checked by the shell and run against a
//! temporary database, with the binary under test first on PATH.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{BIN, TestEnv, to_run};

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples").join(name)
}

/// The directory of the learnlog binary under test.
fn bin_dir() -> PathBuf {
    Path::new(BIN).parent().unwrap().to_path_buf()
}

/// A program's full path, found on this process's PATH (the scripts run
/// with a PATH that may not hold their shell).
fn find(program: &str) -> String {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| panic!("{program} is not on PATH"))
        .display()
        .to_string()
}

/// Runs `shell SCRIPT` in the test environment with PATH set to `path`.
fn shell(env: &TestEnv, shell: &str, script: &Path, path: &str) -> crate::common::Run {
    let mut cmd = env.program(&find(shell), &[script.to_str().unwrap()]);
    cmd.env("PATH", path);
    to_run(cmd.output().unwrap())
}

fn syntax_ok(shell: &str, file: &Path) {
    let run = to_run(Command::new(shell).arg("-n").arg(file).output().unwrap());
    assert_eq!(run.code, 0, "{shell} -n {}:\n{}", file.display(), run.transcript());
}

#[test]
fn the_shell_aliases_and_prompt_function_work() {
    let file = example("learnlog.sh");
    syntax_ok("bash", &file);
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "--units", "10", "-q"]).ok();
    let script = env.path("daily.bash");
    std::fs::write(
        &script,
        format!(
            "shopt -s expand_aliases\n. '{}'\nll-in ml 45m\nll-in\nll-units ml 2\nll-s\necho \"[$(learnlog_prompt)]\"\nll-undo\nll-ls\n",
            file.display()
        ),
    )
    .unwrap();
    let path = format!("{}:/usr/bin:/bin", bin_dir().display());
    let run = shell(&env, "bash", &script, &path);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stderr, "");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines[..6],
        [
            "Logged 45m on ml for 2026-11-23 (session #1).",
            "Logged 30m for 2026-11-23 (session #2).",
            "ml: 2 of 10 units done (was 0).",
            "streak 1d · today 1h15 · week 1h15",
            "[streak 1d · today 1h15 · week 1h15]",
            "Undid: progress ml 2 (from 2026-11-23 19:30 UTC).",
        ]
    );
    assert_eq!(env.count("sessions"), 2);
    // Without learnlog on PATH the prompt segment is empty and quiet.
    let quiet = env.path("quiet.bash");
    std::fs::write(&quiet, format!(". '{}'\necho \"[$(learnlog_prompt)]\"\n", file.display())).unwrap();
    let run = shell(&env, "bash", &quiet, "/usr/bin:/bin");
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "[]\n", ""));
    // And with no database yet, it prints the empty state and no hint.
    let fresh = TestEnv::new();
    let run = shell(&fresh, "bash", &quiet, &path);
    assert_eq!((run.stdout.as_str(), run.stderr.as_str()), ("[streak 0d · today 0m · week 0m]\n", ""));
    assert!(!fresh.db_path().exists());
}

#[test]
fn the_cron_reminder_prints_or_notifies_only_when_due() {
    let file = example("remind.sh");
    syntax_ok("sh", &file);
    syntax_ok("bash", &file);
    let mut env = TestEnv::new();
    let only_learnlog = bin_dir().display().to_string();
    // Nothing recorded: quiet.
    let run = shell(&env, "sh", &file, &only_learnlog);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""), "{}", run.transcript());
    env.checkin_on("yesterday", &["30m", "-q"]);
    // Due, and no notify-send: the nudge is printed for cron to mail.
    let run = shell(&env, "sh", &file, &only_learnlog);
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert_eq!(run.stdout, "No study logged today: your 1-day streak is at stake.\n");
    assert_eq!(run.stderr, "");
    // With notify-send on PATH it is a notification instead.
    let fake = env.path("fake-bin");
    std::fs::create_dir(&fake).unwrap();
    let log = env.path("notified.txt");
    let notify = fake.join("notify-send");
    std::fs::write(&notify, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" > '{}'\n", log.display())).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&notify, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let with_notify = format!("{}:{}", fake.display(), only_learnlog);
    let run = shell(&env, "sh", &file, &with_notify);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "", ""), "{}", run.transcript());
    assert_eq!(
        std::fs::read_to_string(&log).unwrap(),
        "--app-name=learnlog\nlearnlog\nNo study logged today: your 1-day streak is at stake.\n"
    );
    // A notify-send that fails (no display): printed after all.
    std::fs::write(&notify, "#!/bin/sh\nexit 1\n").unwrap();
    let run = shell(&env, "sh", &file, &with_notify);
    assert_eq!(run.stdout, "No study logged today: your 1-day streak is at stake.\n");
    // Too early in the day, or studied today: quiet.
    env.at("2026-11-23T12:00:00Z");
    let run = shell(&env, "sh", &file, &only_learnlog);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    env.at(crate::common::NOW);
    env.run(&["checkin", "10m", "-q"]).ok();
    let run = shell(&env, "sh", &file, &only_learnlog);
    assert_eq!((run.code, run.stdout.as_str()), (0, ""));
    // A broken database: learnlog's error and its exit code come through.
    env.checkpoint();
    std::fs::write(env.db_path(), "not a database").unwrap();
    let run = shell(&env, "sh", &file, &only_learnlog);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.starts_with("error: database "), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn the_annotated_config_loads_and_lists_every_key_at_its_default() {
    let file = example("config.toml");
    let env = TestEnv::new();
    let shown = env.run(&["--config", file.to_str().unwrap(), "config", "show"]).ok();
    let defaults = env.run(&["config", "show"]).ok();
    assert_eq!(shown.stdout, defaults.stdout, "examples/config.toml must hold the defaults");
    let text = std::fs::read_to_string(&file).unwrap();
    let json = env.run(&["config", "show", "--json"]).ok().json();
    let mut keys: Vec<String> = vec!["database".into()];
    for (key, value) in json.as_object().unwrap() {
        match value.as_object() {
            Some(table) => {
                assert!(text.contains(&format!("[{key}]")), "no [{key}] table");
                keys.extend(table.keys().cloned());
            }
            None => keys.push(key.clone()),
        }
    }
    for key in keys {
        assert!(text.contains(&format!("{key} = ")), "examples/config.toml lacks `{key}`");
    }
    // It is used for real: a check-in reads it.
    let run = env.run(&["--config", file.to_str().unwrap(), "checkin"]).ok();
    assert_eq!(run.stdout, "Logged 30m for 2026-11-23 (session #1).\n");
}
