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

from collections.abc import Callable, Iterable, Mapping
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

    @property
    def unsure(self) -> bool:
        """The rules' best guess is "an interview", but the evidence is weak: no reminder
        is written until the user settles it with `followup confirm EVENT ...`."""
        return self.classification.interview and not self.classification.sure

    @property
    def settle_command(self) -> str | None:
        """The command that settles an unsure event (None when it is settled)."""
        if not self.unsure:
            return None
        return f"followup confirm {self.event.id} phone|final|skip"


@dataclass(frozen=True)
class Decisions:
    """Every event's decision, in a deterministic order (start instant, calendar, id)."""

    items: tuple[Decision, ...]

    @property
    def reminders(self) -> tuple[Reminder, ...]:
        return tuple(d.reminder for d in self.items if d.reminder is not None)

    @property
    def interviews(self) -> tuple[Decision, ...]:
        """Every event taken as an interview, sure or unsure (best guess)."""
        return tuple(d for d in self.items if d.classification.interview)

    @property
    def unsure(self) -> tuple[Decision, ...]:
        """The events the rules were unsure about: listed, not reminded."""
        return tuple(d for d in self.items if d.unsure)

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
    vocab: Vocabulary | None = None,
    confirmations: Mapping[str, str] | None = None,
    classifier: Callable[[SourceEvent, str | None], Classification] | None = None,
) -> Decisions:
    """Classify every event, time the interviews, and keep one reminder per interview.

    `user_tz` is the calendar's zone; None means "each interview's own zone" (a bare
    .ics file with no X-WR-TIMEZONE), and then today's date is taken in UTC.

    `confirmations` maps an event id to the user's answer ("phone", "final" or "skip",
    from `followup confirm`): it settles that event as a tag would (a `#followup:` tag
    in its description still wins), and its reasons say "confirmed by you". An unsure
    verdict gets no reminder (`Decision.unsure`); it does not supersede a sure
    interview with the same company either (a guess must not silence a real one).

    The same (calendar, id) given twice counts once (the last one wins: it is the newer
    copy in a merged feed).

    `classifier(event, answer)` gives the verdicts in place of `classify(event, vocab,
    answer)` when set: the same function, remembered (the sync shell's `VerdictMemo`).
    """
    if now.tzinfo is None:
        raise ValueError("decide() needs an aware `now`")
    if classifier is None:
        if vocab is None:
            raise ValueError("decide() needs a vocabulary or a classifier")
        rules = vocab

        def classifier(event: SourceEvent, answer: str | None) -> Classification:
            return classify(event, rules, answer)

    unique: dict[tuple[str, str], SourceEvent] = {}
    for event in events:
        unique[(event.calendar_id, event.id)] = event
    ordered = sorted(unique.values(), key=lambda e: (start_instant(e), e.calendar_id, e.id))
    answers = confirmations or {}
    classified = [(e, classifier(e, answers.get(e.id))) for e in ordered]

    latest: dict[str, tuple[datetime, SourceEvent]] = {}
    for event, verdict in classified:
        if verdict.interview and verdict.sure and verdict.company:
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
        if not verdict.sure:
            note = f"unsure: settle it with `followup confirm {event.id} phone|final|skip`"
            items.append(Decision(event, verdict, window, None, note))
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
        if window is None:  # dated past what a calendar can hold (year 9999)
            note = f"no follow-up window: dated {local_date(event).isoformat()}, past the last date"
            items.append(Decision(event, verdict, None, None, note))
            continue
        reminder = build_reminder(event, verdict, window, policy=policy)
        items.append(Decision(event, verdict, window, reminder, ""))
    return Decisions(tuple(items))
