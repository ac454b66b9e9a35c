"""Shared helpers for the Google tests: run the CLI against the emulator."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BROWSER = Path(__file__).with_name("browser.py")


@dataclass
class Home:
    """A user's config and data folders in tmp_path, wired to one emulator."""

    config_dir: Path
    data_dir: Path
    emulator: object

    @property
    def token_file(self) -> Path:
        return self.data_dir / "token.json"

    @property
    def state_file(self) -> Path:
        return self.data_dir / "state.sqlite3"

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("FOLLOWUP_", "OAUTHLIB_"))}
        script = self.config_dir.parent / "browser.sh"
        if not script.exists():
            script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{BROWSER}" "$1"\n')
            script.chmod(script.stat().st_mode | stat.S_IXUSR)
        env.update(
            FOLLOWUP_CONFIG_DIR=str(self.config_dir),
            FOLLOWUP_DATA_DIR=str(self.data_dir),
            FOLLOWUP_GOOGLE_API_ROOT=self.emulator.root,
            FOLLOWUP_BACKOFF_BASE="0.01",
            BROWSER=str(script),
            PYTHONPATH=str(ROOT),
        )
        env.update(extra)
        return env

    def run(self, *args: str, timeout: float = 60, **extra: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "sync.cli", *args],
            cwd=ROOT,
            env=self.env(**extra),
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def make_home(tmp_path: Path, emulator) -> Home:
    home = Home(tmp_path / "config", tmp_path / "data", emulator)
    home.config_dir.mkdir()
    emulator.write_client_file(home.config_dir / "credentials.json")
    return home
