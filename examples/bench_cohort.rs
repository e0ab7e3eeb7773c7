//! Times `learnlog cohort board --offline` against SYNC.md §3's target:
//! 50 members × 10 shared pledges × 52 weeks, a server on the same machine,
//! ≤ 150 ms.
//!
//! ```sh
//! cargo build --release
//! LEARNLOG_TEST_PG_URL=postgresql://ADMIN:PW@127.0.0.1:5432/postgres \
//!     cargo run --release --example bench_cohort -- [--bin target/release/learnlog] [--runs 20]
//! ```
//!
//! It makes a throwaway database `ll_bench_<random>`, runs `server init` on
//! it, fills one cohort as the administrator (the members' weekly documents
//! shaped as `cohort share` publishes them, every pledge with two versions,
//! a settlement a week per member), adds one real login who reads the
//! board, prints the median and the slowest run, and drops the database.

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::Duration as Days;
use postgres::{Client, NoTls};
use serde_json::json;
use uuid::Uuid;

const MEMBERS: usize = 50;
const PLEDGES: usize = 10;
const WEEKS: i64 = 52;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn with_db(url: &str, db: &str) -> String {
    let (head, query) = url.split_once('?').map_or((url, None), |(h, q)| (h, Some(q)));
    let base = head.rsplit_once('/').map_or(head, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{db}?{q}"),
        None => format!("{base}/{db}"),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let admin_url = std::env::var("LEARNLOG_TEST_PG_URL").map_err(|_| "set LEARNLOG_TEST_PG_URL (an admin URL)")?;
    let bin = arg("--bin").unwrap_or_else(|| "target/release/learnlog".into());
    let runs: usize = arg("--runs").and_then(|r| r.parse().ok()).unwrap_or(20);
    let suffix = Uuid::new_v4().simple().to_string()[..10].to_string();
    let db = format!("ll_bench_{suffix}");
    let mut base = Client::connect(&admin_url, NoTls)?;
    base.batch_execute(&format!("CREATE DATABASE {db}"))?;
    let result = run(&admin_url, &db, &suffix, &bin, runs);
    let viewer = format!("viewer_{suffix}");
    base.batch_execute(&format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"))?;
    base.batch_execute(&format!("DROP ROLE IF EXISTS {viewer}"))?;
    result
}

fn run(admin_url: &str, db: &str, suffix: &str, bin: &str, runs: usize) -> Result<(), Box<dyn std::error::Error>> {
    let url = with_db(admin_url, db);
    let status = Command::new(bin).args(["-q", "server", "init", &url]).status()?;
    if !status.success() {
        return Err("server init failed".into());
    }
    let viewer = format!("viewer_{suffix}");
    let password = format!("pw-{suffix}");
    let mut admin = Client::connect(&url, NoTls)?;
    admin.batch_execute(&format!(
        "CREATE ROLE {viewer} LOGIN PASSWORD '{password}' IN ROLE learnlog_member; GRANT CONNECT ON DATABASE {db} TO {viewer}"
    ))?;
    let fill = Instant::now();
    let mut tx = admin.transaction()?;
    let cohort: Uuid = tx
        .query_one(
            "INSERT INTO learnlog.cohorts (name, owner) VALUES ('bench', $1::text::name) RETURNING id",
            &[&viewer],
        )?
        .get(0);
    let members: Vec<String> =
        (0..MEMBERS).map(|i| if i == 0 { viewer.clone() } else { format!("m{i:02}_{suffix}") }).collect();
    for (i, m) in members.iter().enumerate() {
        tx.execute(
            "INSERT INTO learnlog.cohort_members (cohort, member, display_name) VALUES ($1, $2::text::name, $3)",
            &[&cohort, m, &format!("Member {i:02}")],
        )?;
    }
    let today = chrono::Utc::now().date_naive();
    let this_week = today - Days::days(i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
    let first = this_week - Days::weeks(WEEKS);
    let insert_week = tx.prepare(
        "INSERT INTO learnlog.published (cohort, member, week_start, data) VALUES ($1, $2::text::name, $3, $4::text::jsonb)",
    )?;
    let insert_pledge = tx.prepare(
        "INSERT INTO learnlog.pledges (cohort, member, pledge, version, target, unit, amount, period, stake, referee,
                                       horizon_days, effective_from)
         VALUES ($1, $2::text::name, $3, $4, $5, 'minutes', $6::float8::numeric, 'week', '5 EUR', $7::text::name, 7, $8)",
    )?;
    let insert_settlement = tx.prepare(
        "INSERT INTO learnlog.settlements (cohort, member, pledge, period_start, stake, settled_on)
         VALUES ($1, $2::text::name, $3, $4, '5 EUR', $4)",
    )?;
    for (i, m) in members.iter().enumerate() {
        let pledges: Vec<Uuid> = (0..PLEDGES).map(|_| Uuid::new_v4()).collect();
        let referee = members[(i + 1) % MEMBERS].clone();
        for (p, id) in pledges.iter().enumerate() {
            let target = format!("course-{p}");
            tx.execute(&insert_pledge, &[&cohort, m, id, &1i32, &target, &120f64, &referee, &first])?;
            tx.execute(
                &insert_pledge,
                &[&cohort, m, id, &2i32, &target, &150f64, &referee, &(first + Days::weeks(20))],
            )?;
        }
        let mut week = first;
        let mut n = 0i64;
        while week <= this_week {
            let judged: Vec<serde_json::Value> = pledges
                .iter()
                .enumerate()
                .map(|(p, id)| {
                    let done = (n * 37 + p as i64 * 11 + i as i64 * 5) % 200;
                    json!({"pledge": id.to_string(), "start": week.to_string(), "end": (week + Days::days(6)).to_string(),
                           "rate_amount": 120, "target": 120, "done": done,
                           "verdict": if done >= 120 { "kept" } else { "missed" }, "closed": week < this_week})
                })
                .collect();
            let doc = json!({
                "judged": {"minutes": 300 + n, "study_days": 4, "units": 2, "pledges": judged, "ended": []},
                "asof": {"date": (week + Days::days(6)).min(today).to_string(), "streak": {"current": n, "longest": n},
                         "last_study_day": week.to_string(),
                         "debts": [{"number": 1, "pledge": pledges[0].to_string(), "period_start": week.to_string(),
                                    "stake": "5 EUR", "settled_on": week.to_string()}],
                         "pledges": pledges.iter().map(Uuid::to_string).collect::<Vec<_>>()},
            });
            tx.execute(&insert_week, &[&cohort, m, &week, &doc.to_string()])?;
            tx.execute(&insert_settlement, &[&cohort, m, &pledges[0], &week])?;
            week += Days::weeks(1);
            n += 1;
        }
    }
    drop(insert_week);
    tx.commit()?;
    admin.batch_execute("ANALYZE")?;
    eprintln!("filled in {:.1} s", fill.elapsed().as_secs_f64());

    let home = std::env::temp_dir().join(format!("ll_bench_{suffix}"));
    std::fs::create_dir_all(&home)?;
    let config = home.join("config.toml");
    let member_url = format!("{}?sslmode=disable", with_db(&url_as(admin_url, &viewer, &password), db));
    std::fs::write(&config, format!("[sync]\nurl = \"{member_url}\"\n"))?;
    let board = || -> Result<Duration, Box<dyn std::error::Error>> {
        let start = Instant::now();
        let out = Command::new(bin)
            .args(["--json", "cohort", "board", "bench", "--offline"])
            .env("LEARNLOG_CONFIG", &config)
            .env("LEARNLOG_DB", home.join("learnlog.db"))
            .output()?;
        let took = start.elapsed();
        if !out.status.success() {
            return Err(format!("board failed: {}", String::from_utf8_lossy(&out.stderr)).into());
        }
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout)?;
        let rows = doc["members"].as_array().map_or(0, Vec::len);
        if rows != MEMBERS || doc["members"][0]["pledges"].as_array().map_or(0, Vec::len) != PLEDGES {
            return Err(format!("the board has {rows} rows").into());
        }
        Ok(took)
    };
    board()?; // warm the server's caches
    let mut times: Vec<Duration> = (0..runs).map(|_| board()).collect::<Result<_, _>>()?;
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "cohort board --offline, {MEMBERS} members x {PLEDGES} pledges x {WEEKS} weeks: median {:.1} ms, max {:.1} ms ({runs} runs; target <= 150 ms)",
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1])
    );
    std::fs::remove_dir_all(&home).ok();
    Ok(())
}

fn url_as(url: &str, user: &str, password: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgresql", url));
    let host = rest.split_once('@').map_or(rest, |(_, h)| h);
    format!("{scheme}://{user}:{password}@{host}")
}
