from __future__ import annotations

import pytest

from .helpers import Home, make_home


@pytest.fixture
def home(tmp_path, emulator) -> Home:
    return make_home(tmp_path, emulator)


@pytest.fixture
def connected(home) -> Home:
    """A home that has run `followup connect` against the emulator."""
    result = home.run("connect")
    assert result.returncode == 0, result.stderr
    return home
