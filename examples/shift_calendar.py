"""Move the sample calendar so its interviews fall around today (used by `make demo`).

`examples/calendar.ics` is dated around a fixed week (X-FOLLOWUP-DEMO-ANCHOR). This
shifts every event by whole weeks, so weekdays stay what they were, and writes a copy:

    python examples/shift_calendar.py examples/calendar.ics demo-out/calendar.ics
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from icalendar import Calendar


def shift(data: bytes, today: date) -> bytes:
    cal = Calendar.from_ical(data)
    anchor = date.fromisoformat(str(cal["X-FOLLOWUP-DEMO-ANCHOR"]))
    delta = timedelta(weeks=round((today - anchor).days / 7))
    for event in cal.walk("VEVENT"):
        for name in ("DTSTART", "DTEND", "RECURRENCE-ID"):
            if name in event:
                value = event.decoded(name)
                params = event[name].params
                del event[name]
                event.add(name, value + delta, parameters=params)
    cal["X-FOLLOWUP-DEMO-ANCHOR"] = (anchor + delta).strftime("%Y%m%d")
    return cal.to_ical()


def main() -> None:
    source, target = Path(sys.argv[1]), Path(sys.argv[2])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(shift(source.read_bytes(), datetime.now(UTC).date()))
    print(f"wrote {target} (sample calendar moved to this week)")


if __name__ == "__main__":
    main()
