//! `Cluster`: a PostgreSQL server of the test's own, for the one fault the
//! shared server cannot stand in for: a server that stops and starts again
//! in the middle of a sync. Restarting the shared server would cut every
//! other test running beside this one, so this test makes its own cluster
//! (initdb, pg_ctl) in a temporary directory, on a free port, and removes
//! it at the end.
//!
//! The binaries come from `LEARNLOG_TEST_PG_BIN` or the newest
//! `/usr/lib/postgresql/*/bin` (Debian's layout; `.ci/pg-start` installs
//! them). As root, the cluster belongs to `postgres`: initdb refuses root.
//! Without binaries the test says why it did not run, or fails under
//! `CI=true`, like every server test (common/pg.rs).

#![allow(dead_code)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const ADMIN: &str = "learnlog_admin";

pub struct Cluster {
    bin: PathBuf,
    dir: tempfile::TempDir,
    port: u16,
    password: String,
    as_postgres: bool,
}

impl Cluster {
    /// A running cluster, or `None` (with a note) when there are no
    /// PostgreSQL binaries and this is not CI.
    #[track_caller]
    pub fn start() -> Option<Cluster> {
        let Some(bin) = binaries() else {
            if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                panic!("no PostgreSQL binaries under CI=true (set LEARNLOG_TEST_PG_BIN or install postgresql)");
            }
            eprintln!("note: no PostgreSQL binaries found, so this restart test did not run (install postgresql)");
            return None;
        };
        let as_postgres = is_root();
        let dir = tempfile::Builder::new().prefix("learnlog-own-pg.").tempdir().expect("a directory for the cluster");
        let password = uuid::Uuid::new_v4().simple().to_string();
        let pwfile = dir.path().join("pw");
        std::fs::write(&pwfile, format!("{password}\n")).expect("write the password file");
        if as_postgres {
            chown_postgres(dir.path());
            chown_postgres(&pwfile);
        }
        let cluster = Cluster { bin, port: free_port(), password, as_postgres, dir };
        cluster.pg(
            "initdb",
            &[
                "-D",
                &cluster.data(),
                "-U",
                ADMIN,
                &format!("--pwfile={}", pwfile.display()),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        let _ = std::fs::remove_file(&pwfile);
        cluster.up();
        Some(cluster)
    }

    /// The administrator's URL to the `postgres` database.
    pub fn admin_url(&self) -> String {
        format!("postgresql://{ADMIN}:{}@127.0.0.1:{}/postgres", self.password, self.port)
    }

    /// A URL for `user` (no password: PGPASSWORD gives it).
    pub fn url_as(&self, user: &str) -> String {
        format!("postgresql://{user}@127.0.0.1:{}/postgres", self.port)
    }

    pub fn host_port(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Stops the server as a crash would (`-m immediate`: no shutdown
    /// checkpoint, every connection dropped), then starts it again: what
    /// was committed must survive, what was not must be redone.
    pub fn restart(&self) {
        self.pg("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]);
        self.up();
    }

    fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c max_connections=40 -c fsync=off",
            self.port,
            self.dir.path().display()
        );
        let log = self.dir.path().join("log");
        self.pg(
            "pg_ctl",
            &["-D", &self.data(), "-l", &log.display().to_string(), "-w", "-t", "60", "-o", &options, "start"],
        );
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// Runs one of the cluster's programs, as `postgres` when root.
    #[track_caller]
    fn pg(&self, program: &str, args: &[&str]) {
        let path = self.bin.join(program);
        let mut command = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            Command::new(&path)
        };
        let output = command
            .args(args)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
        if !output.status.success() {
            let log = std::fs::read_to_string(self.dir.path().join("log")).unwrap_or_default();
            panic!(
                "{program} {args:?} failed: {}{}\nserver log:\n{log}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let path = self.bin.join("pg_ctl");
        let data = self.data();
        let args = ["-D", data.as_str(), "-m", "immediate", "stop"];
        let _ = if self.as_postgres {
            Command::new("runuser").args(["-u", "postgres", "--"]).arg(&path).args(args).output()
        } else {
            Command::new(&path).args(args).output()
        };
    }
}

/// `LEARNLOG_TEST_PG_BIN`, or the newest `/usr/lib/postgresql/*/bin` with an initdb.
fn binaries() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("LEARNLOG_TEST_PG_BIN").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").is_file().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().map(|(_, bin)| bin)
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

fn chown_postgres(path: &Path) {
    let status = Command::new("chown").arg("postgres:postgres").arg(path).status().expect("run chown");
    assert!(status.success(), "chown postgres {} failed", path.display());
}

/// A port nobody listens on now (the kernel's choice; freed at once).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}
