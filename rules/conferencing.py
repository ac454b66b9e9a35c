"""Conferencing boilerplate: recognised first, then set aside.

A Teams, Zoom, Meet or Webex join block says *how* a meeting happens, never *what* it
is: every team meeting carries "Join by phone", dial-in numbers, "call in (audio
only)" and a meeting ID. Left in the text, such a block would make "call" or a phone
number count as evidence of a phone interview. So the rules cut these lines out of the
description and the location before any word is weighed, and keep only one fact: a
video link was there ("video"), which the stage question may use once an interview is
established (SPEC: an early video screen is the phone stage).

The recognition is line-based: a line is boilerplate when it is a join instruction, a
conferencing URL, a dial-in number, a meeting ID / passcode / PIN line, or a separator
or footer those vendors print; a bare phone number counts as boilerplate only inside a
block that a vendor header opened ("Join Zoom Meeting", "Microsoft Teams meeting",
"Join by phone", ...), so a recruiter's own number in a note stays evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_URL = re.compile(
    r"https?://\S*(?:zoom\.us|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com"
    r"|meet\.google\.com|tel\.meet|webex\.com|gotomeeting\.com|gotomeet\.me|whereby\.com"
    r"|bluejeans\.com|chime\.aws|meet\.jit\.si|aka\.ms/JoinTeamsMeeting"
    r"|dialin\.teams\.microsoft\.com|support\.google\.com/a/users/answer/9282720)\S*",
    re.IGNORECASE,
)
_BARE_HOST = re.compile(
    r"(?<![\w.])(?:[\w-]+\.)?(?:zoom\.us|meet\.google\.com|teams\.microsoft\.com|webex\.com)"
    r"/\S*",
    re.IGNORECASE,
)
VIDEO_HOSTS = re.compile(
    r"zoom\.us|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com"
    r"|webex\.com|gotomeeting|whereby\.com|bluejeans\.com|chime\.aws|meet\.jit\.si",
    re.IGNORECASE,
)

# Lines that open a vendor block (after them, bare numbers are dial-ins).
_HEADER = re.compile(
    r"^\W*(?:join\s+(?:the\s+)?zoom\s+meeting|join\s+zoom|zoom\s+meeting"
    r"|microsoft\s+teams\s+(?:meeting|need\s+help)|join\s+(?:the\s+)?(?:meeting\s+)?now"
    r"|join\s+(?:with\s+)?google\s+meet|google\s+meet\b|join\s+by\s+phone|join\s+by\s+video"
    r"|join\s+(?:the\s+)?webex\s+meeting|webex\s+meeting|join\s+from\s+a\s+video\s+system"
    r"|dial\s+by\s+your\s+location|one\s+tap\s+mobile|or\s+call\s+in|call\s+in\b"
    r"|dial[\s-]?in\b|dial\s+in\s+(?:numbers?|details)|audio\s+only|phone\s+conference"
    r"|join\s+on\s+your\s+computer|click\s+here\s+to\s+join|join\s+microsoft\s+teams"
    r"|tap\s+to\s+join|more\s+phone\s+numbers|conference\s+(?:call\s+)?details"
    r"|you\s+can\s+also\s+dial\b|or\s+dial\b"
    r"|video\s+call\s+link|meeting\s+link|join\s+(?:the\s+)?(?:video\s+)?call"
    # the same blocks as Teams, Zoom, Meet and Webex print them in fr, de, es, it, pt, nl
    r"|r[eé]union\s+microsoft\s+teams|microsoft\s+teams[\s-]+(?:besprechung|vergadering)"
    r"|reuni[oó]n\s+de\s+microsoft\s+teams|riunione\s+(?:di\s+)?microsoft\s+teams"
    r"|reuni[aã]o\s+do\s+microsoft\s+teams|rejoindre|participer\s+[aà]\s+la\s+r[eé]union"
    r"|cliquez\s+ici|ou\s+appelez|appelez|an\s+(?:der\s+)?besprechung\s+teilnehmen"
    r"|hier\s+klicken|oder\s+rufen\s+sie|telefonische?\s+einwahl|einwahl"
    r"|unirse|[uú]nase|haga\s+clic|o\s+llame|partecipa|fai\s+clic|oppure\s+chiama"
    r"|participe|entrar|clique\s+aqui|ou\s+ligue|deelnemen|klik\s+hier|of\s+bel"
    r"|zoom[\s-]+(?:meeting|besprechung|vergadering|reuni[oó]n|riunione|reuni[aã]o)"
    r"|google\s+meet\s*:|participer\s+avec\s+google\s+meet|mit\s+google\s+meet"
    r"|join\s+by\s+(?:sip|h\.323|skype|meeting\s+number)|dial\s+in\s+by\s+phone"
    r"|when\s+it'?s\s+time,?\s+join|more\s+ways\s+to\s+join|join\s+meeting\b"
    r"|join\s+from\s+(?:the\s+)?(?:meeting\s+link|a\s+mobile|a\s+video)|join\s+using"
    r"|tap\s+to\s+join\s+from|if\s+you\s+are\s+a\s+host|join\s+on\s+a\s+video"
    r"|participar|beitreten|teilnehmen|partecipare|deelnemen"
    r"|participar\s+con\s+google\s+meet|partecipa\s+con\s+google\s+meet)",
    re.IGNORECASE,
)
# Lines that are boilerplate wherever they stand.
_ALWAYS = re.compile(
    r"^\W*(?:meeting\s+(?:id|number|password|passcode|code)|passcode|password|pin\b"
    r"|phone\s+conference\s+id|conference\s+id|access\s+code|attendee\s+id|webinar\s+id"
    r"|find\s+(?:a|your)\s+local\s+number|download\s+teams|join\s+on\s+the\s+web"
    r"|learn\s+more(?:\s+about\s+(?:teams|meet|zoom|webex))?\s*(?:\||$)|meeting\s+options"
    r"|reset\s+(?:dial[\s-]in\s+)?pin|help\s*\|\s*legal|for\s+organizers:"
    r"|join\s+with\s+a\s+video\s+conferencing\s+device|video\s+conferencing\s+device"
    r"|join\s+using\s+your\s+meeting\s+app|get\s+the\s+(?:zoom|webex)\s+app"
    r"|invitation\s+from\s+google\s+calendar|you\s+are\s+receiving\s+this\s+(?:email|courtesy)"
    r"|forwarding\s+this\s+invitation|to\s+stop\s+receiving|learn\s+more\s+at\s+https"
    r"|view\s+all\s+guest\s+info|reply\s+for\s+\S+@|please\s+do\s+not\s+edit\s+this\s+section"
    r"|do\s+not\s+edit\s+this\s+section|this\s+is\s+a\s+(?:google\s+meet|zoom|microsoft\s+teams)"
    r"|web\s+conference|tap\s+to\s+join|\+?\d[\d\s().-]{6,}\d\s*,,\s*\d+#?"
    r"|[(\[]?(?:us|uk|de|fr|es|it|nl|pt|br|ca)[)\]]?\s*\+\d[\d\s().-]{6,}"
    r"|toll(?:-free)?\b|global\s+call-in\s+numbers"
    r"|id\s+(?:de\s+(?:la\s+)?r[eé]union|de\s+reuni[oó]n|riunione|da\s+reuni[aã]o|de\s+conf)"
    r"|(?:besprechungs|meeting|konferenz|vergader)[\s-]*id|code\s+secret|kenncode|passwort"
    r"|c[oó]digo\s+de\s+acceso|c[oó]digo\s+secreto|senha|codice\s+(?:di\s+accesso|segreto)"
    r"|wachtwoord|toegangscode|t[eé]l[eé]charger\s+teams|teams\s+herunterladen"
    r"|trouver\s+un\s+num[eé]ro|lokale\s+nummer|buscar\s+un\s+n[uú]mero"
    r"|en\s+savoir\s+plus|weitere\s+informationen|m[aá]s\s+informaci[oó]n|ulteriori"
    r"|saiba\s+mais|meer\s+informatie|options\s+de\s+r[eé]union|besprechungsoptionen"
    r"|r[eé]initialiser|pin\s+zur[uü]cksetzen"
    r"|\d{1,3}(?:\.\d{1,3}){3}\b|\S+@(?:zoomcrc\.com|\S*webex\.com|\S*\.teams\.ms)\S*"
    r"|dial\s+\S+@\S+|h\.323|sip\s*:|tenant\s+key|video\s+id|more\s+info\s*$|need\s+help\?"
    r"|meeting\s+(?:number|id)\s*\(access\s+code\)|host\s+key|attendee\s+access)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*(?:[_\-=~*.]{6,}|-::~[:~]+::-|\.\.\.\s*)\s*$")
_NUMBER_LINE = re.compile(
    r"^\W*(?:[(\[]?[A-Z]{2}[)\]]?\s*)?\+?\d[\d\s().-]{6,}\d(?:\s*(?:,,|#|\b).{0,60})?$"
)
_LOCATION = re.compile(
    r"^\s*(?:microsoft\s+teams(?:\s+meeting)?|teams(?:\s+meeting)?|zoom(?:\s+meeting)?"
    r"|google\s+meet|meet|webex(?:\s+meeting)?|video\s*call|online|virtual"
    r"|online\s+meeting|skype(?:\s+meeting)?)\s*[;,]?\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Boilerplate:
    """The text with conferencing boilerplate cut out, and what was cut."""

    text: str
    vendors: tuple[str, ...] = ()  # "zoom", "teams", "meet", "webex", "dial-in", ...
    removed: int = 0  # lines cut

    @property
    def video(self) -> bool:
        return any(v in ("zoom", "teams", "meet", "webex", "video") for v in self.vendors)


def _vendors(text: str) -> set[str]:
    low = text.lower()
    found = set()
    for name, needle in (
        ("zoom", "zoom"),
        ("teams", "teams"),
        ("meet", "meet.google"),
        ("meet", "google meet"),
        ("webex", "webex"),
        ("video", "whereby"),
        ("video", "gotomeet"),
        ("video", "bluejeans"),
        ("video", "chime.aws"),
        ("video", "jit.si"),
    ):
        if needle in low:
            found.add(name)
    return found


# Cheap test: text with none of these has no boilerplate to cut (most events). Plain
# substring tests on the lower-cased text: far cheaper than one case-blind regex.
_MAYBE = (
    "zoom",
    "teams",
    "meet",
    "webex",
    "dial",
    "call in",
    "passcode",
    "password",
    "meeting id",
    "pin:",
    "pin ",
    "conference",
    ",,",
    "toll",
    "gotomeet",
    "whereby",
    "bluejeans",
    "chime",
    "jit.si",
    "invitation from",
    "join",
    "____",
    "-::~",
    "====",
    "local number",
    "one tap",
    "audio only",
    "receiving this",
    "forwarding this",
    "rejoindre",
    "réunion",
    "besprechung",
    "reunión",
    "reunião",
    "riunione",
    "vergadering",
    "code",
    "senha",
    "wachtwoord",
    "kenncode",
    "einwahl",
    "appelez",
    "partecip",
    "particip",
    "deelnemen",
    "teilnehmen",
    "beitreten",
    "unirse",
    "únase",
    "entrar",
    "h.323",
    "sip",
)
_VENDOR_WORDS = ("zoom", "teams", "webex", "meet.google", "google meet")
_HOST_WORDS = ("zoom.us", "meet.google.com", "teams.microsoft.com", "webex.com")


_ZOOM_MEETING = ("meeting", "besprechung", "vergadering", "reuni", "riunione")
_ANY_URL = re.compile(r"https?://\S+")


def _header(line: str, low: str) -> bool:
    """A line that opens a vendor's block (see `_HEADER`), in any of its shapes."""
    if "inviting you to a scheduled zoom meeting" in low:
        return True
    if "zoom" in low and len(line) < 80 and any(w in low for w in _ZOOM_MEETING):
        return True  # "Zoom-Meeting beitreten", "Rejoindre la réunion Zoom", ...
    return bool(_HEADER.match(line))


def _video_urls(line: str, low: str) -> list[str]:
    """The conferencing links in a line (cheap: vendor names are tested on each URL)."""
    urls = []
    if "://" in line:
        urls = [u for u in _ANY_URL.findall(line) if _URL.match(u)]
    if any(host in low for host in _HOST_WORDS):
        urls += _BARE_HOST.findall(line)
    return urls


def _maybe(text: str) -> bool:
    low = text.lower()
    return any(key in low for key in _MAYBE)


_FENCE = re.compile(r"^\s*(?:_{10,}|-::~[:~]+::-)\s*$", re.MULTILINE)
_FENCED_VENDOR = re.compile(
    r"teams|zoom|meet\.google|google\s+meet|webex|\d[\d\s]{5,}\d\s*#|,,\d", re.IGNORECASE
)


def _cut_fences(text: str) -> tuple[str, set[str], int]:
    """Teams and Meet fence their block with a rule of underscores or `-::~:~::-`:
    whatever stands between two fences and names a vendor is their block, in any
    language (the French Teams block has no English word in it)."""
    fences = list(_FENCE.finditer(text))
    if len(fences) < 2:
        return text, set(), 0
    pieces: list[str] = []
    vendors: set[str] = set()
    removed = 0
    last = 0
    i = 0
    while i + 1 < len(fences):
        first, second = fences[i], fences[i + 1]
        inside = text[first.end() : second.start()]
        if _FENCED_VENDOR.search(inside):
            pieces.append(text[last : first.start()])
            vendors |= _vendors(inside) or {"video"}
            if re.search(r"\+?\d[\d\s().-]{6,}\d", inside):
                vendors.add("dial-in")
            removed += inside.count("\n") + 1
            last = second.end()
            i += 2
        else:
            i += 1
    pieces.append(text[last:])
    return "".join(pieces), vendors, removed


def strip_description(text: str) -> Boilerplate:
    """Cut the conferencing lines out of a description (plain text, tags removed)."""
    if not text or not _maybe(text):
        return Boilerplate(text)
    text, fenced, fenced_lines = _cut_fences(text)
    result = _strip_lines(text)
    if not fenced:
        return result
    vendors = tuple(sorted({*result.vendors, *fenced}))
    return Boilerplate(result.text, vendors, result.removed + fenced_lines)


def _strip_lines(text: str) -> Boilerplate:
    vendors: set[str] = set()
    kept: list[str] = []
    removed = 0
    in_block = False
    # A description that names a conferencing vendor lists its dial-in numbers one a
    # line under headers in any language ("Composez un numéro en fonction de votre
    # emplacement"): there, a line that is only a number and a place is a dial-in.
    low = text.lower()
    vendor_named = any(word in low for word in _VENDOR_WORDS)
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            in_block = False  # numbers after a blank line need a header of their own
            kept.append("")
            continue
        cut = False
        if _SEPARATOR.match(stripped):
            cut = True
            in_block = not in_block if "::" in stripped or "_" in stripped else in_block
        elif _header(stripped, stripped.lower()):
            cut = True
            in_block = True
            vendors |= _vendors(stripped)
            if re.search(r"phone|dial|call\s+in|audio", stripped, re.IGNORECASE):
                vendors.add("dial-in")
        elif _ALWAYS.match(stripped):
            cut = True
            if re.search(r"\d", stripped):
                vendors.add("dial-in")
        elif (in_block or vendor_named) and _NUMBER_LINE.match(stripped):
            cut = True
            vendors.add("dial-in")
        rest = stripped
        if not cut:
            urls = _video_urls(stripped, stripped.lower())
            if urls:
                for url in urls:
                    vendors |= _vendors(url) or {"video"}
                rest = stripped
                for url in urls:
                    rest = rest.replace(url, " ")
                # "Join: https://zoom.us/j/1" -> nothing left but the label: cut it all.
                label = re.sub(r"[\W_]+", " ", rest).strip().lower()
                if (
                    not label
                    or _HEADER.match(label)
                    or _LOCATION.match(label)
                    or re.fullmatch(
                        r"(?:join|link|zoom|teams|meet|video|meeting|here)( \w+)?", label
                    )
                ):
                    cut = True
        else:
            vendors |= _vendors(stripped)
        if cut:
            removed += 1
            continue
        in_block = False  # a line of real text ends the vendor's block
        kept.append(rest if rest is not stripped else line)
    if not removed and not vendors:
        return Boilerplate(text)
    return Boilerplate("\n".join(kept), tuple(sorted(vendors)), removed)


def strip_location(text: str) -> Boilerplate:
    """A location that is only a conferencing room ("Microsoft Teams Meeting", a Zoom
    link) says nothing about the meeting; a real address stays."""
    if not text.strip():
        return Boilerplate(text)
    vendors = set()
    rest = text
    if _URL.search(rest) or _BARE_HOST.search(rest):
        for url in _URL.findall(rest) + _BARE_HOST.findall(rest):
            vendors |= _vendors(url) or {"video"}
        rest = _BARE_HOST.sub(" ", _URL.sub(" ", rest))
    parts = [p.strip() for p in re.split(r"[;\n]", rest)]
    kept = []
    for part in parts:
        if not part:
            continue
        if _LOCATION.match(part) or _ALWAYS.match(part) or _HEADER.match(part):
            vendors |= _vendors(part) or {"video"}
            continue
        kept.append(part)
    if not vendors:
        return Boilerplate(text)
    cleaned = "; ".join(kept)
    return Boilerplate(cleaned, tuple(sorted(vendors)), 1)
