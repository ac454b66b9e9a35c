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


def interview_body(summary: str, start, *, minutes: int = 45, **extra) -> dict:
    """A Google event resource for an interview starting at aware `start`."""
    from datetime import timedelta

    body = {
        "summary": summary,
        "description": extra.pop("description", "Interview with the hiring team."),
        "start": {"dateTime": start.isoformat(), "timeZone": "UTC"},
        "end": {"dateTime": (start + timedelta(minutes=minutes)).isoformat(), "timeZone": "UTC"},
    }
    body.update(extra)
    return body


def reminders_in(emulator, calendar_id: str, *, include_deleted: bool = False) -> list[dict]:
    """Events the tool wrote (marker) in a calendar."""
    return [
        e
        for e in emulator.events(calendar_id, include_deleted=include_deleted)
        if (e.get("extendedProperties") or {}).get("private", {}).get("followup_managed") == "1"
    ]


def followup_calendars(emulator) -> list[str]:
    return [c["id"] for c in emulator.calendars() if c["summary"] == "Interview follow-ups"]
