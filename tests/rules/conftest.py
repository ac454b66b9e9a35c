"""Fixtures for the rules tests.

The accuracy line of the labelled set comes from the `tests.rules.accuracy` plugin.
When that plugin is not registered from the top-level conftest (it must be, for
`pytest -n auto` from the root: the xdist controller never loads this file), this
conftest prints the line itself whenever it is loaded, e.g. `pytest tests/rules`.
"""

from __future__ import annotations

import pytest

from tests.rules.accuracy import write_accuracy


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    if not config.pluginmanager.has_plugin("tests.rules.accuracy"):
        write_accuracy(terminalreporter)


@pytest.fixture(scope="session")
def vocab():
    from rules.vocabulary import default_vocabulary

    return default_vocabulary()
