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
#   - a check-in on a copy of the history with and without sync set up
#     (hyperfine, the copy restored before every run, the two interleaved
#     in rounds), their ratio, and the pages each writes to the WAL.
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

# Check-ins with and without sync set up, on copies restored before every run.
cp "$WORK/history.db" "$WORK/plain.db"
cp "$WORK/a/learnlog.db" "$WORK/synced.db"
# The copies are synced to disk before the measured run: otherwise its one
# fsync would also pay for writing them (ext4 commits them together).
cat >"$WORK/reset.sh" <<EOF
cp "$WORK/plain.db" "$WORK/run-plain.db"; rm -f "$WORK/run-plain.db-wal" "$WORK/run-plain.db-shm"
cp "$WORK/synced.db" "$WORK/run-synced.db"; rm -f "$WORK/run-synced.db-wal" "$WORK/run-synced.db-shm"
sync "$WORK/run-plain.db" "$WORK/run-synced.db"
EOF
(cd "$WORK/a" && sqlite3 "$WORK/a/learnlog.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null 2>&1 || true)
cp "$WORK/a/learnlog.db" "$WORK/synced.db"
unset LEARNLOG_CONFIG
# Four rounds of 15 runs each, the order of the two swapped every round, so
# a machine that slows down or speeds up midway weighs on both alike; the
# medians are over all 60 runs of each.
plain_cmd="env LEARNLOG_DB=$WORK/run-plain.db $L checkin algorithms 30m -q"
synced_cmd="env LEARNLOG_DB=$WORK/run-synced.db $L checkin algorithms 30m -q"
for round in 1 2 3 4; do
    if (( round % 2 )); then pair=("$plain_cmd" "$synced_cmd"); else pair=("$synced_cmd" "$plain_cmd"); fi
    hyperfine -N --warmup 3 --runs 15 --prepare "bash $WORK/reset.sh" --style none \
        --export-json "$WORK/checkin-$round.json" "${pair[@]}" >/dev/null
done
read -r plain synced < <(python3 - "$WORK"/checkin-*.json <<'PY'
import json, statistics, sys
times = {}
for path in sys.argv[1:]:
    for result in json.load(open(path))["results"]:
        synced = "run-synced.db" in result["command"]
        times.setdefault(synced, []).extend(result["times"])
print(f"{statistics.median(times[False]) * 1000:.2f} {statistics.median(times[True]) * 1000:.2f}")
PY
)
# What the one fsync of each pays for: the pages a check-in writes to the WAL.
frames() {
    bash "$WORK/reset.sh"
    env LEARNLOG_DB="$WORK/run-$1.db" "$L" checkin algorithms 30m -q
    python3 -c 'import os, sys
page = int.from_bytes(open(sys.argv[1], "rb").read(18)[16:18], "big")
print((os.path.getsize(sys.argv[1] + "-wal") - 32) // (page + 24))' "$WORK/run-$1.db"
}
plain_frames=$(frames plain)
synced_frames=$(frames synced)
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
