"""The user's config file (TOML), parsed once into a frozen `Config`.

Every problem in the file is reported together, naming the field and the value. Secrets
never live here: the OAuth client file and the token are separate files.

Example `config.toml` (every key optional)::

    [reminders]
    time = "09:30"                # time of day for the reminder, in your time zone
    timezone = "Europe/Berlin"    # default: the calendar's zone
    length_minutes = 15
    alert_minutes_before = 0      # popup at the reminder's start
    lookback_days = 30            # older interviews get no new reminder
    salary = "EUR 70-75k"         # the figure to stay consistent with
    name = "Sam Doe"              # signs the draft message
    emails = ["sam@example.com"]  # your addresses: finds your own RSVP in .ics files

    [google]
    sources = ["primary"]         # calendars to read interviews from
    target = "followups"          # "followups": a calendar the tool creates; or "primary"
    credentials = "~/.config/interview-followup/credentials.json"
    api_root = "https://www.googleapis.com/"   # or FOLLOWUP_GOOGLE_API_ROOT

    [export]
    dir = "~/followups"           # where followups.ics and one file per reminder go

    [caldav]                      # after `followup connect --caldav URL --username NAME`
    url = "https://caldav.fastmail.com/dav/"   # server root or principal URL
    username = "sam@fastmail.com"
    sources = ["Personal"]        # calendars to read, by display name or URL
    target = "Interview follow-ups"   # created (MKCALENDAR) if missing

    [ics]
    sources = ["~/Calendars/work.ics", "webcal://outlook.office365.com/owa/calendar/.../calendar.ics"]

    [run]
    every = "15m"                 # `followup run` interval
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from rules.errors import Problem
from rules.model import Policy
from sync.errors import ConfigError
from sync.paths import Paths

GOOGLE_ROOT = "https://www.googleapis.com/"
TARGET_CALENDAR_NAME = "Interview follow-ups"


@dataclass(frozen=True)
class GoogleConfig:
    sources: tuple[str, ...] = ("primary",)
    target: str = "followups"  # "followups" | "primary"
    credentials: Path | None = None
    api_root: str = GOOGLE_ROOT


@dataclass(frozen=True)
class CalDavConfig:
    """`[caldav]`: the account's calendars to read and the one to write. The password is
    never here: `followup connect --caldav` keeps it in a private file."""

    url: str | None = None
    username: str | None = None
    sources: tuple[str, ...] = ()  # display names or URLs
    target: str = TARGET_CALENDAR_NAME  # display name or URL; created if missing

    @property
    def configured(self) -> bool:
        return self.url is not None


@dataclass(frozen=True)
class IcsConfig:
    """`[ics] sources`: calendar files and feed addresses (https, http, webcal)."""

    sources: tuple[str, ...] = ()  # files with `~` expanded, feed addresses as given

    @property
    def feeds(self) -> tuple[str, ...]:
        return tuple(s for s in self.sources if _is_feed(s))

    @property
    def files(self) -> tuple[Path, ...]:
        return tuple(Path(s) for s in self.sources if not _is_feed(s))


@dataclass(frozen=True)
class Config:
    policy: Policy = field(default_factory=Policy)
    timezone: ZoneInfo | None = None
    google: GoogleConfig = field(default_factory=GoogleConfig)
    export_dir: Path | None = None
    every: timedelta = timedelta(minutes=15)
    origin: str | None = None  # the file it came from, if any
    self_emails: tuple[str, ...] = ()
    caldav: CalDavConfig = field(default_factory=CalDavConfig)
    ics: IcsConfig = field(default_factory=IcsConfig)


_KNOWN: dict[str, set[str]] = {
    "reminders": {
        "time",
        "timezone",
        "length_minutes",
        "alert_minutes_before",
        "lookback_days",
        "salary",
        "name",
        "emails",
    },
    "google": {"sources", "target", "credentials", "api_root"},
    "export": {"dir"},
    "run": {"every"},
    "caldav": {"url", "username", "sources", "target"},
    "ics": {"sources"},
}


def load_config(paths: Paths) -> Config:
    """Read `paths.config_file` if it exists; defaults otherwise. Env overrides last."""
    path = paths.config_file
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as exc:
            raise ConfigError(
                "cannot read the config file", [Problem(f"not UTF-8 text: {exc}", file=str(path))]
            ) from exc
        except OSError as exc:  # a folder named config.toml, no permission, ...
            raise ConfigError(
                "cannot read the config file",
                [Problem(exc.strerror or str(exc), file=str(path))],
                next_step="make it a readable TOML file, or move it aside to use the defaults",
            ) from exc
        except tomllib.TOMLDecodeError as exc:
            line = _toml_line(exc)
            raise ConfigError(
                "cannot read the config file",
                [Problem(f"TOML syntax: {exc}", file=str(path), line=line)],
                next_step="fix the line, or move the file aside to use the defaults",
            ) from exc
    config = parse_config(data, origin=str(path) if path.exists() else None)
    root = os.environ.get("FOLLOWUP_GOOGLE_API_ROOT")
    if root:
        problems: list[Problem] = []
        api_root = _api_root(root, "FOLLOWUP_GOOGLE_API_ROOT", problems)
        if problems:
            raise ConfigError("bad environment variable", problems)
        config = replace(config, google=replace(config.google, api_root=api_root))
    return config


def _beside(raw: str, origin: str | None) -> Path:
    """A path from the config file: "~" expanded, and a relative one taken from the
    config file's folder (cron runs from $HOME, not from where the file was written)."""
    path = Path(raw).expanduser()
    if not path.is_absolute() and origin:
        path = Path(origin).parent / path
    return path


def parse_config(data: dict[str, Any], *, origin: str | None = None) -> Config:
    problems: list[Problem] = []

    def problem(field_name: str, message: str, value: object = None) -> None:
        shown = None if value is None else str(value)
        problems.append(Problem(message, file=origin, field=field_name, value=shown))

    for section, body in data.items():
        if section not in _KNOWN:
            problem(section, f"unknown section (known: {', '.join(sorted(_KNOWN))})")
        elif not isinstance(body, dict):
            problem(section, "must be a table like [" + section + "]", body)
        else:
            for key in body:
                if key not in _KNOWN[section]:
                    known = ", ".join(sorted(_KNOWN[section]))
                    problem(f"{section}.{key}", f"unknown key (known: {known})")

    reminders = _table(data, "reminders")
    google = _table(data, "google")
    export = _table(data, "export")
    run = _table(data, "run")

    remind_time = time(9, 30)
    if "time" in reminders:
        raw = reminders["time"]
        match = re.fullmatch(r"(\d{1,2}):(\d{2})", str(raw)) if isinstance(raw, str) else None
        if isinstance(raw, time):
            remind_time = raw
        elif match and int(match[1]) < 24 and int(match[2]) < 60:
            remind_time = time(int(match[1]), int(match[2]))
        else:
            problem("reminders.time", 'must be a time of day like "09:30"', raw)

    tz: ZoneInfo | None = None
    if "timezone" in reminders:
        raw = reminders["timezone"]
        try:
            tz = ZoneInfo(str(raw))
        except (ZoneInfoNotFoundError, ValueError):
            problem("reminders.timezone", "unknown time zone (use an IANA name)", raw)

    def integer(
        field_name: str, table: dict[str, Any], key: str, default: int, lo: int, hi: int
    ) -> int:
        if key not in table:
            return default
        raw = table[key]
        if isinstance(raw, bool) or not isinstance(raw, int) or not lo <= raw <= hi:
            problem(field_name, f"must be a whole number from {lo} to {hi}", raw)
            return default
        return raw

    length = integer("reminders.length_minutes", reminders, "length_minutes", 15, 1, 24 * 60)
    # Google caps reminders.overrides minutes at 40320 (4 weeks).
    alert = integer(
        "reminders.alert_minutes_before", reminders, "alert_minutes_before", 0, 0, 40320
    )
    lookback = integer("reminders.lookback_days", reminders, "lookback_days", 30, 0, 3650)
    salary = _optional_str(reminders, "salary", "reminders.salary", problem)
    name = _optional_str(reminders, "name", "reminders.name", problem)
    self_emails: tuple[str, ...] = ()
    if "emails" in reminders:
        raw = reminders["emails"]
        if isinstance(raw, list) and all(isinstance(e, str) and "@" in e for e in raw):
            self_emails = tuple(e.strip().lower() for e in raw)
        else:
            problem("reminders.emails", 'must be a list of addresses like ["sam@example.com"]', raw)

    sources: tuple[str, ...] = ("primary",)
    if "sources" in google:
        raw = google["sources"]
        if isinstance(raw, list) and raw and all(isinstance(s, str) and s for s in raw):
            sources = tuple(raw)
        else:
            problem(
                "google.sources", 'must be a non-empty list of calendar ids like ["primary"]', raw
            )
    target = "followups"
    if "target" in google:
        raw = google["target"]
        if raw in ("followups", "primary"):
            target = raw
        else:
            problem("google.target", 'must be "followups" or "primary"', raw)
    credentials = None
    if "credentials" in google:
        raw = _optional_str(google, "credentials", "google.credentials", problem)
        credentials = _beside(raw, origin) if raw else None
    api_root = GOOGLE_ROOT
    if "api_root" in google:
        api_root = _api_root(google["api_root"], "google.api_root", problems, origin)

    export_dir = None
    if "dir" in export:
        raw = _optional_str(export, "dir", "export.dir", problem)
        export_dir = _beside(raw, origin) if raw else None

    every = timedelta(minutes=15)
    if "every" in run:
        try:
            every = parse_interval(str(run["every"]))
        except ValueError as exc:
            problem("run.every", str(exc), run["every"])

    caldav = _caldav_section(_table(data, "caldav"), "caldav" in data, problem)
    ics = _ics_section(_table(data, "ics"), problem, origin)

    if problems:
        raise ConfigError(
            "the config file has errors",
            problems,
            next_step="fix them (see README, Configuration)",
        )
    return Config(
        policy=Policy(
            remind_time=remind_time,
            reminder_minutes=length,
            alert_minutes_before=alert,
            lookback_days=lookback,
            default_salary=salary,
            user_name=name,
        ),
        timezone=tz,
        google=GoogleConfig(
            sources=sources, target=target, credentials=credentials, api_root=api_root
        ),
        export_dir=export_dir,
        every=every,
        origin=origin,
        self_emails=self_emails,
        caldav=caldav,
        ics=ics,
    )


def _caldav_section(table: dict[str, Any], present: bool, problem: Any) -> CalDavConfig:
    if not present:
        return CalDavConfig()
    url = _optional_str(table, "url", "caldav.url", problem)
    username = _optional_str(table, "username", "caldav.username", problem)
    if url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            problem("caldav.url", "must be a URL like https://caldav.fastmail.com/dav/", url)
            url = None
        elif parts.username or parts.password:
            problem(
                "caldav.url",
                "must not carry a username or password (`followup connect --caldav` asks)",
                f"{parts.scheme}://...@{parts.hostname}",
            )
            url = None
        elif parts.scheme == "http" and not is_loopback_url(url):
            problem(
                "caldav.url",
                "plain http is allowed only on loopback (the password would travel in clear)",
                url,
            )
            url = None
    if ("url" in table) != ("username" in table):
        missing = "username" if "url" in table else "url"
        problem(f"caldav.{missing}", "is needed too: give both url and username")
    sources: tuple[str, ...] = ()
    if "sources" in table:
        raw = table["sources"]
        if isinstance(raw, list) and raw and all(isinstance(s, str) and s.strip() for s in raw):
            sources = tuple(s.strip() for s in raw)
        else:
            problem(
                "caldav.sources",
                'must be a non-empty list of calendar names or URLs like ["Personal"]',
                raw,
            )
    target = _optional_str(table, "target", "caldav.target", problem) or TARGET_CALENDAR_NAME
    return CalDavConfig(url=url, username=username, sources=sources, target=target)


def _ics_section(table: dict[str, Any], problem: Any, origin: str | None = None) -> IcsConfig:
    if "sources" not in table:
        return IcsConfig()
    raw = table["sources"]
    if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
        problem(
            "ics.sources",
            'must be a list of files or feed addresses like ["~/cal.ics", "webcal://..."]',
            raw,
        )
        return IcsConfig()
    sources: list[str] = []
    for index, item in enumerate(raw):
        text = item.strip()
        if _is_feed(text):
            from urllib.parse import urlsplit

            if not urlsplit(text).hostname:
                problem(f"ics.sources[{index}]", "a feed address needs a host", text)
                continue
            sources.append(text)
        elif "://" in text:
            problem(
                f"ics.sources[{index}]",
                "must be a file or an https://, http:// or webcal:// address",
                text,
            )
        else:
            sources.append(str(_beside(text, origin)))
    if len(set(sources)) != len(sources):
        problem("ics.sources", "lists the same calendar twice", raw)
    return IcsConfig(tuple(sources))


def _is_feed(text: str) -> bool:
    return text.lower().startswith(("https://", "http://", "webcal://", "webcals://"))


def parse_interval(text: str, *, minimum: int = 60) -> timedelta:
    """`90s`, `15m`, `2h`, `1d` -> timedelta; by default at least a minute apart."""
    match = re.fullmatch(r"\s*(\d+)\s*([smhd])\s*", text)
    if not match:
        raise ValueError('must be an interval like "15m", "2h" or "1d"')
    amount, unit = int(match[1]), match[2]
    seconds = amount * {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit]
    if seconds < minimum:
        raise ValueError(f"must be at least {minimum}s (Google's quota is per minute)")
    return timedelta(seconds=seconds)


def _table(data: dict[str, Any], name: str) -> dict[str, Any]:
    body = data.get(name, {})
    return body if isinstance(body, dict) else {}


def _optional_str(table: dict[str, Any], key: str, field_name: str, problem: Any) -> str | None:
    raw = table.get(key)
    if raw is None:
        return None
    if not isinstance(raw, str) or not raw.strip():
        problem(field_name, "must be a non-empty string", raw)
        return None
    return raw.strip()


def _api_root(
    raw: object, field_name: str, problems: list[Problem], origin: str | None = None
) -> str:
    text = str(raw)
    if not re.match(r"https?://[^/\s]+", text):
        problems.append(
            Problem(
                "must be a URL like https://www.googleapis.com/",
                file=origin,
                field=field_name,
                value=text,
            )
        )
        return GOOGLE_ROOT
    if text.startswith("http://") and not is_loopback_url(text):
        problems.append(
            Problem(
                "plain http is allowed only on loopback (the token would travel in clear)",
                file=origin,
                field=field_name,
                value=text,
            )
        )
        return GOOGLE_ROOT
    return text if text.endswith("/") else text + "/"


def is_loopback_url(url: str) -> bool:
    """True for http(s)://localhost, 127.0.0.0/8 and [::1] URLs."""
    import ipaddress
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _toml_line(exc: tomllib.TOMLDecodeError) -> int | None:
    match = re.search(r"at line (\d+)", str(exc))
    return int(match[1]) if match else None


def load_rules(paths: Paths, rules_file: Path | None = None):  # -> sync.ruleset.RuleSet
    """The rules of a pass: `load_vocabulary`, done when first needed (`sync.ruleset`).
    The rules file is read now (an unreadable one is an error at once); it is parsed,
    and its mistakes reported, when the vocabulary is first used: on the first pass, and
    on the next pass after every edit (an edit changes what the rules are made of, so
    nothing remembered from before is used)."""
    import importlib.resources

    from rules.vocabulary import default_vocabulary, extend_vocabulary
    from sync.ruleset import RuleSet

    builtin = importlib.resources.files("rules").joinpath("vocabulary.toml").read_bytes()
    path = rules_file or paths.rules_file
    if rules_file is None and not path.exists():
        return RuleSet.from_text(default_vocabulary, builtin, None, None)
    text = _rules_text(path)
    return RuleSet.from_text(
        lambda: extend_vocabulary(default_vocabulary(), text, origin=str(path)),
        builtin,
        text,
        str(path),
    )


def _rules_text(path: Path) -> str:
    from rules.errors import RulesFileError

    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesFileError(
            "cannot read the rules file", [Problem(str(exc), file=str(path))]
        ) from exc


def load_vocabulary(paths: Paths, rules_file: Path | None = None):  # -> Vocabulary
    """The shipped vocabulary, extended by the user's rules file when there is one.

    `rules_file` (a `--rules` option) must exist; the default `rules.toml` in the config
    directory is optional.
    """
    from rules.vocabulary import default_vocabulary, extend_vocabulary

    path = rules_file or paths.rules_file
    if rules_file is None and not path.exists():
        return default_vocabulary()
    return extend_vocabulary(default_vocabulary(), _rules_text(path), origin=str(path))
