"""Training text for the project's own PHI tagger: the FIRST generator only, never the test half.

The tagger (:mod:`evident.privacy.train_ner`) learns names and places from surrogate PHI
inserted into clinical text by the first generator (:mod:`.generator`), in three ways:

- carriers: MEDEC's clinical texts (outside the benchmark) and the ACI-Bench and
  MTS-Dialog encounters of the second generator's **development** half at the benchmark's
  seed (:func:`.second.half_of`); no test-half encounter is ever read;
- surrogates: every gold name and place (the first generator's and the carrier's own
  fictional patients) is replaced by one drawn from the first generator's pools and the
  detector's lexicon, consistently per document and in the original's casing; the second
  generator's pools are left out, so its names are new to the model;
- speech: a share of the documents is also written as lower-case, unpunctuated speech.
"""

from __future__ import annotations

import csv
import random
import re
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path

from evident.errors import InputError
from evident.privacy.synth.generator import Doc, Gold, Style, insert_phi
from evident.privacy.synth.second import half_of

__all__ = ["LABELS", "chunks", "resurrogate", "speech", "training_docs"]

#: The entity types the tagger learns (the rules own the structured ones).
LABELS = ("NAME", "CITY", "COUNTY")

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Punctuation a speech transcript does not have (a spaced "," too); decimals stay.
_PUNCT = re.compile(r" ?[.,;:!?](?=\s|$)|[\"()]")


@cache
def _surrogate_pools() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(first names, surnames, cities): first generator's pools and the lexicon, minus
    every entry of the second generator's pools."""
    import json
    from importlib import resources

    def load(package: str, *path: str) -> dict[str, object]:
        data = json.loads(resources.files(package).joinpath(*path).read_text("utf-8"))
        return data if isinstance(data, dict) else {}

    first = load("evident.privacy", "resources", "synth_pools.json")
    lex = load("evident.privacy", "resources", "lexicon.json")
    held = load("evident.privacy.synth", "resources", "pools_b.json")
    banned = {str(w).lower() for v in held.values() if isinstance(v, list) for w in v}

    def pool(*items: object) -> tuple[str, ...]:
        words = {str(w).strip() for item in items if isinstance(item, list) for w in item}
        return tuple(
            sorted(w.title() if w.islower() else w for w in words if w.lower() not in banned and w)
        )

    return (
        pool(first.get("first_names"), lex.get("first_names")),
        pool(first.get("surnames"), lex.get("surnames")),
        pool(first.get("cities"), lex.get("cities")),
    )


def _cased(like: str, value: str) -> str:
    if like.isupper() and len(like) > 1:
        return value.upper()
    if like.islower():
        return value.lower()
    return value


def resurrogate(doc: Doc, rng: random.Random) -> Doc:
    """Replace every gold name and place by a surrogate (one per original word and
    document, cased like the original); other text and spans shift accordingly."""
    firsts, lasts, cities = _surrogate_pools()
    seen: dict[str, str] = {}

    def swap(value: str, phi_type: str) -> str:
        if phi_type == "CITY":
            key = "city:" + value.lower()
            seen.setdefault(key, rng.choice(cities))
            return _cased(value, seen[key])
        words = list(_WORD.finditer(value))
        out, last = [], 0
        for i, m in enumerate(words):
            word = m.group()
            if phi_type == "COUNTY" and word.lower() == "county":
                continue
            key = word.lower()
            if key not in seen:
                pool = firsts if i == 0 and len(words) > 1 and "," not in value else lasts
                seen[key] = rng.choice(pool)
            out.append(value[last : m.start()] + _cased(word, seen[key]))
            last = m.end()
        return "".join(out) + value[last:]

    return _rewrite(doc, lambda s, e, t: swap(doc.text[s:e], t) if t in LABELS else None)


def _rewrite(doc: Doc, replace: Callable[[int, int, str], str | None]) -> Doc:
    """Rebuild ``doc`` with gold spans' text replaced (``replace(s, e, type)`` → new text
    or None to keep); gold and carrier offsets follow."""
    parts, gold, shift, pos = [], [], 0, 0
    moved: list[tuple[int, int]] = []  # (old offset, shift from there on)
    for s, e, t in sorted(doc.gold):
        if s < pos:
            continue  # overlapping gold: keep the first
        found = replace(s, e, t)
        new = doc.text[s:e] if found is None else found
        parts.append(doc.text[pos:s] + new)
        gold.append((s + shift, s + shift + len(new), t))
        shift += len(new) - (e - s)
        moved.append((e, shift))
        pos = e
    parts.append(doc.text[pos:])

    def at(offset: int) -> int:
        delta = 0
        for old, d in moved:
            if old <= offset:
                delta = d
        return offset + delta

    carrier = [(at(s), at(e)) for s, e in doc.carrier]
    return Doc(doc.id, doc.style, "".join(parts), gold, carrier)


def speech(doc: Doc) -> Doc:
    """The document as lower-case, unpunctuated speech (spans follow the text)."""
    keep = [True] * len(doc.text)
    for m in _PUNCT.finditer(doc.text):
        for i in range(m.start(), m.end()):
            keep[i] = False
    new_at, n = [], 0
    for k in keep:
        new_at.append(n)
        n += k
    new_at.append(n)
    text = "".join(c for c, k in zip(doc.text, keep, strict=True) if k).lower()
    gold = [(new_at[s], new_at[e], t) for s, e, t in doc.gold if new_at[e] > new_at[s]]
    return Doc(doc.id + ":speech", "transcript", text, gold, [])


def chunks(doc: Doc, size: int = 1500) -> Iterator[tuple[str, list[Gold]]]:
    """The document cut at line ends into pieces of about ``size`` characters, each with
    the gold spans of the tagger's labels that lie inside it."""
    start = 0
    while start < len(doc.text):
        end = doc.text.find("\n", start + size)
        end = len(doc.text) if end < 0 else end + 1
        spans = [
            (s - start, e - start, t)
            for s, e, t in doc.gold
            if t in LABELS and start <= s and e <= end
        ]
        yield doc.text[start:end], spans
        start = end


def _medec(root: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(root.glob("**/MEDEC*.csv")):
        try:
            with path.open(encoding="utf-8", newline="") as fh:
                for row in csv.DictReader(fh):
                    text = row.get("Text") or ""
                    if text.strip():
                        yield f"medec:{row.get('Text ID', '')}", text
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise InputError(f"cannot read '{path.name}': {exc}") from None


def training_docs(
    root: Path, seed: int = 7, bench_seed: int = 29, speech_share: float = 0.35
) -> list[Doc]:
    """The tagger's training documents (see the module's docstring).

    Args:
        root: The datasets folder (ACI-Bench, MTS-Dialog, MEDEC under it).
        seed: The generator's and the surrogates' seed.
        bench_seed: The seed the benchmark splits halves with (``evident bench deid``'s
            ``--seed`` + 16): only development-half encounters are read.
        speech_share: Share of documents added again as lower-case unpunctuated speech.

    Raises:
        InputError: No carrier text under ``root``.
    """
    from evident.privacy.synth.bench import _carriers, _style

    rng = random.Random(seed)
    carriers: list[tuple[str, str, Style, set[str]]] = []
    for doc_id, text, names in _carriers(root):
        if half_of(doc_id.rsplit(":", 1)[0], bench_seed)[0] == "dev":
            carriers.append((doc_id, text, _style(text), names))
    carriers.extend((doc_id, text, "note", set()) for doc_id, text in _medec(root))
    if not carriers:
        raise InputError(f"no ACI-Bench, MTS-Dialog or MEDEC text found under '{root}'")
    docs: list[Doc] = []
    for doc_id, text, style, names in carriers:
        doc = resurrogate(insert_phi(doc_id, text, style, names, rng, rng.randint(4, 10)), rng)
        docs.append(doc)
        if style != "transcript" and rng.random() < speech_share:
            docs.append(speech(resurrogate(doc, rng)))
    return docs
