//! `TestEnv`: runs the real binary in a sealed environment — its own HOME,
//! database and config, a pinned clock, a fixed time zone and width.

#![allow(dead_code)]

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

    pub fn config_path(&self) -> PathBuf {
        self.dir.path().join("config").join("learnlog.toml")
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
            .env("LEARNLOG_CONFIG", self.config_path())
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

    /// A direct connection to the database, for checks only.
    pub fn sql(&self) -> rusqlite::Connection {
        rusqlite::Connection::open(self.db_path()).unwrap()
    }

    pub fn count(&self, table: &str) -> i64 {
        self.sql().query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0)).unwrap()
    }
}

pub fn to_run(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
