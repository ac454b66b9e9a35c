"""A small launcher: run one command, report its wall time and its own peak RSS.

    python -I -S bench/spawn.py RESULT_FILE -- ARGV...

Why a launcher: on Linux a child's `ru_maxrss` includes the memory of the process it
was forked or vforked from (exec records the old address space's high-water mark), so
a child spawned straight from the benchmark, which holds a 50k-event emulator, would be
charged for the emulator. Spawned from this ~8 MB interpreter instead, the figure is
max(8 MB, the child's own peak), and every child measured is a Python bigger than this.
Only `os` and `time` are used (both loaded at start-up with -S) to keep it small.

Writes "wall_seconds maxrss_kib exit_code" to RESULT_FILE; stdout/stderr/cwd/env are
inherited from whoever started the launcher.
"""

import os
import sys
import time


def main() -> None:
    result_file = sys.argv[1]
    argv = sys.argv[sys.argv.index("--") + 1 :]
    started = time.perf_counter()
    pid = os.posix_spawnp(argv[0], argv, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - started
    with open(result_file, "w") as fh:
        fh.write(f"{wall!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")


main()
