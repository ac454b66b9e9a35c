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

import re
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
# Signs a draft when config has no `reminders.name`: visibly unfinished, so nobody sends
# "Best regards," and nothing. The shell can warn (`status`) when a reminder carries it.
NAME_PLACEHOLDER = "[your name]"

# "phone screen" only for what was a phone call: the phone stage also holds video
# rounds with an engineer or the hiring manager, and calling those a phone screen in
# the title reads wrong. Conferencing dial-in lines do not count (they say how, not what).
_PHONE_WORDS = re.compile(
    r"\b(?:phone|telephone|telefon\w*|t[eé]l[eé]phon\w*|telef[oó]nic\w*|by\s+call)\b",
    re.IGNORECASE,
)
_DIAL_IN = re.compile(
    r"dial|conference\s+id|meeting\s+id|call\s+in|audio\s+only|join\s+by\s+phone|"
    r"passcode|\bpin\b|\+\d",
    re.IGNORECASE,
)
_FIRST_ROUND = re.compile(
    r"\b(?:first|1st|initial)[\s-]+(?:round|interview|call)\b|\berstgespr", re.IGNORECASE
)


def stage_label(event: SourceEvent, classification: Classification) -> str:
    """How the reminder names the interview's stage, by what the event says: "final
    round"; for the phone stage "phone screen" only when it was one (the title or the
    location or a line of the description says phone; a dial-in block does not), else
    "first-round interview" or plain "interview"."""
    if (classification.stage or Stage.PHONE) is Stage.FINAL:
        return STAGE_WORDS[Stage.FINAL]
    spoken = [line for line in event.description.splitlines() if not _DIAL_IN.search(line)]
    said = "\n".join([event.summary, event.location, *spoken])
    if _PHONE_WORDS.search(said):
        return STAGE_WORDS[Stage.PHONE]
    if _FIRST_ROUND.search(said):
        return "first-round interview"
    return "interview"


def signed_with_placeholder(reminder: Reminder) -> bool:
    """True when the draft is signed `NAME_PLACEHOLDER` (no `reminders.name` set)."""
    return reminder.draft_body.rstrip().endswith(NAME_PLACEHOLDER)


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


def _interview_words(label: str) -> str:
    """The stage as part of "my ... interview" ("phone screen" is one already)."""
    if label == "final round":
        return "final-round interview"
    return label


def draft(
    classification: Classification,
    day: date,
    *,
    policy: Policy,
    label: str | None = None,
) -> tuple[str, str]:
    """A short, polite follow-up: thanks, continued interest, a question on next steps.

    Sent a week after the interview, so the subject says "following up" (a "Thank you"
    subject reads as late). When the hiring manager gave a date ("hear back by Dec 15"),
    the draft refers to it instead of asking for a timeline they already gave.
    """
    company = classification.company
    role = classification.role
    label = label or STAGE_WORDS[classification.stage or Stage.PHONE]
    position = f"the {role} position" if role else "the position"
    person = classification.interviewer
    first = person.name.split()[0] if person and person.name else None
    greeting = f"Dear {first}," if first else "Hello,"
    subject = f"Following up on my {_interview_words(label)}"
    if role:
        subject += f" for {role}"
    if company:
        subject += f" at {company}"
    when = f"on {_DAYS[day.weekday()]}, {short_date(day)}"
    stated = classification.stated_followup
    if stated is not None and any(r.signal == "timeline" for r in classification.reasons):
        ask = (
            f"When we spoke, you mentioned I could expect to hear back by "
            f"{_DAYS[stated.weekday()]}, {short_date(stated)}. I wanted to follow up and "
            "ask whether there is any news on the next steps."
        )
    else:
        ask = "Could you share an update on the next steps and the expected timeline?"
    body = (
        f"{greeting}\n\n"
        f"Thank you again for speaking with me {when} about {position} at "
        f"{company or 'your company'}. "
        "I enjoyed learning more about the team, and I remain very interested in the role.\n\n"
        f"{ask}\n\n"
        "Best regards,\n"
        f"{policy.user_name or NAME_PLACEHOLDER}"
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
    label = stage_label(event, classification)
    day = local_date(event)
    company = classification.company or "interview"
    head = company + (f" \u2014 {classification.role}" if classification.role else "")
    title = (
        f"Follow up: {head} ({label} {short_date(day)}; window {span(window.start, window.end)})"
    )
    to = recipients(event)
    subject, body = draft(classification, day, policy=policy, label=label)
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
    lines = []  # an unknown company or role is left out, never "unknown"
    if classification.company:
        lines.append(f"Company: {classification.company}")
    if classification.role:
        lines.append(f"Role: {classification.role}")
    lines += [f"Interview: {label} on {_long_date(day)}", timing]
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


def _moment(at: datetime) -> str:
    """'Mon Nov 30 09:30' (locale-independent)."""
    return f"{_DAYS[at.weekday()]} {short_date(at.date())} {at:%H:%M}"


def set_late(reminder: Reminder, at: datetime) -> Reminder:
    """The same reminder moved to `at`, because its planned moment had passed before it
    was ever written (a first sync, a machine that was off). A reminder in the past never
    fires; one at the next weekday slot still gets the follow-up sent.

    The note says which of the two happened: the moment passed but `at` is still inside
    the window, or the whole window had passed and `at` is after it."""
    window = reminder.window
    planned = reminder.start
    local = at.astimezone(planned.tzinfo) if planned.tzinfo is not None else at
    if local.date() <= window.end:
        what = (
            f"the planned moment {_moment(planned)} had passed before this reminder was "
            f"written; moved to {_moment(local)}, still inside the follow-up window "
            f"({span(window.start, window.end)})."
        )
    else:
        what = (
            f"the follow-up window ({span(window.start, window.end)}) ended "
            f"{short_date(window.end)}, before this reminder was written; set for the next "
            f"weekday, {_moment(local)}."
        )
    return replace(
        reminder,
        start=at,
        end=at + (reminder.end - reminder.start),
        description=f"Set late: {what}\n\n" + reminder.description,
    )
