"""The follow-up policy over a whole calendar: which interviews get a reminder.

"Not too often" (the careers article): one reminder per interview; when a later
interview with the same company exists, the earlier one's reminder is dropped -- the
process moved on, and a follow-up about the first round after the second looks out of
touch; interviews older than the look-back (default 30 days, measured from `now`) get
none -- a month-old process either answered or will not. The look-back is counted in
whole days: an interview whose local date is more than `lookback_days` before today's
date in the user's zone.

`now` is an argument: the rules never read the clock, so a long-running syncer never
holds a stale "today".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from rules.classify import classify, local_date
from rules.extract import normalize_company
from rules.message import build_reminder, short_date
from rules.model import Classification, FollowUpWindow, Policy, Reminder, SourceEvent
from rules.timing import followup_window
from rules.vocabulary import Vocabulary


@dataclass(frozen=True)
class Decision:
    """What the policy decided for one event, and why (`note`, empty when nothing to say)."""

    event: SourceEvent
    classification: Classification
    window: FollowUpWindow | None
    reminder: Reminder | None
    note: str = ""
    # An interview past the look-back: no new reminder, but the one it already has is
    # history the sync shell keeps (it is not a withdrawal).
    past_lookback: bool = False


@dataclass(frozen=True)
class Decisions:
    """Every event's decision, in a deterministic order (start instant, calendar, id)."""

    items: tuple[Decision, ...]

    @property
    def reminders(self) -> tuple[Reminder, ...]:
        return tuple(d.reminder for d in self.items if d.reminder is not None)

    @property
    def interviews(self) -> tuple[Decision, ...]:
        return tuple(d for d in self.items if d.classification.interview)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def start_instant(event: SourceEvent) -> datetime:
    """A sortable aware instant for any event (all-day: midnight UTC of the date)."""
    if isinstance(event.start, datetime):
        return event.start.astimezone(UTC)
    return datetime.combine(event.start, time(0), tzinfo=UTC)


def decide(
    events: Iterable[SourceEvent],
    *,
    now: datetime,
    user_tz: ZoneInfo | None,
    policy: Policy,
    vocab: Vocabulary,
) -> Decisions:
    """Classify every event, time the interviews, and keep one reminder per interview.

    `user_tz` is the calendar's zone; None means "each interview's own zone" (a bare
    .ics file with no X-WR-TIMEZONE), and then today's date is taken in UTC.

    The same (calendar, id) given twice counts once (the last one wins: it is the newer
    copy in a merged feed).
    """
    if now.tzinfo is None:
        raise ValueError("decide() needs an aware `now`")
    unique: dict[tuple[str, str], SourceEvent] = {}
    for event in events:
        unique[(event.calendar_id, event.id)] = event
    ordered = sorted(unique.values(), key=lambda e: (start_instant(e), e.calendar_id, e.id))
    classified = [(e, classify(e, vocab)) for e in ordered]

    latest: dict[str, tuple[datetime, SourceEvent]] = {}
    for event, verdict in classified:
        if verdict.interview and verdict.company:
            key = normalize_company(verdict.company)
            if key:
                latest[key] = (start_instant(event), event)  # ordered: the last is latest

    # In whole days, like the windows: the interview's local date against today's date
    # in the user's zone (the sync shell's "retain old reminders" uses the same horizon).
    horizon = now.astimezone(user_tz or UTC).date() - timedelta(days=policy.lookback_days)
    items: list[Decision] = []
    for event, verdict in classified:
        if not verdict.interview:
            items.append(Decision(event, verdict, None, None, verdict.skip_note or ""))
            continue
        window = followup_window(event, verdict, policy=policy, user_tz=user_tz)
        if local_date(event) < horizon:
            note = f"older than the look-back ({policy.lookback_days} days)"
            items.append(Decision(event, verdict, window, None, note, past_lookback=True))
            continue
        key = normalize_company(verdict.company) if verdict.company else ""
        later = latest.get(key) if key else None
        if later is not None and later[0] > start_instant(event):
            note = (
                f"superseded by a later interview with {verdict.company} on "
                f"{short_date(local_date(later[1]))} ({later[1].id})"
            )
            items.append(Decision(event, verdict, window, None, note))
            continue
        if window is None:  # cannot happen for an interview; kept for safety
            items.append(Decision(event, verdict, None, None, "no follow-up window"))
            continue
        reminder = build_reminder(event, verdict, window, policy=policy)
        items.append(Decision(event, verdict, window, reminder, ""))
    return Decisions(tuple(items))
