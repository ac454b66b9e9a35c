"""Google sync as the user runs it: `followup sync` as a process against the emulator.

One fresh emulator per calendar size, seeded in bulk (`put_events`), a user connected
the way the tests connect one (`followup connect` through the stand-in browser, which
writes the token file), then a first and an unchanged second `followup sync`, then the
floor (`bench/floor.py`) against the same calendar. Requests are counted from the
emulator's own log, per run.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from data import calendar_bodies
from proc import ProcResult, measure

ROOT = Path(__file__).resolve().parents[1]
FLOOR = Path(__file__).with_name("floor.py")
FLOOR_TOKEN = "bench-floor-token"  # noqa: S105 - a bearer the loopback emulator accepts
FULL_SCOPE = ("https://www.googleapis.com/auth/calendar",)


@dataclass
class RunFigures:
    wall: float
    maxrss_mb: float
    top: Counter  # top-level requests by kind
    parts: Counter  # batch parts by kind
    stderr: str = ""

    @property
    def api_requests(self) -> int:
        """HTTP requests to the Calendar API (a batch counts once; OAuth not counted)."""
        return sum(n for kind, n in self.top.items() if not kind.startswith("oauth."))

    def kinds(self) -> str:
        names = sorted(k for k in self.top if k != "batch")
        text = ", ".join(f"{k} {self.top[k]}" for k in names)
        if self.top.get("batch"):
            inner = ", ".join(f"{k} {n}" for k, n in sorted(self.parts.items()))
            text += (", " if text else "") + f"batch {self.top['batch']} ({inner})"
        return text or "none"


@dataclass
class SizeFigures:
    events: int
    interviews: int
    seed_seconds: float
    first: RunFigures
    second: RunFigures
    floor: RunFigures
    floor_out: dict = field(default_factory=dict)

    @property
    def inserts(self) -> int:
        return self.first.parts.get("events.insert", 0) + self.first.top.get("events.insert", 0)


def _figures(result: ProcResult, emulator) -> RunFigures:
    log = emulator.requests
    top = Counter(r.kind for r in log if not r.batch_part)
    parts = Counter(r.kind for r in log if r.batch_part)
    return RunFigures(result.wall, result.maxrss_mb, top, parts, result.stderr)


def run_size(events: int, *, interviews: int = 36) -> SizeFigures:
    if str(ROOT) not in sys.path:  # run.py puts it there; this keeps the module usable alone
        sys.path.insert(0, str(ROOT))
    from tests.emulator import CalendarEmulator
    from tests.google.helpers import make_home

    with CalendarEmulator() as emulator, tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        emulator.allow_token(FLOOR_TOKEN, FULL_SCOPE)
        bodies = calendar_bodies(events, interviews=interviews)
        started = time.perf_counter()
        emulator.put_events(emulator.primary_id, bodies)
        seed_seconds = time.perf_counter() - started
        del bodies

        home = make_home(Path(tmp), emulator)
        connected = home.run("connect", timeout=120)
        if connected.returncode != 0:
            raise RuntimeError(f"followup connect failed: {connected.stderr.strip()}")
        env = home.env()
        argv = [sys.executable, "-m", "sync.cli", "sync"]

        runs = []
        for what in ("first sync", "second sync"):
            emulator.reset_request_log()
            result = measure(argv, env=env, cwd=ROOT).check(f"followup sync ({what}, {events})")
            runs.append(_figures(result, emulator))
        first, second = runs

        emulator.reset_request_log()
        inserts = first.parts.get("events.insert", 0) + first.top.get("events.insert", 0)
        floor_argv = [
            sys.executable,
            str(FLOOR),
            "--endpoint",
            emulator.api_endpoint,
            "--batch-uri",
            emulator.batch_uri,
            "--token",
            FLOOR_TOKEN,
            "--calendar",
            emulator.primary_id,
            "--inserts",
            str(inserts),
        ]
        result = measure(floor_argv, env=env, cwd=ROOT).check(f"floor ({events})")
        floor = _figures(result, emulator)
        out = json.loads(result.stdout.strip().splitlines()[-1])
        return SizeFigures(events, interviews, seed_seconds, first, second, floor, out)
