//! `PgTest`: a fresh PostgreSQL database for one test, dropped at the end.
//!
//! The server comes from `LEARNLOG_TEST_PG_URL`, an administrator's URL
//! (a superuser: it creates databases and roles). `.ci/pg-start` starts a
//! throwaway cluster and sets it. Without the variable a test prints why
//! it did not run and returns early — except under `CI=true`, where it
//! fails: CI never skips a server test.
//!
//! Roles are cluster-wide while databases are not, so the member logins a
//! test creates carry the test's suffix (`PgTest::role("alice")` gives
//! `alice_<suffix>`) and are dropped with the database.

#![allow(dead_code)]

use postgres::{Client, NoTls};

pub const URL_VAR: &str = "LEARNLOG_TEST_PG_URL";

pub struct PgTest {
    /// The administrator's URL to the maintenance database (from the env).
    base_url: String,
    /// `ll_test_<suffix>`.
    pub db: String,
    /// Random, lower-case, unique to this test.
    pub suffix: String,
}

impl PgTest {
    /// A fresh database, or `None` (with a note on stderr) when no server is
    /// configured. Use as `let Some(pg) = PgTest::new() else { return };`.
    #[track_caller]
    pub fn new() -> Option<PgTest> {
        let Some(base_url) = std::env::var(URL_VAR).ok().filter(|v| !v.is_empty()) else {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            if ci {
                panic!(
                    "{URL_VAR} is not set under CI=true: a PostgreSQL test must not be skipped (.ci/pg-start sets it)"
                );
            }
            eprintln!(
                "note: {URL_VAR} is not set, so this PostgreSQL test did not run (`.ci/pg-start cargo test` runs it)"
            );
            return None;
        };
        let suffix = uuid::Uuid::new_v4().simple().to_string()[..12].to_string();
        let pg = PgTest { base_url, db: format!("ll_test_{suffix}"), suffix };
        let mut admin = pg.base_client();
        admin
            .batch_execute(&format!("CREATE DATABASE {}", pg.db))
            .unwrap_or_else(|e| panic!("cannot create database {}: {e}", pg.db));
        Some(pg)
    }

    /// The administrator's URL, to this test's database.
    pub fn admin_url(&self) -> String {
        with_database(&self.base_url, &self.db)
    }

    /// A URL to this test's database as another user (no password in it).
    pub fn url_as(&self, user: &str) -> String {
        let (scheme, rest) = self.base_url.split_once("://").unwrap_or(("postgresql", &self.base_url));
        let host = rest.split_once('@').map_or(rest, |(_, host)| host);
        with_database(&format!("{scheme}://{user}@{host}"), &self.db)
    }

    /// A URL to this test's database as another user, password included.
    pub fn url_with_password(&self, user: &str, password: &str) -> String {
        let (scheme, rest) = self.base_url.split_once("://").unwrap_or(("postgresql", &self.base_url));
        let host = rest.split_once('@').map_or(rest, |(_, host)| host);
        with_database(&format!("{scheme}://{user}:{}@{host}", percent_encode(password)), &self.db)
    }

    /// The host part (`HOST:PORT`) of the server's URL.
    pub fn host_port(&self) -> String {
        let rest = self.base_url.split_once("://").map_or(self.base_url.as_str(), |(_, r)| r);
        let host = rest.split_once('@').map_or(rest, |(_, host)| host);
        host.split(['/', '?']).next().unwrap_or(host).to_string()
    }

    /// A role name unique to this test: `NAME_<suffix>`.
    pub fn role(&self, name: &str) -> String {
        format!("{name}_{}", self.suffix)
    }

    /// A plain (no TLS) connection to this test's database as the administrator.
    pub fn admin(&self) -> Client {
        Client::connect(&self.admin_url(), NoTls).unwrap_or_else(|e| panic!("cannot connect as administrator: {e}"))
    }

    /// A plain connection to this test's database as `user` with `password`.
    pub fn connect_as(&self, user: &str, password: &str) -> Result<Client, postgres::Error> {
        Client::connect(&self.url_with_password(user, password), NoTls)
    }

    fn base_client(&self) -> Client {
        Client::connect(&self.base_url, NoTls)
            .unwrap_or_else(|e| panic!("cannot connect to {URL_VAR} (is the server running?): {e}"))
    }
}

impl Drop for PgTest {
    fn drop(&mut self) {
        let Ok(mut admin) = Client::connect(&self.base_url, NoTls) else { return };
        // Also ends any connection a test left open.
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.db));
        let pattern = format!("%\\_{}", self.suffix);
        let roles: Vec<String> = admin
            .query("SELECT rolname::text FROM pg_roles WHERE rolname LIKE $1", &[&pattern])
            .map(|rows| rows.iter().map(|r| r.get(0)).collect())
            .unwrap_or_default();
        for role in roles {
            let _ =
                admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1", &[&role]);
            let _ = admin.batch_execute(&format!("DROP ROLE IF EXISTS \"{}\"", role.replace('"', "\"\"")));
        }
    }
}

/// `url` with its database replaced by `db`.
pub fn with_database(url: &str, db: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgresql", url));
    let (before_query, query) = match rest.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (rest, None),
    };
    // The path starts at the first '/' after the authority.
    let authority = before_query.split_once('/').map_or(before_query, |(a, _)| a);
    let mut out = format!("{scheme}://{authority}/{db}");
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[test]
fn with_database_replaces_only_the_path() {
    assert_eq!(with_database("postgresql://a:b@h:5/postgres", "x"), "postgresql://a:b@h:5/x");
    assert_eq!(with_database("postgresql://a@h/postgres?sslmode=require", "x"), "postgresql://a@h/x?sslmode=require");
    assert_eq!(with_database("postgres://h:5", "x"), "postgres://h:5/x");
}

#[test]
fn a_test_database_is_made_and_dropped() {
    let Some(pg) = PgTest::new() else { return };
    let db = pg.db.clone();
    let base = pg.base_url.clone();
    let one: i32 = pg.admin().query_one("SELECT 1", &[]).unwrap().get(0);
    assert_eq!(one, 1);
    drop(pg);
    let mut admin = Client::connect(&base, NoTls).unwrap();
    let left: i64 = admin.query_one("SELECT count(*) FROM pg_database WHERE datname = $1", &[&db]).unwrap().get(0);
    assert_eq!(left, 0, "the test database was not dropped");
}
