"""`make bench`: figures for this machine, printed as Markdown (no assertions).

    .venv/bin/python bench/run.py                 # 1k, 10k, 50k events; 100k classify
    .venv/bin/python bench/run.py --quick         # 1k events, small in-process sizes
    .venv/bin/python bench/run.py --sizes 1000,10000

Sections: Google sync (`followup sync` as a process against the loopback emulator,
first and unchanged second pass, next to the floor in `floor.py`), the rules'
throughput, writing reminders to .ics, reading an .ics export, and `followup --help`
start-up. Each figure is printed with its target and ✓/✗; progress goes to stderr,
the report to stdout.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for entry in (str(HERE), str(ROOT)):
    if entry not in sys.path:
        sys.path.insert(0, entry)

from classify_corpus import corpus_section  # noqa: E402
from report import Report  # noqa: E402

PAGE = 2500
BATCH = 50
FLOOR_RATIO_MAX = 2.0
FLOOR_RATIO_AT = 10_000
CLASSIFY_MIN = 20_000
RSS_MAX_MB = 200
RSS_AT = 50_000
HELP_RATIO_MAX = 2.0


def _say(text: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="small run: 1k events, 10k classify, 2k .ics, 5 start-ups",
    )
    parser.add_argument("--sizes", help="calendar sizes for the Google sync, e.g. 1000,10000")
    parser.add_argument("--classify", type=int, help="events for the rules (default 100000)")
    parser.add_argument("--no-google", action="store_true", help="skip the Google sync")
    parser.add_argument("--no-offline", action="store_true", help="skip the offline sync")
    args = parser.parse_args(argv)
    default_sizes = "1000" if args.quick else "1000,10000,50000"
    try:
        args.size_list = [
            int(s.replace("_", "")) for s in (args.sizes or default_sizes).split(",") if s.strip()
        ]
    except ValueError:
        parser.error(f"--sizes: expected numbers separated by commas, got {args.sizes!r}")
    args.classify_n = args.classify or (10_000 if args.quick else 100_000)
    args.ics_n = 2_000 if args.quick else 10_000
    args.export_n = 1_000
    args.startup_runs = 5 if args.quick else 10
    return args


def google_section(report: Report, sizes: list[int]) -> None:
    from google_sync import run_size

    rows = []
    by_size = {}
    for size in sizes:
        _say(f"google sync: {size:,} events (seed, connect, first, unchanged, floor)")
        try:
            figures = run_size(size)
        except Exception as exc:  # report what failed and go on with the rest
            report.failure(f"Google sync at {size:,} events", exc)
            continue
        by_size[size] = figures
        ratio = figures.first.wall / figures.floor.wall
        for label, run in (
            ("first sync", figures.first),
            ("unchanged sync", figures.second),
            ("floor", figures.floor),
        ):
            extra = f" ({ratio:.2f}× floor)" if run is figures.first else ""
            rows.append(
                [
                    f"{size:,}",
                    label,
                    f"{run.wall:.2f}{extra}",
                    f"{run.maxrss_mb:.0f}",
                    str(run.api_requests),
                    run.kinds(),
                ]
            )
        report.note(
            f"{size:,} events: seeded in {figures.seed_seconds:.1f} s; "
            f"{figures.inserts} reminders created; floor read "
            f"{figures.floor_out.get('items', 0):,} items in "
            f"{figures.floor_out.get('pages', 0)} pages."
        )
    report.table(
        "Google sync: `followup sync` as a process against the loopback emulator",
        ["events", "run", "wall s", "peak RSS MB", "API requests", "requests by kind"],
        rows,
    )

    for size, figures in by_size.items():
        second = figures.second.api_requests
        report.target(
            f"unchanged sync at {size:,}: 1 request per source calendar (1)",
            f"{second} ({figures.second.kinds()})",
            second == 1,
        )
        pages = figures.first.top.get("events.list", 0)
        want = math.ceil(size / PAGE)
        report.target(
            f"first sync at {size:,} reads in ceil(N/{PAGE}) = {want} pages",
            f"{pages} events.list",
            pages == want,
        )
        singles = sum(
            figures.first.top.get(k, 0) for k in ("events.insert", "events.patch", "events.delete")
        )
        batches = figures.first.top.get("batch", 0)
        writes = sum(figures.first.parts.values())
        want_batches = math.ceil(writes / BATCH)
        report.target(
            f"first sync at {size:,} writes in batches (≤{BATCH} per batch)",
            f"{writes} writes in {batches} batch(es), {singles} outside",
            singles == 0 and batches == want_batches,
        )
    if FLOOR_RATIO_AT in by_size:
        figures = by_size[FLOOR_RATIO_AT]
        ratio = figures.first.wall / figures.floor.wall
        report.target(
            f"first sync at {FLOOR_RATIO_AT:,} ≤ {FLOOR_RATIO_MAX:g}× the floor",
            f"{ratio:.2f}× ({figures.first.wall:.2f} s vs {figures.floor.wall:.2f} s)",
            ratio <= FLOOR_RATIO_MAX,
        )
    else:
        report.target(
            f"first sync at {FLOOR_RATIO_AT:,} ≤ {FLOOR_RATIO_MAX:g}× the floor",
            _missing(FLOOR_RATIO_AT, sizes),
            None,
        )
    if RSS_AT in by_size:
        figures = by_size[RSS_AT]
        peak = max(figures.first.maxrss_mb, figures.second.maxrss_mb)
        report.target(
            f"peak RSS at {RSS_AT:,} events < {RSS_MAX_MB} MB",
            f"{peak:.0f} MB (first {figures.first.maxrss_mb:.0f}, "
            f"unchanged {figures.second.maxrss_mb:.0f}, "
            f"floor {figures.floor.maxrss_mb:.0f})",
            peak < RSS_MAX_MB,
        )
    else:
        report.target(
            f"peak RSS at {RSS_AT:,} events < {RSS_MAX_MB} MB",
            _missing(RSS_AT, sizes),
            None,
        )


def _missing(size: int, sizes: list[int]) -> str:
    if size in sizes:
        return f"not measured (the {size:,} run failed, see below)"
    return f"not measured ({size:,} not in --sizes)"


def rules_section(report: Report, count: int, now: datetime) -> None:
    from inproc import rules_throughput

    _say(f"rules: convert, classify and decide over {count:,} events (one core)")
    try:
        fig = rules_throughput(count, now)
    except Exception as exc:
        report.failure("rules throughput", exc)
        return
    n = fig["events"]
    rate = n / fig["classify_s"]
    report.row(
        "`event_from_api` (Google JSON → SourceEvent)",
        f"{n / fig['convert_s']:,.0f} events/s ({fig['convert_s']:.2f} s for {n:,})",
    )
    report.row(
        "`rules.classify.classify` (in-process, one core)",
        f"{rate:,.0f} events/s ({fig['classify_s']:.2f} s for {n:,}; "
        f"{fig['interviews']} interviews)",
    )
    report.row(
        "`rules.policy.decide` (classify + windows + reminders)",
        f"{n / fig['decide_s']:,.0f} events/s ({fig['decide_s']:.2f} s for {n:,}; "
        f"{fig['reminders']} reminders)",
    )
    report.target(
        f"classify ≥ {CLASSIFY_MIN:,} events/s (one core, {n:,} events)",
        f"{rate:,.0f} events/s",
        rate >= CLASSIFY_MIN,
    )


def export_section(report: Report, count: int, now: datetime) -> None:
    from inproc import export_figures

    _say(f"export: {count:,} reminders to .ics (first write, unchanged rewrite)")
    try:
        fig = export_figures(count, now)
    except Exception as exc:
        report.failure(".ics export", exc)
        return
    n = fig["reminders"]
    report.row(
        f"`sync.stores.ics.IcsStore`, {n:,} reminders, first write",
        f"{fig['first_s'] * 1000:,.0f} ms ({fig['first_written']:,} files written)",
    )
    report.row(
        f"`sync.stores.ics.IcsStore`, {n:,} reminders, unchanged rewrite",
        f"{fig['again_s'] * 1000:,.0f} ms ({fig['again_written']:,} files written)",
    )


def ics_section(report: Report, count: int, now: datetime) -> None:
    from inproc import ics_read_figures

    _say(f"ics: reading a {count:,}-event export")
    try:
        fig = ics_read_figures(count, now)
    except Exception as exc:
        report.failure(".ics read", exc)
        return
    report.row(
        f"`sync.ics.reader.read_ics`, {fig['events']:,}-event export ({fig['bytes'] / 1e6:.1f} MB)",
        f"{fig['events'] / fig['read_s']:,.0f} events/s ({fig['read_s']:.2f} s)",
    )


def startup_section(report: Report, runs: int) -> None:
    from startup import startup_figures

    _say(f"start-up: followup --help and python -c pass, {runs} runs each")
    try:
        fig = startup_figures(runs)
    except Exception as exc:
        report.failure("start-up", exc)
        return
    ratio = fig["help_s"] / fig["bare_s"]
    report.row(
        f"`{fig['command']}` as a process (median of {runs})",
        f"{fig['help_s'] * 1000:.0f} ms, peak RSS {fig['help_rss_mb']:.0f} MB",
    )
    report.row(
        f"`python -c pass` as a process (median of {runs})", f"{fig['bare_s'] * 1000:.0f} ms"
    )
    report.target(
        f"`followup --help` within {HELP_RATIO_MAX:g}× bare Python start",
        f"{ratio:.2f}× ({fig['help_s'] * 1000:.0f} ms vs {fig['bare_s'] * 1000:.0f} ms)",
        ratio <= HELP_RATIO_MAX,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    now = datetime.now(UTC)
    os.chdir(ROOT)
    report = Report(
        f"interview-followup benchmark: {platform.node()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {now:%Y-%m-%d %H:%M} UTC"
        + (" (--quick)" if args.quick else "")
    )
    if not args.no_google:
        google_section(report, args.size_list)
    if not args.no_offline:
        from offline import offline_section

        offline_section(report, [1000] if args.quick else [1000, 10_000, 30_000, 50_000], now)
    rules_section(report, args.classify_n, now)
    corpus_section(report)
    export_section(report, args.export_n, now)
    ics_section(report, args.ics_n, now)
    startup_section(report, args.startup_runs)
    report.note(
        "In-process figures (rules, export, .ics read) run pinned to one core; peak RSS is "
        "each child's own `ru_maxrss` (launched via bench/spawn.py)."
    )
    report.note(f"Whole run: {time.perf_counter() - started:.0f} s.")
    print(report.render())
    return 1 if report.failures else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        traceback.print_exc(limit=1)
        sys.exit(130)
