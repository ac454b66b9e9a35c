"""The Calendar emulator, driven by the real googleapiclient over loopback HTTP.

Each test states a Google behaviour the project relies on; if the emulator drifts from
it, the project's own tests would pass against a fake Google that does not exist.
"""

from __future__ import annotations

import json
import stat
import sys
import webbrowser

import google.auth.exceptions
import google.auth.transport.requests
import google.oauth2.credentials
import googleapiclient.http
import pytest
from googleapiclient.errors import HttpError

from tests.emulator import CalendarEmulator
from tests.emulator.pytest_plugin import build_service, new_batch

CAL = "https://www.googleapis.com/auth/"


def _event(summary="Phone screen with Acme", day=1, **extra):
    body = {
        "summary": summary,
        "start": {"dateTime": f"2024-05-{day:02d}T10:00:00+02:00"},
        "end": {"dateTime": f"2024-05-{day:02d}T10:30:00+02:00"},
    }
    body.update(extra)
    return body


def _reason(err: HttpError) -> str:
    return json.loads(err.content)["error"]["errors"][0]["reason"]


def _status(call) -> tuple[int, str]:
    with pytest.raises(HttpError) as info:
        call.execute()
    return info.value.resp.status, _reason(info.value)


# -- discovery-based validation ---------------------------------------------------
def test_unknown_query_parameter_is_rejected(emulator_service):
    request = emulator_service.events().list(calendarId="primary")
    request.uri += "&colour=blue"  # the client itself refuses unknown kwargs
    with pytest.raises(HttpError) as info:
        request.execute()
    assert info.value.resp.status == 400
    assert _reason(info.value) == "invalidParameter"


def test_query_parameter_types_enums_and_ranges(emulator_service):
    events = emulator_service.events()
    assert _status(events.list(calendarId="primary", maxResults=2501)) == (400, "invalid")
    bad_enum = events.list(calendarId="primary")
    bad_enum.uri += "&orderBy=title"
    assert _status(bad_enum)[0] == 400
    assert _status(events.list(calendarId="primary", orderBy="startTime"))[0] == 400
    assert events.list(calendarId="primary", maxResults=2500).execute()["items"] == []


def test_unknown_body_fields_are_rejected_recursively(emulator_service, emulator):
    events = emulator_service.events()
    assert _status(events.insert(calendarId="primary", body=_event(followupDue=True)))[0] == 400
    nested = _event()
    nested["start"]["zone"] = "Europe/Berlin"
    assert _status(events.insert(calendarId="primary", body=nested))[0] == 400
    props = _event(extendedProperties={"private": {"a": "b"}, "secret": {}})
    assert _status(events.insert(calendarId="primary", body=props))[0] == 400
    wrong_type = _event(attendees=[{"email": "a@example.com", "optional": "yes"}])
    assert _status(events.insert(calendarId="primary", body=wrong_type))[0] == 400
    assert emulator.events("primary") == []
    ok = events.insert(
        calendarId="primary",
        body=_event(
            attendees=[{"email": "me@example.com", "self": True, "responseStatus": "accepted"}]
        ),
    ).execute()
    assert ok["status"] == "confirmed" and ok["organizer"]["email"] == emulator.primary_id


def test_missing_end_and_reversed_times_are_rejected(emulator_service):
    events = emulator_service.events()
    no_end = _event()
    del no_end["end"]
    assert _status(events.insert(calendarId="primary", body=no_end)) == (400, "required")
    backwards = _event(end={"dateTime": "2024-05-01T09:00:00+02:00"})
    assert _status(events.insert(calendarId="primary", body=backwards)) == (400, "timeRangeEmpty")


def test_more_than_five_reminder_overrides_are_rejected(emulator_service):
    overrides = [{"method": "popup", "minutes": m} for m in range(6)]
    body = _event(reminders={"useDefault": False, "overrides": overrides})
    assert _status(emulator_service.events().insert(calendarId="primary", body=body))[0] == 400
    body["reminders"]["overrides"] = overrides[:5]
    made = emulator_service.events().insert(calendarId="primary", body=body).execute()
    assert len(made["reminders"]["overrides"]) == 5


# -- sync tokens ------------------------------------------------------------------------
def test_sync_token_cannot_be_combined_with_time_filters(emulator_service):
    events = emulator_service.events()
    token = events.list(calendarId="primary").execute()["nextSyncToken"]
    assert (
        _status(events.list(calendarId="primary", syncToken=token, timeMin="2024-01-01T00:00:00Z"))[
            0
        ]
        == 400
    )
    assert _status(events.list(calendarId="primary", syncToken=token, showDeleted=False))[0] == 400
    assert events.list(calendarId="primary", syncToken=token).execute()["items"] == []


def _read_all(service, **kwargs):
    pages, items = [], []
    request = service.events().list(calendarId="primary", **kwargs)
    while request is not None:
        page = service_page = request.execute()
        pages.append(page)
        items += page["items"]
        request = service.events().list_next(request, service_page)
    return pages, items


def test_full_read_in_pages_then_incremental_read_returns_only_changes(emulator_service, emulator):
    seeded = [emulator.put_event("primary", _event(f"Interview {i}", day=i + 1)) for i in range(7)]
    pages, items = _read_all(emulator_service, maxResults=3)
    assert [len(p["items"]) for p in pages] == [3, 3, 1]
    assert ["nextSyncToken" in p for p in pages] == [False, False, True]
    assert [e["id"] for e in items] == [e["id"] for e in seeded]
    token = pages[-1]["nextSyncToken"]

    emulator.patch_event_direct("primary", seeded[0]["id"], {"summary": "Onsite final"})
    emulator.delete_event_direct("primary", seeded[1]["id"])
    added = emulator.put_event("primary", _event("Recruiter call", day=20))

    pages, changes = _read_all(emulator_service, syncToken=token, maxResults=2)
    assert [len(p["items"]) for p in pages] == [2, 1]
    by_id = {e["id"]: e for e in changes}
    assert set(by_id) == {seeded[0]["id"], seeded[1]["id"], added["id"]}
    assert by_id[seeded[0]["id"]]["summary"] == "Onsite final"
    assert by_id[seeded[1]["id"]]["status"] == "cancelled"
    assert "summary" not in by_id[seeded[1]["id"]]
    assert all(p["nextPageToken"] for p in pages[:-1])

    _, again = _read_all(emulator_service, syncToken=pages[-1]["nextSyncToken"])
    assert again == []
    _, full = _read_all(emulator_service)  # tombstones hidden by default
    assert seeded[1]["id"] not in {e["id"] for e in full} and len(full) == 7
    _, with_deleted = _read_all(emulator_service, showDeleted=True)
    assert len(with_deleted) == 8


def test_expired_sync_token_answers_410_full_sync_required(emulator_service, emulator):
    emulator.put_event("primary", _event())
    token = emulator_service.events().list(calendarId="primary").execute()["nextSyncToken"]
    emulator.expire_sync_tokens()
    with pytest.raises(HttpError) as info:
        emulator_service.events().list(calendarId="primary", syncToken=token).execute(
            num_retries=3
        )  # 410 is never retried
    assert info.value.resp.status == 410 and _reason(info.value) == "fullSyncRequired"
    assert emulator.count("events.list") == 2
    assert (
        _status(emulator_service.events().list(calendarId="primary", syncToken="made-up"))[0] == 410
    )


def test_time_window_updated_min_and_text_filters(emulator_service, emulator):
    early = emulator.put_event("primary", _event("Phone screen", day=1))
    late = emulator.put_event("primary", _event("Final onsite", day=20, location="Acme HQ"))
    emulator.put_event(
        "primary",
        {"summary": "Holiday", "start": {"date": "2024-05-10"}, "end": {"date": "2024-05-11"}},
    )
    ids = lambda **kw: [e["id"] for e in _read_all(emulator_service, **kw)[1]]  # noqa: E731
    assert ids(timeMin="2024-05-15T00:00:00Z") == [late["id"]]
    assert ids(timeMax="2024-05-02T00:00:00Z") == [early["id"]]
    assert ids(q="acme hq") == [late["id"]]
    assert len(ids(timeMin="2024-05-10T12:00:00Z", timeMax="2024-05-10T13:00:00Z")) == 1
    assert ids(updatedMin=late["updated"])[0] == late["id"]
    ordered = _read_all(emulator_service, singleEvents=True, orderBy="startTime")[1]
    assert [e["summary"] for e in ordered] == ["Phone screen", "Holiday", "Final onsite"]


# -- ids, duplicates and tombstones -------------------------------------------------------
def test_duplicate_and_deleted_ids_conflict_and_patch_restores(emulator_service, emulator):
    events = emulator_service.events()
    made = events.insert(calendarId="primary", body=_event(id="fu0001fu0001")).execute()
    assert made["id"] == "fu0001fu0001"
    assert _status(events.insert(calendarId="primary", body=_event(id="fu0001fu0001"))) == (
        409,
        "duplicate",
    )
    events.delete(calendarId="primary", eventId="fu0001fu0001").execute()
    assert _status(events.insert(calendarId="primary", body=_event(id="fu0001fu0001")))[0] == 409
    assert _status(events.delete(calendarId="primary", eventId="fu0001fu0001")) == (410, "deleted")
    assert (
        events.get(calendarId="primary", eventId="fu0001fu0001").execute()["status"] == "cancelled"
    )
    restored = events.patch(
        calendarId="primary",
        eventId="fu0001fu0001",
        body={"status": "confirmed", "summary": "Follow up"},
    ).execute()
    assert restored["status"] == "confirmed" and restored["start"] == made["start"]
    assert [e["summary"] for e in emulator.events("primary")] == ["Follow up"]
    assert _status(events.get(calendarId="primary", eventId="nosuchevent")) == (404, "notFound")


@pytest.mark.parametrize("bad_id", ["abcd", "Followup01", "follow-up-1", "wxyz12345"])
def test_client_ids_must_be_base32hex(emulator_service, bad_id):
    assert _status(
        emulator_service.events().insert(calendarId="primary", body=_event(id=bad_id))
    ) == (400, "invalid")


def test_update_drops_extended_properties_and_patch_merges_them(emulator_service):
    events = emulator_service.events()
    made = events.insert(
        calendarId="primary",
        body=_event(id="abc12345", extendedProperties={"private": {"tool": "followup", "v": "1"}}),
    ).execute()
    patched = events.patch(
        calendarId="primary",
        eventId=made["id"],
        body={"extendedProperties": {"private": {"v": "2", "rule": "phone"}}},
    ).execute()
    assert patched["extendedProperties"]["private"] == {
        "tool": "followup",
        "v": "2",
        "rule": "phone",
    }
    replaced = events.update(
        calendarId="primary", eventId=made["id"], body=_event("Replaced")
    ).execute()
    assert "extendedProperties" not in replaced and replaced["created"] == made["created"]
    assert replaced["updated"] > patched["updated"] > made["updated"]


def test_private_extended_property_filter_and_limits(emulator_service, emulator):
    events = emulator_service.events()
    long_key, long_value = "k" * 45, "v" * 1500
    mine = events.insert(
        calendarId="primary",
        body=_event(
            extendedProperties={
                "private": {"followupTool": "1", "rule": "phone", long_key: "x", "note": long_value}
            }
        ),
    ).execute()
    events.insert(
        calendarId="primary",
        body=_event(extendedProperties={"private": {"followupTool": "1", "rule": "final"}}),
    ).execute()
    events.insert(calendarId="primary", body=_event("Unmanaged")).execute()
    private = mine["extendedProperties"]["private"]
    assert long_key not in private and len(private["note"]) == 1024
    found = _read_all(emulator_service, privateExtendedProperty=["followupTool=1", "rule=phone"])[1]
    assert [e["id"] for e in found] == [mine["id"]]
    assert len(_read_all(emulator_service, privateExtendedProperty="followupTool=1")[1]) == 2


# -- batches, faults, retries -------------------------------------------------------------
def test_batch_insert_with_one_inner_part_failing(emulator_service, emulator):
    results = {}
    batch = new_batch(emulator, callback=lambda rid, resp, exc: results.update({rid: (resp, exc)}))
    for n in range(3):
        batch.add(
            emulator_service.events().insert(
                calendarId="primary", body=_event(f"Follow up {n}", id=f"batch{n:05d}")
            ),
            request_id=str(n),
        )
    emulator.inject(503, inner=True, match=lambda info: (info.body or {}).get("id") == "batch00001")
    batch.execute()
    assert results["0"][0]["id"] == "batch00000" and results["2"][0]["id"] == "batch00002"
    assert results["1"][0] is None and results["1"][1].resp.status == 503
    assert sorted(e["id"] for e in emulator.events("primary")) == ["batch00000", "batch00002"]
    batch_records = [r for r in emulator.requests if r.kind == "batch"]
    assert [r.status for r in batch_records] == [200]
    assert emulator.count("events.insert", batch_part=True) == 3


def test_rate_limit_is_retried_by_the_client(emulator_service, emulator, monkeypatch):
    sleeps = []
    monkeypatch.setattr(googleapiclient.http.time, "sleep", sleeps.append)
    emulator.inject(429, count=2, match=("GET", "/events"), retry_after=1)
    result = emulator_service.events().list(calendarId="primary").execute(num_retries=2)
    assert result["kind"] == "calendar#events"
    assert [r.status for r in emulator.requests] == [429, 429, 200]
    assert len(sleeps) == 2


def test_quota_exceeded_403_is_not_retried(emulator_service, emulator, monkeypatch):
    monkeypatch.setattr(googleapiclient.http.time, "sleep", lambda s: None)
    emulator.inject(403, reason="quotaExceeded")
    assert _status(emulator_service.events().list(calendarId="primary")) == (403, "quotaExceeded")
    emulator.inject(403, reason="userRateLimitExceeded")
    emulator_service.events().list(calendarId="primary").execute(num_retries=1)
    assert [r.status for r in emulator.requests] == [403, 403, 200]


def test_dropped_connection_is_survived_with_retries(emulator_service, emulator, monkeypatch):
    monkeypatch.setattr(googleapiclient.http.time, "sleep", lambda s: None)
    emulator.drop_connections(2, match=("GET", "/events"))
    assert emulator_service.events().list(calendarId="primary").execute(num_retries=3)
    assert [r.status for r in emulator.requests] == [0, 0, 200]


# -- calendars ------------------------------------------------------------------------------
def test_secondary_calendar_lifecycle(emulator_service, emulator):
    cal = (
        emulator_service.calendars()
        .insert(body={"summary": "Follow-ups", "timeZone": "Europe/Berlin"})
        .execute()
    )
    assert cal["id"].endswith("@group.calendar.google.com")
    listed = emulator_service.calendarList().list().execute()["items"]
    assert {c["id"] for c in listed} == {emulator.primary_id, cal["id"]}
    assert [c.get("primary", False) for c in listed] == [True, False]
    emulator_service.events().insert(calendarId=cal["id"], body=_event()).execute()
    assert len(emulator.events(cal["id"])) == 1
    emulator_service.calendars().delete(calendarId=cal["id"]).execute()
    assert _status(emulator_service.events().list(calendarId=cal["id"])) == (404, "notFound")
    assert _status(emulator_service.calendars().insert(body={}))[0] == 400


# -- auth and scopes ------------------------------------------------------------------------
def test_requests_need_a_known_bearer_token(emulator):
    import requests

    url = emulator.api_endpoint + "calendars/primary/events"
    for headers in ({}, {"Authorization": "Bearer forged"}):
        answer = requests.get(url, headers=headers, timeout=5)
        assert answer.status_code == 401
        assert answer.json()["error"]["errors"][0]["reason"] == "authError"
    ok = requests.get(url, headers={"Authorization": "Bearer test-token"}, timeout=5)
    assert ok.status_code == 200
    # Credentials that cannot refresh turn the 401 into a RefreshError in the client.
    with pytest.raises(google.auth.exceptions.RefreshError):
        build_service(emulator, token="forged").events().list(calendarId="primary").execute()


def test_readonly_scope_can_read_but_not_write(emulator):
    emulator.allow_token("ro", [CAL + "calendar.events.readonly"])
    service = build_service(emulator, token="ro")
    assert service.events().list(calendarId="primary").execute()["items"] == []
    assert _status(service.events().insert(calendarId="primary", body=_event())) == (
        403,
        "insufficientPermissions",
    )
    assert _status(service.calendars().insert(body={"summary": "x"}))[0] == 403


def test_app_created_scope_reaches_only_its_own_calendars(emulator):
    emulator.allow_token("app", [CAL + "calendar.app.created"], client_id="our-app")
    other = emulator.add_calendar("Someone else's", owner_app="other-app")
    service = build_service(emulator, token="app")
    mine = service.calendars().insert(body={"summary": "Follow-ups"}).execute()["id"]
    service.events().insert(calendarId=mine, body=_event()).execute()
    assert len(service.events().list(calendarId=mine).execute()["items"]) == 1
    for cal in ("primary", other):  # out of reach: answered as if it did not exist
        assert _status(service.events().insert(calendarId=cal, body=_event())) == (404, "notFound")
        assert _status(service.events().list(calendarId=cal)) == (404, "notFound")
    emulator.allow_token("owned", [CAL + "calendar.events.owned"])
    build_service(emulator, token="owned").events().insert(
        calendarId="primary", body=_event()
    ).execute()


# -- OAuth ----------------------------------------------------------------------------------
def _browser(tmp_path, monkeypatch):
    """A `BROWSER` that follows the consent redirect in the background (webbrowser
    waits for the command, while run_local_server only listens after it returns)."""
    follower = tmp_path / "follow.py"
    follower.write_text(
        "import sys, urllib.request\nurllib.request.urlopen(sys.argv[1], timeout=10).read()\n"
    )
    script = tmp_path / "browser.sh"
    script.write_text(
        f'#!/bin/sh\n"{sys.executable}" "{follower}" "$1" >"{tmp_path}/browser.log" 2>&1 &\n'
    )
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("BROWSER", str(script))
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # re-read BROWSER
    monkeypatch.setattr(webbrowser, "_browsers", {})


def _flow(emulator, tmp_path, scopes):
    from google_auth_oauthlib.flow import InstalledAppFlow

    client_file = emulator.write_client_file(tmp_path / "client.json")
    return InstalledAppFlow.from_client_secrets_file(client_file, scopes=scopes)


def test_installed_app_flow_end_to_end(emulator, tmp_path, monkeypatch):
    _browser(tmp_path, monkeypatch)
    scopes = [CAL + "calendar.app.created", CAL + "calendar.events.owned.readonly"]
    creds = _flow(emulator, tmp_path, scopes).run_local_server(
        port=0, open_browser=True, timeout_seconds=10
    )
    assert creds.token.startswith("ya29.") and creds.refresh_token
    assert emulator.granted_scopes == [frozenset(scopes)]

    saved = tmp_path / "token.json"
    saved.write_text(creds.to_json())
    reloaded = google.oauth2.credentials.Credentials.from_authorized_user_file(
        str(saved)
    ).with_token_uri(emulator.root + "token")
    service = build_service(emulator, token="unused")
    service._http.credentials = reloaded  # the AuthorizedHttp refreshes on 401
    # with_token_uri() copies drop `expiry` (google-auth 2.63), so the stale token is
    # sent once and only the emulator's 401 makes the client refresh.
    emulator.expire_access_tokens()
    assert service.events().list(calendarId="primary").execute()["items"] == []
    assert reloaded.token != creds.token and emulator.count("oauth.token") == 2

    emulator.revoke_refresh_tokens()
    with pytest.raises(google.auth.exceptions.RefreshError) as info:
        reloaded.refresh(google.auth.transport.requests.Request())
    assert "invalid_grant" in str(info.value) and not info.value.retryable


def test_consent_can_be_denied(emulator, tmp_path, monkeypatch):
    _browser(tmp_path, monkeypatch)
    emulator.deny_next_consent()
    with pytest.raises(Exception, match="access_denied"):
        _flow(emulator, tmp_path, [CAL + "calendar.app.created"]).run_local_server(
            port=0, open_browser=True, timeout_seconds=10
        )
    assert emulator.granted_scopes == []


def test_expired_access_token_is_refreshed_on_401_and_revoke_endpoint(
    emulator, tmp_path, monkeypatch
):
    _browser(tmp_path, monkeypatch)
    creds = _flow(emulator, tmp_path, [CAL + "calendar"]).run_local_server(
        port=0, open_browser=True, timeout_seconds=10
    )
    service = build_service(emulator, token="unused")
    service._http.credentials = creds
    emulator.expire_access_tokens()
    assert service.calendarList().list().execute()["items"]
    assert [r.status for r in emulator.requests if r.kind == "calendarList.list"] == [401, 200]
    import requests

    answer = requests.post(
        emulator.root + "revoke", params={"token": creds.refresh_token}, timeout=5
    )
    assert answer.status_code == 200
    with pytest.raises(google.auth.exceptions.RefreshError):  # 401, then refresh fails
        service.calendarList().list().execute()
    assert (
        requests.post(
            emulator.root + "revoke", params={"token": creds.refresh_token}, timeout=5
        ).status_code
        == 400
    )


# -- scale ----------------------------------------------------------------------------------
def test_large_calendar_lists_in_full_pages(emulator_service, emulator):
    emulator.put_events("primary", (_event(f"e{i}", day=1 + i % 28) for i in range(6000)))
    pages, items = _read_all(emulator_service, maxResults=2500)
    assert [len(p["items"]) for p in pages] == [2500, 2500, 1000]
    assert len({e["id"] for e in items}) == 6000


def test_short_pages_still_carry_next_page_token(emulator_service, emulator):
    emulator.put_events("primary", (_event(f"e{i}") for i in range(5)))
    emulator.max_page_size = 2
    pages, items = _read_all(emulator_service, maxResults=250)
    assert [len(p["items"]) for p in pages] == [2, 2, 1] and len(items) == 5


def test_standalone_emulator_object_is_reusable_as_context_manager():
    with CalendarEmulator(user_email="me@example.org") as emu:
        assert emu.root.startswith("http://127.0.0.1:") and emu.primary_id == "me@example.org"
        assert emu.calendars()[0]["primary"] is True
