"""Verdicts remembered from one pass to the next (`sync.verdicts`), and the rules loaded
only when a pass needs them (`sync.ruleset`): an unchanged calendar neither loads the
vocabulary nor classifies anything, and decides exactly what a pass that works every
verdict out decides; anything the verdict depends on (the event, the rules, an answer)
makes it be worked out again."""

from __future__ import annotations

import importlib.resources
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from rules.classify import classify
from rules.vocabulary import default_vocabulary, extend_vocabulary
from sync.ruleset import RuleSet
from sync.verdicts import VerdictMemo, verdict_from_json, verdict_to_json
from tests.cli import EXAMPLE, ROOT, Home

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)
BUILTIN = importlib.resources.files("rules").joinpath("vocabulary.toml").read_bytes()
KAFFEE = '[interview.words]\n"kaffeeklatsch" = 1.0\n'


def _shifted(path: Path) -> Path:
    import sys

    sys.path.insert(0, str(ROOT / "examples"))
    from shift_calendar import shift

    path.write_bytes(shift(EXAMPLE.read_bytes(), NOW.date()))
    return path


class Counted:
    """A vocabulary loader that counts how often it is called."""

    def __init__(self, text: str | None = None) -> None:
        self.text = text
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.text is None:
            return default_vocabulary()
        return extend_vocabulary(default_vocabulary(), self.text, origin="rules.toml")

    def rules(self) -> RuleSet:
        return RuleSet.from_text(self, BUILTIN, self.text, "rules.toml" if self.text else None)


def _pass(tmp_path: Path, calendar: Path, rules: RuleSet, now: datetime = NOW):
    from sync.config import Config
    from sync.passes import PassContext, run_pass
    from sync.setup import ics_slot
    from sync.sources.ics_file import IcsFileSource
    from sync.statusdb import StatusDB

    status = StatusDB(tmp_path / "state.sqlite3")
    try:
        ctx = PassContext(config=Config(), status=status, now=now, rules=rules)
        slot = ics_slot(status, tmp_path / "out", now)
        return run_pass(ctx, [IcsFileSource(calendar, rules)], [slot])
    finally:
        status.close()


def _labelled_events():
    from sync.google.convert import event_from_api
    from tests.rules.accuracy import LABELLED, TUNE, load

    for item in [*load(LABELLED), *load(TUNE)]:
        yield event_from_api(item["event"], calendar_id="labelled")
    yield event_from_api(
        {
            "id": "tagged",
            "summary": "Phone screen with Acme",
            "description": "#salary: 95k-105k EUR\n#followup:2026-12-15",
            "start": {"dateTime": "2026-12-03T15:00:00Z"},
            "end": {"dateTime": "2026-12-03T15:30:00Z"},
        },
        calendar_id="labelled",
    )


def test_a_verdict_goes_to_json_and_back_exactly() -> None:
    vocab = default_vocabulary()
    seen = set()
    for n, event in enumerate(_labelled_events()):
        answer = (None, "phone", "final", "skip")[n % 4] if n % 3 == 0 else None
        verdict = classify(event, vocab, answer)
        text = json.dumps(verdict_to_json(verdict))
        assert verdict_from_json(json.loads(text)) == verdict, event.id
        seen |= {name for name, value in vars(verdict).items() if value not in (None, (), "")}
    # every field was exercised with a value by some verdict
    assert {"company", "role", "interviewer", "stated_followup", "skip_note", "producer"} <= seen
    assert "confirmed" in seen and "salary" in seen


def test_a_kept_verdict_of_another_format_is_worked_out_again() -> None:
    with pytest.raises(ValueError, match="format"):
        verdict_from_json({"v": 99})
    event = next(_labelled_events())
    rules = RuleSet.of(default_vocabulary())
    memo = VerdictMemo(rules, {})
    verdict = memo(event, None)
    (key,) = memo.used
    stale = VerdictMemo(rules, {key: json.dumps({"v": 99, "interview": True})})
    assert stale(event, None) == verdict and stale.classified == 1
    kept = VerdictMemo(rules, dict(memo.used))
    assert kept(event, None) == verdict and kept.classified == 0 and not kept.changed


def test_an_unchanged_calendar_loads_no_rules_and_decides_the_same(tmp_path: Path) -> None:
    calendar = _shifted(tmp_path / "cal.ics")
    loader = Counted()
    first = _pass(tmp_path, calendar, loader.rules())
    assert loader.calls == 1 and first.sources[0].verdicts.classified > 0

    again = Counted()
    second = _pass(tmp_path, calendar, again.rules())
    assert again.calls == 0  # neither the candidates nor a verdict needed the vocabulary
    assert second.sources[0].verdicts.classified == 0
    assert second.sources[0].verdicts.asked == first.sources[0].verdicts.asked
    assert all(p.empty for p in second.plans.values())
    # ... and decides exactly what working every verdict out decides
    fresh = [classify(d.event, default_vocabulary()) for d in second.sources[0].decisions.items]
    assert [d.classification for d in second.sources[0].decisions.items] == fresh
    assert [r.key for r in second.sources[0].wants.desired] == [
        r.key for r in first.sources[0].wants.desired
    ]
    # A later "now" decides afresh from the kept verdicts: windows move, verdicts do not.
    later = _pass(tmp_path, calendar, Counted().rules(), NOW + timedelta(days=40))
    assert later.sources[0].verdicts.classified == 0
    assert not later.sources[0].wants.desired  # all past the look-back now


def test_new_rules_an_edit_or_an_answer_work_the_verdicts_out_again(tmp_path: Path) -> None:
    from sync.statusdb import StatusDB

    calendar = _shifted(tmp_path / "cal.ics")
    first = _pass(tmp_path, calendar, Counted().rules())
    asked = first.sources[0].verdicts.asked

    other = Counted(KAFFEE)
    report = _pass(tmp_path, calendar, other.rules())
    assert other.calls == 1 and report.sources[0].verdicts.classified == asked

    status = StatusDB(tmp_path / "state.sqlite3")
    decision = next(d for d in report.sources[0].decisions.items if "Northwind" in d.event.summary)
    status.confirm(decision.event.id, "phone", NOW)
    status.close()
    answered = _pass(tmp_path, calendar, other.rules())
    memo = answered.sources[0].verdicts
    assert memo.classified == 1  # that event only: its answer is part of its key
    (settled,) = [d for d in answered.sources[0].decisions.items if d.event == decision.event]
    assert settled.classification.confirmed is not None


def test_the_rules_key_changes_with_code_builtin_words_and_the_rules_file() -> None:
    base = RuleSet.from_text(default_vocabulary, BUILTIN, None, None)
    assert base.made_of == RuleSet.from_text(default_vocabulary, BUILTIN, None, None).made_of
    assert (
        base.made_of != RuleSet.from_text(default_vocabulary, BUILTIN + b"\n", None, None).made_of
    )
    with_file = RuleSet.from_text(default_vocabulary, BUILTIN, KAFFEE, "/home/sam/rules.toml")
    assert with_file.made_of != base.made_of
    moved = RuleSet.from_text(default_vocabulary, BUILTIN, KAFFEE, "/elsewhere/rules.toml")
    assert moved.made_of != with_file.made_of  # reasons name the file
    assert not base.loaded and base.key("a") != base.key("b")


def test_the_code_digest_follows_an_edit_of_the_rules(tmp_path: Path, monkeypatch) -> None:
    import os

    import sync.ruleset as ruleset

    copy = tmp_path / "pkg"
    for name in ("rules", "sync/ics", "sync/sources"):
        (copy / name).mkdir(parents=True)
        for path in (ROOT / name).glob("*.py"):
            (copy / name / path.name).write_bytes(path.read_bytes())
    for name in ("sync/eventcodec.py", "sync/verdicts.py", "sync/ruleset.py"):
        (copy / name).write_bytes((ROOT / name).read_bytes())
    monkeypatch.setattr(ruleset, "__file__", str(copy / "sync" / "ruleset.py"))
    ruleset.code_digest.cache_clear()
    try:
        before = ruleset.code_digest()
        ruleset.code_digest.cache_clear()
        assert ruleset.code_digest() == before
        target = copy / "rules" / "classify.py"
        target.write_bytes(target.read_bytes() + b"\n# an edit\n")
        ruleset.code_digest.cache_clear()
        assert ruleset.code_digest() != before
        stat = target.stat()
        os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
        ruleset.code_digest.cache_clear()
        after = ruleset.code_digest()
        ruleset.code_digest.cache_clear()
        assert ruleset.code_digest() == after
    finally:
        ruleset.code_digest.cache_clear()


def test_a_rules_file_edited_after_a_pass_counts_and_a_broken_one_is_reported(
    tmp_path: Path,
) -> None:
    home = Home.at(tmp_path)
    calendar = tmp_path / "cal.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//hand//EN\r\n"
        "BEGIN:VEVENT\r\nUID:kaffee-1\r\nDTSTAMP:20261120T120000Z\r\n"
        f"DTSTART:{(datetime.now(UTC) + timedelta(days=2)):%Y%m%dT150000Z}\r\n"
        f"DTEND:{(datetime.now(UTC) + timedelta(days=2)):%Y%m%dT160000Z}\r\n"
        "SUMMARY:Kaffeeklatsch with Initech\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    out = tmp_path / "out"
    sync = ("sync", "--from", str(calendar), "--out", str(out))
    assert home.run(*sync).returncode == 0
    assert home.run(*sync).returncode == 0
    assert not list(out.glob("kaffee*.ics"))  # not an interview to the built-in rules

    home.config_dir.mkdir(parents=True, exist_ok=True)
    rules_file = home.config_dir / "rules.toml"
    rules_file.write_text(KAFFEE)
    assert home.run(*sync).returncode == 0
    (made,) = [p for p in out.glob("*.ics") if p.name != "followups.ics"]
    assert "Initech" in made.read_text()

    rules_file.write_text('[interview.words]\n"kaffeeklatsch" = "lots"\n')
    broken = home.run(*sync)
    assert broken.returncode == 2, broken.stderr
    assert "rules.toml" in broken.stderr and "kaffeeklatsch" in broken.stderr
    assert made.exists()  # nothing already written is lost
