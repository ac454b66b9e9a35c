"""Shared helpers for the Google tests: run the CLI against the emulator."""

from __future__ import annotations

import stat
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.cli import ROOT
from tests.cli import Home as BaseHome

BROWSER = Path(__file__).with_name("browser.py")


@dataclass(frozen=True)
class Home(BaseHome):
    """A user's folders in tmp_path, wired to one emulator (API root, OAuth, browser)."""

    emulator: object = None

    def env(self, **extra: str) -> dict[str, str]:
        script = self.base / "browser.sh"
        if not script.exists():
            script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{BROWSER}" "$1"\n')
            script.chmod(script.stat().st_mode | stat.S_IXUSR)
        return super().env(
            FOLLOWUP_GOOGLE_API_ROOT=self.emulator.root,
            FOLLOWUP_BACKOFF_BASE="0.01",
            BROWSER=str(script),
            PYTHONPATH=str(ROOT),
            **extra,
        )


def make_home(tmp_path: Path, emulator) -> Home:
    home = Home.at(tmp_path, emulator=emulator)
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
