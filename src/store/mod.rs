//! The only place with SQL. `Db::open` sets the pragmas and migrates;
//! `Db::write` runs a change in one `BEGIN IMMEDIATE` transaction and
//! journals it for `undo`.

pub mod items;
pub mod pledges;
pub mod rest;
pub mod sessions;
pub mod snapshot;
pub mod sync;
pub mod undo;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use rusqlite::{Connection, OpenFlags, TransactionBehavior};

use crate::error::EnvHint;

/// Schema migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_init.sql"),
    include_str!("sql/0002_started_index.sql"),
    include_str!("sql/0003_day_totals.sql"),
    include_str!("sql/0005_sync.sql"),
];

/// How long a writer waits for another one before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Changes `undo` can reach back to.
const UNDO_DEPTH: i64 = 100;

pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
}

impl Db {
    /// Opens (and creates, when `create`) the database at `path`. Without
    /// `create`, a missing file gives an empty in-memory database, so read
    /// commands print an empty state and create nothing.
    pub fn open(path: &Path, create: bool) -> Result<Db> {
        let exists = path.exists();
        if !exists && !create {
            return Db::empty();
        }
        if !exists {
            create_private_file(path)?;
        }
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|err| describe(&Some(path.to_path_buf()), err.into()))?;
        let mut db = Db { conn, path: Some(path.to_path_buf()) };
        // Refuse a newer file before anything (even the journal mode) touches it.
        db.check_version().map_err(|err| db.describe(err))?;
        db.configure().map_err(|err| db.describe(err))?;
        db.migrate().map_err(|err| db.describe(err))?;
        Ok(db)
    }

    /// A database in memory with the current schema.
    pub fn empty() -> Result<Db> {
        let conn = Connection::open_in_memory().context("cannot open an in-memory database")?;
        let mut db = Db { conn, path: None };
        db.configure()?;
        db.migrate()?;
        Ok(db)
    }

    /// Whether this is a real file (not the empty stand-in for a missing one).
    pub fn is_file(&self) -> bool {
        self.path.is_some()
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // Reading the mode takes no lock; switching does, so only switch once.
        let mode: String = self.conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
        if self.path.is_some() && !mode.eq_ignore_ascii_case("wal") {
            self.conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
        }
        self.conn.execute_batch("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")?;
        Ok(())
    }

    fn check_version(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        let known = MIGRATIONS.len() as i64;
        let version = self.user_version()?;
        if version > known {
            return Err(anyhow!(
                "it was written by a newer learnlog (schema version {version}; this learnlog knows up to {known})"
            )
            .context(EnvHint { hint: "upgrade learnlog; the file was left untouched".into() }));
        }
        Ok(())
    }

    fn migrate(&mut self) -> Result<()> {
        let known = MIGRATIONS.len() as i64;
        let found = self.user_version()?;
        if found == known {
            return Ok(());
        }
        // The copy comes first, outside the migration's transaction: SQLite
        // cannot VACUUM INTO from within one.
        if found > 0
            && found < known
            && let Some(path) = &self.path
        {
            backup_before_migration(&self.conn, path, found)?;
        }
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Another process may have migrated while we waited for the lock.
        let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version == 0 {
            let tables: i64 =
                tx.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table'", [], |r| r.get(0))?;
            if tables > 0 {
                return Err(anyhow!("it is not a learnlog database (it has tables but no learnlog schema version)")
                    .context(EnvHint { hint: "pass --db with another path".into() }));
            }
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            tx.execute_batch(sql).with_context(|| format!("schema migration {} failed", index + 1))?;
        }
        // The sync capture triggers follow the columns the migrations left.
        sync::install_triggers(&tx)?;
        tx.pragma_update(None, "user_version", known)?;
        tx.commit()?;
        Ok(())
    }

    fn user_version(&self) -> Result<i64> {
        Ok(self.conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
    }

    /// Runs `change` in one immediate transaction, journaled under `summary`
    /// so that `undo` can reverse it.
    pub fn write<T>(
        &mut self,
        summary: &str,
        now: DateTime<Utc>,
        change: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| describe(&self.path, e.into()))?;
        undo::begin_change(&tx, summary, now, UNDO_DEPTH)?;
        sync::stamp(&tx, now)?;
        let value = change(&tx)?;
        tx.commit().map_err(|e| describe(&self.path, e.into()))?;
        Ok(value)
    }

    /// Runs `work` in one immediate transaction without journaling it (undo
    /// itself, and applying what sync pulled). What it changes still travels.
    pub fn write_unjournaled<T>(
        &mut self,
        now: DateTime<Utc>,
        work: impl FnOnce(&Connection) -> Result<T>,
    ) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| describe(&self.path, e.into()))?;
        sync::stamp(&tx, now)?;
        let value = work(&tx)?;
        tx.commit().map_err(|e| describe(&self.path, e.into()))?;
        Ok(value)
    }

    /// Runs `work` in one immediate transaction that is neither journaled nor
    /// stamped: sync's own bookkeeping (batches, cursors, applying pulls).
    pub fn sync_write<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| describe(&self.path, e.into()))?;
        let value = work(&tx)?;
        tx.commit().map_err(|e| describe(&self.path, e.into()))?;
        Ok(value)
    }

    /// Runs `work` in a transaction that is always rolled back: what a
    /// change would do, with nothing written (`import --dry-run`).
    pub fn rehearse<T>(&self, now: DateTime<Utc>, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let tx = self.conn.unchecked_transaction().map_err(|e| describe(&self.path, e.into()))?;
        // The journal triggers need a change to attach row images to, as in a real write.
        undo::begin_change(&tx, "dry run", now, UNDO_DEPTH)?;
        let value = work(&tx);
        tx.rollback().map_err(|e| describe(&self.path, e.into()))?;
        value
    }

    /// Copies the database with SQLite's online backup API (safe while others write).
    pub fn backup_to(&self, target: &Path) -> Result<()> {
        create_private_file(target)?;
        let mut dest = Connection::open(target).with_context(|| format!("cannot create {}", target.display()))?;
        let backup = rusqlite::backup::Backup::new(&self.conn, &mut dest)?;
        backup
            .run_to_completion(256, Duration::from_millis(5), None)
            .with_context(|| format!("backup to {} failed", target.display()))?;
        Ok(())
    }

    fn describe(&self, err: anyhow::Error) -> anyhow::Error {
        describe(&self.path, err)
    }
}

/// Names the file in an error and adds a hint for the failures people meet.
fn describe(path: &Option<PathBuf>, err: anyhow::Error) -> anyhow::Error {
    let Some(path) = path else { return err };
    let hint = err.chain().find_map(|cause| {
        let sqlite = cause.downcast_ref::<rusqlite::Error>()?;
        match sqlite.sqlite_error_code()? {
            rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt => {
                Some("the file is damaged or not a learnlog database; restore a backup or pass --db with another path")
            }
            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                Some("another process held the database for too long; try again")
            }
            rusqlite::ErrorCode::DiskFull | rusqlite::ErrorCode::SystemIoFailure => Some(
                "nothing was saved: the disk may be full or a file-size limit reached; free some space and try again",
            ),
            rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied | rusqlite::ErrorCode::CannotOpen => {
                Some("check the file's permissions")
            }
            _ => None,
        }
    });
    let err = match hint {
        Some(hint) => err.context(EnvHint { hint: hint.into() }),
        None => err,
    };
    err.context(format!("database {}", path.display()))
}

/// Creates an empty file readable only by its owner, and its directory (0700).
pub fn create_private_file(path: &Path) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(())
}

/// Creates a directory (and its missing parents) readable only by its owner.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).with_context(|| format!("cannot create directory {}", dir.display()))
}

/// Before migrating an existing file, keep a copy beside it.
fn backup_before_migration(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let target = path.with_extension(format!("v{version}.bak"));
    let target_text = target.to_string_lossy().to_string();
    if target.exists() {
        std::fs::remove_file(&target).with_context(|| format!("cannot replace {}", target.display()))?;
    }
    conn.execute("VACUUM INTO ?1", [&target_text])
        .with_context(|| format!("cannot write the pre-migration backup {}", target.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}

// ---- column conversions shared by the query modules -----------------------

pub(crate) fn instant_text(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn parse_instant(text: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

pub(crate) fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

pub(crate) fn parse_day(text: &str) -> rusqlite::Result<NaiveDate> {
    // FromStr reads ISO 8601 dates without interpreting a format string,
    // which matters when an export reads 100,000 of them.
    text.parse::<NaiveDate>()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e)))
}

pub(crate) fn opt_day(text: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    text.as_deref().map(parse_day).transpose()
}

pub(crate) fn new_uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}
