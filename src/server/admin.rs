//! Member logins: `server add-member` and `server remove-member`.
//!
//! Role names cannot be bound as parameters in `CREATE ROLE`; they are
//! checked against a strict pattern here and quoted by the server itself
//! (`format('%I')`), and the password travels as a SCRAM verifier computed
//! here, so the server never sees (nor logs) it in clear.

use anyhow::Result;
use postgres::Client;
use postgres::error::SqlState;

use super::schema::MEMBER_ROLE;
use super::{query_error, with_hint};
use crate::error::{user, user_hint};

/// Connections a member may hold at once (sync, a board, one spare).
pub const CONNECTION_LIMIT: i32 = 4;
/// The longest a member's statement may run.
pub const STATEMENT_TIMEOUT: &str = "60s";

/// A member's login name: lower-case ASCII letters, digits and `_`,
/// starting with a letter, at most 63 bytes (PostgreSQL's limit), not one of
/// PostgreSQL's or learnlog's own.
pub fn validate_name(name: &str) -> Result<()> {
    let hint = "a member name is lower-case letters, digits and _, starting with a letter (at most 63)";
    let mut chars = name.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_lowercase());
    let rest_ok = chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !first_ok || !rest_ok || name.len() > 63 {
        return Err(user_hint(format!("'{name}' is not a valid member name"), hint));
    }
    if name.starts_with("pg_") || name.starts_with("learnlog") || ["public", "postgres", "none"].contains(&name) {
        return Err(user_hint(format!("'{name}' is reserved"), "choose another member name"));
    }
    Ok(())
}

/// Is `name` a login that belongs to learnlog's group role?
pub fn is_member(client: &mut Client, name: &str) -> Result<Option<bool>> {
    let row = client
        .query_opt(
            "SELECT pg_has_role(r.oid, $2::text, 'MEMBER') AND r.rolname <> $2::text
               FROM pg_roles r WHERE r.rolname = $1::text",
            &[&name, &MEMBER_ROLE],
        )
        .map_err(|e| query_error(e, "cannot look up the role"))?;
    Ok(row.map(|r| r.get(0)))
}

/// Creates the login `name`, a member of `learnlog_member`, with `password`.
pub fn add_member(client: &mut Client, name: &str, display_name: &str, password: &str) -> Result<()> {
    validate_name(name)?;
    if display_name.trim().is_empty() || display_name.chars().count() > 100 {
        return Err(user("a display name has 1 to 100 characters"));
    }
    match is_member(client, name)? {
        Some(true) => {
            return Err(user_hint(
                format!("{name} is already a member"),
                format!("`learnlog server remove-member {name}` first to start over"),
            ));
        }
        Some(false) => {
            return Err(user_hint(
                format!("a role named {name} already exists on this server, and it is not a learnlog member"),
                "choose another member name",
            ));
        }
        None => {}
    }
    let verifier = postgres_protocol::password::scram_sha_256(password.as_bytes());
    let mut tx = client.transaction().map_err(|e| query_error(e, "cannot add the member"))?;
    let statements = [
        tx.query_one(
            "SELECT format('CREATE ROLE %I LOGIN PASSWORD %L CONNECTION LIMIT %s IN ROLE %I',
                           $1::text, $2::text, $3::int, $4::text)",
            &[&name, &verifier, &CONNECTION_LIMIT, &MEMBER_ROLE],
        ),
        tx.query_one(
            "SELECT format('ALTER ROLE %I SET statement_timeout = %L', $1::text, $2::text)",
            &[&name, &STATEMENT_TIMEOUT],
        ),
        tx.query_one(
            "SELECT format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', $1::text, $2::text)",
            &[&name, &STATEMENT_TIMEOUT],
        ),
    ];
    for statement in statements {
        let sql: String = statement.map_err(|e| query_error(e, "cannot add the member"))?.get(0);
        tx.batch_execute(&sql).map_err(|e| role_error(e, name))?;
    }
    tx.execute(
        "INSERT INTO learnlog.members (name, display_name) VALUES ($1::text::name, $2)
         ON CONFLICT (name) DO UPDATE SET display_name = EXCLUDED.display_name, added_at = now()",
        &[&name, &display_name.trim()],
    )
    .map_err(|e| query_error(e, "cannot record the member"))?;
    tx.commit().map_err(|e| query_error(e, "cannot add the member"))?;
    Ok(())
}

/// What `remove-member` removed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Purged {
    pub sync_log_rows: u64,
    pub sync_keys: u64,
    /// Cohort memberships (what was published in each goes with them).
    pub cohort_memberships: u64,
}

/// Drops the login `name`; with `purge`, first deletes every row it stored.
pub fn remove_member(client: &mut Client, name: &str, purge: bool) -> Result<Option<Purged>> {
    validate_name(name)?;
    // A login already removed can still have what it stored purged.
    let role_exists = match is_member(client, name)? {
        Some(true) => true,
        Some(false) => {
            return Err(user_hint(
                format!("{name} is not a learnlog member"),
                "only logins added with `learnlog server add-member` can be removed",
            ));
        }
        None if purge => false,
        None => {
            return Err(user_hint(format!("there is no member {name}"), "check the name (roles: `\\du` in psql)"));
        }
    };
    let mut tx = client.transaction().map_err(|e| query_error(e, "cannot remove the member"))?;
    let purged = if purge {
        let sync_log_rows = tx
            .execute("DELETE FROM learnlog.sync_log WHERE owner = $1::text::name", &[&name])
            .map_err(|e| query_error(e, "cannot delete the member's sync log"))?;
        let sync_keys = tx
            .execute("DELETE FROM learnlog.sync_keys WHERE owner = $1::text::name", &[&name])
            .map_err(|e| query_error(e, "cannot delete the member's key check"))?;
        // Leaving a cohort deletes what was published in it (the foreign
        // keys cascade): pledges, weekly data, settlements, confirmations
        // given, review requests and reviews given.
        let cohort_memberships = tx
            .execute("DELETE FROM learnlog.cohort_members WHERE member = $1::text::name", &[&name])
            .map_err(|e| query_error(e, "cannot delete the member's cohort data"))?;
        tx.execute("DELETE FROM learnlog.invites WHERE created_by = $1::text::name", &[&name])
            .map_err(|e| query_error(e, "cannot delete the member's invites"))?;
        Some(Purged { sync_log_rows, sync_keys, cohort_memberships })
    } else {
        None
    };
    tx.execute("DELETE FROM learnlog.members WHERE name = $1::text::name", &[&name])
        .map_err(|e| query_error(e, "cannot remove the member"))?;
    if role_exists {
        let sql: String = tx
            .query_one("SELECT format('DROP ROLE %I', $1::text)", &[&name])
            .map_err(|e| query_error(e, "cannot remove the member"))?
            .get(0);
        tx.batch_execute(&sql).map_err(|e| role_error(e, name))?;
    }
    tx.commit().map_err(|e| query_error(e, "cannot remove the member"))?;
    // Sessions still open lose their group role's rights with the role; end
    // them too where this login may (best effort: the rights are gone anyway).
    let _ = client.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1::text", &[&name]);
    Ok(purged)
}

fn role_error(err: postgres::Error, name: &str) -> anyhow::Error {
    match err.code() {
        Some(code) if *code == SqlState::INSUFFICIENT_PRIVILEGE => with_hint(
            format!("this login may not manage the role {name}"),
            "use an administrator's URL (a superuser, or a role with CREATEROLE)",
        ),
        Some(code) if *code == SqlState::DEPENDENT_OBJECTS_STILL_EXIST => with_hint(
            format!("the role {name} still owns objects or holds rights outside learnlog"),
            format!("in psql: REASSIGN OWNED BY {name} TO postgres; DROP OWNED BY {name}; then retry"),
        ),
        _ => query_error(err, &format!("cannot change the role {name}")),
    }
}

/// A password for a new member: 24 characters from 62 (≈ 143 bits).
pub fn generate_password() -> String {
    super::random_text(24)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_are_a_strict_whitelist() {
        for good in ["alice", "bob_2", "a"] {
            assert!(validate_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Alice",
            "2bob",
            "_x",
            "al ice",
            "a\"; DROP ROLE postgres; --",
            "bob'",
            "pg_monitor",
            "learnlog_member",
            "postgres",
            &"a".repeat(64),
        ] {
            assert!(validate_name(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn passwords_are_long_and_differ() {
        let (a, b) = (generate_password(), generate_password());
        assert_eq!(a.len(), 24);
        assert!(a.chars().all(|c| c.is_ascii_alphanumeric()));
        assert_ne!(a, b);
    }
}
