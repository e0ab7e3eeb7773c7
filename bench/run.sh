#!/usr/bin/env bash
# learnlog's performance harness. One command:
#
#   bench/run.sh [--quick]
#
# It installs what it needs (hyperfine and GNU time from apt; the peers into
# bench/.peers/), builds learnlog, its history generator and the floor
# program, writes the same deterministic history of 10,000 and 100,000
# sessions over five years for learnlog and for each peer, times the
# commands with hyperfine, takes peak memory with /usr/bin/time -v, and
# prints a Markdown table, also written to bench/results.md.
#
#   --quick      fewer runs, peers at 100,000 sessions only (about 2 minutes)
#   BENCH_KEEP=1 keep the work directory (databases, peers' data, raw JSON)
#
# Check-ins (and the peers' equivalents) run on a copy of the data that
# hyperfine's --prepare restores before every run, so each run sees exactly
# N sessions: a check-in's time can then be compared across sizes.
# Everything runs with TZ=UTC and learnlog's clock pinned at
# LEARNLOG_NOW=2026-11-23T19:30:00Z, the last day of the history.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=$ROOT/bench
PEERS=$BENCH/.peers
NOW=2026-11-23T19:30:00Z
YEARS=5
SIZES=(10000 100000)

QUICK=0
for arg in "$@"; do
    case $arg in
        --quick) QUICK=1 ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "bench/run.sh: unknown argument '$arg' (try --help)" >&2
            exit 2
            ;;
    esac
done
if ((QUICK)); then PEER_SIZES=(100000); else PEER_SIZES=("${SIZES[@]}"); fi

say() { printf '\n== %s\n' "$*" >&2; }
note() { printf '   %s\n' "$*" >&2; }
die() {
    printf 'bench/run.sh: %s\n' "$*" >&2
    exit 1
}

# ---- tools -----------------------------------------------------------------

APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null || return 1
    local sudo=()
    if ((EUID != 0)); then
        command -v sudo >/dev/null || return 1
        sudo=(sudo -n)
    fi
    if ((!APT_UPDATED)); then
        "${sudo[@]}" apt-get update -q >/dev/null 2>&1 || true
        APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -q "$@" >"$PEERS/apt-$1.log" 2>&1
}

mkdir -p "$PEERS"
say "tools"
command -v hyperfine >/dev/null || apt_install hyperfine || die "hyperfine is required (apt-get install hyperfine)"
[[ -x /usr/bin/time ]] || apt_install time || die "GNU time is required at /usr/bin/time (apt-get install time)"
command -v python3 >/dev/null || apt_install python3 || die "python3 is required for the summary"
note "$(hyperfine --version), GNU time at /usr/bin/time"

say "build (release)"
cd "$ROOT"
cargo build --release --locked --bin learnlog >&2
cargo build --release --locked --example bench_history >&2
# The floor shares the main target directory: the bundled SQLite is built once.
cargo build --release --locked --manifest-path "$BENCH/floor/Cargo.toml" --target-dir "$ROOT/target" >&2
LEARNLOG=$ROOT/target/release/learnlog
GENERATE=$ROOT/target/release/examples/bench_history
FLOOR=$ROOT/target/release/learnlog-bench-floor

EATMYDATA=$(ls /usr/lib/*/libeatmydata.so* 2>/dev/null | head -1 || true)
if [[ -z $EATMYDATA ]] && apt_install eatmydata; then EATMYDATA=$(ls /usr/lib/*/libeatmydata.so* 2>/dev/null | head -1 || true); fi
[[ -n $EATMYDATA ]] && note "libeatmydata: $EATMYDATA" || note "libeatmydata: skipped (no check-in without fsync)"

say "peers (installed into bench/.peers/ where not on the system)"
TIMEW=$(command -v timew || true)
if [[ -z $TIMEW ]] && apt_install timewarrior; then TIMEW=$(command -v timew || true); fi
[[ -n $TIMEW ]] && note "Timewarrior $($TIMEW --version)" || note "Timewarrior: skipped (apt-get install timewarrior failed; see $PEERS/apt-timewarrior.log)"

TASK=$(command -v task || true)
if [[ -z $TASK ]] && apt_install taskwarrior; then TASK=$(command -v task || true); fi
[[ -n $TASK ]] && note "Taskwarrior $($TASK --version)" || note "Taskwarrior: skipped (apt-get install taskwarrior failed; see $PEERS/apt-taskwarrior.log)"

WATSON=$PEERS/venv/bin/watson
if [[ ! -x $WATSON ]]; then
    { python3 -m venv "$PEERS/venv" || { apt_install python3-venv && python3 -m venv "$PEERS/venv"; }; } >"$PEERS/pip-watson.log" 2>&1 &&
        "$PEERS/venv/bin/pip" install -q td-watson >>"$PEERS/pip-watson.log" 2>&1 || true
fi
[[ -x $WATSON ]] && note "Watson $("$WATSON" --version | awk '{print $NF}')" || {
    note "Watson: skipped (venv + pip install td-watson failed; see $PEERS/pip-watson.log)"
    WATSON=
}

BARTIB=$PEERS/cargo/bin/bartib
if [[ ! -x $BARTIB ]]; then
    note "bartib: cargo install --root bench/.peers/cargo bartib (a few minutes, once)"
    cargo install --root "$PEERS/cargo" bartib >"$PEERS/cargo-bartib.log" 2>&1 || true
fi
[[ -x $BARTIB ]] && note "bartib $("$BARTIB" --version | awk '{print $NF}')" || {
    note "bartib: skipped (cargo install failed; see $PEERS/cargo-bartib.log)"
    BARTIB=
}

# ---- the history -----------------------------------------------------------

WORK=$(mktemp -d "${TMPDIR:-/tmp}/learnlog-bench.XXXXXX")
if [[ ${BENCH_KEEP:-0} == 1 ]]; then
    trap 'echo "work directory kept: $WORK" >&2' EXIT
else
    trap 'rm -rf "$WORK"' EXIT
fi
RESULTS=$WORK/results.tsv
mkdir -p "$WORK/out" "$WORK/home/.config" "$WORK/home/.local/share"
: >"$RESULTS"

say "history: ${SIZES[*]} sessions over $YEARS years, ending ${NOW%T*}"
for n in "${SIZES[@]}"; do
    mkdir -p "$WORK/$n/run"
    "$GENERATE" --sessions "$n" --years "$YEARS" --db "$WORK/$n/learnlog.db" --peers-dir "$WORK/$n/peers" 2>&1 | sed 's/^/   /' >&2
    # One check-in the day before, as daily use leaves the file: its WAL
    # exists and holds the last commits.
    LEARNLOG_DB=$WORK/$n/learnlog.db LEARNLOG_NOW=2026-11-22T20:00:00Z TZ=UTC \
        "$LEARNLOG" --config /dev/null checkin algorithms 20m -q
done

# ---- measuring -------------------------------------------------------------

# From here on nothing reads the real home or config.
export HOME=$WORK/home XDG_CONFIG_HOME=$WORK/home/.config XDG_DATA_HOME=$WORK/home/.local/share
export TZ=UTC LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_COLOR=1 COLUMNS=100 LEARNLOG_NOW=$NOW

# A script that restores a fresh copy of PRISTINE at RUN (file or directory).
# The copy is synced to disk: otherwise the first fsync of the measured
# command (SQLite's checkpoint on close) would pay for writing the whole copy.
# A database's WAL comes along: learnlog keeps it between runs (no checkpoint
# on close), so a check-in in daily use appends to a WAL that exists.
reset_script() {
    local name=$1 pristine=$2 run=$3 script=$WORK/reset-$1.sh
    {
        printf 'rm -rf %q %q-wal %q-shm\n' "$run" "$run" "$run"
        printf 'cp -R %q %q\n' "$pristine" "$run"
        printf '[ -e %q-wal ] && cp %q-wal %q-wal\n' "$pristine" "$pristine" "$run"
        printf 'find %q -type f -exec sync -- {} +\n' "$(dirname "$run")"
    } >"$script"
    printf '%s' "$script"
}

# measure ID SIZE MODE COMMAND [RESET]
#   ID       row key: tool.operation
#   MODE     none: run COMMAND without a shell (hyperfine -N); sh: through sh
#   COMMAND  a command line (shell words)
#   RESET    a script run before every run (hyperfine --prepare)
# One probe run under /usr/bin/time -v first: does it work, how long does it
# take (to bound the number of runs), and its peak memory. Then hyperfine.
measure() {
    local id=$1 size=$2 mode=$3 cmd=$4 reset=${5:-}
    local base=$WORK/out/$id.$size
    local prepare=() shell=()
    if [[ -n $reset ]]; then
        prepare=(--prepare "bash $reset")
        bash "$reset"
    fi
    [[ $mode == none ]] && shell=(-N)
    local status=0
    if [[ $mode == none ]]; then
        eval "/usr/bin/time -v -o \"\$base.time\" $cmd" >"$base.out" 2>"$base.err" || status=$?
    else
        /usr/bin/time -v -o "$base.time" sh -c "$cmd" >"$base.out" 2>"$base.err" || status=$?
    fi
    if ((status != 0)); then
        local why
        why=$(grep -v '^$' "$base.err" | head -1 | tr '\t' ' ' | cut -c1-120)
        printf '%s\t%s\tfail\t\t\t\texit %s: %s\n' "$id" "$size" "$status" "$why" >>"$RESULTS"
        note "$id @ $size: not measured (exit $status: $why)"
        return 0
    fi
    local rss wall
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$base.time")
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$base.time")
    local warmup runs
    read -r warmup runs < <(awk -v t="$wall" -v q="$QUICK" 'BEGIN {
        if (t < 0.1)      { w = 3; r = q ? 10 : 30 }
        else if (t < 0.5) { w = 3; r = q ? 5 : 10 }
        else if (t < 2)   { w = 1; r = q ? 2 : 5 }
        else              { w = q ? 0 : 1; r = q ? 2 : 3 }
        print w, r }')
    if ! hyperfine "${shell[@]}" --warmup "$warmup" --runs "$runs" "${prepare[@]}" --style none \
        --export-json "$base.json" "$cmd" >"$base.hyperfine" 2>&1; then
        printf '%s\t%s\tfail\t\t\t%s\thyperfine failed: %s\n' "$id" "$size" "$rss" "$(tail -1 "$base.hyperfine" | cut -c1-120)" >>"$RESULTS"
        note "$id @ $size: hyperfine failed (see $base.hyperfine)"
        return 0
    fi
    local median cpu
    read -r median cpu < <(python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.3f %.3f" % (r["median"] * 1000, (r["user"] + r["system"]) * 1000))' "$base.json")
    printf '%s\t%s\tok\t%s\t%s\t%s\t%s\t%s\n' "$id" "$size" "$median" "$runs" "$rss" "$cmd" "$cpu" >>"$RESULTS"
    note "$(printf '%-16s @ %6s: %9s ms median of %2s runs (CPU %7s ms), peak %6s KB' "$id" "$size" "$median" "$runs" "$cpu" "$rss")"
}

q() { printf '%q' "$1"; }

for n in "${SIZES[@]}"; do
    say "learnlog @ $n sessions"
    db=$WORK/$n/learnlog.db
    run_db=$WORK/$n/run/learnlog.db
    reset=$(reset_script "learnlog-$n" "$db" "$run_db")
    L=$(q "$LEARNLOG")
    export LEARNLOG_DB=$db
    measure learnlog.version "$n" none "$L --version"
    measure floor.version "$n" none "$(q "$FLOOR") --version"
    measure learnlog.status "$n" none "$L status"
    measure learnlog.streak "$n" none "$L streak"
    measure learnlog.odds "$n" none "$L odds"
    measure learnlog.report "$n" none "$L report --year"
    measure learnlog.heatmap "$n" none "$L heatmap"
    measure learnlog.export "$n" none "$L export --format json"
    export LEARNLOG_DB=$run_db
    measure learnlog.checkin "$n" none "$L checkin algorithms 30m" "$reset"
    measure floor.checkin "$n" none "$(q "$FLOOR") $(q "$run_db")" "$reset"
    # The same check-in with fsync made a no-op: what is left once the cost
    # of durability (which Timewarrior, for one, does not pay) is taken out.
    if [[ -n $EATMYDATA ]]; then
        LD_PRELOAD=$EATMYDATA measure learnlog.checkin_nosync "$n" none "$L checkin algorithms 30m" "$reset"
    fi
done

for n in "${PEER_SIZES[@]}"; do
    say "peers @ $n sessions"
    data=$WORK/$n/peers
    run=$WORK/$n/run
    if [[ -n $TIMEW ]]; then
        reset=$(reset_script "timew-$n" "$data/timewarrior" "$run/timewarrior")
        TIMEWARRIORDB=$run/timewarrior measure timew.checkin "$n" none \
            "$(q "$TIMEW") track 2026-11-23T20:00:00Z - 2026-11-23T20:30:00Z algorithms" "$reset"
        TIMEWARRIORDB=$data/timewarrior measure timew.report "$n" none "$(q "$TIMEW") summary :all"
    fi
    if [[ -n $TASK ]]; then
        reset=$(reset_script "task-$n" "$data/taskwarrior" "$run/taskwarrior")
        printf '%s\n' "data.location=$run/taskwarrior" confirmation=off verbose=nothing color=off \
            news.version=2.6.2 >"$WORK/taskrc"
        TASKRC=$WORK/taskrc TASKDATA=$run/taskwarrior measure task.checkin "$n" none \
            "$(q "$TASK") log 'study algorithms' project:algorithms" "$reset"
        TASKRC=$WORK/taskrc TASKDATA=$data/taskwarrior measure task.report "$n" none "$(q "$TASK") history.monthly"
    fi
    if [[ -n $WATSON ]]; then
        reset=$(reset_script "watson-$n" "$data/watson" "$run/watson")
        WATSON_DIR=$run/watson measure watson.checkin "$n" none \
            "$(q "$WATSON") add -f '2026-11-23 20:00' -t '2026-11-23 20:30' algorithms" "$reset"
        WATSON_DIR=$data/watson measure watson.report "$n" none "$(q "$WATSON") report --no-pager"
    fi
    if [[ -n $BARTIB ]]; then
        reset=$(reset_script "bartib-$n" "$data/bartib" "$run/bartib")
        B=$(q "$BARTIB")
        BARTIB_FILE=$run/bartib/activities.bartib measure bartib.checkin "$n" sh \
            "$B start -p algorithms -d 'study algorithms' && $B stop" "$reset"
        BARTIB_FILE=$data/bartib/activities.bartib measure bartib.report "$n" none "$B report"
    fi
done

# ---- the table -------------------------------------------------------------

say "results"
python3 "$BENCH/summarize.py" "$RESULTS" \
    --mode "$( ((QUICK)) && echo quick || echo full)" \
    --machine "$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)" \
    --revision "$(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo unknown)" \
    --peers "timew=${TIMEW:+$($TIMEW --version)};task=${TASK:+$($TASK --version)};watson=${WATSON:+$("$WATSON" --version | awk '{print $NF}')};bartib=${BARTIB:+$("$BARTIB" --version | awk '{print $NF}')}" \
    --out "$BENCH/results.md"
