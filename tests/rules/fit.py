"""Fit the veto's weights (`rules/fitted.json`) from the labelled tuning sets.

    python -m tests.rules.fit            # refit and write rules/fitted.json
    python -m tests.rules.fit --check    # exit 1 if the shipped weights are stale

Trains on `events.json` and every tuning part (`TUNE_PARTS`), never on the held-back
part. Deterministic: the same data gives the same file, byte for byte (a fixed
shuffle seed, rounded weights), so a test can tell when the data changed and the
weights were not refitted. Pure Python: about half a minute on a laptop.
"""

from __future__ import annotations

import hashlib
import math
import random
import sys
from collections.abc import Sequence
from pathlib import Path

from rules.fitted import RESOURCE, FittedModel, features
from tests.rules.accuracy import LABELLED, TUNE_PARTS, load

OUT = Path(__file__).resolve().parents[2] / "rules" / RESOURCE

EPOCHS = 12
RATE = 0.05
L2 = 1e-5
SEED = 1
# Smaller weights are left out of the file: on the development folds they changed no
# verdict, and the file is a tenth of the size.
KEEP = 0.1
DIGITS = 3


def training_files() -> list[Path]:
    return [LABELLED, *(path for path, _ in TUNE_PARTS)]


def data_hashes(paths: Sequence[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def samples(items: Sequence[dict]) -> list[tuple[list[str], int]]:
    """(features, 1 if the user's own interview else 0) per labelled item."""
    from rules.classify import _read
    from rules.vocabulary import default_vocabulary
    from sync.google.convert import event_from_api

    vocab = default_vocabulary()
    out = []
    for item in items:
        event = event_from_api(item["event"], calendar_id="labelled")
        names = features(event, _read(event, vocab).fields, vocab.ignores_domain)
        out.append((names, 1 if item["expect"]["interview"] else 0))
    return out


def fit(
    data: Sequence[tuple[list[str], int]],
    *,
    epochs: int = EPOCHS,
    rate: float = RATE,
    l2: float = L2,
    seed: int = SEED,
) -> dict[str, float]:
    """Logistic regression by stochastic gradient descent, the rate decaying per epoch."""
    weights: dict[str, float] = {}
    order = list(range(len(data)))
    shuffle = random.Random(seed).shuffle
    for epoch in range(epochs):
        shuffle(order)
        eta = rate / (1 + epoch * 0.5)
        for i in order:
            names, label = data[i]
            z = max(-60.0, min(60.0, sum(weights.get(n, 0.0) for n in names)))
            gradient = 1.0 / (1.0 + math.exp(-z)) - label
            for n in names:
                w = weights.get(n, 0.0)
                weights[n] = w - eta * (gradient + l2 * w)
    return weights


def pruned(weights: dict[str, float]) -> dict[str, float]:
    return {n: round(w, DIGITS) for n, w in weights.items() if abs(w) >= KEEP or n == "bias"}


def build(paths: Sequence[Path]) -> FittedModel:
    items = [item for path in paths for item in load(path)]
    return FittedModel(pruned(fit(samples(items))), data_hashes(paths))


def main(argv: Sequence[str]) -> int:
    paths = training_files()
    if "--check" in argv:
        shipped = FittedModel.from_json(OUT.read_text(encoding="utf-8"), str(OUT))
        if dict(shipped.trained_on) != data_hashes(paths):
            print(f"{OUT}: fitted on other data; run: python -m tests.rules.fit", file=sys.stderr)
            return 1
        return 0
    model = build(paths)
    OUT.write_text(model.to_json(), encoding="utf-8")
    print(f"{OUT}: {len(model.weights)} weights from {', '.join(p.name for p in paths)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
