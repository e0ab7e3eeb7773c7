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
    if out.json {
        // One JSON document, as with every command: the script in a field.
        let script = String::from_utf8_lossy(&buffer);
        out.json_doc(&serde_json::json!({ "shell": shell.to_string(), "script": script }))?;
        return out.flush();
    }
    out.raw(&buffer)?;
    out.flush()
}

pub fn man(mut out: Out) -> Result<()> {
    let mut buffer = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut buffer)?;
    if out.json {
        let page = String::from_utf8_lossy(&buffer);
        out.json_doc(&serde_json::json!({ "format": "roff", "page": page }))?;
        return out.flush();
    }
    out.raw(&buffer)?;
    out.flush()
}
