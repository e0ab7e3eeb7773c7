//! The server schema: ordered SQL files, each applied in one transaction,
//! the version kept in `learnlog.meta` (`schema_version`).

use anyhow::{Result, anyhow};
use postgres::Client;
use postgres::error::SqlState;

use super::{ServerUrl, query_error, with_hint};

/// The group role every member login belongs to.
pub const MEMBER_ROLE: &str = "learnlog_member";

/// The server schema's migrations, in order; version N is the first N.
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_init", include_str!("sql/0001_init.sql")),
    ("0002_cohorts", include_str!("sql/0002_cohorts.sql")),
    ("0003_cohort_late", include_str!("sql/0003_cohort_late.sql")),
];

/// The newest server schema this learnlog knows.
pub fn latest() -> i64 {
    MIGRATIONS.len() as i64
}

/// What `server init` did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct InitOutcome {
    /// The version found (0: no learnlog schema).
    pub from_version: i64,
    pub to_version: i64,
    /// The migrations applied, by name.
    pub applied: Vec<String>,
    /// Whether the group role was created now.
    pub created_group_role: bool,
}

/// Creates or migrates the server schema. Idempotent; refuses a server
/// schema newer than this learnlog.
pub fn init(client: &mut Client) -> Result<InitOutcome> {
    init_to(client, latest())
}

/// Creates or migrates the server schema up to version `target` (tests
/// make older servers with it).
pub fn init_to(client: &mut Client, target: i64) -> Result<InitOutcome> {
    let created_group_role = ensure_group_role(client)?;
    let from_version = version(client)?.unwrap_or(0);
    refuse_newer(from_version)?;
    let mut applied = Vec::new();
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().take(target.max(0) as usize) {
        let target = index as i64 + 1;
        let mut tx = client.transaction().map_err(|e| query_error(e, "cannot start the migration"))?;
        // Two administrators running init at once: the second waits, then
        // sees the first one's work.
        tx.execute("SELECT pg_advisory_xact_lock(hashtext('learnlog server schema'))", &[])
            .map_err(|e| query_error(e, "cannot lock the server schema"))?;
        let now = version_in(&mut tx)?.unwrap_or(0);
        refuse_newer(now)?;
        if now >= target {
            continue;
        }
        tx.batch_execute(sql).map_err(|e| migration_error(e, name))?;
        tx.execute(
            "INSERT INTO learnlog.meta (key, value) VALUES ('schema_version', $1)
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            &[&target.to_string()],
        )
        .map_err(|e| migration_error(e, name))?;
        tx.commit().map_err(|e| migration_error(e, name))?;
        applied.push((*name).to_string());
    }
    Ok(InitOutcome { from_version, to_version: target.max(from_version), applied, created_group_role })
}

/// For a member's connection: the schema is there, and not newer than this
/// learnlog knows.
pub fn check(client: &mut Client, url: &ServerUrl) -> Result<i64> {
    let row =
        client.query_opt("SELECT value FROM learnlog.meta WHERE key = 'schema_version'", &[]).map_err(|e| {
            match e.code() {
                Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => with_hint(
                    format!("{} is not a learnlog member on {}", url.user(), url.address()),
                    format!("the database administrator runs `learnlog server add-member {}`", url.user()),
                ),
                _ => query_error(e, "cannot read the server schema version"),
            }
        })?;
    let version = parse_version(row.map(|r| r.get::<_, String>(0)))?.unwrap_or(0);
    if version == 0 {
        return Err(with_hint(
            format!("the database {} on {} has no learnlog schema", url.dbname(), url.address()),
            "the database administrator runs `learnlog server init URL`",
        ));
    }
    refuse_newer(version)?;
    Ok(version)
}

/// The schema version, or `None` when there is no learnlog schema.
pub fn version(client: &mut Client) -> Result<Option<i64>> {
    let mut tx = client.transaction().map_err(|e| query_error(e, "cannot read the server schema version"))?;
    let version = version_in(&mut tx)?;
    tx.commit().map_err(|e| query_error(e, "cannot read the server schema version"))?;
    Ok(version)
}

fn version_in(tx: &mut postgres::Transaction<'_>) -> Result<Option<i64>> {
    let exists: bool = tx
        // A query of the catalog, not to_regclass: after waiting on the
        // advisory lock, the backend's catalog cache may not yet know of a
        // schema another init just committed; the statement's snapshot does.
        .query_one(
            "SELECT EXISTS (SELECT FROM pg_catalog.pg_class c
                              JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                             WHERE n.nspname = 'learnlog' AND c.relname = 'meta')",
            &[],
        )
        .map_err(|e| query_error(e, "cannot read the server schema version"))?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let row = tx
        .query_opt("SELECT value FROM learnlog.meta WHERE key = 'schema_version'", &[])
        .map_err(|e| query_error(e, "cannot read the server schema version"))?;
    parse_version(row.map(|r| r.get::<_, String>(0))).map(|v| Some(v.unwrap_or(0)))
}

fn parse_version(text: Option<String>) -> Result<Option<i64>> {
    text.map(|t| t.trim().parse::<i64>().map_err(|_| anyhow!("the server schema version '{t}' is not a number")))
        .transpose()
}

pub fn refuse_newer(version: i64) -> Result<()> {
    if version > latest() {
        return Err(with_hint(
            format!(
                "the server's learnlog schema is version {version}, newer than this learnlog knows (up to {})",
                latest()
            ),
            "upgrade learnlog; nothing was changed on the server",
        ));
    }
    Ok(())
}

/// Creates the group role when missing (roles are cluster-wide: another
/// database's init may be creating it at this very moment).
fn ensure_group_role(client: &mut Client) -> Result<bool> {
    let exists = |client: &mut Client| -> Result<bool> {
        Ok(client
            .query_one("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", &[&MEMBER_ROLE])
            .map_err(|e| query_error(e, "cannot look up roles"))?
            .get(0))
    };
    if exists(client)? {
        return Ok(false);
    }
    match client.batch_execute("CREATE ROLE learnlog_member NOLOGIN") {
        Ok(()) => Ok(true),
        Err(e) if e.code() == Some(&SqlState::DUPLICATE_OBJECT) || e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
            Ok(false)
        }
        Err(e) if e.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) => Err(with_hint(
            "this login may not create roles, and `server init` must create the role learnlog_member",
            "run it with an administrator's URL (a superuser, or a role with CREATEROLE)",
        )),
        Err(e) => Err(query_error(e, "cannot create the role learnlog_member")),
    }
}

fn migration_error(err: postgres::Error, name: &str) -> anyhow::Error {
    if err.code() == Some(&SqlState::INSUFFICIENT_PRIVILEGE) {
        return with_hint(
            format!("server schema migration {name} was refused: {}", err.as_db_error().map_or("", |d| d.message())),
            "run `learnlog server init` with an administrator's URL (one that may create schemas and roles)",
        );
    }
    query_error(err, &format!("server schema migration {name} failed")).context("nothing of it was applied")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_numbered_in_order() {
        for (index, (name, _)) in MIGRATIONS.iter().enumerate() {
            assert!(name.starts_with(&format!("{:04}_", index + 1)), "{name} is out of order");
        }
    }

    #[test]
    fn every_table_forces_row_level_security() {
        for (name, sql) in MIGRATIONS {
            for line in sql.lines().filter(|l| l.starts_with("CREATE TABLE")) {
                let table = line.trim_start_matches("CREATE TABLE ").trim_end_matches(" (").trim();
                assert!(sql.contains(&format!("ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;")), "{name}: {table}");
                assert!(sql.contains(&format!("ALTER TABLE {table} FORCE ROW LEVEL SECURITY;")), "{name}: {table}");
            }
        }
    }

    #[test]
    fn a_newer_schema_is_refused() {
        assert!(refuse_newer(latest()).is_ok());
        let err = refuse_newer(latest() + 1).unwrap_err();
        assert!(err.to_string().contains("newer than this learnlog knows"), "{err}");
    }
}
