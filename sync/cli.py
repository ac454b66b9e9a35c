"""The `followup` entry point and the top-level help.

This module stays light on purpose: `followup --help` is answered from the command
table (`sync.command_table`) without importing click or any command (STYLE: heavy imports only where
needed), so it costs little more than starting Python. Everything else goes to
`sync.app`, the click application, which imports each command only when it runs.
"""

from __future__ import annotations

import sys
import textwrap

from sync.command_table import ABOUT, COMMANDS, EXAMPLE


def top_help() -> str:
    """`followup --help`, from the same texts the click group shows."""
    width = max(len(name) for name in COMMANDS)
    lines = [
        "Usage: followup [OPTIONS] COMMAND [ARGS]...",
        "",
        *textwrap.wrap(ABOUT, 78, initial_indent="  ", subsequent_indent="  "),
        "",
        "  Example:",
        f"    {EXAMPLE}",
        "",
        "Options:",
        "  --version   Show the version and exit.",
        "  -h, --help  Show this message and exit.",
        "",
        "Commands:",
        *(f"  {name:<{width}}  {COMMANDS[name][1]}" for name in sorted(COMMANDS)),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    """Console entry point."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args in (["--help"], ["-h"]):
        sys.stdout.write(top_help())
        sys.exit(0)
    from sync.app import run

    sys.exit(run(args))


if __name__ == "__main__":
    main()
