//! `learnlog completions SHELL` and `learnlog man`: generated from the clap
//! definitions, so they never drift from the real command line.

use anyhow::Result;
use clap::CommandFactory;
use clap_complete::Shell as CompleteShell;

use crate::cli::{Cli, CompletionsArgs, Shell};
use crate::output::Out;

pub fn run(mut out: Out, args: &CompletionsArgs) -> Result<()> {
    let shell = match args.shell {
        Shell::Bash => CompleteShell::Bash,
        Shell::Zsh => CompleteShell::Zsh,
        Shell::Fish => CompleteShell::Fish,
        Shell::Powershell => CompleteShell::PowerShell,
        Shell::Elvish => CompleteShell::Elvish,
    };
    let mut buffer = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "learnlog", &mut buffer);
    out.raw(&buffer)?;
    out.flush()
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

pub fn man(mut out: Out) -> Result<()> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .title("LEARNLOG")
        .date(man_date())
        .manual("learnlog manual")
        .render(&mut buffer)?;
    out.raw(&buffer)?;
    out.flush()
}
