//! `learnlog backup [PATH] [--force]`: a consistent copy through SQLite's
//! online backup API, safe while another process writes.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::Ctx;
use crate::cli::BackupArgs;
use crate::error::{user, user_hint};
use crate::outcome::{self, Outcome};

pub fn run(ctx: &mut Ctx, args: &BackupArgs) -> Result<Box<dyn Outcome>> {
    let source = ctx.db_path()?;
    if !source.exists() {
        return Err(user_hint(
            format!("there is no database at {} to back up", source.display()),
            "`learnlog init` creates one; --db chooses another",
        ));
    }
    let default_name = format!("learnlog-{}.db", ctx.clock.local_now().format("%Y%m%d-%H%M%S"));
    let target = match &args.path {
        Some(path) if path.is_dir() => path.join(&default_name),
        Some(path) => path.clone(),
        None => source.with_file_name(&default_name),
    };
    crate::files::refuse_missing_folder(&target)?;
    if same_file(&source, &target) {
        return Err(user(format!("{} is the database itself", target.display())));
    }
    if target.exists() && !args.force {
        return Err(user_hint(format!("{} already exists", target.display()), "pass --force to overwrite it"));
    }
    // Copy to a sibling first: a failed or interrupted backup never leaves
    // half a file under the final name, nor destroys an older backup.
    let temp = sibling_temp(&target);
    let db = ctx.read_db()?;
    let copied = db.backup_to(&temp).and_then(|()| {
        std::fs::rename(&temp, &target).map_err(|e| anyhow::anyhow!("cannot write {}: {e}", target.display()))
    });
    if copied.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    copied?;
    let bytes = std::fs::metadata(&target).map(|m| m.len()).unwrap_or(0);
    let copy = serde_json::json!({
        "path": target.display().to_string(),
        "source": source.display().to_string(),
        "bytes": bytes,
    });
    Ok(outcome::done(copy, format!("Backed up {} to {}.", source.display(), target.display())))
}

fn sibling_temp(target: &Path) -> PathBuf {
    let name = target.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "backup".into());
    target.with_file_name(format!(".{name}.tmp{}", std::process::id()))
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
