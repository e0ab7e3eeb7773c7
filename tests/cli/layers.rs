//! The layers point one way (docs/architecture.md), checked on the source:
//! a rule broken by a new `use` fails here, not in review.

use std::fs;
use std::path::{Path, PathBuf};

fn sources(dir: &str) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let mut stack = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(dir)];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = fs::read_to_string(&path).unwrap();
                found.push((path, text));
            }
        }
    }
    assert!(!found.is_empty(), "no sources found");
    found
}

/// The code of a file without its `#[cfg(test)]` module (tests may use anything).
fn code(text: &str) -> &str {
    text.split("#[cfg(test)]").next().unwrap_or(text)
}

fn offenders(dir: &str, forbidden: &[&str]) -> Vec<String> {
    lines_with(sources(dir), forbidden)
}

/// The lines of `files` (their code, comments and test modules left out)
/// that contain one of `forbidden`, each with its file.
fn lines_with(files: Vec<(PathBuf, String)>, forbidden: &[&str]) -> Vec<String> {
    files
        .into_iter()
        .flat_map(|(path, text)| {
            code(&text)
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .filter(|line| forbidden.iter().any(|f| line.contains(f)))
                .map(|line| format!("{}: {}", path.display(), line.trim()))
                .collect::<Vec<_>>()
        })
        .collect()
}

#[test]
fn reports_take_data_not_the_context() {
    let found = offenders("report", &["crate::Ctx", "Ctx)", "&mut Ctx"]);
    assert!(found.is_empty(), "report/ must take a connection, settings and today:\n{}", found.join("\n"));
}

#[test]
fn renderers_read_no_database() {
    let found = offenders("render", &["crate::store", "crate::Ctx", "&mut Ctx"]);
    assert!(found.is_empty(), "render/ must not reach the store or the context:\n{}", found.join("\n"));
}

#[test]
fn the_domain_imports_only_itself_and_the_error_type() {
    let found =
        offenders("domain", &["crate::store", "crate::report", "crate::render", "crate::commands", "crate::Ctx"]);
    assert!(found.is_empty(), "domain/ is pure:\n{}", found.join("\n"));
}

#[test]
fn no_command_calls_another() {
    let commands: Vec<String> = sources("commands")
        .iter()
        .filter_map(|(path, _)| path.file_stem().map(|s| s.to_string_lossy().to_string()))
        .filter(|name| name != "mod")
        .collect();
    let mut found = Vec::new();
    for (path, text) in sources("commands") {
        if path.file_stem().is_some_and(|s| s == "mod") {
            continue;
        }
        for line in code(&text).lines() {
            for name in &commands {
                if line.contains(&format!("super::{name}::"))
                    || line.contains(&format!("use super::{name}"))
                    || line.contains(&format!("commands::{name}::"))
                {
                    found.push(format!("{}: {}", path.display(), line.trim()));
                }
            }
        }
    }
    assert!(found.is_empty(), "a command calls another; share a function in ops/ instead:\n{}", found.join("\n"));
}

/// Where a line reads or sets the output mode (`out.json`, not `out.json_doc`).
fn reads_the_mode(line: &str) -> bool {
    line.match_indices("out.json")
        .any(|(at, found)| !line[at + found.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
}

#[test]
fn no_command_chooses_between_json_and_text() {
    // A command returns an Outcome; `outcome::emit` alone reads the mode.
    let mut found: Vec<String> = ["commands", "ops"]
        .iter()
        .flat_map(|dir| sources(dir))
        .flat_map(|(path, text)| {
            code(&text)
                .lines()
                .filter(|line| !line.trim_start().starts_with("//"))
                .filter(|line| reads_the_mode(line) || line.contains("mem::replace"))
                .map(|line| format!("{}: {}", path.display(), line.trim()))
                .collect::<Vec<_>>()
        })
        .collect();
    // Shared steps return values and print nothing.
    found.extend(offenders("ops", &["ctx.out", "crate::output", "json_doc"]));
    assert!(found.is_empty(), "return an Outcome (src/outcome.rs) instead:\n{}", found.join("\n"));
    assert!(reads_the_mode("if ctx.out.json {") && reads_the_mode("(ctx.out.json, q) = (false, q)"));
    assert!(!reads_the_mode("out.json_doc(&value)"), "the check itself tells the two apart");
}

/// Lines from `fn` to its closing brace at the same indent.
fn long_functions(text: &str, limit: usize) -> Vec<(String, usize)> {
    let lines: Vec<&str> = code(text).lines().collect();
    let mut found = Vec::new();
    for (at, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let signature = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn ", "const fn ", "pub const fn "];
        if !signature.iter().any(|s| trimmed.starts_with(s)) || trimmed.ends_with(';') {
            continue;
        }
        let close = format!("{}}}", &line[..line.len() - trimmed.len()]);
        if let Some(end) = lines[at + 1..].iter().position(|l| *l == close) {
            let length = end + 2;
            if length > limit {
                let name = trimmed.split('(').next().unwrap_or(trimmed).to_string();
                found.push((name, length));
            }
        }
    }
    found
}

#[test]
fn no_function_is_longer_than_80_lines() {
    let mut found = Vec::new();
    for (path, text) in sources("") {
        for (name, length) in long_functions(&text, 80) {
            found.push(format!("{}: {name} ({length} lines)", path.display()));
        }
    }
    assert!(found.is_empty(), "split these:\n{}", found.join("\n"));
    let long = "fn long() {\n".to_string() + &"    step();\n".repeat(81) + "}\n";
    assert_eq!(long_functions(&long, 80), vec![("fn long".to_string(), 83)], "the counter itself counts");
}

/// Lines of every source file outside `allowed` (paths under src/) that
/// contain one of `forbidden`, test modules left out.
fn offenders_outside(allowed: &[&str], forbidden: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let files = sources("")
        .into_iter()
        .filter(|(path, _)| {
            let relative = path.strip_prefix(&src).unwrap_or(path).to_string_lossy().replace('\\', "/");
            !allowed.iter().any(|a| relative.starts_with(a))
        })
        .collect();
    lines_with(files, forbidden)
}

#[test]
fn sql_lives_in_the_store_and_the_server_only() {
    let sql = ["\"SELECT ", "\"INSERT ", "\"UPDATE ", "\"DELETE ", "\"CREATE ", "execute_batch("];
    let found = offenders_outside(&["store/", "server/"], &sql);
    assert!(found.is_empty(), "SQL outside store/ and server/:\n{}", found.join("\n"));
}

#[test]
fn printing_goes_through_the_output_layer() {
    let found = offenders_outside(&["output/", "main.rs"], &["println!", "eprintln!", "print!(", "eprint!("]);
    assert!(found.is_empty(), "print through Out (src/output/):\n{}", found.join("\n"));
}

#[test]
fn the_clock_is_read_in_clock_rs_only() {
    let found = offenders_outside(&["clock.rs"], &["Utc::now", "Local::now", "SystemTime::now"]);
    assert!(found.is_empty(), "read the time through Ctx.clock:\n{}", found.join("\n"));
}

#[test]
fn the_output_layer_imports_nothing_above_it() {
    let above = ["crate::render", "crate::report", "crate::store", "crate::commands", "crate::ops", "crate::Ctx"];
    let found = offenders("output", &above);
    assert!(found.is_empty(), "output/ is the bottom layer:\n{}", found.join("\n"));
}

#[test]
fn the_domain_reaches_no_io_layer() {
    let io = ["crate::server", "crate::config", "crate::clock", "crate::output", "crate::ops", "crate::interop"];
    let found = offenders("domain", &io);
    assert!(found.is_empty(), "domain/ is pure:\n{}", found.join("\n"));
}

#[test]
fn the_checks_see_what_they_look_for() {
    // Each rule would catch a line it is meant to catch.
    let catches = |line: &str, forbidden: &[&str]| forbidden.iter().any(|f| line.contains(f));
    assert!(catches("    let n = conn.query_row(\"SELECT 1\", [], f)?;", &["\"SELECT "]));
    assert!(catches("    println!(\"{x}\");", &["println!"]));
    assert!(catches("let now = chrono::Utc::now();", &["Utc::now"]));
    assert!(!code("fn a() {}\n#[cfg(test)]\nmod tests { fn b() { println!(); } }").contains("println!"));
}
