"""Cold start of `followup --help` next to a bare `python -c pass`, as processes.

"Cold" as a user sees it from a shell: a new interpreter each time (the OS file cache
is warm; one untimed run of each goes first). Runs alternate so drift hits both.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

from proc import measure

ROOT = Path(__file__).resolve().parents[1]


def followup_argv() -> list[str]:
    script = Path(sys.executable).with_name("followup")
    if script.exists():
        return [str(script), "--help"]
    return [sys.executable, "-m", "sync.cli", "--help"]


def startup_figures(runs: int) -> dict[str, float]:
    bare_argv = [sys.executable, "-c", "pass"]
    help_argv = followup_argv()
    measure(bare_argv, cwd=ROOT).check("python -c pass")
    measure(help_argv, cwd=ROOT).check("followup --help")
    bare, helps = [], []
    rss = 0.0
    for _ in range(runs):
        bare.append(measure(bare_argv, cwd=ROOT).check("python -c pass").wall)
        result = measure(help_argv, cwd=ROOT).check("followup --help")
        helps.append(result.wall)
        rss = max(rss, result.maxrss_mb)
    return {
        "runs": runs,
        "bare_s": statistics.median(bare),
        "help_s": statistics.median(helps),
        "help_rss_mb": rss,
        "command": " ".join(Path(a).name if i == 0 else a for i, a in enumerate(help_argv)),
    }
