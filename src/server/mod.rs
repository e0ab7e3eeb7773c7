//! The PostgreSQL side of sync and cohorts: the connection (URL, password,
//! TLS), the server schema (`server/sql/*.sql`, applied by `server init`),
//! member administration, and the queries the sync client makes.
//!
//! Access is enforced by PostgreSQL itself (row-level security, grants);
//! nothing here is trusted to keep one member from another's rows.

pub mod admin;
pub mod cohorts;
pub mod pgpass;
pub mod schema;
pub mod sync_log;
pub mod tls;
pub mod url;

use std::io::IsTerminal;
use std::time::Duration;

use anyhow::{Result, anyhow};
use postgres::Client;
use postgres::error::SqlState;

pub use url::{ServerUrl, SslMode};

use crate::error::Error;

/// How long a connection attempt may take when the URL does not say.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A connection for a member: the server schema must be there and not newer
/// than this learnlog knows.
pub fn connect(url: &ServerUrl) -> Result<Client> {
    let mut client = connect_raw(url)?;
    schema::check(&mut client, url)?;
    Ok(client)
}

/// A connection, nothing checked beyond logging in.
///
/// The password comes from the URL, else `PGPASSWORD`, else the password
/// file, else — only when the server asks for one — a prompt on the
/// terminal. learnlog never stores it.
pub fn connect_raw(url: &ServerUrl) -> Result<Client> {
    // A TLS set-up problem (a missing CA file) is reported before connecting.
    let tls = tls::client_config(url)?;
    let mut unsafe_pgpass = None;
    let password = url
        .password()
        .map(str::to_string)
        .or_else(|| std::env::var("PGPASSWORD").ok().filter(|p| !p.is_empty()))
        .or_else(|| {
            let path = pgpass::default_path()?;
            match pgpass::lookup(&path, url.pgpass_host(), url.port(), url.dbname(), url.user()) {
                pgpass::Lookup::Found(password) => Some(password),
                pgpass::Lookup::NotFound => None,
                pgpass::Lookup::Unsafe(path) => {
                    unsafe_pgpass = Some(path);
                    None
                }
            }
        });
    match attempt(url, &tls, password.as_deref()) {
        Err(err) if password.is_none() && is_password_missing(&err) && std::io::stdin().is_terminal() => {
            let prompt = format!("Password for {} at {}: ", url.user(), url.address());
            let typed = rpassword::prompt_password(prompt).map_err(|e| anyhow!("cannot read the password: {e}"))?;
            attempt(url, &tls, Some(&typed)).map_err(|e| explain_connect(e, url, None))
        }
        Err(err) => Err(explain_connect(err, url, unsafe_pgpass)),
        Ok(client) => Ok(client),
    }
}

/// One login. With `sslmode=prefer`, a TLS handshake that fails is retried
/// without TLS, as libpq does.
fn attempt(url: &ServerUrl, tls: &rustls::ClientConfig, password: Option<&str>) -> Result<Client, postgres::Error> {
    match try_connect(url, tls, password, false) {
        Err(err) if url.sslmode() == SslMode::Prefer && err.as_db_error().is_none() && is_tls_failure(&err) => {
            try_connect(url, tls, password, true)
        }
        other => other,
    }
}

fn is_tls_failure(err: &postgres::Error) -> bool {
    let text = source_text(err).to_lowercase();
    text.contains("tls") || text.contains("handshake") || text.contains("certificate")
}

fn try_connect(
    url: &ServerUrl,
    tls: &rustls::ClientConfig,
    password: Option<&str>,
    plain: bool,
) -> Result<Client, postgres::Error> {
    let mut config = postgres::Config::new();
    config
        .host(url.host())
        .port(url.port())
        .user(url.user())
        .dbname(url.dbname())
        .application_name("learnlog")
        .connect_timeout(url.connect_timeout().map(Duration::from_secs).unwrap_or(CONNECT_TIMEOUT))
        .ssl_mode(match url.sslmode() {
            // As libpq: no TLS over a local socket.
            _ if url.is_socket() || plain => postgres::config::SslMode::Disable,
            SslMode::Disable => postgres::config::SslMode::Disable,
            SslMode::Prefer => postgres::config::SslMode::Prefer,
            SslMode::Require | SslMode::VerifyCa | SslMode::VerifyFull => postgres::config::SslMode::Require,
        });
    if let Some(password) = password {
        config.password(password);
    }
    config.connect(tokio_postgres_rustls::MakeRustlsConnect::new(tls.clone()))
}

fn is_password_missing(err: &postgres::Error) -> bool {
    err.as_db_error().is_none() && source_text(err).contains("password missing")
}

fn explain_connect(err: postgres::Error, url: &ServerUrl, unsafe_pgpass: Option<std::path::PathBuf>) -> anyhow::Error {
    let who = format!("{} at {}", url.user(), url.address());
    let pass_hint = match unsafe_pgpass {
        Some(path) => format!(
            "{} was ignored because its group or others may read it: `chmod 600 {}`",
            path.display(),
            path.display()
        ),
        None => "give the password in PGPASSWORD or a ~/.pgpass line HOST:PORT:DB:NAME:PASSWORD (mode 600)".into(),
    };
    if let Some(db) = err.as_db_error() {
        let code = db.code();
        if *code == SqlState::INVALID_PASSWORD || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            return with_hint(format!("the server refused the login of {who}: {}", db.message()), pass_hint);
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return with_hint(
                format!("the database '{}' does not exist on {}", url.dbname(), url.address()),
                "check the database name in the URL",
            );
        }
        if *code == SqlState::TOO_MANY_CONNECTIONS {
            return with_hint(
                format!("the server refused another connection for {who}: {}", db.message()),
                "wait for another learnlog of yours to finish, then retry",
            );
        }
        return with_hint(format!("cannot connect as {who}: {}", db.message()), "check the URL");
    }
    if is_password_missing(&err) {
        return with_hint(format!("the server asks a password for {who} and none was given"), pass_hint);
    }
    let text = source_text(&err);
    let lower = text.to_lowercase();
    if lower.contains("does not support tls") {
        return with_hint(
            format!("the server at {} does not offer TLS, and the URL requires it", url.address()),
            "turn `ssl = on` in the server's postgresql.conf (or use sslmode=disable only on a network you trust)",
        );
    }
    if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") || lower.contains("ssl") {
        return with_hint(
            format!("the TLS connection to {} failed: {text}", url.address()),
            "check sslmode and sslrootcert in the URL (the CA that signed the server's certificate)",
        );
    }
    with_hint(
        format!("cannot reach the server at {}: {text}", url.address()),
        "check that PostgreSQL runs there and that the URL is right; nothing was changed",
    )
}

/// The error's text with its causes (postgres::Error's own text omits them).
fn source_text(err: &postgres::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        let more = cause.to_string();
        if !text.contains(&more) {
            text.push_str(": ");
            text.push_str(&more);
        }
        source = cause.source();
    }
    text
}

/// An environment error (exit 1) with a hint line.
pub(crate) fn with_hint(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(Error::environment_hint(hint)).context(message.into())
}

/// An error from a query, explained: a lost connection, a missing schema, a
/// denied statement.
pub(crate) fn query_error(err: postgres::Error, doing: &str) -> anyhow::Error {
    if let Some(db) = err.as_db_error() {
        let code = db.code();
        if *code == SqlState::INVALID_SCHEMA_NAME || *code == SqlState::UNDEFINED_TABLE {
            return with_hint(
                format!("{doing}: the server has no learnlog schema ({})", db.message()),
                "the database administrator runs `learnlog server init URL`",
            );
        }
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return with_hint(
                format!("{doing}: the server refused it ({})", db.message()),
                "is this login a learnlog member? the administrator runs `learnlog server add-member NAME`",
            );
        }
        if *code == SqlState::QUERY_CANCELED {
            return with_hint(format!("{doing}: the server cancelled a statement that took too long"), "retry");
        }
        return anyhow!("{doing}: {}", db.message());
    }
    with_hint(
        format!("{doing}: the connection to the server failed: {}", source_text(&err)),
        "retry when the server can be reached; nothing is lost",
    )
}

/// `len` characters drawn uniformly from letters and digits (62), by a
/// generator seeded from the system: passwords and invite codes.
pub(crate) fn random_text(len: usize) -> String {
    use rand::RngExt;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..len).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}
