"""The two questions (side, kind), conferencing boilerplate, producers, languages and
the unsure band: the classes of mistakes users report (issue "Find the interviews that
real invites describe")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.classify import classify, local_date
from rules.model import Kind, Person, Policy, Side, SourceEvent, Stage
from rules.vocabulary import default_vocabulary
from tests.rules.helpers import interview

VOCAB = default_vocabulary()
NY = ZoneInfo("America/New_York")
WHEN = datetime(2026, 12, 3, 10, 0, tzinfo=NY)  # a Thursday
ME = Person("sam.seeker@gmail.com", is_self=True, response="accepted")
JANE = Person("jane.roe@acme.com", "Jane Roe")


def verdict_of(c):
    """Everything a verdict decides, without the reasons that explain it."""
    return (c.interview, c.stage, c.sure, c.side, c.kind)


# ------------------------------------------------------------------ conferencing

ZOOM = """Join Zoom Meeting
https://us02web.zoom.us/j/{n}?pwd=abcDEF123

Meeting ID: {a} {b} {c}
Passcode: {p}

---

One tap mobile
+16699009128,,{n}#,,,,*{p}# US (San Jose)
+13462487799,,{n}#,,,,*{p}# US (Houston)

---

Dial by your location
\u2022 +1 669 900 9128 US (San Jose)
\u2022 +1 929 205 6099 US (New York)
\u2022 +44 203 481 5240 United Kingdom

Meeting ID: {a} {b} {c}
Find your local number: https://us02web.zoom.us/u/kabc"""

TEAMS = """________________________________________________________________________________
Microsoft Teams meeting
Join on your computer, mobile app or room device
Click here to join the meeting
Meeting ID: {a} {b} {c}
Passcode: {p}
Download Teams | Join on the web
Or call in (audio only)
+1 323-849-4874,,{n}#   United States, Los Angeles
Phone Conference ID: {a} {b}#
Find a local number | Reset PIN
Learn More | Meeting options
________________________________________________________________________________"""

TEAMS_FR = """________________________________________________________________________________
Réunion Microsoft Teams
Rejoindre sur votre ordinateur, application mobile ou appareil de salle
Cliquez ici pour participer à la réunion
ID de la réunion : {a} {b} {c}
Code secret : {p}
Télécharger Teams | Rejoindre sur le web
Ou appelez (audio uniquement)
+33 1 70 37 97 29,,{n}#   France, Paris
ID de conférence téléphonique : {a} {b}#
Trouver un numéro local | Réinitialiser le code confidentiel
En savoir plus | Options de réunion
________________________________________________________________________________"""

MEET = """-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-
Join with Google Meet: https://meet.google.com/abc-defg-hij
Or dial: (US) +1 484-918-3412 PIN: {a} {b}#
More phone numbers: https://tel.meet/abc-defg-hij?pin={n}

Learn more about Meet at: https://support.google.com/a/users/answer/9282720
-::~:~::~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~:~::~:~::-"""

WEBEX = """Join Webex meeting
https://acme.webex.com/acme/j.php?MTID=m{n}
Meeting number (access code): {a} {b} {c}
Meeting password: {p}

Join by phone
+1-415-655-0001 US Toll
+1-855-244-8681 US Toll Free
Access code: {a} {b} {c}"""

BLOCKS = [ZOOM, TEAMS, TEAMS_FR, MEET, WEBEX]
LOCATIONS = [
    "Microsoft Teams Meeting",
    "https://us02web.zoom.us/j/{n}",
    "Zoom",
    "Google Meet",
    "https://meet.google.com/abc-defg-hij",
]

block = st.builds(
    lambda template, n, a, b, c, p: template.format(n=n, a=a, b=b, c=c, p=p),
    st.sampled_from(BLOCKS),
    st.integers(10**9, 10**11 - 1),
    st.integers(100, 999),
    st.integers(100, 999),
    st.integers(100, 9999),
    st.text("abcdefXYZ0123456789", min_size=4, max_size=8),
)
WORDS = sorted(
    {
        t.name
        for t in VOCAB.terms
        if not t.source and t.category in ("interview", "context", "phone", "final")
    }
)
NEGATIVES = sorted({t.name for t in VOCAB.terms if not t.source and t.category.startswith("neg")})
NOISE = [
    "Acme",
    "Globex",
    "with",
    "Jane",
    "-",
    "(Backend Engineer)",
    "notes",
    "team",
    "+1 212 555 0100",
]
words = st.lists(st.sampled_from(WORDS + NEGATIVES[:40] + NOISE), max_size=5).map(" ".join)
organizers = st.sampled_from([None, JANE, ME, Person("no-reply@greenhouse.io", "Acme Recruiting")])


@settings(max_examples=250, deadline=None)
@given(words, words, words, organizers, block, st.sampled_from(["before", "after", "location"]))
def test_adding_a_conferencing_block_never_changes_the_verdict(
    summary, description, location, organizer, conference, where
):
    base = interview(summary, WHEN, description=description, location=location, organizer=organizer)
    if where == "before":
        with_block = interview(
            summary,
            WHEN,
            description=f"{conference}\n\n{description}",
            location=location,
            organizer=organizer,
        )
    elif where == "after":
        with_block = interview(
            summary,
            WHEN,
            description=f"{description}\n\n{conference}",
            location=location,
            organizer=organizer,
        )
    else:
        with_block = interview(
            summary,
            WHEN,
            description=f"{description}\n\n{conference}",
            location=LOCATIONS[len(summary) % len(LOCATIONS)].format(n=123456789),
            organizer=organizer,
        )
        base = interview(summary, WHEN, description=description, organizer=organizer)
    assert verdict_of(classify(with_block, VOCAB)) == verdict_of(classify(base, VOCAB))


@pytest.mark.parametrize("template", BLOCKS)
def test_a_join_block_is_neither_interview_nor_phone_evidence(vocab, template):
    text = template.format(n=91294008768, a=912, b=940, c=876, p="107029")
    meeting = classify(interview("Weekly sync", WHEN, description=text, organizer=JANE), vocab)
    assert not meeting.interview
    final = classify(interview("Final round interview - Acme", WHEN, description=text), vocab)
    assert final.interview and final.stage is Stage.FINAL
    assert any(r.signal == "boilerplate" for r in final.reasons)
    assert not [r for r in final.reasons if r.signal == "phone" and r.field == "description"]


def test_a_recruiters_own_number_is_still_phone_evidence(vocab):
    event = interview("Interview - Acme", WHEN, description="Jane will call you on +1 212 555 0100")
    verdict = classify(event, vocab)
    assert verdict.stage is Stage.PHONE
    assert any(r.signal == "phone" and "555" in r.matched for r in verdict.reasons)


# ------------------------------------------------------------------ side

MARKERS = sorted(
    t.name
    for t in VOCAB.category("negative:interviewer")
    if not t.source
    and t.weight * min(VOCAB.field_weight(f) for f in ("summary", "description"))
    >= VOCAB.thresholds.negative
)
INTERVIEW_WORDS = sorted(t.name for t in VOCAB.category("interview") if not t.source)


def test_there_are_interviewer_markers_to_test():
    assert {"interview kit", "scorecard", "debrief", "please interview"} <= set(MARKERS)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(INTERVIEW_WORDS), min_size=1, max_size=4).map(" ".join),
    st.sampled_from(MARKERS),
    st.sampled_from(["summary", "description"]),
    organizers,
)
def test_an_interviewer_side_marker_always_wins_over_interview_words(
    words, marker, field, organizer
):
    summary = f"{words} {marker}" if field == "summary" else words
    description = f"Agenda\n{marker}: https://example.org/x" if field == "description" else ""
    event = interview(summary, WHEN, description=description, organizer=organizer)
    verdict = classify(event, VOCAB)
    assert not verdict.interview
    assert verdict.side is Side.INTERVIEWER


@pytest.mark.parametrize(
    ("summary", "description"),
    [
        (
            "Interview: Jordan Alvarez (Backend)",
            "Interview Kit: https://app.greenhouse.io/guides/1",
        ),
        ("Phone screen - Jordan Alvarez", "Please submit your feedback in the scorecard."),
        ("Onsite loop sync", ""),
        ("Interview training: shadow interview", ""),
        ("Hiring committee - frontend interviews", ""),
        ("Interviewing Jordan Alvarez - phone screen", ""),
    ],
)
def test_the_user_as_interviewer_gets_no_interview(vocab, summary, description):
    verdict = classify(interview(summary, WHEN, description=description), vocab)
    assert not verdict.interview and verdict.side is Side.INTERVIEWER


def test_a_candidates_invite_listing_the_interviewers_is_still_the_candidates(vocab):
    description = "Candidate: Sam Seeker\nInterviewers: Jane Roe, Bob Lee\nInterview Type: Phone"
    verdict = classify(interview("Phone interview - Acme", WHEN, description=description), vocab)
    assert verdict.interview and verdict.sure and verdict.side is Side.CANDIDATE


def test_the_host_of_a_calendly_booking_is_not_the_candidate(vocab):
    host = Person("sam@acme.com", is_self=True)
    description = "Event Name: Phone Screen\n\nPowered by Calendly.com"
    event = interview("Jamie Chen and Sam Seeker", WHEN, description=description, organizer=host)
    verdict = classify(event, vocab)
    assert not verdict.interview and verdict.side is Side.INTERVIEWER


# ------------------------------------------------------------------ kind


@pytest.mark.parametrize(
    "summary",
    [
        "Interview prep: Acme final round",
        "Mock interview with coach",
        "Read 'Cracking the Coding Interview' ch. 5",
        "Send thank-you note to Acme after the interview",
        "Follow up with Priya re: Acme phone screen",
        "Offer call with Acme",
        "Reference check call - Acme",
        "Background check call",
        "Webinar: how to pass the phone screen",
        "Career fair - interviews on the spot",
        "Application status: Acme",
    ],
)
def test_events_about_interviews_are_not_interviews(vocab, summary):
    verdict = classify(interview(summary, WHEN, organizer=JANE), vocab)
    assert not verdict.interview and verdict.kind is Kind.ABOUT, verdict.reasons


@pytest.mark.parametrize(
    "summary",
    [
        "Customer onsite - Globex",
        "Team offsite",
        "Movie screening",
        "Health screening",
        "Final exam - Statistics",
        "Conference panel: the future of AI",
        "Exit interview",
        "Podcast interview",
        "User research interviews",
    ],
)
def test_context_words_and_other_interviews_are_other_events(vocab, summary):
    verdict = classify(interview(summary, WHEN, organizer=JANE), vocab)
    assert not verdict.interview and verdict.kind is Kind.OTHER, verdict.reasons


def test_context_words_alone_are_not_an_interview(vocab):
    for summary in ("Call with Bob", "Onsite", "Final", "Panel", "Screening"):
        assert (
            not classify(interview(summary, WHEN), vocab).sure
            or not classify(interview(summary, WHEN), vocab).interview
        )


def test_context_words_become_stage_evidence_once_an_interview_is_established(vocab):
    event = interview("Acme onsite interview", WHEN, organizer=JANE)
    verdict = classify(event, vocab)
    assert verdict.interview and verdict.sure and verdict.stage is Stage.FINAL


# ------------------------------------------------------------------ producers


def test_calendly_event_name_and_answers_are_read(vocab):
    hannah = Person("hannah.kim@ironbark.com", "Hannah Kim")
    description = (
        "Event Name: Initial Phone Interview\n\nLocation: https://us06web.zoom.us/j/462\n\n"
        "Which role are you applying for?\nCustomer Success Manager\n\n"
        "Need to make changes to this event?\nCancel: https://calendly.com/cancellations/x\n"
        "Reschedule: https://calendly.com/reschedulings/y\n\nPowered by Calendly.com"
    )
    event = interview("Sam Seeker and Hannah Kim", WHEN, description=description, organizer=hannah)
    verdict = classify(event, vocab)
    assert verdict.interview and verdict.sure and verdict.stage is Stage.PHONE
    assert verdict.producer == "calendly"
    assert verdict.company == "Ironbark"  # from Hannah's domain, never calendly.com


def test_workday_title_and_interview_type(vocab):
    workday = Person("acme@myworkday.com", "Acme Recruiting")
    description = (
        "Interview Type: Panel Interview - Onsite\nCandidate: Sam Seeker\n"
        "Job Requisition: R-62714 Senior Backend Engineer\nInterviewers: Jane Roe, Bob Lee"
    )
    event = interview(
        "Interview for R-62714 Senior Backend Engineer - Sam Seeker",
        WHEN,
        description=description,
        organizer=workday,
    )
    verdict = classify(event, vocab)
    assert verdict.interview and verdict.sure and verdict.stage is Stage.FINAL
    assert verdict.producer == "workday"
    assert verdict.company is None  # never "Myworkday", never the candidate's name


def test_an_infor_invite_is_infors_and_reads_like_workday(vocab):
    # Infor sends the same "Interview for R-... Role - Name" titles as Workday: read
    # alike, but named for what sent it (explain showed "producer: workday").
    infor = Person("talent@infor.com", "Acme Talent")
    event = interview(
        "Interview for R-62714 Senior Backend Engineer - Sam Seeker",
        WHEN,
        description="Interview Type: Phone Screen\nCandidate: Sam Seeker",
        organizer=infor,
    )
    verdict = classify(event, vocab)
    assert verdict.interview and verdict.sure and verdict.stage is Stage.PHONE
    assert verdict.producer == "infor"
    assert verdict.company is None and verdict.role == "Senior Backend Engineer"


def test_greenhouse_interview_kit_means_the_user_interviews(vocab):
    greenhouse = Person("no-reply@greenhouse.io", "Acme Recruiting")
    description = (
        "Interview with Jordan Alvarez for Backend Engineer\n"
        "Interview Kit: https://app.greenhouse.io/guides/123/people/456?application_id=789"
    )
    event = interview(
        "Interview: Jordan Alvarez", WHEN, description=description, organizer=greenhouse
    )
    verdict = classify(event, vocab)
    assert not verdict.interview and verdict.side is Side.INTERVIEWER


# ------------------------------------------------------------------ languages


@pytest.mark.parametrize(
    ("summary", "stage"),
    [
        ("Colloquio telefonico - Lanterna Assicurazioni", Stage.PHONE),
        ("Colloquio finale in sede - Lanterna", Stage.FINAL),
        ("Entrevista telefônica - Cais Logística", Stage.PHONE),
        ("Entrevista final presencial - Cais", Stage.FINAL),
        ("Sollicitatiegesprek telefonisch - Molenwiek", Stage.PHONE),
        ("Eindgesprek op kantoor - Molenwiek", Stage.FINAL),
    ],
)
def test_italian_portuguese_and_dutch_interviews(vocab, summary, stage):
    verdict = classify(interview(summary, WHEN), vocab)
    assert verdict.interview and verdict.sure and verdict.stage is stage


@pytest.mark.parametrize(
    "summary",
    [
        "Preparazione colloquio Lanterna",
        "Simulazione di colloquio",
        "Preparação entrevista Cais",
        "Simulação de entrevista",
        "Voorbereiding sollicitatiegesprek",
        "Oefengesprek sollicitatie",
        "Email di ringraziamento dopo il colloquio",
        "Bedankmail na sollicitatiegesprek",
    ],
)
def test_prep_and_practice_are_ruled_out_in_every_new_language(vocab, summary):
    verdict = classify(interview(summary, WHEN), vocab)
    assert not verdict.interview and verdict.kind is Kind.ABOUT


# ------------------------------------------------------------------ all-day windows

ZONES = sorted(
    {
        "UTC",
        "America/New_York",
        "America/Los_Angeles",
        "Europe/Berlin",
        "Europe/Lisbon",
        "Asia/Kolkata",
        "Asia/Tokyo",
        "Australia/Sydney",
        "Pacific/Auckland",
        "Pacific/Honolulu",
        "America/Sao_Paulo",
    }
)


@settings(max_examples=200, deadline=None)
@given(
    st.dates(date(2026, 1, 1), date(2028, 12, 31)),
    st.integers(1, 3),
    st.sampled_from(ZONES),
    st.sampled_from([None, *ZONES]),
)
def test_an_all_day_interviews_window_counts_from_its_last_local_day(first, days, zone, user):
    from rules.timing import followup_window

    event = SourceEvent(
        id="d",
        calendar_id="c",
        summary="Onsite interview - Acme",
        start=first,
        end=first + timedelta(days=days),
        timezone=zone,
    )
    verdict = classify(event, VOCAB)
    assert verdict.interview and verdict.sure and verdict.stage is Stage.FINAL
    last = first + timedelta(days=days - 1)
    assert local_date(event) == last
    window = followup_window(
        event, verdict, policy=Policy(), user_tz=ZoneInfo(user) if user else None
    )
    assert window is not None
    assert window.start == last + timedelta(days=7) and window.end == last + timedelta(days=10)


# ------------------------------------------------------------------ the unsure band


def decide(events, **extra):
    from rules.policy import decide as run

    return run(
        events,
        now=datetime(2026, 12, 4, 12, tzinfo=UTC),
        user_tz=NY,
        policy=Policy(),
        vocab=VOCAB,
        **extra,
    )


UNSURE = interview("final round", WHEN, event_id="u1")  # no interview word, no company


def test_weak_evidence_is_an_unsure_best_guess_with_no_reminder():
    verdict = classify(UNSURE, VOCAB)
    assert verdict.interview and not verdict.sure and verdict.stage is Stage.FINAL
    (decision,) = decide([UNSURE]).items
    assert decision.unsure and decision.reminder is None
    assert decision.settle_command == "followup confirm u1 phone|final|skip"
    assert "followup confirm u1" in decision.note


@pytest.mark.parametrize(("answer", "stage"), [("phone", Stage.PHONE), ("final", Stage.FINAL)])
def test_a_confirmation_settles_an_unsure_event(answer, stage):
    (decision,) = decide([UNSURE], confirmations={"u1": answer}).items
    assert not decision.unsure and decision.reminder is not None
    assert decision.classification.stage is stage and decision.classification.sure
    assert any("confirmed by you" in r.matched for r in decision.classification.reasons)


def test_skip_withdraws_even_a_sure_interview():
    sure = interview("Phone interview - Acme", WHEN, event_id="s1")
    (decision,) = decide([sure], confirmations={"s1": "skip"}).items
    assert not decision.classification.interview and decision.reminder is None
    assert any("confirmed by you" in r.matched for r in decision.classification.reasons)


def test_a_tag_wins_over_a_confirmation_and_a_hard_rule_over_both():
    tagged = interview("Kestrel final round", WHEN, event_id="t1", description="#followup:phone")
    (decision,) = decide([tagged], confirmations={"t1": "final"}).items
    assert decision.classification.stage is Stage.PHONE
    cancelled = interview("Phone interview - Acme", WHEN, event_id="c1", status="cancelled")
    (decision,) = decide([cancelled], confirmations={"c1": "final"}).items
    assert not decision.classification.interview


def test_an_unsure_guess_does_not_supersede_a_sure_interview():
    sure = interview("Phone interview - Kestrel", WHEN - timedelta(days=1), event_id="a")
    later = interview("Kestrel", WHEN, event_id="u1", description="screen")
    assert not classify(later, VOCAB).sure and classify(later, VOCAB).company == "Kestrel"
    decisions = decide([sure, later])
    assert [d.event.id for d in decisions if d.reminder] == ["a"]
    assert [d.event.id for d in decisions.unsure] == ["u1"]


# ------------------------------------------------------------------ structure before words
# Who sent the invite to which address says more than the words (issue 7, classes 1 and 4).

WORK_ME = Person("sam.seeker@northwind.example", "Sam Seeker", is_self=True, response="accepted")
COLLEAGUE = Person("owen.gallagher@northwind.example", "Owen Gallagher")
CANDIDATE = Person("riley.fontaine@gmail.com", "Riley Fontaine")


@pytest.mark.parametrize(
    "summary",
    ["Interview: Riley Fontaine", "Entrevista a Riley Fontaine - panel técnico", "Onsite loop"],
)
def test_a_colleagues_interview_invite_on_the_work_address_is_the_hiring_sides(summary):
    event = interview(summary, WHEN, organizer=COLLEAGUE, attendees=(WORK_ME, COLLEAGUE, CANDIDATE))
    verdict = classify(event, VOCAB)
    assert not verdict.interview
    assert verdict.side is Side.INTERVIEWER
    assert any(r.field == "organizer" and "northwind" in r.matched for r in verdict.reasons)


def test_the_users_own_invite_to_a_candidate_on_the_work_calendar_is_no_interview():
    me = Person(WORK_ME.email, "Sam Seeker", is_self=True)
    event = interview("Invite Riley Fontaine - onsite", WHEN, organizer=me, attendees=(WORK_ME,))
    assert classify(event, VOCAB).side is Side.INTERVIEWER


def test_the_same_interview_on_the_private_address_is_the_candidates():
    event = interview("Interview: Sam Seeker", WHEN, organizer=JANE, attendees=(ME, JANE))
    verdict = classify(event, VOCAB)
    assert verdict.interview and verdict.sure and verdict.side is Side.CANDIDATE


@given(st.sampled_from(["Interview", "Final round", "Phone screen", "Onsite interview"]))
@settings(max_examples=20, deadline=None)
def test_work_calendar_structure_always_outranks_interview_words(words):
    event = interview(f"{words} with Riley", WHEN, organizer=COLLEAGUE, attendees=(WORK_ME,))
    assert not classify(event, VOCAB).interview


def test_a_companys_recruiting_mailbox_makes_a_wordless_itinerary_an_interview():
    recruiting = Person("recruiting@pellucidlabs.ai", "Pellucid Labs Recruiting")
    event = interview(
        "Pellucid Labs - Team Day",
        WHEN,
        hours=5,
        description="Your itinerary:\n10:00 Architecture with Ana\n12:00 Lunch\n",
        location="88 Market St, San Francisco",
        organizer=recruiting,
        attendees=(ME, recruiting),
    )
    verdict = classify(event, VOCAB)
    assert verdict.interview and verdict.stage is Stage.FINAL
    assert any(r.signal == "hiring:mailbox" for r in verdict.reasons)


def test_the_users_own_companys_recruiting_mailbox_is_no_candidate_evidence():
    recruiting = Person("recruiting@northwind.example", "Northwind Recruiting")
    event = interview("Team Day", WHEN, organizer=recruiting, attendees=(WORK_ME, recruiting))
    verdict = classify(event, VOCAB)
    assert not verdict.interview
    assert not any(r.signal == "hiring:mailbox" for r in verdict.reasons)


def test_a_companys_invite_naming_the_user_backs_its_words_but_is_no_interview_alone():
    """Structure backs words; alone it cannot make an interview, because every reader
    dismisses events on their words first (the fast read and the full read must agree)."""
    alone = interview(
        "Brightwater Analytics <> Sam Seeker | Backend Engineer",
        WHEN,
        location="+1 (415) 555-0114",
        organizer=JANE,
        attendees=(ME, JANE),
    )
    assert not classify(alone, VOCAB).interview
    event = interview(
        "Brightwater Analytics <> Sam Seeker | Backend Engineer screen",
        WHEN,
        location="+1 (415) 555-0114",
        organizer=JANE,
        attendees=(ME, JANE),
    )
    verdict = classify(event, VOCAB)
    assert verdict.interview and verdict.stage is Stage.PHONE
    assert any(r.signal == "hiring:names-you" for r in verdict.reasons)


def test_the_users_name_in_their_own_title_is_no_evidence():
    me = Person(ME.email, "Sam Seeker", is_self=True)
    event = interview("Sam Seeker <> Mateo Rossi", WHEN, organizer=me, attendees=(ME,))
    assert not any(r.signal == "hiring:names-you" for r in classify(event, VOCAB).reasons)


CALENDLY_BODY = "Event Name: {name}\n\nPowered by Calendly.com"


@pytest.mark.parametrize("conj", ["and", "et", "y", "e", "und", "en"])
def test_calendly_names_only_titles_in_every_language_are_read_from_the_event_name(conj):
    event = interview(
        f"Sam Seeker {conj} Élodie Marchand",
        WHEN,
        description=CALENDLY_BODY.format(name="Networking coffee"),
        organizer=Person("elodie.marchand@greyhaven.sec", "Élodie Marchand"),
        attendees=(ME,),
    )
    verdict = classify(event, VOCAB)
    assert not any(r.signal == "hiring:names-you" for r in verdict.reasons)
    assert not verdict.interview or not verdict.sure


def test_a_booking_pages_host_wording_does_not_make_the_invitee_the_interviewer():
    host = Person("elodie.marchand@greyhaven.sec", "Élodie Marchand")
    event = interview(
        "Sam Seeker and Élodie Marchand",
        WHEN,
        description=CALENDLY_BODY.format(name="Candidate Screening Call (25 min)"),
        organizer=host,
        attendees=(ME, host),
    )
    verdict = classify(event, VOCAB)
    assert verdict.interview and verdict.side is Side.CANDIDATE


@pytest.mark.parametrize(
    ("summary", "interview_"),
    [
        ("Interveiw - Staff Engineer (Nimbusline)", True),
        ("tech scrn Parcelo", True),
        ("Jornada de entrevistas Banco Levante (todo el día)", True),
        ("todo: update CV for the interview", False),
        ("Visa interview - US consulate", False),
        ("Job search support group - interview stories", False),
    ],
)
def test_how_people_really_write(summary, interview_):
    assert classify(interview(summary, WHEN, attendees=(ME,)), VOCAB).interview is interview_
