"""The background syncer behind `followup run`: `followup sync` on a schedule.

Each pass runs as its own `followup sync` process. That isolates passes completely (a
crash, a leak or a changed config file never carries over), keeps the long-running
process small (the Google client is only ever loaded in the child), and gives the
runner the pass's exit code, which says what to do next:

- 0: all well; next pass after the interval (with a little jitter, so many installs
  do not hit the API on the same second);
- 75 (temporary) or 1 (failed): logged; the next pass backs off, doubling the delay
  per consecutive failure, up to an hour (or the interval, if longer);
- 3 (not connected / token revoked): retrying cannot fix it, so the runner stops and
  says to run `followup connect`;
- 2 (config error): logged and retried with back-off, so fixing the file is enough.

SIGTERM and SIGINT stop the runner between passes. A pass already running is allowed
to finish (passes take seconds; they are never cut in the middle of a write batch),
and is terminated only if it is still running `grace` seconds later. The child runs in
its own session so a Ctrl-C at the terminal reaches the runner, not the child.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

import schedule

log = logging.getLogger("followup.run")

MAX_BACKOFF = timedelta(hours=1)


@dataclass
class Runner:
    argv: Sequence[str]  # the pass command, e.g. [python, -m, sync.cli, sync]
    every: timedelta
    jitter: float = 0.1  # +/- this fraction of the interval
    grace: float = 60.0  # seconds a running pass may take to finish after a stop signal
    echo: Callable[[str], None] = print
    # With -v the log already goes to stderr: then a failure is said there once, and
    # not echoed a second time.
    echo_failures: bool = True
    failures: int = 0
    passes: int = 0
    stop_requested: bool = False
    exit_code: int = 0
    _scheduler: schedule.Scheduler = field(default_factory=schedule.Scheduler)
    _child: subprocess.Popen[str] | None = None

    def request_stop(self, signum: int = 0, _frame: object = None) -> None:
        if not self.stop_requested:
            log.info("stop requested (signal %s); stopping after the current pass", signum)
        self.stop_requested = True

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.request_stop)
        signal.signal(signal.SIGINT, self.request_stop)

    def next_delay(self) -> timedelta:
        if self.failures == 0:
            return self.every
        backoff = self.every * (2 ** (self.failures - 1))
        return min(backoff, max(self.every, MAX_BACKOFF))

    def schedule_next(self) -> None:
        self._scheduler.clear()
        seconds = self.next_delay().total_seconds()
        low = max(1, int(seconds * (1 - self.jitter)))
        high = max(low, int(seconds * (1 + self.jitter)))
        self._scheduler.every(low).to(high).seconds.do(self.run_pass)

    def run_pass(self) -> schedule.CancelJob:
        """One pass, and one line about it in the log (stderr too with -v)."""
        started = time.monotonic()
        code, tail = self._run_child()
        self.passes += 1
        took = f"{time.monotonic() - started:.1f}s"
        if code == 0:
            again = f" (ok again after {self.failures} failure(s))" if self.failures else ""
            self.failures = 0
            log.info("pass %d: ok in %s%s; next in %s", self.passes, took, again, self.every)
        elif code == 3:
            log.error("pass %d: %s; stopping", self.passes, tail or "not connected")
            self.echo(f"followup run: stopping: {tail or 'not connected'}")
            self.exit_code = 3
            self.stop_requested = True
        else:
            self.failures += 1
            why = f": {tail}" if tail else ""
            message = f"pass {self.passes} failed (exit {code}){why}"
            log.warning("%s; next try in %s", message, self.next_delay())
            if self.echo_failures:
                self.echo(f"followup run: {message}")
        if not self.stop_requested:
            self.schedule_next()
        return schedule.CancelJob

    def _run_child(self) -> tuple[int, str]:
        try:
            self._child = subprocess.Popen(
                list(self.argv),
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        except OSError as exc:
            return 1, f"cannot start {self.argv[0]}: {exc}"
        output = self._wait_child(self._child)
        code = self._child.returncode
        self._child = None
        lines = [line for line in output.splitlines() if line.strip()]
        for line in lines[:-1] if code else lines:
            log.info("  %s", line)  # the pass's own words (its last, on failure, is the reason)
        return code, (lines[-1].removeprefix("followup: ") if lines else "")

    def _wait_child(self, child: subprocess.Popen[str]) -> str:
        """Wait for the pass; after a stop request give it `grace` seconds, then end it."""
        deadline: float | None = None
        while True:
            try:
                out, _ = child.communicate(timeout=0.2)
                return out or ""
            except subprocess.TimeoutExpired:
                pass
            if self.stop_requested and deadline is None:
                deadline = time.monotonic() + self.grace
            if deadline is not None and time.monotonic() > deadline:
                log.warning(
                    "the running pass did not finish within %.0fs; terminating it", self.grace
                )
                child.terminate()
                out, _ = child.communicate()
                return out or ""

    def loop(self, *, max_passes: int | None = None) -> int:
        """A pass now, then on schedule until stopped. Returns the exit code."""
        self.run_pass()
        while not self.stop_requested:
            if max_passes is not None and self.passes >= max_passes:
                break
            self._scheduler.run_pending()
            idle = self._scheduler.idle_seconds
            time.sleep(min(0.5, idle) if idle is not None and idle > 0 else 0.05)
        return self.exit_code


def sync_argv(extra: Sequence[str] = ()) -> list[str]:
    """The command of one pass: this interpreter running this package's CLI."""
    return [sys.executable, "-m", "sync.cli", "sync", *extra]
