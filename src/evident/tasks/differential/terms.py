"""Finding terms read structurally from text, the same way for the table and for a case.

A *term* is a normalised phrase: a finding's canonical name from the aliases lexicon
(``dyspnea`` for "shortness of breath"), or the lower-case lemmas of content words in a
noun chunk (``productive cough``, ``cough``). Each occurrence is a :class:`Mention` with
its character span, the span to quote, and whether the text denies it (negation read
from the dependency parse: a ``no`` determiner, a ``not`` modifier, ``without``, or a
negating head such as ``denies`` above it in its clause) or gives it to a relative.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Any

from evident.nlp import load_english
from evident.tasks.differential.lexicon import Lexicon, load_lexicon

__all__ = ["Mention", "alias_index", "mentions", "nlp", "normalise_name", "parse", "parse_all"]

_CONTENT_POS = {"NOUN", "PROPN", "ADJ", "VERB"}
_MAX_ALIAS = 6
_POSSESSIVE = re.compile(r"['’]s\b")
_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class Mention:
    """One finding term found in a text.

    Attributes:
        term: The normalised term.
        start: First character of the words that name it.
        end: One past its last character.
        quote_start: First character of the quotable span (includes a negator before it).
        quote_end: One past the last character of the quotable span.
        negated: The text denies it.
        family: The text gives it to someone else (family history).
        canonical: The term is a finding's canonical name from the aliases lexicon.
    """

    term: str
    start: int
    end: int
    quote_start: int
    quote_end: int
    negated: bool = False
    family: bool = False
    canonical: bool = False


def nlp() -> Any:
    """The shared English pipeline with parser and lemmatizer."""
    return load_english(("parser", "lemmatizer"))


def _sentence_starts(doc: Any) -> Any:
    """Mark the sentence starts the tokenizer's periods show, before the parser runs.

    The parser can miss them, and a missed one lets a negation cross into the sentence
    before it ("... low-grade fever 38.1 C. No diarrhea." parsed as one sentence read the
    fever as denied). A capitalised word starts a sentence after a period the tokenizer
    split off (it judged it a full stop), or after a period kept on an abbreviation that
    follows a number (a unit: ``38.1 C.``); after ``Dr.`` or an initial it does not.
    """
    for i in range(1, len(doc)):
        prev, tok = doc[i - 1], doc[i]
        if not tok.text[:1].isupper():
            continue
        unit = len(prev) > 1 and prev.text.endswith(".") and i > 1 and doc[i - 2].like_num
        if prev.text == "." or unit:
            tok.is_sent_start = True
    return doc


def parse(text: str) -> Any:
    """Parse ``text`` with the sentence starts its periods show (:func:`_sentence_starts`)."""
    pipeline = nlp()
    return pipeline(_sentence_starts(pipeline.make_doc(text)))


def parse_all(texts: Iterable[str], batch_size: int = 32) -> Iterator[Any]:
    """:func:`parse` over many texts, batched."""
    pipeline = nlp()
    docs = (_sentence_starts(pipeline.make_doc(t)) for t in texts)
    return pipeline.pipe(docs, batch_size=batch_size)


def normalise_name(name: str) -> str:
    """Lower-case alphanumeric words of a name, possessives dropped (``crohn disease``)."""
    low = _POSSESSIVE.sub("", name.lower())
    return " ".join(_WORD.findall(low))


@cache
def alias_index() -> dict[tuple[str, ...], str]:
    """Word tuple (surface and lemma forms) -> canonical finding name."""
    lex = load_lexicon()
    index: dict[tuple[str, ...], str] = {}
    names = sorted(lex.aliases)
    for alias, doc in zip(names, nlp().pipe(names), strict=True):
        canon = lex.aliases[alias]
        index.setdefault(tuple(t.lower_ for t in doc), canon)
        index.setdefault(tuple(t.lemma_.lower() for t in doc), canon)
    return index


def _content(tok: Any, lex: Lexicon, pos: frozenset[str] = frozenset(_CONTENT_POS)) -> str | None:
    lemma = tok.lemma_.lower()
    if (
        tok.pos_ not in pos
        or tok.is_stop
        or not tok.is_alpha
        or len(lemma) < 3
        or lemma in lex.generic
        or tok.lower_ in lex.generic
    ):
        return None
    return lemma


def _negator(tok: Any, lex: Lexicon, notes: bool = False) -> Any | None:
    """The token that negates ``tok`` within its clause, or None; with ``notes`` also in
    the shorthand of clinical notes (verbless fragments, contrasts in a coordination)."""
    if not notes:
        return _tree_negator(tok, lex)
    return _tree_negator(tok, lex, contrast=lex.contrast) or _fragment_negator(tok, lex)


def _fragment_negator(tok: Any, lex: Lexicon) -> Any | None:
    """In a sentence without a finite verb ("No leg swelling or chest pain."), whose parse
    hangs the negator on its first noun, the nearest negator before ``tok`` with no
    contrast word ("but", "except") between them (NegEx's forward scope)."""
    sent = tok.sent
    if any(t.pos_ == "AUX" or "Fin" in t.morph.get("VerbForm") for t in sent):
        return None  # a finite clause: its parse holds the scope
    for t in reversed(list(sent)[: tok.i - sent.start]):
        word = t.lower_
        if word in lex.contrast:
            return None
        if word in lex.negators or t.lemma_.lower() in lex.negating_heads:
            return t
    return None


def _tree_negator(tok: Any, lex: Lexicon, contrast: frozenset[str] = frozenset()) -> Any | None:
    node = tok
    for _ in range(12):
        for child in node.children:
            if child.dep_ == "neg" or (
                child.dep_ in {"det", "advmod", "preconj"} and child.lower_ in lex.negators
            ):
                return child
        if node.i != tok.i and node.lemma_.lower() in lex.negating_heads:
            return node
        if node.dep_ == "conj" and node.head.pos_ not in {"VERB", "AUX"}:
            if any(c.dep_ == "cc" and c.lower_ in contrast for c in node.head.children):
                return None  # "no fever but a productive cough"
            node = node.head
            continue
        if node.pos_ in {"VERB", "AUX"} or node.head.i == node.i:
            return None
        node = node.head
    return None


def _family(tok: Any, lex: Lexicon) -> bool:
    sent = tok.sent
    if any(t.lemma_.lower() in lex.family_cues for t in list(sent)[:4]):
        return True
    node = tok
    while node.head.i != node.i and node.pos_ not in {"VERB", "AUX"}:
        node = node.head
    return any(c.dep_ == "nsubj" and c.lemma_.lower() in lex.family_cues for c in node.children)


def _mention(
    doc: Any,
    term: str,
    span: tuple[int, int],
    lex: Lexicon,
    canonical: bool = False,
    quote: tuple[int, int] | None = None,
    notes: bool = False,
) -> Mention:
    first, last = span
    q_first, q_last = quote or span
    head = doc[last]
    neg = _negator(head, lex, notes)
    q0 = doc[q_first].idx
    if neg is not None and neg.i < q_first and neg.sent == head.sent and q_first - neg.i <= 8:
        q0 = neg.idx
    return Mention(
        term=term,
        start=doc[first].idx,
        end=head.idx + len(head.text),
        quote_start=q0,
        quote_end=doc[q_last].idx + len(doc[q_last].text),
        negated=neg is not None,
        family=_family(head, lex),
        canonical=canonical,
    )


def _alias_mentions(doc: Any, lex: Lexicon, notes: bool) -> Iterator[Mention]:
    index = alias_index()
    surface = [t.lower_ for t in doc]
    lemmas = [t.lemma_.lower() for t in doc]
    i = 0
    while i < len(doc):
        for n in range(min(_MAX_ALIAS, len(doc) - i), 0, -1):
            canon = index.get(tuple(surface[i : i + n])) or index.get(tuple(lemmas[i : i + n]))
            if canon:
                yield _mention(doc, canon, (i, i + n - 1), lex, canonical=True, notes=notes)
                i += n - 1
                break
        i += 1


def _chunk_mentions(
    doc: Any, lex: Lexicon, loose: frozenset[str], notes: bool
) -> Iterator[Mention]:
    in_chunk: set[int] = set()
    for chunk in doc.noun_chunks:
        words = [(t.i, w) for t in chunk if (w := _content(t, lex))]
        in_chunk.update(range(chunk.start, chunk.end))
        if not words:
            continue
        quote = (words[0][0], chunk.end - 1)
        for i, w in words:
            yield _mention(doc, w, (i, i), lex, quote=quote, notes=notes)
        for (i, a), (j, b) in itertools.pairwise(words):
            yield _mention(doc, f"{a} {b}", (i, j), lex, quote=quote, notes=notes)
        if len(words) == 3:
            yield _mention(doc, " ".join(w for _, w in words), quote, lex, quote=quote, notes=notes)
    for tok in doc:
        if tok.i not in in_chunk and (w := _content(tok, lex, loose)):
            yield _mention(doc, w, (tok.i, tok.i), lex, notes=notes)


def mentions(doc: Any, adverbs: bool = False, notes: bool = False) -> list[Mention]:
    """All finding terms of a parsed text, canonical names first, in text order.

    Args:
        doc: The parsed text.
        adverbs: Also read adverbs outside noun chunks (``suddenly``): a case's manner
            words matter for presentations; the table is built without them.
        notes: Read negation in the shorthand of clinical notes too: a negator that
            opens a verbless fragment holds what follows it ("No leg swelling or chest
            pain."), and a contrast ends a coordination's denial ("no fever but a
            cough"). Cases and the table's MedQuAD answers are both read so.
    """
    lex = load_lexicon()
    loose = frozenset({"VERB", "ADJ", "ADV"} if adverbs else {"VERB", "ADJ"})
    return [*_alias_mentions(doc, lex, notes), *_chunk_mentions(doc, lex, loose, notes)]
