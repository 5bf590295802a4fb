"""Minimal rewrite of spoken sentences into note sentences.

Three steps, each driven by ``resources/rewrite.yaml``: :func:`clean` removes fillers,
disfluencies and repeated words; :func:`third_person` turns the patient's "I/my" and the
clinician's "you/your" into the patient; :func:`normalise_numbers` writes number words as
digits with unit abbreviations ("five hundred milligrams twice a day" -> "500 mg twice
daily"). None of them adds a fact: words are removed, pronouns swapped, numbers rewritten.
"""

from __future__ import annotations

import re
from functools import cache

from evident.tasks.scribe.rules import Person, rewrite_rules

__all__ = [
    "Sex",
    "clean",
    "inflect_third",
    "normalise_numbers",
    "rewrite",
    "split_sentences",
    "third_person",
]

Sex = str  # "female", "male" or "unknown"

_TOKEN = re.compile(r"\d+(?:[.,/]\d+)+%?(?![\w-])|[A-Za-z0-9]+(?:[-'’][A-Za-z0-9]+)*%?|\S")
_OUT_OF = re.compile(r"\b(\d+) out of (\d+)\b")
_PLUS = re.compile(r"\b(\d) plus(?= [a-z])(?! \d)", re.I)
_HYPHEN_NUM = re.compile(
    r"\b(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(one|two|three|four|five|six|seven|"
    r"eight|nine)\b",
    re.I,
)
_SENT_END = re.compile(r"(?<=[.?!])\s+")
_SPACE_BEFORE = re.compile(r"\s+([,.;:?!%])")
_COMMAS = re.compile(r"(?:\s*,)+")
_LEAD_PUNCT = re.compile(r"^[\s,;:.]+")
_DUP = re.compile(r"(?<![\w'])((?:[\w']+\s+){0,3}[\w']+)(?:\s*,?\s+\1(?![\w']))+", re.I)


@cache
def _digit_words() -> frozenset[str]:
    """The number words of one digit, and zero said as a letter ("oh", "o")."""
    return frozenset(w for w, n in rewrite_rules().numbers.items() if n < 10) | {"oh", "o"}


def _undup(m: re.Match[str]) -> str:
    """One copy of a repeated word or phrase, except a repeated spoken digit: "call nine
    one one", "room two two five" repeat on purpose."""
    unit = m.group(1)
    if unit.lower() in _digit_words() or unit.isdigit():
        return m.group(0)
    return unit


_OBJECT_PREV = {
    "let",
    "tell",
    "give",
    "ask",
    "see",
    "help",
    "send",
    "sent",
    "thank",
    "for",
    "with",
    "to",
    "at",
    "about",
    "of",
    "put",
    "get",
    "got",
    "make",
    "call",
    "show",
    "remind",
    "bring",
    "examine",
    "check",
    "told",
    "want",
    "need",
    "like",
    "keep",
    "start",
    "refer",
    "encourage",
    "recommend",
    "advise",
    "expect",
    "prescribe",
    "gave",
    "asked",
    "saw",
    "helped",
    "called",
    "showed",
    "reminded",
    "brought",
    "examined",
    "checked",
    "wanted",
    "needed",
    "started",
    "referred",
    "encouraged",
    "recommended",
    "advised",
    "prescribed",
    "from",
    "by",
    "without",
    "on",
    "into",
    "behind",
    "around",
    "toward",
    "towards",
    "upon",
}
_STUTTER = re.compile(r"\b(\w{1,3})-\s*(?=\1)", re.I)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split an utterance into sentence spans (start, end) at ``.``, ``?`` or ``!``."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_END.finditer(text):
        if (
            text[m.start() - 2 : m.start()].strip(".").isdigit()
            and text[m.end() : m.end() + 1].isdigit()
        ):
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip(" .?!,")]


@cache
def _patterns() -> dict[str, re.Pattern[str]]:
    r = rewrite_rules()
    alt = lambda words: "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))  # noqa: E731
    words = [k for k in r.contractions if k != "n't"]
    return {
        "fillers": re.compile(rf"(,\s*)?(?<![\w'-])(?:{alt(r.fillers)})(?![\w'-])(\s*,)?", re.I),
        "you_know": re.compile(r.you_know_filler, re.I),
        "paren": re.compile(rf"(,\s*|^\s*)(?:{alt(r.parentheticals)})(\s*,|\s*(?=[.?!]|$))", re.I),
        "openers": re.compile(rf"^(?:(?:{alt(r.openers)})\b[\s,.!]*)+", re.I),
        "compress": re.compile(rf"(?<![\w'])(?:{alt(r.compressions)})(?![\w'])\s*", re.I),
        "clause": re.compile(
            rf"(^|,\s*|\band\s+|\bbut\s+)(?:{alt(r.clause_openers)})\b[\s,]*", re.I
        ),
        "joins": re.compile("|".join(re.escape(k) for k in r.joins), re.I),
        "contractions": re.compile(rf"\b(?:{alt(words)})(?![\w'])|n't\b", re.I),
        "phrases": re.compile(rf"\b(?:{alt(r.phrases)})\b", re.I),
    }


def _drop_aside(m: re.Match[str]) -> str:
    """Drop a filler with its commas: ", uh ," -> " ", "uh ," -> "", ", uh" -> ""."""
    before, after = m.group(1), m.group(2)
    if before and before.strip() and after and after.strip():
        return " "
    return " " if before is not None and not before.strip() and m.start() > 0 else ""


def _drop_you_know(m: re.Match[str]) -> str:
    lead = m.group(1)
    if lead.strip():
        return ", "
    return " " if lead and m.start() > 0 else ""


def clean(text: str) -> str:
    """Remove fillers, parenthetical "you know"/"like", openers and repeated words."""
    r = rewrite_rules()
    p = _patterns()
    out = p["joins"].sub(lambda m: r.joins[m.group(0).lower()], text.replace("’", "'"))
    out = _SPACE_BEFORE.sub(r"\1", out)
    out = _STUTTER.sub("", out.replace(" 's", "'s"))
    for _ in range(2):
        out = p["fillers"].sub(_drop_aside, out)
        out = p["paren"].sub(_drop_aside, out)
        out = p["you_know"].sub(_drop_you_know, out)
    out = _DUP.sub(_undup, out)
    if r.compressions:
        out = p["compress"].sub("", out)
    if r.clause_openers:
        out = p["clause"].sub(r"\1", out)
    out = _COMMAS.sub(",", out)
    out = _SPACE_BEFORE.sub(r"\1", out)
    out = _LEAD_PUNCT.sub("", out.strip())
    out = p["openers"].sub("", out)
    out = _LEAD_PUNCT.sub("", out)
    out = re.sub(r",\s*([.?!])", r"\1", out)
    return re.sub(r"\s{2,}", " ", out).strip(" ,")


def _expand(text: str) -> str:
    r = rewrite_rules()

    def sub(m: re.Match[str]) -> str:
        word = m.group(0)
        return r.contractions.get(word.lower(), word)

    return _patterns()["contractions"].sub(sub, text)


def inflect_third(word: str) -> str:
    """The third-person singular of a verb the rules know ("have" -> "has"), else the word."""
    return _inflect(word)


def _inflect(word: str) -> str:
    r = rewrite_rules()
    low = word.lower()
    if low in r.third_person_verbs:
        return r.third_person_verbs[low]
    if low in r.regular_verbs:
        if low.endswith(("s", "sh", "ch", "x", "o", "z")):
            return word + "es"
        if low.endswith("y") and low[-2:-1] not in "aeiou":
            return word[:-1] + "ies"
        return word + "s"
    return word


def _inflect_after(tokens: list[str], i: int) -> None:
    """Inflect the verb after a third-person subject at ``i`` (skipping adverbs)."""
    adverbs = set(rewrite_rules().adverbs)
    j = i + 1
    while j < len(tokens) and tokens[j].lower() in adverbs:
        j += 1
    if j < len(tokens):
        tokens[j] = _inflect(tokens[j])


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = _SPACE_BEFORE.sub(r"\1", text)
    return re.sub(r"\s+(['’])", r"\1", text)


def _you_is_subject(tokens: list[str], i: int) -> bool:
    """Whether "you" at ``i`` is a subject: not after a verb or preposition taking an object,
    and not at the end of a clause."""
    prev = tokens[i - 1].lower() if i else ""
    if prev in _OBJECT_PREV:
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    return bool(nxt) and (nxt[0].isalnum() or nxt[0] in "'’")


def third_person(text: str, speaker: str | None, sex: Sex = "unknown") -> str:
    """Rewrite the patient's first person, or the clinician's second person, as the patient.

    Args:
        text: A cleaned sentence.
        speaker: ``patient``, ``doctor`` (or another clinician role), or None.
        sex: ``female``, ``male`` or ``unknown`` (``the patient's`` for "my").
    """
    rules = rewrite_rules()
    person: Person = rules.persons.get(sex, rules.persons["unknown"])
    if speaker == "patient":
        subj, poss, obj, refl = {"i"}, {"my"}, {"me"}, {"myself"}
    elif speaker in {"doctor", "nurse"}:
        subj, poss, obj, refl = {"you"}, {"your"}, set(), {"yourself"}
    else:
        return text
    tokens = _TOKEN.findall(_expand(text))
    first = True
    for i, tok in enumerate(tokens):
        low = tok.lower()
        if low in subj and (low != "you" or _you_is_subject(tokens, i)):
            tokens[i] = person.first if first else person.S
            first = False
            _inflect_after(tokens, i)
        elif low in subj or low in obj:
            tokens[i] = person.O
        elif low in poss:
            tokens[i] = person.P
        elif low in refl:
            tokens[i] = person.R
    return _join(tokens)


def _shorthand(tokens: list[str], i: int) -> tuple[float | None, int]:
    """Spoken readings such as "one twenty" (120), "one thirty two" (132) or years
    ("twenty eighteen" is 2018; "twenty twenty", as in vision, is left alone)."""
    r = rewrite_rules()
    words = [t.lower() for t in tokens[i : i + 3]]
    if words and words[0] in {"nineteen", "twenty"} and len(words) > 1:
        rest = r.numbers.get(words[1])
        if rest is not None and 10 <= rest <= 99 and rest != 20:
            unit = r.numbers.get(words[2]) if len(words) > 2 else None
            if rest >= 20 and unit is not None and 1 <= unit <= 9:
                return r.numbers[words[0]] * 100 + rest + unit, i + 3
            return r.numbers[words[0]] * 100 + rest, i + 2
    head = r.numbers.get(words[0]) if words else None
    tens = r.numbers.get(words[1]) if len(words) > 1 else None
    if head is None or tens is None or not (1 <= head <= 9 and tens >= 20 and tens % 10 == 0):
        return None, i
    unit = r.numbers.get(words[2]) if len(words) > 2 else None
    if unit is not None and 1 <= unit <= 9:
        return head * 100 + tens + unit, i + 3
    return head * 100 + tens, i + 2


def _kind(value: int) -> str:
    return "unit" if value < 10 else "teen" if value < 20 else "tens"


# Which number word may follow which: "twenty five", "two hundred five", never "five six"
# (two numbers) or "twenty eighteen" (a year).
_FOLLOWS = {
    "": {"unit", "teen", "tens"},
    "unit": {"scale"},
    "teen": {"scale"},
    "tens": {"unit", "scale"},
    "scale": {"unit", "teen", "tens", "scale"},
}


def _number_run(tokens: list[str], i: int) -> tuple[float | None, int]:
    """Parse number words starting at ``i``; return the value and the index after them."""
    r = rewrite_rules()
    value, end = _shorthand(tokens, i)
    if value is not None:
        return value, end
    total, current, j, seen, last = 0.0, 0.0, i, 0, ""
    while j < len(tokens):
        low = tokens[j].lower()
        if low in r.numbers and _kind(r.numbers[low]) in _FOLLOWS[last]:
            current += r.numbers[low]
            last = _kind(r.numbers[low])
        elif low in r.scales and seen and "scale" in _FOLLOWS[last]:
            current = max(current, 1) * r.scales[low]
            if r.scales[low] >= 1000:
                total, current = total + current, 0
            last = "scale"
        elif (
            low == "and"
            and last == "scale"
            and j + 1 < len(tokens)
            and tokens[j + 1].lower() in r.numbers
        ):
            j += 1
            continue
        elif low == "point" and seen and j + 1 < len(tokens) and tokens[j + 1].lower() in r.numbers:
            frac = r.numbers[tokens[j + 1].lower()]
            if frac >= 10:
                break
            return total + current + frac / 10, j + 2
        else:
            break
        seen += 1
        j += 1
    return (total + current, j) if seen else (None, i)


def _counts_next(tokens: list[str], j: int) -> bool:
    """Whether the words at ``j`` make the number before them a score ("3 out of", "1 plus")."""
    nxt = tokens[j].lower() if j < len(tokens) else ""
    if nxt == "plus":
        after = tokens[j + 1].lower() if j + 1 < len(tokens) else ""
        return not (after.isdigit() or after in rewrite_rules().numbers)
    return nxt == "out" and j + 1 < len(tokens) and tokens[j + 1].lower() == "of"


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def normalise_numbers(text: str) -> str:
    """Write number words as digits where they count something, and abbreviate units."""
    r = rewrite_rules()
    tokens = _TOKEN.findall(_HYPHEN_NUM.sub(r"\1 \2", text))
    out: list[str] = []
    i = 0
    while i < len(tokens):
        value, j = _number_run(tokens, i)
        if value is None:
            out.append(tokens[i])
            i += 1
            continue
        nxt = tokens[j].lower() if j < len(tokens) else ""
        compound = j - i >= 2
        if nxt == "over" and j + 1 < len(tokens):
            value2, k = _number_run(tokens, j + 1)
            if value2 is not None:
                out.append(f"{_fmt(value)}/{_fmt(value2)}")
                i = k
                continue
        after_out_of = [t.lower() for t in out[-2:]] == ["out", "of"]
        if nxt in r.units or compound or nxt.isdigit() or after_out_of or _counts_next(tokens, j):
            out.append(_fmt(value))
        else:
            out.extend(tokens[i:j])
        i = j
    text = _join(out)
    text = _OUT_OF.sub(r"\1/\2", text)
    text = _PLUS.sub(r"\1+", text)
    text = re.sub(
        r"\b(\d+(?:\.\d+)?)\s+(" + "|".join(re.escape(u) for u in r.units) + r")\b",
        lambda m: _with_unit(m.group(1), r.units[m.group(2).lower()]),
        text,
        flags=re.I,
    )
    return _patterns()["phrases"].sub(lambda m: r.phrases[m.group(0).lower()], text)


def _with_unit(number: str, unit: str) -> str:
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def rewrite(text: str, speaker: str | None, sex: Sex = "unknown") -> str:
    """Clean, change person and normalise numbers; capitalise and end with a period."""
    out = normalise_numbers(third_person(clean(text), speaker, sex))
    out = out.strip(" ,;")
    if not out:
        return ""
    out = out[0].upper() + out[1:]
    if out[-1] not in ".?!":
        out += "."
    return out
