"""Shape check for a corpus writer's items.json (shape only, never the rules).

python3 check.py ITEMS.json PREFIX
"""

import datetime as dt
import json
import re
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

SIDES = {"candidate", "interviewer", "neither"}
KINDS = {"interview", "about", "other"}
CLASSES = {
    "positive",
    "1-interviewer",
    "2-about",
    "3-context-word",
    "4-no-interview-word",
    "5-conferencing",
    "6-allday",
    "7-language",
}
LANGS = {"en", "fr", "de", "es", "it", "pt", "nl"}
LO, HI = dt.date(2026, 11, 2), dt.date(2027, 3, 31)


def main(path, prefix):
    items = json.loads(Path(path).read_text(encoding="utf-8"))
    errors = []
    seen = set()
    idre = re.compile(rf"^{prefix}\d{{4}}[a-v]*$")
    for n, item in enumerate(items):
        where = f"item {n}"
        try:
            ev, ex = item["event"], item["expect"]
        except (KeyError, TypeError):
            errors.append(f"{where}: needs 'event' and 'expect'")
            continue
        eid = ev.get("id", "")
        where = f"item {n} ({eid})"
        if not idre.match(eid):
            errors.append(f"{where}: id must match {idre.pattern}")
        if eid in seen:
            errors.append(f"{where}: duplicate id")
        seen.add(eid)
        if ev.get("kind") != "calendar#event":
            errors.append(f"{where}: kind must be calendar#event")
        if ev.get("status") not in {"confirmed", "tentative", "cancelled"}:
            errors.append(f"{where}: status")
        for key in ("summary", "start", "end"):
            if key not in ev:
                errors.append(f"{where}: missing {key}")
        selves = [a for a in ev.get("attendees", []) if a.get("self")]
        if len(selves) != 1:
            errors.append(f"{where}: exactly one self attendee needed")
        elif selves[0].get("responseStatus") not in {
            "accepted",
            "needsAction",
            "tentative",
            "declined",
        }:
            errors.append(f"{where}: self responseStatus")
        for end in ("start", "end"):
            t = ev.get(end, {})
            if "date" in t:
                d = dt.date.fromisoformat(t["date"])
            elif "dateTime" in t:
                moment = dt.datetime.fromisoformat(t["dateTime"])
                if moment.utcoffset() is None:
                    errors.append(f"{where}: {end} needs an offset")
                    continue
                zone = t.get("timeZone")
                if not zone:
                    errors.append(f"{where}: {end} needs timeZone")
                    continue
                local = moment.astimezone(ZoneInfo(zone))
                if local.utcoffset() != moment.utcoffset():
                    errors.append(f"{where}: {end} offset disagrees with {zone}")
                d = moment.date()
            else:
                errors.append(f"{where}: {end} needs date or dateTime")
                continue
            if not (LO <= d <= HI + dt.timedelta(days=5)):
                errors.append(f"{where}: {end} date out of range")
        if not isinstance(ex.get("interview"), bool):
            errors.append(f"{where}: expect.interview must be bool")
        if ex.get("interview") and ex.get("stage") not in {"phone", "final"}:
            errors.append(f"{where}: an interview needs stage phone or final")
        if not ex.get("interview") and ex.get("stage") is not None:
            errors.append(f"{where}: stage must be null when not an interview")
        if ex.get("side") not in SIDES:
            errors.append(f"{where}: side")
        if ex.get("kind") not in KINDS:
            errors.append(f"{where}: kind")
        if ex.get("class") not in CLASSES:
            errors.append(f"{where}: class")
        if not isinstance(ex.get("hard_rule"), bool):
            errors.append(f"{where}: hard_rule must be bool")
        if ex.get("language") not in LANGS:
            errors.append(f"{where}: language")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", ex.get("producer") or ""):
            errors.append(f"{where}: producer lowercase-with-dashes")
        if not ex.get("note"):
            errors.append(f"{where}: note")
        if (
            ex.get("interview")
            and not ex.get("hard_rule")
            and (ex.get("side"), ex.get("kind")) != ("candidate", "interview")
        ):
            errors.append(f"{where}: an interview is side candidate, kind interview")
    for e in errors[:60]:
        print(e)
    print(f"{len(items)} items, {len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
