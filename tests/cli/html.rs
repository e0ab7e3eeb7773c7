//! `report --format html`: one self-contained page. Its structure is read
//! back with an HTML parser (scraper), its numbers compared with
//! `report --json`, hostile text checked, and the demo's page opened in
//! headless Chromium (tests/browser/check.js).

use std::path::{Path, PathBuf};
use std::process::Command;

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;

use crate::common::TestEnv;

/// Pinned today is Monday 2026-11-23. A course with units and a deadline,
/// a staked weekly pledge with a missed week (one debt settled with a
/// note, one owed), a daily pledge on all study, a shipped project and a
/// completed course with a link each, and hostile text everywhere a
/// learner can type.
fn history() -> TestEnv {
    let env = TestEnv::new();
    let hostile = "<script>alert(1)</script> \"quoted\" & 'x' \u{7}bell";
    let steps: &[(&str, &[&str])] = &[
        (
            "2026-09-01T12:00:00Z",
            &["add", "course", "Machine Learning", "--units", "10", "--deadline", "2027-01-10", "--slug", "ml"],
        ),
        ("2026-09-01T12:00:00Z", &["add", "course", hostile, "--units", "4", "--slug", "evil"]),
        ("2026-09-01T12:00:00Z", &["add", "project", "Birds", "--url", "https://example.org/birds", "--slug", "birds"]),
        ("2026-09-01T12:00:00Z", &["add", "project", "Trap", "--url", "javascript:alert(1)", "--slug", "trap"]),
        (
            "2026-11-02T12:00:00Z",
            &["pledge", "ml", "2h/week", "--stake", "<img src=x onerror=alert(1)>", "--referee", "ana\"<b>"],
        ),
        ("2026-11-02T12:00:00Z", &["pledge", "all", "20m/day"]),
        ("2026-11-05T12:00:00Z", &["rest", "2026-11-21"]),
        ("2026-09-10T20:00:00Z", &["checkin", "ml", "1h", "--units", "1", "--level", "understand"]),
        ("2026-10-05T20:00:00Z", &["checkin", "ml", "1h30m", "--units", "2", "--level", "apply"]),
        ("2026-11-03T20:00:00Z", &["checkin", "ml", "30m"]),
        ("2026-11-12T20:00:00Z", &["checkin", "ml", "2h", "--units", "1"]),
        ("2026-11-17T12:00:00Z", &["settle", "1", "--note", "</td></table><script>x</script>"]),
        ("2026-11-16T20:00:00Z", &["checkin", "ml", "45m", "--units", "1", "--level", "apply"]),
        ("2026-11-17T20:00:00Z", &["checkin", "birds", "1h", "--level", "create"]),
        ("2026-11-18T20:00:00Z", &["checkin", "evil", "25m", "--units", "4"]),
        ("2026-11-18T20:00:00Z", &["done", "evil", "--credential", "javascript:alert(2)"]),
        ("2026-11-19T20:00:00Z", &["checkin", "20m"]),
        ("2026-11-20T20:00:00Z", &["done", "birds"]),
        ("2026-11-23T19:30:00Z", &["checkin", "ml", "30m", "--level", "apply"]),
    ];
    for (now, args) in steps {
        env.run_at(now, args).ok();
    }
    env
}

fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

fn page(env: &TestEnv, period: &str) -> (String, Html) {
    let text = env.run(&["report", period, "--format", "html"]).ok().stdout;
    let doc = Html::parse_document(&text);
    (text, doc)
}

fn value(el: ElementRef<'_>) -> &str {
    el.value().attr("data-value").unwrap_or_else(|| panic!("no data-value on {}", el.html()))
}

/// The `data-value` of the element with `data-key=KEY` under `scope`.
fn keyed(doc: &Html, scope: &str, key: &str) -> String {
    let found = doc.select(&sel(&format!("{scope} [data-key=\"{key}\"]"))).next();
    value(found.unwrap_or_else(|| panic!("no {key} in {scope}"))).to_string()
}

#[test]
fn the_page_is_self_contained_and_every_chart_is_described() {
    let env = history();
    let (text, doc) = page(&env, "--last-week");
    assert!(text.starts_with("<!DOCTYPE html><html lang=\"en\">"), "{}", &text[..80]);
    let csp = doc.select(&sel("meta[http-equiv=\"Content-Security-Policy\"]")).next().expect("a CSP");
    assert_eq!(csp.value().attr("content"), Some("default-src 'none'; style-src 'unsafe-inline'; img-src data:"));
    assert_eq!(doc.select(&sel("script, link, img, iframe, object, embed, [src]")).count(), 0);
    assert!(text.contains("prefers-color-scheme:dark") && text.contains("@media print"));
    // No url() in the stylesheet either: nothing to fetch.
    assert!(!text.contains("url("));

    let svgs: Vec<ElementRef> = doc.select(&sel("svg")).collect();
    // Calendar, 1 burn-up, 1 odds track, 2 pledges, balance, Bloom, stakes.
    assert_eq!(svgs.len(), 8, "{text}");
    for svg in svgs {
        assert_eq!(svg.value().attr("role"), Some("img"));
        assert!(svg.value().attr("viewBox").is_some());
        let title = svg.select(&sel("svg > title")).next().map(|t| t.text().collect::<String>());
        let desc = svg.select(&sel("svg > desc")).next().map(|t| t.text().collect::<String>());
        assert!(title.as_deref().is_some_and(|t| !t.trim().is_empty()), "no title: {}", svg.html());
        assert!(desc.as_deref().is_some_and(|d| d.len() > 20), "no desc: {}", svg.html());
        // Named by them, and its numbers in a table beside it.
        for id in svg.value().attr("aria-labelledby").unwrap().split(' ') {
            assert_eq!(doc.select(&sel(&format!("#{id}"))).count(), 1, "{id}");
        }
        let chart = ElementRef::wrap(svg.parent().unwrap().parent().unwrap()).unwrap();
        assert!(chart.value().classes().any(|c| c == "chart"));
        assert_eq!(chart.select(&sel("table")).count(), 1, "a chart without its table");
    }
    // Ids are unique.
    let mut ids: Vec<&str> = doc.select(&sel("[id]")).map(|e| e.value().id().unwrap()).collect();
    let all = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all);
}

#[test]
fn the_tables_hold_the_numbers_of_report_json() {
    let env = history();
    for period in ["--last-week", "--week", "--month"] {
        let json = env.run(&["report", period, "--json"]).ok().json();
        let (_, doc) = page(&env, period);
        let totals = &json["totals"];
        for key in ["minutes", "sessions", "units", "study_days", "daily_streak", "weekly_streak"] {
            assert_eq!(keyed(&doc, "#totals", key), totals[key].to_string(), "{period} {key}");
        }
        for key in ["pledges_kept", "pledges_missed", "stakes_owed"] {
            assert_eq!(keyed(&doc, "#totals", key), totals[key].to_string(), "{period} {key}");
        }
        let consistency: f64 = keyed(&doc, "#totals", "consistency").parse().unwrap();
        assert!((consistency - totals["consistency"].as_f64().unwrap()).abs() < 1e-4);
        for key in ["course_minutes", "project_minutes", "general_minutes", "credentials", "projects_shipped"] {
            assert_eq!(keyed(&doc, "#balance-table", key), json["balance"][key].to_string(), "{period} {key}");
        }
        for (level, minutes) in json["bloom"].as_object().unwrap() {
            assert_eq!(keyed(&doc, "#bloom-table", level), minutes.to_string(), "{period} {level}");
        }
        let rows: Vec<ElementRef> = doc.select(&sel("#items-table tbody tr")).collect();
        let items = json["items"].as_array().unwrap();
        assert_eq!(rows.len(), items.len(), "{period}");
        for (row, item) in rows.iter().zip(items) {
            assert_eq!(row.value().attr("data-ref"), item["ref"].as_str(), "same order");
            for key in ["minutes", "sessions", "units"] {
                let cell = row.select(&sel(&format!("[data-key=\"{key}\"]"))).next().unwrap();
                assert_eq!(value(cell), item[key].to_string(), "{period} {} {key}", item["ref"]);
            }
        }
        let stakes = &json["stakes"];
        for (state, list) in [("owed", &stakes["owed"]), ("settled", &stakes["settled"])] {
            let shown: Vec<String> = doc
                .select(&sel(&format!("#stakes-table tr[data-state=\"{state}\"]")))
                .map(|r| r.value().attr("data-debt").unwrap().to_string())
                .collect();
            let ids: Vec<String> = list.as_array().unwrap().iter().map(|d| d["id"].to_string()).collect();
            assert_eq!(shown, ids, "{period} {state}");
        }
        // The odds chart ends where the report's odds end.
        let ml = items.iter().find(|i| i["ref"] == "ml").unwrap();
        let latest = doc.select(&sel(".odds-table[data-ref=\"ml\"] tbody tr td")).next().unwrap();
        let odds: f64 = value(latest).parse().unwrap();
        assert!((odds - ml["odds_end"].as_f64().unwrap()).abs() < 1e-6, "{period}");
        // The burn-up ends at the units done by the period's end.
        let done = doc.select(&sel(".burnup-table[data-ref=\"ml\"] [data-key=\"done\"]")).next().unwrap();
        assert_eq!(value(done), ml["units_done"].to_string(), "{period}");
        // Each pledge's judged periods in the report are in its grid, with the same verdict.
        for pledge in json["pledges"].as_array().unwrap() {
            for p in pledge["periods"].as_array().unwrap() {
                let css = format!(".pledge-table[data-pledge=\"{}\"] tr[data-start={}]", pledge["id"], p["start"]);
                let row = doc.select(&sel(&css)).next().unwrap_or_else(|| panic!("{period}: no {css}"));
                assert_eq!(row.value().attr("data-state"), p["verdict"].as_str(), "{css}");
            }
        }
    }
    // This week's calendar is `heatmap`'s 26 weeks, day by day.
    let heatmap = env.run(&["heatmap", "--json"]).ok().json();
    let (_, doc) = page(&env, "--week");
    let cells: Vec<(String, String)> = doc
        .select(&sel("#heatmap-table td[data-date]"))
        .map(|c| (c.value().attr("data-date").unwrap().to_string(), value(c).to_string()))
        .collect();
    let mut days: Vec<(String, String)> = heatmap["days"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["date"].as_str().unwrap().to_string(), d["minutes"].to_string()))
        .collect();
    let mut cells_sorted = cells.clone();
    cells_sorted.sort();
    days.sort();
    assert_eq!(cells_sorted, days);
}

#[test]
fn pledge_grids_show_excused_and_scheduled_periods() {
    let env = history();
    let (_, doc) = page(&env, "--week");
    let state = |pledge: i64, day: &str| {
        let css = format!(".pledge-table[data-pledge=\"{pledge}\"] tr[data-start=\"{day}\"]");
        doc.select(&sel(&css)).next().map(|r| r.value().attr("data-state").unwrap().to_string())
    };
    // The daily pledge: a rest day declared a horizon ahead is excused.
    assert_eq!(state(2, "2026-11-21").as_deref(), Some("excused"));
    assert_eq!(state(2, "2026-11-20").as_deref(), Some("missed"));
    // Today is judged; the days after it, up to today + horizon_days (7), are scheduled.
    assert_eq!(state(2, "2026-11-23").as_deref(), Some("on_track"));
    for day in ["2026-11-24", "2026-11-29", "2026-11-30"] {
        assert_eq!(state(2, day).as_deref(), Some("scheduled"), "{day}");
    }
    assert_eq!(state(2, "2026-12-01"), None, "beyond the horizon");
    // The weekly pledge: this week is behind, next week (inside the horizon) scheduled.
    assert_eq!(state(1, "2026-11-23").as_deref(), Some("behind"));
    assert_eq!(state(1, "2026-11-30").as_deref(), Some("scheduled"));
    assert_eq!(state(1, "2026-11-16").as_deref(), Some("missed"));
    // A past period shows no scheduled period.
    let (_, last_week) = page(&env, "--last-week");
    assert_eq!(last_week.select(&sel("tr[data-state=\"scheduled\"]")).count(), 0);
    // The grid's legend names all six states.
    let legend: String = doc.select(&sel("#pledges svg text")).map(|t| t.text().collect::<String>()).collect();
    for word in ["kept", "missed", "on track", "behind", "scheduled", "excused"] {
        assert!(legend.contains(word), "{word}");
    }
}

#[test]
fn hostile_text_is_escaped_and_never_a_link() {
    let env = history();
    let (text, doc) = page(&env, "--last-week");
    for raw in ["<script", "<img", "<b>", "</td></table>", "\u{7}"] {
        assert!(!text.contains(raw), "{raw:?} reached the page");
    }
    assert!(text.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;quoted&quot; &amp; 'x' \u{FFFD}bell"));
    assert!(text.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(text.contains("&lt;/td&gt;&lt;/table&gt;&lt;script&gt;x&lt;/script&gt;"));
    // Read back, the text is what the learner typed (control character aside).
    let titles: Vec<String> = doc.select(&sel("#items-table tbody th")).map(|t| t.text().collect()).collect();
    assert!(
        titles.iter().any(|t| t.starts_with("<script>alert(1)</script> \"quoted\" & 'x' \u{FFFD}bell")),
        "{titles:?}"
    );
    // Links: only http(s), and the shipped project's is one.
    let hrefs: Vec<&str> = doc.select(&sel("a[href]")).map(|a| a.value().attr("href").unwrap()).collect();
    assert!(hrefs.contains(&"https://example.org/birds"), "{hrefs:?}");
    assert!(hrefs.iter().all(|h| h.starts_with("https://") || h.starts_with("http://")), "{hrefs:?}");
    assert!(!text.contains("href=\"javascript"));
    // No control character anywhere but newlines.
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
}

#[test]
fn same_records_and_clock_give_the_same_bytes() {
    let env = history();
    let first = env.run(&["report", "--last-week", "--format", "html"]).ok().stdout;
    let second = env.run(&["report", "--last-week", "--format", "html"]).ok().stdout;
    assert_eq!(first, second);
    let other = env.run(&["report", "--month", "--format", "html"]).ok().stdout;
    assert_ne!(first, other);
    // A later clock is another day: the page says so.
    let later = env.run_at("2026-11-24T19:30:00Z", &["report", "--last-week", "--format", "html"]).ok().stdout;
    assert_ne!(first, later);
}

#[test]
fn out_never_overwrites_and_refuses_a_missing_folder() {
    let env = history();
    let path = env.path("report.html");
    let out = path.to_str().unwrap();
    let run = env.run(&["report", "--format", "html", "--out", out]).ok();
    assert_eq!(env.redact(&run.stdout), "Wrote the report for 2026-11-23 to 2026-11-29 to [HOME]/report.html.\n");
    let written = std::fs::read_to_string(&path).unwrap();
    assert_eq!(written, env.run(&["report", "--format", "html"]).ok().stdout);
    let run = env.run(&["report", "--format", "html", "--out", out]).fails(2);
    assert!(run.stderr.contains("already exists") && run.stderr.contains("--force"), "{}", run.stderr);
    std::fs::write(&path, "keep").unwrap();
    env.run(&["report", "--last-week", "--format", "html", "--out", out]).fails(2);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "keep");
    env.run(&["report", "--last-week", "--format", "html", "--out", out, "--force", "-q"]).ok();
    assert!(std::fs::read_to_string(&path).unwrap().starts_with("<!DOCTYPE html>"));
    // A missing folder is refused, not created.
    let missing = env.path("nowhere/report.html");
    let run = env.run(&["report", "--format", "html", "--out", missing.to_str().unwrap()]).fails(2);
    assert!(run.stderr.contains("does not exist"), "{}", run.stderr);
    assert!(!env.path("nowhere").exists());
    // Another format goes to a file the same way.
    let md = env.path("report.md");
    env.run(&["report", "--last-week", "--format", "markdown", "--out", md.to_str().unwrap(), "-q"]).ok();
    let text = std::fs::read_to_string(&md).unwrap();
    assert_eq!(text, env.run(&["report", "--last-week", "--format", "markdown"]).ok().stdout);
    // --force means nothing without --out.
    env.run(&["report", "--force"]).fails(2);
}

/// Whether the browser check can run here; why not when it cannot.
fn browser_missing(browser_dir: &Path) -> Option<String> {
    if !Path::new("/usr/bin/chromium").exists() {
        return Some("/usr/bin/chromium is missing (apt-get install -y chromium)".into());
    }
    if !browser_dir.join("node_modules/playwright-core").exists() || !browser_dir.join("node_modules/axe-core").exists()
    {
        return Some(format!("{}/node_modules is missing (npm ci there)", browser_dir.display()));
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is missing".into());
    }
    None
}

#[test]
fn the_demo_page_passes_in_a_real_browser() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let browser_dir = root.join("tests/browser");
    if let Some(why) = browser_missing(&browser_dir) {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "the browser check must run in CI: {why}");
        eprintln!("skipping the browser check: {why}");
        return;
    }
    let env = TestEnv::new();
    let demo = env.run(&["demo"]).ok().stdout;
    let line = demo.lines().find(|l| l.starts_with("Open it in a browser: ")).expect("the demo names its page");
    let page = PathBuf::from(line.trim_start_matches("Open it in a browser: "));
    assert!(page.is_file(), "{}", page.display());
    let artifacts = root.join("target/browser-artifacts");
    let run = Command::new("node").arg("check.js").arg(&page).arg(&artifacts).current_dir(&browser_dir).output();
    let _ = std::fs::remove_dir_all(page.parent().unwrap());
    let run = run.unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&run.stdout), String::from_utf8_lossy(&run.stderr));
    assert!(run.status.success(), "browser check failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
    for shot in ["report-1280-light.png", "report-390-light.png"] {
        assert!(artifacts.join(shot).is_file(), "no {shot}");
    }
}

#[test]
fn json_wins_over_format_html() {
    // `--json` keeps its meaning: the report's JSON, whatever --format says.
    let env = history();
    let json: Value = env.run(&["report", "--last-week", "--format", "html", "--json"]).ok().json();
    assert_eq!(json["period"]["label"], "last_week");
}
