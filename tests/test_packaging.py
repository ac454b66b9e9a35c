"""pyproject.toml in the form current setuptools accepts without a deprecation warning."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_license_is_an_spdx_string_with_a_setuptools_that_reads_it() -> None:
    # setuptools >= 77 warns "`project.license` as a TOML table is deprecated" (PEP 639)
    # on every install of a table `license = { text = ... }`; the string form needs 77+.
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"]
    assert all((ROOT / name).is_file() for name in project["license-files"])
    assert "License ::" not in " ".join(project.get("classifiers", []))  # refused with SPDX
    (setuptools,) = [r for r in data["build-system"]["requires"] if r.startswith("setuptools")]
    found = re.fullmatch(r"setuptools>=(\d+)(?:\.\d+)*", setuptools)
    assert found and int(found.group(1)) >= 77, setuptools
