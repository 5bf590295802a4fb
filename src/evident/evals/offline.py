"""The offline engine for benchmarks: answers by lexical retrieval from the item's
context, or abstains. No model and no network; every answer it gives is labelled
``offline-lexical`` in the records.

- Yes/no/maybe items with context (PubMedQA): retrieve the context sentences that share
  most words with the question, weight conclusion-like sentences, and read polarity cues
  (``resources/offline_cues.yaml``): negation leans "no", hedging leans "maybe".
- Other items with context: the option whose words overlap most with the retrieved
  sentences; abstain on a tie.
- Items without context (MCQ exams, MEDEC): abstain (counted wrong, reported apart).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from evident.errors import ConfigError
from evident.evals.items import EvalItem

__all__ = ["ENGINE", "OfflineAnswer", "content_words", "offline_answer"]

ENGINE = "offline-lexical/1"
_WORD = re.compile(r"[a-z0-9]+")
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


class _Cues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    version: int
    conclusion_markers: tuple[str, ...]
    negative: tuple[str, ...]
    hedging: tuple[str, ...]
    stopwords: frozenset[str]


@cache
def _cues() -> _Cues:
    text = resources.files("evident.evals").joinpath("resources/offline_cues.yaml").read_text()
    try:
        return _Cues.model_validate(yaml.safe_load(text))
    except (ValidationError, yaml.YAMLError) as exc:
        raise ConfigError(f"invalid offline_cues.yaml: {exc}") from None


@cache
def _cue_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")


@dataclass(frozen=True)
class OfflineAnswer:
    """The engine's output: a letter, or None when it abstains, and the raw record."""

    letter: str | None
    raw: str

    @property
    def abstained(self) -> bool:
        """True when the engine gave no answer."""
        return self.letter is None


def content_words(text: str) -> set[str]:
    """Lower-case words of 3+ letters that are not stopwords (``offline_cues.yaml``)."""
    stop = _cues().stopwords
    return {w for w in _WORD.findall(text.lower()) if w not in stop and len(w) > 2}


def _retrieve(item: EvalItem, k: int = 3) -> list[tuple[float, str]]:
    """Top-k context sentences by word overlap with the question, conclusions boosted."""
    query = content_words(item.question)
    markers = _cue_pattern(_cues().conclusion_markers)
    scored = []
    sentences = [s for passage in item.context for s in _SENT.split(passage) if s.strip()]
    for pos, sentence in enumerate(sentences):
        overlap = len(query & content_words(sentence))
        boost = 2.0 if markers.search(sentence.lower()) else 0.0
        recency = pos / max(1, len(sentences))  # conclusions come last in abstracts
        scored.append((overlap + boost + recency, sentence))
    scored.sort(key=lambda pair: -pair[0])
    return scored[:k]


def _yes_no_maybe(item: EvalItem, top: list[tuple[float, str]]) -> str | None:
    letters = {v.strip().lower(): k for k, v in item.options.items()}
    text = " ".join(s for _, s in top).lower()
    negative = len(_cue_pattern(_cues().negative).findall(text))
    hedging = len(_cue_pattern(_cues().hedging).findall(text))
    if negative > hedging and negative >= 1:
        return letters.get("no")
    if hedging >= 2 and "maybe" in letters:
        return letters.get("maybe")
    return letters.get("yes")


def _best_option(item: EvalItem, top: list[tuple[float, str]]) -> str | None:
    words = content_words(" ".join(s for _, s in top))
    scores = {k: len(content_words(v) & words) for k, v in item.options.items()}
    best = max(scores.values(), default=0)
    winners = [k for k, v in scores.items() if v == best]
    return winners[0] if best > 0 and len(winners) == 1 else None


def offline_answer(item: EvalItem) -> OfflineAnswer:
    """Answer an item without a model, or abstain.

    Returns:
        The letter (None when abstaining) and a JSON raw output naming the engine and the
        retrieved evidence sentences' positions.
    """
    if not item.context or item.kind != "mcq":
        raw = {"engine": ENGINE, "abstained": True, "reason": "no context to retrieve from"}
        return OfflineAnswer(None, json.dumps(raw))
    top = _retrieve(item)
    yes_no = {v.strip().lower() for v in item.options.values()} <= {"yes", "no", "maybe"}
    if yes_no:
        letter = _yes_no_maybe(item, top)
    else:  # the best-matching sentence decides; more sentences only break a tie
        letter = _best_option(item, top[:1]) or _best_option(item, top)
    raw = {"engine": ENGINE, "answer_choice": letter, "abstained": letter is None}
    return OfflineAnswer(letter, json.dumps(raw))
