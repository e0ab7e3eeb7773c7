//! The PostgreSQL server: `server init`, members, and every access rule of
//! docs/sync.md, checked with plain SQL as the members themselves. Each test
//! has its own database (`PgTest`); without LEARNLOG_TEST_PG_URL they
//! return early (and fail under CI=true).

use learnlog::server::sync_log::{self, LogRow, PushOutcome};
use learnlog::server::{ServerUrl, connect};
use postgres::Client;
use postgres::error::SqlState;
use uuid::Uuid;

use crate::common::TestEnv;
use crate::common::pg::PgTest;

fn setup() -> Option<(PgTest, TestEnv)> {
    let pg = PgTest::new()?;
    let env = TestEnv::new();
    env.run(&["server", "init", &pg.admin_url()]).ok();
    Some((pg, env))
}

/// Adds member NAME_<suffix> with a known password; returns (login, password).
fn add(pg: &PgTest, env: &TestEnv, name: &str) -> (String, String) {
    let role = pg.role(name);
    let password = format!("pw-{name}-{}", pg.suffix);
    env.run_stdin(
        &["server", "add-member", &role, "--password-stdin", "--url", &pg.admin_url()],
        &format!("{password}\n"),
    )
    .ok();
    (role, password)
}

fn login(pg: &PgTest, member: &(String, String)) -> Client {
    pg.connect_as(&member.0, &member.1).unwrap_or_else(|e| panic!("{} cannot log in: {e}", member.0))
}

#[track_caller]
fn assert_denied<T: std::fmt::Debug>(result: Result<T, postgres::Error>) {
    match result {
        Err(e) => assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{e}"),
        Ok(v) => panic!("expected SQLSTATE 42501, got {v:?}"),
    }
}

fn insert_row(c: &mut Client, device: Uuid, seq: i64) -> Result<u64, postgres::Error> {
    c.execute(
        "INSERT INTO learnlog.sync_log (device, seq, nonce, sealed) VALUES ($1, $2, $3, $4)",
        &[&device, &seq, &vec![0u8; 24], &format!("sealed {seq}").into_bytes()],
    )
}

fn count(c: &mut Client, sql: &str) -> i64 {
    c.query_one(sql, &[]).unwrap().get(0)
}

fn version(pg: &PgTest) -> String {
    pg.admin().query_one("SELECT value FROM learnlog.meta WHERE key = 'schema_version'", &[]).unwrap().get(0)
}

// ---- server init --------------------------------------------------------

#[test]
fn init_creates_the_schema_then_is_idempotent() {
    let Some(pg) = PgTest::new() else { return };
    let env = TestEnv::new();
    let first = env.run(&["server", "init", &pg.admin_url()]).ok();
    assert!(first.stdout.contains("Created the learnlog schema (version"), "{}", first.stdout);
    let again = env.run(&["--json", "server", "init", &pg.admin_url()]).ok().json();
    assert_eq!(again["applied"], serde_json::json!([]));
    assert_eq!(again["from_version"], again["to_version"]);
    let text = env.run(&["server", "init", &pg.admin_url()]).ok();
    assert!(text.stdout.contains("is up to date"), "{}", text.stdout);
    // Every table forces row-level security.
    let unforced = count(
        &mut pg.admin(),
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'learnlog' AND c.relkind = 'r' AND NOT (c.relrowsecurity AND c.relforcerowsecurity)",
    );
    assert_eq!(unforced, 0, "a table without forced row-level security");
}

#[test]
fn init_never_prints_the_password_of_its_url() {
    let Some(pg) = PgTest::new() else { return };
    let env = TestEnv::new();
    let url = pg.admin_url();
    let password = url.split("://").nth(1).and_then(|r| r.split('@').next()).and_then(|u| u.split(':').nth(1));
    let run = env.run(&["server", "init", &url]).ok();
    let json = env.run(&["--json", "server", "init", &url]).ok();
    if let Some(password) = password {
        assert!(!run.stdout.contains(password) && !run.stderr.contains(password), "{}", run.transcript());
        assert!(!json.stdout.contains(password), "{}", json.stdout);
    }
}

#[test]
fn init_migrates_an_older_schema_forward() {
    let Some(pg) = PgTest::new() else { return };
    let env = TestEnv::new();
    let latest = learnlog::server::schema::latest();
    // A server left at the previous version by an older learnlog.
    learnlog::server::schema::init_to(&mut pg.admin(), latest - 1).unwrap();
    let run = env.run(&["--json", "server", "init", &pg.admin_url()]).ok().json();
    assert_eq!(run["from_version"], serde_json::json!(latest - 1));
    assert_eq!(run["to_version"], serde_json::json!(latest));
    let (name, _) = learnlog::server::schema::MIGRATIONS[latest as usize - 1];
    assert_eq!(run["applied"], serde_json::json!([name]));
    assert_eq!(version(&pg), latest.to_string());
    let text = env.run(&["server", "init", &pg.admin_url()]).ok();
    assert!(text.stdout.contains("is up to date"), "{}", text.stdout);
}

#[test]
fn a_newer_server_schema_is_refused() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    pg.admin().execute("UPDATE learnlog.meta SET value = '999' WHERE key = 'schema_version'", &[]).unwrap();
    let run = env.run(&["server", "init", &pg.admin_url()]).fails(1);
    assert!(run.stderr.contains("version 999, newer than this learnlog knows"), "{}", run.transcript());
    assert!(run.stderr.contains("hint: upgrade learnlog"), "{}", run.transcript());
    assert_eq!(version(&pg), "999", "init changed a newer schema");
    let add = env.run(&["server", "add-member", &pg.role("bob"), "--url", &pg.admin_url()]).fails(1);
    assert!(add.stderr.contains("newer"), "{}", add.transcript());
    // A member's connection is refused too.
    let url = ServerUrl::parse(&pg.url_with_password(&alice.0, &alice.1)).unwrap();
    let err = connect(&url).err().expect("a newer schema must be refused");
    assert!(err.to_string().contains("newer than this learnlog knows"), "{err:#}");
}

#[test]
fn a_database_without_the_schema_says_to_run_init() {
    let Some(pg) = PgTest::new() else { return };
    let env = TestEnv::new();
    let run = env.run(&["server", "add-member", &pg.role("alice"), "--url", &pg.admin_url()]).fails(1);
    assert!(run.stderr.contains("has no learnlog schema"), "{}", run.transcript());
    assert!(run.stderr.contains("hint: run `learnlog server init"), "{}", run.transcript());
    let url = ServerUrl::parse(&pg.admin_url()).unwrap();
    let err = connect(&url).err().expect("no schema");
    assert!(format!("{err:#}").contains("no learnlog schema"), "{err:#}");
}

#[test]
fn a_server_that_cannot_be_reached_is_exit_1_with_a_hint() {
    let env = TestEnv::new();
    let run = env.run(&["server", "init", "postgresql://nobody@127.0.0.1:1/db"]).fails(1);
    assert!(run.stderr.contains("cannot reach the server at 127.0.0.1:1"), "{}", run.transcript());
    assert!(run.stderr.contains("hint: "), "{}", run.transcript());
    let bad = env.run(&["server", "init", "mysql://x@h/db"]).fails(2);
    assert!(bad.stderr.contains("not a PostgreSQL URL"), "{}", bad.transcript());
}

// ---- members ------------------------------------------------------------

#[test]
fn add_member_prints_the_url_and_a_password_that_works() {
    let Some((pg, env)) = setup() else { return };
    let name = pg.role("alice");
    let run = env
        .run(&["--json", "server", "add-member", &name, "--display-name", "Alice L.", "--url", &pg.admin_url()])
        .ok()
        .json();
    assert_eq!(run["member"], name.as_str());
    assert_eq!(run["display_name"], "Alice L.");
    let url = run["url"].as_str().unwrap();
    assert!(url.starts_with(&format!("postgresql://{name}@")), "{url}");
    let password = run["password"].as_str().unwrap();
    assert!(!url.contains(password), "the URL carries the password: {url}");
    assert!(password.len() >= 20);
    let mut alice = pg.connect_as(&name, password).unwrap();
    assert_eq!(count(&mut alice, "SELECT count(*) FROM learnlog.meta WHERE key = 'schema_version'"), 1);
    // Its display name, and its limits.
    let shown: String = alice.query_one("SELECT learnlog.my_display_name()", &[]).unwrap().get(0);
    assert_eq!(shown, "Alice L.");
    let limit: i32 =
        pg.admin().query_one("SELECT rolconnlimit FROM pg_roles WHERE rolname = $1", &[&name]).unwrap().get(0);
    assert!((1..=10).contains(&limit), "connection limit {limit}");
    let timeout: String = alice.query_one("SHOW statement_timeout", &[]).unwrap().get(0);
    assert_eq!(timeout, "1min");
    // Text output shows the password once, on its own line.
    let bob = pg.role("bob");
    let text = env.run(&["server", "add-member", &bob, "--url", &pg.admin_url()]).ok();
    assert!(text.stdout.contains(&format!("url: postgresql://{bob}@")), "{}", text.stdout);
    assert_eq!(text.stdout.matches("password: ").count(), 1, "{}", text.stdout);
}

#[test]
fn add_member_takes_the_url_from_the_environment() {
    let Some(pg) = PgTest::new() else { return };
    let mut env = TestEnv::new();
    env.run(&["server", "init", &pg.admin_url()]).ok();
    env.extra_env.push(("LEARNLOG_SERVER_URL".into(), pg.admin_url()));
    let name = pg.role("carol");
    env.run_stdin(&["server", "add-member", &name, "--password-stdin"], "s3cret-Pw\n").ok();
    pg.connect_as(&name, "s3cret-Pw").unwrap();
}

#[test]
fn member_names_cannot_smuggle_sql() {
    let Some((pg, env)) = setup() else { return };
    for bad in ["x\"; DROP SCHEMA learnlog CASCADE; --", "Alice", "bob'--", "pg_signal_backend", "learnlog_member"] {
        env.run(&["server", "add-member", bad, "--url", &pg.admin_url()]).fails(2);
        env.run(&["server", "remove-member", bad, "--url", &pg.admin_url()]).fails(2);
    }
    assert_eq!(version(&pg), learnlog::server::schema::latest().to_string());
}

#[test]
fn only_learnlog_members_can_be_removed() {
    let Some((pg, env)) = setup() else { return };
    let outsider = pg.role("outsider");
    pg.admin().batch_execute(&format!("CREATE ROLE {outsider} LOGIN")).unwrap();
    let run = env.run(&["server", "remove-member", &outsider, "--url", &pg.admin_url()]).fails(2);
    assert!(run.stderr.contains("is not a learnlog member"), "{}", run.transcript());
    let taken = env.run(&["server", "add-member", &outsider, "--url", &pg.admin_url()]).fails(2);
    assert!(taken.stderr.contains("not a learnlog member"), "{}", taken.transcript());
    let exists: bool =
        pg.admin().query_one("SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = $1)", &[&outsider]).unwrap().get(0);
    assert!(exists, "a role that is not a member was dropped");
}

#[test]
fn remove_member_ends_access() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let mut open = login(&pg, &alice);
    insert_row(&mut open, Uuid::new_v4(), 1).unwrap();
    let run = env.run(&["server", "remove-member", &alice.0, "--url", &pg.admin_url()]).ok();
    assert!(run.stdout.contains(&format!("Removed member {}.", alice.0)), "{}", run.transcript());
    assert!(pg.connect_as(&alice.0, &alice.1).is_err(), "a removed member can still log in");
    // The connection that was open can no longer read or write.
    assert!(open.query("SELECT * FROM learnlog.sync_log", &[]).is_err());
    // Without --purge what the member stored stays (for the administrator).
    assert_eq!(count(&mut pg.admin(), "SELECT count(*) FROM learnlog.sync_log"), 1);
}

#[test]
fn remove_member_purge_deletes_what_the_member_stored() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let bob = add(&pg, &env, "bob");
    let (mut a, mut b) = (login(&pg, &alice), login(&pg, &bob));
    let device = Uuid::new_v4();
    for seq in 1..=3 {
        insert_row(&mut a, device, seq).unwrap();
    }
    insert_row(&mut b, Uuid::new_v4(), 1).unwrap();
    a.execute("INSERT INTO learnlog.sync_keys (nonce, sealed) VALUES ('\\x00', '\\x01')", &[]).unwrap();
    drop(a);
    let run =
        env.run(&["--json", "server", "remove-member", &alice.0, "--purge", "--url", &pg.admin_url()]).ok().json();
    assert_eq!(run["purged"]["sync_log_rows"], 3);
    assert_eq!(run["purged"]["sync_keys"], 1);
    let mut admin = pg.admin();
    let left: i64 = admin
        .query_one("SELECT count(*) FROM learnlog.sync_log WHERE owner = $1::text::name", &[&alice.0])
        .unwrap()
        .get(0);
    assert_eq!(left, 0);
    assert_eq!(count(&mut admin, "SELECT count(*) FROM learnlog.sync_keys"), 0);
    assert_eq!(count(&mut admin, "SELECT count(*) FROM learnlog.sync_log"), 1, "bob's row must stay");
}

#[test]
fn a_removed_members_leftovers_can_be_purged_later() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    insert_row(&mut login(&pg, &alice), Uuid::new_v4(), 1).unwrap();
    env.run(&["server", "remove-member", &alice.0, "--url", &pg.admin_url()]).ok();
    env.run(&["server", "remove-member", &alice.0, "--url", &pg.admin_url()]).fails(2);
    env.run(&["server", "remove-member", &alice.0, "--purge", "--url", &pg.admin_url()]).ok();
    assert_eq!(count(&mut pg.admin(), "SELECT count(*) FROM learnlog.sync_log"), 0);
}

// ---- access, with plain SQL as the members --------------------------------

#[test]
fn a_member_reads_and_appends_only_their_own_sync_log() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let bob = add(&pg, &env, "bob");
    let (mut a, mut b) = (login(&pg, &alice), login(&pg, &bob));
    let (da, db) = (Uuid::new_v4(), Uuid::new_v4());
    insert_row(&mut a, da, 1).unwrap();
    insert_row(&mut a, da, 2).unwrap();
    insert_row(&mut b, db, 1).unwrap();
    let owners = |c: &mut Client| -> Vec<String> {
        c.query("SELECT DISTINCT owner::text FROM learnlog.sync_log", &[]).unwrap().iter().map(|r| r.get(0)).collect()
    };
    assert_eq!(owners(&mut a), vec![alice.0.clone()]);
    assert_eq!(owners(&mut b), vec![bob.0.clone()]);
    assert_eq!(count(&mut a, "SELECT count(*) FROM learnlog.sync_log"), 2);
    // Asking for bob's rows by name finds nothing.
    let seen: i64 =
        a.query_one("SELECT count(*) FROM learnlog.sync_log WHERE owner = $1::text::name", &[&bob.0]).unwrap().get(0);
    assert_eq!(seen, 0);
    // Inserting as bob is refused (row-level security: 42501).
    assert_denied(a.execute(
        "INSERT INTO learnlog.sync_log (owner, device, seq, nonce, sealed) VALUES ($1::text::name, $2, 9, '\\x00', '\\x00')",
        &[&bob.0, &db],
    ));
    assert_denied(a.execute(
        "INSERT INTO learnlog.sync_keys (owner, nonce, sealed) VALUES ($1::text::name, '\\x00', '\\x00')",
        &[&bob.0],
    ));
    // The server's clock, not the member's, says when a row was pushed.
    assert_denied(a.execute(
        "INSERT INTO learnlog.sync_log (device, seq, nonce, sealed, pushed_at) VALUES ($1, 7, '\\x00', '\\x00', now() - interval '1 year')",
        &[&da],
    ));
}

#[test]
fn no_member_can_update_or_delete_a_log_row() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let mut a = login(&pg, &alice);
    let device = Uuid::new_v4();
    insert_row(&mut a, device, 1).unwrap();
    a.execute("INSERT INTO learnlog.sync_keys (nonce, sealed) VALUES ('\\x00', '\\x01')", &[]).unwrap();
    assert_denied(a.execute("UPDATE learnlog.sync_log SET sealed = '\\xff'", &[]));
    assert_denied(a.execute("DELETE FROM learnlog.sync_log", &[]));
    assert_denied(a.execute("TRUNCATE learnlog.sync_log", &[]));
    assert_denied(a.execute("UPDATE learnlog.sync_keys SET sealed = '\\xff'", &[]));
    assert_denied(a.execute("DELETE FROM learnlog.sync_keys", &[]));
    assert_denied(a.execute("UPDATE learnlog.meta SET value = '0'", &[]));
    assert_denied(a.execute("DELETE FROM learnlog.meta", &[]));
    // An upsert is an update too.
    assert_denied(a.execute(
        "INSERT INTO learnlog.sync_log (device, seq, nonce, sealed) VALUES ($1, 1, '\\x00', '\\x00')
         ON CONFLICT (owner, device, seq) DO UPDATE SET sealed = EXCLUDED.sealed",
        &[&device],
    ));
    let sealed: Vec<u8> = a.query_one("SELECT sealed FROM learnlog.sync_log", &[]).unwrap().get(0);
    assert_eq!(sealed, b"sealed 1");
    // A second key check for the same learner is refused (primary key).
    let again = a.execute("INSERT INTO learnlog.sync_keys (nonce, sealed) VALUES ('\\x02', '\\x03')", &[]);
    assert_eq!(again.unwrap_err().code(), Some(&SqlState::UNIQUE_VIOLATION));
}

#[test]
fn a_member_who_pushed_nothing_sees_no_row_but_meta() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let carol = add(&pg, &env, "carol");
    let mut a = login(&pg, &alice);
    insert_row(&mut a, Uuid::new_v4(), 1).unwrap();
    a.execute("INSERT INTO learnlog.sync_keys (nonce, sealed) VALUES ('\\x00', '\\x01')", &[]).unwrap();
    let tables: Vec<String> = pg
        .admin()
        .query("SELECT tablename::text FROM pg_tables WHERE schemaname = 'learnlog' ORDER BY 1", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert!(tables.len() >= 4, "{tables:?}");
    let mut c = login(&pg, &carol);
    for table in &tables {
        let seen = c.query_one(&format!("SELECT count(*) FROM learnlog.{table}"), &[]);
        match (table.as_str(), seen) {
            ("meta", Ok(row)) => assert!(row.get::<_, i64>(0) > 0, "meta must be readable"),
            ("meta", Err(e)) => panic!("meta must be readable: {e}"),
            (_, Ok(row)) => assert_eq!(row.get::<_, i64>(0), 0, "carol sees rows of {table}"),
            (_, Err(e)) => assert_eq!(e.code(), Some(&SqlState::INSUFFICIENT_PRIVILEGE), "{table}: {e}"),
        }
    }
}

#[test]
fn set_role_to_the_group_gains_nothing() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let mut a = login(&pg, &alice);
    insert_row(&mut a, Uuid::new_v4(), 1).unwrap();
    a.batch_execute("SET ROLE learnlog_member").unwrap();
    // Rows are a login's (session_user), whatever role is set.
    assert_eq!(count(&mut a, "SELECT count(*) FROM learnlog.sync_log WHERE owner = 'learnlog_member'"), 0);
    assert_denied(insert_row(&mut a, Uuid::new_v4(), 1));
}

#[test]
fn schema_functions_pin_their_search_path() {
    let Some((pg, _env)) = setup() else { return };
    let unpinned = count(
        &mut pg.admin(),
        "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'learnlog'
           AND NOT EXISTS (SELECT FROM unnest(coalesce(p.proconfig, '{}')) c WHERE c LIKE 'search_path=%')",
    );
    assert_eq!(unpinned, 0, "a learnlog function without a pinned search_path");
}

// ---- the sync log API, against the server -------------------------------

fn member_url(pg: &PgTest, member: &(String, String)) -> ServerUrl {
    ServerUrl::parse(&format!("{}?sslmode=disable", pg.url_with_password(&member.0, &member.1))).unwrap()
}

fn row(device: Uuid, seq: i64, body: &str) -> LogRow {
    LogRow { device, seq, nonce: vec![seq as u8; 24], sealed: body.as_bytes().to_vec() }
}

#[test]
fn push_is_idempotent_and_pull_reads_in_order() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let mut c = connect(&member_url(&pg, &alice)).unwrap();
    assert_eq!(sync_log::member(&mut c).unwrap(), alice.0);
    let (d1, d2) = (Uuid::new_v4(), Uuid::new_v4());
    let rows: Vec<LogRow> = (1..=5).map(|s| row(d1, s, &format!("one {s}"))).collect();
    assert_eq!(sync_log::push(&mut c, &rows[..3]).unwrap(), PushOutcome::Pushed { inserted: 3 });
    // A retry after a dropped connection sends some rows again.
    assert_eq!(sync_log::push(&mut c, &rows).unwrap(), PushOutcome::Pushed { inserted: 2 });
    assert_eq!(sync_log::push(&mut c, &[row(d2, 1, "two 1")]).unwrap(), PushOutcome::Pushed { inserted: 1 });
    let mut heads = sync_log::heads(&mut c).unwrap();
    heads.sort();
    let mut expected = vec![(d1, 5), (d2, 1)];
    expected.sort();
    assert_eq!(heads, expected);
    assert_eq!(sync_log::pull(&mut c, d1, 2, 2).unwrap(), rows[2..4].to_vec());
    assert_eq!(sync_log::pull(&mut c, d1, 0, 100).unwrap(), rows);
    assert!(sync_log::pull(&mut c, d1, 5, 100).unwrap().is_empty());
    let now = sync_log::server_time(&mut c).unwrap();
    assert!((chrono::Utc::now() - now).num_seconds().abs() < 60);
    assert_eq!(sync_log::devices(&mut c).unwrap().len(), 2);
}

#[test]
fn a_push_that_differs_from_what_is_stored_is_a_conflict() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let mut c = connect(&member_url(&pg, &alice)).unwrap();
    let device = Uuid::new_v4();
    sync_log::push(&mut c, &[row(device, 1, "a"), row(device, 2, "b")]).unwrap();
    // A copied database pushes other content under the same numbers.
    let copy = [row(device, 2, "b"), row(device, 3, "c"), row(device, 2, "B")];
    assert_eq!(sync_log::push(&mut c, &copy[1..]).unwrap(), PushOutcome::Conflict { seq: 2 });
    // Nothing of the conflicting push was kept.
    assert_eq!(sync_log::heads(&mut c).unwrap(), vec![(device, 2)]);
    assert_eq!(sync_log::pull(&mut c, device, 1, 10).unwrap(), vec![row(device, 2, "b")]);
}

#[test]
fn many_rows_push_in_one_transaction() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let mut c = connect(&member_url(&pg, &alice)).unwrap();
    let device = Uuid::new_v4();
    let rows: Vec<LogRow> = (1..=2500).map(|s| row(device, s, &"x".repeat(100))).collect();
    assert_eq!(sync_log::push(&mut c, &rows).unwrap(), PushOutcome::Pushed { inserted: 2500 });
    assert_eq!(sync_log::heads(&mut c).unwrap(), vec![(device, 2500)]);
    assert_eq!(sync_log::pull(&mut c, device, 2400, 1000).unwrap().len(), 100);
}

#[test]
fn the_key_check_is_set_once() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let bob = add(&pg, &env, "bob");
    let mut a = connect(&member_url(&pg, &alice)).unwrap();
    assert_eq!(sync_log::key_check(&mut a).unwrap(), None);
    sync_log::set_key_check(&mut a, b"nonce", b"sealed").unwrap();
    sync_log::set_key_check(&mut a, b"nonce", b"sealed").unwrap();
    assert!(sync_log::set_key_check(&mut a, b"other", b"sealed").is_err());
    assert_eq!(sync_log::key_check(&mut a).unwrap(), Some((b"nonce".to_vec(), b"sealed".to_vec())));
    let mut b = connect(&member_url(&pg, &bob)).unwrap();
    assert_eq!(sync_log::key_check(&mut b).unwrap(), None, "bob sees alice's key check");
}

#[test]
fn a_login_that_is_not_a_member_is_told_so() {
    let Some((pg, _env)) = setup() else { return };
    let outsider = pg.role("outsider");
    pg.admin().batch_execute(&format!("CREATE ROLE {outsider} LOGIN PASSWORD 'pw-outsider'")).unwrap();
    let url = ServerUrl::parse(&format!("{}?sslmode=disable", pg.url_with_password(&outsider, "pw-outsider"))).unwrap();
    let err = connect(&url).err().expect("not a member");
    assert!(err.to_string().contains("is not a learnlog member"), "{err:#}");
}

// ---- passwords ------------------------------------------------------------

#[test]
fn the_password_comes_from_pgpassword_or_a_private_password_file() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let url = format!("{}?sslmode=disable", pg.url_as(&alice.0));
    // No password anywhere, no terminal: refused with a hint.
    let none = env.run(&["server", "init", &url]).fails(1);
    assert!(none.stderr.contains("PGPASSWORD"), "{}", none.transcript());
    assert!(!none.stderr.contains(&alice.1));
    // PGPASSWORD. (On an up-to-date schema init changes nothing: a member
    // may run it, which shows the login worked.)
    let mut with_env = TestEnv::new();
    with_env.extra_env.push(("PGPASSWORD".into(), alice.1.clone()));
    with_env.run(&["server", "init", &url]).ok();
    // The password file, wildcards and all; ignored when others may read it.
    let file = env.path("pgpass");
    std::fs::write(&file, format!("# learnlog\n*:*:{}:{}:{}\n", pg.db, alice.0, alice.1.replace(':', "\\:"))).unwrap();
    let mut with_file = TestEnv::new();
    with_file.extra_env.push(("PGPASSFILE".into(), file.display().to_string()));
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    with_file.run(&["server", "init", &url]).ok();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let run = with_file.run(&["server", "init", &url]).fails(1);
    assert!(run.stderr.contains("chmod 600"), "{}", run.transcript());
    // A wrong password is an authentication failure with a hint.
    let mut wrong = TestEnv::new();
    wrong.extra_env.push(("PGPASSWORD".into(), "wrong".into()));
    let run = wrong.run(&["server", "init", &url]).fails(1);
    assert!(run.stderr.contains("refused the login"), "{}", run.transcript());
    assert!(run.stderr.contains("hint: "), "{}", run.transcript());
}

// ---- faults ---------------------------------------------------------------

#[test]
fn a_push_cut_midway_keeps_nothing_and_a_retry_completes() {
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let proxy = crate::common::proxy::Proxy::start(&pg.host_port());
    let url =
        ServerUrl::parse(&proxy.url(&format!("{}?sslmode=disable", pg.url_with_password(&alice.0, &alice.1)))).unwrap();
    let device = Uuid::new_v4();
    let rows: Vec<LogRow> = (1..=200).map(|s| row(device, s, &"y".repeat(500))).collect();
    let mut c = connect(&url).unwrap();
    proxy.cut_after(20_000);
    let err = sync_log::push(&mut c, &rows).expect_err("the push must fail when cut");
    assert!(format!("{err:#}").contains("connection"), "{err:#}");
    assert_eq!(proxy.cuts(), 1);
    let mut again = connect(&url).unwrap();
    assert!(sync_log::heads(&mut again).unwrap().is_empty(), "a cut push left rows behind");
    assert_eq!(sync_log::push(&mut again, &rows).unwrap(), PushOutcome::Pushed { inserted: 200 });
    assert_eq!(sync_log::push(&mut again, &rows).unwrap(), PushOutcome::Pushed { inserted: 0 });
}

// ---- TLS ------------------------------------------------------------------

/// The CA file that signed the test server's certificate (`.ci/pg-start`
/// sets LEARNLOG_TEST_PG_CA); `None` when the server has no TLS set up.
fn tls_ca() -> Option<String> {
    match std::env::var("LEARNLOG_TEST_PG_CA") {
        Ok(ca) if !ca.is_empty() => Some(ca),
        _ => {
            assert!(!ci(), "LEARNLOG_TEST_PG_CA is not set under CI=true (.ci/pg-start sets it)");
            eprintln!("note: LEARNLOG_TEST_PG_CA is not set, so this TLS test did not run");
            None
        }
    }
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn with_params(url: &str, params: &str) -> String {
    format!("{url}{}{params}", if url.contains('?') { '&' } else { '?' })
}

fn uses_tls(url: &str) -> Result<bool, String> {
    let url = ServerUrl::parse(url).map_err(|e| format!("{e:#}"))?;
    let mut c = learnlog::server::connect_raw(&url).map_err(|e| format!("{e:#}"))?;
    Ok(c.query_one("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", &[]).unwrap().get(0))
}

#[test]
fn tls_require_and_verify_full_against_the_right_and_a_wrong_ca() {
    let Some(pg) = PgTest::new() else { return };
    let Some(ca) = tls_ca() else { return };
    let wrong = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/wrong-ca.pem");
    let url = pg.admin_url();
    assert_eq!(uses_tls(&with_params(&url, "sslmode=disable")), Ok(false));
    assert_eq!(uses_tls(&with_params(&url, "sslmode=prefer")), Ok(true));
    assert_eq!(uses_tls(&with_params(&url, "sslmode=require")), Ok(true));
    assert_eq!(uses_tls(&with_params(&url, &format!("sslmode=verify-ca&sslrootcert={ca}"))), Ok(true));
    assert_eq!(uses_tls(&with_params(&url, &format!("sslmode=verify-full&sslrootcert={ca}"))), Ok(true));
    let by_name = url.replace("127.0.0.1", "localhost");
    assert_eq!(uses_tls(&with_params(&by_name, &format!("sslmode=verify-full&sslrootcert={ca}"))), Ok(true));
    // A certificate from another CA is refused, however little is checked
    // beyond the chain; plain `require` does not check it.
    for mode in ["verify-full", "verify-ca", "require"] {
        let err = uses_tls(&with_params(&url, &format!("sslmode={mode}&sslrootcert={wrong}"))).unwrap_err();
        assert!(err.contains("TLS") && err.contains("certificate"), "{mode}: {err}");
    }
    // The same through the binary: exit 1, a hint, nothing created.
    let env = TestEnv::new();
    let run =
        env.run(&["server", "init", &with_params(&url, &format!("sslmode=verify-full&sslrootcert={wrong}"))]).fails(1);
    assert!(run.stderr.contains("hint: check sslmode and sslrootcert"), "{}", run.transcript());
    let exists: bool = pg.admin().query_one("SELECT to_regclass('learnlog.meta') IS NOT NULL", &[]).unwrap().get(0);
    assert!(!exists);
    env.run(&["server", "init", &with_params(&url, &format!("sslmode=verify-full&sslrootcert={ca}"))]).ok();
    // As in libpq, `require` checks the chain when ~/.postgresql/root.crt exists.
    let home = TestEnv::new();
    std::fs::create_dir_all(home.home().join(".postgresql")).unwrap();
    std::fs::copy(wrong, home.home().join(".postgresql/root.crt")).unwrap();
    let run = home.run(&["server", "init", &with_params(&url, "sslmode=require")]).fails(1);
    assert!(run.stderr.contains("certificate"), "{}", run.transcript());
    std::fs::copy(&ca, home.home().join(".postgresql/root.crt")).unwrap();
    home.run(&["server", "init", &with_params(&url, "sslmode=require")]).ok();
}

// ---- cohorts (docs/sync.md), with plain SQL as the members --------------------

fn create_cohort(c: &mut Client, name: &str, display: &str) -> Uuid {
    c.query_one("SELECT learnlog.create_cohort($1, $2)", &[&name, &display]).unwrap().get(0)
}

fn invite(c: &mut Client, cohort: Uuid, code: &str, uses: i32) {
    c.execute("SELECT learnlog.create_invite($1, $2, $3, interval '7 days')", &[&cohort, &code, &uses]).unwrap();
}

fn join(c: &mut Client, code: &str, display: &str) -> Result<Uuid, postgres::Error> {
    c.query_one("SELECT learnlog.join_cohort($1, $2)", &[&code, &display]).map(|r| r.get(0))
}

fn publish(c: &mut Client, cohort: Uuid, member: Option<&str>, week: &str) -> Result<u64, postgres::Error> {
    let week = chrono::NaiveDate::parse_from_str(week, "%Y-%m-%d").unwrap();
    let data = serde_json::json!({"minutes": 120, "study_days": 3}).to_string();
    match member {
        None => c.execute(
            "INSERT INTO learnlog.published (cohort, week_start, data) VALUES ($1, $2, $3::text::jsonb)",
            &[&cohort, &week, &data],
        ),
        Some(m) => c.execute(
            "INSERT INTO learnlog.published (cohort, member, week_start, data) VALUES ($1, $2::text::name, $3, $4::text::jsonb)",
            &[&cohort, &m, &week, &data],
        ),
    }
}

const CODE_A: &str = "invite-code-aaaaaaaaaaaaaaaaaaaaaa";
const CODE_B: &str = "invite-code-bbbbbbbbbbbbbbbbbbbbbb";

/// Alice owns cohort "evenings" with bob and carol in it; dave owns
/// "mornings" alone. Returns the logins and the two cohorts.
struct Cohorts {
    alice: Client,
    bob: Client,
    carol: Client,
    dave: Client,
    names: [String; 4],
    evenings: Uuid,
    mornings: Uuid,
}

fn cohorts(pg: &PgTest, env: &TestEnv) -> Cohorts {
    let members = ["alice", "bob", "carol", "dave"].map(|n| add(pg, env, n));
    let [mut alice, mut bob, mut carol, mut dave] = [0, 1, 2, 3].map(|i| login(pg, &members[i]));
    let evenings = create_cohort(&mut alice, "evenings", "Alice");
    invite(&mut alice, evenings, CODE_A, 2);
    assert_eq!(join(&mut bob, CODE_A, "Bob").unwrap(), evenings);
    assert_eq!(join(&mut carol, CODE_A, "Carol").unwrap(), evenings);
    let mornings = create_cohort(&mut dave, "mornings", "Dave");
    invite(&mut dave, mornings, CODE_B, 1);
    Cohorts { alice, bob, carol, dave, names: members.map(|m| m.0), evenings, mornings }
}

#[test]
fn a_member_sees_only_the_cohorts_they_belong_to() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    publish(&mut k.alice, k.evenings, None, "2026-11-16").unwrap();
    publish(&mut k.dave, k.mornings, None, "2026-11-16").unwrap();
    let names = |c: &mut Client| -> Vec<String> {
        c.query("SELECT name FROM learnlog.cohorts ORDER BY name", &[]).unwrap().iter().map(|r| r.get(0)).collect()
    };
    assert_eq!(names(&mut k.bob), vec!["evenings"]);
    assert_eq!(names(&mut k.dave), vec!["mornings"]);
    // Not even the names of the other cohort's members, nor its data.
    assert_eq!(count(&mut k.bob, "SELECT count(*) FROM learnlog.cohort_members"), 3);
    assert_eq!(count(&mut k.dave, "SELECT count(*) FROM learnlog.cohort_members"), 1);
    assert_eq!(count(&mut k.bob, "SELECT count(*) FROM learnlog.published"), 1);
    let seen: i64 =
        k.bob.query_one("SELECT count(*) FROM learnlog.published WHERE cohort = $1", &[&k.mornings]).unwrap().get(0);
    assert_eq!(seen, 0);
    // Invites are not readable at all.
    assert_denied(k.bob.query("SELECT * FROM learnlog.invites", &[]));
    // Nobody posts into a cohort they are not in.
    assert_denied(publish(&mut k.bob, k.mornings, None, "2026-11-16"));
    assert_denied(k.bob.execute("SELECT learnlog.create_invite($1, $2, 1, interval '1 day')", &[&k.mornings, &CODE_B]));
}

#[test]
fn a_member_posts_only_as_themselves() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    let alice = k.names[0].clone();
    assert_denied(publish(&mut k.bob, k.evenings, Some(&alice), "2026-11-16"));
    publish(&mut k.alice, k.evenings, None, "2026-11-16").unwrap();
    // Nor edits or deletes another's rows (they match nothing).
    let changed = k.bob.execute("UPDATE learnlog.published SET data = '{}'", &[]).unwrap();
    assert_eq!(changed, 0);
    assert_eq!(k.bob.execute("DELETE FROM learnlog.published", &[]).unwrap(), 0);
    // The server's clock says when, not the member.
    assert_denied(k.alice.execute("UPDATE learnlog.published SET published_at = '2020-01-01'", &[]));
    let project = Uuid::new_v4();
    assert_denied(k.bob.execute(
        "INSERT INTO learnlog.review_requests (cohort, member, project, slug, title) VALUES ($1, $2::text::name, $3, 'p', 'P')",
        &[&k.evenings, &alice, &project],
    ));
    assert_denied(k.bob.execute(
        "INSERT INTO learnlog.pledges (cohort, member, pledge, version, target, unit, amount, period, horizon_days, effective_from)
         VALUES ($1, $2::text::name, $3, 1, 'ml', 'minutes', 1, 'week', 0, '2026-01-01')",
        &[&k.evenings, &alice, &project],
    ));
    // Members do not add themselves or others without an invite.
    assert_denied(k.dave.execute(
        "INSERT INTO learnlog.cohort_members (cohort, member, display_name) VALUES ($1, session_user, 'D')",
        &[&k.evenings],
    ));
}

#[test]
fn invite_codes_are_hashed_and_refused_when_unknown_used_or_expired() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    let stored: Vec<u8> = pg.admin().query_one("SELECT code_hash FROM learnlog.invites LIMIT 1", &[]).unwrap().get(0);
    assert_eq!(stored.len(), 32, "the code is kept as a SHA-256 hash");
    let texts: i64 = pg
        .admin()
        .query_one(
            "SELECT count(*) FROM learnlog.invites WHERE position($1::bytea in code_hash) > 0",
            &[&CODE_A.as_bytes()],
        )
        .unwrap()
        .get(0);
    assert_eq!(texts, 0);
    let message = |e: postgres::Error| {
        assert_eq!(e.code(), Some(&SqlState::INVALID_PARAMETER_VALUE), "{e}");
        e.as_db_error().unwrap().message().to_string()
    };
    let unknown = message(join(&mut k.dave, "invite-code-unknown-xxxxxxxxxxxx", "Dave").unwrap_err());
    // Code A had two uses, both taken.
    let used = message(join(&mut k.dave, CODE_A, "Dave").unwrap_err());
    pg.admin().execute("UPDATE learnlog.invites SET expires_at = now() - interval '1 second'", &[]).unwrap();
    let expired = message(join(&mut k.alice, CODE_B, "Alice").unwrap_err());
    assert_eq!(unknown, used);
    assert_eq!(used, expired);
    // A short code is refused when made.
    let short = k.alice.execute("SELECT learnlog.create_invite($1, 'short', 1, interval '1 day')", &[&k.evenings]);
    assert_eq!(short.unwrap_err().code(), Some(&SqlState::INVALID_PARAMETER_VALUE));
}

#[test]
fn after_leaving_a_cohort_a_member_reads_nothing_of_it() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    publish(&mut k.bob, k.evenings, None, "2026-11-16").unwrap();
    publish(&mut k.alice, k.evenings, None, "2026-11-16").unwrap();
    assert_eq!(k.bob.execute("DELETE FROM learnlog.cohort_members WHERE member = session_user", &[]).unwrap(), 1);
    for table in ["cohorts", "cohort_members", "published"] {
        assert_eq!(count(&mut k.bob, &format!("SELECT count(*) FROM learnlog.{table}")), 0, "{table}");
    }
    // What bob published left with him.
    assert_eq!(count(&mut k.alice, "SELECT count(*) FROM learnlog.published"), 1);
    // Only the owner removes another member.
    let carol = k.names[2].clone();
    let by_dave =
        k.dave.execute("DELETE FROM learnlog.cohort_members WHERE member = $1::text::name", &[&carol]).unwrap();
    assert_eq!(by_dave, 0);
    let by_alice =
        k.alice.execute("DELETE FROM learnlog.cohort_members WHERE member = $1::text::name", &[&carol]).unwrap();
    assert_eq!(by_alice, 1);
    assert_eq!(count(&mut k.carol, "SELECT count(*) FROM learnlog.cohorts"), 0);
}

fn pledge(
    c: &mut Client,
    cohort: Uuid,
    id: Uuid,
    version: i32,
    minutes_a_week: i32,
    referee: Option<&str>,
    effective_from: &str,
) -> Result<chrono::NaiveDate, postgres::Error> {
    let from = chrono::NaiveDate::parse_from_str(effective_from, "%Y-%m-%d").unwrap();
    c.query_one(
        "INSERT INTO learnlog.pledges
             (cohort, pledge, version, target, unit, amount, period, stake, referee, horizon_days, effective_from)
         VALUES ($1, $2, $3, 'ml', 'minutes', $4::int, 'week', '10 EUR', $5::text::name, 14, $6)
         RETURNING effective_from",
        &[&cohort, &id, &version, &minutes_a_week, &referee, &from],
    )
    .map(|r| r.get(0))
}

#[test]
fn an_easier_pledge_takes_effect_only_after_the_horizon_by_the_servers_clock() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    let today: chrono::NaiveDate = k.alice.query_one("SELECT (now() AT TIME ZONE 'UTC')::date", &[]).unwrap().get(0);
    let id = Uuid::new_v4();
    // The first version may carry its history.
    assert_eq!(pledge(&mut k.alice, k.evenings, id, 1, 240, None, "2026-01-05").unwrap().to_string(), "2026-01-05");
    // Easing "as of today" (or of a forged past date) is pushed past the horizon.
    let eased = pledge(&mut k.alice, k.evenings, id, 2, 60, None, "2020-01-01").unwrap();
    assert_eq!(eased, today + chrono::Days::new(14));
    // A session that sets another time zone changes nothing.
    k.alice.batch_execute("SET TimeZone = 'Pacific/Kiritimati'").unwrap();
    let stricter = pledge(&mut k.alice, k.evenings, id, 3, 300, None, "2020-01-01").unwrap();
    assert_eq!(stricter, today, "a stricter version starts no earlier than the server's date");
    // Versions are append-only: no rewriting history.
    assert_denied(k.alice.execute("UPDATE learnlog.pledges SET amount = 0", &[]));
    assert_denied(k.alice.execute("DELETE FROM learnlog.pledges", &[]));
    // Skipping a version is refused.
    assert!(pledge(&mut k.alice, k.evenings, id, 9, 10, None, "2020-01-01").is_err());
}

#[test]
fn only_the_named_referee_confirms_a_settlement() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    let [alice, bob, _carol, dave] = k.names.clone();
    let id = Uuid::new_v4();
    // A referee from outside the cohort is refused.
    assert!(pledge(&mut k.alice, k.evenings, id, 1, 240, Some(&dave), "2026-01-05").is_err());
    pledge(&mut k.alice, k.evenings, id, 1, 240, Some(&bob), "2026-01-05").unwrap();
    let period = chrono::NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
    k.alice
        .execute(
            "INSERT INTO learnlog.settlements (cohort, pledge, period_start, stake, settled_on) VALUES ($1, $2, $3, '10 EUR', $3)",
            &[&k.evenings, &id, &period],
        )
        .unwrap();
    let confirm = |c: &mut Client, referee: Option<&str>| {
        let sql = match referee {
            None => {
                "INSERT INTO learnlog.confirmations (cohort, member, pledge, period_start) VALUES ($1, $2::text::name, $3, $4)"
            }
            Some(_) => {
                "INSERT INTO learnlog.confirmations (cohort, member, pledge, period_start, referee)
                        VALUES ($1, $2::text::name, $3, $4, $5::text::name)"
            }
        };
        match referee {
            None => c.execute(sql, &[&k.evenings, &alice, &id, &period]),
            Some(r) => c.execute(sql, &[&k.evenings, &alice, &id, &period, &r]),
        }
    };
    // Carol is in the cohort, not the referee; alice is the pledger; carol
    // cannot sign as bob; dave is not even in the cohort.
    assert_denied(confirm(&mut k.carol, None));
    assert_denied(confirm(&mut k.alice, None));
    assert_denied(confirm(&mut k.carol, Some(&bob)));
    assert_denied(confirm(&mut k.dave, None));
    assert_eq!(confirm(&mut k.bob, None).unwrap(), 1);
    let by: String = k.carol.query_one("SELECT referee::text FROM learnlog.confirmations", &[]).unwrap().get(0);
    assert_eq!(by, bob);
}

#[test]
fn nobody_reviews_their_own_project_and_a_later_review_replaces() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    let alice = k.names[0].clone();
    let project = Uuid::new_v4();
    k.alice
        .execute(
            "INSERT INTO learnlog.review_requests (cohort, project, slug, title, skills) VALUES ($1, $2, 'etl', 'ETL', '{sql}')",
            &[&k.evenings, &project],
        )
        .unwrap();
    let review = |c: &mut Client, rating: i32| {
        c.execute(
            "INSERT INTO learnlog.reviews (cohort, member, project, rating, comment) VALUES ($1, $2::text::name, $3, $4, 'ok')
             ON CONFLICT (cohort, member, project, reviewer) DO UPDATE SET rating = EXCLUDED.rating, comment = EXCLUDED.comment",
            &[&k.evenings, &alice, &project, &rating],
        )
    };
    assert_denied(review(&mut k.alice, 5));
    assert_denied(review(&mut k.dave, 1));
    review(&mut k.bob, 2).unwrap();
    review(&mut k.bob, 4).unwrap();
    let rows = k.carol.query("SELECT reviewer::text, rating FROM learnlog.reviews", &[]).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].get::<_, i32>(1), 4);
    // Nobody signs a review as someone else.
    let bob = k.names[1].clone();
    assert_denied(k.carol.execute(
        "INSERT INTO learnlog.reviews (cohort, member, project, reviewer, rating, comment) VALUES ($1, $2::text::name, $3, $4::text::name, 1, 'x')",
        &[&k.evenings, &alice, &project, &bob],
    ));
    // Nor rewrites another's.
    assert_eq!(k.carol.execute("UPDATE learnlog.reviews SET rating = 1", &[]).unwrap(), 0);
}

#[test]
fn remove_member_purge_takes_the_member_out_of_every_cohort() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    publish(&mut k.bob, k.evenings, None, "2026-11-16").unwrap();
    let bob = k.names[1].clone();
    drop(k.bob);
    let run = env.run(&["--json", "server", "remove-member", &bob, "--purge", "--url", &pg.admin_url()]).ok().json();
    assert_eq!(run["purged"]["cohort_memberships"], 1);
    assert_eq!(count(&mut k.alice, "SELECT count(*) FROM learnlog.cohort_members"), 2);
    assert_eq!(count(&mut k.alice, "SELECT count(*) FROM learnlog.published"), 0);
}

#[test]
fn a_url_without_a_host_reaches_the_local_socket() {
    let Some(pg) = PgTest::new() else { return };
    let Some(socket) = std::env::var("LEARNLOG_TEST_PG_SOCKET").ok().filter(|s| !s.is_empty()) else {
        assert!(!ci(), "LEARNLOG_TEST_PG_SOCKET is not set under CI=true (.ci/pg-start sets it)");
        eprintln!("note: LEARNLOG_TEST_PG_SOCKET is not set, so this socket test did not run");
        return;
    };
    let admin = pg.admin_url();
    let user = admin.split("://").nth(1).and_then(|r| r.split(['@', ':']).next()).unwrap().to_string();
    let port = pg.host_port().rsplit(':').next().unwrap().to_string();
    let url = format!("postgresql://{user}@/{}?host={socket}&port={port}&sslmode=require", pg.db);
    let env = TestEnv::new();
    let run = env.run(&["server", "init", &url]).ok();
    assert!(run.stdout.contains(&format!("@/{}?host=", pg.db)), "{}", run.stdout);
}

/// With no password anywhere, learnlog asks on a terminal (through
/// `script`, when the system has it).
#[cfg(unix)]
#[test]
fn the_password_is_asked_on_a_terminal() {
    use std::io::Write;
    use std::process::Stdio;
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_script {
        assert!(!ci(), "`script` is missing under CI=true");
        return;
    }
    let Some((pg, env)) = setup() else { return };
    let alice = add(&pg, &env, "alice");
    let url = format!("{}?sslmode=disable", pg.url_as(&alice.0));
    let command = format!("'{}' server init '{url}'", crate::common::BIN);
    let mut cmd = env.program("script", &["-qec", &command, "/dev/null"]);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut out = child.stdout.take().unwrap();
    // Type once the prompt is up. (Whether the terminal echoes is
    // rpassword's business, and racy to observe: it turns echo off just
    // after printing the prompt.)
    let mut seen = Vec::new();
    let mut buffer = [0u8; 256];
    while !String::from_utf8_lossy(&seen).contains("Password for") {
        use std::io::Read;
        let n = out.read(&mut buffer).unwrap();
        assert!(n > 0, "no prompt: {}", String::from_utf8_lossy(&seen));
        seen.extend_from_slice(&buffer[..n]);
    }
    stdin.write_all(format!("{}\n", alice.1).as_bytes()).unwrap();
    drop(stdin);
    std::io::Read::read_to_end(&mut out, &mut seen).unwrap();
    assert!(child.wait().unwrap().success());
    let stdout = String::from_utf8_lossy(&seen);
    assert!(stdout.contains(&format!("Password for {} at ", alice.0)), "{stdout}");
    assert!(stdout.contains("is up to date"), "{stdout}");
}

/// A hosted PostgreSQL gives no superuser: an owner with CREATEROLE runs
/// everything, and row security (forced on the tables it owns) lets it.
#[test]
fn an_administrator_who_is_not_a_superuser_runs_everything() {
    let Some(pg) = PgTest::new() else { return };
    let env = TestEnv::new();
    let owner = pg.role("owner");
    let mut superuser = pg.admin();
    superuser
        .batch_execute(&format!(
            "DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'learnlog_member') THEN
                     CREATE ROLE learnlog_member NOLOGIN;
                 END IF;
             EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
             END $$;
             CREATE ROLE {owner} LOGIN CREATEROLE PASSWORD 'pw-owner';
             GRANT CREATE ON DATABASE {db} TO {owner};
             GRANT learnlog_member TO {owner} WITH ADMIN OPTION;",
            db = pg.db
        ))
        .unwrap();
    let url = format!("{}?sslmode=disable", pg.url_with_password(&owner, "pw-owner"));
    env.run(&["server", "init", &url]).ok();
    assert_eq!(version(&pg), learnlog::server::schema::latest().to_string());
    let tables_owner: String = superuser
        .query_one(
            "SELECT tableowner::text FROM pg_tables WHERE schemaname = 'learnlog' AND tablename = 'sync_log'",
            &[],
        )
        .unwrap()
        .get(0);
    assert_eq!(tables_owner, owner);
    let alice = pg.role("alice");
    env.run_stdin(&["server", "add-member", &alice, "--password-stdin", "--url", &url], "pw-alice\n").ok();
    let mut a = pg.connect_as(&alice, "pw-alice").unwrap();
    insert_row(&mut a, Uuid::new_v4(), 1).unwrap();
    let other = pg.role("bob");
    env.run_stdin(&["server", "add-member", &other, "--password-stdin", "--url", &url], "pw-bob\n").ok();
    // The owner's own view goes through its policies (FORCE): it sees all.
    let mut as_owner = pg.connect_as(&owner, "pw-owner").unwrap();
    assert_eq!(count(&mut as_owner, "SELECT count(*) FROM learnlog.sync_log"), 1);
    drop(a);
    let run = env.run(&["--json", "server", "remove-member", &alice, "--purge", "--url", &url]).ok().json();
    assert_eq!(run["purged"]["sync_log_rows"], 1);
    assert_eq!(count(&mut superuser, "SELECT count(*) FROM learnlog.sync_log"), 0);
    // Bob, a member, is no administrator for all that.
    let mut b = pg.connect_as(&other, "pw-bob").unwrap();
    assert_denied(b.query("SELECT * FROM learnlog.members", &[]));
    assert_eq!(count(&mut b, "SELECT count(*) FROM learnlog.sync_log"), 0);
}

#[test]
fn require_against_a_server_without_tls_says_so() {
    // A stand-in server that answers the TLS request with "no".
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        use std::io::{Read, Write};
        if let Ok((mut stream, _)) = listener.accept() {
            let mut request = [0u8; 8];
            let _ = stream.read_exact(&mut request);
            let _ = stream.write_all(b"N");
            let mut rest = [0u8; 64];
            let _ = stream.read(&mut rest);
        }
    });
    let env = TestEnv::new();
    let run = env.run(&["server", "init", &format!("postgresql://x:y@127.0.0.1:{port}/db?sslmode=require")]).fails(1);
    assert!(run.stderr.contains("does not offer TLS"), "{}", run.transcript());
    assert!(run.stderr.contains("hint: turn `ssl = on`"), "{}", run.transcript());
}

// ---- the cohort API, as members ---------------------------------------------

#[test]
fn the_cohort_api_round_trip() {
    use learnlog::server::cohorts::{self, PledgeVersion, ReviewRequest};
    let Some((pg, env)) = setup() else { return };
    let [a, b, d] = ["alice", "bob", "dave"].map(|n| add(&pg, &env, n));
    let [mut alice, mut bob, mut dave] = [&a, &b, &d].map(|m| connect(&member_url(&pg, m)).unwrap());
    let id = cohorts::create(&mut alice, "evenings", "Alice").unwrap();
    assert!(cohorts::create(&mut alice, "evenings", "Alice").is_err(), "a second cohort of the same name");
    let (code, expires) = cohorts::invite(&mut alice, id, 1, std::time::Duration::from_secs(7 * 86400)).unwrap();
    assert!(code.len() >= 22);
    assert!(expires > chrono::Utc::now() + chrono::Duration::days(6));
    assert_eq!(cohorts::join(&mut bob, &code, "Bob").unwrap(), id);
    // A used code: a user error (exit 2) that names no cohort.
    let used = cohorts::join(&mut dave, &code, "Dave").unwrap_err();
    assert!(
        used.downcast_ref::<learnlog::error::Error>().is_some_and(|e| e.kind == learnlog::error::ErrorKind::Usage),
        "{used:#}"
    );
    assert!(!format!("{used:#}").contains("evenings"));
    assert_eq!(cohorts::find(&mut bob, "evenings").unwrap().id, id);
    assert!(cohorts::find(&mut dave, "evenings").is_err());
    let names: Vec<String> = cohorts::members(&mut bob, id).unwrap().into_iter().map(|m| m.display_name).collect();
    assert_eq!(names, vec!["Alice", "Bob"]);
    // Weekly data: republishing replaces.
    let week = chrono::NaiveDate::from_ymd_opt(2026, 11, 16).unwrap();
    cohorts::publish_week(&mut bob, id, week, &serde_json::json!({"minutes": 60})).unwrap();
    cohorts::publish_week(&mut bob, id, week, &serde_json::json!({"minutes": 90})).unwrap();
    let board = cohorts::published(&mut alice, id, week, week).unwrap();
    assert_eq!(board.len(), 1);
    assert_eq!(board[0].data["minutes"], 90);
    // Pledges: versions numbered by the server, dates refereed by it.
    let pledge = uuid::Uuid::new_v4();
    let mut version = PledgeVersion {
        member: String::new(),
        pledge,
        version: 0,
        target: "ml".into(),
        unit: "minutes".into(),
        amount: 240.0,
        period: "week".into(),
        stake: Some("10 EUR".into()),
        referee: Some(a.0.clone()),
        horizon_days: 7,
        effective_from: chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap(),
    };
    cohorts::publish_pledge(&mut bob, id, &version).unwrap();
    version.amount = 30.0;
    let eased = cohorts::publish_pledge(&mut bob, id, &version).unwrap();
    assert!(eased >= chrono::Utc::now().date_naive() + chrono::Days::new(6), "{eased}");
    let versions = cohorts::pledges(&mut alice, id).unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2]);
    // Settlement, confirmed by the named referee only.
    let period = chrono::NaiveDate::from_ymd_opt(2026, 11, 9).unwrap();
    cohorts::settle(&mut bob, id, pledge, period, "10 EUR", period).unwrap();
    cohorts::confirm(&mut alice, id, &b.0, pledge, period, Some("seen the receipt")).unwrap();
    // Reviews.
    let project = uuid::Uuid::new_v4();
    let request = ReviewRequest {
        member: String::new(),
        project,
        slug: "etl".into(),
        title: "ETL".into(),
        url: Some("https://example.org/etl".into()),
        description: None,
        skills: vec!["sql".into()],
        note: None,
    };
    cohorts::request_review(&mut bob, id, &request).unwrap();
    assert_eq!(cohorts::review_requests(&mut alice, id).unwrap()[0].skills, vec!["sql"]);
    let own = cohorts::review(&mut bob, id, &b.0, project, 5, "mine").unwrap_err();
    assert!(
        own.downcast_ref::<learnlog::error::Error>().is_some_and(|e| e.kind == learnlog::error::ErrorKind::Usage),
        "{own:#}"
    );
    cohorts::review(&mut alice, id, &b.0, project, 3, "ok").unwrap();
    cohorts::review(&mut alice, id, &b.0, project, 4, "better").unwrap();
    let got = cohorts::reviews(&mut bob, id, true).unwrap();
    assert_eq!((got.len(), got[0].rating, got[0].comment.as_str()), (1, 4, "better"));
    // The owner removes; a member leaves; nobody else removes anyone.
    assert!(cohorts::remove(&mut bob, id, &a.0).is_err());
    assert!(cohorts::leave(&mut bob, id).unwrap());
    assert!(cohorts::list(&mut bob).unwrap().is_empty());
    assert!(cohorts::published(&mut alice, id, week, week).unwrap().is_empty());
}

#[test]
fn published_weeks_are_marked_late_by_the_servers_clock_and_never_from_the_future() {
    let Some((pg, env)) = setup() else { return };
    let mut k = cohorts(&pg, &env);
    let today: chrono::NaiveDate = k.alice.query_one("SELECT (now() AT TIME ZONE 'UTC')::date", &[]).unwrap().get(0);
    let week = |days: i64| (today + chrono::Duration::days(days)).to_string();
    // A week the server's date has not reached is refused.
    let future = publish(&mut k.bob, k.evenings, None, &week(9));
    assert_eq!(future.unwrap_err().code(), Some(&SqlState::INVALID_PARAMETER_VALUE));
    // Bob joined long ago (as the administrator records it): a week that
    // closed since then and arrives now is late; the current week is not.
    pg.admin()
        .execute(
            "UPDATE learnlog.cohort_members SET joined_at = now() - interval '60 days' WHERE display_name = 'Bob'",
            &[],
        )
        .unwrap();
    publish(&mut k.bob, k.evenings, None, &week(-30)).unwrap();
    publish(&mut k.bob, k.evenings, None, &week(0)).unwrap();
    // Carol joined today: older weeks are history, not late.
    publish(&mut k.carol, k.evenings, None, &week(-30)).unwrap();
    let late: Vec<(String, bool)> = k
        .alice
        .query("SELECT display_name, p.late FROM learnlog.published p JOIN learnlog.cohort_members m USING (cohort, member) ORDER BY display_name, week_start", &[])
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(late, [("Bob".to_string(), true), ("Bob".to_string(), false), ("Carol".to_string(), false)]);
    // No member sets or clears the mark.
    assert_denied(k.bob.execute("UPDATE learnlog.published SET late = false", &[]));
    assert_denied(k.carol.execute(
        "INSERT INTO learnlog.published (cohort, week_start, data, late) VALUES ($1, $2, '{}', true)",
        &[&k.evenings, &today],
    ));
}

#[test]
fn two_inits_at_once_both_succeed() {
    let Some(pg) = PgTest::new() else { return };
    let env = TestEnv::new();
    let url = pg.admin_url();
    let children: Vec<_> = (0..3)
        .map(|_| {
            env.command(&["--json", "server", "init", &url])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        applied += json["applied"].as_array().unwrap().len();
    }
    assert_eq!(applied as i64, learnlog::server::schema::latest(), "each migration ran exactly once");
    assert_eq!(version(&pg), learnlog::server::schema::latest().to_string());
}
