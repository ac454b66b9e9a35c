"""When to follow up: the window after an interview and the reminder's moment.

The careers article: follow up 5-7 days after an initial phone interview and 7-10 days
after a final in-person one -- an earlier stage moves faster, a final round involves
more people and takes longer. Days are calendar days counted from the interview's
*local* date in its own zone: a Tokyo interview at 23:30 on the 3rd is "the 3rd", even
for a user in Los Angeles for whom it was still the 3rd's morning.

The reminder lands on the first weekday (Mon-Fri) inside the window -- nobody wants a
nudge read on a Sunday -- at `policy.remind_time` in the user's zone (the interview's
own zone when there is no calendar zone, as in `followup classify`).

A stated timeline wins ("you'll hear from us by the 12th"): reaching out before the
date the hiring manager named looks impatient, so the reminder goes on the first
weekday strictly *after* that date, and the window runs from the day after the date to
that reminder day (a Friday date gives Sat..Mon, a Tuesday date gives Wed..Wed). A
timeline on or before the interview's own date is ignored (it cannot be meant).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from rules.classify import local_date
from rules.model import Classification, FollowUpWindow, Policy, SourceEvent, Stage

WINDOW_DAYS: dict[Stage, tuple[int, int]] = {Stage.PHONE: (5, 7), Stage.FINAL: (7, 10)}


def first_weekday(start: date, end: date) -> date | None:
    day = start
    while day <= end:
        if day.weekday() < 5:
            return day
        day += timedelta(days=1)
    return None


def next_weekday_after(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def wall_time(day: date, at: time, zone: tzinfo) -> datetime:
    """`day` at `at` in `zone`, safe across DST.

    Ambiguous (fall back): the first occurrence (fold=0). Non-existent (spring forward
    gap): moved forward by the gap, as the clock on the wall would read.
    """
    naive = datetime.combine(day, at.replace(tzinfo=None, fold=0))
    local = naive.replace(tzinfo=zone)
    roundtrip = local.astimezone(UTC).astimezone(zone)
    if roundtrip.replace(tzinfo=None) != naive:  # in a gap
        return roundtrip
    return local


def next_slot(now: datetime, remind_time: time, zone: tzinfo) -> datetime:
    """The first reminder moment still ahead of `now`: today at `remind_time` if today is
    a weekday and that time has not passed, else the next weekday's."""
    day = now.astimezone(zone).date()
    slot = wall_time(day, remind_time, zone)
    if day.weekday() >= 5 or slot <= now:
        day = next_weekday_after(day)
        slot = wall_time(day, remind_time, zone)
    return slot


def reminder_zone(event: SourceEvent, user_tz: ZoneInfo | None) -> tzinfo:
    if user_tz is not None:
        return user_tz
    if event.timezone:
        try:
            return ZoneInfo(event.timezone)
        except (KeyError, ValueError):
            pass
    if isinstance(event.start, datetime) and event.start.tzinfo is not None:
        return event.start.tzinfo
    return UTC


def followup_window(
    event: SourceEvent,
    classification: Classification,
    *,
    policy: Policy,
    user_tz: ZoneInfo | None,
) -> FollowUpWindow | None:
    """The follow-up window for one interview, or None when it is not one, or when its
    days fall past the last date a calendar can hold (an interview dated 9999-12-31)."""
    if not classification.interview or classification.stage is None:
        return None
    try:
        return _window(event, classification, policy=policy, user_tz=user_tz)
    except OverflowError:
        return None


def _window(
    event: SourceEvent,
    classification: Classification,
    *,
    policy: Policy,
    user_tz: ZoneInfo | None,
) -> FollowUpWindow:
    day = local_date(event)
    zone = reminder_zone(event, user_tz)
    stated = classification.stated_followup
    if stated is not None and stated > day:
        remind_day = next_weekday_after(stated)
        return FollowUpWindow(
            start=stated + timedelta(days=1),
            end=remind_day,
            remind_at=wall_time(remind_day, policy.remind_time, zone),
            basis="timeline",
        )
    low, high = WINDOW_DAYS[classification.stage]
    start, end = day + timedelta(days=low), day + timedelta(days=high)
    remind_day = first_weekday(start, end) or end
    return FollowUpWindow(
        start=start,
        end=end,
        remind_at=wall_time(remind_day, policy.remind_time, zone),
        basis=classification.stage.value,
    )
