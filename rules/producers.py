"""Who wrote the invite: schedulers and applicant-tracking systems, and what their
formats carry.

Most interview invites are not typed by a person: an applicant-tracking system (ATS:
Greenhouse, Lever, Ashby, Workday, SmartRecruiters, ...), an interview scheduler
(GoodTime, ModernLoop) or a booking page (Calendly) writes them. Each has a shape, and
the shape says more than the words:

- **Calendly**: the title is only "{Invitee} and {Host}" (or "{Event} between {Host}
  and {Invitee}"); what the meeting is stands in the description's `Event Name:` line
  and in the invitee's answers. The event name is read as the title; the links to
  cancel or reschedule and Calendly's question prompts ("anything that will help
  prepare for our meeting") are boilerplate.
- **GoodTime / ModernLoop**: an itinerary (one line per session: time, interviewer,
  session name). Its session names are read as title text.
- **Greenhouse**: a schedule block (`Interview Schedule`, then dated lines). For the
  interviewer it carries an *Interview Kit* and a scorecard link: the rules' side
  question reads those as the user being the interviewer.
- **Workday / Infor**: titles "Interview for R-12345 Senior Engineer - Sam Seeker" and an
  `Interview Type:` line that names the stage.
- **Ashby, Lever**: candidate invites from no-reply addresses; interviewer copies carry
  feedback links (`/feedback`, `hire.lever.co/interviews`).
- **Microsoft Bookings**: a booking page like Calendly. The organizer is the page's
  mailbox (named after the business or team: "acmetalentacquisition@acme.com"), the
  title is the booked service, and the confirmation has `Service:` and `Staff:` lines
  (in the customer's language) and links to `outlook.office365.com/.../bookings/`. The
  service name is the host's wording; whoever the `Staff:` line names is the host.

An ATS wrote the invite: that is evidence the meeting is about hiring (the `producer`
threshold); whether the user is the candidate is the side question's. A booking page is
no such evidence (anybody books a Calendly slot). The employer never comes from these
domains (they are in the vocabulary's ignored domains): it comes from the title, else
from a person's own company domain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.model import Reason, SourceEvent

ATS_DOMAINS = {
    "greenhouse.io": "greenhouse",
    "greenhouse-mail.io": "greenhouse",
    "lever.co": "lever",
    "ashbyhq.com": "ashby",
    "myworkday.com": "workday",
    "workday.com": "workday",
    "myworkdayjobs.com": "workday",
    "infor.com": "infor",
    "goodtime.io": "goodtime",
    "modernloop.io": "modernloop",
    "smartrecruiters.com": "smartrecruiters",
    "icims.com": "icims",
    "jobvite.com": "jobvite",
    "workable.com": "workable",
    "recruitee.com": "recruitee",
    "teamtailor.com": "teamtailor",
    "personio.de": "personio",
    "bamboohr.com": "bamboohr",
    "taleo.net": "taleo",
    "successfactors.com": "successfactors",
    "gem.com": "gem",
}
SCHEDULER_DOMAINS = {"calendly.com": "calendly"}

# Calendly's "Event Name:" as it writes it in each language of its invitations.
# The name marks a Calendly invite; its event type is read as the title too.
_EVENT_NAME = (
    r"event name|nom de l['\u2019]\s?[ée]v[ée]nement|ereignisname|name des ereignisses"
    r"|veranstaltungsname|nombre del evento|nome (?:dell['\u2019]\s?)?evento|nome do evento"
    r"|naam (?:van het )?evenement|evenementnaam"
)
_EVENT_TYPE = (
    r"event type|type d['\u2019]\s?[ée]v[ée]nement|ereignistyp|tipo de evento|tipo di evento"
    r"|type evenement"
)
_TEXT_MARKERS = (
    ("greenhouse", re.compile(r"greenhouse\.io|powered by greenhouse", re.I)),
    ("lever", re.compile(r"hire\.lever\.co|jobs\.lever\.co|lever\.co/", re.I)),
    ("ashby", re.compile(r"ashbyhq\.com|powered by ashby", re.I)),
    (
        "goodtime",
        re.compile(r"goodtime\.io|powered by goodtime|scheduled (?:with|via) goodtime", re.I),
    ),
    ("modernloop", re.compile(r"modernloop\.io|powered by modernloop", re.I)),
    ("workday", re.compile(r"myworkday(?:jobs)?\.com|^\s*interview type\s*:", re.I | re.M)),
    ("smartrecruiters", re.compile(r"smartrecruiters\.com|(?:via|by) smartrecruiters", re.I)),
    ("icims", re.compile(r"icims\.com|powered by icims|(?:via|by) icims", re.I)),
    ("jobvite", re.compile(r"jobvite\.com|powered by jobvite", re.I)),
    ("workable", re.compile(r"workable\.com|powered by workable", re.I)),
    ("teamtailor", re.compile(r"teamtailor\.com|powered by teamtailor", re.I)),
    ("recruitee", re.compile(r"recruitee\.com|powered by recruitee", re.I)),
    ("personio", re.compile(r"personio\.(?:de|com)|powered by personio", re.I)),
    ("bamboohr", re.compile(r"bamboohr\.com|powered by bamboohr", re.I)),
    ("taleo", re.compile(r"taleo\.net|powered by taleo", re.I)),
    ("successfactors", re.compile(r"successfactors\.(?:com|eu)|sap successfactors", re.I)),
    (
        "ms-bookings",
        re.compile(r"outlook\.office365\.com/(?:owa/calendar/[^\s/]+/bookings/|book/)", re.I),
    ),
    (
        "calendly",
        re.compile(rf"calendly\.com|powered by calendly|^\s*(?:{_EVENT_NAME})\s*:", re.I | re.M),
    ),
)

# Workday / Infor: "Interview for R-12345 Senior Software Engineer - Sam Seeker", and the
# same title in the languages Workday writes it ("Entrevista para R-123 ... - Name").
WORKDAY_TITLE = re.compile(
    r"^\s*(?P<kind>[\w\s-]*?(?:interview|entretien|entrevista|colloquio|vorstellungsgespr[äa]ch"
    r"|gespr[äa]ch|sollicitatiegesprek|gesprek))\s+(?:for|pour|para|per|f[üu]r|voor)\s+"
    r"(?P<req>(?:R|JR|REQ|JOB)[-_]?\d{3,})\s+"
    r"(?P<role>.+?)(?:\s+[-\u2013\u2014]\s+(?P<name>[^-\u2013\u2014]+))?\s*$",
    re.I,
)
_REQ_ID = re.compile(r"\b(?:R|JR|REQ)[-_]?\d{4,}\b")
_FIELD_LINE = re.compile(
    rf"^\s*(?P<key>{_EVENT_NAME}|{_EVENT_TYPE}|interview type|interview stage|stage|session|"
    r"interview|meeting type|type of interview|format)\s*:\s*(?P<value>.+?)\s*$",
    re.I | re.M,
)
_EVENT_KEY = re.compile(rf"{_EVENT_NAME}|{_EVENT_TYPE}", re.I)
# Microsoft Bookings' confirmation lines, in the languages it writes them.
_BOOKINGS_SERVICE = re.compile(
    r"^\s*(?:service|servicio|servi[çc]o|servizio|dienst|dienstleistung)\s*:\s*(?P<value>.+?)\s*$",
    re.I | re.M,
)
_BOOKINGS_STAFF = re.compile(
    r"^\s*(?:staff|personal|equipe|equipo|personale|personnel|mitarbeiter(?:in)?|medewerker)"
    r"\s*:\s*(?P<value>.+?)\s*$",
    re.I | re.M,
)
BOOKING_PAGES = ("calendly", "ms-bookings")
# Calendly's own lines (not what the meeting is about).
_CALENDLY_NOISE = re.compile(
    r"^\s*(?:need to make changes to this event\??|cancel:|reschedule:|powered by calendly"
    r"|invitee time zone:|invitee email:|invitee:|event date/time:|location:"
    r"|\S*calendly\.com\S*"
    # the same lines in Calendly's other languages
    r"|besoin de modifier cet [ée]v[ée]nement|annuler\s*:|reprogrammer\s*:|replanifier\s*:"
    r"|m[üu]ssen sie [äa]nderungen|absagen\s*:|stornieren\s*:|neu planen\s*:"
    r"|¿?necesitas hacer cambios|cancelar\s*:|reprogramar\s*:|reagendar\s*:"
    r"|devi apportare modifiche|annulla\s*:|riprogramma\s*:|precisa fazer altera"
    r"|moet je dit evenement wijzigen|annuleren\s*:|opnieuw plannen\s*:"
    r"|(?:con|com) tecnologia calendly|optimis[ée] par calendly|bereitgestellt von calendly"
    r"|desarrollado por calendly|mogelijk gemaakt door calendly).*$",
    re.I | re.M,
)
# Its question prompts: the host's wording, cut; the invitee's answer after the prompt
# on the same line ("...prepare for our meeting.: Applied to UX Researcher at Acme") is
# what the meeting is about, and stays.
_CALENDLY_PROMPT = re.compile(
    r"^\s*(?:please share anything that will help prepare for our meeting\.?\s*:?"
    r"|questions?(?:\s+and\s+answers)?\s*:"
    # the same prompt as Calendly words it in fr, de, es, it, pt, nl: a request to share
    # whatever helps prepare the meeting (its prepare word is no prep session)
    r"|(?:merci de |veuillez |bitte |por favor,?\s)?"
    r"(?:partag\w*|teilen|teile|compart\w*|condivid\w*|deel|delen)\b[^\n:]{0,120}?"
    r"(?:pr[ée]par|vorbereit|voor te bereiden|voorbereid)[^\n:]*:?"
    r"|(?:questions et r[ée]ponses|fragen und antworten|preguntas y respuestas"
    r"|domande e risposte|perguntas e respostas|vragen en antwoorden)\s*:)",
    re.I | re.M,
)
_ITINERARY_LINE = re.compile(
    r"^\s*(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.?m\.?)?\s*[-\u2013]\s*\d{1,2}(?::\d{2})?\s*"
    r"(?:[ap]\.?m\.?)?|\d{1,2}:\d{2})\s*(?:[A-Z]{2,4}T?\b)?\s*[:|\-\u2013]?\s*(?P<rest>.+)$",
    re.I | re.M,
)
_BETWEEN = re.compile(
    r"^\s*(?P<event>.+?)\s+(?:between|with)\s+[\w .'-]+\s+and\s+[\w .'-]+\s*$", re.I
)
# "{Invitee} and {Host}" in the languages Calendly writes it (and, et, y, e, und, en).
_NAME_WORD = r"[^\W\d_][\w.'-]*"
_AND_NAMES = re.compile(
    r"^\s*(?:(?:updated|fw|fwd|re|actualizado|mis à jour|aggiornato|atualizado|bijgewerkt)"
    r"\s*:\s*)?"
    rf"{_NAME_WORD}(?:\s+{_NAME_WORD}){{0,3}}\s+(?:and|et|y|e|und|en|&)\s+{_NAME_WORD}"
    rf"(?:\s+{_NAME_WORD}){{0,3}}(?:\s*\([^)]*\))?\s*$",
    re.I,
)


@dataclass(frozen=True)
class Reading:
    """What the producer's format says, beside the event's own fields."""

    producer: str  # "greenhouse", "calendly", ... or "" (typed by a person)
    ats: bool = False  # an applicant-tracking system or interview scheduler wrote it
    title: str = ""  # text to judge as a title (Calendly event name, session names)
    description: str | None = None  # the description with the producer's noise cut
    role: str | None = None
    candidate_name: str | None = None  # Workday's "- Name" after the role
    host_name: str | None = None  # a booking page's host (Bookings' "Staff:" line)
    names_only_title: bool = False  # "{Invitee} and {Host}": the title says nothing
    reasons: tuple[Reason, ...] = ()


def domain_of(email: str | None) -> str:
    if not email or "@" not in email:
        return ""
    return email.rsplit("@", 1)[1].lower().strip(".")


def _match_domain(domain: str, table: dict[str, str]) -> str | None:
    """The producer of `domain` or of a parent domain ("hire.lever.co" -> "lever")."""
    labels = domain.split(".")
    for i in range(len(labels) - 1):
        found = table.get(".".join(labels[i:]))
        if found:
            return found
    return None


# Words one of the text markers needs: a description with none of them is no producer's.
_MARKER_WORDS = (
    "greenhouse",
    "lever.co",
    "ashby",
    "goodtime",
    "modernloop",
    "workday",
    "interview type",
    "smartrecruiters",
    "icims",
    "jobvite",
    "workable",
    "teamtailor",
    "recruitee",
    "personio",
    "bamboohr",
    "taleo",
    "successfactors",
    "calendly",
    "office365.com/",
    "event name",
    "nement",  # "nom de l'événement" folded or not
    "ereignis",
    "veranstaltungsname",
    "del evento",
    "evento",
    "evenement",
)


def identify(event: SourceEvent, description: str) -> tuple[str, str] | None:
    """(producer, how it was recognised), or None for an invite a person typed."""
    for person in event.others:
        domain = domain_of(person.email)
        if not domain:
            continue
        found = _match_domain(domain, ATS_DOMAINS) or _match_domain(domain, SCHEDULER_DOMAINS)
        if found:
            return found, f"organizer/attendee domain {domain}"
    low = description.lower()
    if any(word in low for word in _MARKER_WORDS):
        for name, marker in _TEXT_MARKERS:
            hit = marker.search(description)
            if hit:
                return name, f"description: {hit.group(0).strip()!r}"
    if WORKDAY_TITLE.match(event.summary):
        return "workday", "title shape 'Interview for R-... Role - Name'"
    return None


def read(event: SourceEvent, description: str) -> Reading:
    """Read the producer's format; an unknown producer gives an empty `Reading`."""
    found = identify(event, description)
    if found is None:
        return Reading("")
    name, how = found
    reasons = [Reason(f"producer:{name}", "event", how)]
    ats = name not in BOOKING_PAGES
    title_parts: list[str] = []
    role = candidate = host = None
    text = description
    names_only = False
    if name == "calendly":
        for line in _FIELD_LINE.finditer(text):
            if _EVENT_KEY.fullmatch(line.group("key")):
                title_parts.append(line.group("value"))
        between = _BETWEEN.match(event.summary)
        if between and not title_parts:
            title_parts.append(between.group("event"))
        names_only = bool(_AND_NAMES.match(event.summary)) and not between
        text = _CALENDLY_NOISE.sub("", text)
        text = _CALENDLY_PROMPT.sub("", text)
        text = _FIELD_LINE.sub("", text)
    elif name == "ms-bookings":
        for line in _BOOKINGS_SERVICE.finditer(text):
            title_parts.append(line.group("value"))
        staff = _BOOKINGS_STAFF.search(text)
        host = staff.group("value") if staff else None
        text = _BOOKINGS_SERVICE.sub("", text)  # read as the title
    else:
        for line in _FIELD_LINE.finditer(text):
            if line.group("key").lower() not in ("format",):
                title_parts.append(line.group("value"))
        workday = WORKDAY_TITLE.match(event.summary)
        if workday:
            role = workday.group("role").strip()
            candidate = (workday.group("name") or "").strip() or None
        if name in ("goodtime", "greenhouse", "modernloop", "ashby", "lever"):
            for line in _ITINERARY_LINE.finditer(text):
                title_parts.append(line.group("rest"))
    for part in title_parts:
        reasons.append(Reason("producer-field", "description", part.strip()[:80]))
    return Reading(
        producer=name,
        ats=ats,
        title="\n".join(p.strip() for p in title_parts if p.strip()),
        description=text,
        role=role,
        candidate_name=candidate,
        host_name=host,
        names_only_title=names_only,
        reasons=tuple(reasons),
    )
