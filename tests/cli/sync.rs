//! `sync setup`, `sync`, `sync status` against a real PostgreSQL (one
//! database per test, see common/pg.rs): devices are separate database
//! files with their own clocks, running the real binary.

use serde_json::Value;

use std::process::{Child, Stdio};

use crate::common::cluster::Cluster;
use crate::common::pg::PgTest;
use crate::common::proxy::Proxy;
use crate::common::{Run, TestEnv, history_file, to_run};

/// A server with one learner on it.
struct Server {
    pg: PgTest,
    url: String,
    password: String,
}

fn server() -> Option<Server> {
    let pg = PgTest::new()?;
    let admin = TestEnv::new();
    admin.run(&["server", "init", &pg.admin_url()]).ok();
    let role = pg.role("ana");
    let password = format!("pw-{}", pg.suffix);
    admin
        .run_stdin(
            &["server", "add-member", &role, "--password-stdin", "--url", &pg.admin_url()],
            &format!("{password}\n"),
        )
        .ok();
    let url = pg.url_as(&role);
    Some(Server { pg, url, password })
}

impl Server {
    /// A device: its own home, database and config, its clock at `now`.
    fn device(&self, now: &str) -> TestEnv {
        device_of(&self.password, now)
    }

    /// The first device: sets up and returns the recovery key.
    fn first(&self, env: &TestEnv) -> String {
        self.first_through(env, &self.url)
    }

    fn first_through(&self, env: &TestEnv, url: &str) -> String {
        Server::setup_through(env, url)
    }

    /// Sets up the first device of a learner at `url`; returns the recovery key.
    fn setup_through(env: &TestEnv, url: &str) -> String {
        let run = env.run(&["sync", "setup", url]).ok();
        run.stdout
            .lines()
            .find_map(|l| l.strip_prefix("Recovery key (keep it safe; other devices join with --key): "))
            .unwrap_or_else(|| panic!("no recovery key printed:\n{}", run.stdout))
            .to_string()
    }

    /// Two devices, their clocks at `a_now` and `b_now`, both synced and
    /// holding one course, `title`.
    fn pair_with_course(&self, a_now: &str, b_now: &str, title: &str) -> (TestEnv, TestEnv) {
        let a = self.device(a_now);
        let b = self.device(b_now);
        a.run(&["add", "course", title, "-q"]).ok();
        let key = self.first(&a);
        sync(&a);
        self.join(&b, &key);
        sync(&b);
        (a, b)
    }

    /// A synced device holding one course, its recovery key, and a copy of
    /// its files (database, config, key) on another machine, taken after a
    /// checkpoint: learnlog leaves its last commits in the WAL beside it.
    fn synced_device_and_its_copy(&self) -> (TestEnv, String, TestEnv) {
        let a = self.device("2026-11-23T10:00:00Z");
        a.run(&["add", "course", "Rust Book", "-q"]).ok();
        let key = self.first(&a);
        sync(&a);
        a.checkpoint();
        let copy = self.device("2026-11-23T11:00:00Z");
        for (from, to) in [
            (a.db_path(), copy.db_path()),
            (a.config_path(), copy.config_path()),
            (a.db_path().with_extension("sync-key"), copy.db_path().with_extension("sync-key")),
        ] {
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            std::fs::copy(from, to).unwrap();
        }
        (a, key, copy)
    }

    fn join(&self, env: &TestEnv, key: &str) {
        env.run(&["sync", "setup", &self.url, "--key", key]).ok();
    }
}

/// A device of the learner whose password is `password`, its clock at `now`.
fn device_of(password: &str, now: &str) -> TestEnv {
    let mut env = TestEnv::new();
    env.at(now);
    env.extra_env.push(("PGPASSWORD".into(), password.to_string()));
    env
}

/// `export --format json` with the export's own time left out and every
/// list sorted by uuid: what must be equal on every device.
fn export(env: &TestEnv) -> Value {
    let mut doc = env.run(&["export", "--format", "json"]).ok().json();
    let object = doc.as_object_mut().unwrap();
    object.remove("exported_at");
    for (_, value) in object.iter_mut() {
        if let Value::Array(list) = value {
            list.sort_by(|a, b| a["uuid"].to_string().cmp(&b["uuid"].to_string()));
        }
    }
    doc
}

fn sync(env: &TestEnv) -> Value {
    env.run(&["sync", "--json"]).ok().json()
}

#[test]
fn two_devices_end_with_one_record() {
    let Some(server) = server() else { return };
    let laptop = server.device("2026-11-23T10:00:00Z");
    let desktop = server.device("2026-11-23T11:00:00Z");
    laptop.run(&["add", "course", "Machine Learning", "--units", "10", "-q"]).ok();
    laptop.run(&["checkin", "machine-learning", "45m", "--note", "gradient descent", "-q"]).ok();
    let key = server.first(&laptop);
    // The key sits beside the database, readable by its owner only.
    let key_file = laptop.db_path().with_extension("sync-key");
    assert_eq!(std::fs::read_to_string(&key_file).unwrap().trim(), key);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let config = std::fs::read_to_string(laptop.config_path()).unwrap();
    assert!(config.contains("[sync]") && config.contains(&server.url), "{config}");
    let first = sync(&laptop);
    assert_eq!((first["pushed"].as_u64(), first["pulled"].as_u64()), (Some(2), Some(0)));

    desktop.run(&["add", "goal", "Career change", "-q"]).ok();
    server.join(&desktop, &key);
    let run = desktop.run(&["sync"]).ok();
    assert_eq!(run.stdout, "synced: pushed 1, pulled 2 from 1 device\n");
    desktop.run(&["checkin", "machine-learning", "30m", "-q"]).ok();
    desktop.run(&["edit", "machine-learning", "--title", "ML (Coursera)", "-q"]).ok();
    sync(&desktop);
    let pulled = sync(&laptop);
    assert_eq!(pulled["devices"], 1);
    assert_eq!(export(&laptop), export(&desktop));
    let courses = laptop.run(&["list", "courses", "--json"]).ok().json();
    assert_eq!(courses[0]["title"], "ML (Coursera)");
    // Nothing left to do: nothing moves.
    let idle = sync(&laptop);
    assert_eq!((idle["pushed"].as_u64(), idle["pulled"].as_u64()), (Some(0), Some(0)));

    let status = laptop.run(&["sync", "status", "--json"]).ok().json();
    assert_eq!(status["url"], server.url.as_str());
    assert_eq!(status["pending"], 0);
    assert_eq!(status["devices"].as_array().unwrap().len(), 1);
    assert!(status["device"].as_str().is_some_and(|d| d.len() == 36));
}

#[test]
fn concurrent_changes_merge_by_the_rules() {
    let Some(server) = server() else { return };
    let (a, b) = server.pair_with_course("2026-11-23T10:00:00Z", "2026-11-23T10:30:00Z", "Rust Book");
    // At one moment, both check in, both make a course "Go", and one edits
    // while the other deletes.
    a.run(&["checkin", "rust-book", "30m", "-q"]).ok();
    b.run(&["checkin", "rust-book", "30m", "-q"]).ok();
    a.run(&["add", "course", "Go", "-q"]).ok();
    b.run(&["add", "course", "Go", "-q"]).ok();
    a.run(&["rm", "go", "--yes", "-q"]).ok();
    b.run(&["edit", "rust-book", "--title", "The Rust Book", "-q"]).ok();
    for env in [&a, &b, &a] {
        sync(env);
    }
    assert_eq!(export(&a), export(&b));
    let sessions = a.run(&["list", "sessions", "--json"]).ok().json();
    assert_eq!(sessions.as_array().unwrap().len(), 2, "two check-ins stay two sessions");
    let courses = b.run(&["list", "courses", "--all", "--json"]).ok().json();
    let slugs: Vec<&str> = courses.as_array().unwrap().iter().map(|c| c["slug"].as_str().unwrap()).collect();
    // a's "go" was deleted; b's, made later by the clock, was "go-2" on a
    // until then and keeps the name it had on b.
    assert!(slugs.contains(&"rust-book"), "{slugs:?}");
    assert_eq!(slugs.len(), 2, "{slugs:?}");
}

#[test]
fn a_delete_wins_over_a_concurrent_edit_and_undo_brings_it_back() {
    let Some(server) = server() else { return };
    let (a, b) = server.pair_with_course("2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", "Statistics");
    a.run_at("2026-11-23T10:05:00Z", &["rm", "statistics", "--yes", "-q"]).ok();
    b.run_at("2026-11-23T10:06:00Z", &["edit", "statistics", "--title", "Stats 101", "-q"]).ok();
    b.run_at("2026-11-23T10:07:00Z", &["sync", "-q"]).ok();
    a.run_at("2026-11-23T10:08:00Z", &["sync", "-q"]).ok();
    b.run_at("2026-11-23T10:09:00Z", &["sync", "-q"]).ok();
    for env in [&a, &b] {
        let courses = env.run(&["list", "courses", "--all", "--json"]).ok().json();
        assert_eq!(courses, Value::Array(vec![]), "the delete wins");
    }
    a.run_at("2026-11-23T10:10:00Z", &["undo", "-q"]).ok();
    a.run_at("2026-11-23T10:11:00Z", &["sync", "-q"]).ok();
    b.run_at("2026-11-23T10:12:00Z", &["sync", "-q"]).ok();
    let courses = b.run(&["list", "courses", "--all", "--json"]).ok().json();
    assert_eq!(courses.as_array().map(Vec::len), Some(1), "undo brings it back everywhere");
    assert_eq!(export(&a), export(&b));
}

#[test]
fn a_wrong_key_is_refused_before_anything_is_uploaded() {
    let Some(server) = server() else { return };
    let a = server.device("2026-11-23T10:00:00Z");
    let b = server.device("2026-11-23T10:00:00Z");
    server.first(&a);
    b.run(&["add", "course", "Secret Course", "-q"]).ok();
    let wrong = "00000000-11111111-22222222-33333333-44444444-55555555-66666666-77777777";
    let run = b.run(&["sync", "setup", &server.url, "--key", wrong]).fails(2);
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
    // Without a key at all, the second device is told to give one.
    b.run(&["sync", "setup", &server.url]).fails(2);
    // Nothing of b reached the server, and b is not set up.
    let rows: i64 = server.pg.admin().query_one("SELECT count(*) FROM learnlog.sync_log", &[]).unwrap().get(0);
    assert_eq!(rows, 0);
    b.run(&["sync"]).fails(2);
    // A key file changed behind sync's back is refused before the push.
    std::fs::write(a.db_path().with_extension("sync-key"), format!("{wrong}\n")).unwrap();
    a.run(&["checkin", "30m", "-q"]).ok();
    let run = a.run(&["sync"]).fails(2);
    assert!(run.stderr.contains("--key"), "{}", run.stderr);
    let rows: i64 = server.pg.admin().query_one("SELECT count(*) FROM learnlog.sync_log", &[]).unwrap().get(0);
    assert_eq!(rows, 0);
}

#[test]
fn the_server_stores_no_title_or_note_in_clear() {
    let Some(server) = server() else { return };
    let a = server.device("2026-11-23T10:00:00Z");
    a.run(&["add", "course", "Quantum Basket Weaving", "-q"]).ok();
    a.run(&["checkin", "quantum-basket-weaving", "25m", "--note", "zanzibar-lemonade", "-q"]).ok();
    server.first(&a);
    sync(&a);
    let mut admin = server.pg.admin();
    let rows = admin.query("SELECT nonce, sealed FROM learnlog.sync_log", &[]).unwrap();
    assert!(!rows.is_empty());
    for row in rows {
        let sealed: Vec<u8> = row.get(1);
        let text = String::from_utf8_lossy(&sealed);
        for secret in ["Quantum", "zanzibar", "minutes", "sessions"] {
            assert!(!text.contains(secret), "'{secret}' is readable on the server");
        }
    }
}

#[test]
fn a_copied_database_is_told_to_take_a_new_device_id() {
    let Some(server) = server() else { return };
    let (a, key, copy) = server.synced_device_and_its_copy();
    copy.run(&["checkin", "rust-book", "30m", "-q"]).ok();
    a.run(&["checkin", "rust-book", "20m", "-q"]).ok();
    sync(&a);
    let run = copy.run(&["sync"]).fails(2);
    assert!(run.stderr.contains("--new-device"), "{}", run.stderr);
    copy.run(&["sync", "setup", &server.url, "--key", &key, "--new-device"]).ok();
    sync(&copy);
    sync(&a);
    assert_eq!(export(&a), export(&copy));
    let sessions = a.run(&["list", "sessions", "--json"]).ok().json();
    assert_eq!(sessions.as_array().map(Vec::len), Some(2));
}

#[test]
fn a_server_that_lost_the_log_gets_the_whole_history_again() {
    let Some(server) = server() else { return };
    let a = server.device("2026-11-23T10:00:00Z");
    let b = server.device("2026-11-23T10:00:00Z");
    a.run(&["add", "course", "Rust Book", "-q"]).ok();
    a.run(&["checkin", "rust-book", "30m", "-q"]).ok();
    let key = server.first(&a);
    sync(&a);
    // The server's schema dropped and made again (the learner's login stays).
    let mut admin = server.pg.admin();
    admin.batch_execute("DROP SCHEMA learnlog CASCADE").unwrap();
    TestEnv::new().run(&["server", "init", &server.pg.admin_url()]).ok();
    let again = sync(&a);
    assert_eq!(again["pushed"], 0, "a re-push is not new to the learner");
    let rows: i64 = admin.query_one("SELECT count(*) FROM learnlog.sync_log", &[]).unwrap().get(0);
    assert!(rows > 0, "the history was pushed again");
    server.join(&b, &key);
    sync(&b);
    assert_eq!(export(&a)["courses"], export(&b)["courses"]);
    assert_eq!(export(&a)["sessions"], export(&b)["sessions"]);
}

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn slugs(env: &TestEnv, now: &str) -> Vec<String> {
    let list = env.run_at(now, &["list", "courses", "--json"]).ok().json();
    list.as_array().unwrap().iter().filter_map(|c| c["slug"].as_str().map(str::to_string)).collect()
}

/// One random command on a device; failures that are the user's (exit 2:
/// nothing to undo, a course already done) are part of the game.
fn random_command(env: &TestEnv, rng: &mut Rng, now: &str, with_undo: bool) {
    let slugs = slugs(env, now);
    let pick = |rng: &mut Rng| slugs.get(rng.below(slugs.len().max(1))).cloned().unwrap_or_else(|| "none".into());
    let titles = ["Rust Book", "Go", "Statistics"];
    let args: Vec<String> = match rng.below(9) {
        0 | 1 => {
            let title = titles[rng.below(titles.len())];
            vec!["add".into(), "course".into(), title.into(), "--units".into(), "10".into()]
        }
        2 | 3 => vec!["checkin".into(), pick(rng), format!("{}m", 10 + rng.below(50))],
        4 => vec!["edit".into(), pick(rng), "--title".into(), format!("Title {}", rng.below(100))],
        5 => vec!["rm".into(), pick(rng), "--yes".into()],
        6 if with_undo => vec!["undo".into()],
        6 => vec!["progress".into(), pick(rng), format!("{}", rng.below(10))],
        7 => vec!["pledge".into(), pick(rng), "1h/week".into()],
        _ => vec!["done".into(), pick(rng)],
    };
    let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
    all.push("-q");
    let run = env.run_at(now, &all);
    assert!(run.code == 0 || run.code == 2, "`{}` failed:\n{}", all.join(" "), run.transcript());
}

fn instant(base: chrono::DateTime<chrono::Utc>, minutes: i64) -> String {
    (base + chrono::Duration::minutes(minutes)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[test]
fn three_devices_with_skewed_clocks_converge_under_random_commands() {
    let Some(server) = server() else { return };
    let base: chrono::DateTime<chrono::Utc> = "2026-11-23T08:00:00Z".parse().unwrap();
    // One on time, one an hour ahead, one a day behind.
    let offsets = [0i64, 60, -24 * 60];
    let devices: Vec<TestEnv> = offsets.iter().map(|o| server.device(&instant(base, *o))).collect();
    let key = server.first(&devices[0]);
    for device in &devices[1..] {
        server.join(device, &key);
    }
    for seed in [7u64, 1234567] {
        let mut rng = Rng(seed);
        for step in 0..30i64 {
            let which = rng.below(devices.len());
            let now = instant(base, offsets[which] + step);
            random_command(&devices[which], &mut rng, &now, true);
            if rng.below(4) == 0 {
                let which = rng.below(devices.len());
                devices[which].run_at(&instant(base, offsets[which] + step), &["sync", "-q"]).ok();
            }
        }
    }
    // Every device syncs twice.
    for _ in 0..2 {
        for (device, offset) in devices.iter().zip(offsets) {
            device.run_at(&instant(base, offset + 60), &["sync", "-q"]).ok();
        }
    }
    let first = export(&devices[0]);
    for device in &devices[1..] {
        assert_eq!(export(device), first);
    }
}

#[test]
fn synced_after_every_command_devices_hold_what_one_device_would() {
    let Some(server) = server() else { return };
    let base: chrono::DateTime<chrono::Utc> = "2026-11-23T08:00:00Z".parse().unwrap();
    let devices: Vec<TestEnv> = (0..2).map(|_| server.device(&instant(base, 0))).collect();
    let alone = TestEnv::new();
    let key = server.first(&devices[0]);
    server.join(&devices[1], &key);
    let mut rng = Rng(42);
    for step in 0..25i64 {
        let now = instant(base, step);
        let which = rng.below(2);
        let mut twin = Rng(rng.0);
        // Undo is left out: it reverses the last change of the device it runs on.
        random_command(&devices[which], &mut rng, &now, false);
        // The same command, drawn the same way, on a device alone.
        random_command(&alone, &mut twin, &now, false);
        devices[which].run_at(&now, &["sync", "-q"]).ok();
        devices[1 - which].run_at(&now, &["sync", "-q"]).ok();
    }
    let strip = |mut doc: Value| {
        // Uuids are drawn at random on each device: compare what they name
        // (a reference to an item becomes the item's slug).
        let mut names = std::collections::HashMap::new();
        for kind in ["goals", "courses", "projects"] {
            for item in doc[kind].as_array().unwrap() {
                names.insert(item["uuid"].as_str().unwrap().to_string(), item["slug"].clone());
            }
        }
        fn strip_uuids(value: &mut Value, names: &std::collections::HashMap<String, Value>) {
            match value {
                Value::Object(map) => {
                    map.remove("uuid");
                    map.values_mut().for_each(|v| strip_uuids(v, names));
                }
                Value::Array(list) => {
                    list.iter_mut().for_each(|v| strip_uuids(v, names));
                    list.sort_by_key(|v| v.to_string());
                }
                Value::String(text) => {
                    if let Some(name) = names.get(text.as_str()) {
                        *value = name.clone();
                    }
                }
                _ => {}
            }
        }
        strip_uuids(&mut doc, &names);
        doc
    };
    assert_eq!(export(&devices[0]), export(&devices[1]));
    assert_eq!(strip(export(&devices[0])), strip(export(&alone)));
}

#[test]
fn progress_is_absolute_and_session_numbers_agree_across_devices() {
    let Some(server) = server() else { return };
    let a = server.device("2026-11-23T10:00:00Z");
    let b = server.device("2026-11-23T10:20:00Z");
    a.run(&["add", "course", "Machine Learning", "--units", "10", "-q"]).ok();
    a.run(&["checkin", "machine-learning", "30m", "--units", "2", "-q"]).ok();
    let key = server.first(&a);
    sync(&a);
    server.join(&b, &key);
    sync(&b);
    // Both say 6 units are done, without seeing each other's.
    a.run(&["progress", "machine-learning", "6", "-q"]).ok();
    b.run(&["progress", "machine-learning", "6", "-q"]).ok();
    b.run(&["checkin", "machine-learning", "45m", "--date", "yesterday", "-q"]).ok();
    for env in [&a, &b, &a] {
        sync(env);
    }
    for env in [&a, &b] {
        let show = env.run(&["show", "machine-learning", "--json"]).ok().json();
        assert_eq!(show["units_done"], 6, "6 units, not 10");
    }
    a.run_at("2026-11-23T10:30:00Z", &["checkin", "machine-learning", "20m", "--units", "1", "-q"]).ok();
    sync(&a);
    sync(&b);
    assert_eq!(b.run(&["show", "machine-learning", "--json"]).ok().json()["units_done"], 7);
    // Numbers follow (day, start, uuid): yesterday's session is #1 on both.
    let listed = a.run(&["list", "sessions", "--json"]).ok().json();
    assert_eq!(listed, b.run(&["list", "sessions", "--json"]).ok().json());
    assert_eq!(listed[0]["study_day"], "2026-11-22");
    assert_eq!(listed[0]["id"], 1);
    let shown = b.run(&["show", "session", "1", "--json"]).ok().json();
    assert_eq!(shown["uuid"], listed[0]["uuid"]);
}

#[test]
fn a_clock_far_from_the_servers_is_a_warning() {
    let Some(server) = server() else { return };
    // A day behind the real clock the server keeps.
    let a = server.device("2020-01-01T10:00:00Z");
    server.first(&a);
    let report = sync(&a);
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{report}");
    assert!(warnings[0].as_str().unwrap().contains("behind the server's"), "{report}");
    let run = a.run(&["sync"]).ok();
    assert!(run.stderr.starts_with("warning: this device's clock is"), "{}", run.stderr);
    let status = a.run(&["sync", "status", "--json"]).ok().json();
    assert!(status["skew_seconds"].as_i64().unwrap() < -300);
}

#[test]
fn an_import_travels_and_an_unreachable_server_leaves_the_record_alone() {
    let Some(server) = server() else { return };
    let a = server.device("2026-11-23T10:00:00Z");
    let b = server.device("2026-11-23T10:00:00Z");
    let source = TestEnv::new();
    source.run(&["add", "course", "Imported Course", "--units", "4", "-q"]).ok();
    source.run(&["checkin", "imported-course", "40m", "--units", "1", "-q"]).ok();
    let file = source.path("export.json");
    source.run(&["export", "--out", file.to_str().unwrap()]).ok();
    let key = server.first(&a);
    server.join(&b, &key);
    a.run(&["import", file.to_str().unwrap(), "-q"]).ok();
    sync(&a);
    let pulled = sync(&b);
    assert_eq!(pulled["pulled"], 2);
    assert_eq!(export(&a), export(&b));
    // The server goes away: exit 1, nothing changed here.
    let proxy = Proxy::start(&server.pg.host_port());
    proxy.refuse(true);
    b.run(&["sync", "setup", &proxy.url(&server.url), "--key", &key]).fails(1);
    a.run(&["checkin", "imported-course", "20m", "-q"]).ok();
    let before = b.db_bytes();
    std::fs::write(b.config_path(), format!("[sync]\nurl = \"{}\"\n", proxy.url(&server.url))).unwrap();
    b.run(&["sync"]).fails(1);
    assert!(b.db_bytes() == before, "a failed sync changed the database");
}

#[test]
fn a_sync_cut_anywhere_completes_on_the_next_run() {
    let Some(server) = server() else { return };
    let proxy = Proxy::start(&server.pg.host_port());
    let url = proxy.url(&server.url);
    let a = server.device("2026-11-23T10:00:00Z");
    let b = server.device("2026-11-23T10:00:00Z");
    a.run(&["add", "course", "Rust Book", "-q"]).ok();
    let key = server.first_through(&a, &url);
    b.run(&["sync", "setup", &url, "--key", &key]).ok();
    let mut rng = Rng(99);
    let mut cuts = 0;
    for round in 0..8 {
        for i in 0..15 {
            let day = format!("2026-11-{:02}", 1 + (round * 15 + i) % 22);
            a.run(&["checkin", "rust-book", &format!("{}m", 10 + rng.below(50)), "--date", &day, "-q"]).ok();
        }
        // Cut the push somewhere in its first few kilobytes.
        proxy.cut_after(500 + rng.below(12_000) as u64);
        if a.run(&["sync", "-q"]).code != 0 {
            cuts += 1;
        }
        proxy.cut_after(u64::MAX / 2);
        // Cut the pull; a pull that fails leaves b as it was.
        let before = export(&b);
        proxy.cut_after(500 + rng.below(12_000) as u64);
        let run = b.run(&["sync", "-q"]);
        if run.code != 0 {
            assert_eq!(run.code, 1, "{}", run.transcript());
            assert_eq!(export(&b), before, "a cut pull changed the record");
            cuts += 1;
        }
        proxy.cut_after(u64::MAX / 2);
    }
    assert!(cuts > 0, "no sync was cut: the test proves nothing");
    a.run(&["sync", "-q"]).ok();
    b.run(&["sync", "-q"]).ok();
    assert_eq!(export(&a), export(&b));
    // Nothing lost, nothing twice.
    assert_eq!(export(&b)["sessions"].as_array().map(Vec::len), Some(120));
}

#[test]
fn one_rest_day_made_on_two_devices_is_kept_once_the_same_everywhere() {
    let Some(server) = server() else { return };
    let a = server.device("2026-11-23T10:00:00Z");
    let b = server.device("2026-11-23T09:00:00Z");
    let key = server.first(&a);
    server.join(&b, &key);
    a.run(&["rest", "2026-11-25", "--reason", "travel", "-q"]).ok();
    b.run(&["rest", "2026-11-25", "--reason", "exam", "-q"]).ok();
    for env in [&a, &b, &a] {
        sync(env);
    }
    let rest = export(&a)["rest_days"].clone();
    assert_eq!(rest, export(&b)["rest_days"]);
    // b's was made first by the clock (its clock is an hour behind).
    assert_eq!(rest.as_array().map(Vec::len), Some(1));
    assert_eq!(rest[0]["reason"], "exam");
}

#[test]
fn a_device_whose_push_conflicts_keeps_its_own_changes_after_new_device() {
    let Some(server) = server() else { return };
    let (a, key, copy) = server.synced_device_and_its_copy();
    // The original numbers its next batch, and its push is cut (as if): the
    // copy then pushes its own batch under that number, and the original's
    // push is refused as a conflict. (Numbering first moves the check-in
    // from the outbox into the log, as a sync does.)
    a.run(&["checkin", "rust-book", "20m", "-q"]).ok();
    a.sql()
        .execute_batch(
            "INSERT INTO sync_changes (hlc, tbl, record, op, data, seq)
                 SELECT hlc, tbl, record, op, data, 2 FROM sync_outbox WHERE tbl IS NOT NULL ORDER BY id;
             UPDATE sync_state SET hlc = (SELECT max(hlc) FROM sync_outbox);
             DELETE FROM sync_outbox;
             INSERT INTO sync_batches (seq, nonce, sent_at_ms) VALUES (2, zeroblob(24), 0);",
        )
        .unwrap();
    copy.run(&["checkin", "rust-book", "35m", "-q"]).ok();
    sync(&copy);
    let run = a.run(&["sync"]).fails(2);
    assert!(run.stderr.contains("--new-device"), "{}", run.stderr);
    a.run(&["sync", "setup", &server.url, "--key", &key, "--new-device"]).ok();
    sync(&a);
    sync(&copy);
    assert_eq!(export(&a), export(&copy));
    let minutes: Vec<i64> =
        export(&a)["sessions"].as_array().unwrap().iter().map(|s| s["minutes"].as_i64().unwrap()).collect();
    assert_eq!(minutes.len(), 2, "{minutes:?}");
    assert!(minutes.contains(&35) && minutes.contains(&20), "{minutes:?}");
}

/// `learnlog sync` started in the background (to be stopped mid-way).
fn spawn_sync(env: &TestEnv) -> Child {
    env.command(&["sync"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start learnlog sync")
}

fn finish(child: Child) -> Run {
    to_run(child.wait_with_output().expect("wait for learnlog sync"))
}

/// The database file is whole (SQLite's own check).
fn assert_whole(env: &TestEnv) {
    let check: String = env.sql().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(check, "ok", "the database is damaged");
}

/// A failed sync says what happened and what to do, in one `error:` line and a hint.
fn assert_told_to_retry(run: &Run) {
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.starts_with("error: "), "{}", run.transcript());
    assert!(run.stderr.contains("hint: "), "{}", run.transcript());
}

#[test]
fn a_server_restarted_in_the_middle_of_a_push_or_a_pull_loses_and_doubles_nothing() {
    let Some(cluster) = Cluster::start() else { return };
    let admin = TestEnv::new();
    admin.run(&["server", "init", &cluster.admin_url()]).ok();
    let password = "restart-pw";
    admin
        .run_stdin(&["server", "add-member", "ana", "--password-stdin", "--url", &cluster.admin_url()], "restart-pw\n")
        .ok();
    let proxy = Proxy::start(&cluster.host_port());
    let url = proxy.url(&cluster.url_as("ana"));
    let a = device_of(password, "2026-11-23T10:00:00Z");
    let b = device_of(password, "2026-11-23T10:00:00Z");
    let key = Server::setup_through(&a, &url);
    b.run(&["sync", "setup", &url, "--key", &key]).ok();
    let (_source, file) = history_file(2000);
    a.run(&["import", file.to_str().unwrap(), "-q"]).ok();

    // The push is frozen a little way in; the server stops as in a crash
    // and starts again; the frozen connection is gone.
    proxy.hold_after(20_000);
    let push = spawn_sync(&a);
    assert!(proxy.wait_holding(60), "the push never reached the mark");
    cluster.restart();
    proxy.release();
    assert_told_to_retry(&finish(push));
    assert_whole(&a);
    assert_eq!(sync(&a)["pushed"], 2001, "the retry pushes everything, once");
    // Many small syncs after it: the other device's pull takes more than
    // one round trip, so a restart can fall between two of them.
    for i in 0..55 {
        a.run(&["checkin", "long-course", &format!("{}m", 5 + i % 20), "-q"]).ok();
        a.run(&["sync", "-q"]).ok();
    }

    // The same in the middle of the other device's pull: nothing applied.
    let before = export(&b);
    proxy.hold_after(20_000);
    let pull = spawn_sync(&b);
    assert!(proxy.wait_holding(60), "the pull never reached the mark");
    cluster.restart();
    proxy.release();
    assert_told_to_retry(&finish(pull));
    assert_whole(&b);
    assert_eq!(export(&b), before, "a pull cut by a restart changed the record");
    assert_eq!(sync(&b)["pulled"], 2056);
    assert_eq!(export(&a), export(&b));
    assert_eq!(export(&b)["sessions"].as_array().map(Vec::len), Some(2055));
}

#[test]
fn a_sync_killed_in_the_middle_of_a_push_or_a_pull_completes_on_the_next_run() {
    let Some(server) = server() else { return };
    let proxy = Proxy::start(&server.pg.host_port());
    let url = proxy.url(&server.url);
    let a = server.device("2026-11-23T10:00:00Z");
    let b = server.device("2026-11-23T10:00:00Z");
    let key = server.first_through(&a, &url);
    b.run(&["sync", "setup", &url, "--key", &key]).ok();
    let (_source, file) = history_file(2000);
    a.run(&["import", file.to_str().unwrap(), "-q"]).ok();

    // Killed (SIGKILL: no clean-up of any kind) while its push is in flight.
    proxy.hold_after(20_000);
    let mut push = spawn_sync(&a);
    assert!(proxy.wait_holding(60), "the push never reached the mark");
    push.kill().unwrap();
    let _ = push.wait();
    proxy.release();
    assert_whole(&a);
    sync(&a);

    // Killed while its pull is in flight: the record is as it was.
    let before = export(&b);
    proxy.hold_after(20_000);
    let mut pull = spawn_sync(&b);
    assert!(proxy.wait_holding(60), "the pull never reached the mark");
    pull.kill().unwrap();
    let _ = pull.wait();
    proxy.release();
    assert_whole(&b);
    assert_eq!(export(&b), before, "a killed pull changed the record");
    assert_eq!(sync(&b)["pulled"], 2001);
    a.run(&["checkin", "long-course", "15m", "-q"]).ok();
    sync(&a);
    sync(&b);
    assert_eq!(export(&a), export(&b));
    assert_eq!(export(&b)["sessions"].as_array().map(Vec::len), Some(2001));
}

#[cfg(unix)]
#[test]
fn a_long_sync_shows_progress_on_a_terminal_and_nothing_otherwise() {
    let Some(server) = server() else { return };
    if !crate::common::has_script() {
        return;
    }
    let a = server.device("2026-11-23T10:00:00Z");
    let b = server.device("2026-11-23T10:00:00Z");
    let key = server.first(&a);
    let (_source, file) = history_file(2500);
    a.run(&["import", file.to_str().unwrap(), "-q"]).ok();
    let run = a.on_terminal("sync");
    assert_eq!(run.code, 0, "{}", run.transcript());
    assert!(run.stdout.contains("pushing: ["), "no progress bar:\n{}", run.stdout);
    server.join(&b, &key);
    let pull = b.on_terminal("sync");
    assert_eq!(pull.code, 0, "{}", pull.transcript());
    assert!(pull.stdout.contains("pulling: ["), "no progress bar:\n{}", pull.stdout);
    assert!(export(&a) == export(&b), "the devices differ");
    let c = server.device("2026-11-23T10:00:00Z");
    server.join(&c, &key);
    let quiet = c.on_terminal("sync -q");
    assert_eq!(quiet.code, 0, "{}", quiet.transcript());
    assert!(!quiet.stdout.contains("pulling"), "a progress bar with -q:\n{}", quiet.stdout);
    assert!(export(&a) == export(&c), "the devices differ");
    // Piped (cron, a script): never a bar.
    a.run(&["checkin", "long-course", "20m", "-q"]).ok();
    let piped = a.run(&["sync"]).ok();
    assert!(!piped.stderr.contains('['), "{}", piped.stderr);
}

#[test]
fn a_password_in_the_url_is_used_but_never_stored_or_shown() {
    let Some(server) = server() else { return };
    let mut a = TestEnv::new();
    a.at("2026-11-23T10:00:00Z");
    let role = server.pg.role("ana");
    let with_password = server.pg.url_with_password(&role, &server.password);
    let run = a.run(&["--json", "sync", "setup", &with_password]).ok();
    let key = run.json()["recovery_key"].as_str().expect("a recovery key").to_string();
    assert!(!run.stdout.contains(&server.password), "{}", run.stdout);
    let config = std::fs::read_to_string(a.config_path()).unwrap();
    assert!(config.contains(&role), "{config}");
    assert!(!config.contains(&server.password), "the password was stored:\n{config}");
    let status = a.run(&["sync", "status"]).ok();
    assert!(!status.stdout.contains(&server.password), "{}", status.stdout);
    // Later syncs take the password from where libpq would: PGPASSWORD here.
    let run = a.run(&["sync"]);
    assert_eq!(run.code, 1, "{}", run.transcript());
    assert!(run.stderr.contains("hint: "), "{}", run.stderr);
    a.extra_env.push(("PGPASSWORD".into(), server.password.clone()));
    a.run(&["sync", "-q"]).ok();
    // Setting the first device up again shows the same recovery key.
    let again = a.run(&["--json", "sync", "setup", &server.url]).ok().json();
    assert_eq!(again["recovery_key"], key.as_str());
}

#[test]
fn undo_after_a_pull_reverses_only_its_own_edit_on_every_device() {
    let Some(server) = server() else { return };
    let (a, b) = server.pair_with_course("2026-11-23T10:00:00Z", "2026-11-23T10:00:00Z", "Statistics");
    a.run_at("2026-11-23T10:05:00Z", &["edit", "statistics", "--title", "Stats 101", "-q"]).ok();
    b.run_at("2026-11-23T10:06:00Z", &["edit", "statistics", "--platform", "coursera", "-q"]).ok();
    b.run_at("2026-11-23T10:07:00Z", &["sync", "-q"]).ok();
    a.run_at("2026-11-23T10:08:00Z", &["sync", "-q"]).ok();
    let undone = a.run_at("2026-11-23T10:09:00Z", &["undo", "--json"]).ok().json();
    assert_eq!(undone["at"], "2026-11-23T10:05:00Z", "{undone}");
    for env in [&a, &b, &a] {
        env.run_at("2026-11-23T10:10:00Z", &["sync", "-q"]).ok();
    }
    for env in [&a, &b] {
        let courses = env.run(&["list", "courses", "--json"]).ok().json();
        let course = &courses[0];
        assert_eq!((&course["title"], &course["platform"]), (&Value::from("Statistics"), &Value::from("coursera")));
    }
    assert_eq!(export(&a), export(&b));
}

/// A check-in with sync set up writes at most one page more to the WAL than
/// the same check-in on the same file without: its change goes to the
/// outbox, stamped in the same page, not to the indexed change log (which,
/// with the clock in the state row, cost eight pages more).
#[test]
fn a_check_in_with_sync_set_up_writes_one_page_more_than_without() {
    let Some(server) = server() else { return };
    let synced = server.device("2026-11-23T10:00:00Z");
    synced.run(&["add", "course", "Rust Book", "-q"]).ok();
    for day in 1..=9 {
        synced.checkin_on(&format!("2026-11-0{day}"), &["rust-book", "30m", "-q"]);
    }
    server.first(&synced);
    sync(&synced);
    synced.checkpoint();
    // The same file, with capture off: what a device without sync writes.
    let plain = server.device("2026-11-23T10:00:00Z");
    std::fs::create_dir_all(plain.db_path().parent().unwrap()).unwrap();
    std::fs::copy(synced.db_path(), plain.db_path()).unwrap();
    plain.sql().execute_batch("UPDATE sync_state SET capture = 0").unwrap();
    plain.checkpoint();

    let wal_pages = |env: &TestEnv| -> u64 {
        env.run(&["checkin", "rust-book", "45m", "-q"]).ok();
        let page_size: u64 = env.sql().query_row("PRAGMA page_size", [], |r| r.get(0)).unwrap();
        let wal = std::fs::metadata(env.db_path().with_extension("db-wal")).unwrap().len();
        (wal - 32) / (page_size + 24)
    };
    let (with_sync, without) = (wal_pages(&synced), wal_pages(&plain));
    assert!(without > 0);
    assert!(with_sync <= without + 1, "{with_sync} pages with sync set up against {without} without");
    let pending = synced.run(&["sync", "status", "--json"]).ok().json();
    assert_eq!(pending["pending"], 1, "{pending}");
}
