#!/usr/bin/env python3
"""Turns bench/run.sh's results (a TSV of medians and peak memory) into the
Markdown tables of bench/results.md, with the speed targets checked."""

import argparse
import datetime
import sys

SMALL, LARGE = "10000", "100000"

# The speed targets at 100,000 sessions.
CHECKIN_FLOOR_RATIO = 1.5
# "Never growing with history size": 100k within this factor of 10k (noise margin).
CHECKIN_GROWTH = 1.25
REPORT_MS = 20.0
RSS_KB = 30 * 1024

LEARNLOG_ROWS = [
    ("version", "`--version` (process start)", None),
    ("checkin", "`checkin algorithms 30m`", "checkin"),
    ("checkin_nosync", "the same check-in, fsync a no-op (libeatmydata)", None),
    ("status", "`status`", "report"),
    ("streak", "`streak`", "report"),
    ("odds", "`odds`", "report"),
    ("report", "`report --year`", "report"),
    ("heatmap", "`heatmap`", "report"),
    ("export", "`export --format json`", "report"),
]
PEERS = [
    ("timew", "Timewarrior", "`timew track … algorithms`", "`timew summary :all`"),
    ("task", "Taskwarrior", "`task log … project:algorithms`", "`task history.monthly`"),
    ("watson", "Watson", "`watson add -f … -t … algorithms`", "`watson report`"),
    ("bartib", "bartib", "`bartib start … && bartib stop`", "`bartib report`"),
]


def load(path):
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            parts += [""] * (8 - len(parts))
            tool_op, size, status, median, runs, rss, note, cpu = parts[:8]
            rows[(tool_op, size)] = {
                "ok": status == "ok",
                "median": float(median) if median else None,
                "runs": runs,
                "rss": int(rss) if rss else None,
                "note": note,
                "cpu": float(cpu) if cpu else None,
            }
    return rows


def ms(value):
    if value is None:
        return "–"
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def mb(kb):
    return "–" if kb is None else f"{kb / 1024:.1f} MB"


def ratio(a, b):
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return f"{r:.2f}×" if r >= 0.1 else f"{r:.2g}×"


def cell(rows, key, size):
    row = rows.get((key, size))
    if row is None:
        return "not run", None
    if not row["ok"]:
        return "n/a", None
    return ms(row["median"]), row["median"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("results")
    parser.add_argument("--mode", default="full")
    parser.add_argument("--machine", default="")
    parser.add_argument("--revision", default="")
    parser.add_argument("--peers", default="")
    parser.add_argument("--out")
    args = parser.parse_args()
    rows = load(args.results)
    get = lambda key, size: (rows.get((key, size)) or {}).get("median") if (rows.get((key, size)) or {}).get("ok") else None
    rss = lambda key, size: (rows.get((key, size)) or {}).get("rss")

    out = []
    w = out.append
    w("# learnlog benchmark results")
    w("")
    w(f"`bench/run.sh{' --quick' if args.mode == 'quick' else ''}` on "
      f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, revision `{args.revision}`, {args.machine}. "
      "Medians of hyperfine runs; peak RSS from `/usr/bin/time -v`. History: the same deterministic "
      "sessions over five years for every tool (`examples/bench_history.rs`); learnlog pinned at "
      "`LEARNLOG_NOW=2026-11-23T19:30:00Z`, `TZ=UTC`. Check-ins run on a copy of the data restored before "
      "every run (hyperfine `--prepare`), so every run sees exactly the stated history. "
      "CPU: mean user + system time. A check-in appends to the WAL the file already has and fsyncs it once, "
      "at commit; the row with fsync a no-op shows the rest.")
    w("")
    w("## learnlog")
    w("")
    w("| command | 10k median | 100k median | 100k ÷ 10k | CPU 100k | peak RSS 100k | target at 100k | met |")
    w("|---|---:|---:|---:|---:|---:|---|---|")
    misses = []
    floor_large = get("floor.checkin", LARGE)
    for key, label, kind in LEARNLOG_ROWS:
        small_text, small = cell(rows, f"learnlog.{key}", SMALL)
        large_text, large = cell(rows, f"learnlog.{key}", LARGE)
        peak = rss(f"learnlog.{key}", LARGE)
        checks = []
        if kind == "checkin":
            target = f"≤ {CHECKIN_FLOOR_RATIO}× floor, flat; < 30 MB"
            if large is not None and floor_large is not None:
                checks.append(("checkin ÷ floor", large / floor_large <= CHECKIN_FLOOR_RATIO,
                               f"{large / floor_large:.2f}× the floor"))
            if large is not None and small is not None:
                checks.append(("growth", large / small <= CHECKIN_GROWTH, f"{large / small:.2f}× from 10k to 100k"))
        elif kind == "report":
            target = f"< {REPORT_MS:.0f} ms; < 30 MB"
            if large is not None:
                checks.append(("time", large < REPORT_MS, f"{large / REPORT_MS:.1f}× the {REPORT_MS:.0f} ms budget"))
        else:
            target = "< 30 MB"
        if peak is not None and large is not None:
            checks.append(("memory", peak < RSS_KB, f"peak {mb(peak)}"))
        if large is None:
            met = "not measured"
        elif all(ok for _, ok, _ in checks):
            met = "yes"
        else:
            failed = [text for _, ok, text in checks if not ok]
            met = "**no**: " + "; ".join(failed)
            misses.append(f"{label}: " + "; ".join(failed))
        cpu = (rows.get((f"learnlog.{key}", LARGE)) or {}).get("cpu")
        w(f"| {label} | {small_text} | {large_text} | {ratio(large, small)} | {ms(cpu)} | {mb(peak)} | {target} | {met} |")
    small_floor_text, small_floor = cell(rows, "floor.checkin", SMALL)
    large_floor_text, _ = cell(rows, "floor.checkin", LARGE)
    floor_cpu = (rows.get(("floor.checkin", LARGE)) or {}).get("cpu")
    w(f"| floor: open + insert one row | {small_floor_text} | {large_floor_text} | "
      f"{ratio(floor_large, small_floor)} | {ms(floor_cpu)} | {mb(rss('floor.checkin', LARGE))} | – | – |")
    small_start_text, small_start = cell(rows, "floor.version", SMALL)
    large_start_text, large_start = cell(rows, "floor.version", LARGE)
    w(f"| floor: process start (`floor --version`) | {small_start_text} | {large_start_text} | – | – | "
      f"{mb(rss('floor.version', LARGE))} | – | – |")
    w(f"| **`--version` ÷ floor start** | {ratio(get('learnlog.version', SMALL), small_start)} | "
      f"{ratio(get('learnlog.version', LARGE), large_start)} | | | | ≤ 1.2× | |")
    w(f"| **checkin ÷ floor** | {ratio(get('learnlog.checkin', SMALL), small_floor)} | "
      f"{ratio(get('learnlog.checkin', LARGE), floor_large)} | | | | ≤ {CHECKIN_FLOOR_RATIO}× | |")
    not_available = sorted({k.split(".")[1] for (k, _), r in rows.items() if k.startswith("learnlog.") and not r["ok"]})
    w("")
    if not_available:
        notes = {k.split(".")[1]: r["note"] for (k, _), r in rows.items() if k.startswith("learnlog.") and not r["ok"]}
        w("n/a: the command failed in this build — " + "; ".join(f"`{k}`: {notes[k]}" for k in not_available) + ".")
        w("")
    if misses:
        w("Targets missed: " + " · ".join(misses) + ".")
    else:
        w("Every measured command meets its target.")
    w("")

    w("## Peers on the same history")
    w("")
    w("Each cell: median, then learnlog ÷ peer (below 1: learnlog is faster). "
      "learnlog's check-in is `checkin algorithms 30m`, its report `report --year`.")
    w("")
    header = "| operation | learnlog | floor |" + "".join(f" {name} |" for _, name, _, _ in PEERS)
    w(header)
    w("|---|---:|---:|" + "---:|" * len(PEERS))
    sizes = [s for s in (SMALL, LARGE) if any(rows.get((f"{p}.checkin", s)) or rows.get((f"{p}.report", s)) for p, *_ in PEERS)]
    comparisons = (
        ("checkin", "check-in", "learnlog.checkin"),
        ("checkin", "check-in, fsync a no-op", "learnlog.checkin_nosync"),
        ("report", "report", "learnlog.report"),
    )
    for op, label, ll_key in comparisons:
        for size in sizes:
            ll = get(ll_key, size)
            if ll is None and ll_key.endswith("_nosync"):
                continue
            line = f"| {label} @ {int(size) // 1000}k | {cell(rows, ll_key, size)[0]} |"
            line += f" {cell(rows, 'floor.checkin', size)[0] if ll_key == 'learnlog.checkin' else '–'} |"
            for key, *_ in PEERS:
                text, value = cell(rows, f"{key}.{op}", size)
                line += f" {text}{' · ' + ratio(ll, value) if value is not None and ll is not None else ''} |"
            w(line)
    line = "| peak RSS, report @ 100k | " + mb(rss("learnlog.report", LARGE)) + " | – |"
    for key, *_ in PEERS:
        line += f" {mb(rss(f'{key}.report', LARGE))} |"
    w(line)
    w("")
    versions = dict(part.split("=", 1) for part in args.peers.split(";") if "=" in part)
    w("Commands: " + "; ".join(
        f"{name} {versions.get(key) or '(not installed: skipped)'}: {checkin}, {report}"
        for key, name, checkin, report in PEERS) + ".")
    w("")
    failed_peers = [f"`{k}` @ {s}: {r['note']}" for (k, s), r in sorted(rows.items()) if not k.startswith(("learnlog.", "floor.")) and not r["ok"]]
    if failed_peers:
        w("Peer commands that failed: " + "; ".join(failed_peers) + ".")
        w("")

    text = "\n".join(out)
    sys.stdout.write(text + "\n")
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
