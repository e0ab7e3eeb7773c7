//! Writing files the way every command does: only into a folder that
//! exists, and atomically.

use anyhow::Result;

use crate::error::user_hint;

/// A file is written only into a folder that exists: learnlog creates no
/// folders but its own.
pub fn refuse_missing_folder(path: &std::path::Path) -> Result<()> {
    let Some(folder) = path.parent().filter(|d| !d.as_os_str().is_empty()) else { return Ok(()) };
    if folder.is_dir() {
        return Ok(());
    }
    Err(user_hint(
        format!("the folder {} does not exist", folder.display()),
        "create it first, or give a path in a folder that exists",
    ))
}

/// Writes a file through a temporary sibling renamed into place, so a
/// failure never leaves half a file.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    write_atomically_with(path, |file| Ok(std::io::Write::write_all(file, bytes)?))
}

/// Like [`write_atomically`], for content written piece by piece.
pub fn write_atomically_with(
    path: &std::path::Path,
    fill: impl FnOnce(&mut dyn std::io::Write) -> Result<()>,
) -> Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_else(|| "out".into());
    let temp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let result = (|| -> Result<()> {
        let mut file = std::io::BufWriter::new(std::fs::File::create(&temp)?);
        fill(&mut file)?;
        let file = file.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&temp, path)?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))
}
