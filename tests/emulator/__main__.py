"""`python -m tests.emulator --port 8089 --seed-events N`: serve until Ctrl-C."""

from __future__ import annotations

import argparse
import datetime as dt
import time

from .pytest_plugin import TEST_SCOPES, TEST_TOKEN
from .server import CalendarEmulator


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.emulator", description="Loopback Google Calendar API emulator."
    )
    parser.add_argument("--port", type=int, default=8089)
    parser.add_argument(
        "--seed-events",
        type=int,
        default=0,
        metavar="N",
        help="put N one-hour events into the primary calendar",
    )
    parser.add_argument("--token", default=TEST_TOKEN, help="bearer token to accept")
    args = parser.parse_args(argv)
    emu = CalendarEmulator(port=args.port)
    emu.allow_token(args.token, TEST_SCOPES)
    base = dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC)
    emu.put_events(
        emu.primary_id,
        (
            {
                "summary": f"Seed event {i}",
                "start": {"dateTime": (base + dt.timedelta(hours=i)).isoformat()},
                "end": {"dateTime": (base + dt.timedelta(hours=i, minutes=45)).isoformat()},
            }
            for i in range(args.seed_events)
        ),
    )
    with emu:
        print(emu.root, flush=True)
        print(
            f"token: {args.token}  primary: {emu.primary_id}  api_endpoint: "
            f"{emu.api_endpoint}  batch_uri: {emu.batch_uri}",
            flush=True,
        )
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
