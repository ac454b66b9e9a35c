"""What the emulator enforces about scopes, reach and lost answers, and the faults the
sync core defends against, driven by the real googleapiclient over loopback HTTP.

Scope choices not confirmed against Google (see tests/emulator/server.py): a calendar
that a grant's fitting scopes cannot reach answers 404 notFound, the answer Google's
error guide gives for calendars the caller cannot see; `calendar.events.freebusy` and
`calendar.events.public.readonly` are refused outright (Google answers a reduced view).
"""

from __future__ import annotations

import json

import googleapiclient.http
import pytest
from googleapiclient.errors import HttpError

from tests.emulator.discovery import Discovery
from tests.emulator.pytest_plugin import build_service, new_batch

CAL = "https://www.googleapis.com/auth/"
APP = CAL + "calendar.app.created"
EVENTS_RO = CAL + "calendar.events.readonly"
LIST_RO = CAL + "calendar.calendarlist.readonly"
VIEW_ONLY = {CAL + "calendar.events.freebusy", CAL + "calendar.events.public.readonly"}


def _event(summary="Follow up with Acme", day=3, **extra):
    body = {
        "summary": summary,
        "start": {"dateTime": f"2024-06-{day:02d}T09:00:00Z"},
        "end": {"dateTime": f"2024-06-{day:02d}T09:15:00Z"},
    }
    body.update(extra)
    return body


def _error(call) -> tuple[int, str]:
    with pytest.raises(HttpError) as info:
        call.execute()
    return info.value.resp.status, json.loads(info.value.content)["error"]["errors"][0]["reason"]


@pytest.fixture
def no_sleep(monkeypatch):
    monkeypatch.setattr(googleapiclient.http.time, "sleep", lambda s: None)


# -- 1. each method accepts exactly the scopes its discovery entry lists --------------
def _calls(service, cal: str, event: str) -> dict:
    """One request maker per implemented method, against calendar `cal`, event `event`
    (makers, not requests: building a request in googleapiclient is not free)."""
    events, calendars, entries = service.events, service.calendars, service.calendarList
    return {
        "events.list": lambda: events().list(calendarId=cal),
        "events.get": lambda: events().get(calendarId=cal, eventId=event),
        "events.insert": lambda: events().insert(calendarId=cal, body=_event()),
        "events.patch": lambda: events().patch(calendarId=cal, eventId=event, body={"id": event}),
        "events.update": lambda: events().update(calendarId=cal, eventId=event, body=_event()),
        "events.delete": lambda: events().delete(calendarId=cal, eventId=event),
        "calendars.insert": lambda: calendars().insert(body={"summary": "Interview follow-ups"}),
        "calendars.get": lambda: calendars().get(calendarId=cal),
        "calendars.patch": lambda: calendars().patch(calendarId=cal, body={"summary": "Renamed"}),
        "calendars.update": lambda: calendars().update(calendarId=cal, body={"summary": "R"}),
        "calendars.delete": lambda: calendars().delete(calendarId=cal),
        "calendarList.list": lambda: entries().list(),
        "calendarList.get": lambda: entries().get(calendarId=cal),
    }


def test_each_method_accepts_exactly_the_scopes_of_its_discovery_entry(emulator):
    discovery = Discovery()
    allowed = {m.kind: set(m.scopes) - VIEW_ONLY for m in discovery.methods}
    all_scopes = sorted(discovery.doc["auth"]["oauth2"]["scopes"])
    wrong = []
    for scope in all_scopes:
        token = "tok-" + scope.rsplit("/", 1)[-1]
        emulator.allow_token(token, [scope])
        service = build_service(emulator, token=token)
        for kind in _calls(service, "x", "y"):
            # A fresh calendar (made by this app) and event for every call: deletes and
            # inserts must not change what the next call finds.
            cal = emulator.add_calendar("Follow-ups", owner_app=emulator.client_id)
            event = emulator.put_event(cal, _event(id="evt00001"))["id"]
            request = _calls(service, cal, event)[kind]()
            try:
                request.execute()
                refused = False
            except HttpError as exc:
                refused = json.loads(exc.content)["error"]["errors"][0]["reason"] == (
                    "insufficientPermissions"
                )
                assert not refused or exc.resp.status == 403
            if refused == (scope in allowed[kind]):
                wrong.append(f"{kind} with {scope}: {'refused' if refused else 'accepted'}")
    assert wrong == []


def test_insufficient_scopes_answer_as_google_does_and_are_not_retried(emulator, no_sleep):
    emulator.allow_token("ro", [EVENTS_RO])
    service = build_service(emulator, token="ro")
    bad_body = {"summary": "no times", "colour": "blue"}  # scopes are checked first
    with pytest.raises(HttpError) as info:
        service.events().insert(calendarId="primary", body=bad_body).execute(num_retries=3)
    assert info.value.resp.status == 403
    assert 'error="insufficient_scope"' in info.value.resp["www-authenticate"]
    error = json.loads(info.value.content)["error"]
    assert error["message"] == "Request had insufficient authentication scopes."
    assert error["status"] == "PERMISSION_DENIED"
    item = {"domain": "global", "reason": "insufficientPermissions"}
    assert error["errors"] == [{**item, "message": "Insufficient Permission"}]
    assert error["details"][0]["reason"] == "ACCESS_TOKEN_SCOPE_INSUFFICIENT"
    assert error["details"][0]["metadata"]["method"] == "calendar.v3.Events.Insert"
    assert emulator.count("events.insert") == 1
    assert emulator.events("primary") == []


def test_batch_parts_are_checked_for_scope_and_reach_one_by_one(emulator):
    emulator.allow_token("app", [EVENTS_RO, APP])
    service = build_service(emulator, token="app")
    mine = service.calendars().insert(body={"summary": "Interview follow-ups"}).execute()["id"]
    results = {}
    batch = new_batch(emulator, callback=lambda rid, resp, exc: results.update({rid: exc}))
    batch.add(service.events().list(calendarId="primary"), request_id="read-primary")
    batch.add(service.events().insert(calendarId="primary", body=_event()), request_id="w-primary")
    batch.add(service.events().insert(calendarId=mine, body=_event()), request_id="w-mine")
    batch.add(service.calendarList().list(), request_id="list")
    batch.execute()
    status = {rid: exc.resp.status if exc else 200 for rid, exc in results.items()}
    assert status == {"read-primary": 200, "w-primary": 404, "w-mine": 200, "list": 403}
    assert json.loads(results["list"].content)["error"]["errors"][0]["reason"] == (
        "insufficientPermissions"
    )
    assert len(emulator.events(mine)) == 1 and emulator.events("primary") == []
    assert [r.status for r in emulator.requests if r.kind == "batch"] == [200]


# -- 2. calendar.app.created reaches only the calendars this client created ----------------
def test_app_created_grant_reaches_only_calendars_this_client_created(emulator):
    emulator.register_client("other-app", "other-secret")
    emulator.allow_token("app", [APP])
    service = build_service(emulator, token="app")
    mine = service.calendars().insert(body={"summary": "Interview follow-ups"}).execute()["id"]
    earlier_install = emulator.add_calendar("Interview follow-ups", owner_app=emulator.client_id)
    made_in_ui = emulator.add_calendar("Holidays")
    other_app = emulator.add_calendar("Interview follow-ups", owner_app="other-app")
    for cal in ("primary", emulator.primary_id, made_in_ui, other_app):
        event = emulator.put_event(cal, _event(id="seen00001"))["id"]
        for kind, make in _calls(service, cal, event).items():
            if kind in ("calendars.insert", "calendarList.list"):
                continue
            assert _error(make()) == (404, "notFound"), (cal, kind)
        assert [e["summary"] for e in emulator.events(cal)] == ["Follow up with Acme"]
        assert emulator.event(cal, event)["status"] == "confirmed"
    for cal in (mine, earlier_install):
        made = service.events().insert(calendarId=cal, body=_event()).execute()
        patched = service.events().patch(
            calendarId=cal, eventId=made["id"], body={"summary": "Write to Acme"}
        )
        assert patched.execute()["summary"] == "Write to Acme"
        assert service.calendars().get(calendarId=cal).execute()["id"] == cal
        assert service.calendarList().get(calendarId=cal).execute()["accessRole"] == "owner"
        service.events().delete(calendarId=cal, eventId=made["id"]).execute()
    assert service.calendars().patch(calendarId=mine, body={"description": "d"}).execute()[
        "description"
    ] == ("d")
    service.calendars().delete(calendarId=earlier_install).execute()
    # calendarList.list does not accept app.created at all (discovery document).
    assert _error(service.calendarList().list()) == (403, "insufficientPermissions")


def test_calendarlist_readonly_lists_every_calendar_of_the_account(emulator):
    emulator.register_client("old-client", "old-secret")
    emulator.allow_token("app", [EVENTS_RO, APP, LIST_RO])
    service = build_service(emulator, token="app")
    mine = (
        service.calendars()
        .insert(
            body={
                "summary": "Interview follow-ups",
                "description": "ours",
                "timeZone": "Europe/Paris",
            }
        )
        .execute()["id"]
    )
    old = emulator.add_calendar(
        "Interview follow-ups", owner_app="old-client", description="ours, earlier install"
    )
    shared = emulator.add_calendar("Team", access_role="reader", time_zone="America/New_York")
    items = service.calendarList().list().execute()["items"]
    seen = {
        c["id"]: (c["summary"], c.get("description"), c["accessRole"], c.get("primary", False))
        for c in items
    }
    assert seen == {
        emulator.primary_id: (emulator.primary_id, None, "owner", True),
        mine: ("Interview follow-ups", "ours", "owner", False),
        old: ("Interview follow-ups", "ours, earlier install", "owner", False),
        shared: ("Team", None, "reader", False),
    }
    zones = {c["id"]: c["timeZone"] for c in items}
    assert zones[mine] == "Europe/Paris" and zones[shared] == "America/New_York"
    owned = service.calendarList().list(minAccessRole="owner").execute()["items"]
    assert shared not in {c["id"] for c in owned} and len(owned) == 3
    # Listed, readable with events.readonly, but still out of reach for writing.
    assert service.calendarList().get(calendarId=old).execute()["summary"] == (
        "Interview follow-ups"
    )
    assert service.events().list(calendarId=old).execute()["items"] == []
    assert _error(service.events().insert(calendarId=old, body=_event())) == (404, "notFound")
    assert _error(service.calendars().delete(calendarId=old)) == (404, "notFound")


def test_owned_scopes_reach_only_calendars_the_user_owns(emulator):
    shared = emulator.add_calendar("Team", access_role="reader")
    emulator.put_event(shared, _event())
    emulator.allow_token("owned", [CAL + "calendar.events.owned"])
    owned = build_service(emulator, token="owned")
    owned.events().insert(calendarId="primary", body=_event()).execute()
    assert _error(owned.events().list(calendarId=shared)) == (404, "notFound")
    emulator.allow_token("all", [CAL + "calendar.events"])
    every = build_service(emulator, token="all")
    assert len(every.events().list(calendarId=shared).execute()["items"]) == 1
    assert _error(every.events().insert(calendarId=shared, body=_event())) == (
        403,
        "requiredAccessLevel",
    )
    assert len(emulator.events(shared)) == 1


# -- 3. calendars.delete --------------------------------------------------------------------
def test_deleted_calendar_and_its_events_are_gone_for_every_later_call(emulator_service, emulator):
    cal = emulator_service.calendars().insert(body={"summary": "Interview follow-ups"}).execute()
    cal_id = cal["id"]
    made = emulator_service.events().insert(calendarId=cal_id, body=_event(id="gone00001"))
    event = made.execute()["id"]
    token = emulator_service.events().list(calendarId=cal_id).execute()["nextSyncToken"]
    emulator_service.calendars().delete(calendarId=cal_id).execute()

    assert cal_id not in {c["id"] for c in emulator.calendars()}
    listed = emulator_service.calendarList().list().execute()["items"]
    assert [c["id"] for c in listed] == [emulator.primary_id]
    for kind, make in _calls(emulator_service, cal_id, event).items():
        if kind in ("calendars.insert", "calendarList.list"):
            continue
        assert _error(make()) == (404, "notFound"), kind
    assert _error(emulator_service.events().list(calendarId=cal_id, syncToken=token)) == (
        404,
        "notFound",
    )
    again = emulator_service.calendars().insert(body={"summary": "Interview follow-ups"})
    new_id = again.execute()["id"]
    assert new_id != cal_id and emulator.events(new_id) == []
    assert _error(emulator_service.calendars().delete(calendarId="primary")) == (
        400,
        "cannotDeletePrimaryCalendar",
    )


def test_calendars_patch_merges_and_update_replaces(emulator_service):
    calendars = emulator_service.calendars()
    cal = calendars.insert(
        body={"summary": "Follow-ups", "description": "ours", "timeZone": "Europe/Berlin"}
    ).execute()
    patched = calendars.patch(calendarId=cal["id"], body={"summary": "Interview follow-ups"})
    patched = patched.execute()
    assert (patched["summary"], patched["description"], patched["timeZone"]) == (
        "Interview follow-ups",
        "ours",
        "Europe/Berlin",
    )
    assert patched["etag"] != cal["etag"]
    replaced = calendars.update(calendarId=cal["id"], body={"summary": "Only"}).execute()
    assert "description" not in replaced and replaced["summary"] == "Only"
    assert _error(calendars.patch(calendarId=cal["id"], body={"timeZone": "Mars/Base"}))[0] == 400


# -- 4. lost answers: applied, then the connection closes unanswered -----------------------
def test_lost_calendars_insert_answer_leaves_a_second_calendar_after_the_resend(
    emulator_service, emulator
):
    emulator.lose_answer(kind="calendars.insert")
    made = emulator_service.calendars().insert(body={"summary": "Interview follow-ups"}).execute()
    ours = [c for c in emulator.calendars() if c["summary"] == "Interview follow-ups"]
    assert len(ours) == 2 and made["id"] in {c["id"] for c in ours}  # httplib2 re-sent it
    records = [r for r in emulator.requests if r.kind == "calendars.insert"]
    assert [(r.status, r.answer_lost) for r in records] == [(200, True), (200, False)]


def test_lost_calendars_insert_answers_raise_yet_the_calendars_exist(emulator_service, emulator):
    emulator.lose_answer(2, kind="calendars.insert")
    with pytest.raises(ConnectionError):
        emulator_service.calendars().insert(body={"summary": "Interview follow-ups"}).execute()
    listed = emulator_service.calendarList().list().execute()["items"]
    assert [c["summary"] for c in listed].count("Interview follow-ups") == 2
    assert emulator.count("calendars.insert") == 2


def test_lost_event_write_answers_are_applied(emulator_service, emulator, no_sleep):
    events = emulator_service.events()
    emulator.lose_answer(2, kind="events.insert")
    with pytest.raises(ConnectionError):
        events.insert(calendarId="primary", body=_event(id="lost00001")).execute()
    assert [e["id"] for e in emulator.events("primary")] == ["lost00001"]
    assert _error(events.insert(calendarId="primary", body=_event(id="lost00001"))) == (
        409,
        "duplicate",
    )

    emulator.lose_answer(2, kind="events.patch")
    with pytest.raises(ConnectionError):
        events.patch(calendarId="primary", eventId="lost00001", body={"summary": "New"}).execute()
    assert emulator.event("primary", "lost00001")["summary"] == "New"

    emulator.lose_answer(2, kind="events.delete")
    with pytest.raises(HttpError) as info:  # the library's own retry meets the tombstone
        events.delete(calendarId="primary", eventId="lost00001").execute(num_retries=1)
    assert info.value.resp.status == 410
    assert emulator.event("primary", "lost00001")["status"] == "cancelled"
    assert [r.answer_lost for r in emulator.requests if r.kind == "events.delete"] == [
        True,
        True,
        False,
    ]


def test_lost_batch_answer_applies_every_part(emulator_service, emulator):
    emulator.lose_answer(2, kind="batch")
    batch = new_batch(emulator)
    for n in range(3):
        body = _event(f"Follow up {n}", id=f"bat{n:05d}")
        batch.add(emulator_service.events().insert(calendarId="primary", body=body))
    with pytest.raises(ConnectionError):
        batch.execute()
    assert sorted(e["id"] for e in emulator.events("primary")) == [
        "bat00000",
        "bat00001",
        "bat00002",
    ]
    assert [r.answer_lost for r in emulator.requests if r.kind == "batch"] == [True, True]
    assert emulator.count("events.insert", batch_part=True) == 6  # second try: 3 × 409


def test_lose_answer_matches_writes_or_batches_by_their_parts(emulator_service, emulator):
    events = emulator_service.events()
    emulator.put_event("primary", _event(id="keep00001"))
    emulator.lose_answer(2)  # any write; reads pass untouched
    assert len(events.list(calendarId="primary").execute()["items"]) == 1
    with pytest.raises(ConnectionError):
        events.patch(calendarId="primary", eventId="keep00001", body={"summary": "P"}).execute()
    assert emulator.event("primary", "keep00001")["summary"] == "P"

    emulator.lose_answer(match=lambda info: "events.delete" in info.parts)
    inserts = new_batch(emulator)
    inserts.add(events.insert(calendarId="primary", body=_event(id="keep00002")))
    inserts.execute()  # no delete inside: answered
    deletes = new_batch(emulator)
    deletes.add(events.delete(calendarId="primary", eventId="keep00002"))
    deletes.execute()  # lost once, re-sent by httplib2: the part answers 410 deleted
    lost = [r.answer_lost for r in emulator.requests if r.kind == "batch"]
    assert lost == [False, True, False]
    assert emulator.event("primary", "keep00002")["status"] == "cancelled"


def test_inject_and_drop_connections_can_name_the_kind(emulator_service, emulator, no_sleep):
    emulator.inject(503, kind="calendars.insert")
    emulator.drop_connections(2, kind=("events.insert",))
    assert emulator_service.events().list(calendarId="primary").execute()["items"] == []
    assert _error(emulator_service.calendars().insert(body={"summary": "F"})) == (
        503,
        "backendError",
    )
    with pytest.raises(ConnectionError):
        emulator_service.events().insert(calendarId="primary", body=_event()).execute()
    assert emulator.events("primary") == []  # a dropped request is not applied


# -- 5. two machines, one account --------------------------------------------------------
def test_two_tokens_of_one_oauth_client_see_the_same_calendars(emulator):
    emulator.allow_token("machine1", [EVENTS_RO, APP])
    emulator.allow_token("machine2", [EVENTS_RO, APP, LIST_RO])
    first, second = build_service(emulator, "machine1"), build_service(emulator, "machine2")
    cal = first.calendars().insert(body={"summary": "Interview follow-ups"}).execute()["id"]
    first.events().insert(calendarId=cal, body=_event(id="both00001")).execute()
    assert cal in {c["id"] for c in second.calendarList().list().execute()["items"]}
    assert [e["id"] for e in second.events().list(calendarId=cal).execute()["items"]] == [
        "both00001"
    ]
    second.events().patch(calendarId=cal, eventId="both00001", body={"summary": "2"}).execute()
    assert first.events().get(calendarId=cal, eventId="both00001").execute()["summary"] == "2"
    # A token of another OAuth client (an install with its own client file) cannot.
    emulator.register_client("elsewhere", "s")
    emulator.allow_token("foreign", [EVENTS_RO, APP], client_id="elsewhere")
    foreign = build_service(emulator, "foreign")
    assert _error(foreign.events().insert(calendarId=cal, body=_event())) == (404, "notFound")


def test_two_consents_of_one_client_are_two_grants_on_the_same_calendars(
    emulator, tmp_path, monkeypatch
):
    from tests.test_emulator import _browser, _flow

    _browser(tmp_path, monkeypatch)
    scopes = [EVENTS_RO, APP]
    one, two = (
        _flow(emulator, tmp_path, scopes).run_local_server(port=0, timeout_seconds=10)
        for _ in range(2)
    )
    assert one.refresh_token != two.refresh_token and one.token != two.token
    first, second = build_service(emulator, one.token), build_service(emulator, two.token)
    cal = first.calendars().insert(body={"summary": "Interview follow-ups"}).execute()["id"]
    second.events().insert(calendarId=cal, body=_event(id="auth00001")).execute()
    assert [e["id"] for e in emulator.events(cal)] == ["auth00001"]
    assert emulator.granted_scopes == [frozenset(scopes)] * 2
