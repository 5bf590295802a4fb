"""Train the project's own PHI tagger: a small spaCy NER from a blank English pipeline.

The model (3.2 MB: hash embeddings of the lower-cased word, prefix, suffix and shape,
a 4-layer CNN of width 64, a transition-based tagger) is trained single-threaded from a
fixed seed on :func:`evident.privacy.synth.training.training_docs`, so the same data and
seed give the same weights. It is written to ``evident/privacy/resources/deid_ner`` and
shipped in the package: CI has no copy of the datasets it is trained from.
"""

from __future__ import annotations

import logging
import random
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evident.privacy.synth.generator import Gold

__all__ = ["TrainReport", "train"]

logger = logging.getLogger(__name__)

_WIDTH = 64
_MODEL: dict[str, Any] = {
    "@architectures": "spacy.TransitionBasedParser.v2",
    "state_type": "ner",
    "extra_state_tokens": False,
    "hidden_width": 64,
    "maxout_pieces": 2,
    "use_upper": True,
    "nO": None,
    "tok2vec": {
        "@architectures": "spacy.HashEmbedCNN.v2",
        "pretrained_vectors": None,
        "width": _WIDTH,
        "depth": 4,
        "embed_size": 3000,
        "window_size": 1,
        "maxout_pieces": 3,
        "subword_features": True,
    },
}


@dataclass(frozen=True)
class TrainReport:
    """What a training run did.

    Attributes:
        examples: Training pieces (documents cut at line ends).
        held_out: Pieces kept aside for the trainer's own check (never trained on).
        epochs: Passes over the training pieces.
        seconds: CPU seconds spent training.
        precision: Entity precision on the held-aside pieces.
        recall: Entity recall on the held-aside pieces.
        size_bytes: Size of the written model folder.
    """

    examples: int
    held_out: int
    epochs: int
    seconds: float
    precision: float
    recall: float
    size_bytes: int


def _examples(nlp: Any, pieces: Iterable[tuple[str, list[Gold]]]) -> list[Any]:
    from spacy.training import Example

    out = []
    for text, spans in pieces:
        predicted = nlp.make_doc(text)
        reference = nlp.make_doc(text)
        ents, last = [], -1
        for s, e, t in sorted(spans):
            span = reference.char_span(s, e, label=t, alignment_mode="contract")
            if span is not None and span.start >= last and len(span):
                ents.append(span)
                last = span.end
        reference.ents = ents
        out.append(Example(predicted, reference))
    return out


def train(
    pieces: list[tuple[str, list[Gold]]],
    out: Path,
    *,
    labels: Iterable[str],
    seed: int = 7,
    epochs: int = 4,
    meta: dict[str, Any] | None = None,
) -> TrainReport:
    """Train the tagger on ``pieces`` (text, gold spans) and write it to ``out``.

    A tenth of the pieces (chosen by ``seed``) is kept aside and scored at the end.
    """
    import spacy
    from spacy.util import fix_random_seed, minibatch

    fix_random_seed(seed)
    rng = random.Random(seed)
    order = list(range(len(pieces)))
    rng.shuffle(order)
    n_dev = max(1, len(order) // 10)
    nlp = spacy.blank("en")
    ner: Any = nlp.add_pipe("ner", config={"model": _MODEL})
    for label in labels:
        ner.add_label(label)
    train_ex = _examples(nlp, (pieces[i] for i in order[n_dev:]))
    dev_ex = _examples(nlp, (pieces[i] for i in order[:n_dev]))
    optimizer = nlp.initialize(lambda: train_ex[:500])
    start = time.process_time()
    from tqdm import tqdm

    for epoch in range(epochs):
        rng.shuffle(train_ex)
        losses: dict[str, float] = {}
        bar = tqdm(total=len(train_ex), desc=f"epoch {epoch + 1}", file=sys.stderr, disable=None)
        for batch in minibatch(train_ex, size=16):
            nlp.update(batch, drop=0.15, sgd=optimizer, losses=losses)
            bar.update(len(batch))
        bar.close()
        logger.info("epoch %d: loss %.1f", epoch + 1, losses.get("ner", 0.0))
    seconds = time.process_time() - start
    scores = nlp.evaluate(dev_ex)
    nlp.meta.update(
        {"name": "evident_deid_ner", "version": "1.0.0", "evident": meta or {}, "labels": {}}
    )
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return TrainReport(
        len(train_ex),
        len(dev_ex),
        epochs,
        seconds,
        float(scores.get("ents_p") or 0.0),
        float(scores.get("ents_r") or 0.0),
        size,
    )
