//! The README is the front door: its transcript must be what learnlog
//! prints, and every command line it shows must be one learnlog accepts.

use crate::common::TestEnv;

const README: &str = include_str!("../../README.md");

/// Splits a shell line into words (double quotes, single quotes, backslash-newline).
fn words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut in_word = false;
    for c in line.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => current.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                in_word = true;
            }
            (None, ' ') => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            (None, c) => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_word {
        words.push(current);
    }
    words
}

/// The fenced blocks of a given language.
fn blocks(language: &str) -> Vec<String> {
    let fence = format!("```{language}\n");
    README.split(&fence).skip(1).filter_map(|rest| rest.split("\n```").next()).map(String::from).collect()
}

#[test]
fn the_transcript_is_what_learnlog_prints() {
    let env = TestEnv::new();
    let transcript = blocks("console").into_iter().next().expect("a console block");
    let mut steps: Vec<(String, String)> = Vec::new();
    for line in transcript.lines() {
        match line.strip_prefix("$ ") {
            Some(command) => steps.push((command.to_string(), String::new())),
            None => {
                let (_, expected) = steps.last_mut().expect("output after a command");
                expected.push_str(line);
                expected.push('\n');
            }
        }
    }
    assert!(steps.len() >= 4, "add course, checkin, status, streak");
    for (command, expected) in steps {
        let args = words(&command);
        assert_eq!(args[0], "learnlog");
        let args: Vec<&str> = args[1..].iter().map(String::as_str).collect();
        let run = env.run(&args).ok();
        assert_eq!(run.stdout, expected, "README transcript differs for `{command}`");
    }
}

#[test]
fn every_command_line_in_the_readme_is_accepted() {
    let mut checked = 0;
    for block in blocks("sh") {
        let joined = block.replace("\\\n", " ");
        for line in joined.lines() {
            let line = line.split(" # ").next().unwrap_or(line).trim();
            let line = line.split(" && ").next().unwrap_or(line);
            let line = line.split(" > ").next().unwrap_or(line);
            let line = line.rsplit("| ").next().unwrap_or(line);
            if !line.starts_with("learnlog ") {
                continue;
            }
            let env = TestEnv::new();
            let args = words(line);
            let args: Vec<&str> = args[1..].iter().map(String::as_str).collect();
            let run = env.run(&args);
            // A usage error from the argument parser prints "Usage:"; a refused
            // action on an empty database is fine here.
            assert!(
                !run.stderr.contains("Usage:"),
                "README line rejected by the parser: `{line}`\n{}",
                run.transcript()
            );
            assert!(!run.stderr.contains("panicked"), "`{line}`\n{}", run.transcript());
            assert!(!run.stderr.contains("not available in this build"), "`{line}`\n{}", run.transcript());
            checked += 1;
        }
    }
    assert!(checked >= 30, "only {checked} command lines found");
}
