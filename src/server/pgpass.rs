//! The libpq password file: `PGPASSFILE`, or `~/.pgpass`.
//!
//! One entry a line, `hostname:port:database:username:password`; `*` in
//! any of the first four fields matches anything; `\:` and `\\` escape; a
//! line starting with `#` is a comment; the first matching line wins. As
//! libpq does, a file that its group or others may read is ignored (with a
//! warning), and so is anything that is not a regular file.

use std::path::{Path, PathBuf};

/// Where the password file is: `PGPASSFILE`, else `~/.pgpass`.
pub fn default_path() -> Option<PathBuf> {
    match std::env::var_os("PGPASSFILE").filter(|v| !v.is_empty()) {
        Some(path) => Some(PathBuf::from(path)),
        None => dirs::home_dir().map(|home| home.join(".pgpass")),
    }
}

/// What reading the file gave.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    Found(String),
    NotFound,
    /// The file exists but its group or others may read it.
    Unsafe(PathBuf),
}

/// The password for this connection from the file at `path`.
pub fn lookup(path: &Path, host: &str, port: u16, dbname: &str, user: &str) -> Lookup {
    let Ok(meta) = std::fs::metadata(path) else { return Lookup::NotFound };
    if !meta.is_file() {
        return Lookup::NotFound;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if meta.permissions().mode() & 0o077 != 0 {
            return Lookup::Unsafe(path.to_path_buf());
        }
    }
    let Ok(text) = std::fs::read_to_string(path) else { return Lookup::NotFound };
    match find(&text, host, &port.to_string(), dbname, user) {
        Some(password) => Lookup::Found(password),
        None => Lookup::NotFound,
    }
}

/// The password of the first line of `text` that matches.
pub fn find(text: &str, host: &str, port: &str, dbname: &str, user: &str) -> Option<String> {
    let wanted = [host, port, dbname, user];
    text.lines().filter(|line| !line.trim_start().starts_with('#')).find_map(|line| {
        let fields = split(line.trim_end_matches('\r'));
        if fields.len() < 5 {
            return None;
        }
        let matches = fields.iter().zip(wanted).all(|(field, want)| field.text == want || field.is_star());
        // The password is the rest of the line (an unescaped ':' in it is kept).
        matches.then(|| fields[4..].iter().map(|f| f.text.as_str()).collect::<Vec<_>>().join(":"))
    })
}

struct Field {
    text: String,
    /// Written as a bare `*` (not `\*`).
    star: bool,
}

impl Field {
    fn is_star(&self) -> bool {
        self.star
    }
}

fn split(line: &str) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut text = String::new();
    let mut escaped_any = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                escaped_any = true;
                if let Some(next) = chars.next() {
                    text.push(next);
                }
            }
            ':' => {
                let star = text == "*" && !escaped_any;
                fields.push(Field { text: std::mem::take(&mut text), star });
                escaped_any = false;
            }
            _ => text.push(c),
        }
    }
    let star = text == "*" && !escaped_any;
    fields.push(Field { text, star });
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
# a comment:line:that:looks:like-an-entry
db.example.org:5432:learn:alice:first
*:*:learn:bob:bobs\\:pass
db.example.org:*:*:alice:second
h\\:x:5432:d\\\\b:carol:esc
*:*:*:*:fallback
";

    #[test]
    fn the_first_matching_line_wins() {
        assert_eq!(find(FILE, "db.example.org", "5432", "learn", "alice").as_deref(), Some("first"));
        assert_eq!(find(FILE, "db.example.org", "6000", "learn", "alice").as_deref(), Some("second"));
    }

    #[test]
    fn stars_match_anything_and_escapes_are_undone() {
        assert_eq!(find(FILE, "anywhere", "1", "learn", "bob").as_deref(), Some("bobs:pass"));
        assert_eq!(find(FILE, "h:x", "5432", "d\\b", "carol").as_deref(), Some("esc"));
        assert_eq!(find(FILE, "other", "1", "x", "dave").as_deref(), Some("fallback"));
    }

    #[test]
    fn comments_short_lines_and_no_match_give_nothing() {
        assert_eq!(find("# a:b:c:d:e\n", "a", "b", "c", "d"), None);
        assert_eq!(find("a:b:c:d\n", "a", "b", "c", "d"), None);
        assert_eq!(find("h:1:db:u:pw\n", "h", "1", "db", "v"), None);
        // An escaped star is a literal star, not a wildcard.
        assert_eq!(find("\\*:1:db:u:pw\n", "h", "1", "db", "u"), None);
        assert_eq!(find("\\*:1:db:u:pw\n", "*", "1", "db", "u").as_deref(), Some("pw"));
    }

    #[test]
    fn crlf_and_colons_in_the_password_survive() {
        assert_eq!(find("h:1:db:u:a:b\r\n", "h", "1", "db", "u").as_deref(), Some("a:b"));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_others_may_read_is_ignored() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pgpass");
        std::fs::write(&path, "h:1:db:u:pw\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(lookup(&path, "h", 1, "db", "u"), Lookup::Found("pw".into()));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        assert_eq!(lookup(&path, "h", 1, "db", "u"), Lookup::Unsafe(path.clone()));
        assert_eq!(lookup(&dir.path().join("missing"), "h", 1, "db", "u"), Lookup::NotFound);
    }
}
