"""``evident bench kb answers``: which sentence the offline ``ask`` cites, for hand judging.

Questions come from PubMedQA and MedQuAD; each is asked of a knowledge base built from
its own data set (every PubMedQA context, every MedQuAD answer) through the offline
engine's sentence selection. The bench prints the question and the sentence cited first,
and, with ``--judgments``, scores them against a reader's judgments (a JSON object
``{case key: true|false}``, the key naming a question and its cited sentence: would a
reader accept that sentence as the answer?).

Questions are split into halves by a hash of their id: ``dev`` (read while developing)
and ``test`` (judged once, reported).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from evident.errors import InputError

__all__ = ["AnswerCase", "answer_cases", "load_questions", "score_judgments"]

Split = Literal["dev", "test"]


@dataclass(frozen=True)
class AnswerCase:
    """One question and the sentence the offline engine cites first.

    Attributes:
        id: ``pubmedqa:<pmid>`` or the MedQuAD record's id.
        dataset: ``pubmedqa`` or ``medquad``.
        question: The question asked.
        sentence: The first cited sentence, or ``""`` when the engine abstained.
        passage: The cited passage's id, or ``""``.
    """

    id: str
    dataset: str
    question: str
    sentence: str
    passage: str

    @property
    def key(self) -> str:
        """What a judgment is keyed by: the question and the sentence cited for it."""
        text = f"{self.id}\n{' '.join(self.sentence.split())}"
        return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:12]


def _split_of(qid: str) -> Split:
    return "dev" if hashlib.sha1(qid.encode()).digest()[0] % 2 == 0 else "test"


def _spread(items: list[tuple[str, str]], n: int, sample: int = 0) -> list[tuple[str, str]]:
    """``n`` items evenly spread over the list; ``sample`` k shifts every pick by k places,
    so samples 0, 1, 2... are disjoint while ``n * (sample + 1)`` fits in the list."""
    if n >= len(items):
        return items
    step = len(items) / n
    return [items[(int(i * step) + sample) % len(items)] for i in range(n)]


def load_questions(data: Path, dataset: str) -> list[tuple[str, str]]:
    """``(id, question)`` pairs of a PubMedQA JSON or MedQuAD JSONL file.

    Raises:
        InputError: The file cannot be read as that data set.
    """
    from evident.kb.parse_jsonl import medquad_doc_id

    try:
        if dataset == "pubmedqa":
            items = json.loads(data.read_bytes())
            return [(f"pubmedqa:{k}", str(v.get("QUESTION", ""))) for k, v in items.items()]
        out = []
        for line in data.read_text("utf-8").splitlines():
            rec = json.loads(line)
            if rec.get("answer") and rec.get("question"):
                out.append(
                    (medquad_doc_id(str(rec.get("url") or ""), rec["question"]), rec["question"])
                )
        return list(dict.fromkeys(out))
    except (OSError, ValueError, AttributeError, KeyError) as exc:
        raise InputError(
            f"cannot read {dataset} data '{data.name}': {type(exc).__name__}"
        ) from None


def answer_cases(
    datasets: dict[str, Path], n: int, split: Split, workdir: Path, sample: int = 0
) -> Iterator[AnswerCase]:
    """Ask ``n`` questions of ``split`` (half from each data set given) offline.

    Args:
        datasets: ``{"pubmedqa": path, "medquad": path}`` (either may be left out).
        n: Questions in all, shared evenly between the data sets.
        split: ``dev`` or ``test``.
        workdir: Where to build the knowledge bases.
        sample: Which of the disjoint evenly spread samples to ask (0, 1, ...).
    """
    from evident.kb import KnowledgeBase
    from evident.tasks.evidence_qa.evidence import build_source
    from evident.tasks.evidence_qa.offline import answer_offline
    from evident.tasks.evidence_qa.settings import load_settings

    settings = load_settings()
    each = max(1, n // max(1, len(datasets)))
    for name, path in sorted(datasets.items()):
        questions = [q for q in load_questions(path, name) if q[1].strip()]
        chosen = _spread([q for q in questions if _split_of(q[0]) == split], each, sample)
        with KnowledgeBase(workdir / name, create=True) as kb:
            kb.ingest([path], progress=False)
            for qid, question in chosen:
                hits = kb.search(question, k=5)
                passages = build_source(hits).segments if hits else ()
                answer = answer_offline(question, passages, settings)
                first = answer.choices[0] if answer.choices else None
                yield AnswerCase(
                    qid,
                    name,
                    question,
                    first.text if first else "",
                    first.passage_id if first else "",
                )


def score_judgments(cases: list[AnswerCase], judgments: dict[str, bool]) -> tuple[int, int]:
    """``(accepted, judged)`` over the cases a reader judged (abstentions count as not)."""
    judged = [c for c in cases if c.key in judgments]
    accepted = sum(1 for c in judged if c.sentence and judgments[c.key])
    return accepted, len(judged)
