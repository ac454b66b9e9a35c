"""Every third-party file through `followup classify` and `followup sync --from`, as a
user would run them: parsed, or refused with one clear line -- never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli import Home

from .conftest import corpus_files

FILES = corpus_files()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_classify_and_sync_read_or_refuse_in_one_line(path: Path, tmp_path: Path) -> None:
    home = Home.at(tmp_path)
    classified = home.run("classify", "--json", str(path))
    synced = home.run("sync", "--from", str(path), "--out", str(tmp_path / "out"))
    for result in (classified, synced):
        assert "Traceback" not in result.stderr
        assert result.returncode in (0, 2), result.stderr
        if result.returncode == 2:
            errors = [line for line in result.stderr.splitlines() if line.startswith("followup:")]
            assert len(errors) == 1 and path.name in errors[0]
    assert classified.returncode == synced.returncode  # the same reader decides both
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
