"""Print the "Counts" tables of ../README.md for every invites part:

    .venv/bin/python tests/data/labelled/writers/counts.py

Counts only (items, interviews, labels); it never classifies anything."""

import json
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[1]
PARTS = sorted(DATA.glob("invites_tune*.json"), key=lambda p: (len(p.stem), p.stem))
PARTS.append(DATA / "invites_holdout.json")


def _name(path: Path) -> str:
    return path.stem.removeprefix("invites_")


def _load(path: Path) -> list[dict]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return data["items"] if isinstance(data, dict) else data


def _cell(items: list[dict]) -> str:
    if not items:
        return "–"
    pos = sum(1 for i in items if i["expect"]["interview"])
    return f"{len(items)} ({pos}/{len(items) - pos})"


def _table(title: str, key, parts: dict[str, list[dict]]) -> list[str]:
    head = "| " + title + " | " + " | ".join(f"{n} (pos/neg)" for n in parts) + " |"
    rows = [head, "|" + "---|" * (len(parts) + 1)]
    values = sorted({key(i) for items in parts.values() for i in items})
    for value in values:
        cells = [_cell([i for i in items if key(i) == value]) for items in parts.values()]
        rows.append(f"| {value} | " + " | ".join(cells) + " |")
    rows.append("| **total** | " + " | ".join(_cell(items) for items in parts.values()) + " |")
    return rows


def main() -> None:
    parts = {_name(p): _load(p) for p in PARTS}
    lines = ["Each cell: items (interviews / not interviews).", ""]
    for title, field in (("producer", "producer"), ("language", "language"), ("class", "class")):
        lines += _table(title, lambda i, f=field: i["expect"][f] or "-", parts) + [""]
    for name, items in parts.items():
        ex = [i["expect"] for i in items]
        stages = Counter(e["stage"] for e in ex if e["interview"])
        zones = {i["event"]["start"].get("timeZone") for i in items} - {None}
        lines.append(
            f"- **{name}**: stage phone {stages['phone']}, final {stages['final']}; "
            f"side {dict(Counter(e['side'] for e in ex))}; "
            f"kind {dict(Counter(e['kind'] for e in ex))}; "
            f"{sum(1 for e in ex if e.get('hard_rule'))} hard-rule items; "
            f"{sum(1 for i in items if 'date' in i['event']['start'])} all-day events; "
            f"{len(zones)} time zones; {sum(1 for e in ex if not e['interview'])} of {len(items)} "
            "not interviews."
        )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
