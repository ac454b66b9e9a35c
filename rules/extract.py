"""Facts pulled out of an interview's text: tags, company, role, interviewer, timeline.

Pure functions over strings and `SourceEvent`s. The timeline phrases follow the careers
article: when the hiring manager said when you would hear back ("you'll hear from us
by the 12th"), that date decides when to reach out, not the default window.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from rules.model import Person, SourceEvent, Stage
from rules.vocabulary import Vocabulary, fold

MARKER = "#followup:generated"
"""The last line of every description this tool writes: how it recognises its own
events in any calendar, even after an export/import lost the private properties."""

_TAG = re.compile(r"#followup:\s*([A-Za-z0-9][\w-]*)", re.IGNORECASE)
_SALARY = re.compile(r"#salary:[ \t]*([^\n#]*)", re.IGNORECASE)


@dataclass(frozen=True)
class Tags:
    """Explicit tags in a description. They beat every word-based signal."""

    stage: Stage | None = None
    skip: bool = False
    date: date | None = None
    generated: bool = False
    salary: str | None = None
    matched: tuple[str, ...] = ()
    bad: tuple[str, ...] = ()  # tags that look like ours but mean nothing


_NO_TAGS = Tags()


def parse_tags(text: str) -> Tags:
    if "#" not in text:  # most descriptions: no tag can be there
        return _NO_TAGS
    stage: Stage | None = None
    skip = generated = False
    when: date | None = None
    matched: list[str] = []
    bad: list[str] = []
    for found in _TAG.finditer(text):
        value = found.group(1).lower()
        if value in ("phone", "final"):
            stage = Stage(value)
        elif value == "skip":
            skip = True
        elif value == "generated":
            generated = True
        elif re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            try:
                when = date.fromisoformat(value)
            except ValueError:
                bad.append(found.group(0))
                continue
        else:
            bad.append(found.group(0))
            continue
        matched.append(found.group(0))
    salary_match = _SALARY.search(text)
    salary = salary_match.group(1).strip() if salary_match else None
    return Tags(stage, skip, when, generated, salary or None, tuple(matched), tuple(bad))


# ------------------------------------------------------------------ timeline

_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (calendar.month_name[number].lower(), calendar.month_abbr[number].lower())
}
_MONTHS["sept"] = 9
_WEEKDAYS = {calendar.day_name[i].lower(): i for i in range(7)}
_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "a couple of": 2,
    "couple of": 2,
    "a few": 3,
    "few": 3,
}
_NUM = (
    r"(\d{1,2}|a couple of|couple of|a few|few|an?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten)"
)
_MONTH = r"(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_TRIGGER = (
    r"(?:hear\s+back|hear\s+from|decision|decide|get\s+back|let\s+you\s+know|next\s+steps?"
    r"|respond|response|feedback|update|timeline|come\s+back|reach\s+out|follow\s+up)"
)
_SPAN = r"[^.\n]{0,60}?"
_DURATION = re.compile(
    r"(?:timeline\s*[:=-]?\s*|"
    + _TRIGGER
    + _SPAN
    + r"\b(?:within|in)\s+(?:the\s+next\s+)?)"
    + _NUM
    + r"\s+(business\s+|working\s+)?(days?|weeks?)\b"
)
_BY = re.compile(
    _TRIGGER + _SPAN + r"\b(?:by|before|on|until)\s+(?:the\s+)?(?:end\s+of\s+)?"
    r"(?P<what>[^.\n,;!?]{1,30})"
)


def _add_business_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def _on_or_after(base: date, month: int, day: int) -> date | None:
    for year in (base.year, base.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate >= base:
            return candidate
    return None


def _resolve_when(what: str, base: date) -> date | None:
    """A date phrase ("Dec 15", "the 12th", "friday", "2026-12-15") on/after `base`."""
    what = what.strip()
    iso = re.match(r"(\d{4})-(\d{2})-(\d{2})\b", what)
    if iso:
        try:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        except ValueError:
            return None
    month_day = re.match(_MONTH + r"\s+(\d{1,2})(?:st|nd|rd|th)?\b", what)
    if month_day:
        return _on_or_after(base, _MONTHS[month_day.group(1)], int(month_day.group(2)))
    day_month = re.match(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH + r"\b", what)
    if day_month:
        return _on_or_after(base, _MONTHS[day_month.group(2)], int(day_month.group(1)))
    ordinal = re.match(r"(\d{1,2})(?:st|nd|rd|th)\b", what)
    if ordinal:
        day = int(ordinal.group(1))
        year, month = base.year, base.month
        for _ in range(13):
            try:
                candidate = date(year, month, day)
            except ValueError:
                candidate = None
            if candidate is not None and candidate >= base:
                return candidate
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return None
    weekday = re.match(r"(?:this\s+|next\s+)?(" + "|".join(_WEEKDAYS) + r")\b", what)
    if weekday:
        ahead = (_WEEKDAYS[weekday.group(1)] - base.weekday()) % 7 or 7
        if what.startswith("next ") and ahead < 7:
            ahead += 7
        return base + timedelta(days=ahead)
    if re.match(r"(?:the\s+)?week\b", what):  # "by the end of the week"
        return base + timedelta(days=(4 - base.weekday()) % 7 or 7)
    if re.match(r"next\s+week\b", what):
        return base + timedelta(days=(4 - base.weekday()) % 7 + 7)
    return None


@dataclass(frozen=True)
class Timeline:
    when: date
    matched: str


def stated_timeline(text: str, base: date) -> Timeline | None:
    """The follow-up date a hiring manager stated, resolved against the interview date.

    Only dates after the interview count: a phrase that resolves to the interview day
    or earlier says nothing about when to follow up.
    """
    folded = fold(text)
    found = _DURATION.search(folded)
    candidates: list[tuple[int, Timeline]] = []
    if found:
        amount = _NUMBERS.get(found.group(1)) or int(found.group(1))
        unit = found.group(3)
        if unit.startswith("week"):
            when = base + timedelta(weeks=amount)
        elif found.group(2):
            when = _add_business_days(base, amount)
        else:
            when = base + timedelta(days=amount)
        candidates.append((found.start(), Timeline(when, found.group(0).strip())))
    for by in _BY.finditer(folded):
        when = _resolve_when(by.group("what"), base)
        if when is not None:
            candidates.append((by.start(), Timeline(when, by.group(0).strip())))
            break
    candidates = [c for c in candidates if c[1].when > base]
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


# ------------------------------------------------------------------ people & company

_ROOM = re.compile(r"@resource\.calendar\.google\.com$|@group\.calendar\.google\.com$")


def is_person(person: Person) -> bool:
    if person.resource:
        return False
    return not (person.email and _ROOM.search(person.email.lower()))


def interviewer(event: SourceEvent) -> Person | None:
    """Who the user met: the organizer if it is someone else, else a named attendee.

    Rooms and equipment (`resource`) are never people; the user's own entry is skipped.
    """
    org = event.organizer
    if org is not None and not org.is_self and is_person(org) and org.name:
        return org
    others = [p for p in event.attendees if not p.is_self and is_person(p)]
    named = [p for p in others if p.name and (org is None or p.email != org.email)]
    if named:
        return named[0]
    if org is not None and not org.is_self and is_person(org) and org.email:
        return org
    return others[0] if others else None


def recipients(event: SourceEvent) -> tuple[str, ...]:
    """Whom to write to: the organizer, else the other (human) attendees."""
    org = event.organizer
    if org is not None and not org.is_self and org.email and is_person(org):
        return (org.email,)
    return tuple(p.email for p in event.attendees if p.email and not p.is_self and is_person(p))


_ROLE_WORDS = re.compile(
    r"(?<!\w)(?:engineer|engineering|developer|manager|designer|analyst|scientist|architect"
    r"|lead|director|consultant|specialist|intern|internship|sre|devops|administrator"
    r"|coordinator|associate|executive|representative|officer|head|vp|researcher|writer"
    r"|accountant|marketer|owner|programmer|technician|entwickler\w*|ingenieur\w*"
    r"|developpeur\w*|ingenieur|desarrollador\w*|ingeniero\w*|werkstudent\w*|stagiaire"
    r"|product|data|frontend|backend|full[\s-]?stack|software|staff|senior|junior"
    r"|counsel|lawyer|attorney|paralegal|advis[eo]r|assistant|clerk|planner|buyer|editor"
    r"|nurse|teacher|pharmacist|physician|therapist|trainee|apprentice|fellow|principal"
    r"|chef de projet|chef|responsable|avocat|juriste|charge\w* de \w+"
    r"|\w*leiter\w*|\w*berater\w*|referent\w*|sachbearbeiter\w*|kaufm\w+|auszubildende\w*"
    r"|gerente|jefe|abogad\w|analista|asesor\w*|becari\w)(?!\w)"
)
# "(zoom)", "(Teams)", "(virtual)": how the meeting happens, never whom it is with.
_HOW = re.compile(
    r"^(?:via\s+|on\s+|per\s+)?(?:zoom|teams|ms\s+teams|microsoft\s+teams|meet|google\s+meet"
    r"|hangouts?|webex|skype|whereby|jitsi|facetime|virtual|remote|online|video|hybrid"
    r"|rescheduled|updated|tentative|tbc|tbd)$"
)
_SEPARATORS = re.compile(r"\s+[-\u2013\u2014|/~]\s+|\s*\|\s*|:\s+|\s*[\u2013\u2014]\s*")
_WITH_AT = re.compile(
    r"(?:^|\s)(?:with|at|@|w/|chez|avec|bei|mit|con|en)\s+(?P<name>.+)$", re.IGNORECASE
)
_FOR_ROLE = re.compile(
    r"\bfor\s+(?:the\s+|a\s+|an\s+)?(?P<role>.+?)\s+(?:role|position|job|opening)\b",
    re.IGNORECASE,
)
_STOP = {
    "with",
    "at",
    "for",
    "and",
    "the",
    "a",
    "an",
    "call",
    "interview",
    "round",
    "via",
    "on",
    "de",
    "du",
    "la",
    "le",
    "mit",
    "bei",
    "con",
    "avec",
    "chez",
    "1st",
    "2nd",
    "3rd",
    "#1",
    "#2",
    "zoom",
    "video",
    "teams",
    "meet",
    "google",
    "virtual",
    "remote",
    "(",
    ")",
}
_LEGAL = re.compile(
    r"[\s,]+(?:inc|incorporated|corp|corporation|co|company|llc|ltd|limited|gmbh|ag|se|sa"
    r"|sas|sarl|bv|b\.v|nv|plc|srl|sl|s\.l|s\.a|pty|kg|ug|oy|ab|as)\.?$",
    re.IGNORECASE,
)


def normalize_company(name: str) -> str:
    """Compare companies loosely: "ACME, Inc." == "Acme" == "acme gmbh"."""
    text = fold(name).strip()
    previous = None
    while previous != text:
        previous = text
        text = _LEGAL.sub("", text).strip()
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


def _stage_spans(text: str, vocab: Vocabulary) -> list[tuple[int, int]]:
    """Spans of stage words in `text`, matched on the folded text ("Gespräch" ==
    "gesprach") and mapped back to positions in the original."""
    if text.isascii():  # folding keeps every position
        folded = text.casefold()
        origin: range | list[int] = range(len(text) + 1)
    else:
        folded_chars: list[str] = []
        origin = []  # folded position -> original position
        for i, char in enumerate(text):
            for piece in fold(char):
                folded_chars.append(piece)
                origin.append(i)
        folded = "".join(folded_chars)
        origin.append(len(text))
    spans = []
    for term in _stage_terms(folded, vocab):
        spans.extend(
            (origin[m.start()], origin[m.end() - 1] + 1)
            for m in term.regex.finditer(folded)
            if m.end() > m.start()
        )
    return spans


_STAGE_CATEGORIES = ("interview", "phone", "final")


def _stage_terms(folded: str, vocab: Vocabulary):
    """The stage-word terms that can match `folded`: a phrase whose longest word is
    missing cannot (the vocabulary's plan), a user's pattern is always tried."""
    for category in _STAGE_CATEGORIES:
        yield from (term for term, _ in vocab.candidates(category, folded))
        yield from vocab.timed(category)


def _is_stage_part(text: str, vocab: Vocabulary) -> bool:
    folded = fold(text)
    return any(term.regex.search(folded) for term in _stage_terms(folded, vocab))


def _leftover(text: str, vocab: Vocabulary) -> str | None:
    """What remains of "Acme onsite" once the stage words are cut out: "Acme"."""
    spans = _stage_spans(text, vocab)
    if not spans:
        return None
    keep = [True] * len(text)
    for start, end in spans:
        for i in range(start, end):
            keep[i] = False
    rest = "".join(c if k else " " for c, k in zip(text, keep, strict=True))
    tokens = [t for t in rest.split() if t.lower() not in _STOP and re.search(r"\w", t)]
    if tokens and tokens[0][:1].isupper():
        return " ".join(tokens)
    return None


def _clean(name: str) -> str:
    name = re.sub(r"\s*\(.*?\)\s*", " ", name)
    name = _FOR_ROLE.sub("", name)
    name = re.split(r"\s+(?:for|about|re:?|regarding|via|on)\s+", name, maxsplit=1)[0]
    return name.strip(" -\u2013\u2014|:,.'\"")


def _person_names(event: SourceEvent) -> set[str]:
    names: set[str] = set()
    people = [*event.attendees, *([event.organizer] if event.organizer else [])]
    for person in people:
        if person.name:
            names.add(fold(person.name))
            names.update(fold(part) for part in person.name.split())
    return names


def company_and_role(event: SourceEvent, vocab: Vocabulary) -> tuple[str | None, str | None]:
    """Company and role from the title, with the organizer's domain as a fallback.

    Handles the shapes people and schedulers write: "Phone screen - Acme Corp",
    "Interview with Acme (Backend Engineer)", "Acme | Final round", "Acme Corp: onsite",
    "Backend Engineer interview at Acme".
    """
    summary = event.summary.strip()
    company: str | None = None
    role: str | None = None
    people = _person_names(event)
    for_role = _FOR_ROLE.search(summary)
    if for_role:
        role = for_role.group("role").strip()
    for part in (p.strip() for p in _SEPARATORS.split(summary) if p and p.strip()):
        for inner in re.findall(r"\(([^)]*)\)", part):
            inner = inner.strip()
            if not inner or _HOW.match(fold(inner)):
                continue
            if _ROLE_WORDS.search(fold(inner)) and role is None:
                role = inner
            elif (
                company is None and not _is_stage_part(inner, vocab) and (fold(inner) not in people)
            ):
                company = _clean(inner) or None
        bare = re.sub(r"\s*\([^)]*\)", "", part).strip()
        if not bare:
            continue
        if _is_stage_part(bare, vocab):
            with_at = _WITH_AT.search(bare)
            if with_at and company is None:
                candidate = _clean(with_at.group("name"))
                # "Interview at Acme with Jane": keep the part before a second "with".
                candidate = re.split(r"\s+(?:with|mit|avec|con)\s+", candidate)[0].strip()
                if (
                    candidate
                    and fold(candidate) not in people
                    and not _is_stage_part(candidate, vocab)
                    and candidate[:1].isupper()
                ):
                    company = candidate
                    before = bare[: with_at.start()].strip()
                    if role is None and _ROLE_WORDS.search(fold(before)):
                        role = _leftover(before, vocab) or None
            if company is None:
                rest = _leftover(bare, vocab)
                if rest and fold(rest) not in people:
                    if _ROLE_WORDS.search(fold(rest)):
                        role = role or rest
                    else:
                        company = _clean(rest) or None
        else:
            # "Initech, Product Designer": a comma separates company and role too.
            for piece in (p.strip() for p in bare.split(",") if p.strip()):
                if _ROLE_WORDS.search(fold(piece)):
                    role = role or piece
                elif company is None and fold(piece) not in people:
                    company = _clean(piece) or None
    if company is None:
        company = company_from_domain(event, vocab)
    return company, role


_SUFFIX2 = {
    "co.uk",
    "com.au",
    "co.jp",
    "com.br",
    "co.nz",
    "co.in",
    "com.mx",
    "com.es",
    "co.za",
    "com.tr",
    "org.uk",
    "ac.uk",
    "gv.at",
    "com.sg",
}
_PREFIXES = {
    "mail",
    "email",
    "corp",
    "careers",
    "career",
    "jobs",
    "talent",
    "hr",
    "recruiting",
    "recruit",
    "www",
    "people",
    "team",
    "e",
    "m",
}


def company_from_domain(event: SourceEvent, vocab: Vocabulary) -> str | None:
    """The employer guessed from the organizer's (or another attendee's) email domain.

    Free mail, schedulers (Calendly) and applicant-tracking systems say nothing about the
    employer and are ignored, as is the user's own domain.
    """
    own = {
        p.email.rsplit("@", 1)[-1].lower()
        for p in (*event.attendees, *([event.organizer] if event.organizer else []))
        if p.is_self and p.email and "@" in p.email
    }
    candidates = [event.organizer] if event.organizer and not event.organizer.is_self else []
    candidates += [p for p in event.attendees if not p.is_self]
    for person in candidates:
        if person is None or not person.email or "@" not in person.email:
            continue
        if not is_person(person):
            continue
        domain = person.email.rsplit("@", 1)[1].lower().strip(".")
        if domain in own or vocab.ignores_domain(domain):
            continue
        labels = domain.split(".")
        if len(labels) < 2:
            continue
        take = 3 if ".".join(labels[-2:]) in _SUFFIX2 and len(labels) >= 3 else 2
        name = labels[-take]
        if name in _PREFIXES:
            continue
        return " ".join(w.capitalize() for w in re.split(r"[-_]+", name) if w)
    return None
