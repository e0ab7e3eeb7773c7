//! What a user types: slugs, durations, limits, money, hints, files, help
//!.

use crate::common::{Run, TestEnv};

/// The command in a run's `hint:` line (between backticks), as arguments
/// without the leading `learnlog`.
fn hinted_command(run: &Run) -> Vec<String> {
    let hint =
        run.stderr.lines().find(|l| l.starts_with("hint:")).unwrap_or_else(|| panic!("no hint:\n{}", run.transcript()));
    let start = hint.find('`').unwrap_or_else(|| panic!("the hint names no command: {hint}"));
    let rest = &hint[start + 1..];
    let command = &rest[..rest.find('`').unwrap()];
    let words: Vec<String> = command.split_whitespace().map(String::from).collect();
    assert_eq!(words[0], "learnlog", "{hint}");
    words[1..].to_vec()
}

/// Follows the hint of a refused run: the command it names must work.
#[track_caller]
fn follow_hint(env: &TestEnv, run: &Run) -> Run {
    let words = hinted_command(run);
    let args: Vec<&str> = words.iter().map(String::as_str).collect();
    env.run(&args).ok()
}

fn slug_of(run: &Run) -> String {
    run.json()["slug"].as_str().unwrap().to_string()
}

// ---- Slugs

#[test]
fn a_made_slug_is_at_most_40_characters() {
    let env = TestEnv::new();
    let title = "x".repeat(100_000);
    let slug = slug_of(&env.run(&["add", "course", &title, "--json"]).ok());
    assert_eq!(slug.chars().count(), 40);
    let title = "Introduction to Computational Thinking and Data Science with Python";
    let slug = slug_of(&env.run(&["add", "course", title, "--json"]).ok());
    assert_eq!(slug, "introduction-to-computational-thinking");
    // A clash still fits in 40.
    let slug = slug_of(&env.run(&["add", "course", title, "--json"]).ok());
    assert_eq!(slug, "introduction-to-computational-thinking-2");
    let slug = slug_of(&env.run(&["add", "course", &"y".repeat(50), "--json"]).ok());
    let again = slug_of(&env.run(&["add", "course", &"y".repeat(50), "--json"]).ok());
    assert_ne!(slug, again);
    assert!(again.chars().count() <= 40, "{again}");
}

#[test]
fn slugs_that_read_as_something_else_get_their_kind() {
    let env = TestEnv::new();
    for (kind, title, slug) in [
        ("course", "12", "course-12"),
        ("course", "90", "course-90"),
        ("course", "1h", "course-1h"),
        ("course", "45m", "course-45m"),
        ("course", "1h30", "course-1h30"),
        ("course", "Today", "course-today"),
        ("course", "Friday", "course-friday"),
        ("course", "mon", "course-mon"),
        ("project", "All", "project-all"),
        ("goal", "2027", "goal-2027"),
    ] {
        assert_eq!(slug_of(&env.run(&["add", kind, title, "--json"]).ok()), slug, "{title}");
    }
    // `checkin course-12 45m` reaches the course; `checkin 12` is 12 minutes of general study.
    env.run(&["checkin", "course-12", "45m"]).ok();
    let run = env.run(&["checkin", "12", "--json"]).ok();
    assert_eq!(run.json()["minutes"], 12);
    assert!(run.json()["target"].is_null());
}

#[test]
fn given_slugs_that_read_as_something_else_are_refused() {
    let env = TestEnv::new();
    env.run(&["init"]).ok();
    for slug in ["12", "90", "1h", "45M", "today", "fri", "all", "2026-01-31"] {
        let run = env.refused(&["add", "course", "Machine Learning", "--slug", slug], 2);
        assert!(run.stderr.contains("hint: "), "{}", run.transcript());
    }
    env.run(&["add", "course", "Machine Learning", "--slug", "ml"]).ok();
    env.refused(&["edit", "ml", "--slug", "1h30"], 2);
    env.run(&["add", "course", "ML 2", "--slug", "course-12"]).ok();
}

#[test]
fn every_slug_learnlog_writes_import_accepts() {
    let env = TestEnv::new();
    env.run(&["add", "course", "12"]).ok();
    env.run(&["add", "course", &"z".repeat(300)]).ok();
    env.run(&["checkin", "course-12", "45m"]).ok();
    let file = env.path("out.json");
    env.run(&["export", "--out", file.to_str().unwrap()]).ok();
    let other = TestEnv::new();
    other.run(&["import", file.to_str().unwrap()]).ok();
    other.run(&["checkin", "course-12", "30m"]).ok();
    assert_eq!(other.count("sessions"), 2);
}

#[test]
fn an_older_slug_that_reads_as_a_number_is_imported_with_its_kind() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Twelve", "--slug", "twelve"]).ok();
    let file = env.path("out.json");
    env.run(&["export", "--out", file.to_str().unwrap()]).ok();
    // An export from before the rule, with the slug `12`.
    let text = std::fs::read_to_string(&file).unwrap().replace("\"twelve\"", "\"12\"");
    std::fs::write(&file, text).unwrap();
    let other = TestEnv::new();
    let run = other.run(&["import", file.to_str().unwrap()]).ok();
    assert!(run.stdout.contains("course '12' was imported as 'course-12'"), "{}", run.transcript());
    other.run(&["checkin", "course-12", "30m"]).ok();
}

// ---- Durations

#[test]
fn durations_in_every_form_and_either_case() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml"]).ok();
    for (text, minutes) in [
        ("45m", 45),
        ("1h", 60),
        ("1h30m", 90),
        ("1h30", 90),
        ("1.5h", 90),
        ("90", 90),
        ("1:30", 90),
        ("1H", 60),
        ("45M", 45),
        ("1H30M", 90),
    ] {
        let run = env.run(&["checkin", "ml", text, "--date", "-3d", "--json"]).ok();
        assert_eq!(run.json()["minutes"], minutes, "{text}");
        env.run(&["rm", "session", &run.json()["id"].to_string(), "--yes"]).ok();
    }
    for bad in ["0", "0m", "25h", "1441", "1h90"] {
        env.refused(&["checkin", "ml", bad], 2);
    }
    env.refused(&["edit", "session", "1", "--minutes", "25h"], 2);
}

#[test]
fn what_learnlog_prints_as_a_duration_it_reads_back() {
    let env = TestEnv::new();
    env.run(&["checkin", "1h05", "--date", "-2d"]).ok();
    let run = env.run(&["list", "sessions"]).ok();
    assert!(run.stdout.contains("1h05"), "{}", run.stdout);
    let run = env.run(&["checkin", "1h05", "--json"]).ok();
    assert_eq!(run.json()["minutes"], 65);
}

#[test]
fn a_study_day_holds_at_most_24_hours() {
    let env = TestEnv::new();
    env.run(&["checkin", "20h", "--date", "yesterday"]).ok();
    env.run(&["checkin", "4h", "--date", "yesterday"]).ok();
    let run = env.refused(&["checkin", "1m", "--date", "yesterday"], 2);
    assert!(run.stderr.contains("more than 24h"), "{}", run.transcript());
    // Editing a session: its own minutes do not count twice.
    env.run(&["edit", "session", "2", "--minutes", "3h"]).ok();
    env.refused(&["edit", "session", "2", "--minutes", "4h30"], 2);
    // Moving a session onto a full day.
    env.run(&["checkin", "2h", "--date", "-3d"]).ok();
    env.run(&["checkin", "1h", "--date", "yesterday"]).ok();
    env.refused(&["edit", "session", "3", "--date", "yesterday"], 2);
}

#[test]
fn an_import_may_not_bring_a_day_past_24_hours() {
    let source = TestEnv::new();
    source.run(&["checkin", "20h", "--date", "yesterday"]).ok();
    let file = source.path("out.json");
    source.run(&["export", "--out", file.to_str().unwrap()]).ok();
    let env = TestEnv::new();
    env.run(&["checkin", "5h", "--date", "yesterday"]).ok();
    let run = env.refused(&["import", file.to_str().unwrap()], 2);
    assert!(run.stderr.contains("more than 24h"), "{}", run.transcript());
    env.refused(&["import", file.to_str().unwrap(), "--dry-run"], 2);
    // The same file twice is no growth: still accepted.
    let fresh = TestEnv::new();
    fresh.run(&["import", file.to_str().unwrap()]).ok();
    fresh.run(&["import", file.to_str().unwrap()]).ok();
}

// ---- Limits

#[test]
fn checkin_units_cannot_take_a_course_past_its_total() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "--units", "12"]).ok();
    env.run(&["progress", "ml", "11"]).ok();
    let run = env.refused(&["checkin", "ml", "45m", "--units", "2"], 2);
    assert!(run.stderr.contains("progress ml 11/13"), "{}", run.transcript());
    follow_hint(&env, &run);
    env.run(&["checkin", "ml", "45m", "--units", "2"]).ok();
    env.refused(&["checkin", "ml", "45m", "--units", "-1"], 2);
    // edit session --units keeps the same limit.
    env.refused(&["edit", "session", "2", "--units", "3"], 2);
}

#[test]
fn edit_units_below_the_units_done_is_refused() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml", "--units", "12"]).ok();
    env.run(&["progress", "ml", "11"]).ok();
    let run = env.refused(&["edit", "ml", "--units", "5"], 2);
    assert!(run.stderr.contains("progress ml 5/5"), "{}", run.transcript());
    env.run(&["edit", "ml", "--units", "11"]).ok();
    follow_hint(&env, &run);
}

#[test]
fn a_session_cannot_move_to_a_finished_target() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml"]).ok();
    env.run(&["add", "course", "Rust Book", "--slug", "rust"]).ok();
    env.run(&["add", "project", "Birds", "--slug", "birds"]).ok();
    env.run(&["checkin", "ml", "45m"]).ok();
    env.run(&["done", "rust"]).ok();
    env.run(&["add", "course", "Old", "--slug", "old"]).ok();
    env.run(&["drop", "old"]).ok();
    for target in ["rust", "old"] {
        let run = env.refused(&["edit", "session", "1", "--target", target], 2);
        follow_hint(&env, &run);
        env.run(&["edit", "session", "1", "--target", "ml"]).ok();
    }
    env.run(&["edit", "session", "1", "--target", "birds"]).ok();
}

#[test]
fn config_values_are_checked_like_their_flags() {
    let env = TestEnv::new();
    for (toml, key) in [
        ("default_minutes = 100000", "default_minutes"),
        ("default_minutes = 0", "default_minutes"),
        ("currency = \"XYZ\"", "currency"),
        ("horizon_days = 100000", "horizon_days"),
        ("[streak]\nmin_minutes = 2000", "streak.min_minutes"),
        ("[streak]\nfreeze_every = 100000", "streak.freeze_every"),
        ("[streak]\nmax_freezes = 100000", "streak.max_freezes"),
        ("[remind]\nafter = \"25:00\"", "remind.after"),
        ("database = \"\"", "database"),
    ] {
        env.write_config(toml);
        let run = env.run(&["status"]).fails(2);
        assert!(run.stderr.contains(&format!("`{key}`")), "{toml}:\n{}", run.transcript());
    }
    // The hint of an invalid config works while it is invalid.
    let run = env.run(&["status"]).fails(2);
    assert!(follow_hint(&env, &run).stdout.contains("default_minutes = 30"));
    std::fs::remove_file(env.config_path()).unwrap();
    let run = env.run(&["config", "set", "default_minutes", "100000"]).fails(2);
    assert!(run.stderr.contains("`default_minutes`"), "{}", run.transcript());
    let run = env.run(&["config", "set", "default_minutes", "25h"]).fails(2);
    assert!(run.stderr.contains("`default_minutes`"), "{}", run.transcript());
    // A minutes key takes a duration, as its flag does.
    env.run(&["config", "set", "default_minutes", "1h30"]).ok();
    assert_eq!(env.run(&["config", "get", "default_minutes"]).ok().stdout, "90\n");
    env.run(&["config", "set", "default_minutes", "45"]).ok();
    assert_eq!(env.run(&["config", "get", "default_minutes"]).ok().stdout, "45\n");
    env.run(&["config", "set", "currency", "bhd"]).ok();
    let run = env.run(&["add", "course", "Arabic", "--price", "1.5", "--json"]).ok();
    assert_eq!(run.json()["price"]["minor"], 1500);
    assert_eq!(run.json()["price"]["currency"], "BHD");
}

// ---- Money

#[test]
fn money_has_the_minor_units_of_its_currency() {
    let env = TestEnv::new();
    let price = |text: &str| {
        let run = env.run(&["add", "course", "C", "--price", text, "--json"]).ok();
        (run.json()["price"]["minor"].as_i64().unwrap(), run.json()["price"]["currency"].as_str().unwrap().to_string())
    };
    assert_eq!(price("1.5BHD"), (1500, "BHD".into()));
    assert_eq!(price("1JPY"), (1, "JPY".into()));
    assert_eq!(price("49.99eur"), (4999, "EUR".into()));
    let run = env.refused(&["add", "course", "C", "--price", "1.234USD"], 2);
    assert!(run.stderr.contains("USD has 2 decimals"), "{}", run.transcript());
    let run = env.refused(&["add", "course", "C", "--price", "10XYZ"], 2);
    assert!(run.stderr.contains("ISO 4217"), "{}", run.transcript());
    env.refused(&["add", "course", "C", "--price", "1.5JPY"], 2);
}

// ---- Hints

#[test]
fn the_hints_of_a_finished_course_name_commands_that_work() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Machine Learning", "--slug", "ml"]).ok();
    env.run(&["done", "ml"]).ok();
    let run = env.refused(&["checkin", "ml", "45m"], 2);
    assert!(!run.stderr.contains("resume"), "resume refuses a completed course:\n{}", run.transcript());
    follow_hint(&env, &run);
    let run = env.refused(&["resume", "ml"], 2);
    follow_hint(&env, &run);
    let run = env.refused(&["done", "ml"], 2);
    follow_hint(&env, &run);
    // A dropped one can be resumed, and the hints say so.
    env.run(&["add", "course", "Rust", "--slug", "rust"]).ok();
    env.run(&["drop", "rust"]).ok();
    let run = env.refused(&["done", "rust"], 2);
    follow_hint(&env, &run);
    env.run(&["drop", "rust"]).ok();
    let run = env.refused(&["checkin", "rust", "45m"], 2);
    follow_hint(&env, &run);
    env.run(&["checkin", "rust", "45m"]).ok();
}

// ---- Files

#[test]
fn a_config_file_named_explicitly_must_exist() {
    let env = TestEnv::new();
    let missing = env.path("nope.toml");
    let missing = missing.to_str().unwrap();
    let run = env.run(&["--config", missing, "status"]).fails(2);
    assert!(run.stderr.contains("does not exist"), "{}", run.transcript());
    let mut cmd = env.command(&["status"]);
    cmd.env("LEARNLOG_CONFIG", missing);
    let run = crate::common::to_run(cmd.output().unwrap()).fails(2);
    assert!(run.stderr.contains("nope.toml does not exist"), "{}", run.transcript());
    // The default path missing still means defaults.
    assert!(!env.config_path().exists());
    env.run(&["status"]).ok();
    // `config path` names the file, and `config set` (the hint) creates it.
    env.run(&["--config", missing, "config", "path"]).ok();
    let run = env.run(&["--config", missing, "status"]).fails(2);
    follow_hint(&env, &run);
    env.run(&["--config", missing, "status"]).ok();
}

#[test]
fn out_and_backup_create_no_folders() {
    let env = TestEnv::new();
    env.run(&["checkin", "45m"]).ok();
    let out = env.path("no/such/dir/out.json");
    let run = env.refused(&["export", "--out", out.to_str().unwrap()], 2);
    assert!(run.stderr.contains("does not exist"), "{}", run.transcript());
    env.refused(&["export", "--format", "csv", "--out", out.to_str().unwrap()], 2);
    let copy = env.path("no/such/dir/copy.db");
    env.refused(&["backup", copy.to_str().unwrap()], 2);
    assert!(!env.path("no").exists(), "a folder was created");
    env.run(&["export", "--out", env.path("out.json").to_str().unwrap()]).ok();
    env.run(&["backup", env.path("copy.db").to_str().unwrap()]).ok();
}

// ---- Help and man page

#[test]
fn help_lists_the_command_options_before_the_global_ones() {
    let env = TestEnv::new();
    let run = env.run(&["checkin", "--help"]).ok();
    let text = &run.stdout;
    let own = text.find("Options:").expect("an Options heading");
    let global = text.find("Global options:").expect("a Global options heading");
    assert!(own < global, "{text}");
    let units = text.find("--units").unwrap();
    assert!(units > own && units < global, "{text}");
    for flag in ["--db", "--config", "--json", "--color", "--quiet"] {
        let at = text.find(flag).unwrap_or_else(|| panic!("{flag} missing:\n{text}"));
        assert!(at > global, "{flag} is not under Global options:\n{text}");
    }
}

#[test]
fn the_man_page_has_a_fixed_date_and_lints_clean() {
    let env = TestEnv::new();
    let page = env.run(&["man"]).ok().stdout;
    let title = page.lines().find(|l| l.starts_with(".TH ")).expect("a .TH line");
    let date = title.split_whitespace().nth(3).unwrap_or("");
    assert!(chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(), "no date in {title}");
    // Not the clock: another day gives the same page.
    assert_eq!(env.run_at("2031-05-05T08:00:00Z", &["man"]).ok().stdout, page);
    if std::process::Command::new("mandoc").arg("-V").output().is_err() {
        // CI installs it (.ci/run); only a developer's machine may lack it.
        assert!(std::env::var_os("CI").is_none(), "mandoc is missing in CI");
        eprintln!("mandoc is not installed here; .ci/run installs it");
        return;
    }
    let file = env.path("learnlog.1");
    std::fs::write(&file, &page).unwrap();
    let lint = std::process::Command::new("mandoc").args(["-Tlint"]).arg(&file).output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&lint.stdout), String::from_utf8_lossy(&lint.stderr));
    assert!(lint.status.success() && said.is_empty(), "mandoc -Tlint:\n{said}");
}

/// Counts typed as numbers are bounded: no sum of them can overflow, and a
/// date of a status change cannot be in the future.
#[test]
fn huge_unit_counts_and_future_drops_are_refused_and_change_nothing() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "--units", "10", "-q"]).ok();
    env.run(&["checkin", "rust-book", "30m", "--units", "1", "-q"]).ok();
    let huge = i64::MAX.to_string();
    env.refused(&["checkin", "rust-book", "30m", "--units", &huge], 2);
    env.refused(&["checkin", "rust-book", "30m", "--units", "1000001"], 2);
    env.refused(&["progress", "rust-book", &huge], 2);
    env.refused(&["progress", "rust-book", &format!("1/{huge}")], 2);
    env.refused(&["add", "course", "Big", "--units", &huge], 2);
    env.refused(&["add", "course", "Long", "--weeks", &huge], 2);
    let run = env.refused(&["drop", "rust-book", "--date", "tomorrow"], 2);
    assert!(run.stderr.contains("in the future"), "{}", run.stderr);
    let show = env.run(&["show", "rust-book", "--json"]).ok().json();
    assert_eq!(show["status"], "active", "{show}");
}
