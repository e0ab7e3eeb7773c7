//! Load, crashes and a full disk: no record lost or duplicated, no
//! "database is locked", a consistent file afterwards.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{TestEnv, to_run};

fn integrity(env: &TestEnv) -> String {
    env.sql().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap()
}

#[test]
fn four_writers_a_hundred_checkins_each() {
    let env = TestEnv::new();
    env.run(&["init"]).ok();
    let writers: Vec<_> = (0..4)
        .map(|w| {
            let mut cmd = env.command(&["--db", env.db_path().to_str().unwrap(), "init"]);
            // One shell loop per writer: 100 check-ins back to back.
            let script = format!(
                "for i in $(seq 1 100); do \"$0\" checkin 3m --note \"w{w} $i\" -q || echo FAILED $i >&2; done"
            );
            cmd = {
                let mut sh = Command::new("bash");
                sh.arg("-c").arg(script).arg(crate::common::BIN);
                for (key, value) in cmd.get_envs() {
                    match value {
                        Some(v) => sh.env(key, v),
                        None => sh.env_remove(key),
                    };
                }
                sh.env_remove("PATH").env("PATH", std::env::var("PATH").unwrap_or_default());
                sh
            };
            cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap()
        })
        .collect();
    for writer in writers {
        let run = to_run(writer.wait_with_output().unwrap());
        assert_eq!(run.stderr, "", "a writer failed:\n{}", run.transcript());
    }
    assert_eq!(env.count("sessions"), 400);
    let distinct: i64 = env.sql().query_row("SELECT count(DISTINCT note) FROM sessions", [], |r| r.get(0)).unwrap();
    assert_eq!(distinct, 400, "no duplicates");
    assert_eq!(integrity(&env), "ok");
}

#[test]
fn checkins_killed_at_random_moments_lose_nothing_acknowledged() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Kill test", "--slug", "kt"]).ok();
    let mut acknowledged = Vec::new();
    // Deterministic "random" delays: an LCG, so a failure can be replayed.
    let mut seed: u64 = 42;
    for i in 0..200 {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let delay = Duration::from_micros((seed >> 33) % 6000);
        let note = format!("k{i}");
        let mut child = env
            .command(&["checkin", "kt", "10m", "--note", &note])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while started.elapsed() < delay {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.kill(); // SIGKILL on Unix
        let run = to_run(child.wait_with_output().unwrap());
        if run.code == 0 && run.stdout.contains("Logged") {
            acknowledged.push(note);
        }
    }
    assert_eq!(integrity(&env), "ok");
    let conn = env.sql();
    for note in &acknowledged {
        let found: i64 = conn.query_row("SELECT count(*) FROM sessions WHERE note = ?1", [note], |r| r.get(0)).unwrap();
        assert_eq!(found, 1, "acknowledged check-in {note} must be there exactly once");
    }
    // The database still works after all that.
    env.run(&["checkin", "kt", "5m"]).ok();
    env.run(&["status"]).ok();
}

#[test]
fn a_full_disk_is_a_clear_error_and_the_database_stays_consistent() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Disk", "--slug", "disk"]).ok();
    env.run(&["checkin", "disk", "10m"]).ok();
    let before = env.count("sessions");
    // A note far larger than the file-size limit makes the write hit it.
    let note = "x".repeat(120_000);
    let cmd = env.command(&["checkin", "disk", "10m", "--note", &note]);
    let mut sh = Command::new("bash");
    // ulimit -f counts 1024-byte blocks in bash; SIGXFSZ ignored makes the write fail with EFBIG.
    sh.arg("-c").arg("ulimit -f 64; trap '' XFSZ; exec \"$@\"").arg("limited").arg(crate::common::BIN);
    sh.args(cmd.get_args());
    for (key, value) in cmd.get_envs() {
        if let Some(v) = value {
            sh.env(key, v);
        }
    }
    let run = to_run(sh.output().unwrap());
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.starts_with("error: "), "{}", run.transcript());
    assert!(run.stderr.contains("hint: nothing was saved: the disk may be full"), "{}", run.transcript());
    assert!(!run.stderr.contains("panicked"));
    assert_eq!(env.count("sessions"), before, "nothing half-written");
    assert_eq!(integrity(&env), "ok");
    env.run(&["checkin", "disk", "5m"]).ok();
}

#[test]
fn a_corrupt_database_is_refused_and_left_byte_identical() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Corrupt", "--slug", "c"]).ok();
    env.checkpoint();
    let mut bytes = env.db_bytes();
    // Keep the header, scramble the pages after it.
    for (i, b) in bytes.iter_mut().enumerate().skip(100) {
        *b = (i % 251) as u8;
    }
    std::fs::write(env.db_path(), &bytes).unwrap();
    for args in [&["status"][..], &["checkin", "c", "5m"], &["list", "sessions"]] {
        let run = env.run(args).fails(1);
        assert!(run.stderr.contains(env.db_path().to_str().unwrap()), "names the file:\n{}", run.transcript());
        assert_eq!(env.db_bytes(), bytes, "left untouched by {args:?}");
    }
    // Not a database at all.
    std::fs::write(env.db_path(), b"hello, I am a text file and not SQLite at all. ".repeat(100)).unwrap();
    let garbage = env.db_bytes();
    let run = env.run(&["checkin", "5m"]).fails(1);
    assert!(run.stderr.contains("hint:"), "{}", run.transcript());
    assert_eq!(env.db_bytes(), garbage);
}

/// The trigger-kept day totals and session count always equal a recount of the sessions,
/// whatever happened to them: edits, moves, deletions, cascades, undo, import.
#[test]
fn day_totals_always_match_the_sessions() {
    let env = TestEnv::new();
    type Rows = Vec<(String, i64, i64, i64, i64)>;
    let recount = |env: &TestEnv| -> (Rows, Rows) {
        let conn = env.sql();
        let rows = |sql: &str| -> Rows {
            let mut stmt = conn.prepare(sql).unwrap();
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        (
            rows("SELECT study_day, item_key, minutes, units, sessions FROM day_totals ORDER BY 1, 2"),
            rows(
                "SELECT study_day, coalesce(item_id, 0), sum(minutes), sum(units), sum(minutes > 0) FROM sessions
                 GROUP BY 1, 2 ORDER BY 1, 2",
            ),
        )
    };
    let check = |env: &TestEnv, after: &str| {
        let (kept, counted) = recount(env);
        assert_eq!(kept, counted, "day totals diverged after {after}");
        let count: i64 = env.sql().query_row("SELECT n FROM session_count", [], |r| r.get(0)).unwrap();
        assert_eq!(count, env.count("sessions"), "the session count diverged after {after}");
    };
    env.run(&["add", "course", "A", "--units", "10"]).ok();
    env.run(&["add", "course", "B"]).ok();
    let steps: &[&[&str]] = &[
        &["checkin", "a", "30m", "--units", "1"],
        &["checkin", "b", "20m", "--date", "yesterday"],
        &["checkin", "15m"],
        &["progress", "a", "4"],
        &["edit", "session", "1", "--minutes", "45m"],
        &["edit", "session", "2", "--date", "-3d", "--target", "a"],
        &["edit", "session", "3", "--target", "b"],
        &["rm", "session", "1", "--yes"],
        &["undo"],
        &["rm", "b", "--yes"],
        &["undo"],
        &["undo"],
    ];
    for step in steps {
        env.run(step).ok();
        check(&env, &step.join(" "));
    }
    let export = env.run(&["export"]).ok().stdout;
    let other = TestEnv::new();
    std::fs::write(other.path("in.json"), export).unwrap();
    other.run(&["import", "in.json"]).ok();
    check(&other, "import");
    other.run(&["undo"]).ok();
    check(&other, "undoing the import");
    assert_eq!(other.count("day_totals"), 0);
}

/// Every run opens the WAL afresh and reads all of it, so the writer that
/// grows it past 1 MiB checkpoints and truncates it: a record in daily use
/// never carries a long WAL (it grew by every check-in before).
#[test]
fn the_wal_stays_short_over_many_check_ins() {
    let env = TestEnv::new();
    env.run(&["add", "course", "Rust Book", "-q"]).ok();
    let wal = env.db_path().with_file_name("learnlog.db-wal");
    let mut largest = 0;
    for i in 0..150 {
        let day = format!("-{i}d");
        env.run(&["checkin", "rust-book", "20m", "--date", &day, "--note", &"x".repeat(2000 + i), "-q"]).ok();
        largest = largest.max(std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0));
    }
    assert!(largest > 0, "no WAL was ever written");
    assert!(largest < 2 << 20, "the WAL reached {largest} bytes");
    assert!(std::fs::metadata(&wal).unwrap().len() < 2 << 20);
    assert_eq!(env.count("sessions"), 150);
    let check: String = env.sql().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok");
}
