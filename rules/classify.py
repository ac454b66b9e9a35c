"""Is an event a job interview the user attends as a candidate, and at which stage?

Order of judgement (SPEC "Detecting an interview"), first match decides:

1. Hard rules, which even a tag cannot override: events this tool wrote (private
   marker or the `#followup:generated` line), cancelled events, events the user
   declined, non-default Google event types (outOfOffice, focusTime, ...). A tag on a
   cancelled interview must not resurrect its reminder.
2. Explicit tags in the description: `#followup:skip`, `#followup:phone`,
   `#followup:final`; `#followup:YYYY-MM-DD` marks an interview too and states the
   follow-up date (the stage then comes from the words).
3. Negative words (prep, thank-you tasks, the user as interviewer, podcasts, fairs,
   webinars): one kind reaching the `negative` threshold rules the event out.
4. Interview words reaching the `interview` threshold make it an interview; then the
   phone and final signals are weighed: final only if it outweighs phone (the article's
   two stages; "an early video screen is the phone stage"), and `default_stage` when
   nothing says which.
5. Odd events that would be interviews by their words -- all-day or recurring -- are not
   taken, with `skip_note` set so the shell can warn (a series has no single date to
   count from; an all-day block hides the time). A tag (2.) still takes them.

Every verdict carries `Reason`s: which signal matched which field, with what text.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime

from rules.extract import (
    MARKER,
    company_and_role,
    interviewer,
    parse_tags,
    stated_timeline,
)
from rules.model import Classification, Reason, SourceEvent, Stage
from rules.vocabulary import Term, Vocabulary, fold

_HTML_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class _Hit:
    term: Term
    field: str
    span: tuple[int, int]
    text: str
    weight: float


def local_date(event: SourceEvent) -> date:
    """The interview's date in its own time zone (all-day: the date itself)."""
    start = event.start
    if isinstance(start, datetime):
        if event.timezone:
            from zoneinfo import ZoneInfo

            try:
                return start.astimezone(ZoneInfo(event.timezone)).date()
            except (KeyError, ValueError):  # unknown zone: trust the given offset
                return start.date()
        return start.date()
    return start


def _fields(event: SourceEvent, vocab: Vocabulary) -> list[tuple[str, str, float]]:
    """(field, folded text, weight). No title: the description is judged at full weight."""
    description = _HTML_TAG.sub(" ", event.description.replace(MARKER, ""))
    weights = {
        "summary": vocab.field_weight("summary"),
        "location": vocab.field_weight("location"),
        "description": vocab.field_weight("description")
        if event.summary.strip()
        else max(1.0, vocab.field_weight("summary")),
    }
    texts = [
        ("summary", event.summary),
        ("location", event.location + (" " + event.conference if event.conference else "")),
        ("description", description),
    ]
    return [(name, fold(text), weights[name]) for name, text in texts if text.strip()]


def _hits(vocab: Vocabulary, category: str, fields: list[tuple[str, str, float]]) -> list[_Hit]:
    """Matches of one category; a longer match hides shorter ones inside it (same field),
    and each term counts once, in the field where it weighs most."""
    joined = "\n".join(text for _, text, _ in fields)
    screen = vocab.screen(category)
    if screen is not None and not screen.search(joined):
        return []
    found: list[_Hit] = []
    for term, literal in vocab.plan(category):
        if literal and literal not in joined:
            continue  # a word of the phrase is missing: its regex cannot match
        for name, text, weight in fields:
            for match in term.regex.finditer(text):
                if match.end() > match.start():
                    found.append(
                        _Hit(term, name, match.span(), match.group(0), term.weight * weight)
                    )
    found.sort(key=lambda h: (-(h.span[1] - h.span[0]), -h.weight, h.term.name))
    kept: list[_Hit] = []
    for hit in found:
        inside = any(
            k.field == hit.field and k.span[0] <= hit.span[0] and hit.span[1] <= k.span[1]
            for k in kept
        )
        if not inside:
            kept.append(hit)
    best: dict[str, _Hit] = {}
    for hit in kept:
        key = hit.term.name
        if key not in best or hit.weight > best[key].weight:
            best[key] = hit
    return sorted(best.values(), key=lambda h: (-h.weight, h.term.name))


def _reasons(hits: list[_Hit], signal: str) -> list[Reason]:
    return [Reason(signal, h.field, h.text.strip(), round(h.weight, 3)) for h in hits]


def _score(hits: list[_Hit]) -> float:
    return round(sum(h.weight for h in hits), 6)


def _duration_hours(event: SourceEvent) -> float | None:
    if isinstance(event.start, datetime) and isinstance(event.end, datetime):
        return (event.end - event.start).total_seconds() / 3600
    return None


def _stage(
    event: SourceEvent, vocab: Vocabulary, fields: list[tuple[str, str, float]]
) -> tuple[Stage, list[Reason]]:
    phone = _hits(vocab, "phone", fields)
    final = _hits(vocab, "final", fields)
    reasons = _reasons(phone, "phone") + _reasons(final, "final")
    phone_score, final_score = _score(phone), _score(final)
    location = [f for f in fields if f[0] == "location"]
    address = _hits(vocab, "address", location)
    if address:
        hours = _duration_hours(event)
        limit = vocab.thresholds.long_block_hours
        if hours is not None and hours >= limit:
            weight = vocab.thresholds.address_long_block
            signal = f"final:address+{hours:g}h block"
        else:
            weight = vocab.thresholds.address
            signal = "final:address"
        final_score += weight
        reasons.append(Reason(signal, "location", address[0].text.strip(), weight))
    if final_score > phone_score:
        stage = Stage.FINAL
    elif phone_score > 0:
        stage = Stage.PHONE
    else:
        stage = vocab.thresholds.default_stage
    reasons.append(
        Reason(f"stage:{stage.value}", "event", f"phone {phone_score:g}, final {final_score:g}")
    )
    return stage, reasons


def _not_interview(event: SourceEvent, reasons: list[Reason], note: str | None = None):
    return Classification(
        event_id=event.id, interview=False, stage=None, reasons=tuple(reasons), skip_note=note
    )


def could_be_interview(summary: str, description: str, location: str, vocab: Vocabulary) -> bool:
    """A cheap pre-check on raw text: False only when `classify` could never take the
    event as an interview (no interview word and no `#followup:` tag anywhere).

    Readers of big calendars call it before building a SourceEvent at all: most of a
    50k-event calendar is meetings, and converting and classifying each one is most of
    a first sync's time. Negative words are not needed here: they only rule *out*.
    """
    text = f"{summary}\n{description}\n{location}"
    if "#followup" in text.lower():
        return True
    screen = vocab.screen("interview")
    if screen is None:
        return True
    if screen.search(fold(text)):
        return True
    if "<" not in text and "&" not in text:
        return False
    # Descriptions may be HTML (Google stores it so): judge the text as a reader sees it.
    plain = html.unescape(_HTML_TAG.sub(" ", text))
    joined = html.unescape(_HTML_TAG.sub("", text))
    return bool(screen.search(fold(plain)) or screen.search(fold(joined)))


def classify(event: SourceEvent, vocab: Vocabulary) -> Classification:
    """The verdict on one event; see the module docstring for the order of judgement."""
    tags = parse_tags(event.description)
    if event.managed or tags.generated:
        field = "event" if event.managed else "description"
        return _not_interview(event, [Reason("managed", field, "written by interview-followup")])
    if event.status == "cancelled":
        return _not_interview(event, [Reason("cancelled", "event", "status cancelled")])
    if event.self_response == "declined":
        return _not_interview(event, [Reason("declined", "attendees", "you declined")])
    if event.event_type != "default":
        return _not_interview(event, [Reason("event-type", "event", event.event_type)])

    reasons: list[Reason] = [Reason("tag", "description", t) for t in tags.matched]
    reasons += [Reason("unknown-tag", "description", t) for t in tags.bad]
    if tags.skip:
        return _not_interview(event, reasons)
    if not event.summary.strip():
        reasons.append(Reason("no-summary", "event", "judged on the description"))

    fields = _fields(event, vocab)
    forced = tags.stage is not None or tags.date is not None
    if not forced:
        # Most events carry no interview and no negative word at all: one search over
        # every field with the screen of all those categories settles them.
        screen = vocab.detection_screen
        quiet = screen is not None and not screen.search("\n".join(t for _, t, _ in fields))
        for kind in () if quiet else vocab.negative_kinds:
            hits = _hits(vocab, kind, fields)
            if _score(hits) >= vocab.thresholds.negative:
                return _not_interview(event, reasons + _reasons(hits, kind))
        interview_hits = [] if quiet else _hits(vocab, "interview", fields)
        score = _score(interview_hits)
        reasons += _reasons(interview_hits, "interview")
        if score < vocab.thresholds.interview:
            reasons.append(
                Reason(
                    "not-interview",
                    "event",
                    f"interview score {score:g} < {vocab.thresholds.interview:g}",
                )
            )
            return _not_interview(event, reasons)
        odd = "all-day event" if event.all_day else "recurring event" if event.recurring else None
        if odd:
            reasons.append(Reason("odd-event", "event", odd))
            return _not_interview(event, reasons, note=odd)

    stage, stage_reasons = _stage(event, vocab, fields)
    if tags.stage is not None:
        stage = tags.stage
        stage_reasons = [r for r in stage_reasons if not r.signal.startswith("stage:")]
        stage_reasons.append(Reason(f"stage:{stage.value}", "description", "tag"))
    reasons += stage_reasons

    day = local_date(event)
    followup: date | None = None
    if tags.date is not None:
        followup = tags.date
    else:
        plain = _HTML_TAG.sub(" ", f"{event.summary}\n{event.description}")
        timeline = stated_timeline(plain, day)
        if timeline is not None:
            followup = timeline.when
            reasons.append(Reason("timeline", "description", timeline.matched))
    if tags.salary:
        reasons.append(Reason("salary", "description", tags.salary))
    company, role = company_and_role(event, vocab)
    return Classification(
        event_id=event.id,
        interview=True,
        stage=stage,
        reasons=tuple(reasons),
        company=company,
        role=role,
        interviewer=interviewer(event),
        salary=tags.salary,
        stated_followup=followup,
    )
