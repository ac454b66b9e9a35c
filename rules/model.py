"""Frozen domain values shared by the rules and the sync shell.

Nothing here reads the clock, the disk or the network. Every datetime is aware.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum


class Stage(StrEnum):
    """The stage of an interview, which decides how soon to follow up."""

    PHONE = "phone"  # initial phone / video screen, recruiter call, first round
    FINAL = "final"  # final round, onsite, in person, superday, panel at an office


class Side(StrEnum):
    """Whose side of the table the user sits on (the first question)."""

    CANDIDATE = "candidate"  # the user is interviewed
    INTERVIEWER = "interviewer"  # the user interviews, or meets about hiring (debrief, kit)
    NEITHER = "neither"  # nothing says either


class Kind(StrEnum):
    """What the event is (the second question); only an interview has a stage."""

    INTERVIEW = "interview"
    ABOUT = "about"  # about interviews: prep, practice, webinars, thank-you tasks, offers...
    OTHER = "other"  # some other event (or another kind of interview: media, exit, user)


class Confirmation(StrEnum):
    """The user's answer to an unsure verdict (`followup confirm EVENT ...`)."""

    PHONE = "phone"
    FINAL = "final"
    SKIP = "skip"


@dataclass(frozen=True)
class Person:
    """An organizer or attendee. `is_self` marks the calendar's owner (Google's `self`)."""

    email: str | None = None
    name: str | None = None
    is_self: bool = False
    response: str | None = None  # accepted | declined | tentative | needsAction
    resource: bool = False  # a room or equipment (Google `resource`), never a person

    @property
    def label(self) -> str:
        return self.name or self.email or ""


@dataclass(frozen=True)
class SourceEvent:
    """A calendar event as the rules see it, whatever calendar it came from.

    `start`/`end` are aware datetimes in the event's own time zone, or `date` for
    all-day events. `timezone` is the IANA name of that zone (None when the source gave
    a fixed offset or UTC only). `calendar_id` plus `id` identify it; for `.ics` input
    `id` is the UID (with the RECURRENCE-ID appended for a moved instance).
    """

    id: str
    calendar_id: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    timezone: str | None = None
    description: str = ""
    location: str = ""
    status: str = "confirmed"  # confirmed | tentative | cancelled
    event_type: str = "default"  # Google eventType; .ics events are "default"
    organizer: Person | None = None
    attendees: tuple[Person, ...] = ()
    link: str | None = None  # htmlLink (Google) or URL (.ics)
    recurring: bool = False  # a series master or one of its instances
    managed: bool = False  # written by this tool (a follow-up reminder)
    origin: str | None = None  # where it came from, for messages: "cal.ics line 42"
    conference: str | None = None  # video link outside the text (Google hangoutLink)

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def others(self) -> tuple[Person, ...]:
        """The organizer and the attendees who are not the user, organizer first."""
        people = (self.organizer, *self.attendees) if self.organizer else self.attendees
        return tuple(p for p in people if p is not None and not p.is_self)

    @property
    def self_response(self) -> str | None:
        for person in self.attendees:
            if person.is_self:
                return person.response
        return None

    @property
    def label(self) -> str:
        """How messages name this event: its summary and where it came from."""
        where = self.origin or f"{self.calendar_id}/{self.id}"
        return f"{self.summary or '(no title)'!r} ({where})"


@dataclass(frozen=True)
class Reason:
    """One signal that matched: which rule, in which field, on what text."""

    signal: str  # e.g. "phone", "final", "negative:prep", "tag", "cancelled"
    field: str  # summary | description | location | attendees | event
    matched: str
    weight: float = 0.0

    def __str__(self) -> str:
        if self.matched:
            return f"{self.signal}: {self.matched!r} in {self.field}"
        return f"{self.signal} ({self.field})"


@dataclass(frozen=True)
class Classification:
    """The rules' verdict on one event: is it an interview, which stage, and why."""

    event_id: str
    interview: bool
    stage: Stage | None
    reasons: tuple[Reason, ...]
    company: str | None = None
    role: str | None = None
    interviewer: Person | None = None
    salary: str | None = None  # from a `#salary: ...` tag
    stated_followup: date | None = None  # a timeline the hiring manager gave, resolved
    skip_note: str | None = None  # why an odd event was skipped (recurring, ...)
    # The two questions before the stage (None when a hard rule decided before asking:
    # cancelled, declined, our own event, a non-default event type).
    side: Side | None = None
    kind: Kind | None = None
    # False: the evidence is weak. `interview` and `stage` are then the best guess, but
    # no reminder is written until the user settles it (`followup confirm`).
    sure: bool = True
    producer: str | None = None  # the scheduler or ATS that wrote the invite, if known
    confirmed: Confirmation | None = None  # the user's answer that settled this verdict


@dataclass(frozen=True)
class FollowUpWindow:
    """When to follow up, counted in calendar days from the interview's local date."""

    start: date
    end: date
    remind_at: datetime  # aware, in the user's zone
    basis: str  # "phone" | "final" | "timeline"

    def as_json(self) -> dict[str, str]:
        return {
            "window_start": self.start.isoformat(),
            "window_end": self.end.isoformat(),
            "remind_at": self.remind_at.isoformat(),
        }


@dataclass(frozen=True)
class Policy:
    """The user's settings that the rules need (parsed from config by the shell)."""

    remind_time: time = time(9, 30)
    reminder_minutes: int = 15  # length of the reminder event
    alert_minutes_before: int = 0  # the popup fires at the reminder's start
    lookback_days: int = 30
    default_salary: str | None = None
    user_name: str | None = None


def reminder_key(calendar_id: str, event_id: str) -> str:
    """Deterministic id of the reminder for one interview.

    base32hex (Google's allowed event-id alphabet `0-9a-v`), lower case, 26 chars,
    so the same interview always maps to the same Google event id and .ics UID: a
    re-run, a crash half-way or a lost state file recognises its own work.
    """
    digest = hashlib.sha256(f"{calendar_id}\0{event_id}".encode()).digest()[:16]
    return base64.b32hexencode(digest).decode().rstrip("=").lower()


@dataclass(frozen=True)
class Reminder:
    """A follow-up reminder the rules want to exist (the desired state)."""

    key: str  # reminder_key(interview.calendar_id, interview.id)
    interview: SourceEvent
    classification: Classification
    window: FollowUpWindow
    title: str
    description: str
    draft_subject: str
    draft_body: str
    mailto: str | None
    start: datetime  # == window.remind_at
    end: datetime
    alert_minutes_before: int = 0

    @property
    def uid(self) -> str:
        """The .ics UID; stable for the life of the interview."""
        return f"{self.key}@interview-followup"

    def content_hash(self) -> str:
        """Hash of what the user sees. A changed hash means: update (or: user edited)."""
        payload = json.dumps(
            [
                self.title,
                self.description,
                self.start.isoformat(),
                self.end.isoformat(),
                self.alert_minutes_before,
            ],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:16]
