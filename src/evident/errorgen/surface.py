"""Family A: surface edits found with regular expressions over words.

Each rule takes a sentence, a seeded generator and a :class:`Context` and returns the
rewritten sentence with the direction of the change, or None when it does not apply.
Matches are drawn at random among every place a rule applies, so a negation may be added
or removed in any clause, not only the first.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable
from functools import cache

from evident.errorgen._data import load_grammar
from evident.errorgen._text import Context, base_form, content_words, fmt, new_number, splice

__all__ = ["RULES", "drug_names", "finding_phrases"]

Result = tuple[str, str] | None
# a heading the note puts before its sentence ("History of present illness: She ...")
_LABEL = r"^(?:[A-Z][\w ,/&()-]{0,40}:\s*)?"
_NEGATED_BEFORE = re.compile(r"(\b(not|no|never)|n't)\s*$", re.I)
_ANY = re.compile(r"^(\s*(?:\w+\s+){0,2}?)any\b", re.I)
_NEG_WORD = re.compile(r"\b(not|no|never|without|denies|denied|none|nor)\b|n't\b", re.I)


def _words(items: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    g = load_grammar()
    units = _words(g.dose_units)
    return {
        "removed": re.compile(rf"\b({_words(a for a, _ in g.negation_removed)})\b(?=\s+\w)", re.I),
        "added": re.compile(
            rf"\b({_words(a for a, _ in g.negation_added)})\b(?!\s+(not|no)\b)", re.I
        ),
        "has": re.compile(r"\b(has|have|had)\s+(\w+)", re.I),
        "s_verb": re.compile(rf"\b({_words(g.patient_subjects)})\s+([a-z]{{3,}}s)\b", re.I),
        "dose": re.compile(rf"(?<![\w.])(\d+(?:\.\d+)?)\s*({units})\b", re.I),
        "number": re.compile(r"(?<![\w./:-])(\d+(?:\.\d+)?)(?![\w/:-]|\.\d)"),
        "side": re.compile(r"\b(left|right)\b", re.I),
        "antonym": re.compile(rf"\b({_words(g.antonym_map())})\b", re.I),
        "subject": re.compile(rf"{_LABEL}({_words(g.patient_subjects)})\s+(?!\w+:)", re.I),
        "relative": re.compile(
            rf"{_LABEL}((?:his|her|the patient's|their)\s+(?:{_words(g.relatives)}))\b", re.I
        ),
        "drug_before_dose": re.compile(
            rf"\b([a-z][a-z-]{{3,}})\s+\d+(?:\.\d+)?\s*({units})\b", re.I
        ),
        "cue": re.compile(rf"\b({_words(g.finding_cues)})\s+(?:any\s+|some\s+|a\s+|an\s+)?", re.I),
    }


def _pick(rng: random.Random, matches: list[re.Match[str]]) -> re.Match[str] | None:
    return rng.choice(matches) if matches else None


def negation_removed(text: str, rng: random.Random, ctx: Context) -> Result:
    """Drop a negation: "denies X" -> "reports X", "is not" -> "is", "no X" -> "X"."""
    table = dict(load_grammar().negation_removed)
    m = _pick(rng, list(_patterns()["removed"].finditer(text)))
    if m is None:
        return None
    cue = m.group(1).lower()
    new = splice(text, m.start(1), m.end(1), table[cue])
    # "does not have any X" -> "does have some X", not "does have any X"
    at = m.start(1) + len(table[cue])
    new = new[:at] + _ANY.sub(r"\1some", new[at:], count=1)
    return new, f"{cue}->{table[cue] or '(none)'}"


def negation_added(text: str, rng: random.Random, ctx: Context) -> Result:
    """Add a negation in some clause: "reports" -> "denies", "is" -> "is not",
    "has X" -> "does not have X", "She takes" -> "She does not take"."""
    g = load_grammar()
    table = dict(g.negation_added)
    p = _patterns()
    edits: list[tuple[int, int, str, str]] = []
    for m in p["added"].finditer(text):
        cue = m.group(1).lower()
        edits.append((m.start(1), m.end(1), table[cue], f"{cue}->{table[cue]}"))
    for m in p["has"].finditer(text):
        verb, nxt = m.group(1).lower(), m.group(2).lower()
        if nxt in {"not", "no", "never"}:
            continue
        aux = {"has": "does", "have": "do", "had": "did"}[verb]
        perfect = nxt.endswith("ed") or nxt in g.participles
        new = f"{verb} not" if perfect else f"{aux} not have"
        edits.append((m.start(1), m.end(1), new, f"{verb}->{new}"))
    for m in p["s_verb"].finditer(text):
        verb = m.group(2).lower()
        cues = {w for pair in (*g.negation_added, *g.negation_removed) for w in pair}
        if verb in g.auxiliaries or verb in cues or verb in {"has", "is", "was"}:
            continue
        new = f"does not {base_form(verb)}"
        edits.append((m.start(2), m.end(2), new, f"{verb}->{new}"))
    edits = [e for e in edits if not _NEGATED_BEFORE.search(text[: e[0]])]
    if not edits:
        return None
    start, end, new, direction = rng.choice(edits)
    return splice(text, start, end, new), direction


def dose(text: str, rng: random.Random, ctx: Context) -> Result:
    """Change a dose's value (x2, x10, /2) or its unit (mg -> mcg)."""
    m = _pick(rng, list(_patterns()["dose"].finditer(text)))
    if m is None:
        return None
    value, unit = float(m.group(1)), m.group(2)
    swaps = dict(load_grammar().unit_swaps)
    choice = rng.choice(["x2", "x10", "half", "unit"])
    if choice == "unit" and unit.lower() in swaps:
        return splice(text, m.start(2), m.end(2), swaps[unit.lower()]), "unit"
    factor = {"x2": 2.0, "x10": 10.0, "half": 0.5, "unit": 2.0}[choice]
    return splice(text, m.start(1), m.end(1), fmt(value * factor)), choice


def number(text: str, rng: random.Random, ctx: Context) -> Result:
    """Change a number that is not a dose (an age, a duration, a value)."""
    doses = {m.start(1) for m in _patterns()["dose"].finditer(text)}
    spans = [m for m in _patterns()["number"].finditer(text) if m.start(1) not in doses]
    m = _pick(rng, spans)
    if m is None:
        return None
    value, direction = new_number(float(m.group(1)), rng)
    return splice(text, m.start(1), m.end(1), fmt(value)), direction


def side(text: str, rng: random.Random, ctx: Context) -> Result:
    """Swap every left for right and every right for left."""
    found = _patterns()["side"].findall(text)
    if not found:
        return None

    def swap(m: re.Match[str]) -> str:
        w = m.group(1)
        out = "right" if w.lower() == "left" else "left"
        return out.capitalize() if w[0].isupper() else out

    return _patterns()["side"].sub(swap, text), f"{found[0].lower()}->other"


def antonym(text: str, rng: random.Random, ctx: Context) -> Result:
    """Replace a word by its antonym from the grammar table (increased -> decreased)."""
    table = load_grammar().antonym_map()
    m = _pick(rng, list(_patterns()["antonym"].finditer(text)))
    if m is None:
        return None
    word = m.group(1).lower()
    return splice(text, m.start(1), m.end(1), table[word]), f"{word}->{table[word]}"


def experiencer(text: str, rng: random.Random, ctx: Context) -> Result:
    """Move the sentence's subject between the patient and a relative."""
    g = load_grammar()
    p = _patterns()
    m = p["relative"].match(text)
    if m:
        return splice(text, m.start(1), m.end(1), "the patient"), "relative->patient"
    m = p["subject"].match(text)
    if m is None:
        return None
    poss = g.possessives.get(m.group(1).lower(), "the patient's")
    relative = rng.choice(g.relatives[:4])
    return splice(text, m.start(1), m.end(1), f"{poss} {relative}"), "patient->relative"


def drug(text: str, rng: random.Random, ctx: Context) -> Result:
    """Swap a drug (a word this family reads as a drug name) for another of the corpus."""
    names = {d.lower() for d in ctx.drugs}
    spans = [m for m in re.finditer(r"[A-Za-z][A-Za-z-]{3,}", text) if m.group().lower() in names]
    m = _pick(rng, spans)
    if m is None:
        return None
    pool = sorted(d for d in names if d != m.group().lower() and d not in ctx.source_words)
    if not pool:
        return None
    return splice(text, m.start(), m.end(), rng.choice(pool)), "drug->other"


def finding(text: str, rng: random.Random, ctx: Context) -> Result:
    """Swap the phrase after a finding cue ("denies X", "history of X") for another
    note's phrase in the same position, one the source never mentions."""
    spans = [(m.end(), _phrase_end(text, m.end())) for m in _patterns()["cue"].finditer(text)]
    spans = [(s, e) for s, e in spans if e > s and content_words(text[s:e])]
    if not spans:
        return None
    s, e = rng.choice(spans)
    old = text[s:e].lower()
    pool = [f for f in ctx.findings if f != old and not (content_words(f) & ctx.source_words)]
    if not pool:
        return None
    return splice(text, s, e, rng.choice(sorted(set(pool)))), "finding->other"


def _phrase_end(text: str, start: int) -> int:
    """End of a finding phrase: the first boundary, at most four words."""
    rest = text[start:]
    cut = len(rest)
    for b in load_grammar().boundaries:
        i = rest.lower().find(b)
        if i != -1:
            cut = min(cut, i)
    words = rest[:cut].split()
    if not words or len(words) > 4:
        return start
    return start + len(rest[:cut].rstrip())


def drug_names(sentences: Iterable[str]) -> set[str]:
    """Words a note writes right before a dose ("lisinopril 20 mg"), lower case."""
    stop = load_grammar().stopwords
    out = set()
    for text in sentences:
        for m in _patterns()["drug_before_dose"].finditer(text):
            w = m.group(1).lower()
            if w not in stop and not _NEG_WORD.match(w):
                out.add(w)
    return out


def finding_phrases(sentences: Iterable[str]) -> set[str]:
    """Phrases that follow a finding cue in notes ("denies chest pain" -> "chest pain")."""
    out = set()
    for text in sentences:
        for m in _patterns()["cue"].finditer(text):
            end = _phrase_end(text, m.end())
            phrase = text[m.end() : end].lower()
            if end > m.end() and _noun_like(phrase) and not _NEG_WORD.search(phrase):
                out.add(phrase)
    return out


def _noun_like(phrase: str) -> bool:
    """A phrase that can stand where a finding stands: it neither starts nor ends with a
    closed-class word ("his moments", "he felt something" are not findings)."""
    words = phrase.split()
    stop = load_grammar().stopwords
    return (
        bool(words)
        and words[0] not in stop
        and words[-1] not in stop
        and bool(content_words(phrase))
    )


RULES: dict[str, Callable[[str, random.Random, Context], Result]] = {
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
