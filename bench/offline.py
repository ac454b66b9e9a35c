"""The offline path against its floor: `followup sync --from FILE --out DIR`.

    .venv/bin/python bench/offline.py                  # 1k, 10k, 30k, 50k events
    .venv/bin/python bench/offline.py --sizes 1000,10000

For each size, one generated Google-style export (`bench/icsgen.py`: VTIMEZONEs, folded
lines, VALARMs, attendees, 2 % weekly series with moved instances, a few dozen
interviews) and, all in this run, each in its own process (peak RSS is that child's own,
see bench/proc.py):

- the floor: icalendar's `Calendar.from_ical` of the same bytes;
- `followup sync --from F --out D` with a fresh data directory (first), then again on
  the unchanged file (unchanged), as the real CLI;
  (the pass reads with the fast read and keeps the file's candidates, so the unchanged
  pass fingerprints the file and decides from the cache);
- the reader alone: `read_ics(fast=True)` and `read_ics(fast=False)`, timed in-child.

Ratios are to the floor of the same size; targets (issue 10): first <= 0.2x, unchanged
<= 0.05x, peak RSS < 150 MB at 50k. Prints Markdown; progress on stderr.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for entry in (str(HERE), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from proc import measure  # noqa: E402
from report import Report  # noqa: E402

FIRST_MAX = 0.2
UNCHANGED_MAX = 0.05
RSS_MAX_MB = 150
RSS_AT = 50_000

# A child that times one thing in-process and prints {"seconds": ..., ...} as JSON.
_CHILD = r"""
import json, sys, time
from pathlib import Path
what, path = sys.argv[1], Path(sys.argv[2])
if what == "floor":
    import icalendar
    data = path.read_bytes()
    started = time.perf_counter()
    calendar = icalendar.Calendar.from_ical(data)
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "events": len(calendar.walk("VEVENT"))}))
elif what == "pass":
    # One `followup sync --from F --out D`, timed in-process like the floor: the
    # interpreter's start and the imports are left out of both (the modules the command
    # imports when it runs too: where bytecode is not written, PYTHONDONTWRITEBYTECODE,
    # each would be compiled inside the timed call).
    import icalendar, sync.app, sync.passes, sync.setup, sync.ics.reader, sync.commands.sync_cmd
    import sync.lock, sync.logs, sync.views, sync.sources.feed, sync.sources.ics_file
    started = time.perf_counter()
    code = sync.app.run(["sync", "--from", str(path), "--out", sys.argv[3]])
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "code": code}))
else:
    from sync.ics.reader import read_ics
    started = time.perf_counter()
    source = read_ics(path, fast=what == "fast")
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "events": len(source.events)}))
"""


def _say(text: str) -> None:
    print(f"[offline {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def _child(what: str, path: Path, *extra: str, env: dict | None = None):
    result = measure([sys.executable, "-c", _CHILD, what, str(path), *extra], cwd=ROOT, env=env)
    result.check(f"{what} of {path.name}")
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def _sync(argv_head: list[str], path: Path, home: Path, out: Path):
    env = {
        **os.environ,
        "FOLLOWUP_DATA_DIR": str(home / "data"),
        "FOLLOWUP_CONFIG_DIR": str(home / "config"),
    }
    argv = [*argv_head, "sync", "--from", str(path), "--out", str(out)]
    return measure(argv, env=env, cwd=ROOT).check(f"followup sync --from {path.name}")


def run_size(size: int, now: datetime, tmp: Path) -> dict:
    from icsgen import google_export

    path = tmp / f"export-{size}.ics"
    path.write_bytes(google_export(size, now, seed=11))
    figures: dict = {"bytes": path.stat().st_size}
    _say(f"{size:,}: floor (Calendar.from_ical)")
    floor, floor_run = _child("floor", path)
    figures["floor"] = floor["seconds"]
    figures["floor_rss"] = floor_run.maxrss_mb
    figures["vevents"] = floor["events"]
    followup = str(Path(sys.executable).with_name("followup"))
    for label, head in (("cli", [followup]),):
        home = tmp / f"home-{label}-{size}"
        out = home / "out"
        _say(f"{size:,}: {label} first sync")
        first = _sync(head, path, home, out)
        _say(f"{size:,}: {label} unchanged sync")
        again = _sync(head, path, home, out)
        figures[label] = {
            "first": first.wall,
            "first_rss": first.maxrss_mb,
            "again": again.wall,
            "again_rss": again.maxrss_mb,
            "reminders": len(list(out.glob("*.ics"))),
        }
    home = tmp / f"home-pass-{size}"
    env = {
        **os.environ,
        "FOLLOWUP_DATA_DIR": str(home / "data"),
        "FOLLOWUP_CONFIG_DIR": str(home / "config"),
    }
    _say(f"{size:,}: pass in-process, first and unchanged")
    first_pass, _ = _child("pass", path, str(home / "out"), env=env)
    again_pass, _ = _child("pass", path, str(home / "out"), env=env)
    figures["pass"] = {"first": first_pass["seconds"], "again": again_pass["seconds"]}
    for mode in ("fast", "full"):
        _say(f"{size:,}: read_ics({mode})")
        read, run = _child(mode, path)
        figures[f"read_{mode}"] = read["seconds"]
        figures[f"read_{mode}_events"] = read["events"]
        figures[f"read_{mode}_rss"] = run.maxrss_mb
    return figures


def offline_section(report: Report, sizes: list[int], now: datetime) -> None:
    results: dict[int, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bench-offline-") as tmp:
        for size in sizes:
            try:
                results[size] = run_size(size, now, Path(tmp))
            except Exception as exc:  # report it and go on with the other sizes
                report.failure(f"offline sync at {size:,} events", exc)
    rows = []
    for size, fig in results.items():
        floor = fig["floor"]
        cli = fig["cli"]
        run = fig["pass"]
        rows.append(
            [
                f"{size:,} ({fig['bytes'] / 1e6:.1f} MB)",
                f"{floor:.2f}",
                f"{run['first']:.2f} ({run['first'] / floor:.3f}×)",
                f"{run['again']:.3f} ({run['again'] / floor:.3f}×)",
                f"{cli['first']:.2f} / {cli['again']:.2f}",
                f"{fig['read_fast']:.2f} ({fig['read_fast'] / floor:.2f}×)",
                f"{fig['read_full']:.2f} ({fig['read_full'] / floor:.2f}×)",
                f"{fig['read_fast_events']:,} / {fig['read_full_events']:,}",
                f"{max(cli['first_rss'], cli['again_rss']):.0f}",
            ]
        )
    report.table(
        "Offline sync: `followup sync --from F --out D` against `Calendar.from_ical` (s)",
        [
            "events",
            "floor",
            "first sync",
            "unchanged sync",
            "CLI wall, first / unchanged",
            "read_ics fast",
            "read_ics full",
            "events fast / full",
            "peak RSS MB",
        ],
        rows,
    )
    for size, fig in results.items():
        floor = fig["floor"]
        for label, name in (("pass", "the pass"),):
            run = fig[label]
            report.target(
                f"first sync at {size:,} ≤ {FIRST_MAX:g}× floor ({name})",
                f"{run['first'] / floor:.3f}×",
                run["first"] / floor <= FIRST_MAX,
            )
            report.target(
                f"unchanged sync at {size:,} ≤ {UNCHANGED_MAX:g}× floor ({name})",
                f"{run['again'] / floor:.3f}×",
                run["again"] / floor <= UNCHANGED_MAX,
            )
    if RSS_AT in results:
        fig = results[RSS_AT]
        for label, name in (("cli", "the CLI"),):
            peak = max(fig[label]["first_rss"], fig[label]["again_rss"])
            report.target(
                f"peak RSS of the sync at {RSS_AT:,} < {RSS_MAX_MB} MB ({name})",
                f"{peak:.0f} MB (floor {fig['floor_rss']:.0f} MB)",
                peak < RSS_MAX_MB,
            )
    report.note(
        "'first sync' and 'unchanged sync' time `followup sync --from F --out D` in a "
        "child the way the floor is timed (imports done, the call timed); the CLI wall "
        "times add the interpreter's start and imports (about 0.6 s here). 'read_ics' "
        "times the reader alone, fast (candidates only) and full."
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench/offline.py", description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,30000,50000")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    now = datetime.now(UTC)
    report = Report(f"interview-followup offline benchmark, {now:%Y-%m-%d %H:%M} UTC")
    offline_section(report, sizes, now)
    print(report.render())
    return 1 if report.failures else 0


if __name__ == "__main__":
    sys.exit(main())
