"""The `[caldav]` and `[ics] sources` sections of config.toml: typed, and every problem
reported together, naming the field."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from sync.config import CalDavConfig, IcsConfig, parse_config
from sync.errors import ConfigError


def parse(text: str):
    return parse_config(tomllib.loads(text), origin="config.toml")


def test_the_documented_example_parses_into_typed_values() -> None:
    config = parse(
        """
        [caldav]
        url = "https://caldav.fastmail.com/dav/"
        username = "sam@fastmail.com"
        sources = ["Personal", "https://caldav.fastmail.com/dav/calendars/user/sam/work/"]
        target = "Interview follow-ups"

        [ics]
        sources = ["~/cal.ics", "webcal://outlook.office365.com/owa/calendar/x/calendar.ics"]
        """
    )
    assert config.caldav == CalDavConfig(
        url="https://caldav.fastmail.com/dav/",
        username="sam@fastmail.com",
        sources=("Personal", "https://caldav.fastmail.com/dav/calendars/user/sam/work/"),
        target="Interview follow-ups",
    )
    assert config.caldav.configured
    assert config.ics.feeds == ("webcal://outlook.office365.com/owa/calendar/x/calendar.ics",)
    assert config.ics.files == (Path("~/cal.ics").expanduser(),)


def test_without_the_sections_nothing_is_configured() -> None:
    config = parse("")
    assert config.caldav == CalDavConfig() and not config.caldav.configured
    assert config.ics == IcsConfig()
    assert parse('[caldav]\nsources = ["Personal"]').caldav.target == "Interview follow-ups"


def test_every_problem_is_reported_together() -> None:
    with pytest.raises(ConfigError) as caught:
        parse(
            """
            [caldav]
            url = "http://caldav.example.com/dav/"
            sources = []
            target = ""
            colour = "blue"

            [ics]
            sources = ["ftp://example.com/cal.ics", "a.ics", "a.ics"]
            """
        )
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "caldav.colour",
        "caldav.url",
        "caldav.username",
        "caldav.sources",
        "caldav.target",
        "ics.sources[0]",
        "ics.sources",
    ]
    text = str(caught.value)
    assert "plain http is allowed only on loopback" in text
    assert "give both url and username" in text
    assert all(p.file == "config.toml" for p in caught.value.problems)


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("caldav.fastmail.com", "must be a URL like"),
        ("https://sam:secret@caldav.example.com/", "must not carry a username or password"),
    ],
)
def test_a_bad_caldav_url_is_named(url: str, said: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse(f'[caldav]\nurl = "{url}"\nusername = "sam"')
    assert said in str(caught.value)
    assert "secret" not in str(caught.value)


def test_plain_http_is_fine_on_loopback() -> None:
    config = parse('[caldav]\nurl = "http://127.0.0.1:5232/"\nusername = "sam"')
    assert config.caldav.url == "http://127.0.0.1:5232/"


def test_ics_sources_must_be_a_list_of_strings() -> None:
    with pytest.raises(ConfigError, match="ics.sources"):
        parse('[ics]\nsources = "cal.ics"')
