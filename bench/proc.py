"""Run one child process and measure it: wall time and the child's own peak RSS.

The child is started by `spawn.py`, a small launcher that times it and reaps it with
`os.wait4(pid, 0)`, which gives the rusage of that one child (`ru_maxrss`, KiB on
Linux). Not RUSAGE_CHILDREN (the maximum over every child reaped so far), and not a
child of this process either: see spawn.py for why its peak would include ours.
Output goes to temporary files, not pipes, so a chatty child never blocks.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SPAWN = Path(__file__).with_name("spawn.py")


@dataclass(frozen=True)
class ProcResult:
    argv: tuple[str, ...]
    returncode: int
    wall: float  # seconds, spawn to reap, timed by the launcher
    maxrss_kib: int
    stdout: str
    stderr: str

    @property
    def maxrss_mb(self) -> float:
        return self.maxrss_kib / 1024

    def check(self, what: str) -> ProcResult:
        if self.returncode != 0:
            tail = "\n".join(self.stderr.strip().splitlines()[-15:])
            raise RuntimeError(f"{what} exited {self.returncode}:\n{tail}")
        return self


def measure(
    argv: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 900.0,
) -> ProcResult:
    with tempfile.TemporaryDirectory(prefix="bench-proc-") as tmp:
        result_file = Path(tmp) / "result"
        out_file, err_file = Path(tmp) / "stdout", Path(tmp) / "stderr"
        with out_file.open("wb") as out, err_file.open("wb") as err:
            launcher = subprocess.Popen(
                [sys.executable, "-I", "-S", str(SPAWN), str(result_file), "--", *argv],
                env=env,
                cwd=cwd,
                stdout=out,
                stderr=err,
                stdin=subprocess.DEVNULL,
                start_new_session=True,  # its own group: a timeout kills the child too
            )
            try:
                launcher.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(launcher.pid, signal.SIGKILL)
                launcher.wait()
                raise RuntimeError(f"{argv[0]} ran longer than {timeout:.0f} s") from None
        stdout = out_file.read_text("utf-8", "replace")
        stderr = err_file.read_text("utf-8", "replace")
        if launcher.returncode != 0 or not result_file.exists():
            raise RuntimeError(f"launcher failed ({launcher.returncode}): {stderr[-2000:]}")
        wall, maxrss, code = result_file.read_text().split()
        return ProcResult(tuple(argv), int(code), float(wall), int(maxrss), stdout, stderr)
