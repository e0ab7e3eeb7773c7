//! Goals, courses and projects: add, list, show, edit, done, drop, pause,
//! resume, rm and undo; and the housekeeping commands init, config,
//! completions and demo.

use serde_json::{Value, json};

use crate::common::TestEnv;

/// A goal, a course with every field, a plain course, a project applying the
/// course, and two sessions.
fn record() -> TestEnv {
    let env = TestEnv::new();
    env.run(&["add", "goal", "Become a data engineer", "--by", "2027-06-30", "--why", "a job I enjoy"]).ok();
    env.run(&[
        "add",
        "course",
        "Machine Learning Specialization",
        "--slug",
        "ml",
        "--platform",
        "Coursera.org",
        "--url",
        "https://coursera.org/specializations/ml",
        "--price",
        "$49",
        "--units",
        "11",
        "--unit-name",
        "weeks",
        "--weeks",
        "11",
        "--start",
        "2026-11-02",
        "--deadline",
        "+10w",
        "--intent",
        "complete",
        "--goal",
        "become",
    ])
    .ok();
    env.run(&["add", "course", "The Rust Programming Language", "--platform", "mit ocw", "--units", "20"]).ok();
    env.run(&[
        "add",
        "project",
        "Bird classifier",
        "--url",
        "https://github.com/me/birds",
        "--description",
        "photos in, species out",
        "--skills",
        "python, pytorch,Python",
        "--goal",
        "become",
        "--course",
        "ml",
        "--due",
        "2027-01-15",
    ])
    .ok();
    env.checkin_on("2026-11-20", &["ml", "1h", "--units", "2", "--note", "week 1 and 2", "-q"]);
    env.run(&["checkin", "bird", "45m", "-q"]).ok();
    env
}

/// Everything a user can see of the record, for before/after comparisons.
fn state(env: &TestEnv) -> Value {
    json!({
        "goals": env.run(&["list", "goals", "--all", "--json"]).ok().json(),
        "courses": env.run(&["list", "courses", "--all", "--json"]).ok().json(),
        "projects": env.run(&["list", "projects", "--all", "--json"]).ok().json(),
        "sessions": env.run(&["list", "sessions", "--all", "--json"]).ok().json(),
        "rest": env.run(&["list", "rest", "--all", "--json"]).ok().json(),
    })
}

#[test]
fn add_prints_one_line_and_makes_unique_slugs() {
    let env = TestEnv::new();
    let run = env.run(&["add", "course", "Machine Learning"]).ok();
    assert_eq!(run.stdout, "Added course machine-learning (Machine Learning).\n");
    // Slugs are unique across kinds: a numeric suffix resolves the clash.
    assert_eq!(
        env.run(&["add", "goal", "Machine Learning"]).ok().stdout,
        "Added goal machine-learning-2 (Machine Learning).\n"
    );
    assert_eq!(
        env.run(&["add", "project", "Machine Learning!"]).ok().stdout,
        "Added project machine-learning-3 (Machine Learning!).\n"
    );
    assert_eq!(env.run(&["add", "project", "Café Über", "-q"]).ok().stdout, "");
    let json = env.run(&["add", "goal", "Ship it", "--json"]).ok().json();
    assert_eq!((&json["slug"], &json["kind"], &json["status"]), (&json!("ship-it"), &json!("goal"), &json!("active")));
    assert_eq!(json["uuid"].as_str().unwrap().len(), 36);
    let slugs: Vec<String> = ["goals", "courses", "projects"]
        .iter()
        .flat_map(|kind| env.run(&["list", kind, "--json"]).ok().json().as_array().unwrap().clone())
        .map(|item| item["slug"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(slugs, ["machine-learning-2", "ship-it", "machine-learning", "machine-learning-3", "café-über"]);
}

#[test]
fn add_records_every_field() {
    let env = record();
    let ml = env.run(&["show", "ml", "--json"]).ok().json();
    let expect = json!({
        "kind": "course", "slug": "ml", "title": "Machine Learning Specialization", "status": "active",
        "goal": "become-a-data-engineer", "url": "https://coursera.org/specializations/ml", "description": null,
        "platform": "coursera", "track": "verified", "price": {"minor": 4900, "currency": "USD"},
        "units_total": 11, "unit_name": "weeks", "weeks": 11, "start_date": "2026-11-02", "due_date": "2027-02-01",
        "intent": "complete", "credential_url": null, "score": null, "skills": [], "courses": [], "ended_on": null,
        "end_reason": null, "created_at": "2026-11-23T19:30:00Z", "updated_at": "2026-11-23T19:30:00Z",
        "units_done": 2, "sessions": 1, "minutes": 60,
    });
    for (key, value) in expect.as_object().unwrap() {
        assert_eq!(&ml[key], value, "course field {key}");
    }
    assert_eq!(ml["uuid"].as_str().unwrap().len(), 36);
    let rust = env.run(&["show", "the-rust", "--json"]).ok().json();
    assert_eq!(
        (&rust["platform"], &rust["track"], &rust["intent"], &rust["start_date"]),
        (&json!("mit-ocw"), &json!("audit"), &json!("complete"), &json!("2026-11-23"))
    );
    let bird = env.run(&["show", "project:bird", "--json"]).ok().json();
    assert_eq!(
        (&bird["skills"], &bird["courses"], &bird["goal"], &bird["due_date"], &bird["description"]),
        (
            &json!(["python", "pytorch"]),
            &json!(["ml"]),
            &json!("become-a-data-engineer"),
            &json!("2027-01-15"),
            &json!("photos in, species out")
        )
    );
    let goal = env.run(&["show", "goal:become-a-data-engineer", "--json"]).ok().json();
    assert_eq!((&goal["due_date"], &goal["description"]), (&json!("2027-06-30"), &json!("a job I enjoy")));
    // Money is never a float; a currency code after the amount is kept; a
    // zero price does not make the track verified; an explicit track wins.
    env.run(&["add", "course", "Deep Learning", "--price", "49.99EUR", "-q"]).ok();
    env.run(&["add", "course", "Free", "--price", "0", "-q"]).ok();
    env.run(&["add", "course", "Audit", "--price", "10", "--track", "audit", "-q"]).ok();
    let tracks: Vec<(Value, Value)> = ["deep", "free", "audit"]
        .iter()
        .map(|r| env.run(&["show", r, "--json"]).ok().json())
        .map(|j| (j["price"].clone(), j["track"].clone()))
        .collect();
    assert_eq!(
        tracks,
        [
            (json!({"minor": 4999, "currency": "EUR"}), json!("verified")),
            (json!({"minor": 0, "currency": "USD"}), json!("audit")),
            (json!({"minor": 1000, "currency": "USD"}), json!("audit")),
        ]
    );
}

#[test]
fn list_shows_open_records_and_all_with_all() {
    let env = record();
    let mut text = String::new();
    for args in [
        &["list"][..],
        &["list", "goals"],
        &["list", "projects"],
        &["list", "sessions"],
        &["list", "pledges"],
        &["list", "debts"],
        &["list", "rest"],
    ] {
        text.push_str(&env.session_text(args, &env.run(args).ok()));
        text.push('\n');
    }
    env.run(&["done", "ml", "-q"]).ok();
    env.run(&["drop", "the-rust", "-q"]).ok();
    for args in [&["list", "courses"][..], &["list", "courses", "--all"], &["list", "courses", "--status", "dropped"]] {
        text.push_str(&env.session_text(args, &env.run(args).ok()));
        text.push('\n');
    }
    insta::assert_snapshot!("list", text);
    let limited = env.run(&["list", "sessions", "--limit", "1", "--json"]).ok().json();
    assert_eq!(limited.as_array().unwrap().len(), 1);
    assert_eq!(limited[0]["target"], "bird-classifier", "--limit keeps the latest");
    let since = env.run(&["list", "sessions", "--since", "2026-11-21", "--json"]).ok().json();
    assert_eq!(since.as_array().unwrap().len(), 1);
}

#[test]
fn list_and_show_json_carry_every_field_and_the_uuid() {
    let env = record();
    let item_keys = [
        "uuid",
        "kind",
        "slug",
        "title",
        "status",
        "goal",
        "url",
        "description",
        "platform",
        "track",
        "price",
        "units_total",
        "unit_name",
        "weeks",
        "start_date",
        "due_date",
        "intent",
        "credential_url",
        "score",
        "skills",
        "courses",
        "ended_on",
        "end_reason",
        "created_at",
        "updated_at",
        "units_done",
        "sessions",
        "minutes",
    ];
    for kind in ["goals", "courses", "projects"] {
        let list = env.run(&["list", kind, "--json"]).ok().json();
        for item in list.as_array().unwrap() {
            for key in item_keys {
                assert!(item.get(key).is_some(), "list {kind} --json lacks {key}: {item}");
            }
            let shown = env.run(&["show", item["slug"].as_str().unwrap(), "--json"]).ok().json();
            assert_eq!(&shown, item, "show --json is the same record as list --json");
        }
    }
    let session_keys = [
        "id",
        "uuid",
        "target",
        "study_day",
        "started_at",
        "utc_offset",
        "minutes",
        "units",
        "note",
        "level",
        "created_at",
        "updated_at",
    ];
    let list = env.run(&["list", "sessions", "--json"]).ok().json();
    for session in list.as_array().unwrap() {
        for key in session_keys {
            assert!(session.get(key).is_some(), "list sessions --json lacks {key}: {session}");
        }
    }
    let shown = env.run(&["show", "session", "1", "--json"]).ok().json();
    assert_eq!(shown, list[0]);
    assert_eq!((&shown["minutes"], &shown["units"], &shown["note"]), (&json!(60), &json!(2), &json!("week 1 and 2")));
}

#[test]
fn show_prints_every_field_that_is_set() {
    let env = record();
    env.run(&["done", "bird", "--date", "2026-11-22", "-q"]).ok();
    let mut text = String::new();
    for args in
        [&["show", "ml"][..], &["show", "become"], &["show", "bird"], &["show", "the-rust"], &["show", "session", "1"]]
    {
        text.push_str(&env.session_text(args, &env.run(args).ok()));
        text.push('\n');
    }
    insta::assert_snapshot!("show", text);
}

#[test]
fn edit_changes_only_what_is_given() {
    let env = record();
    let before = env.run(&["show", "ml", "--json"]).ok().json();
    let edit = ["edit", "ml", "--title", "ML Specialization", "--deadline", "2027-03-31", "--units", "12"];
    let run = env.run_at("2026-11-24T08:00:00Z", &edit).ok();
    assert_eq!(run.stdout, "Updated course ml.\n");
    let after = env.run(&["show", "ml", "--json"]).ok().json();
    for key in after.as_object().unwrap().keys() {
        match key.as_str() {
            "title" => assert_eq!(after[key], "ML Specialization"),
            "due_date" => assert_eq!(after[key], "2027-03-31"),
            "units_total" => assert_eq!(after[key], 12),
            "updated_at" => assert_eq!(after[key], "2026-11-24T08:00:00Z"),
            _ => assert_eq!(after[key], before[key], "{key} changed"),
        }
    }
    // A new slug: the old one no longer resolves.
    env.run(&["edit", "ml", "--slug", "machine-learning", "-q"]).ok();
    assert_eq!(env.run(&["show", "machine", "--json"]).ok().json()["title"], "ML Specialization");
    env.run(&["show", "ml"]).fails(2);
    // Projects and goals.
    env.run(&["edit", "bird", "--skills", "python, opencv", "--course", "the-rust", "--status", "idea", "-q"]).ok();
    let bird = env.run(&["show", "bird", "--json"]).ok().json();
    assert_eq!(
        (&bird["skills"], &bird["courses"], &bird["status"]),
        (&json!(["python", "opencv"]), &json!(["the-rust-programming-language"]), &json!("idea"))
    );
    env.run(&["edit", "become", "--by", "2027-12-31", "--why", "more time", "-q"]).ok();
    let goal = env.run(&["show", "become", "--json"]).ok().json();
    assert_eq!((&goal["due_date"], &goal["description"]), (&json!("2027-12-31"), &json!("more time")));
    env.refused(&["edit", "become", "--units", "3"], 2);
    // Sessions.
    let run = env
        .run(&[
            "edit",
            "session",
            "1",
            "--minutes",
            "1h15m",
            "--date",
            "2026-11-21",
            "--target",
            "none",
            "--note",
            "redo",
        ])
        .ok();
    assert_eq!(run.stdout, "Updated session #1.\n");
    let session = env.run(&["show", "session", "1", "--json"]).ok().json();
    assert_eq!(
        (&session["minutes"], &session["study_day"], &session["target"], &session["note"], &session["units"]),
        (&json!(75), &json!("2026-11-21"), &Value::Null, &json!("redo"), &json!(2))
    );
    env.run(&["edit", "session", "1", "--target", "machine", "--level", "create", "-q"]).ok();
    let session = env.run(&["show", "session", "1", "--json"]).ok().json();
    assert_eq!((&session["target"], &session["level"]), (&json!("machine-learning"), &json!("create")));
}

#[test]
fn done_drop_pause_resume_record_a_life() {
    let env = record();
    let run = env.run(&["done", "ml", "--credential", "https://coursera.org/verify/XYZ", "--score", "96.5"]).ok();
    assert_eq!(run.stdout, "Completed course ml on 2026-11-23.\n");
    let ml = env.run(&["show", "ml", "--json"]).ok().json();
    assert_eq!(
        (&ml["status"], &ml["ended_on"], &ml["credential_url"], &ml["score"]),
        (&json!("completed"), &json!("2026-11-23"), &json!("https://coursera.org/verify/XYZ"), &json!(96.5))
    );
    assert_eq!(
        env.run(&["done", "bird", "--date", "yesterday"]).ok().stdout,
        "Shipped project bird-classifier on 2026-11-22.\n"
    );
    assert_eq!(env.run(&["done", "become"]).ok().stdout, "Achieved goal become-a-data-engineer on 2026-11-23.\n");
    env.refused(&["done", "the-rust", "--date", "tomorrow"], 2);
    env.refused(&["done", "bird", "--credential", "x"], 2);
    assert_eq!(env.run(&["pause", "the-rust"]).ok().stdout, "Paused course the-rust-programming-language.\n");
    assert_eq!(env.run(&["resume", "the-rust"]).ok().stdout, "Resumed course the-rust-programming-language.\n");
    let run = env.run(&["drop", "the-rust", "--reason", "no time this term"]).ok();
    assert_eq!(run.stdout, "Dropped course the-rust-programming-language on 2026-11-23. It stays in your record.\n");
    let rust = env.run(&["show", "the-rust", "--json"]).ok().json();
    assert_eq!((&rust["status"], &rust["end_reason"]), (&json!("dropped"), &json!("no time this term")));
    // A dropped course can be resumed; it is open again.
    env.run(&["resume", "the-rust", "-q"]).ok();
    let rust = env.run(&["show", "the-rust", "--json"]).ok().json();
    assert_eq!(
        (&rust["status"], &rust["ended_on"], &rust["end_reason"]),
        (&json!("active"), &Value::Null, &Value::Null)
    );
    // --json prints the record.
    let json = env.run(&["pause", "the-rust", "--json"]).ok().json();
    assert_eq!(json["status"], "paused");
}

#[test]
fn rm_deletes_with_yes_and_undo_brings_it_back() {
    let env = record();
    let run = env.run(&["rm", "ml", "--yes"]).ok();
    assert_eq!(run.stdout, "Deleted course ml and its 1 session. `learnlog undo` brings it back.\n");
    assert_eq!(env.count("sessions"), 1);
    assert_eq!(env.run(&["show", "bird", "--json"]).ok().json()["courses"], json!([]));
    // The one session left is number 1 now.
    let run = env.run(&["rm", "session", "1", "-y"]).ok();
    assert_eq!(run.stdout, "Deleted session #1 (45m on 2026-11-23). `learnlog undo` brings it back.\n");
    assert_eq!(env.count("sessions"), 0);
}

#[test]
fn undo_reverses_add_checkin_edit_done_and_rm() {
    let env = record();
    let steps: &[(&[&str], &str)] = &[
        (
            &["add", "course", "Deep Learning", "--units", "5"],
            "Undid: add course 'Deep Learning' (from 2026-11-23 19:30 UTC).\n",
        ),
        (
            &["checkin", "ml", "30m", "--units", "1"],
            "Undid: checkin 30m ml on 2026-11-23 (from 2026-11-23 19:30 UTC).\n",
        ),
        (&["edit", "ml", "--title", "ML", "--units", "12"], "Undid: edit ml (from 2026-11-23 19:30 UTC).\n"),
        (&["edit", "session", "1", "--minutes", "2h"], "Undid: edit session #1 (from 2026-11-23 19:30 UTC).\n"),
        (
            &["done", "ml", "--credential", "https://x.org/c", "--score", "90"],
            "Undid: done ml (from 2026-11-23 19:30 UTC).\n",
        ),
        (&["rm", "ml", "--yes"], "Undid: rm course ml and its 1 session (from 2026-11-23 19:30 UTC).\n"),
        (&["rm", "session", "1", "--yes"], "Undid: rm session #1 (1h on 2026-11-20) (from 2026-11-23 19:30 UTC).\n"),
        (&["drop", "bird", "--reason", "bored"], "Undid: drop bird (from 2026-11-23 19:30 UTC).\n"),
        (&["progress", "ml", "5/12"], "Undid: progress ml 5/12 (from 2026-11-23 19:30 UTC).\n"),
        (&["rest", "tomorrow"], "Undid: rest tomorrow (from 2026-11-23 19:30 UTC).\n"),
    ];
    for (args, message) in steps {
        let before = state(&env);
        env.run(args).ok();
        assert_ne!(state(&env), before, "`{}` changed nothing", args.join(" "));
        let run = env.run(&["undo"]).ok();
        assert_eq!(run.stdout, *message);
        assert_eq!(state(&env), before, "undo after `{}` did not restore the record", args.join(" "));
    }
    // The undone changes are gone from the journal; earlier ones remain, newest first.
    let list = env.run(&["undo", "--list", "--json"]).ok().json();
    let summaries: Vec<&str> = list.as_array().unwrap().iter().map(|c| c["summary"].as_str().unwrap()).collect();
    assert_eq!(
        summaries,
        [
            "checkin 45m bird on 2026-11-23",
            "checkin 1h ml on 2026-11-20",
            "add project 'Bird classifier'",
            "add course 'The Rust Programming Language'",
            "add course 'Machine Learning Specialization'",
            "add goal 'Become a data engineer'",
        ]
    );
    // Undo twice in a row walks back further.
    env.run(&["undo", "-q"]).ok();
    env.run(&["undo", "-q"]).ok();
    assert_eq!(env.count("sessions"), 0);
    let run = env.run(&["undo", "--list"]).ok();
    insta::assert_snapshot!("undo_list", run.stdout);
}

#[test]
fn init_creates_the_database_once() {
    let env = TestEnv::new();
    let run = env.run(&["init"]).ok();
    assert_eq!(env.redact(&run.stdout), "Created [HOME]/data/learnlog.db.\n");
    assert!(env.db_path().exists());
    let before = env.db_bytes();
    let run = env.run(&["init"]).ok();
    assert_eq!(env.redact(&run.stdout), "Database [HOME]/data/learnlog.db is ready (it already existed).\n");
    assert_eq!(env.db_bytes(), before);
    assert_eq!(env.count("items"), 0);
    // --db wins over LEARNLOG_DB.
    let other = env.path("elsewhere/other.db");
    env.run(&["--db", other.to_str().unwrap(), "init", "-q"]).ok();
    assert!(other.exists());
}

#[test]
fn config_path_show_get_set() {
    let env = TestEnv::new();
    let run = env.run(&["config", "path"]).ok();
    assert_eq!(env.redact(&run.stdout), "[HOME]/xdg-config/learnlog/config.toml\n");
    let run = env.run(&["config"]).ok();
    insta::assert_snapshot!("config_show_defaults", run.stdout);
    assert_eq!(env.run(&["config", "get", "streak.freeze_every"]).ok().stdout, "7\n");
    assert_eq!(env.run(&["config", "get", "day_starts_at"]).ok().stdout, "04:00\n");
    let run = env.run(&["config", "set", "default_minutes", "45"]).ok();
    assert_eq!(env.redact(&run.stdout), "Set default_minutes = 45 in [HOME]/xdg-config/learnlog/config.toml.\n");
    env.run(&["config", "set", "streak.rest_weekdays", "Saturday, sunday", "-q"]).ok();
    assert_eq!(env.run(&["config", "get", "default_minutes"]).ok().stdout, "45\n");
    let json = env.run(&["config", "show", "--json"]).ok().json();
    assert_eq!(
        (&json["default_minutes"], &json["streak"]["rest_weekdays"]),
        (&json!(45), &json!(["saturday", "sunday"]))
    );
    assert_eq!(
        std::fs::read_to_string(env.config_path()).unwrap(),
        "default_minutes = 45\n\n[streak]\nrest_weekdays = [\"saturday\", \"sunday\"]\n"
    );
    // The setting is used.
    assert_eq!(env.run(&["checkin"]).ok().stdout, "Logged 45m for 2026-11-23 (session #1).\n");
    // Bad keys and values leave the file as it was.
    let text = std::fs::read_to_string(env.config_path()).unwrap();
    for (args, message) in [
        (&["config", "set", "colour", "always"][..], "error: unknown config key 'colour'\n"),
        (&["config", "set", "default_minutes", "lots"], "error: `default_minutes` takes a duration, not 'lots'\n"),
        (&["config", "set", "week_starts", "someday"], "error: invalid value for `week_starts`"),
        (&["config", "get", "nope"], "error: unknown config key 'nope'\n"),
    ] {
        let run = env.run(args).fails(2);
        assert!(run.stderr.starts_with(message), "{}", run.transcript());
    }
    assert_eq!(std::fs::read_to_string(env.config_path()).unwrap(), text);
    // config never creates the database.
    assert!(!env.db_path().exists() || env.count("sessions") == 1);
}

#[test]
fn completions_for_every_shell() {
    let env = TestEnv::new();
    for (shell, marker) in [
        ("bash", "_learnlog()"),
        ("zsh", "#compdef learnlog"),
        ("fish", "complete -c learnlog"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "edit:completion:arg-completer[learnlog]"),
    ] {
        let run = env.run(&["completions", shell]).ok();
        assert!(run.stdout.contains(marker), "{shell} completions lack {marker}");
        assert!(run.stdout.contains("checkin"), "{shell} completions lack the subcommands");
        assert_eq!(run.stderr, "");
    }
    // Whatever the config says, and without creating anything.
    env.write_config("this is not toml");
    env.run(&["completions", "bash"]).ok();
    assert!(!env.db_path().exists());
    env.run(&["completions", "tcsh"]).fails(2);
}

#[test]
fn demo_is_deterministic_and_never_touches_the_real_database() {
    let env = TestEnv::new();
    let first = env.run(&["demo"]).ok();
    assert!(!env.db_path().exists(), "demo created the user's database");
    for section in [
        "$ learnlog status",
        "$ learnlog status --short",
        "$ learnlog streak",
        "$ learnlog odds",
        "$ learnlog odds ml --explain",
        "$ learnlog heatmap",
        "$ learnlog next",
        "$ learnlog report --last-week",
    ] {
        assert!(first.stdout.contains(section), "demo lacks `{section}`:\n{}", first.stdout);
    }
    let second = env.run_at("2030-01-01T00:00:00Z", &["demo"]).ok();
    // The page it writes is in a new temporary folder each time: only its path differs.
    let pages: Vec<String> = [&first, &second]
        .iter()
        .map(|run| run.stdout.lines().find_map(|l| l.strip_prefix("Open it in a browser: ")).unwrap().to_string())
        .collect();
    assert_eq!(first.stdout.replace(&pages[0], "PAGE"), second.stdout.replace(&pages[1], "PAGE"));
    for page in &pages {
        let page = std::path::Path::new(page);
        let folder = page.parent().unwrap();
        assert_eq!(std::fs::read_dir(folder).unwrap().count(), 1, "the page's folder holds the page alone");
        std::fs::remove_dir_all(folder).unwrap();
    }
    // An existing database stays byte-identical.
    env.run(&["checkin", "-q"]).ok();
    let before = env.db_bytes();
    env.run(&["demo"]).ok();
    assert_eq!(env.db_bytes(), before);
    assert_eq!(env.count("sessions"), 1);
    env.run(&["demo", "--json"]).fails(2);
}

#[test]
fn every_command_has_help_with_an_example() {
    let env = TestEnv::new();
    let commands: &[&[&str]] = &[
        &["add", "goal"],
        &["add", "course"],
        &["add", "project"],
        &["list"],
        &["show"],
        &["edit"],
        &["done"],
        &["drop"],
        &["pause"],
        &["resume"],
        &["rm"],
        &["undo"],
        &["checkin"],
        &["progress"],
        &["status"],
        &["remind"],
        &["rest"],
        &["streak"],
        &["init"],
        &["config"],
        &["completions"],
        &["demo"],
    ];
    for command in commands {
        let mut args = command.to_vec();
        args.push("--help");
        let run = env.run(&args).ok();
        assert!(run.stdout.contains("Example"), "`learnlog {}` has no example", args.join(" "));
        assert!(run.stdout.contains("learnlog "), "`learnlog {}`", args.join(" "));
    }
    let version = env.run(&["--version"]).ok();
    assert!(version.stdout.starts_with("learnlog "), "{}", version.stdout);
    assert!(!env.db_path().exists());
}
