//! `ServerUrl`: a libpq connection URL,
//! `postgresql://NAME[:PASSWORD]@HOST[:PORT][/DB][?sslmode=…&sslrootcert=…]`.
//!
//! Its `Display` never shows the password, so it is safe in messages,
//! config and output.

use std::fmt;

use anyhow::Result;

use crate::error::user_hint;

/// libpq's `sslmode`, less `allow` (a downgrade nobody should choose).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

impl SslMode {
    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            SslMode::Require => "require",
            SslMode::VerifyCa => "verify-ca",
            SslMode::VerifyFull => "verify-full",
        }
    }

    fn parse(text: &str) -> Result<SslMode> {
        Ok(match text {
            "disable" => SslMode::Disable,
            "prefer" => SslMode::Prefer,
            "require" => SslMode::Require,
            "verify-ca" => SslMode::VerifyCa,
            "verify-full" => SslMode::VerifyFull,
            other => {
                return Err(user_hint(
                    format!("unknown sslmode '{other}'"),
                    "use sslmode=disable, prefer, require, verify-ca or verify-full",
                ));
            }
        })
    }
}

#[derive(Clone, PartialEq, Eq)]
pub struct ServerUrl {
    user: String,
    password: Option<String>,
    host: String,
    port: u16,
    dbname: String,
    sslmode: SslMode,
    /// Whether `sslmode` was written in the URL (it is then kept in `Display`).
    sslmode_given: bool,
    sslrootcert: Option<String>,
    connect_timeout: Option<u64>,
}

impl fmt::Debug for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ServerUrl({self})")
    }
}

const BAD_URL_HINT: &str = "write it as postgresql://NAME@HOST[:PORT]/DB[?sslmode=verify-full]";

impl ServerUrl {
    pub fn parse(text: &str) -> Result<ServerUrl> {
        let text = text.trim();
        let rest = text
            .strip_prefix("postgresql://")
            .or_else(|| text.strip_prefix("postgres://"))
            .ok_or_else(|| user_hint(format!("'{}' is not a PostgreSQL URL", redact(text)), BAD_URL_HINT))?;
        let (before_query, query) = match rest.split_once('?') {
            Some((b, q)) => (b, Some(q)),
            None => (rest, None),
        };
        let (authority, path) = match before_query.split_once('/') {
            Some((a, p)) => (a, p),
            None => (before_query, ""),
        };
        let (userinfo, hostport) = match authority.rsplit_once('@') {
            Some((u, h)) => (Some(u), h),
            None => (None, authority),
        };
        let (user, password) = match userinfo {
            Some(info) => match info.split_once(':') {
                Some((u, p)) => (decode(u)?, Some(decode(p)?)),
                None => (decode(info)?, None),
            },
            None => (String::new(), None),
        };
        let (host, port) = split_host_port(hostport)?;
        let user = if user.is_empty() {
            std::env::var("PGUSER")
                .ok()
                .filter(|u| !u.is_empty())
                .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
                .ok_or_else(|| user_hint(format!("the URL '{}' names no user", redact(text)), BAD_URL_HINT))?
        } else {
            user
        };
        let dbname = if path.is_empty() { user.clone() } else { decode(path)? };
        let mut url = ServerUrl {
            user,
            password: password.filter(|p| !p.is_empty()),
            host,
            port,
            dbname,
            sslmode: SslMode::Prefer,
            sslmode_given: false,
            sslrootcert: None,
            connect_timeout: None,
        };
        for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value)?;
            match key {
                "sslmode" => {
                    url.sslmode = SslMode::parse(&value)?;
                    url.sslmode_given = true;
                }
                "sslrootcert" => url.sslrootcert = Some(value).filter(|v| !v.is_empty()),
                "connect_timeout" => {
                    url.connect_timeout = Some(
                        value
                            .parse()
                            .map_err(|_| crate::error::user(format!("connect_timeout '{value}' is not a number")))?,
                    )
                }
                // A directory is a Unix-domain socket (libpq's syntax for it).
                "host" => url.host = value,
                "port" => {
                    url.port =
                        value.parse().map_err(|_| user_hint(format!("'{value}' is not a port number"), BAD_URL_HINT))?
                }
                "application_name" => {}
                other => {
                    return Err(user_hint(
                        format!("the URL parameter '{other}' is not supported"),
                        "learnlog understands sslmode, sslrootcert, connect_timeout and application_name",
                    ));
                }
            }
        }
        if url.host.is_empty() {
            // libpq's default: the local server's socket.
            url.host = ["/var/run/postgresql", "/tmp"]
                .into_iter()
                .find(|dir| std::path::Path::new(dir).is_dir())
                .unwrap_or("/tmp")
                .to_string();
        }
        if !url.is_socket() && url.host.contains('/') {
            return Err(user_hint(format!("bad host '{}'", url.host), BAD_URL_HINT));
        }
        Ok(url)
    }

    /// The server is reached through a Unix-domain socket in this directory
    /// (no TLS there, as with libpq).
    pub fn is_socket(&self) -> bool {
        self.host.starts_with('/')
    }

    /// The host name the password file is searched for (libpq: `localhost`
    /// for a socket).
    pub fn pgpass_host(&self) -> &str {
        if self.is_socket() { "localhost" } else { &self.host }
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn dbname(&self) -> &str {
        &self.dbname
    }

    pub fn sslmode(&self) -> SslMode {
        self.sslmode
    }

    pub fn sslrootcert(&self) -> Option<&str> {
        self.sslrootcert.as_deref()
    }

    pub fn connect_timeout(&self) -> Option<u64> {
        self.connect_timeout
    }

    /// The same server and database as another user, with no password and no
    /// local file paths (what a new member is told to use).
    pub fn for_member(&self, name: &str) -> ServerUrl {
        ServerUrl { user: name.to_string(), password: None, sslrootcert: None, ..self.clone() }
    }

    /// `HOST:PORT`, for messages.
    pub fn address(&self) -> String {
        if self.is_socket() {
            format!("{}/.s.PGSQL.{}", self.host, self.port)
        } else if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

impl fmt::Display for ServerUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut params = Vec::new();
        if self.is_socket() {
            write!(f, "postgresql://{}@/{}", encode(&self.user), encode(&self.dbname))?;
            params.push(format!("host={}", encode(&self.host)));
            if self.port != 5432 {
                params.push(format!("port={}", self.port));
            }
        } else {
            write!(f, "postgresql://{}@{}/{}", encode(&self.user), self.address(), encode(&self.dbname))?;
        }
        if self.sslmode_given {
            params.push(format!("sslmode={}", self.sslmode.as_str()));
        }
        if let Some(cert) = &self.sslrootcert {
            params.push(format!("sslrootcert={}", encode(cert)));
        }
        if let Some(timeout) = self.connect_timeout {
            params.push(format!("connect_timeout={timeout}"));
        }
        if !params.is_empty() {
            write!(f, "?{}", params.join("&"))?;
        }
        Ok(())
    }
}

fn split_host_port(hostport: &str) -> Result<(String, u16)> {
    let (host, port) = if let Some(rest) = hostport.strip_prefix('[') {
        let (host, after) =
            rest.split_once(']').ok_or_else(|| user_hint(format!("bad host '{hostport}'"), BAD_URL_HINT))?;
        (host.to_string(), after.strip_prefix(':'))
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hostport.to_string(), None),
        }
    };
    let port = match port {
        None | Some("") => 5432,
        Some(p) => p.parse().map_err(|_| user_hint(format!("'{p}' is not a port number"), BAD_URL_HINT))?,
    };
    Ok((decode(&host)?, port))
}

/// Percent-decoding (`%40` → `@`).
fn decode(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(b) => {
                    out.push(b);
                    i += 3;
                    continue;
                }
                None => return Err(user_hint("the URL has a bad %-escape", BAD_URL_HINT)),
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| crate::error::user("the URL is not valid UTF-8 once decoded"))
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A URL as text with any password blotted out (for messages about a URL
/// that did not parse).
pub fn redact(text: &str) -> String {
    let Some((scheme, rest)) = text.split_once("://") else { return text.to_string() };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((info, host)) => match info.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => text.to_string(),
        },
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_part() {
        let url = ServerUrl::parse(
            "postgresql://al%40ice:p%3Ass@db.example.org:6543/learn?sslmode=verify-full&sslrootcert=/etc/ca.pem",
        )
        .unwrap();
        assert_eq!(url.user(), "al@ice");
        assert_eq!(url.password(), Some("p:ss"));
        assert_eq!(url.host(), "db.example.org");
        assert_eq!(url.port(), 6543);
        assert_eq!(url.dbname(), "learn");
        assert_eq!(url.sslmode(), SslMode::VerifyFull);
        assert_eq!(url.sslrootcert(), Some("/etc/ca.pem"));
    }

    #[test]
    fn defaults_follow_libpq() {
        let url = ServerUrl::parse("postgres://alice@localhost").unwrap();
        assert_eq!(url.port(), 5432);
        assert_eq!(url.dbname(), "alice");
        assert_eq!(url.sslmode(), SslMode::Prefer);
        let v6 = ServerUrl::parse("postgresql://a@[::1]:7/d").unwrap();
        assert_eq!((v6.host(), v6.port()), ("::1", 7));
        assert_eq!(v6.to_string(), "postgresql://a@[::1]:7/d");
    }

    #[test]
    fn a_directory_for_host_is_a_socket() {
        let url = ServerUrl::parse("postgresql://postgres@/learnlog?host=/run/pg&port=5433").unwrap();
        assert!(url.is_socket());
        assert_eq!((url.host(), url.port(), url.pgpass_host()), ("/run/pg", 5433, "localhost"));
        assert_eq!(url.to_string(), "postgresql://postgres@/learnlog?host=/run/pg&port=5433");
        assert_eq!(ServerUrl::parse(&url.to_string()).unwrap(), url);
        let encoded = ServerUrl::parse("postgresql://postgres@%2Frun%2Fpg/learnlog").unwrap();
        assert_eq!(encoded.host(), "/run/pg");
        assert!(ServerUrl::parse("postgresql://postgres@/learnlog").unwrap().is_socket());
    }

    #[test]
    fn display_never_shows_the_password() {
        let url = ServerUrl::parse("postgresql://alice:secret@h:5/db?sslmode=require").unwrap();
        let text = url.to_string();
        assert_eq!(text, "postgresql://alice@h:5/db?sslmode=require");
        assert!(!format!("{url:?}").contains("secret"));
        assert_eq!(ServerUrl::parse(&text).unwrap().sslmode(), SslMode::Require);
    }

    #[test]
    fn for_member_drops_password_and_local_paths() {
        let url = ServerUrl::parse("postgresql://admin:pw@h/db?sslmode=verify-full&sslrootcert=/root/ca").unwrap();
        assert_eq!(url.for_member("bob").to_string(), "postgresql://bob@h:5432/db?sslmode=verify-full");
    }

    #[test]
    fn refuses_what_it_cannot_honour() {
        for bad in [
            "mysql://a@h/db",
            "postgresql://a@h/db?sslmode=allowish",
            "postgresql://a@h:99999/db",
            "postgresql://a@h/db?gssencmode=require",
            "postgresql://a@h%2Fx/db",
            "postgresql://a@h/d%zz",
        ] {
            assert!(ServerUrl::parse(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn redact_hides_a_password_in_unparsed_text() {
        assert_eq!(redact("postgresql://a:secret@h/db"), "postgresql://a:***@h/db");
        assert_eq!(redact("postgresql://a@h/db"), "postgresql://a@h/db");
    }
}
