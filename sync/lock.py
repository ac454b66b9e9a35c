"""A lock on the state directory: two overlapping runs never both write.

`flock` on a file in the data directory, taken without waiting: cron starting a pass
while the previous one (or `followup run`) is still busy gets `LockedError` (exit 75,
"try again later") and touches nothing. The kernel drops the lock when the process
dies, so a killed run never leaves a stale lock behind.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sync.errors import ConfigError, LockedError


@contextmanager
def state_lock(lock_file: Path, *, by_hand: bool = False) -> Iterator[None]:
    """`by_hand`: a person ran this (a terminal): tell them to wait and run it again,
    rather than that it "will be retried" (only cron and `followup run` retry)."""
    try:
        lock_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_file, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:  # a file where the folder should be, no permission, ...
        raise ConfigError(
            f"cannot use the data folder {lock_file.parent}: {exc.strerror or exc}",
            next_step="point FOLLOWUP_DATA_DIR at a folder you can write, or move aside "
            "what is in the way",
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read_holder(fd)
            step = (
                "nothing was changed; wait for it to finish, then run the command again"
                if by_hand
                else "nothing was changed; the next scheduled run will try again"
            )
            raise LockedError(
                f"another followup run{holder} is using {lock_file.parent}", next_step=step
            ) from None
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _read_holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode().strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""
