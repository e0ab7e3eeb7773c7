//! `TestEnv`: runs the real binary in a sealed environment — its own HOME,
//! database and config, a pinned clock, a fixed time zone and width.

#![allow(dead_code)]

pub mod cluster;
pub mod pg;
pub mod proxy;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_learnlog");

/// The default pinned instant: Monday 2026-11-23, 19:30 UTC.
pub const NOW: &str = "2026-11-23T19:30:00Z";

pub struct TestEnv {
    pub dir: tempfile::TempDir,
    pub now: String,
    pub tz: String,
    pub extra_env: Vec<(String, String)>,
}

/// What a run of the binary gave.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for snapshots.
    pub fn transcript(&self) -> String {
        let mut text = format!("exit: {}\n", self.code);
        if !self.stdout.is_empty() {
            text.push_str("--- stdout\n");
            text.push_str(&self.stdout);
        }
        if !self.stderr.is_empty() {
            text.push_str("--- stderr\n");
            text.push_str(&self.stderr);
        }
        text
    }

    /// Panics with the whole transcript unless the run succeeded.
    #[track_caller]
    pub fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success:\n{}", self.transcript());
        self
    }

    /// Panics unless the run failed with `code`; returns it for more checks.
    #[track_caller]
    pub fn fails(self, code: i32) -> Run {
        assert_eq!(self.code, code, "expected exit {code}:\n{}", self.transcript());
        assert!(self.stderr.starts_with("error: "), "stderr must start with 'error: ':\n{}", self.transcript());
        assert!(!self.stderr.contains("panicked"), "panic:\n{}", self.transcript());
        self
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl TestEnv {
    pub fn new() -> TestEnv {
        TestEnv { dir: tempfile::tempdir().unwrap(), now: NOW.into(), tz: "UTC".into(), extra_env: Vec::new() }
    }

    pub fn home(&self) -> &Path {
        self.dir.path()
    }

    pub fn db_path(&self) -> PathBuf {
        self.dir.path().join("data").join("learnlog.db")
    }

    /// The default config path (under `XDG_CONFIG_HOME`): a config named
    /// explicitly must exist, one at the default path need not.
    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("xdg-config").join("learnlog").join("config.toml")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Pins the clock (RFC 3339 instant or a date meaning local noon).
    pub fn at(&mut self, now: &str) -> &mut TestEnv {
        self.now = now.into();
        self
    }

    pub fn tz(&mut self, tz: &str) -> &mut TestEnv {
        self.tz = tz.into();
        self
    }

    pub fn write_config(&self, toml: &str) {
        std::fs::create_dir_all(self.config_path().parent().unwrap()).unwrap();
        std::fs::write(self.config_path(), toml).unwrap();
    }

    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args)
            .env_clear()
            .env("HOME", self.home())
            .env("XDG_DATA_HOME", self.home().join("xdg-data"))
            .env("XDG_CONFIG_HOME", self.home().join("xdg-config"))
            .env("LEARNLOG_DB", self.db_path())
            .env("LEARNLOG_NOW", &self.now)
            .env("TZ", &self.tz)
            .env("COLUMNS", "100")
            .env("NO_COLOR", "1")
            .env("LANG", "C.UTF-8")
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .current_dir(self.home())
            .stdin(Stdio::null());
        for (key, value) in &self.extra_env {
            cmd.env(key, value);
        }
        cmd
    }

    /// Another program (a shell, `script`) in the same sealed environment.
    pub fn program(&self, program: &str, args: &[&str]) -> Command {
        let template = self.command(&[]);
        let mut cmd = Command::new(program);
        cmd.args(args).env_clear().current_dir(self.home()).stdin(Stdio::null());
        for (key, value) in template.get_envs() {
            if let Some(value) = value {
                cmd.env(key, value);
            }
        }
        cmd
    }

    /// Runs learnlog with these arguments.
    pub fn run(&self, args: &[&str]) -> Run {
        to_run(self.command(args).output().unwrap())
    }

    /// Runs learnlog at another instant.
    pub fn run_at(&self, now: &str, args: &[&str]) -> Run {
        let mut cmd = self.command(args);
        cmd.env("LEARNLOG_NOW", now);
        to_run(cmd.output().unwrap())
    }

    /// Runs learnlog with text on stdin.
    pub fn run_stdin(&self, args: &[&str], stdin: &str) -> Run {
        use std::io::Write;
        let mut cmd = self.command(args);
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        to_run(child.wait_with_output().unwrap())
    }

    /// The database's bytes (for "left untouched" checks).
    pub fn db_bytes(&self) -> Vec<u8> {
        std::fs::read(self.db_path()).unwrap_or_default()
    }

    /// Moves every commit from the WAL into the database file and empties
    /// the WAL (learnlog leaves checkpoints to later runs), so a test that
    /// damages the file damages the whole database.
    pub fn checkpoint(&self) {
        let conn = self.sql();
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        // The emptied WAL and its index stay: another connection of this
        // process may still map them.
    }

    /// A direct connection to the database, for checks only.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db_path()).unwrap()
    }

    pub fn count(&self, table: &str) -> i64 {
        self.sql().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    }

    /// Runs a command that must be refused with `code`, and checks that the
    /// database file is byte-identical afterwards (and no journal is left).
    #[track_caller]
    pub fn refused(&self, args: &[&str], code: i32) -> Run {
        // The WAL is part of the database: earlier commits may still be in it
        // (learnlog leaves checkpoints to later runs), and a refused command
        // must change neither file.
        let wal = self.db_path().with_extension("db-wal");
        let wal_bytes = || std::fs::read(&wal).unwrap_or_default();
        let (before, wal_before) = (self.db_bytes(), wal_bytes());
        let run = self.run(args).fails(code);
        assert!(before == self.db_bytes(), "`learnlog {}` changed the database:\n{}", args.join(" "), run.transcript());
        assert!(wal_before == wal_bytes(), "`learnlog {}` wrote to the WAL:\n{}", args.join(" "), run.transcript());
        run
    }

    /// A check-in on a past or present study day, with no start time.
    #[track_caller]
    pub fn checkin_on(&self, day: &str, args: &[&str]) -> Run {
        let mut all = vec!["checkin", "--date", day];
        all.extend_from_slice(args);
        self.run(&all).ok()
    }

    /// Text with this environment's temporary paths and every UUID replaced,
    /// so that snapshots are stable.
    pub fn redact(&self, text: &str) -> String {
        redact_uuids(&text.replace(&self.home().display().to_string(), "[HOME]"))
    }

    /// `$ learnlog ARGS` followed by the run's transcript, redacted.
    pub fn session_text(&self, args: &[&str], run: &Run) -> String {
        format!("$ learnlog {}\n{}", shell_words(args), self.redact(&run.transcript()))
    }
}

/// Arguments as one would type them (quoted when they hold spaces or are empty).
pub fn shell_words(args: &[&str]) -> String {
    args.iter()
        .map(|a| if a.is_empty() || a.contains([' ', '"', '$']) { format!("'{a}'") } else { a.to_string() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Replaces every 8-4-4-4-12 hex UUID with `[uuid]`.
pub fn redact_uuids(text: &str) -> String {
    let is_uuid = |s: &[u8]| {
        s.len() == 36
            && s.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            })
    };
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < bytes.len() {
        if i + 36 <= bytes.len() && is_uuid(&bytes[i..i + 36]) {
            out.push_str("[uuid]");
            i += 36;
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

pub fn to_run(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// A learnlog export of one course and `n` sessions over two years (three
/// a day at most), different every call: a history large enough that its
/// push and its pull take many round trips' worth of bytes.
pub fn history_file(n: usize) -> (TestEnv, PathBuf) {
    let source = TestEnv::new();
    source.run(&["add", "course", "Long Course", "-q"]).ok();
    source.run(&["checkin", "long-course", "30m", "--note", "one of many", "-q"]).ok();
    let mut doc = source.run(&["export", "--format", "json"]).ok().json();
    let template = doc["sessions"][0].clone();
    let last = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let sessions = (0..n)
        .map(|i| {
            let day = last - chrono::Days::new((i % 700) as u64);
            let mut session = template.clone();
            session["uuid"] = serde_json::Value::String(uuid::Uuid::new_v4().to_string());
            session["study_day"] = serde_json::Value::String(day.to_string());
            session["started_at"] = serde_json::Value::String(format!("{day}T{:02}:00:00Z", 6 + 2 * (i / 700)));
            session
        })
        .collect();
    doc["sessions"] = serde_json::Value::Array(sessions);
    let path = source.path("history.json");
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    (source, path)
}

/// Whether `script` (util-linux) is here to give a command a terminal;
/// under `CI=true` it must be.
pub fn has_script() -> bool {
    let here = Command::new("script").arg("--version").output().is_ok_and(|o| o.status.success());
    if !here && std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        panic!("`script` (util-linux) is missing under CI=true: a terminal test must not be skipped");
    }
    here
}

impl TestEnv {
    /// Runs learnlog on a terminal (through `script`): stdout and stderr
    /// both arrive in `stdout`, as on a screen.
    pub fn on_terminal(&self, args: &str) -> Run {
        let command = format!("'{BIN}' {args}");
        let mut cmd = self.program("script", &["-qec", &command, "/dev/null"]);
        // A terminal that can redraw a line (progress bars need one).
        cmd.env("TERM", "xterm");
        to_run(cmd.output().unwrap())
    }
}
