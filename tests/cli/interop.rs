//! Export, import, backup, portfolio and the man page, through the real
//! binary: lossless JSON round trips, idempotent imports, refused input that
//! leaves the file byte-identical, and output checked by independent
//! parsers (a CSV reader, an iCalendar parser, the JSON Resume schema).

use std::process::Stdio;

use serde_json::Value;

use crate::common::TestEnv;

/// A database with every kind of record: goals, courses (one completed
/// with a credential, one edited later), projects (one linked to courses
/// and a goal, one dropped), timed, untimed, general and zero-minute
/// sessions, a rest day, pledges with an easier change waiting, an ended
/// one, and a settled debt.
fn populate(env: &TestEnv) {
    let steps: &[&[&str]] = &[
        &["add", "goal", "Become a data engineer", "--by", "2027-06-30", "--why", "a job, I enjoy; really"],
        &[
            "add",
            "course",
            "Machine Learning",
            "--platform",
            "coursera",
            "--url",
            "https://www.coursera.org/learn/ml",
            "--price",
            "49.99EUR",
            "--units",
            "11",
            "--unit-name",
            "week",
            "--weeks",
            "11",
            "--start",
            "2026-10-01",
            "--deadline",
            "2027-01-31",
            "--goal",
            "become",
            "--slug",
            "ml",
        ],
        &[
            "add",
            "course",
            "Rust Book",
            "--platform",
            "the web",
            "--units",
            "20",
            "--intent",
            "explore",
            "--slug",
            "rust",
        ],
        &["add", "course", "Statistics 101", "--platform", "edx", "--slug", "stats", "--deadline", "2026-12-20"],
        &[
            "add",
            "project",
            "Bird classifier",
            "--skills",
            "python,pytorch",
            "--course",
            "ml",
            "--course",
            "stats",
            "--goal",
            "become",
            "--url",
            "https://github.com/me/birds",
            "--due",
            "2027-03-01",
            "--description",
            "Classifies birds, by song",
        ],
        &["add", "project", "Side idea", "--status", "idea", "--slug", "side"],
        &["checkin", "ml", "45m", "--units", "1", "--note", "watched week 1, \"intro\"", "--level", "understand"],
        &["checkin", "rust", "1h", "--date", "yesterday", "--at", "9pm"],
        &["checkin", "30m", "--date", "-3d"],
        &["progress", "ml", "3"],
        &["checkin", "bird", "2h", "--date", "-2d", "--at", "10:00", "--level", "create"],
        &["rest", "tomorrow", "--reason", "travel"],
        &["pledge", "rust", "2h/week", "--stake", "$5 to charity", "--referee", "ana@example.org"],
        &["settle", "1", "--note", "paid"],
        &["pledge", "rust", "1h/week"],
        &["pledge", "all", "30m/day"],
        &["pledge", "end", "2"],
        &["done", "stats", "--credential", "https://edx.org/verify/1", "--score", "91.5", "--date", "-1d"],
        &["drop", "side", "--reason", "no time"],
    ];
    for args in steps {
        // The staked pledge was made three weeks ago (a pledge never judges the past).
        let early = args.first() == Some(&"pledge") && args.contains(&"--stake");
        let run = if early { env.run_at("2026-11-02T09:00:00Z", args) } else { env.run(args) };
        run.ok();
    }
    // A later edit: updated_at differs from created_at.
    env.run_at("2026-11-23T20:15:00Z", &["edit", "ml", "--deadline", "2027-02-15"]).ok();
}

fn export_json(env: &TestEnv) -> Value {
    env.run(&["export"]).ok().json()
}

#[test]
fn json_round_trip_is_lossless_and_import_is_idempotent() {
    let source = TestEnv::new();
    populate(&source);
    let file = source.path("learnlog.json");
    let wrote = source.run(&["export", "--out", file.to_str().unwrap()]).ok();
    assert!(wrote.stdout.contains("Exported"), "{}", wrote.stdout);
    let first: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();

    assert_eq!(first["format"], "learnlog-export");
    assert_eq!(first["version"], 1);
    for key in ["goals", "courses", "projects", "sessions", "rest_days", "pledges"] {
        assert!(!first[key].as_array().unwrap().is_empty(), "{key} is empty in the export");
    }
    let pledges = first["pledges"].as_array().unwrap();
    assert!(pledges.iter().any(|p| p["settlements"].as_array().is_some_and(|s| !s.is_empty())));
    assert!(pledges.iter().any(|p| p["rates"].as_array().unwrap().iter().any(|r| r["rate"].is_null())));
    // References are UUIDs, never numeric ids.
    let project = &first["projects"][0];
    assert_eq!(project["goal"], first["goals"][0]["uuid"]);
    assert_eq!(project["courses"].as_array().unwrap().len(), 2);

    let target = TestEnv::new();
    let imported = target.run(&["import", file.to_str().unwrap()]).ok();
    assert!(imported.stdout.contains("Imported"), "{}", imported.stdout);
    let second = export_json(&target);
    assert_eq!(first, second, "export → import → export must give the same document");

    // Importing the same file again changes nothing, not even a byte.
    let before = target.db_bytes();
    let again = target.run(&["import", file.to_str().unwrap()]).ok();
    assert!(again.stdout.contains("Nothing to import"), "{}", again.stdout);
    assert_eq!(before, target.db_bytes());
    assert_eq!(export_json(&target), first);

    // The import is one change: undo takes all of it back.
    let undone = target.run(&["undo"]).ok();
    assert!(undone.stdout.contains("import"), "{}", undone.stdout);
    assert_eq!(target.count("items"), 0);
    assert_eq!(target.count("sessions"), 0);
    assert_eq!(target.count("pledges"), 0);
}

#[test]
fn the_documented_example_imports_and_exports_as_documented() {
    let doc = include_str!("../../docs/export-format.md");
    let example = doc.split("```json\n").nth(1).unwrap().split("```").next().unwrap();
    let env = TestEnv::new();
    let run = env.run_stdin(&["import", "-"], example).ok();
    assert!(run.stdout.contains("7 added"), "{}", run.stdout);
    let documented: Value = serde_json::from_str(example).unwrap();
    assert_eq!(export_json(&env), documented);
}

#[test]
fn import_reads_stdin_and_dry_run_writes_nothing() {
    let source = TestEnv::new();
    populate(&source);
    let text = source.run(&["export"]).ok().stdout;

    // Into a database not created yet: it says what would come, creates nothing.
    let fresh = TestEnv::new();
    let dry = fresh.run_stdin(&["import", "-", "--dry-run"], &text).ok();
    assert!(dry.stdout.contains("would add 19"), "{}", dry.stdout);
    assert!(dry.stderr.is_empty(), "{}", dry.stderr);
    assert!(!fresh.db_path().exists());

    let target = TestEnv::new();
    target.run(&["add", "course", "Other", "--slug", "other"]).ok();
    let before = target.db_bytes();
    let dry = target.run_stdin(&["import", "-", "--dry-run"], &text).ok();
    assert!(dry.stdout.contains("Dry run") && dry.stdout.contains("Nothing was written"), "{}", dry.stdout);
    assert!(dry.stdout.contains("sessions"), "{}", dry.stdout);
    assert_eq!(before, target.db_bytes());

    let json = target.run_stdin(&["import", "-", "--dry-run", "--json"], &text).ok().json();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["courses"]["added"], 3);
    assert_eq!(json["total"]["updated"], 0);

    target.run_stdin(&["import", "-"], &text).ok();
    assert_eq!(target.count("items"), 7);
}

#[test]
fn the_newer_record_wins_and_slug_clashes_get_a_suffix() {
    let a = TestEnv::new();
    a.run(&["add", "course", "Machine Learning", "--slug", "ml"]).ok();
    let old = a.run(&["export"]).ok().stdout;
    // A later edit in another copy of the data.
    let b = TestEnv::new();
    b.run_stdin(&["import", "-"], &old).ok();
    b.run_at("2026-11-24T08:00:00Z", &["edit", "ml", "--title", "Machine Learning II"]).ok();
    let newer = b.run(&["export"]).ok().stdout;

    // The older file does not undo the newer edit…
    let kept = b.run_stdin(&["import", "-", "--json"], &old).ok().json();
    assert_eq!(kept["courses"]["unchanged"], 1);
    assert_eq!(export_json(&b)["courses"][0]["title"], "Machine Learning II");
    // …and the newer one updates the older copy.
    let updated = a.run_stdin(&["import", "-", "--json"], &newer).ok().json();
    assert_eq!(updated["courses"]["updated"], 1);
    assert_eq!(export_json(&a)["courses"][0]["title"], "Machine Learning II");

    // Same slug, another record: imported under a free slug, said so.
    let c = TestEnv::new();
    c.run(&["add", "course", "Mostly Lisp", "--slug", "ml"]).ok();
    let run = c.run_stdin(&["import", "-"], &newer).ok();
    assert!(run.stdout.contains("'ml' was imported as 'ml-2'"), "{}", run.stdout);
    let courses = export_json(&c)["courses"].clone();
    let slugs: Vec<&str> = courses.as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["ml", "ml-2"]);
    // Importing again neither renames nor adds anything.
    let again = c.run_stdin(&["import", "-"], &newer).ok();
    assert!(again.stdout.contains("Nothing to import"), "{}", again.stdout);
}

#[test]
fn bad_input_exits_2_and_leaves_the_database_byte_identical() {
    let env = TestEnv::new();
    populate(&env);
    let before = env.db_bytes();
    let future = r#"{"format": "learnlog-export", "version": 2, "goals": []}"#;
    let wrong_shape = r#"{"format": "learnlog-export", "version": 1, "sessions": [{"uuid": "x", "minutes": "lots"}]}"#;
    let dangling = r#"{"format": "learnlog-export", "version": 1, "sessions": [{
        "uuid": "7d3c2f8e-7f2a-4bde-9a55-5d5f0e8a1b2c", "target": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "study_day": "2026-11-20", "minutes": 30,
        "created_at": "2026-11-20T10:00:00Z", "updated_at": "2026-11-20T10:00:00Z"}]}"#;
    let cases: &[(&str, &str, &str, &str)] = &[
        ("notjson.json", "this is not json", "learnlog", "is not JSON"),
        ("shape.json", r#"{"courses": [1, 2, 3]}"#, "learnlog", "is not a learnlog export"),
        ("array.json", "[]", "learnlog", "is not a learnlog export"),
        ("wrong.json", wrong_shape, "learnlog", "sessions[0]"),
        ("future.json", future, "learnlog", "format version 2"),
        ("dangling.json", dangling, "learnlog", "neither in the file nor in the database"),
        ("timew.json", r#"[{"end": "20261120T100000Z", "tags": ["ml"]}]"#, "timewarrior", "interval 1 has no start"),
        ("timew2.json", r#"{"start": "20261120T100000Z"}"#, "timewarrior", "not a Timewarrior export"),
    ];
    for (name, content, format, expected) in cases {
        let path = env.path(name);
        std::fs::write(&path, content).unwrap();
        let run = env.run(&["import", path.to_str().unwrap(), "--format", format]).fails(2);
        assert!(run.stderr.contains(expected), "{name}: expected '{expected}' in:\n{}", run.stderr);
        assert!(run.stderr.contains("hint:"), "{name}:\n{}", run.stderr);
        assert_eq!(before, env.db_bytes(), "{name} changed the database");
    }
    let missing = env.run(&["import", "no-such-file.json"]).fails(2);
    assert!(missing.stderr.contains("does not exist"), "{}", missing.stderr);
    assert_eq!(before, env.db_bytes());
}

#[test]
fn timewarrior_intervals_become_sessions_once() {
    let mut env = TestEnv::new();
    env.tz("Europe/Paris");
    env.run(&["add", "course", "Machine Learning", "--slug", "ml"]).ok();
    env.run(&["add", "project", "Bird classifier", "--slug", "birds"]).ok();
    let export = r#"[
        {"id": 4, "start": "20261120T090000Z", "end": "20261120T094500Z", "tags": ["ML", "video"], "annotation": "week 3"},
        {"id": 3, "start": "20261121T020000Z", "end": "20261121T023000Z", "tags": ["reading"]},
        {"id": 2, "start": "20261122T150000Z", "end": "20261122T170000Z", "tags": ["birds"]},
        {"id": 1, "start": "20261123T180000Z", "tags": ["birds"]}
    ]"#;
    let run = env.run_stdin(&["import", "-", "--format", "timewarrior"], export).ok();
    assert!(run.stdout.contains("3 added"), "{}", run.stdout);
    assert!(run.stderr.contains("still running"), "{}", run.stderr);
    let sessions = env.run(&["list", "sessions", "--json"]).ok().json();
    let sessions = sessions.as_array().unwrap();
    assert_eq!(sessions.len(), 3);
    let first = &sessions[0];
    assert_eq!(first["target"], "ml");
    assert_eq!(first["minutes"], 45);
    assert_eq!(first["note"], "week 3; tags: video");
    // 03:00 in Paris is before day_starts_at (04:00): the previous study day.
    let night = sessions.iter().find(|s| s["minutes"] == 30).unwrap();
    assert_eq!(night["study_day"], "2026-11-20");
    assert_eq!(night["utc_offset"], 3600);
    assert!(night["target"].is_null());
    assert_eq!(sessions.iter().find(|s| s["minutes"] == 120).unwrap()["target"], "birds");

    let before = env.db_bytes();
    let again = env.run_stdin(&["import", "-", "--format", "timewarrior"], export).ok();
    assert!(again.stdout.contains("Nothing to import"), "{}", again.stdout);
    assert_eq!(before, env.db_bytes());
}

#[test]
fn csv_cells_round_trip_through_a_csv_reader_with_the_formula_guard() {
    let env = TestEnv::new();
    env.run(&["add", "course", "ML, with \"quotes\"", "--slug", "ml", "--platform", "@home"]).ok();
    let notes = ["=HYPERLINK(\"http://evil\",\"x\")", "a, b and \"c\"", "two\nlines", "+1", "-2", "plain"];
    for (n, note) in notes.iter().enumerate() {
        env.run(&["checkin", "ml", "10m", &format!("--date=-{}d", n + 1), &format!("--note={note}")]).ok();
    }
    let out = env.run(&["export", "--format", "csv"]).ok().stdout;
    assert!(out.ends_with("\r\n"), "RFC 4180 lines end in CRLF");
    let mut reader = csv::ReaderBuilder::new().from_reader(out.as_bytes());
    let header = reader.headers().unwrap().clone();
    let note_at = header.iter().position(|h| h == "note").unwrap();
    let minutes_at = header.iter().position(|h| h == "minutes").unwrap();
    let read: Vec<String> = reader.records().map(|r| r.unwrap()[note_at].to_string()).collect();
    // Oldest first: the last note was logged furthest back.
    let mut expected: Vec<String> = notes
        .iter()
        .map(|n| if n.starts_with(['=', '+', '-', '@']) { format!("'{n}") } else { n.to_string() })
        .collect();
    expected.reverse();
    assert_eq!(read, expected);

    let mut reader = csv::ReaderBuilder::new().from_reader(out.as_bytes());
    assert!(reader.records().all(|r| r.unwrap()[minutes_at] == *"10"), "numbers are not guarded");

    let courses = env.run(&["export", "--format", "csv", "--table", "courses"]).ok().stdout;
    let mut reader = csv::ReaderBuilder::new().from_reader(courses.as_bytes());
    let header = reader.headers().unwrap().clone();
    let row = reader.records().next().unwrap().unwrap();
    let cell = |name: &str| row[header.iter().position(|h| h == name).unwrap()].to_string();
    assert_eq!(cell("title"), "ML, with \"quotes\"");
    assert_eq!(cell("platform"), "'@home");
    for table in ["projects", "goals", "pledges"] {
        let out = env.run(&["export", "--format", "csv", "--table", table]).ok().stdout;
        assert!(out.lines().next().unwrap().starts_with(['n', 'u']), "{table}: {out}");
    }
    env.run(&["export", "--format", "json", "--table", "goals"]).fails(2);
}

#[test]
fn ics_parses_with_an_independent_parser() {
    let env = TestEnv::new();
    populate(&env);
    let long = "A long note, with commas; semicolons and a backslash \\ — and é, 🦀 and more words to pass 75 octets";
    env.run(&["checkin", "ml", "20m", "--at", "07:00", "--note", long]).ok();
    let text = env.run(&["export", "--format", "ics"]).ok().stdout;
    for line in text.split_inclusive('\n') {
        assert!(line.ends_with("\r\n"), "not CRLF: {line:?}");
        assert!(line.len() - 2 <= 75, "longer than 75 octets: {line:?}");
    }
    let unfolded = icalendar::parser::unfold(&text);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let export = export_json(&env);
    let todos: Vec<_> = calendar.components.iter().filter(|c| c.name.as_str() == "VTODO").collect();
    let events: Vec<_> = calendar.components.iter().filter(|c| c.name.as_str() == "VEVENT").collect();
    let deadlines = ["goals", "courses", "projects"]
        .iter()
        .flat_map(|k| export[*k].as_array().unwrap().iter())
        .filter(|i| i.get("due_date").is_some())
        .count();
    let timed = export["sessions"].as_array().unwrap().iter().filter(|s| s.get("started_at").is_some()).count();
    assert_eq!(todos.len(), deadlines);
    assert_eq!(events.len(), timed);
    for component in todos.iter().chain(events.iter()) {
        let uid = component.find_prop("UID").unwrap().val.as_str().to_string();
        assert!(uuid::Uuid::parse_str(&uid).is_ok(), "{uid}");
        assert!(component.find_prop("DTSTAMP").is_some());
    }
    let with_note = events
        .iter()
        .find(|e| e.find_prop("DESCRIPTION").unwrap().val.clone().unescape_text().as_str().contains("A long note"))
        .expect("the session with the long note");
    let description = with_note.find_prop("DESCRIPTION").unwrap().val.clone().unescape_text().as_str().to_string();
    assert!(description.ends_with(long), "{description}");
    assert_eq!(with_note.find_prop("DURATION").unwrap().val.as_str(), "PT20M");
    let goal = todos
        .iter()
        .find(|t| {
            t.find_prop("SUMMARY").unwrap().val.clone().unescape_text().as_str() == "Become a data engineer (goal)"
        })
        .unwrap();
    assert_eq!(goal.find_prop("DUE").unwrap().val.as_str(), "20270630");
}

#[test]
fn json_resume_validates_against_the_published_schema() {
    let env = TestEnv::new();
    populate(&env);
    env.run(&["done", "bird", "--date", "-1d"]).ok();
    env.run(&["add", "project", "Notes app", "--skills", "Rust,sqlite", "--url", "gitlab.com/me/notes app"]).ok();
    let resume = env.run(&["portfolio", "--format", "json-resume"]).ok().json();
    let schema: Value = serde_json::from_str(include_str!("../data/jsonresume-schema.json")).unwrap();
    let validator = jsonschema::draft4::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<String> =
        validator.iter_errors(&resume).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}\n{resume:#}");

    let certificates = resume["certificates"].as_array().unwrap();
    assert_eq!(certificates.len(), 1);
    assert_eq!(certificates[0]["name"], "Statistics 101");
    assert_eq!(certificates[0]["issuer"], "edx");
    assert_eq!(certificates[0]["url"], "https://edx.org/verify/1");
    let projects = resume["projects"].as_array().unwrap();
    let names: Vec<&str> = projects.iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Bird classifier", "Notes app"], "shipped first; idea and dropped ones left out");
    assert_eq!(projects[0]["keywords"], serde_json::json!(["python", "pytorch"]));
    assert_eq!(projects[0]["endDate"], "2026-11-22");
    assert_eq!(projects[1]["url"], "https://gitlab.com/me/notes%20app");
    let skills: Vec<&str> = resume["skills"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(skills, ["python", "pytorch", "Rust", "sqlite"]);
}

#[test]
fn portfolio_markdown_escapes_user_text() {
    let env = TestEnv::new();
    populate(&env);
    env.run(&["add", "project", "C++ *fast* [demo](javascript:alert(1))", "--slug", "fast", "--skills", "c++"]).ok();
    let md = env.run(&["portfolio"]).ok().stdout;
    assert!(md.starts_with("# Portfolio\n"), "{md}");
    assert!(md.contains("### [Bird classifier](<https://github.com/me/birds>)"), "{md}");
    assert!(md.contains("- Skills: python, pytorch"), "{md}");
    assert!(md.contains("- Applies: Machine Learning (coursera), Statistics 101 (edx)"), "{md}");
    // Escaped brackets make no link, whatever follows them.
    assert!(md.contains("### C++ \\*fast\\* \\[demo\\](javascript:alert(1))"), "{md}");
    assert!(
        md.contains(
            "**Statistics 101** — edx, completed 2026-11-22, score 91.5 — [credential](<https://edx.org/verify/1>)"
        ),
        "{md}"
    );
    assert!(md.contains("| **Total** | | | **4h15** |"), "{md}");
    let json = env.run(&["portfolio", "--json"]).ok().json();
    assert_eq!(json["total_minutes"], 255);
    assert_eq!(json["general_minutes"], 30);
}

#[test]
fn export_out_never_overwrites_without_force() {
    let env = TestEnv::new();
    populate(&env);
    let file = env.path("out.ics");
    std::fs::write(&file, "precious").unwrap();
    let refused = env.run(&["export", "--format", "ics", "--out", file.to_str().unwrap()]).fails(2);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "precious");
    env.run(&["export", "--format", "ics", "--out", file.to_str().unwrap(), "--force"]).ok();
    assert!(std::fs::read_to_string(&file).unwrap().starts_with("BEGIN:VCALENDAR\r\n"));
    // Written through a temporary file renamed into place: nothing left behind.
    let leftovers: Vec<_> = std::fs::read_dir(env.home())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // A directory that does not exist: an error, and no file.
    let nowhere = env.path("no/such/dir/out.json");
    env.run(&["export", "--out", nowhere.to_str().unwrap()]).fails(2);
    assert!(!nowhere.exists());
}

#[test]
fn backup_copies_a_consistent_database_and_refuses_to_overwrite() {
    let env = TestEnv::new();
    populate(&env);
    let run = env.run(&["backup"]).ok();
    let default = env.db_path().with_file_name("learnlog-20261123-193000.db");
    assert!(run.stdout.contains("learnlog-20261123-193000.db"), "{}", run.stdout);
    assert!(default.exists());
    env.run(&["backup"]).fails(2);
    env.run(&["backup", "--force"]).ok();

    // Safe while others write: check-ins in other processes during the copy.
    let target = env.path("copy.db");
    let writers: Vec<_> = (0..4)
        .map(|n| {
            env.command(&["checkin", "rust", &format!("{}m", n + 1), "--date", "-5d"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    env.run(&["backup", target.to_str().unwrap()]).ok();
    for mut writer in writers {
        assert!(writer.wait().unwrap().success());
    }
    let copy = rusqlite::Connection::open(&target).unwrap();
    let check: String = copy.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
    let copied = env.run(&["--db", target.to_str().unwrap(), "export"]).ok().json();
    assert_eq!(copied["courses"].as_array().unwrap().len(), 3);

    let missing = TestEnv::new();
    missing.run(&["backup"]).fails(2);
    assert!(!missing.db_path().exists());
}

#[test]
fn man_prints_a_roff_page_from_the_command_line_definitions() {
    let env = TestEnv::new();
    let page = env.run(&["man"]).ok().stdout;
    assert!(page.contains(".TH LEARNLOG 1"), "{}", &page[..page.len().min(400)]);
    for command in ["checkin", "export", "import", "backup", "portfolio"] {
        assert!(page.contains(command), "the man page lacks {command}");
    }
    assert!(!env.db_path().exists(), "man must not create a database");
}
