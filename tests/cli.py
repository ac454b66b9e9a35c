"""Run the real `followup` CLI as a subprocess, with the user's folders in a temp dir."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Self

from sync.paths import Paths

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "calendar.ics"


@dataclass(frozen=True)
class Home(Paths):
    """A user's folders for one test (config, and data: state, token, log), with the
    project's own idea of what lives where, and a way to run the CLI on them."""

    @classmethod
    def at(cls, base: Path, **fields: object) -> Self:
        return cls(config_dir=base / "config", data_dir=base / "data", **fields)

    @property
    def base(self) -> Path:
        return self.config_dir.parent

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FOLLOWUP_", "OAUTHLIB_"))}
        env.update(FOLLOWUP_CONFIG_DIR=str(self.config_dir), FOLLOWUP_DATA_DIR=str(self.data_dir))
        env.update(extra)
        return env

    def run(
        self, *args: str, timeout: float = 60, **extra: str
    ) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "sync.cli", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def popen(self, *args: str, **extra: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "sync.cli", *args],
            cwd=ROOT,
            env=self.env(**extra),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def wait_for(predicate: Callable[[], object], timeout: float = 30.0) -> bool:
    """Poll until `predicate()` is true (a background process got somewhere), bounded."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False
