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

pub fn man(mut out: Out) -> Result<()> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buffer)?;
    out.raw(&buffer)?;
    out.flush()
}
