"""Combine writers' items into one held-back file: python combine.py OUT FILE...

Checks that ids are unique across the given files and the repository's other labelled
parts, and that every event converts; it never classifies anything (a held-back part is
scored once, by the test suite, when the rules work is finished)."""

import json
import sys
from pathlib import Path

out, files = Path(sys.argv[1]), sys.argv[2:]
repo = Path(__file__).resolve().parents[4]
items = []
for f in files:
    part = json.loads(Path(f).read_text(encoding="utf-8"))
    items += part
    print(f, len(part))
ids = [i["event"]["id"] for i in items]
assert len(ids) == len(set(ids)), "duplicate ids"
others = set()
for p in (repo / "tests/data/labelled").glob("*.json"):
    if p.resolve() == out.resolve():
        continue
    data = json.loads(p.read_text(encoding="utf-8"))
    data = data["items"] if isinstance(data, dict) else data
    others |= {i["event"]["id"] for i in data}
clash = set(ids) & others
assert not clash, f"ids also in other parts: {sorted(clash)[:5]}"
sys.path.insert(0, str(repo))
from sync.google.convert import event_from_api  # noqa: E402  (conversion only)

for i in items:
    event_from_api(i["event"], calendar_id="labelled")
out.write_text(json.dumps(items, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(out, len(items))
