"""A local `.ics` calendar (an Outlook, Apple or Google export) as a source.

Its identity is the file's absolute path, so two files keep their own reminders. Event
ids are the UIDs (calendar id `ics`: UIDs are global), so the same interview exported
again under another name keeps its reminder.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from sync.sources.base import SourceRead
from sync.statusdb import StatusDB


def identity_of(path: Path) -> str:
    return f"file:{Path(path).expanduser().resolve()}"


@dataclass
class IcsFileSource:
    path: Path
    self_emails: Collection[str] = ()

    @property
    def identity(self) -> str:
        return identity_of(self.path)

    def read(self, status: StatusDB, known_keys: set[str]) -> SourceRead:
        from sync.ics.reader import read_ics

        del status, known_keys  # a file is read whole; nothing to look up
        source = read_ics(self.path, self_emails=self.self_emails)
        return SourceRead(
            identity=self.identity,
            label=str(self.path),
            events=list(source.events),
            timezone=source.timezone,
            warnings=list(source.warnings),
        )
