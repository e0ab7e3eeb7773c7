//! `learnlog completions SHELL` and `learnlog man`: generated from the clap
//! definitions, so they never drift from the real command line.

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell as CompleteShell;

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::outcome::{self, Outcome};
use crate::output::Out;

pub fn run(args: &CompletionsArgs) -> Result<Box<dyn Outcome>> {
    let shell = match args.shell {
        Shell::Bash => CompleteShell::Bash,
        Shell::Zsh => CompleteShell::Zsh,
        Shell::Fish => CompleteShell::Fish,
        Shell::Powershell => CompleteShell::PowerShell,
        Shell::Elvish => CompleteShell::Elvish,
    };
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "learnlog", &mut buffer);
    // One JSON document, as with every command: the script in a field; as
    // text, the script byte for byte.
    let script = String::from_utf8_lossy(&buffer).into_owned();
    let value = serde_json::json!({ "shell": shell.to_string(), "script": script });
    Ok(outcome::report(value, move |out: &mut Out, _: &serde_json::Value| out.raw(&buffer)))
}

/// The day this version was released: the man page's date.
const RELEASE_DATE: &str = "2026-11-29";

/// The man page's date: the build's `SOURCE_DATE_EPOCH` (reproducible
/// builds) when set, else the release date; never the clock at run time,
/// so the same build always prints the same page.
fn man_date() -> String {
    option_env!("SOURCE_DATE_EPOCH")
        .and_then(|text| text.trim().parse::<i64>().ok())
        .and_then(|seconds| chrono::DateTime::from_timestamp(seconds, 0))
        .map(|instant| instant.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| RELEASE_DATE.to_string())
}

pub fn man() -> Result<Box<dyn Outcome>> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .title("LEARNLOG")
        .date(man_date())
        .manual("learnlog manual")
        .render(&mut buffer)?;
    let page = wrap_text_lines(&String::from_utf8_lossy(&buffer), 80);
    let value = serde_json::json!({ "format": "roff", "page": page });
    Ok(outcome::report(value, move |out: &mut Out, _: &serde_json::Value| out.raw(page.as_bytes())))
}

/// Breaks roff text lines longer than `width` bytes at spaces (the same
/// page once filled; mandoc's lint asks for it). Control lines, lines that
/// start with a space (kept as they are by roff) and no-fill blocks are
/// left alone; a continuation that would read as a control line is escaped.
fn wrap_text_lines(page: &str, width: usize) -> String {
    let mut wrapped = String::with_capacity(page.len() + page.len() / 40);
    let mut no_fill = false;
    for line in page.split_inclusive('\n') {
        let text = line.strip_suffix('\n').unwrap_or(line);
        match text.split_whitespace().next() {
            Some(".nf" | ".EX") => no_fill = true,
            Some(".fi" | ".EE") => no_fill = false,
            _ => {}
        }
        let keep = no_fill || text.len() <= width || text.starts_with(['.', '\'', ' ', '\t']);
        if keep {
            wrapped.push_str(line);
            continue;
        }
        let mut current = String::new();
        for word in text.split(' ').filter(|w| !w.is_empty()) {
            if !current.is_empty() && current.len() + 1 + word.len() > width {
                wrapped.push_str(&current);
                wrapped.push('\n');
                current.clear();
            }
            if current.is_empty() {
                if word.starts_with(['.', '\'']) {
                    current.push_str("\\&");
                }
            } else {
                current.push(' ');
            }
            current.push_str(word);
        }
        wrapped.push_str(&current);
        if line.ends_with('\n') {
            wrapped.push('\n');
        }
    }
    wrapped
}

#[cfg(test)]
mod tests {
    use super::wrap_text_lines;

    #[test]
    fn long_text_lines_are_broken_at_spaces() {
        let page =
            ".TH X 1\nword word word word\n  kept as it is because it starts with a space\n.nf\nno fill no fill\n.fi\n";
        let wrapped = wrap_text_lines(page, 10);
        assert_eq!(
            wrapped,
            ".TH X 1\nword word\nword word\n  kept as it is because it starts with a space\n.nf\nno fill no fill\n.fi\n"
        );
        assert_eq!(wrap_text_lines("a .b\n", 2), "a\n\\&.b\n");
        assert_eq!(wrap_text_lines("a 'b", 2), "a\n\\&'b");
    }
}
