"""Family B: fluent rewrites driven by a dependency parse (``evident.nlp.load_english``).

Written apart from family A (no shared patterns): a clause is negated by do-support or
after its first auxiliary, a negation is removed with the verb re-inflected, antonyms are
looked up by lemma and inflected by tag, and drugs and findings are read from their
grammatical position. Each rule takes a parsed sentence (a spaCy ``Doc``), a seeded
generator and a :class:`Context`; it returns the new sentence and a direction, or None.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from typing import Any

from evident.errorgen._data import load_grammar
from evident.errorgen._text import (
    Context,
    content_words,
    fix_case,
    fmt,
    gerund,
    new_number,
    past,
    third_person,
)

__all__ = ["RULES", "drug_tokens", "finding_chunks", "parse"]

Result = tuple[str, str] | None
Doc = Any  # spacy.tokens.Doc: spaCy is imported lazily, through evident.nlp
_CLAUSE_DEPS = {"ROOT", "conj", "ccomp", "advcl", "relcl"}
_FINITE = {"VBZ", "VBD", "VBP"}


def parse(texts: Iterable[str]) -> list[Doc]:
    """Parse sentences with the shared English pipeline (tagger, parser, lemmatizer)."""
    from evident.nlp import load_english

    nlp = load_english(("parser", "lemmatizer"))
    return list(nlp.pipe(texts, batch_size=256))


def _rebuild(doc: Doc, edits: dict[int, str]) -> str:
    """The sentence with token ``i`` replaced by ``edits[i]`` ("" deletes it)."""
    parts = []
    for t in doc:
        if t.i in edits:
            new = edits[t.i]
            if new:
                if t.text[:1].isupper():
                    new = new[0].upper() + new[1:]
                parts.append(new + t.whitespace_)
        else:
            parts.append(t.text_with_ws)
    out = "".join(parts).replace("  ", " ").strip()
    return fix_case(out) if doc.text[:1].isupper() else out


def _inflect(lemma: str, tag: str) -> str:
    if tag == "VBZ":
        return third_person(lemma)
    if tag in {"VBD", "VBN"}:
        return past(lemma)
    if tag == "VBG":
        return gerund(lemma)
    return lemma


def negation_added(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Negate one finite clause: after its first auxiliary, or with do-support."""
    options = []
    for t in doc:
        if t.dep_ not in _CLAUSE_DEPS or t.pos_ not in {"VERB", "AUX"}:
            continue
        if any(c.dep_ == "neg" for c in t.children) or t.lemma_ in {"deny"}:
            continue
        auxes = [c for c in t.children if c.dep_ in {"aux", "auxpass"} and c.i < t.i]
        if auxes:
            options.append(({auxes[0].i: f"{auxes[0].text} not"}, f"{t.dep_}:aux"))
        elif t.lemma_ == "be" and t.tag_ in _FINITE:
            options.append(({t.i: f"{t.text} not"}, f"{t.dep_}:copula"))
        elif t.tag_ in _FINITE and any(c.dep_ == "nsubj" for c in t.children):
            do = {"VBZ": "does", "VBD": "did", "VBP": "do"}[t.tag_]
            options.append(({t.i: f"{do} not {t.lemma_.lower()}"}, f"{t.dep_}:do"))
    if not options:
        return None
    edits, direction = rng.choice(options)
    return _rebuild(doc, edits), direction


def negation_removed(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Remove one negation: "not"/"n't"/"never" (re-inflecting after do-support),
    the determiner "no", "without", "deny" -> "report", "negative" -> "positive"."""
    options: list[tuple[dict[int, str], str]] = []
    for t in doc:
        low = t.lower_
        if t.dep_ == "neg":
            head = t.head
            edits = {t.i: ""}
            dos = [c for c in head.children if c.dep_ == "aux" and c.lemma_ == "do" and c.i < t.i]
            if dos and head.pos_ == "VERB":
                edits[dos[0].i] = ""
                edits[head.i] = _inflect(head.lemma_.lower(), dos[0].tag_)
            options.append((_some(doc, head, edits), f"neg:{low}"))
        elif low == "no" and t.dep_ == "det":
            options.append(({t.i: ""}, "det:no"))
        elif low == "without":
            options.append(({t.i: "with"}, "without->with"))
        elif t.lemma_ == "deny":
            options.append((_some(doc, t, {t.i: _inflect("report", t.tag_)}), "deny->report"))
        elif low == "negative":
            options.append(({t.i: "positive"}, "negative->positive"))
    if not options:
        return None
    edits, direction = rng.choice(options)
    return _rebuild(doc, edits), direction


def _some(doc: Doc, head: Any, edits: dict[int, str]) -> dict[int, str]:
    """Once the negation is gone, "any" in the verb's object reads "some"."""
    for c in head.subtree:
        if c.lower_ == "any" and c.dep_ == "det":
            edits[c.i] = "some"
            break
    return edits


def antonym(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Replace an adjective, adverb or verb by its antonym (by lemma, re-inflected)."""
    g = load_grammar()
    table = g.antonym_map()
    verbs = {**dict(g.verb_antonyms), **{b: a for a, b in g.verb_antonyms}}
    options = []
    for t in doc:
        if t.pos_ == "VERB" and t.lemma_.lower() in verbs:
            new = _inflect(verbs[t.lemma_.lower()], t.tag_)
            options.append((t.i, new, t.lower_))
        elif t.pos_ in {"ADJ", "ADV"} and t.lower_ in table:
            options.append((t.i, table[t.lower_], t.lower_))
    if not options:
        return None
    i, new, old = rng.choice(options)
    return _rebuild(doc, {i: new}), f"{old}->{new}"


def _dose_unit(t: Any) -> bool:
    units = set(load_grammar().dose_units)
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    return t.head.lower_ in units or (nxt is not None and nxt.lower_ in units)


def _value(t: Any) -> float | None:
    try:
        return float(t.text)
    except ValueError:
        return None


def dose(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Halve or double one dose (a number attached to a dose unit)."""
    nums = [t for t in doc if t.like_num and _value(t) is not None and _dose_unit(t)]
    if not nums:
        return None
    t = rng.choice(nums)
    value = _value(t) or 0.0
    factor, direction = rng.choice([(2.0, "x2"), (0.5, "half")])
    return _rebuild(doc, {t.i: fmt(value * factor)}), direction


def number(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Change one number that is not a dose (a count, an age, a duration)."""
    nums = [t for t in doc if t.like_num and _value(t) is not None and not _dose_unit(t)]
    if not nums:
        return None
    t = rng.choice(nums)
    value, direction = new_number(_value(t) or 0.0, rng)
    return _rebuild(doc, {t.i: fmt(value)}), direction


def side(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Swap one side word (left or right) that modifies something."""
    sides = [t for t in doc if t.lower_ in {"left", "right"} and t.dep_ != "ROOT"]
    if not sides:
        return None
    t = rng.choice(sides)
    new = "right" if t.lower_ == "left" else "left"
    return _rebuild(doc, {t.i: new}), f"{t.lower_}->{new}"


def experiencer(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Make a clause's subject a relative (she -> her mother) or the patient."""
    g = load_grammar()
    options = []
    for t in doc:
        if t.dep_ not in {"nsubj", "nsubjpass"}:
            continue
        words = [w for w in t.subtree]
        span = " ".join(w.lower_ for w in words)
        if t.lemma_.lower() in g.relatives and any(c.dep_ == "poss" for c in t.children):
            edits = {w.i: "" for w in words}
            edits[words[0].i] = "the patient"
            options.append((edits, "relative->patient"))
        elif span in g.possessives:
            edits = {w.i: "" for w in words}
            edits[words[0].i] = f"{g.possessives[span]} {rng.choice(g.relatives[4:8])}"
            options.append((edits, "patient->relative"))
    if not options:
        return None
    edits, direction = rng.choice(options)
    return _rebuild(doc, edits), direction


def _is_drug(t: Any) -> bool:
    g = load_grammar()
    if t.pos_ not in {"NOUN", "PROPN"} or len(t.text) < 6 or not t.is_alpha:
        return False
    doc = t.doc
    dosed = t.i + 2 < len(doc) and doc[t.i + 1].like_num and doc[t.i + 2].lower_ in g.dose_units
    if dosed:
        return True
    stem = any(t.lower_.endswith(s) for s in g.drug_stems)
    return stem and (t.head.lemma_.lower() in g.medication_verbs or t.pos_ == "PROPN")


def drug(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Swap a drug name (read from its form and position) for another of the corpus."""
    drugs = [t for t in doc if _is_drug(t)]
    pool = sorted({d for d in ctx.drugs if d not in ctx.source_words})
    if not drugs or not pool:
        return None
    t = rng.choice(drugs)
    pool = [d for d in pool if d != t.lower_]
    return (_rebuild(doc, {t.i: rng.choice(pool)}), "drug->other") if pool else None


def _finding_roots(doc: Doc) -> list[Any]:
    g = load_grammar()
    heads = set(g.finding_heads)
    roots = []
    for chunk in doc.noun_chunks:
        r = chunk.root
        if r.pos_ not in {"NOUN", "PROPN"} or r.lemma_.lower() in heads:
            continue  # "nothing", "a history (of ...)" are not findings themselves
        head = r.head
        after_verb = r.dep_ == "dobj" and head.lemma_.lower() in g.finding_verbs
        after_of = (
            r.dep_ == "pobj"
            and head.lower_ in {"of", "for", "with"}
            and head.head.lemma_.lower() in {*heads, *g.finding_verbs}
        )
        if after_verb or after_of:
            roots.append(chunk)
    return roots


def _chunk_text(chunk: Any) -> tuple[int, str]:
    """The chunk without its leading determiners/possessives: (first token, text)."""
    words = [t for t in chunk if t.dep_ not in {"det", "poss"}]
    if not words:
        return chunk.start, ""
    return words[0].i, chunk.doc[words[0].i : chunk.end].text.lower()


def finding(doc: Doc, rng: random.Random, ctx: Context) -> Result:
    """Swap the object of a reporting verb or a history-of phrase for another note's."""
    chunks = [c for c in _finding_roots(doc) if content_words(c.text)]
    if not chunks:
        return None
    chunk = rng.choice(chunks)
    first, old = _chunk_text(chunk)
    pool = [f for f in ctx.findings if f != old and not (content_words(f) & ctx.source_words)]
    if not pool or not old:
        return None
    edits = {t.i: "" for t in chunk if t.i >= first}
    edits[first] = rng.choice(sorted(set(pool)))
    return _rebuild(doc, edits), f"{chunk.root.dep_}->other"


def drug_tokens(docs: Iterable[Doc]) -> set[str]:
    """Drug names this family reads in parsed notes, lower case."""
    return {t.lower_ for d in docs for t in d if _is_drug(t)}


def finding_chunks(docs: Iterable[Doc]) -> set[str]:
    """Finding phrases this family reads in parsed notes (objects of reporting verbs)."""
    out = set()
    for d in docs:
        for c in _finding_roots(d):
            _, text = _chunk_text(c)
            digits = any(ch.isdigit() for ch in text)
            if text and not digits and content_words(text) and len(text.split()) <= 4:
                out.add(text)
    return out


RULES: dict[str, Callable[[Doc, random.Random, Context], Result]] = {
    "negation_added": negation_added,
    "negation_removed": negation_removed,
    "antonym": antonym,
    "number": number,
    "dose": dose,
    "side": side,
    "drug": drug,
    "finding": finding,
    "experiencer": experiencer,
}
