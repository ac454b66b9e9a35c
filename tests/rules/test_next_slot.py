"""The next reminder slot for a reminder set late: ahead of now, on a weekday, on time."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.timing import next_slot

ZONES = sorted(available_timezones() - {"Factory", "localtime"})


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(  # hypothesis takes naive bounds and adds the zone itself
        min_value=datetime(2020, 1, 1),  # noqa: DTZ001
        max_value=datetime(2035, 12, 31),  # noqa: DTZ001
        timezones=st.just(UTC),
    ),
    st.sampled_from(ZONES),
    st.times(),
)
def test_next_slot_is_ahead_on_a_weekday_at_the_reminder_time(now, zone_name, at):
    zone = ZoneInfo(zone_name)
    slot = next_slot(now, time(at.hour, at.minute), zone)
    local = slot.astimezone(zone)
    assert slot > now
    assert slot - now <= timedelta(days=4, hours=2)  # Friday evening -> Monday, plus a DST gap
    assert local.weekday() < 5


def test_today_when_the_time_is_still_ahead_else_the_next_weekday():
    berlin = ZoneInfo("Europe/Berlin")
    thursday_morning = datetime(2026, 12, 3, 7, 0, tzinfo=berlin)
    assert next_slot(thursday_morning, time(9, 30), berlin) == datetime(
        2026, 12, 3, 9, 30, tzinfo=berlin
    )
    friday_noon = datetime(2026, 12, 4, 12, 0, tzinfo=berlin)
    assert next_slot(friday_noon, time(9, 30), berlin) == datetime(
        2026, 12, 7, 9, 30, tzinfo=berlin
    )
