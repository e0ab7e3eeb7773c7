#!/usr/bin/env bash
# Sync against a real PostgreSQL on this machine (the targets of docs/sync.md):
#
#   bench/sync.sh [SESSIONS]        # default 100000
#
# Uses LEARNLOG_TEST_PG_URL (a superuser's URL) when set; otherwise runs
# itself under .ci/pg-start, which starts a throwaway cluster. It builds the
# release binary and the history generator, writes a history of SESSIONS
# sessions, and measures:
#   - the first sync of that history (setup + push), once, wall time;
#   - pulling it onto an empty device (setup --key + sync), once;
#   - `sync` with nothing to do (hyperfine median);
#   - a check-in with and without sync set up (120 of each, one a day on
#     copies of the history, alternating), their ratio, and the pages each
#     writes to the WAL.
# Prints a Markdown table, also written to bench/sync-results.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SESSIONS=${1:-100000}
if [[ -z ${LEARNLOG_TEST_PG_URL:-} ]]; then
    exec "$ROOT/.ci/pg-start" "$0" "$@"
fi
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

cargo build --release --locked --manifest-path "$ROOT/Cargo.toml" --bin learnlog --example bench_history >&2
L=$ROOT/target/release/learnlog
GEN=$ROOT/target/release/examples/bench_history
WORK=$(mktemp -d "${TMPDIR:-/tmp}/learnlog-sync-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
export TZ=UTC LEARNLOG_NOW=2026-11-23T19:30:00Z HOME=$WORK/home
mkdir -p "$HOME"

# A database and a member of our own on the cluster.
ADMIN_BASE=${LEARNLOG_TEST_PG_URL%/*}
ADMIN_DB=$(psql "$LEARNLOG_TEST_PG_URL" -Atc "SELECT 'll_bench_' || floor(random() * 1e9)::bigint")
psql "$LEARNLOG_TEST_PG_URL" -qc "CREATE DATABASE $ADMIN_DB" >/dev/null
ADMIN=$ADMIN_BASE/$ADMIN_DB
MEMBER=bench_$RANDOM
cleanup() {
    psql "$LEARNLOG_TEST_PG_URL" -qc "DROP DATABASE IF EXISTS $ADMIN_DB" >/dev/null 2>&1 || true
    psql "$LEARNLOG_TEST_PG_URL" -qc "DROP ROLE IF EXISTS $MEMBER" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
"$L" server init "$ADMIN" -q
member_json=$("$L" --json server add-member "$MEMBER" --url "$ADMIN")
URL=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["url"])' <<<"$member_json")
export PGPASSWORD
PGPASSWORD=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["password"])' <<<"$member_json")

"$GEN" --sessions "$SESSIONS" --years 5 --db "$WORK/history.db" >&2

seconds() { python3 -c 'import time; print(time.monotonic())'; }
elapsed() { python3 -c "print(f'{($2 - $1):.2f} s')"; }

# Device A: the whole history, first sync.
mkdir -p "$WORK/a" "$WORK/b"
: >"$WORK/a/config.toml"
: >"$WORK/b/config.toml"
cp "$WORK/history.db" "$WORK/a/learnlog.db"
export LEARNLOG_DB=$WORK/a/learnlog.db LEARNLOG_CONFIG=$WORK/a/config.toml
start=$(seconds)
"$L" sync setup "$URL" -q >"$WORK/a/setup.out"
"$L" sync -q
first=$(elapsed "$start" "$(seconds)")
KEY_FILE=$WORK/a/learnlog.sync-key

# Device B: empty, pulls everything.
export LEARNLOG_DB=$WORK/b/learnlog.db LEARNLOG_CONFIG=$WORK/b/config.toml
start=$(seconds)
"$L" sync setup "$URL" --key-file "$KEY_FILE" -q
"$L" sync -q
pull=$(elapsed "$start" "$(seconds)")
sessions_b=$("$L" --json export | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["sessions"]))')

median() { python3 -c 'import json,sys; m = json.load(open(sys.argv[1]))["results"][0]["median"]; print(f"{m * 1000:.1f}")' "$1"; }

# Nothing to do.
hyperfine -N --warmup 3 --runs 30 --style none --export-json "$WORK/noop.json" "$L sync -q" >/dev/null
noop=$(median "$WORK/noop.json")

# Check-ins with and without sync set up, as a learner makes them: one a
# day on the same file, each copy made and synced to disk once, the two
# alternating run by run (so a machine that slows down midway weighs on
# both alike). Restoring a 100 MB copy before every run measured the disk
# writing that copy back more than learnlog: the synced file (the history
# and its change log) with capture turned off, running the same
# instructions, came out 1.16-1.25x slower than the history alone.
(cd "$WORK/a" && sqlite3 "$WORK/a/learnlog.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null 2>&1 || true)
cp "$WORK/history.db" "$WORK/plain.db"
cp "$WORK/a/learnlog.db" "$WORK/synced.db"
unset LEARNLOG_CONFIG
read -r plain synced plain_frames synced_frames < <(python3 - "$L" "$WORK" <<'PY'
import datetime, os, shutil, statistics, subprocess, sys, time

learnlog, work = sys.argv[1], sys.argv[2]
names = ("plain", "synced")

def fresh(name):
    run = f"{work}/run-{name}.db"
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(run + suffix):
            os.remove(run + suffix)
    shutil.copyfile(f"{work}/{name}.db", run)
    return run

def checkin(run, day):
    env = dict(os.environ, LEARNLOG_DB=run, LEARNLOG_NOW=f"{day}T19:30:00Z")
    start = time.perf_counter()
    subprocess.run([learnlog, "checkin", "algorithms", "30m", "-q"], env=env, check=True)
    return time.perf_counter() - start

def wal_pages(run):
    page = int.from_bytes(open(run, "rb").read(18)[16:18], "big")
    return (os.path.getsize(run + "-wal") - 32) // (page + 24)

# What the one fsync of each pays for: the pages one check-in writes to the WAL.
first_day = datetime.date(2026, 11, 24)
pages = {}
for name in names:
    run = fresh(name)
    checkin(run, first_day)
    pages[name] = wal_pages(run)

runs = {name: fresh(name) for name in names}
os.sync()
times = {name: [] for name in names}
for i in range(125):
    day = first_day + datetime.timedelta(days=i)
    for name in names if i % 2 == 0 else names[::-1]:
        elapsed = checkin(runs[name], day)
        if i >= 5:  # warm-up
            times[name].append(elapsed)
plain, synced = (statistics.median(times[name]) * 1000 for name in names)
print(f"{plain:.2f} {synced:.2f} {pages['plain']} {pages['synced']}")
PY
)
ratio=$(python3 -c "print(f'{$synced / $plain:.2f}')")

table=$(cat <<EOF
| sync at $SESSIONS sessions ($(date -u +%F), $(nproc) cores, loopback) | measured | target (docs/sync.md) |
|---|---:|---|
| first sync of the history (setup + push) | $first | ≤ 15 s |
| pull onto an empty device (setup + sync; $sessions_b sessions arrived) | $pull | ≤ 15 s |
| \`sync\` with nothing to do (median) | $noop ms | ≤ 30 ms |
| check-in without sync set up (median; pages written to the WAL) | $plain ms ($plain_frames pages) | – |
| check-in with sync set up (median; pages written to the WAL) | $synced ms ($synced_frames pages) | ≤ 1.1× without: **${ratio}×** |
EOF
)
printf '%s\n' "$table" | tee "$ROOT/bench/sync-results.md"
