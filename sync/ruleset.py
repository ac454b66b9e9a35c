"""The rules a pass uses, loaded when first needed, and what they are made of.

A pass needs the vocabulary only to read a changed calendar and to classify an event it
has not judged before. An unchanged calendar needs neither: its candidates were kept
(`sync.eventcodec`) and its verdicts too (`sync.verdicts`). So the vocabulary (the
built-in TOML parsed, the user's rules file merged in: about 25 ms, a good part of an
unchanged pass over a small calendar) is loaded only when something asks for it.

What the rules are made of is known without loading them (`RuleSet.made_of`): the code
that reads and judges events (`code_digest`), the built-in vocabulary file and the
user's rules file (by content). Everything remembered from an
earlier pass is keyed by it, so an upgrade, an edited rule or a new word in the rules
file makes the next pass work its candidates and verdicts out again.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import sys
from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from rules.vocabulary import Vocabulary

__all__ = ["RuleSet", "code_digest"]

# The code whose changes can change a verdict or the candidates a calendar gives:
# the rules, the readers, and how events and verdicts are kept.
_CODE = ("rules", "sync/ics", "sync/sources", "sync/eventcodec.py", "sync/verdicts.py")


@functools.cache
def code_digest() -> str:
    """The code that turns a calendar into candidates and verdicts, as a digest: its
    modules (`_CODE`) by name, size and modification time (they change whenever a file
    is edited, upgraded or reinstalled; the contents are not read), icalendar's version
    file the same way, and the Python version. About 0.5 ms."""
    root = Path(__file__).resolve().parent.parent
    parts: list[object] = [sys.version]
    for name in _CODE:
        where = root / name
        files = sorted(where.iterdir()) if where.is_dir() else [where]
        for path in files:
            if path.suffix in (".py", ".toml"):
                stat = path.stat()
                parts.append((name, path.name, stat.st_size, stat.st_mtime_ns))
    spec = importlib.util.find_spec("icalendar")
    if spec is not None and spec.origin:
        for file in ("__init__.py", "_version.py", "version.py"):
            path = Path(spec.origin).parent / file
            if path.exists():
                stat = path.stat()
                parts.append(("icalendar", file, stat.st_size, stat.st_mtime_ns))
    payload = json.dumps(parts).encode()
    return hashlib.blake2b(payload, digest_size=16).hexdigest()


class RuleSet:
    """The vocabulary of a pass (`vocab`, loaded on first use) and the fingerprint of
    what it is made of (`made_of`, known at once)."""

    def __init__(self, load: Callable[[], Vocabulary], made_of: str) -> None:
        self._load = load
        self.made_of = made_of

    @cached_property
    def vocab(self) -> Vocabulary:
        return self._load()

    @property
    def loaded(self) -> bool:
        return "vocab" in self.__dict__

    @classmethod
    def of(cls, vocab: Vocabulary) -> RuleSet:
        """A vocabulary already loaded (tests, `classify`): its fingerprint is taken
        from its terms and settings."""
        terms = sorted((t.category, t.name, t.weight, t.source or "") for t in vocab.terms)
        payload = json.dumps(
            [
                code_digest(),
                terms,
                repr(vocab.thresholds),
                list(vocab.field_weights),
                sorted(vocab.ignored_domains),
                list(vocab.only_fields),
            ],
            ensure_ascii=False,
        )
        made_of = hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()
        ruleset = cls(lambda: vocab, made_of)
        ruleset.__dict__["vocab"] = vocab
        return ruleset

    @classmethod
    def from_text(
        cls, load: Callable[[], Vocabulary], builtin: bytes, user: str | None, origin: str | None
    ) -> RuleSet:
        """A vocabulary still to be loaded by `load`, made of the built-in file's bytes
        and the user's rules file (its text and where it is: reasons name it)."""
        digest = hashlib.blake2b(digest_size=16)
        for part in (
            code_digest().encode(),
            builtin,
            (origin or "").encode(),
            (user or "").encode(),
        ):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return cls(load, digest.hexdigest())

    def key(self, *parts: str) -> str:
        """A key for something worked out with these rules from `parts`."""
        payload = json.dumps([self.made_of, *parts], ensure_ascii=False)
        return hashlib.blake2b(payload.encode(), digest_size=16).hexdigest()
