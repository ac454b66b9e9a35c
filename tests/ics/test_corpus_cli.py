"""Every third-party file through `followup classify` and `followup sync --from`, as a
user would run them: parsed, or refused with one clear line -- never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import Home

from .conftest import corpus_files

FILES = corpus_files()
# Files no reader can make sense of: refused, with one line naming the file and line.
REFUSED = {"issue_104_broken_calendar.ics": ":13: not an iCalendar content line"}
# Every other file must be read, its oddities (if any) named in a warning.
WARNED = {
    "issue_165_missing_event.ics": "ignored bad RRULE",
    "issue_237_fail_to_parse_timezone_with_non_ascii_tzid.ics": "no UID",
    "issue_350.ics": "ignored text after END:VCALENDAR",
    "end_before_start_event.ics": "DTEND is before DTSTART",
}


def test_the_corpus_lists_name_real_files() -> None:
    names = {p.name for p in FILES}
    assert set(REFUSED) <= names and set(WARNED) <= names
    assert len(names - set(REFUSED)) >= 20


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_classify_and_sync_read_or_refuse_in_one_line(path: Path, tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    classified = home.run("classify", "--json", str(path))
    synced = home.run("sync", "--from", str(path), "--out", str(tmp_path / "out"))
    expected = 2 if path.name in REFUSED else 0
    for result in (classified, synced):
        assert "Traceback" not in result.stderr
        assert result.returncode == expected, result.stderr
        if expected == 2:
            errors = [line for line in result.stderr.splitlines() if line.startswith("followup:")]
            assert len(errors) == 1 and path.name in errors[0]
            assert REFUSED[path.name] in errors[0]
    if path.name in WARNED:
        assert WARNED[path.name] in classified.stderr
    if classified.returncode == 0:
        for line in classified.stdout.splitlines():
            assert set(json.loads(line)) == {
                "id",
                "interview",
                "stage",
                "sure",
                "side",
                "kind",
                "reasons",
                "followup",
            }
        assert (tmp_path / "out" / "followups.ics").exists()
    else:
        assert not (tmp_path / "out").exists()  # refused: nothing written
