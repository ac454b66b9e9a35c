"""Is an event a job interview the user attends as a candidate, and at which stage?

Order of judgement (SPEC "Detecting an interview"):

1. Hard rules, which even a tag cannot override: events this tool wrote (private
   marker or the `#followup:generated` line), cancelled events, events the user
   declined, non-default Google event types (outOfOffice, focusTime, ...). A tag on a
   cancelled interview must not resurrect its reminder.
2. Explicit tags in the description: `#followup:skip`, `#followup:phone`,
   `#followup:final`; `#followup:YYYY-MM-DD` marks an interview too and states the
   follow-up date (the stage then comes from the words). Then the user's own answer to
   an unsure verdict (`followup confirm EVENT phone|final|skip`): a tag still wins.
3. Set aside what says nothing about the meeting: conferencing boilerplate (join
   blocks, dial-in numbers, "call in", meeting IDs; `rules.conferencing`) and the
   producer's own noise; read the producer's format (`rules.producers`: Calendly's
   event name, an itinerary, Workday's `Interview Type:`).
4. Structure before words: who sent the invite to which address. On the user's
   work address, organized by the user or a colleague, an interview is the hiring
   side's (`work_calendar`, added to the interviewer kind: a job seeker's own
   interviews come to the address they applied with). A company's recruiting mailbox
   (`recruiting@`, `talent@`: `hiring_mailbox`) or someone else's invite whose title
   names the user ("Acme <> Sam Seeker": `named_in_title`; not a booking page's
   "{Invitee} and {Host}") is hiring evidence that backs interview and context words in
   full. It never makes an interview on its own: every reader dismisses events on
   their words before classifying them (`could_be_interview`, the .ics fast read), and
   a verdict those pre-checks could not foresee would differ between the fast and the
   full read. Each shows as a reason (`hiring:mailbox`, `hiring:names-you`).
5. The two questions, each with reasons:
   - **side**: an interviewer-side signal (interview kit, scorecard, debrief, "you are
     interviewing X") reaching the `negative` threshold makes the user the interviewer;
     it outranks every interview word.
   - **kind**: an about-interviews signal (prep, practice, thank-you tasks, webinars,
     fairs, status notes, offer calls, reference checks) or another kind of event
     (media and exit interviews, customer onsites, exams) reaching `negative` rules it
     out. A rule-out word that is part of a job title ("Enterprise *Sales* Lead",
     "Head of *Customer* Success") or of the employer's name ("*Foxglove Media*
     Interview" from foxglovemedia.co, "chez *Atelier* Numérique Sud") names the role
     or the company, not the event, and is set aside (`_names_not_kinds`; never an
     interviewer-side marker). The kinds are weighed in that order, each only while
     no earlier one has decided. Otherwise the interview **evidence** decides:
     interview words, plus context words (onsite, screen, call, final round, panel)
     only as far as something else backs them (an interview word, an
     applicant-tracking system, someone at a company who invited the user), else at
     `context_share`.
6. The unsure band: evidence at or above `interview` is a sure interview; between
   `unsure` and `interview` (or a rule-out signal at `doubt` strength) it is the best
   guess, unsure: no reminder until the user confirms it.
7. Only then the stage: phone and final signals weighed, final only if it outweighs
   phone (the article's two stages; "an early video screen is the phone stage"), and
   `default_stage` when nothing says which. A video link is stage evidence only then.
8. Recurring events that would be interviews by their words are not taken, with
   `skip_note` set (a series has no single date to count from). All-day and multi-day
   interview days are interviews; their window counts from the last day (`local_date`).

Every verdict carries `Reason`s: which signal matched which field, with what text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from rules import conferencing, fitted, producers
from rules.extract import (
    MARKER,
    company_and_role,
    interviewer,
    parse_tags,
    stated_timeline,
)
from rules.model import (
    Classification,
    Confirmation,
    Kind,
    Reason,
    Side,
    SourceEvent,
    Stage,
)
from rules.producers import domain_of
from rules.vocabulary import BUILTIN_ORIGIN, Term, Vocabulary, fold

_HTML_TAG = re.compile(r"<[^>]+>")
_TAG_TEXT = re.compile(r"#followup:\s*\S+|#salary:[^\n#]*", re.IGNORECASE)


def side_of(kind: str) -> bool:
    """A rule-out kind that makes the user the interviewer ("negative:interviewer*")."""
    return kind.startswith("negative:interviewer")


def about_of(kind: str) -> bool:
    """A rule-out kind meaning "about interviews"; every other kind is another event."""
    return kind.startswith(("negative:prep", "negative:thank-you", "negative:about"))


TITLE_FIELDS = ("summary", "scheduler")


@dataclass(frozen=True)
class _Hit:
    term: Term
    field: str
    span: tuple[int, int]
    text: str
    weight: float


def local_date(event: SourceEvent) -> date:
    """The interview's date in its own time zone, the day its window counts from.

    For an all-day or multi-day interview this is its **last** day (SPEC "When to
    remind": the follow-up counts from the end of a two-day final): an all-day event's
    end date is exclusive, so the last day is the day before it; a timed event lasting
    a day or more ends on the local date of its end instant. A shorter event that
    crosses midnight (23:30-00:30) keeps its start date.
    """
    start = event.start
    if not isinstance(start, datetime):
        end = event.end
        if isinstance(end, date) and not isinstance(end, datetime):
            last = end - timedelta(days=1)
            return last if last > start else start
        return start
    zone = None
    if event.timezone:
        from zoneinfo import ZoneInfo

        try:
            zone = ZoneInfo(event.timezone)
        except (KeyError, ValueError):  # unknown zone: trust the given offset
            zone = None
    first = start.astimezone(zone).date() if zone else start.date()
    end = event.end
    if isinstance(end, datetime) and end - start >= timedelta(hours=24):
        last_instant = end - timedelta(microseconds=1)  # ending at midnight: the day before
        last = last_instant.astimezone(zone).date() if zone else last_instant.date()
        return max(first, last)
    return first


def first_local_date(event: SourceEvent) -> date:
    """The interview's first local day (what a title or message calls "the interview")."""
    start = event.start
    if not isinstance(start, datetime):
        return start
    return local_date(replace(event, end=None))


def _multi_day(event: SourceEvent) -> bool:
    return local_date(event) != first_local_date(event)


@dataclass(frozen=True)
class _Text:
    """The event's fields as the rules judge them, boilerplate set aside."""

    fields: list[tuple[str, str, float]]  # (field, folded text, weight)
    video: bool
    vendors: tuple[str, ...]
    reading: producers.Reading


def _plain_description(event: SourceEvent) -> str:
    text = event.description.replace(MARKER, "")
    if "<" in text:
        text = _HTML_TAG.sub(" ", text)
    return _TAG_TEXT.sub(" ", text) if "#" in text else text


def _people_text(event: SourceEvent) -> str:
    names = [p.name for p in event.others if p.name]
    return "\n".join(dict.fromkeys(names))


def _read(event: SourceEvent, vocab: Vocabulary) -> _Text:
    """(field, folded text, weight) per field, after the boilerplate is cut out. No
    title: the description is judged at full weight."""
    description = _plain_description(event)
    reading = producers.read(event, description)
    if reading.description is not None:
        description = reading.description
    desc = conferencing.strip_description(description)
    loc = conferencing.strip_location(event.location)
    vendors = tuple(sorted({*desc.vendors, *loc.vendors}))
    video = desc.video or loc.video or bool(event.conference)
    summary = "" if reading.names_only_title else event.summary
    titled = bool(summary.strip() or reading.title.strip())
    weights = {
        "summary": vocab.field_weight("summary"),
        "location": vocab.field_weight("location"),
        "scheduler": vocab.field_weight("scheduler"),
        "people": vocab.field_weight("people"),
        "description": vocab.field_weight("description")
        if titled
        else max(1.0, vocab.field_weight("summary")),
    }
    texts = [
        ("summary", summary),
        ("scheduler", reading.title),
        ("location", loc.text),
        ("description", desc.text),
        ("people", _people_text(event)),
    ]
    fields = [(name, fold(text), weights[name]) for name, text in texts if text.strip()]
    return _Text(fields, video, vendors, reading)


# `_hits` answers kept per Vocabulary: a calendar asks about the same texts again and
# again ("Interview prep" every week, with other colleagues invited each time).
_HITS_KEPT = 2048


def _hits(vocab: Vocabulary, category: str, fields: list[tuple[str, str, float]]) -> list[_Hit]:
    """Matches of one category; a longer match hides shorter ones inside it (same field),
    and each term counts once, in the field where it weighs most. A pure function of its
    arguments (a user's pattern that runs out of time raises, and nothing is kept), so
    answers are kept in the vocabulary's memo."""
    key = (category, tuple(fields))
    memo = vocab.memo
    found = memo.get(key)
    if found is None:
        found = tuple(_find_hits(vocab, category, fields))
        if len(memo) >= _HITS_KEPT:
            memo.clear()
        memo[key] = found
    return list(found)


def _find_hits(
    vocab: Vocabulary, category: str, fields: list[tuple[str, str, float]]
) -> list[_Hit]:
    only = vocab.fields_of(category)
    if only is not None:
        fields = [f for f in fields if f[0] in only]
    joined = "\n".join(text for _, text, _ in fields)
    timed = vocab.timed(category)
    found: list[_Hit] = []
    # A word of the phrase missing from the text: its regex cannot match. (Looking
    # the few candidates up costs less than a category's screen would.)
    for term, literal in vocab.candidates(category, joined):
        for name, text, weight in fields:
            if literal not in text:
                continue
            for match in term.regex.finditer(text):
                if match.end() > match.start():
                    found.append(
                        _Hit(term, name, match.span(), match.group(0), term.weight * weight)
                    )
    for term in timed:  # a user's patterns: time-bound, never behind a screen
        for name, text, weight in fields:
            for match in term.regex.finditer(text):
                if match.end() > match.start():
                    found.append(
                        _Hit(term, name, match.span(), match.group(0), term.weight * weight)
                    )
    if not found:
        return []
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


def _stage(event: SourceEvent, vocab: Vocabulary, text: _Text) -> tuple[Stage, list[Reason]]:
    fields = [f for f in text.fields if f[0] != "people"]
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
    if event.all_day and final_score == 0 and phone_score < vocab.thresholds.address_long_block / 2:
        # A whole day (or two) blocked for an interview is an onsite, not a phone call;
        # a recruiter's number in the signature does not make it one.
        days = "multi-day" if _multi_day(event) else "all-day"
        final_score = vocab.thresholds.address_long_block
        reasons.append(Reason(f"final:{days}", "event", "a whole day blocked", final_score))
    if final_score > phone_score:
        stage = Stage.FINAL
    elif phone_score > 0:
        stage = Stage.PHONE
    elif text.video:
        # An early video screen is the phone stage (SPEC): the link says "video" only now.
        stage = Stage.PHONE
        reasons.append(Reason("video", "event", "/".join(text.vendors) or "meeting link"))
    else:
        stage = vocab.thresholds.default_stage
    reasons.append(
        Reason(f"stage:{stage.value}", "event", f"phone {phone_score:g}, final {final_score:g}")
    )
    return stage, reasons


def _not_interview(
    event: SourceEvent,
    reasons: list[Reason],
    note: str | None = None,
    *,
    side: Side | None = None,
    kind: Kind | None = None,
    sure: bool = True,
    producer: str | None = None,
    confirmed: Confirmation | None = None,
):
    return Classification(
        event_id=event.id,
        interview=False,
        stage=None,
        reasons=tuple(reasons),
        skip_note=note,
        side=side,
        kind=kind,
        sure=sure,
        producer=producer,
        confirmed=confirmed,
    )


# The vocabulary categories whose words can make an event an interview (the context
# words only together with a company or a hiring organizer). Every pre-check on raw
# text screens exactly these: `could_be_interview` here, the .ics fast read's screen.
SCREENED = ("interview", "context")


def _screened(vocab: Vocabulary) -> tuple[str, ...]:
    """The `SCREENED` categories this vocabulary has (a user may empty one)."""
    return vocab.present(SCREENED)


def could_be_interview(summary: str, description: str, location: str, vocab: Vocabulary) -> bool:
    """A cheap pre-check on raw text: False only when `classify` could never take the
    event as an interview, not even as an unsure best guess (no interview or context
    word, no user pattern and no `#followup:` tag anywhere).

    Readers of big calendars call it before building a SourceEvent at all: most of a
    50k-event calendar is meetings, and converting and classifying each one is most of
    a first sync's time. Negative words are not needed here: they only rule *out*. A
    confirmation (`followup confirm`) is stored with the event that was kept, so it
    needs no text either.
    """
    text = f"{summary}\n{description}\n{location}"
    if "#followup" in text.lower():
        return True
    if vocab.has_timed(SCREENED):
        return True
    screened = _screened(vocab)
    if vocab.may_match(screened, fold(text)):
        return True
    if "<" not in text and "&" not in text:
        return False
    # Descriptions may be HTML (Google stores it so): judge the text as a reader sees it.
    plain = fold(html.unescape(_HTML_TAG.sub(" ", text)))
    joined = fold(html.unescape(_HTML_TAG.sub("", text)))
    return vocab.may_match(screened, plain) or vocab.may_match(screened, joined)


def _external_company(event: SourceEvent, vocab: Vocabulary) -> str | None:
    """The domain of someone at a company who invited the user (not free mail, not an
    ATS or scheduler, not the user's own domain), or None."""
    org = event.organizer
    if org is None or org.is_self or not org.email or "@" not in org.email:
        return None
    domain = org.email.rsplit("@", 1)[1].lower().strip(".")
    own = {
        p.email.rsplit("@", 1)[-1].lower()
        for p in event.attendees
        if p.is_self and p.email and "@" in p.email
    }
    if domain in own or vocab.ignores_domain(domain):
        return None
    return domain


def _title_company(
    event: SourceEvent, text: _Text, vocab: Vocabulary, hits: Iterable[_Hit] = ()
) -> str | None:
    """A company named in the title itself ("Kestrel Analytics final round"), not guessed
    from a domain: a user's own entry names whom they meet. The event's own words are
    no part of the name ("Foxglove Media round 3" names Foxglove Media); a name made of
    them only is read again from the title without them ("Take-home review - Orrin
    Analytics" names Orrin Analytics; "Ronde 3 – schaaktoernooi" names no company)."""
    summary = text.reading.title.split("\n")[0] if text.reading.names_only_title else event.summary
    if not summary.strip():
        return None
    words = [h.text.strip() for h in hits if h.field == "summary" and h.text.strip()]

    def without(value: str) -> str:
        for word in words:
            value = re.sub(re.escape(word), " ", value, flags=re.I)
        return " ".join(value.split()).strip(" -\u2013\u2014:|/()@")

    def named(title: str) -> str | None:
        bare = replace(event, summary=title, organizer=None, attendees=())
        company, _ = company_and_role(bare, vocab)
        company = without(company) if company else ""
        at = title.find(company) if company else -1
        if at > 0 and title[at - 1] in "\"'\u2018\u201c":  # a quoted name: a film, a book
            return None
        return company if company[:1].isupper() and len(company) >= 2 else None

    found = named(summary)
    if found is None and words:
        # "<the event's words> - <Company>": the part after the dash, bar, "@" or "at"
        # (not after a colon: "Screening: Dune Part Three" names a film).
        parts = _TITLE_SEPARATOR.split(summary, maxsplit=1)
        if len(parts) == 2 and not without(parts[0]):
            rest = without(parts[1])
            found = named(rest) if rest and not _QUOTES.search(rest) else None
    return found


_QUOTES = re.compile("[\"'()\u2018\u2019\u201c\u201d]")


_COLLEAGUE = Term("negative:interviewer", "colleague", 0.0, re.compile(r"(?!)"))


def _colleague(event: SourceEvent, vocab: Vocabulary) -> str | None:
    """The organizer's address when it shares the user's own work domain (a colleague;
    never free mail), else None."""
    org = event.organizer
    if org is None or org.is_self or not org.email or "@" not in org.email:
        return None
    domain = org.email.rsplit("@", 1)[1].lower().strip(".")
    if vocab.ignores_domain(domain):
        return None
    own = {
        p.email.rsplit("@", 1)[-1].lower()
        for p in event.attendees
        if p.is_self and p.email and "@" in p.email
    }
    return org.email if domain in own else None


def _personal(domain: str, vocab: Vocabulary) -> bool:
    """Free mail, a scheduler, an ATS: a domain that names no employer."""
    return vocab.ignores_domain(domain)


def _work_calendar(event: SourceEvent, vocab: Vocabulary) -> str | None:
    """The user's work address when the event sits on it and the user or a colleague
    organized it, else None.

    Structure, not words: a job seeker's own interviews reach the address they applied
    with (almost always private mail), while interviews the user conducts, loop syncs and
    hiring meetings come to the work address from the user's own company. An interview
    word on an event the user or a colleague set up on the work calendar is the hiring
    side's (`work_calendar` threshold, added to the interviewer kind).
    """
    own = [p.email for p in event.attendees if p.is_self and p.email and "@" in p.email]
    org = event.organizer
    if org is not None and org.is_self and org.email and "@" in org.email:
        own.append(org.email)
    if not own:
        return None
    domains = {domain_of(e) for e in own}
    work = {d for d in domains if d and not _personal(d, vocab)}
    if not work:
        return None
    if org is None or org.is_self or not org.email:
        return own[0]
    return own[0] if domain_of(org.email) in work else None


# An internal move: the user applying for another job at their own employer, which
# reaches the work calendar from colleagues ("internal posting", "mobilité interne").
_INTERNAL_MOVE = re.compile(
    r"(?<!\w)(?:internal\s+(?:posting|position|role|opening|vacancy|vacancies|application|mobility"
    r"|move|transfer|job|requisition|req|interview|recruitment|recruiting|hire|hiring)"
    r"|(?:applying|applied|apply)\s+internally|talent\s+mobility"
    r"|mobilite\s+interne|(?:poste|candidature|offre|recrutement|entretien)\s+interne"
    r"|interne[rn]?\s+(?:stelle|bewerbung|ausschreibung|stellenausschreibung|wechsel|mobilitat"
    r"|vacature|sollicitatie|mobiliteit|werving|kandidatuur|stellenbesetzung)"
    r"|(?:movilidad|vacante|candidatura|posicion|convocatoria|vaga|posizione|selezione"
    r"|mobilita|mobilidade|posicao|seleccion|selecao)\s+interna"
    r"|(?:reclutamiento|recrutamento|proceso|processo|puesto|posto|job\s+posting)\s+interno"
    r"|internal\s+(?:candidacy|candidate|promotion|director\s+track)|promotion\s+panel"
    r"|interne\s+kandida(?:at|te)|candidat[oa](?:/a)?\s+intern[oa](?:/a)?)(?!\w)"
)
# ...and the invite addresses the user as the one who applied (an interviewer's copy of
# an internal candidate's loop does not). A possessive may carry the adjective: "your
# internal application", "ta candidature interne", "je interne sollicitatie".
_YOU_APPLIED = re.compile(
    r"(?<!\w)(?:your\s+(?:internal\s+)?(?:application|candidacy|current\s+manager)"
    r"|thanks?\s+(?:you\s+)?for\s+(?:applying|your\s+(?:internal\s+)?application)"
    r"|you(?:'re|\s+are)\s+invited\s+to\s+(?:the|your|an?)(?=\s)|you\s+applied|you(?:'ve|\s+have)\s+applied"
    r"|(?:votre|ta)\s+candidature|(?:ihre|deine|ihrer|deiner)\s+(?:interne[nr]?\s+)?bewerbung"
    r"|(?:tu|su|tua|sua)\s+candidatura|(?:je|uw|jouw)\s+(?:interne\s+)?sollicitatie"
    r"|(?:te\s+postulaste|ti\s+sei\s+candidat[oa]|te\s+candidataste|hai\s+candidato)"
    r"|your\s+(?:first\s+|second\s+|next\s+|final\s+)?interview|you\s+have\s+been\s+shortlisted"
    r"|als\s+interne\s+kandidaat|como\s+candidat[oa](?:/a)?\s+intern[oa](?:/a)?\s+tendras)(?!\w)"
)
# Whoever else the invite names as the one applying: an interviewer's copy of a
# colleague's move says whose it is ("internal candidate Jo Park", "Jo applied").
_SOMEONE_APPLIED = re.compile(
    r"(?<!\w)(?:candidat\w*|applicant\w*|kandidat\w*|bewerber\w*|sollicitant\w*"
    r"|(?:who|she|he|they)\s+applied|applied\s+to|beworben|gesolliciteerd|postulado|postulo"
    r"|s'est\s+porte|si\s+e\s+candidat[oa]|se\s+candidatou)(?!\w)"
)
_TITLE_PART = re.compile(r"\s*(?:[-\u2013\u2014:|/(),]|\s-\s)\s*")
_PROPER = re.compile(r"^[^\W\d_][^\W\d_'\u2019.-]*$")


def _title_names_someone(summary: str, vocab: Vocabulary, own: Sequence[str] = ()) -> bool:
    """Whether the title names a person other than those one meets and the user (`own`:
    the user's name parts): a part of two or three capitalised words ("Internal
    interview – Jo Park") that is no role ("Product Owner") and no vocabulary ("Interne
    Bewerbung"), not after "with", "met", "avec"; or a possessive ("Jo's internal move")."""
    if re.search(r"[^\W\d_]['\u2019]s\b", summary):
        return True
    for part in _TITLE_PART.split(summary):
        words = part.split()
        if not 2 <= len(words) <= 3:
            continue
        if not all(_PROPER.match(w) and w[0].isupper() and not w[1:].isupper() for w in words):
            continue
        folded = fold(part)
        if len(own) >= 2 and set(own[:2]) <= set(_NAME_PART.findall(folded)):
            continue  # "Internal interview: Head of Engineering – Sam Seeker": the user
        if re.search(rf"\b{_ROLE_HEAD}$", folded) or vocab.may_match(_screened(vocab), folded):
            continue
        if _INTERNAL_MOVE.search(folded):
            continue
        return True
    return False


def _internal_move(
    event: SourceEvent, fields: list[tuple[str, str, float]], vocab: Vocabulary
) -> tuple[str, str] | None:
    """(field, words) when the invite is about the user's own internal application:
    an internal-move phrase, and either words that address the user as the one who
    applied, or a title that carries the phrase and names nobody else as applying (an
    interviewer's copy of a colleague's move names its candidate)."""
    joined = "\n".join(text for _, text, _ in fields)
    if "intern" not in joined and "mobility" not in joined and "promotion" not in joined:
        return None
    found = None
    for name, text, _ in fields:
        hit = _INTERNAL_MOVE.search(text)
        if hit:
            found = (name, hit.group(0))
            break
    if found is None:
        return None
    if _YOU_APPLIED.search(joined) or _candidate_is_user(event):
        return found
    titled = any(name in TITLE_FIELDS and _INTERNAL_MOVE.search(t) for name, t, _ in fields)
    if not titled or _SOMEONE_APPLIED.search(joined):
        return None
    if _title_names_someone(event.summary, vocab, _own_name_parts(event)):
        return None
    return found


# A company's recruiting mailbox: "recruiting@", "talent-acquisition@", "careers.emea@".
_HIRING_MAILBOX = re.compile(
    r"^(?:recruit\w*|talent\w*|careers?|jobs?|hiring|hr|people(?:ops)?|interviews?|"
    r"interviewing|scheduling|candidates?|ta|staffing|rh|rrhh|karriere|bewerbung\w*|"
    r"recrutement|recrutamento|reclutamiento|selezione|werving|vacatures?|jobboerse)"
    r"(?:[._+-][a-z0-9]+)*$",
    re.I,
)


def _hiring_mailbox(event: SourceEvent, vocab: Vocabulary) -> str | None:
    """The organizer's address when it is a company's recruiting mailbox (not the
    user's own company: that is the hiring side's, see `_work_calendar`)."""
    org = event.organizer
    if org is None or org.is_self or not org.email or "@" not in org.email:
        return None
    local, domain = org.email.rsplit("@", 1)
    if not _HIRING_MAILBOX.match(local):
        return None
    domain = domain.lower().strip(".")
    if _personal(domain, vocab):
        return None
    own = {domain_of(p.email) for p in event.attendees if p.is_self}
    return None if domain in own else org.email


_TEAM_MAILBOX = re.compile(
    r"(?:recruit|talent|career|hiring|interview|karriere|recrut|reclut|selezione|werving)", re.I
)


def _booking_mailbox(event: SourceEvent, vocab: Vocabulary) -> str | None:
    """A booking page's mailbox named for recruiting ("glimmerstonetalentacquis@..."),
    at a company (not free mail, not the user's own domain), or None."""
    org = event.organizer
    if org is None or org.is_self or not org.email or "@" not in org.email:
        return None
    local, domain = org.email.rsplit("@", 1)
    domain = domain.lower().strip(".")
    if not _TEAM_MAILBOX.search(local) or _personal(domain, vocab):
        return None
    own = {domain_of(p.email) for p in event.attendees if p.is_self}
    return None if domain in own else org.email


_NAME_PART = re.compile(r"[^\W\d_]{2,}")


def _own_name_parts(event: SourceEvent) -> tuple[str, ...]:
    """The user's first and last name, from their display name or their address
    ("sam.seeker@..." -> sam, seeker); () when fewer than two parts are known."""
    people = [p for p in event.attendees if p.is_self]
    if event.organizer is not None and event.organizer.is_self:
        people.append(event.organizer)
    for person in people:
        for source in (person.name, (person.email or "").split("@", 1)[0]):
            parts = _NAME_PART.findall(fold(source or ""))
            if len(parts) >= 2:
                return tuple(parts[:2])
    return ()


def _names_user(event: SourceEvent, value: str | None) -> bool:
    """Whether `value` (a line such as Bookings' "Staff: Sam Seeker") names the user."""
    parts = _own_name_parts(event)
    if not value or len(parts) < 2:
        return False
    words = set(_NAME_PART.findall(fold(value)))
    return parts[0] in words and parts[1] in words


def _named_in_title(event: SourceEvent) -> str | None:
    """The user's name when someone else's invite names the user in its title
    ("Acme <> Sam Seeker", "Sam Seeker | ML Engineer | Day 2"): a company writes the
    candidate's name into the invites it sends; the user does not title their own
    events with their own name."""
    org = event.organizer
    if org is None or org.is_self or not event.summary:
        return None
    parts = _own_name_parts(event)
    if len(parts) < 2:
        return None
    title = fold(event.summary)
    if parts[0] not in title or parts[1] not in title:  # the cheap test first
        return None
    words = set(_NAME_PART.findall(title))
    if parts[0] in words and parts[1] in words:
        return " ".join(parts[:2])
    return None


# A labelled line of an invite that names the people by their part: "Interviewers: Sam
# Seeker; Kim Lee", "Candidato: Zeynep Zanetti", "Panel: ...", in every language.
_ROLE_LINE = re.compile(
    r"^[ \t>*-]*(?:(?P<panel>interviewers?(?:\s*\(s\)|:innen)?|interviewed by|panel(?:ists?)?"
    r"|entrevistador(?:es|as|a)?|intervistator[ei]|intervistatrici|intervistatrice"
    r"|intervieweurs?|interviewer\(s\)|jury)"
    r"|(?P<candidate>candidate(?: name)?|candidat(?:e|\(e\))?|candidat[oa]|kandidat(?:in)?"
    r"|kandidaat|bewerber(?:in)?|sollicitant|applicant))"
    r"[ \t]*:[ \t]*(?P<value>[^\n]+)$",
    re.I | re.M,
)
_ROLE_TERM = Term("negative:interviewer", "role line", 0.0, re.compile(r"(?!)"))
_YOU = frozenset({"you", "vous", "sie", "tu", "usted", "voce", "jij"})


def _hiring_roles(event: SourceEvent, reading: producers.Reading) -> list[_Hit]:
    """Structure that puts the user on the hiring side, whatever the language: a line
    listing the interviewers that names the user, or a candidate line (or a Workday
    title's "- Name") naming somebody else. A candidate's own invite names the user as
    the candidate and others as the interviewers; the interviewer's copy the reverse.
    """
    parts = _own_name_parts(event)
    if len(parts) < 2:
        return []
    description = event.description
    found: list[_Hit] = []
    if ":" in description:
        for line in _ROLE_LINE.finditer(_plain_description(event)):
            words = set(_NAME_PART.findall(fold(line.group("value"))))
            if line.group("panel"):
                hiring = parts[0] in words and parts[1] in words  # the user interviews
            else:  # somebody else is the candidate (not "Candidate: you")
                hiring = len(words) >= 2 and not (words & {*parts, *_YOU})
            if hiring:
                text = line.group(0).strip()
                found.append(_Hit(_ROLE_TERM, "description", (0, 0), text, 1.5))
    name = reading.candidate_name
    if name and reading.producer in ("workday", "infor"):
        words = set(_NAME_PART.findall(fold(name)))
        if len(words) >= 2 and not (parts[0] in words or parts[1] in words):
            found.append(_Hit(_ROLE_TERM, "summary", (0, 0), f"candidate {name}", 1.5))
    return found[:1]


# The head noun of a job title: "Enterprise *Sales* Lead", "*Customer* Success Manager",
# "*Research* Scientist", "Head of *Sales*". Folded text.
_ROLE_HEAD = (
    r"(?:engineers?|managers?|leads?|directors?|representatives?|reps?|executives?"
    r"|associates?|specialists?|analysts?|scientists?|consultants?|coordinators?|officers?"
    r"|designers?|developers?|researchers?|architects?|advis[eo]rs?|interns?|administrators?"
    r"|agents?|strategists?|partners?|assistants?|technicians?|writers?|editors?|heads?"
    r"|vps?|owners?|operators?|producers?|planners?|buyers?|marketers?|accountants?"
    r"|programmers?|lawyers?|attorneys?|paralegals?|clerks?|nurses?|teachers?|pharmacists?"
    r"|physicians?|therapists?|trainees?|apprentices?|fellows?|principals?|chefs?"
    r"|ingenieur\w*|ingeniero\w*|ingegnere|engenheir\w*"
    r"|entwickler\w*|berater\w*|manager\w*|leiter\w*|gerente|responsable|responsabile"
    r"|medewerker|adviseur|analista|consultor\w*|ejecutiv\w|executiv\w)"
)
# Up to two words between ("Customer *Success* Manager"), none of them a preposition or
# an article: "Stay interview *with* manager" is a meeting with one's manager.
_LINK_WORDS = (
    r"(?:with|for|at|to|and|of|the|an?|on|in|by|con|il|la|le|les|el|los|las|lo|de|des|du"
    r"|di|da|do|del|della|mit|bei|der|die|das|dem|den|met|van|het|een|en|y|e|et|und|avec"
    r"|pour|per|para|por|voor|zu|au|aux|com|um|uma|un|une|ein|eine|einem)"
)
_ROLE_AFTER = re.compile(rf"(?:(?!{_LINK_WORDS}\s)[\w&']+\s+){{0,2}}?{_ROLE_HEAD}\b")
# Before a word, "partners" is a firm's name ("Sterling Oak Partners webinar"), not a role.
_ROLE_HEAD_BEFORE = _ROLE_HEAD.replace("|partners?", "")
_ROLE_BEFORE = re.compile(
    rf"\b{_ROLE_HEAD_BEFORE}\s+(?:(?:of|for|de|des|du|di|da|do|del|della|dos|das|van|voor|fur)\s+)?"
    r"(?:the\s+|la\s+|le\s+|el\s+|il\s+|a\s+|o\s+|de\s+)?$"
)


def _in_role(text: str, span: tuple[int, int]) -> bool:
    """Whether the words at `span` are part of a job title ("Enterprise Sales Lead")."""
    after = text[span[1] : span[1] + 60]
    if after[:1].isspace() and _ROLE_AFTER.match(after.lstrip()):
        return True
    return bool(_ROLE_BEFORE.search(text[max(0, span[0] - 40) : span[0]]))


def _company_spans(event: SourceEvent, text: _Text, vocab: Vocabulary) -> dict[str, list]:
    """Where the employer's name stands in each field: a run of words that spells an
    inviting person's own company domain ("*Foxglove Media* Interview" from
    foxglovemedia.co), and a name of two or more capitalised words after "at", "chez",
    "bei", "@" in the title ("Journée d'entretiens chez *Atelier Numérique Sud*"). A
    title name's last word may be the event's own kind ("at Customer Success *Summit*"):
    it is no part of the name there (a flag on the span says which kind of span). After
    interview words and a dash, a capitalised run names the employer too ("Entrevista
    telefónica – *Hotel Mirador*"), its last word included when it is an institution's."""
    names: set[str] = set()
    whole: set[str] = set()  # names whose last word is part of the name
    summary = text.reading.title.split("\n")[0] if text.reading.names_only_title else event.summary
    for match in _AT_COMPANY.finditer(summary):
        names.add(fold(match.group("name")))
    dashed = _DASH_COMPANY.match(summary)
    if (
        dashed
        and _score(_hits(vocab, "interview", [("summary", fold(dashed.group("head")), 1.0)]))
        >= vocab.thresholds.interview
    ):
        name = fold(dashed.group("name"))
        # An institution's name keeps its last word too ("Kaurihill *School*"): there
        # it is the employer, not the event ("at Customer Success Summit").
        institution = name.rsplit(" ", 1)[-1] in _INSTITUTIONS
        names.add(name)
        if institution:
            whole.add(name)
    labels = set()
    for person in event.others:
        domain = domain_of(person.email)
        if domain and not _personal(domain, vocab):
            labels.update(part for part in domain.split(".") if len(part) >= 6)
    spans: dict[str, list[tuple[int, int, bool]]] = {}
    for field, folded, _ in text.fields:
        found = []
        for name in names:
            start = folded.find(name)
            while start >= 0:
                found.append((start, start + len(name), name not in whole))
                start = folded.find(name, start + 1)
        if labels:
            words = list(re.finditer(r"[^\W_]+", folded))
            for i in range(len(words)):
                joined = ""
                for j in range(i, min(i + 4, len(words))):
                    joined += words[j].group(0)
                    if j > i and joined in labels:
                        found.append((words[i].start(), words[j].end(), False))
        if found:
            spans[field] = found
    return spans


_CAPITAL_WORD = r"[^\W\d_a-z][\w&.'\u2019-]*"
_AT_COMPANY = re.compile(
    r"(?:^|\s)(?:at|chez|bei|@|presso|bij|junto\s+a|na|no|en)\s+"
    rf"(?P<name>{_CAPITAL_WORD}(?:\s+{_CAPITAL_WORD})+)"
)


# "Entrevista telefónica – *Hotel Mirador* del Puerto", "Panel Interview - RN - *St.
# Brendan's Medical Center*": after interview words (the `interview` threshold) and a
# dash, a run of capitalised words names the employer.
_DASH_COMPANY = re.compile(
    rf"^(?P<head>.*?\w.*?)\s[-\u2013\u2014|]\s(?:.*\s[-\u2013\u2014|]\s)?"
    rf"(?P<name>{_CAPITAL_WORD}(?:\s+(?:(?:de|du|des|del|della|di|da|do|la|le|van|der|of)\s+)?"
    rf"{_CAPITAL_WORD})+)"
)
_INSTITUTIONS = frozenset(
    (
        "school", "college", "hospital", "clinic", "center", "centre", "university", "hotel",
        "bank", "academy", "institute", "trust", "council", "pharmacy", "restaurant", "store",
        "studio", "library", "museum",
    )
)  # fmt: skip


def _names_not_kinds(
    event: SourceEvent,
    text: _Text,
    vocab: Vocabulary,
    hits: list[_Hit],
    companies: list[dict[str, list[tuple[int, int, bool]]]],
    *,
    tail_ok: bool = False,
) -> list[_Hit]:
    """One rule-out kind's hits without the words that name a job or an employer, not
    the event: "Enterprise Sales Lead", "Customer Success Manager" (a role in the
    title), "Foxglove Media Interview", "chez Atelier Numérique" (the company's name).
    Interviewer-side markers are never passed here. `companies` caches the company
    spans for the event (found at most once). With `tail_ok` (places and trades:
    "hospital", "sales", "client"), a title that opens with a job interview names the job and
    the employer after its first separator: "Interview – Clinical Nurse Manager,
    University *Hospital*", "Solvana Interview — Sam Seeker (*Sales* Leadership)"."""
    folded = {name: text_ for name, text_, _ in text.fields}
    tail = _title_tail(folded.get("summary", ""), vocab) if tail_ok else None
    keep = []
    for hit in hits:
        field_text = folded.get(hit.field, "")
        if hit.span[1] > hit.span[0] and _in_role(field_text, hit.span):
            continue
        if tail is not None and hit.field == "summary" and hit.span[0] >= tail:
            continue
        if not companies:
            companies.append(_company_spans(event, text, vocab))
        inside = any(
            start <= hit.span[0] < end
            and not (start == hit.span[0] and end <= hit.span[1])
            and not (title_name and hit.span[1] >= end)
            for start, end, title_name in companies[0].get(hit.field, ())
        )
        if not inside:
            keep.append(hit)
    return keep


_CANDIDATE_WORD = re.compile(r"(?i)candidat|kandidat|applicant|bewerber|sollicitant|solicitante")
_CANDIDATE_LINE = re.compile(
    r"(?im)^[ \t]*(?:candidate|candidat[eoa]?|kandidat(?:in)?)[ \t]*:[ \t]*(?P<name>[^\n]{2,60})$"
)


def _candidate_is_user(event: SourceEvent) -> bool:
    """Whether a "Candidate: ..." line of the description names the user."""
    if ":" not in event.description:
        return False
    parts = _own_name_parts(event)
    if len(parts) < 2:
        return False
    for line in _CANDIDATE_LINE.finditer(_plain_description(event)):
        words = set(_NAME_PART.findall(fold(line.group("name"))))
        if parts[0] in words and parts[1] in words:
            return True
    return False


# The first separator of a title: a dash, a bar, a colon, a comma, a bracket, or a
# preposition that introduces the job or the employer ("Interview for ...", "at ...").
_TITLE_SEPARATOR = re.compile(
    r"\s[-\u2013\u2014|/]\s|:\s|,\s|\s\(|\s(?:for|at|@|chez|bei|bij|presso|pour|para|voor)\s"
)


def _title_tail(summary: str, vocab: Vocabulary) -> int | None:
    """Where the job and employer part of a title starts: after the first separator (or
    opening bracket) that follows words that alone make a job interview ("Entrevista –
    Enfermero/a, Hospital ...", "Infermiere/a – colloquio (Hotel Bellavista)")."""
    for separator in _TITLE_SEPARATOR.finditer(summary):
        head = summary[: separator.start()]
        hits = _hits(vocab, "interview", [("summary", head, 1.0)])
        if _score(hits) >= vocab.thresholds.interview:
            return separator.end()
    return None


def _negative_kinds(vocab: Vocabulary, fields: list[tuple[str, str, float]]) -> tuple[str, ...]:
    """The rule-out kinds worth trying on these fields (none when one search says so)."""
    kinds = vocab.negative_kinds
    if not vocab.has_timed(kinds) and not vocab.may_match(
        kinds, "\n".join(text for _, text, _ in fields)
    ):
        return ()
    return kinds


def _fitted_opinion(
    event: SourceEvent, text: _Text, vocab: Vocabulary, hits: list[_Hit]
) -> Reason | None:
    """The fitted second opinion (`rules.fitted`) on an interview verdict, or None when
    it has no objection: a `fitted:veto` Reason below `fitted_veto` (turn it down), an
    `unsure` Reason below `fitted_doubt` (no reminder until the user confirms it).

    Both thresholds at 0 turn it off; a term from the user's own rules file that matched
    wins over it (the user said what their calendar's words mean). The caller asks only
    about verdicts resting on words: structure (a recruiting mailbox, a title naming the
    user, an internal move) is what the rules read and the model cannot weigh (on the
    development folds, asking about those too changed nothing)."""
    veto, doubt = vocab.thresholds.fitted_veto, vocab.thresholds.fitted_doubt
    limit = max(veto, doubt)
    if limit <= 0 or any(h.term.origin != BUILTIN_ORIGIN for h in hits):
        return None
    model = fitted.shipped_model()
    names = fitted.features(event, text.fields, vocab.ignores_domain)
    chance = model.probability(names)
    if chance >= limit:
        return None
    against = ", ".join(fitted.describe(name) for name, _ in model.weighing(names))
    vetoed = chance < veto
    return Reason(
        "fitted:veto" if vetoed else "unsure",
        "event",
        f"fitted chance {chance:.2f} < {veto if vetoed else doubt:g}"
        + (f", against: {against}" if against else ""),
    )


def _confirmation(value: str | None) -> Confirmation | None:
    if value is None:
        return None
    try:
        return Confirmation(str(value).strip().lower())
    except ValueError:
        return None


_QUIET: dict[float, dict] = {}


def _quiet_verdict(event_id: str, thresholds) -> Classification:
    """The verdict on an event without a single interview or context word: most of a
    calendar. The same value `_not_interview` builds, made from one prepared set of
    fields (a frozen dataclass of sixteen fields costs more to build, field by field,
    than the whole quiet check; a frozen instance may have its __dict__ filled)."""
    fields = _QUIET.get(thresholds.unsure)
    if fields is None:
        reason = Reason("not-interview", "event", f"interview evidence 0 < {thresholds.unsure:g}")
        fields = vars(
            Classification(
                event_id="",
                interview=False,
                stage=None,
                reasons=(reason,),
                side=Side.NEITHER,
                kind=Kind.OTHER,
            )
        ).copy()
        _QUIET[thresholds.unsure] = fields
    verdict = object.__new__(Classification)
    verdict.__dict__.update(fields)
    verdict.__dict__["event_id"] = event_id
    return verdict


def classify(
    event: SourceEvent, vocab: Vocabulary, confirmation: str | None = None
) -> Classification:
    """The verdict on one event; see the module docstring for the order of judgement.

    `confirmation` is the user's stored answer for this event ("phone", "final" or
    "skip", from `followup confirm`): it settles the event like a tag would, but a
    `#followup:` tag in the description and the hard rules still win.
    """
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
        return _not_interview(event, reasons, kind=Kind.OTHER, side=Side.NEITHER)
    if not event.summary.strip():
        reasons.append(Reason("no-summary", "event", "judged on the description"))

    tagged = tags.stage is not None or tags.date is not None
    answer = None if tagged else _confirmation(confirmation)
    if answer is Confirmation.SKIP:
        reasons.append(Reason("confirmed", "you", "skip: confirmed by you"))
        return _not_interview(event, reasons, kind=Kind.OTHER, side=Side.NEITHER, confirmed=answer)
    forced = tagged or answer is not None

    thresholds = vocab.thresholds
    side, kind, sure = Side.NEITHER, Kind.OTHER, True
    producer: str | None = None
    raw = "\n".join((event.summary, event.description, event.location))
    quiet = (
        not forced
        and not vocab.has_timed(SCREENED)
        and not vocab.may_match(_screened(vocab), fold(raw))
    )
    if quiet:
        # Most events carry no interview or context word at all: one search over the
        # raw text settles them, before any boilerplate is cut.
        if not reasons:
            return _quiet_verdict(event.id, thresholds)
        reasons.append(
            Reason("not-interview", "event", f"interview evidence 0 < {thresholds.unsure:g}")
        )
        return _not_interview(event, reasons, side=side, kind=kind)
    # Structure that says "a company's hiring invite" without any word (class 4).
    mailbox = None if forced else _hiring_mailbox(event, vocab)
    named = None if forced else _named_in_title(event)
    structure: list[Reason] = []
    if mailbox:
        structure.append(Reason("hiring:mailbox", "organizer", mailbox, thresholds.hiring_mailbox))
    if named:
        structure.append(Reason("hiring:names-you", "summary", named, thresholds.named_in_title))

    text = _read(event, vocab)
    producer = text.reading.producer or None
    if named and producer == "calendly":
        # A booking page titles every event "{Invitee} and {Host}": the name says nothing.
        structure = [r for r in structure if r.signal != "hiring:names-you"]
    if producer == "ms-bookings" and not forced and not mailbox:
        # A Bookings page's mailbox is named after its business or team, squashed into
        # one word and cut at 24 letters: "acmetalentacquisition@acme.com".
        mailbox = _booking_mailbox(event, vocab)
        if mailbox:
            structure.append(
                Reason("hiring:mailbox", "organizer", mailbox, thresholds.hiring_mailbox)
            )
    before = list(reasons)  # what the quick screen's verdict would say
    reasons += list(text.reading.reasons)
    if text.vendors:
        reasons.append(Reason("boilerplate", "description", "/".join(text.vendors) + " set aside"))
    judged = [f for f in text.fields if f[0] != "people"]

    if not forced:
        strong_hits = _hits(vocab, "interview", text.fields)
        context_hits = _hits(vocab, "context", judged)
        text_hits = [h for h in strong_hits if h.field != "people"] + context_hits
        strong = _score(strong_hits)
        firm = [h for h in context_hits if h.term.weight >= thresholds.unsure]
        context, firm_context = _score(context_hits), _score(firm)
        if not text_hits:
            # Nothing that could make an interview (structure only backs words): rule-out
            # words have nothing to rule out (the same verdict as the quick screen's).
            before.append(
                Reason("not-interview", "event", f"interview evidence 0 < {thresholds.unsure:g}")
            )
            return _not_interview(event, before, side=side, kind=kind)
        structural = sum(r.weight for r in structure)
        ceiling = (
            strong + context + structural + thresholds.producer + 2 * thresholds.external_organizer
        )
        if not (strong >= thresholds.unsure or text.reading.ats or structure):
            ceiling = strong + firm_context + thresholds.external_organizer
        if ceiling < thresholds.unsure:
            # Even with every kind of support this cannot reach the unsure band ("Call
            # mom"): no need to weigh rule-outs or look for a company.
            # The two questions are still answered, for `explain` ("a thank-you task").
            reasons += _reasons(strong_hits, "interview") + _reasons(context_hits, "context")
            reasons.append(
                Reason(
                    "not-interview",
                    "event",
                    f"interview evidence at most {ceiling:g} < {thresholds.unsure:g}",
                )
            )
            kind = Kind.OTHER
            for kind_name in _negative_kinds(vocab, judged):
                if not (side_of(kind_name) or about_of(kind_name)):
                    continue
                hits = _hits(vocab, kind_name, judged)
                if _score(hits) < thresholds.negative:
                    continue
                reasons += _reasons(hits, kind_name)
                if side_of(kind_name):
                    side = Side.INTERVIEWER
                elif kind is Kind.OTHER:
                    kind = Kind.ABOUT
            if any(h.field != "people" for h in strong_hits) and side is not Side.INTERVIEWER:
                side = Side.CANDIDATE
            return _not_interview(event, reasons, side=side, kind=kind, producer=producer)
        negatives = {kind_: [] for kind_ in vocab.negative_kinds}
        bookings_host = producer == "ms-bookings" and _names_user(event, text.reading.host_name)
        invitee = (
            text.reading.producer in producers.BOOKING_PAGES
            and not (event.organizer is not None and event.organizer.is_self)
            and not bookings_host
        )
        # A booking page's event name is the host's wording ("Candidate screening call"):
        # for the invitee it names the user, so it is no interviewer-side title. Bookings
        # titles the event with the service itself: the title is the host's wording too.
        host_words = ("scheduler", "summary") if producer == "ms-bookings" else ("scheduler",)
        hosted = [f for f in judged if f[0] not in host_words] if invitee else judged
        tried = _negative_kinds(vocab, judged)
        companies: list[dict[str, list[tuple[int, int, bool]]]] = []  # found once, when needed

        def weigh(kinds: Iterable[str]) -> None:
            for kind_ in kinds:
                # Bookings titles the event with the service: every interviewer-side
                # kind reads it as the host's wording.
                hosted_kind = side_of(kind_) and (
                    kind_.endswith("-title") or producer == "ms-bookings"
                )
                hits = _hits(vocab, kind_, hosted if hosted_kind else judged)
                if hits and not side_of(kind_) and _score(hits) >= thresholds.doubt:
                    hits = _names_not_kinds(
                        event,
                        text,
                        vocab,
                        hits,
                        companies,
                        tail_ok=kind_ == "negative:other-employer",
                    )
                negatives[kind_] = hits

        # The side question first, then about-interviews, then other events: a kind is
        # only weighed when no earlier question has already been answered.
        weigh(k for k in tried if side_of(k))
        candidate_words = any(
            _CANDIDATE_WORD.search(h.text)
            for k, hits in negatives.items()
            if side_of(k)
            for h in hits
        )
        own = candidate_words and _candidate_is_user(event)
        if candidate_words and (named or own):
            # "Candidate Interview - Sam Seeker - R-3096", "Candidate: Sam Seeker": an
            # invite that names the user as the candidate is the candidate's copy, not
            # an interviewer's kit.
            fields_ = ("summary", "scheduler", "description") if own else TITLE_FIELDS
            for kind_ in negatives:
                if side_of(kind_):
                    negatives[kind_] = [
                        h
                        for h in negatives[kind_]
                        if not (h.field in fields_ and _CANDIDATE_WORD.search(h.text))
                    ]
        roles = _hiring_roles(event, text.reading)
        if roles:
            negatives["negative:interviewer"] = negatives.get("negative:interviewer", []) + roles
        scores = {kind_: _score(hits) for kind_, hits in negatives.items()}
        colleague = _work_calendar(event, vocab)
        move = _internal_move(event, judged, vocab) if colleague and not roles else None
        if move:
            # The user applied inside their own company: the work address is theirs,
            # and the application is hiring evidence (like a recruiting mailbox).
            structure.append(
                Reason("hiring:internal-move", move[0], move[1], thresholds.internal_move)
            )
            colleague = None
        if colleague:
            # The user's work address, organized by the user or a colleague: the hiring
            # side's usual way in. Added to the interviewer kind's score.
            weight = thresholds.work_calendar
            if _colleague(event, vocab):
                weight = max(weight, thresholds.internal_organizer)
            scores = {
                k: v + weight if k == "negative:interviewer" else v for k, v in scores.items()
            }
            negatives = {
                k: hits
                + (
                    [
                        _Hit(
                            _COLLEAGUE,
                            "organizer",
                            (0, 0),
                            colleague,
                            weight,
                        )
                    ]
                    if k == "negative:interviewer"
                    else []
                )
                for k, hits in negatives.items()
            }
        sides = [(k, v) for k, v in scores.items() if side_of(k) and v >= thresholds.negative]
        host = bookings_host or (
            text.reading.producer == "calendly"
            and bool(event.organizer is not None and event.organizer.is_self)
        )
        if sides or host:
            for kind_name, _ in sides:
                reasons += _reasons(negatives[kind_name], kind_name)
            why = (
                ", ".join(f"{k} {v:g}" for k, v in sides)
                if sides
                else "you host this booking: the invitee is the one interviewed"
            )
            reasons.append(Reason("side:interviewer", "event", why))
            return _not_interview(
                event, reasons, side=Side.INTERVIEWER, kind=Kind.OTHER, producer=producer
            )
        weigh(k for k in tried if about_of(k))
        scores.update({k: _score(negatives[k]) for k in tried if about_of(k)})
        if not any(about_of(k) and v >= thresholds.negative for k, v in scores.items()):
            weigh(k for k in tried if not (side_of(k) or about_of(k)))
            scores.update({k: _score(negatives[k]) for k in tried})
        ruled = [
            (kind_, score)
            for kind_, score in scores.items()
            if not side_of(kind_) and score >= thresholds.negative
        ]
        if ruled:
            # About-interviews first: "mock interview webinar" is about interviews.
            # Then the specific kinds before the title-only catch-alls ("-title").
            ruled.sort(
                key=lambda ks: (not about_of(ks[0]), ks[0].endswith("-title"), -ks[1], ks[0])
            )
            kind_name, score = ruled[0]
            kind = Kind.ABOUT if about_of(kind_name) else Kind.OTHER
            reasons += _reasons(negatives[kind_name], kind_name)
            reasons.append(Reason(f"kind:{kind.value}", "event", f"{kind_name} {score:g}"))
            return _not_interview(event, reasons, side=side, kind=kind, producer=producer)

        support: list[Reason] = []
        found = bool(text_hits or structure)
        backed = strong >= thresholds.unsure or bool(structure) or (text.reading.ats and found)
        support += structure
        if found and text.reading.ats:
            support.append(
                Reason("hiring:producer", "event", text.reading.producer, thresholds.producer)
            )
        company_domain = _external_company(event, vocab) if found else None
        if company_domain:
            support.append(
                Reason(
                    "hiring:organizer", "organizer", company_domain, thresholds.external_organizer
                )
            )
        elif text_hits and not move:  # a move's employer is the user's own
            titled_company = _title_company(event, text, vocab, text_hits)
            if titled_company:
                support.append(
                    Reason(
                        "hiring:company", "summary", titled_company, thresholds.external_organizer
                    )
                )
        backing = sum(r.weight for r in support)
        if not found:
            evidence = 0.0
        elif backed:
            evidence = strong + backing + context  # context words count in full
        elif support:
            evidence = strong + backing + firm_context  # weak ones (call, chat) do not
        else:
            evidence = strong + firm_context * thresholds.context_share
        evidence = round(evidence, 6)
        reasons += _reasons(strong_hits, "interview") + _reasons(context_hits, "context")
        reasons += support
        if any(h.field != "people" for h in strong_hits):
            side = Side.CANDIDATE  # interview words, even too weak ones: the candidate's
        if evidence < thresholds.unsure:
            reasons.append(
                Reason(
                    "not-interview",
                    "event",
                    f"interview evidence {evidence:g} < {thresholds.unsure:g}",
                )
            )
            return _not_interview(event, reasons, side=side, kind=Kind.OTHER, producer=producer)
        opinion = (
            None if structure else _fitted_opinion(event, text, vocab, strong_hits + context_hits)
        )
        if opinion is not None and opinion.signal == "fitted:veto":
            reasons.append(opinion)
            return _not_interview(
                event, reasons, side=Side.NEITHER, kind=Kind.OTHER, producer=producer
            )
        side = Side.CANDIDATE
        kind = Kind.INTERVIEW
        title = [f for f in judged if f[0] in TITLE_FIELDS]
        # An ATS itinerary's session names ("12:00 Lunch") are parts of the interview
        # day, not a doubt about it; a booking page's event name is its title.
        doubted = TITLE_FIELDS if producer == "calendly" or not text.reading.ats else ("summary",)
        doubts = []
        # A company's invite whose title names the user names its candidate: an
        # interviewer-side word in that title ("Final Interview Panel - Sam Seeker") is
        # no doubt about who is interviewed.
        names_you = any(r.signal == "hiring:names-you" for r in structure)
        for kind_name in vocab.negative_kinds:
            if names_you and side_of(kind_name):
                continue
            hits = [h for h in negatives[kind_name] if h.field in doubted] if title else []
            if hits and _score(hits) >= thresholds.doubt:
                doubts.append((kind_name, _score(hits), hits))
        if evidence < thresholds.interview:
            sure = False
            reasons.append(
                Reason(
                    "unsure",
                    "event",
                    f"interview evidence {evidence:g} < {thresholds.interview:g}",
                )
            )
        elif doubts:
            sure = False
            for kind_name, _, hits in doubts:
                reasons += _reasons(hits, kind_name)
            reasons.append(
                Reason(
                    "unsure",
                    "event",
                    ", ".join(f"{k} {v:g}" for k, v, _ in doubts) + " in the title against it",
                )
            )
        elif opinion is not None:
            sure = False
            reasons.append(opinion)
        else:
            reasons.append(
                Reason(
                    "sure",
                    "event",
                    f"interview evidence {evidence:g} >= {thresholds.interview:g}",
                )
            )
        reasons.append(Reason("side:candidate", "event", "no interviewer signal"))
        reasons.append(Reason("kind:interview", "event", f"evidence {evidence:g}"))
        if event.recurring:
            reasons.append(Reason("odd-event", "event", "recurring event"))
            return _not_interview(
                event,
                reasons,
                note="recurring event",
                side=side,
                kind=kind,
                producer=producer,
            )
    else:
        side, kind = Side.CANDIDATE, Kind.INTERVIEW

    stage, stage_reasons = _stage(event, vocab, text)
    if tags.stage is not None:
        stage = tags.stage
        stage_reasons = [r for r in stage_reasons if not r.signal.startswith("stage:")]
        stage_reasons.append(Reason(f"stage:{stage.value}", "description", "tag"))
    elif answer is not None:
        stage = Stage(answer.value)
        stage_reasons = [r for r in stage_reasons if not r.signal.startswith("stage:")]
        stage_reasons.append(Reason(f"stage:{stage.value}", "you", "confirmed by you"))
    reasons += stage_reasons
    if answer is not None:
        reasons.append(Reason("confirmed", "you", f"{answer.value}: confirmed by you"))

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
    titled = event
    reading = text.reading
    if reading.names_only_title or (reading.producer == "calendly" and reading.title):
        titled = replace(event, summary=reading.title.split("\n")[0])
    company, role = company_and_role(titled, vocab)
    shaped = reading.producer in ("workday", "infor")  # "Interview for R-123 Role - Name"
    if reading.role and (role is None or shaped):
        role = reading.role  # the title's role without the requisition id
    if shaped and company:
        if fold(company) == fold(reading.candidate_name or ""):
            company = None
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
        side=side,
        kind=kind,
        sure=sure,
        producer=producer,
        confirmed=answer,
    )
