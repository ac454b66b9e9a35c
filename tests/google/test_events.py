"""The reminder <-> event mapping: the hash of a written event equals the reminder's."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from rules.model import Policy
from rules.policy import decide
from rules.vocabulary import default_vocabulary
from sync.google.convert import event_from_api
from sync.google.events import content_hash_of, is_managed, reminder_body

from .helpers import ROOT, interview_body

NOW = datetime(2026, 12, 2, 12, tzinfo=UTC)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Berlin", "America/Los_Angeles"])
def test_written_event_hashes_like_its_reminder(zone):
    resource = {**interview_body("Phone screen with Acme", NOW - timedelta(days=1)), "id": "a1234"}
    event = event_from_api(resource, calendar_id="primary", calendar_tz=zone)
    decisions = decide(
        [event],
        now=NOW,
        user_tz=ZoneInfo(zone),
        policy=Policy(alert_minutes_before=10),
        vocab=default_vocabulary(),
    )
    (reminder,) = decisions.reminders
    body = reminder_body(reminder)
    assert content_hash_of(body) == reminder.content_hash()
    assert body["id"] == reminder.key and is_managed(body)
    assert all(len(k) <= 44 for k in body["extendedProperties"]["private"])
    # Google may answer with the instant in another offset: still the same content.
    shifted = dict(
        body,
        start={
            "dateTime": reminder.start.astimezone(UTC).isoformat(),
            "timeZone": body["start"]["timeZone"],
        },
    )
    assert content_hash_of(shifted) == reminder.content_hash()
    for edit in ({"summary": "mine"}, {"description": "x"}, {"reminders": {"useDefault": True}}):
        assert content_hash_of({**body, **edit}) != reminder.content_hash()


@pytest.mark.parametrize("command", ["sync", "status", "connect", "list"])
def test_command_help_does_not_import_the_google_client(command):
    code = (
        "import sys, sync.app\n"
        f"sync.app.run([{command!r}, '--help'])\n"
        "print(any(m.startswith(('googleapiclient', 'google_auth_oauthlib')) for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert "Example" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "False"
