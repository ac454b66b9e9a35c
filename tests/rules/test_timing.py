"""The follow-up window: SPEC examples, DST days, far-apart zones, and properties."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules.classify import classify, local_date
from rules.model import Classification, Policy, Stage
from rules.timing import followup_window, wall_time
from tests.rules.helpers import interview

NY = ZoneInfo("America/New_York")
BERLIN = ZoneInfo("Europe/Berlin")
POLICY = Policy()


def window_for(event, vocab, user_tz=None, policy=POLICY):
    verdict = classify(event, vocab)
    assert verdict.interview, verdict.reasons
    return followup_window(event, verdict, policy=policy, user_tz=user_tz)


def test_spec_example_phone_screen_on_thursday(vocab):
    """SPEC: phone screen Thu 2026-12-03 -> window Tue 12-08 .. Thu 12-10, reminder
    Tue 12-08 09:30."""
    event = interview("Phone screen - Acme", datetime(2026, 12, 3, 14, 0, tzinfo=NY))
    window = window_for(event, vocab)
    assert (window.start, window.end) == (date(2026, 12, 8), date(2026, 12, 10))
    assert window.remind_at == datetime(2026, 12, 8, 9, 30, tzinfo=NY)
    assert window.basis == "phone"


def test_spec_example_phone_screen_on_monday(vocab):
    """SPEC: phone screen Mon 2026-12-07 -> window Sat 12-12 .. Mon 12-14, reminder
    Mon 12-14 (the weekend is skipped)."""
    event = interview("Phone screen - Acme", datetime(2026, 12, 7, 10, 0, tzinfo=NY))
    window = window_for(event, vocab)
    assert (window.start, window.end) == (date(2026, 12, 12), date(2026, 12, 14))
    assert window.remind_at == datetime(2026, 12, 14, 9, 30, tzinfo=NY)


def test_final_round_window_is_day_7_to_10(vocab):
    event = interview("Acme | Final round", datetime(2026, 12, 3, 9, 0, tzinfo=NY))
    window = window_for(event, vocab)
    assert (window.start, window.end) == (date(2026, 12, 10), date(2026, 12, 13))
    assert window.remind_at.date() == date(2026, 12, 10)  # a Thursday
    assert window.basis == "final"


def test_tokyo_late_evening_counts_from_tokyo_date_reminder_in_los_angeles(vocab):
    """23:30 in Tokyo on Thu Dec 3 is still Dec 3 morning... in LA it is Dec 3 06:30.
    The window counts from Tokyo's date; the reminder is 09:30 Los Angeles time."""
    tokyo, la = ZoneInfo("Asia/Tokyo"), ZoneInfo("America/Los_Angeles")
    event = interview("Phone screen - Sony", datetime(2026, 12, 3, 23, 30, tzinfo=tokyo))
    window = window_for(event, vocab, user_tz=la)
    assert (window.start, window.end) == (date(2026, 12, 8), date(2026, 12, 10))
    assert window.remind_at == datetime(2026, 12, 8, 9, 30, tzinfo=la)
    assert window.remind_at.utcoffset() == timedelta(hours=-8)


def test_late_evening_in_new_york_is_the_next_day_in_utc_but_counts_local(vocab):
    event = interview("Phone screen - Acme", datetime(2026, 12, 3, 22, 0, tzinfo=NY))
    window = window_for(event, vocab, user_tz=ZoneInfo("UTC"))
    assert window.start == date(2026, 12, 8)  # not Dec 9 (UTC date of the interview)


@pytest.mark.parametrize(
    ("zone", "interview_day", "expected_offset"),
    [
        # Berlin springs forward on Sun 2026-03-29: a reminder on Tue 03-31 is CEST.
        ("Europe/Berlin", date(2026, 3, 24), timedelta(hours=2)),
        # Berlin falls back on Sun 2026-10-25: reminder Thu 10-29 is CET.
        ("Europe/Berlin", date(2026, 10, 22), timedelta(hours=1)),
        # New York springs forward on Sun 2026-03-08.
        ("America/New_York", date(2026, 3, 3), timedelta(hours=-4)),
        # New York falls back on Sun 2026-11-01.
        ("America/New_York", date(2026, 10, 27), timedelta(hours=-5)),
    ],
)
def test_reminder_across_dst_change_keeps_wall_time(vocab, zone, interview_day, expected_offset):
    tz = ZoneInfo(zone)
    start = datetime.combine(interview_day, time(11, 0), tzinfo=tz)
    window = window_for(interview("Phone screen - Acme", start), vocab)
    assert window.remind_at.timetz().replace(tzinfo=None) == time(9, 30)
    assert window.remind_at.utcoffset() == expected_offset
    assert window.start == interview_day + timedelta(days=5)


def test_interview_on_the_dst_day_itself(vocab):
    """An interview on the day the clocks change still counts from that local date."""
    start = datetime(2026, 3, 29, 10, 0, tzinfo=BERLIN)  # Sunday, DST starts 02:00
    window = window_for(interview("Phone screen - Acme", start), vocab)
    assert window.start == date(2026, 4, 3)


def test_reminder_time_in_a_dst_gap_moves_forward():
    """02:30 does not exist in Berlin on 2026-03-29: the wall clock reads 03:30."""
    moment = wall_time(date(2026, 3, 29), time(2, 30), BERLIN)
    assert moment.replace(tzinfo=None) == datetime(2026, 3, 29, 3, 30)  # noqa: DTZ001 - wall clock
    assert moment.utcoffset() == timedelta(hours=2)


def test_reminder_time_in_a_dst_overlap_takes_the_first():
    moment = wall_time(date(2026, 10, 25), time(2, 30), BERLIN)
    assert moment.utcoffset() == timedelta(hours=2)  # CEST, the first 02:30


def test_stated_timeline_wins(vocab):
    event = interview(
        "Final round - Acme",
        datetime(2026, 12, 3, 9, 0, tzinfo=NY),
        description="Great talk! You'll hear back by Dec 15.",
    )
    window = window_for(event, vocab)
    assert window.basis == "timeline"
    assert window.remind_at.date() == date(2026, 12, 16)  # Wed, the weekday after Tue 15th
    assert window.start == date(2026, 12, 16)


def test_timeline_on_friday_reminds_on_monday(vocab):
    event = interview(
        "Phone screen - Acme",
        datetime(2026, 12, 3, 9, 0, tzinfo=NY),
        description="#followup:2026-12-18",
    )
    window = window_for(event, vocab)
    assert window.remind_at.date() == date(2026, 12, 21)
    assert (window.start, window.end) == (date(2026, 12, 19), date(2026, 12, 21))


def test_timeline_before_the_interview_is_ignored(vocab):
    event = interview(
        "Phone screen - Acme",
        datetime(2026, 12, 3, 9, 0, tzinfo=NY),
        description="#followup:2026-11-01",
    )
    window = window_for(event, vocab)
    assert window.basis == "phone"


def test_all_day_interview_tagged_uses_its_date(vocab):
    from rules.model import SourceEvent

    event = SourceEvent(
        id="a",
        calendar_id="c",
        summary="Acme onsite",
        start=date(2026, 12, 3),
        description="#followup:final",
    )
    window = window_for(event, vocab, user_tz=BERLIN)
    assert window.start == date(2026, 12, 10)
    assert window.remind_at == datetime(2026, 12, 10, 9, 30, tzinfo=BERLIN)


def test_not_an_interview_has_no_window(vocab):
    event = interview("Dentist", datetime(2026, 12, 3, 9, 0, tzinfo=NY))
    verdict = classify(event, vocab)
    assert followup_window(event, verdict, policy=POLICY, user_tz=None) is None


# ------------------------------------------------------------------ properties

ZONES = sorted(z for z in available_timezones() if "/" in z and not z.startswith("posix"))
zones = st.sampled_from(ZONES)
stages = st.sampled_from([Stage.PHONE, Stage.FINAL])
moments = st.datetimes(
    min_value=datetime(1990, 1, 1),  # noqa: DTZ001 - hypothesis wants naive bounds
    max_value=datetime(2060, 12, 31),  # noqa: DTZ001 - the zone is attached per example
)
remind_times = st.times()


def verdict_for(event, stage, stated=None) -> Classification:
    return Classification(
        event_id=event.id, interview=True, stage=stage, reasons=(), stated_followup=stated
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(moment=moments, zone=zones, user_zone=st.none() | zones, stage=stages, at=remind_times)
def test_window_property(moment, zone, user_zone, stage, at):
    tz = ZoneInfo(zone)
    start = moment.replace(tzinfo=tz)
    event = interview("x", start)
    user_tz = ZoneInfo(user_zone) if user_zone else None
    window = followup_window(
        event, verdict_for(event, stage), policy=Policy(remind_time=at), user_tz=user_tz
    )
    day = local_date(event)
    low, high = (5, 7) if stage is Stage.PHONE else (7, 10)
    assert window.start == day + timedelta(days=low)
    assert window.end == day + timedelta(days=high)
    assert window.remind_at.tzinfo is not None
    remind_day = window.remind_at.date()
    assert window.start <= remind_day <= window.end
    assert remind_day.weekday() < 5
    # the first weekday: every earlier day in the window is a weekend day
    earlier = [window.start + timedelta(days=i) for i in range((remind_day - window.start).days)]
    assert all(d.weekday() >= 5 for d in earlier)
    expected_zone = user_tz or tz
    assert window.remind_at.tzinfo == expected_zone


@settings(max_examples=200, deadline=None)
@given(moment=moments, zone=zones, gap=st.integers(min_value=1, max_value=60), stage=stages)
def test_timeline_gives_a_weekday_after_the_date(moment, zone, gap, stage):
    start = moment.replace(tzinfo=ZoneInfo(zone))
    event = interview("x", start)
    stated = local_date(event) + timedelta(days=gap)
    window = followup_window(event, verdict_for(event, stage, stated), policy=POLICY, user_tz=None)
    remind_day = window.remind_at.date()
    assert window.basis == "timeline"
    assert remind_day > stated
    assert remind_day.weekday() < 5
    assert (remind_day - stated).days <= 3  # Fri -> Mon at most
    assert window.start == stated + timedelta(days=1) and window.end == remind_day


_HOST_TZ_PROBE = """
import time, json
from datetime import datetime
from zoneinfo import ZoneInfo
from rules.model import Classification, Policy, SourceEvent, Stage
from rules.timing import followup_window
out = []
for zone in ["Asia/Tokyo", "America/New_York", "Europe/Berlin", "Pacific/Kiritimati"]:
    start = datetime(2026, 3, 28, 23, 30, tzinfo=ZoneInfo(zone))
    event = SourceEvent(id="x", calendar_id="c", summary="s", start=start, timezone=zone)
    verdict = Classification("x", True, Stage.PHONE, ())
    for user in [None, "America/Los_Angeles"]:
        w = followup_window(event, verdict, policy=Policy(),
                            user_tz=ZoneInfo(user) if user else None)
        out.append(w.as_json())
print(json.dumps(out))
"""


def test_result_is_independent_of_the_host_time_zone():
    """The rules never consult the host's local zone: two hosts, same answers."""
    results = []
    for host_tz in ("Pacific/Auckland", "America/Adak"):
        env = {**os.environ, "TZ": host_tz}
        run = subprocess.run(
            [sys.executable, "-c", _HOST_TZ_PROBE],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(run.stdout)
    assert results[0] == results[1]
    assert "2026-04-02" in results[0]
