//! The only place with SQL. `Db::open` sets the pragmas and migrates;
//! `Db::write` runs a change in one `BEGIN IMMEDIATE` transaction and
//! journals it for `undo`.

pub mod cohorts;
mod columns;
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

use crate::error::Error;

/// Schema migrations, in order; `PRAGMA user_version` counts those applied.
const MIGRATIONS: &[&str] = &[
    include_str!("sql/0001_init.sql"),
    include_str!("sql/0002_started_index.sql"),
    include_str!("sql/0003_day_totals.sql"),
    include_str!("sql/0004_commitments.sql"),
    include_str!("sql/0005_sync.sql"),
    include_str!("sql/0006_cohort_cache.sql"),
    include_str!("sql/0007_session_count.sql"),
    include_str!("sql/0008_undo_new_images.sql"),
    include_str!("sql/0009_sync_outbox.sql"),
];

/// How long a writer waits for another one before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Pragmas of every connection. A commit is acknowledged only once the WAL
/// is on disk (`synchronous = FULL`), so a check-in that printed its line
/// survives a power cut. SQLite's own checkpoints are off: the writer that
/// takes the WAL past `WAL_LIMIT_BYTES` checkpoints and truncates it
/// (`Db::after_commit`).
const DURABLE_WAL: &str = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; \
     PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 1048576;";

/// The page cache of a write that covers a whole history (a pull, a first
/// sync, a large import), in KiB. With SQLite's default of 2 MB, the
/// random-order index inserts of 100,000 records spill pages to the WAL and
/// read them back millions of times. SQLite takes the memory only as pages
/// are used, and only these writes ask for it: reads keep the default, so
/// a report over a large history stays small.
const BULK_CACHE_KIB: i64 = 64 * 1024;

/// A WAL larger than this after a commit is checkpointed and truncated by
/// the process that wrote it (see `Db::after_commit`).
const WAL_LIMIT_BYTES: u64 = 1 << 20;

/// Changes `undo` can reach back to.
const UNDO_DEPTH: i64 = 100;

pub struct Db {
    conn: Connection,
    path: Option<PathBuf>,
    /// Opened with SQLITE_OPEN_READ_ONLY: a read command never writes.
    read_only: bool,
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
        let wal_existed = wal_path(path).exists();
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                .map_err(|err| describe(&Some(path.to_path_buf()), err.into()))?;
        let mut db = Db { conn, path: Some(path.to_path_buf()), read_only: false };
        // Refuse a newer file before anything (even the journal mode) touches it.
        db.check_version().map_err(|err| db.describe(err))?;
        db.configure().map_err(|err| db.describe(err))?;
        db.migrate().map_err(|err| db.describe(err))?;
        // The WAL exists by now (the first read or write made it).
        if !exists || !wal_existed {
            sync_folder_of(path).map_err(|err| db.describe(err))?;
        }
        Ok(db)
    }

    /// Opens the database at `path` for a command that only reads:
    /// read-only, no journal-mode switch, no migration written, so that it
    /// works on a file or folder the user cannot write. A missing file reads
    /// as empty. A file that needs a migration is migrated when it can be
    /// written, and refused with a clear message when it cannot.
    pub fn open_for_reading(path: &Path) -> Result<Db> {
        if !path.exists() {
            return Db::empty();
        }
        if path.is_dir() {
            // The same error as a write meets: SQLite cannot open a folder.
            return Db::open(path, false);
        }
        let wrap = |err: anyhow::Error| describe(&Some(path.to_path_buf()), err);
        let db = match Db::open_read_only(path, false) {
            Ok(db) => db,
            // A WAL database in a folder that cannot hold its `-shm` file
            // opens only as immutable (nothing can change it there anyway).
            Err(err) if cannot_open_shared_memory(&err) && !has_wal_content(path) => {
                Db::open_read_only(path, true).map_err(wrap)?
            }
            Err(err) => return Err(wrap(err)),
        };
        db.check_version().map_err(|err| db.describe(err))?;
        if db.user_version().map_err(|err| db.describe(err))? == MIGRATIONS.len() as i64 {
            return Ok(db);
        }
        drop(db);
        Db::open(path, false).map_err(|err| {
            if is_permission_error(&err) {
                anyhow!("it needs a schema upgrade, and the file or its folder is read-only")
                    .context(Error::environment_hint(
                        "make the file and its folder writable once, or copy it somewhere writable and pass --db",
                    ))
                    .context(format!("database {}", path.display()))
            } else {
                err
            }
        })
    }

    fn open_read_only(path: &Path, immutable: bool) -> Result<Db> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let conn = if immutable {
            let uri = format!("file:{}?immutable=1", uri_path(path));
            Connection::open_with_flags(uri, flags)?
        } else {
            Connection::open_with_flags(path, flags & !OpenFlags::SQLITE_OPEN_URI)?
        };
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // Touch the schema now, so a WAL file that cannot be read fails here.
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")?;
        Ok(Db { conn, path: Some(path.to_path_buf()), read_only: true })
    }

    /// Whether this connection cannot write (a read command's).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// A database in memory with the current schema.
    pub fn empty() -> Result<Db> {
        let conn = Connection::open_in_memory().context("cannot open an in-memory database")?;
        let mut db = Db { conn, path: None, read_only: false };
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
        self.conn.execute_batch(DURABLE_WAL)?;
        if self.path.is_some() {
            // The checkpoint SQLite runs when the last connection closes was
            // most of a check-in's time (two fsyncs and a dozen page writes).
            // Skipping it is safe because every commit already fsyncs the WAL
            // (synchronous = FULL), and SQLite replays it after a power cut.
            // The WAL is kept short by `after_commit` instead.
            self.conn.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, true)?;
        }
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
            .context(Error::environment_hint("upgrade learnlog; the file was left untouched")));
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
                    .context(Error::environment_hint("pass --db with another path")));
            }
        }
        for (index, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            tx.execute_batch(sql).with_context(|| format!("schema migration {} failed", index + 1))?;
        }
        // The sync capture triggers follow the columns the migrations left.
        sync::install_triggers(&tx)?;
        tx.pragma_update(None, "user_version", known)?;
        tx.commit()?;
        self.after_commit();
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
        self.after_commit();
        Ok(value)
    }

    /// Runs `work` in one immediate transaction without journaling it: undo
    /// itself, which must not journal its own reversal, and storing the
    /// terms of old pledges. What it changes is stamped (a clock of its own)
    /// and still travels to the other devices. (Pulled changes are applied
    /// through `sync_write`, which neither journals nor stamps.)
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
        self.after_commit();
        Ok(value)
    }

    /// Readies this connection for writes that cover a whole history (a
    /// pull, a first sync, a large import), before their transaction
    /// begins: a page cache of `BULK_CACHE_KIB`, and statement journals in
    /// memory. Each statement with triggers keeps the pages it touches in a
    /// statement journal, which past 64 KiB spills to a temporary file: a
    /// pull of 100,000 sessions wrote it 2.4 million times.
    pub fn prepare_for_bulk(&self) -> Result<()> {
        self.conn.pragma_update(None, "cache_size", -BULK_CACHE_KIB)?;
        self.conn.pragma_update(None, "temp_store", "MEMORY")?;
        Ok(())
    }

    /// Runs `work` in one immediate transaction that is neither journaled nor
    /// stamped: sync's own bookkeeping (batches, cursors, applying pulls),
    /// on a connection readied for bulk writes.
    pub fn sync_write<T>(&mut self, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        self.prepare_for_bulk()?;
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| describe(&self.path, e.into()))?;
        let value = work(&tx)?;
        tx.commit().map_err(|e| describe(&self.path, e.into()))?;
        self.after_commit();
        Ok(value)
    }

    /// Keeps the WAL short. Each process opens the WAL afresh and, being the
    /// only connection, rebuilds its index by reading the whole WAL; and a
    /// checkpoint's progress lives in that index, so a WAL that no one
    /// truncates is read, and copied into the database again, by every
    /// later run. The writer that takes the WAL past `WAL_LIMIT_BYTES`
    /// therefore checkpoints it and truncates it at once (about every 25
    /// check-ins; at once after a large import or pull). It does not wait
    /// for readers: if one holds the WAL, a later write tries again. A
    /// failed checkpoint does not fail the command whose commit is done.
    fn after_commit(&self) {
        let Some(path) = &self.path else { return };
        if std::fs::metadata(wal_path(path)).map_or(true, |m| m.len() <= WAL_LIMIT_BYTES) {
            return;
        }
        let _ = self.conn.busy_timeout(Duration::ZERO);
        let _ = self.conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
        let _ = self.conn.busy_timeout(BUSY_TIMEOUT);
    }

    /// Runs `work` in a transaction that is always rolled back: what a
    /// change would do, with nothing written (`import --dry-run`).
    pub fn rehearse<T>(&self, now: DateTime<Utc>, work: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        // A read command's connection cannot even start the rehearsal's
        // writes; a writable one to the same file rolls them back as well.
        if self.read_only
            && let Some(path) = &self.path
        {
            let conn =
                Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
                    .map_err(|e| describe(&self.path, e.into()))?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            conn.execute_batch("PRAGMA foreign_keys = ON;")?;
            let writable = Db { conn, path: self.path.clone(), read_only: false };
            return writable.rehearse(now, work);
        }
        let tx = self.conn.unchecked_transaction().map_err(|e| describe(&self.path, e.into()))?;
        // The journal triggers need a change to attach row images to, as in a real write.
        undo::begin_change(&tx, "dry run", now, UNDO_DEPTH)?;
        sync::stamp(&tx, now)?;
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

/// Whether opening failed for want of the WAL's shared-memory file.
fn cannot_open_shared_memory(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<rusqlite::Error>()
            .and_then(|e| e.sqlite_error_code())
            .is_some_and(|code| matches!(code, rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly))
    })
}

/// Whether an error says the file or its folder cannot be written.
fn is_permission_error(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let sqlite = cause.downcast_ref::<rusqlite::Error>().and_then(|e| e.sqlite_error_code()).is_some_and(|code| {
            matches!(
                code,
                rusqlite::ErrorCode::ReadOnly | rusqlite::ErrorCode::PermissionDenied | rusqlite::ErrorCode::CannotOpen
            )
        });
        let io =
            cause.downcast_ref::<std::io::Error>().is_some_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied);
        sqlite || io
    })
}

/// Whether a WAL file beside the database holds changes not yet in it.
fn has_wal_content(path: &Path) -> bool {
    let mut wal = path.as_os_str().to_owned();
    wal.push("-wal");
    std::fs::metadata(PathBuf::from(wal)).is_ok_and(|m| m.len() > 0)
}

/// A path as a `file:` URI path: `%`, `?` and `#` percent-encoded.
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '%' => out.push_str("%25"),
            '?' => out.push_str("%3f"),
            '#' => out.push_str("%23"),
            c => out.push(c),
        }
    }
    out
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
        Some(hint) => err.context(Error::environment_hint(hint)),
        None => err,
    };
    err.context(format!("database {}", path.display()))
}

/// The database's write-ahead log, `FILE-wal`.
fn wal_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// Makes the names in the database's folder durable: a database or WAL
/// file just created. SQLite would otherwise fsync the folder at every
/// first commit of a process (learnlog is built with
/// `SQLITE_DISABLE_DIRSYNC`, see .cargo/config.toml); the names only need
/// it once, when they appear, and the WAL is never deleted afterwards
/// (no checkpoint on close).
fn sync_folder_of(path: &Path) -> Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        std::fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .with_context(|| format!("cannot sync the folder {}", dir.display()))?;
    }
    Ok(())
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

/// A record's UUID: version 7, ordered by the moment it was made, so that
/// sessions of one day without a start time keep the order they were logged
/// in (sessions are numbered by day, start and UUID, the same on every
/// device). Its time comes from the system clock on purpose: it orders, it
/// never dates anything (`created_at` does, from `clock.rs`).
pub(crate) fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}
