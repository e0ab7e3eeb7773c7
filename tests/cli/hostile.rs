//! Hostile text in titles and notes (quotes, newlines, control characters,
//! formulas, Markdown, very long strings) goes through every report and
//! export without breaking its format.

use crate::common::TestEnv;

const NASTY: &[&str] = &[
    "=cmd|' /C calc'!A0",
    "quote \" and 'single' and `tick`",
    "line one\nline two\r\nline three",
    "tab\there and bell\x07 and escape \x1b[31mred\x1b[0m",
    "| pipe | table | *bold* _em_ [link](http://x) # heading",
    "semi;colon,comma\\backslash",
    "+plus -minus @at",
];

fn env_with_nasty_records() -> TestEnv {
    let env = TestEnv::new();
    let long = "long ".repeat(2000);
    for (i, title) in NASTY.iter().chain(std::iter::once(&long.as_str())).enumerate() {
        let slug = format!("n{i}");
        env.run_at(
            "2026-11-02T09:00:00Z",
            &["add", "course", title, "--slug", &slug, "--units", "5", "--deadline", "2026-12-20"],
        )
        .ok();
        env.checkin_on("2026-11-20", &[&slug, "20m", "--note", title, "--units", "1"]);
    }
    env.run_at("2026-11-02T09:00:00Z", &["add", "project", NASTY[4], "--slug", "p", "--skills", "a|b,c\nd"]).ok();
    env.run(&["pledge", "n0", "1h/week", "--stake", NASTY[3], "--referee", NASTY[2]]).ok();
    env.run(&["done", "n1", "--credential", "https://x.test/\"<>", "--score", "90"]).ok();
    env
}

/// No raw control character but newline (and tab, which tables and TSV-like text keep) reaches the terminal.
fn assert_no_control(text: &str, what: &str) {
    for c in text.chars() {
        assert!(!c.is_control() || c == '\n' || c == '\t', "{what} printed a raw control character {c:?}");
    }
}

#[test]
fn reports_keep_their_shape() {
    let env = env_with_nasty_records();
    for args in [
        &["list", "courses", "--all"][..],
        &["list", "sessions"],
        &["list", "pledges"],
        &["show", "n3"],
        &["status"],
        &["odds", "--explain"],
        &["report", "--month"],
        &["next"],
        &["heatmap"],
    ] {
        let run = env.run(args).ok();
        assert_no_control(&run.stdout, &args.join(" "));
    }
    // JSON stays valid JSON with the text intact.
    let list = env.run(&["list", "courses", "--all", "--json"]).ok().json();
    let titles: Vec<&str> = list.as_array().unwrap().iter().map(|c| c["title"].as_str().unwrap()).collect();
    for nasty in NASTY {
        assert!(titles.contains(nasty), "{nasty:?} did not round-trip through list --json");
    }
    let report = env.run(&["report", "--month", "--json"]).ok().json();
    assert!(report["items"].as_array().unwrap().len() >= NASTY.len());
}

#[test]
fn markdown_report_cannot_be_broken_by_a_title() {
    let env = env_with_nasty_records();
    let markdown = env.run(&["report", "--month", "--format", "markdown"]).ok().stdout;
    assert_no_control(&markdown, "report --format markdown");
    // Every table row has the same number of unescaped pipes as its header.
    let mut header_pipes = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            header_pipes = None;
            continue;
        }
        let pipes = unescaped_pipes(line);
        match header_pipes {
            None => header_pipes = Some(pipes),
            Some(expected) => assert_eq!(pipes, expected, "a title broke a table row: {line}"),
        }
    }
    assert!(!markdown.lines().any(|l| l.starts_with("# heading") || l.starts_with("line two")), "{markdown}");
}

fn unescaped_pipes(line: &str) -> usize {
    let mut count = 0;
    let mut escaped = false;
    for c in line.chars() {
        match (escaped, c) {
            (false, '\\') => escaped = true,
            (false, '|') => count += 1,
            _ => escaped = false,
        }
    }
    count
}

#[test]
fn exports_carry_the_text_intact_in_their_own_escaping() {
    let env = env_with_nasty_records();
    // JSON export → import into an empty database → the same titles and notes.
    let json = env.run(&["export"]).ok().stdout;
    let other = TestEnv::new();
    std::fs::write(other.path("in.json"), &json).unwrap();
    other.run(&["import", "in.json"]).ok();
    assert_eq!(other.run(&["export"]).ok().stdout, json, "export → import → export changed the document");

    // CSV: every note comes back from a CSV reader, a formula only behind the guard.
    let csv_text = env.run(&["export", "--format", "csv", "--table", "sessions"]).ok().stdout;
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let note_at = headers.iter().position(|h| h == "note").expect("a note column");
    let notes: Vec<String> = reader.records().map(|r| r.unwrap()[note_at].to_string()).collect();
    for nasty in NASTY {
        let expected = if nasty.starts_with(['=', '+', '-', '@']) { format!("'{nasty}") } else { nasty.to_string() };
        assert!(notes.contains(&expected), "{expected:?} not in the CSV notes {notes:?}");
    }
    let courses = env.run(&["export", "--format", "csv", "--table", "courses"]).ok().stdout;
    assert_eq!(csv::Reader::from_reader(courses.as_bytes()).records().count(), NASTY.len() + 1);

    // iCalendar: parses, and every summary unescapes to the title.
    let ics = env.run(&["export", "--format", "ics"]).ok().stdout;
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    let summaries: Vec<String> = calendar
        .components
        .iter()
        .filter_map(|c| c.find_prop("SUMMARY").map(|p| p.val.clone().unescape_text().as_str().to_string()))
        .collect();
    assert!(summaries.iter().any(|s| s.contains("semi;colon,comma\\backslash")), "{summaries:?}");
    for line in ics.split_inclusive('\n') {
        assert!(line.ends_with("\r\n") && line.len() <= 77, "bad iCalendar line {line:?}");
    }

    // Portfolio: Markdown keeps its shape, JSON Resume is JSON with the text.
    let markdown = env.run(&["portfolio"]).ok().stdout;
    assert_no_control(&markdown, "portfolio");
    assert!(!markdown.lines().any(|l| l.starts_with("# heading")), "{markdown}");
    let resume: serde_json::Value =
        serde_json::from_str(&env.run(&["portfolio", "--format", "json-resume"]).ok().stdout).unwrap();
    assert_eq!(resume["projects"][0]["name"], NASTY[4]);
}
