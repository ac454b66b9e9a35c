"""The follow-up reminder's text: title, description, draft message and mailto link.

Google drops VALARMs when it imports an `.ics`, and many people only ever see the
title in a month view, so the title carries the key facts (company, role, stage and
date, window). The description carries the careers article's advice -- one brief
professional message, not several; no LinkedIn request to the interviewer (it reads as
familiar, not professional); salary expectations consistent with what was already said
-- and a short polite draft, plus a `mailto:` link (RFC 6068) that opens it addressed
to the organizer, so following up is one click.

The last line is `MARKER`: the tool recognises its own events by it in any calendar.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from urllib.parse import quote

from rules.classify import local_date
from rules.extract import MARKER, recipients
from rules.model import (
    Classification,
    FollowUpWindow,
    Policy,
    Reminder,
    SourceEvent,
    Stage,
    reminder_key,
)

STAGE_WORDS = {Stage.PHONE: "phone screen", Stage.FINAL: "final round"}


def short_date(day: date) -> str:
    """'Dec 3' -- locale-independent (strftime's %b follows the host locale)."""
    return f"{_MONTHS[day.month - 1]} {day.day}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def span(start: date, end: date) -> str:
    """'Dec 8–10', 'Nov 30–Dec 2', 'Dec 8' (one day)."""
    if start == end:
        return short_date(start)
    if start.month == end.month and start.year == end.year:
        return f"{short_date(start)}\u2013{end.day}"
    return f"{short_date(start)}\u2013{short_date(end)}"


def _long_date(day: date) -> str:
    return f"{_DAYS[day.weekday()]} {short_date(day)}, {day.year}"


def mailto(to: tuple[str, ...], subject: str, body: str) -> str:
    """RFC 6068: addresses and header values percent-encoded, line breaks as %0D%0A."""
    addresses = ",".join(quote(a, safe="@.+-_") for a in to)
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return f"mailto:{addresses}?subject={quote(subject, safe='')}&body={quote(body, safe='')}"


def draft(classification: Classification, day: date, *, policy: Policy) -> tuple[str, str]:
    """A short, polite follow-up: thanks, continued interest, a question on next steps."""
    company = classification.company or "your company"
    role = classification.role
    position = f"the {role} position" if role else "the position"
    person = classification.interviewer
    first = person.name.split()[0] if person and person.name else None
    greeting = f"Dear {first}," if first else "Hello,"
    subject = (
        f"Thank you \u2014 {role or 'interview'} at {classification.company or 'your company'}"
    )
    when = f"on {_DAYS[day.weekday()]}, {short_date(day)}"
    body = (
        f"{greeting}\n\n"
        f"Thank you again for speaking with me {when} about {position} at {company}. "
        "I enjoyed learning more about the team, and I remain very interested in the role.\n\n"
        "Could you share an update on the next steps and the expected timeline?\n\n"
        "Best regards,\n"
        f"{policy.user_name or ''}"
    ).rstrip()
    return subject, body + "\n"


def build_reminder(
    event: SourceEvent,
    classification: Classification,
    window: FollowUpWindow,
    *,
    policy: Policy,
) -> Reminder:
    """The desired follow-up reminder for one interview (see the module docstring)."""
    stage = classification.stage or Stage.PHONE
    day = local_date(event)
    company = classification.company or "interview"
    head = company + (f" \u2014 {classification.role}" if classification.role else "")
    title = (
        f"Follow up: {head} ({STAGE_WORDS[stage]} {short_date(day)}; "
        f"window {span(window.start, window.end)})"
    )
    to = recipients(event)
    subject, body = draft(classification, day, policy=policy)
    link = mailto(to, subject, body)
    salary = classification.salary or policy.default_salary
    if window.basis == "timeline":
        timing = (
            f"They said you would hear back by {short_date(window.start - timedelta(days=1))}; "
            f"follow up from {short_date(window.end)} (window {span(window.start, window.end)})."
        )
    else:
        low, high = (5, 7) if stage is Stage.PHONE else (7, 10)
        timing = (
            f"Window: {span(window.start, window.end)} ({low}\u2013{high} days after a "
            f"{STAGE_WORDS[stage]})."
        )
    lines = [
        f"Company: {classification.company or 'unknown'}",
        f"Role: {classification.role or 'unknown'}",
        f"Interview: {STAGE_WORDS[stage]} on {_long_date(day)}",
        timing,
    ]
    if classification.interviewer is not None:
        lines.append(f"Interviewer: {classification.interviewer.label}")
    lines.append(f"Write to: {', '.join(to) if to else 'the organizer (no address found)'}")
    # Google events have a link; an .ics event has none, so name it by title and UID.
    named = f"{event.summary or '(no title)'!r} (UID {event.id})"
    lines.append(f"Interview event: {event.link or named}")
    lines += [
        "",
        "Advice:",
        "- Send one brief, professional message; more than one looks needy.",
        "- Don't send a LinkedIn connection request to the interviewer.",
        "- Keep salary expectations consistent with what you already said"
        + (f": {salary}." if salary else "."),
        "",
        f"Draft \u2014 subject: {subject}",
        "",
        body.rstrip(),
        "",
        f"Send it: {link}",
        "",
        MARKER,
    ]
    start = window.remind_at
    return Reminder(
        key=reminder_key(event.calendar_id, event.id),
        interview=event,
        classification=classification,
        window=window,
        title=title,
        description="\n".join(lines),
        draft_subject=subject,
        draft_body=body,
        mailto=link,
        start=start,
        end=start + timedelta(minutes=policy.reminder_minutes),
        alert_minutes_before=policy.alert_minutes_before,
    )


def set_late(reminder: Reminder, at: datetime) -> Reminder:
    """The same reminder moved to `at`, because its window had passed when the tool first
    saw the interview (a first sync, a sync that was down for a while). A reminder in
    the past never fires; one on the next weekday still gets the follow-up sent."""
    window = span(reminder.window.start, reminder.window.end)
    note = (
        f"Set late: the follow-up window ({window}) had already passed when this "
        "interview was first seen, so this reminder is for the next weekday.\n\n"
    )
    return replace(
        reminder,
        start=at,
        end=at + (reminder.end - reminder.start),
        description=note + reminder.description,
    )
