"""pytest fixtures: `emulator` (a fresh CalendarEmulator per test) and
`emulator_service` (a real googleapiclient Calendar service pointed at it)."""

from __future__ import annotations

import pytest

from .server import CalendarEmulator

TEST_TOKEN = "test-token"
TEST_SCOPES = ("https://www.googleapis.com/auth/calendar",)


@pytest.fixture
def emulator():
    with CalendarEmulator() as emu:
        emu.allow_token(TEST_TOKEN, TEST_SCOPES)
        yield emu


def build_service(emulator: CalendarEmulator, token: str = TEST_TOKEN):
    """A Calendar v3 service on the emulator, authorised with a fixed bearer token."""
    import google.oauth2.credentials
    from googleapiclient.discovery import build

    creds = google.oauth2.credentials.Credentials(token=token)
    return build(
        "calendar",
        "v3",
        credentials=creds,
        static_discovery=True,
        client_options={"api_endpoint": emulator.api_endpoint},
        cache_discovery=False,
    )


def new_batch(emulator: CalendarEmulator, callback=None):
    """A BatchHttpRequest that really posts to the emulator (api_endpoint does not
    move batches; `service.new_batch_http_request()` would go to googleapis.com)."""
    from googleapiclient.http import BatchHttpRequest

    return BatchHttpRequest(callback=callback, batch_uri=emulator.batch_uri)


@pytest.fixture
def emulator_service(emulator):
    return build_service(emulator)
