"""The general verify benchmark (``evident bench verify-general``).

Errors come from :mod:`evident.errorgen` (two families written from the grammar of
clinical sentences, never from the verifier's lexicons). Every clinical note sentence is
verified alone against its own source (the clean false-flag rates), then every perturbed
item; an item counts for a system only when that system supported its original sentence,
so a detection is caused by the perturbation. Each system is a column: the decision table
(full ``verify``) and each entailer alone on the verifier's retrieval candidates.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from evident.errorgen import Corpus, Item, half
from evident.types import Draft, Section, Source, Statement
from evident.verify.bench import Encounter, parse
from evident.verify.bench_retrieval import Recall, gold_segments, ranks
from evident.verify.check import verify
from evident.verify.facts import analyze
from evident.verify.index import SourceIndex
from evident.verify.options import VerifyOptions

__all__ = ["Outcome", "Prepared", "System", "prepare", "run", "systems"]

Judge = Callable[[Source, SourceIndex, Draft, str, str], str]
_FLAGS = {"unsupported", "contradicted"}


@dataclass(frozen=True)
class System:
    """A column of the table: a name and how it labels one statement."""

    name: str
    judge: Judge


@dataclass
class Outcome:
    """Labels per system: of clean sentences and of perturbed items, with their half."""

    clean: list[tuple[str, str, str, dict[str, str]]] = field(default_factory=list)
    # (encounter, half, sentence, labels)
    items: list[tuple[Item, str, dict[str, str], dict[str, str]]] = field(default_factory=list)
    # (item, half, labels of the item, labels of its original sentence)


@dataclass(frozen=True)
class Prepared:
    """An encounter parsed, with its clinical sentences and perturbed items."""

    encounter: Encounter
    source: Source
    draft: Draft
    sentences: tuple[Statement, ...]
    items: tuple[Item, ...]


def _verify_kwargs(options: VerifyOptions) -> dict[str, Any]:
    """``options=`` where verify takes it, else today's keyword arguments."""
    if "options" in inspect.signature(verify).parameters:
        return {"options": options.model_copy(update={"omissions": False})}
    return {
        "omissions": False,
        "embeddings": options.embeddings,
        "support_threshold": options.support_threshold,
    }


def _table(options: VerifyOptions) -> Judge:
    kwargs = _verify_kwargs(options)

    def judge(src: Source, index: SourceIndex, draft: Draft, text: str, section: str) -> str:
        st = Statement(id="p1", text=text, section=section)
        one = draft.model_copy(update={"sections": (Section(name=section, statements=(st,)),)})
        return verify(one, [src], **kwargs).verdicts[0].label

    return judge


def _entailer_alone(spec: str, threshold: float | None) -> Judge:
    """The entailer alone on the candidates, at ``threshold`` (None: its own cutoff)."""
    from evident.verify.entail import cutoff_of, load_entailer

    entailer = load_entailer(spec)
    cutoff = cutoff_of(entailer) if threshold is None else threshold

    def judge(src: Source, index: SourceIndex, draft: Draft, text: str, section: str) -> str:
        bound = entailer.prepare(index) if hasattr(entailer, "prepare") else entailer
        cands = [index.segments[p].segment for p, _ in index.search(analyze(text).terms, k=5)]
        e = bound.entail(text, cands)
        if e.label == "contradicted":
            return "contradicted"
        if e.decisive:
            return "supported" if e.label == "entailed" else "unsupported"
        return "supported" if e.score >= cutoff else "unsupported"

    return judge


def systems(
    entailers: Sequence[str],
    options: VerifyOptions,
    *,
    substitution: bool = False,
    without_antonyms: bool = False,
) -> list[System]:
    """The decision table with each entailer, and each entailer alone on the candidates.

    The table runs once per entailer where ``verify`` takes options; before that it runs
    once, with today's verifier. ``substitution`` adds the first entailer's table with
    the substitution checker on (``table[lexical]+subst``), beside the table without it;
    ``without_antonyms`` the first entailer's table with the antonym checker off
    (``table[support]-antonyms``).
    """
    out = []
    takes_options = "options" in inspect.signature(verify).parameters
    for i, spec in enumerate(entailers):
        if i == 0 or takes_options:
            opts = options.model_copy(update={"entailer": spec})
            name = "table" if not takes_options else f"table[{spec}]"
            out.append(System(name, _table(opts)))
    if substitution and takes_options:
        opts = options.model_copy(update={"entailer": entailers[0], "substitution": True})
        out.append(System(f"table[{entailers[0]}]+subst", _table(opts)))
    if without_antonyms and takes_options:
        opts = options.model_copy(update={"entailer": entailers[0], "antonyms": False})
        out.append(System(f"table[{entailers[0]}]-antonyms", _table(opts)))
    for spec in entailers:
        out.append(System(f"entail:{spec}", _entailer_alone(spec, options.support_threshold)))
    return out


def prepare(
    encounters: Sequence[Encounter], per_type: int, seed: int
) -> Iterator[tuple[Corpus, Prepared]]:
    """Parse encounters, build the corpus (pools from every note) and each one's items."""
    parsed = [(e, *parse(e)) for e in encounters]
    corpus = Corpus({e.id: [st.text for st in d.statements] for e, _, d in parsed})
    for e, src, draft in parsed:
        s = f"{seed}"
        items = (
            corpus.note_items(e.id, src.text, per_type, s)
            + corpus.answer_items(e.id, src, per_type, s)
            + corpus.invented_items(e.id, src.text, per_type, s)
        )
        yield corpus, Prepared(e, src, draft, tuple(draft.statements), tuple(items))


def flipped_source(src: Source, item: Item) -> Source:
    """The source with an answer flip's segment rewritten (same segment ids)."""
    from evident.sources import load_source

    seg = src.segment(item.segment)
    if seg is None:
        return src
    text = src.text[: seg.start] + item.segment_text + src.text[seg.end :]
    return load_source(text, kind="note" if src.kind == "note" else "transcript", name=src.id)


def run(
    prepared: Prepared,
    cols: Sequence[System],
    out: Outcome,
    recall: Recall | None = None,
    export: list[dict[str, Any]] | None = None,
) -> None:
    """Label the encounter's clean sentences and items with every system into ``out``.

    For a development encounter only: add retrieval ranks to ``recall`` and training
    records (statement, its top evidence, type, family, direction) to ``export`` when
    they are given. Nothing of a test encounter is ever exported.
    """
    src, draft = prepared.source, prepared.draft
    index = SourceIndex([src])
    h = half(prepared.encounter.id)
    clean = _label_clean(prepared, index, cols, out, h)
    checked: list[tuple[Item, SourceIndex]] = []
    for item in prepared.items:
        section = prepared.sentences[item.index].section if item.index >= 0 else ""
        if item.index >= 0 and item.index not in clean:
            continue  # perturbed from a sentence with no clinical content
        isrc, iindex = src, index
        if item.segment:
            isrc = flipped_source(src, item)
            iindex = SourceIndex([isrc])
        labels = {c.name: c.judge(isrc, iindex, draft, item.text, section) for c in cols}
        out.items.append((item, h, labels, clean.get(item.index, {})))
        checked.append((item, iindex))
    if h != "dev":
        return
    texts = [st.text for st in prepared.sentences]
    if recall is not None:
        golds = gold_segments(src, texts)
        keep = sorted(clean)
        ranks(index, [texts[i] for i in keep], [golds[i] for i in keep], [], recall)
        ranks(index, [], [], checked, recall, golds)
    if export is not None:
        eid = prepared.encounter.id
        export.extend(_record(eid, index, texts[i], None, "") for i in sorted(clean))
        export.extend(
            _record(eid, ix, it.text, it, texts[it.index] if it.index >= 0 else "")
            for it, ix in checked
        )


def _label_clean(
    prepared: Prepared, index: SourceIndex, cols: Sequence[System], out: Outcome, h: str
) -> dict[int, dict[str, str]]:
    """Labels of the clinical note sentences by column (by sentence position)."""
    src, draft = prepared.source, prepared.draft
    clean: dict[int, dict[str, str]] = {}
    for i, st in enumerate(prepared.sentences):
        first = cols[0].judge(src, index, draft, st.text, st.section)
        if first == "no_clinical_content":
            continue
        labels = {cols[0].name: first}
        for c in cols[1:]:
            labels[c.name] = c.judge(src, index, draft, st.text, st.section)
        clean[i] = labels
        out.clean.append((prepared.encounter.id, h, st.text, labels))
    return clean


def _record(
    encounter: str, index: SourceIndex, text: str, item: Item | None, original: str
) -> dict[str, Any]:
    """One training record: the statement with the verifier's top five candidates."""
    evidence = [index.segments[p].segment.text for p, _ in index.search(analyze(text).terms, k=5)]
    return {
        "encounter": encounter,
        "label": "clean" if item is None else "perturbed",
        "type": "" if item is None else item.type,
        "family": "" if item is None else item.family,
        "direction": "" if item is None else item.direction,
        "statement": text,
        "original": original,
        "evidence": evidence,
    }
