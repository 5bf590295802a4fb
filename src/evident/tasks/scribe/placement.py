"""Section placement learned from reference notes: a small naive Bayes over note parts.

Each candidate sentence of the offline engine is labelled with the part of the reference
note (``history``, ``exam``, ``assessment_plan``) whose sentence shares the most content
words with it (at least 3); a multinomial naive Bayes learns the part from the sentence's
content words, the engine's rule category and the speaker. The model ships as
``resources/placement.json`` (counts of features seen at least ``min_count`` times) and
is rebuilt, reproducibly, with::

    evident bench scribe-placement --data ../shared/datasets/aci-bench/train.csv \\
        --out src/evident/tasks/scribe/resources/placement.json

On 2-fold cross-validation within ACI-Bench train it placed 82.2% / 85.4% of matched
sentences in the reference's part, against 76.0% / 80.5% for the rules alone.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Any

from evident.errors import ConfigError

__all__ = ["PART_OF", "PlacementModel", "examples", "features", "load_model", "train_model"]

#: The note part of each engine category.
PART_OF = {
    "chief_complaint": "history",
    "hpi": "history",
    "ros": "history",
    "exam": "exam",
    "results": "exam",
    "assessment": "assessment_plan",
    "plan": "assessment_plan",
}
_WEIGHT = 3  # the category and speaker features count like this many words


def features(words: Iterable[str], category: str, speaker: str | None) -> list[str]:
    """The features of one sentence: its content words, its rule category, its speaker."""
    return [*words] + [f"cat={category}", f"spk={speaker}"] * _WEIGHT


@dataclass(frozen=True)
class PlacementModel:
    """Multinomial naive Bayes over note parts (add-one smoothing)."""

    prior: dict[str, int]
    counts: dict[str, dict[str, int]]

    @cached_property
    def _vocab(self) -> frozenset[str]:
        return frozenset(f for c in self.counts.values() for f in c)

    @cached_property
    def _totals(self) -> dict[str, int]:
        return {p: sum(c.values()) for p, c in self.counts.items()}

    def predict(self, feats: Sequence[str]) -> str:
        """The most probable note part for these features."""
        vocab, size = self._vocab, len(self._vocab)
        known = [f for f in feats if f in vocab]
        best, top = "", -math.inf
        for part, n in self.prior.items():
            c = self.counts.get(part, {})
            total = self._totals.get(part, 0)
            score = math.log(n) + sum(math.log((c.get(f, 0) + 1) / (total + size)) for f in known)
            if score > top:
                best, top = part, score
        return best

    def to_json(self) -> dict[str, Any]:
        """The model as the JSON resource."""
        return {"version": 1, "prior": self.prior, "counts": self.counts}


def examples(pairs: Iterable[tuple[str, str]], min_shared: int = 3) -> list[tuple[list[str], str]]:
    """Labelled examples from (dialogue, reference note) pairs.

    Each candidate sentence of the engine gets the part of the reference sentence sharing
    the most content words with it (at least ``min_shared``); others are left out.
    """
    from evident.sources import load_source
    from evident.tasks.scribe.engine import candidates
    from evident.tasks.scribe.quality import content_words, reference_parts

    out: list[tuple[list[str], str]] = []
    for dialogue, note in pairs:
        pool, *_ = candidates([load_source(dialogue, kind="transcript")])
        refs = reference_parts(load_source(note, kind="note", name="reference"))
        for u in pool:
            words = content_words(u.note or u.text)
            best = max(refs, key=lambda r: len(words & r[1]), default=None)
            if best is not None and len(words & best[1]) >= min_shared:
                out.append((features(sorted(words), u.category, u.speaker), best[0]))
    return out


def train_model(examples: Iterable[tuple[list[str], str]], min_count: int = 3) -> PlacementModel:
    """Learn the model from (features, part) examples, keeping features seen min_count times."""
    prior: Counter[str] = Counter()
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    seen: Counter[str] = Counter()
    data = list(examples)
    for feats, part in data:
        prior[part] += 1
        seen.update(feats)
    for feats, part in data:
        counts[part].update(f for f in feats if seen[f] >= min_count)
    return PlacementModel(
        dict(sorted(prior.items())),
        {p: dict(sorted(c.items())) for p, c in sorted(counts.items())},
    )


@cache
def load_model() -> PlacementModel | None:
    """The shipped model, or None when the resource is absent.

    Raises:
        ConfigError: The resource exists but is malformed.
    """
    path = resources.files("evident.tasks.scribe") / "resources" / "placement.json"
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        prior = {str(k): int(v) for k, v in data["prior"].items()}
        counts = {str(p): {str(f): int(n) for f, n in c.items()} for p, c in data["counts"].items()}
    except (OSError, ValueError, KeyError, AttributeError, TypeError) as exc:
        raise ConfigError(f"invalid scribe resource 'placement.json': {exc}") from None
    if set(prior) - set(PART_OF.values()) or not prior:
        raise ConfigError("invalid scribe resource 'placement.json': unknown note parts")
    return PlacementModel(prior, counts)
