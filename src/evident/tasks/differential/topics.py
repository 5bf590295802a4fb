"""Which general-health pages of MedQuAD are about a condition (``resources/topics.json``).

Rare-disease, genetics, neurology and cancer pages (``condition_sources``) are all about
conditions. General-health topics are not: MedlinePlus also has pages about drugs
(``Statins``), nutrients, procedures (``Mastectomy``), tests, services (``Health
Insurance``), hazards (``Volcanoes``), life stages and self-care guides. As table entries
they crowded real diagnoses out of differentials (``Urine and Urination`` was in the top
10 of 10 development vignettes).

- **Labelled pages.** ``topics.json`` records, for each general-health page title of
  MedQuAD (normalised as the table names it), whether a clinician would list it as a
  diagnosis. The labels are the project's own, written from the titles (and a page's
  first sentence where a title was ambiguous), never from a vignette.
- **Pages without a label** (a newer MedQuAD, another build input) are judged by a
  logistic regression over the MiniLM embeddings of the title and the page's first
  sentence, trained on the labels (:func:`fit_judge`), when the ``embeddings`` extra is
  installed; without it they are kept. :func:`heldout_figures` measures the judge on
  labelled pages it was not trained on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from evident.errors import ConfigError
from evident.tasks.differential.lexicon import load_resource

__all__ = [
    "MIN_LABELLED",
    "Judge",
    "Topics",
    "fit_judge",
    "heldout_figures",
    "load_topics",
    "page_vectors",
    "topic_text",
]

_HEADING = re.compile(r"^\s*(?:summary|key points)\s*:\s*", re.I)
MIN_LABELLED = 10
"""Labelled pages of each kind the build input must hold before the judge is fitted."""
MAX_LOST = 0.01
"""Share of labelled conditions the judge may remove (out of fold) when its cutoff is chosen."""


class _TopicsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    version: int
    about: str
    condition_sources: list[str] = Field(min_length=1)
    labels: dict[str, bool] = Field(min_length=2)


@dataclass(frozen=True)
class Topics:
    """The labelled page titles and the sources whose pages are all conditions."""

    labels: Mapping[str, bool]
    condition_sources: frozenset[str]

    def needs_judging(self, key: str, sources: set[str]) -> bool:
        """A page with no label from a general-health source only."""
        return key not in self.labels and not sources & self.condition_sources


@cache
def load_topics() -> Topics:
    """Load and validate ``topics.json``.

    Raises:
        ConfigError: The file is missing or does not match its schema.
    """
    data = load_resource(_TopicsFile, "topics.json", "differential topics file")
    if all(data.labels.values()) or not any(data.labels.values()):
        raise ConfigError("differential topics file needs pages of both kinds")
    return Topics(dict(data.labels), frozenset(data.condition_sources))


def topic_text(title: str, answer: str, chars: int = 200) -> str:
    """What the judge reads of a page: its title and the start of its first answer."""
    return f"{title}. {_HEADING.sub('', ' '.join(answer.split()))[:chars]}"


def page_vectors(pages: Sequence[tuple[str, str]]) -> Any:
    """The judge's features of (title, first answer) pages: the title's unit embedding
    beside that of :func:`topic_text` (chosen over the text alone by cross-validation on
    the labelled pages outside the held-out 40%: 88 against 73 of 137 removed at 4 of
    the 399 conditions)."""
    import numpy as np

    from evident.tasks.differential.dense import encode_profiles

    titles = encode_profiles([title for title, _ in pages])
    texts = encode_profiles([topic_text(title, answer) for title, answer in pages])
    return np.hstack([titles, texts])


@dataclass(frozen=True)
class Judge:
    """A fitted page judge: removes a page whose probability of a condition is < ``cutoff``."""

    model: Any
    cutoff: float

    def conditions(self, vectors: Any) -> list[bool]:
        """Whether each page (rows of unit embeddings) is kept as a condition."""
        return [bool(p >= self.cutoff) for p in self.model.predict_proba(vectors)[:, 1]]


def _model() -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced")


def _cutoff(vectors: Any, labels: Sequence[bool], folds: int = 5) -> float:
    """The highest cutoff that removes at most ``MAX_LOST`` of the conditions, out of fold."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    y = np.asarray(labels)
    cv = StratifiedKFold(n_splits=folds, shuffle=True, random_state=0)
    p = cross_val_predict(_model(), vectors, y, cv=cv, method="predict_proba")[:, 1]
    allowed = int(MAX_LOST * y.sum())
    # removing below the (allowed+1)-th lowest condition probability loses `allowed` of them
    return float(np.sort(p[y])[allowed])


def fit_judge(vectors: Any, labels: Sequence[bool]) -> Judge:
    """Fit the judge on labelled pages' embeddings; the cutoff is chosen out of fold."""
    import numpy as np

    cutoff = _cutoff(vectors, labels)
    return Judge(_model().fit(vectors, np.asarray(labels)), cutoff)


def _heldout(key: str) -> bool:
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % 5 < 2


def heldout_figures(keys: Sequence[str], vectors: Any, labels: Sequence[bool]) -> dict[str, int]:
    """Fit on 60% of the labelled pages (by a hash of the title), count on the other 40%."""
    import numpy as np

    test = np.array([_heldout(k) for k in keys])
    y = np.asarray(labels)
    judge = fit_judge(vectors[~test], list(y[~test]))
    kept = np.array(judge.conditions(vectors[test]))
    truth = y[test]
    return {
        "pages": int(test.sum()),
        "not_conditions": int((~truth).sum()),
        "not_conditions_removed": int((~kept & ~truth).sum()),
        "conditions": int(truth.sum()),
        "conditions_removed": int((~kept & truth).sum()),
    }
