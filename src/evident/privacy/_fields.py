"""PHI by context, not by lists: labelled fields, names by position, health-care
organisations. The vocabulary is data (``resources/fields.yaml``), validated on load.

- **Fields**: ``<label>:`` starts a value that runs to the next field on the line (two
  blanks, a tab, ``|`` or ``;``) or to the line end, so ``Patient: X    MRN: 1  DOB: 5/21``
  gives three spans. The label says the value's type.
- **Names by position**: capitalised words at the start of a sentence right before
  ``was admitted``, ``is a 54-year-old``, ``denies``, ``reports`` ...; ``Last, First``
  and initials (``C. Nakamura``) there too; capitalised words after ``this is``,
  ``hi``, ``thank you`` ... in speech.
- **Organisations**: a run of capitalised words holding a health-care word and a word of
  its own (``Lakeshore Family Health``, ``Northgate Orthopedics``), or any capitalised
  run after ``admitted/seen/transferred/referred ... at/to/from``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

import yaml

from evident.privacy._data import _fail, _read, load_lexicon
from evident.privacy._english import PARTICLES as _PARTICLES
from evident.privacy._english import stop_words, unknown_word
from evident.privacy.spans import PHI_TYPES, PhiSpan

__all__ = ["context_spans", "field_words", "is_health_org", "vocab_list"]

_CAP = (
    r"(?:[A-Z][a-z]*['’][A-Z][a-z]+(?:-[A-Za-z]+)*"  # D'Alessandro, O'Donoghue
    r"|[A-Z][a-z]+(?:['’-][A-Za-z]+)*|[A-Z]\.|[A-Z]{2,}(?:['’-][A-Z]+)*)"
)
_PARTICLE = r"(?:van|von|de|del|della|der|den|da|di|dos|du|la|le|ter|bin|al|el|st\.?)"
_NAME_RUN = (
    rf"(?:{_PARTICLE}(?:[ \t]+|-))*{_CAP}(?:[ \t]+(?:{_PARTICLE}(?:[ \t]+|-))*{_CAP}){{0,3}}"
)
_WORDS = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?")
_DIGIT = re.compile(r"\d")
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?:;])[ \t]+|(?<=\n)|(?<=\]) )")
_ORG_RUN = re.compile(
    r"(?:(?:St\.|Saint|Mt\.|Mount)[ \t]+)?[A-Z][A-Za-z'’-]*(?:[ \t]+(?:(?:of|and|&)[ \t]+)?"
    r"[A-Z][A-Za-z'’-]*){0,5}"
)
_GENERIC = frozenset(
    [
        "associates",
        "group",
        "partners",
        "center",
        "centre",
        "institute",
        "services",
        "network",
        "llc",
        "inc",
        "pc",
        "department",
        "dept",
        "division",
        "unit",
        "of",
        "the",
        "and",
        "for",
        "family",
        "care",
        "community",
        "regional",
        "general",
        "university",
        "county",
        "city",
        "state",
        "national",
        "internal",
        "emergency",
        "physical",
        "occupational",
        "adult",
        "pediatric",
        "children's",
        "women's",
        "men's",
        "north",
        "south",
        "east",
        "west",
        "central",
        "ward",
        "floor",
        "room",
        "icu",
        "er",
        "ed",
        "or",
        "pacu",
        "clinic",
        "hospital",
        "health",
        "medical",
        "therapy",
        "orthopedic",
        "specialist",
        "specialists",
        "team",
        "service",
        "services",
        "lab",
        "office",
        "practice",
        "urgent",
        "immediate",
        "walk-in",
        "local",
        "nearby",
        "outpatient",
        "inpatient",
        "senior",
    ]
)


@dataclass(frozen=True)
class _Vocab:
    fields: re.Pattern[str]
    field_types: tuple[tuple[str, re.Pattern[str]], ...]
    org_words: frozenset[str]
    org_phrases: tuple[str, ...]
    org_cue: re.Pattern[str]
    name_before: re.Pattern[str]
    name_after: re.Pattern[str]
    label_words: frozenset[str]
    place_cue: re.Pattern[str]
    not_places: frozenset[str]


@cache
def _vocab() -> _Vocab:
    name = "fields.yaml"
    data = yaml.safe_load(_read(name))
    if not isinstance(data, dict) or data.get("version") != 1:
        raise _fail(name, "expected a mapping with version: 1")
    fields = data.get("fields")
    if not isinstance(fields, dict) or any(k not in PHI_TYPES for k in fields):
        raise _fail(name, "'fields' must map PHI types to label lists")
    lists = {}
    for key in ("health_org_words", "org_cues", "name_before", "name_after", "place_cues"):
        values = data.get(key)
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise _fail(name, f"'{key}' must be a non-empty list of strings")
        lists[key] = [v.lower() for v in values]
    try:
        labels = "|".join(f"(?:{x})" for alts in fields.values() for x in alts)
        regex = re.compile(
            rf"(?<![\w-])(?P<label>{labels})[ \t]*(?:#|no\.?|number)?[ \t]*[:#][ \t]*"
            r"(?P<value>[^\s|;](?:[^\n\t|;]*?[^\s|;,.])?)[.,]?(?=[ \t]{2,}|\t|[ \t]*[|;]|[ \t]*$)",
            re.IGNORECASE | re.MULTILINE,
        )
        types = tuple(
            (t, re.compile(rf"(?:{'|'.join(alts)})$", re.IGNORECASE)) for t, alts in fields.items()
        )
        before = re.compile(
            rf"[.,]?[ \t]+(?:{'|'.join(lists['name_before'])})(?!\w)", re.IGNORECASE
        )
        after = re.compile(
            rf"(?<![\w'])(?:{'|'.join(re.escape(x) for x in lists['name_after'])})[ \t]*,?[ \t]+",
            re.IGNORECASE,
        )
        cue = re.compile(
            rf"\b(?:{'|'.join(re.escape(x) for x in lists['org_cues'])})\b[^.\n]{{0,25}}?"
            r"\b(?:at|to|from|by|with)[ \t]+(?:the[ \t]+)?",
            re.IGNORECASE,
        )
        place = re.compile(rf"\b(?:{'|'.join(lists['place_cues'])})[ \t]+", re.IGNORECASE)
    except re.error as exc:
        raise _fail(name, f"pattern does not compile ({exc})") from None
    not_places = data.get("not_places")
    if not isinstance(not_places, list):
        raise _fail(name, "'not_places' must be a list")
    words = {w for alts in fields.values() for x in alts for w in re.findall(r"[a-z]{3,}", x)}
    org = lists["health_org_words"]
    return _Vocab(
        regex,
        types,
        frozenset(w for w in org if " " not in w),
        tuple(w for w in org if " " in w),
        cue,
        before,
        after,
        frozenset(words),
        place,
        frozenset(str(x).lower() for x in not_places),
    )


@cache
def vocab_list(key: str) -> tuple[str, ...]:
    """A plain word list of ``fields.yaml`` (``fillers``), validated."""
    values = yaml.safe_load(_read("fields.yaml")).get(key)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise _fail("fields.yaml", f"'{key}' must be a list of strings")
    return tuple(v.lower() for v in values)


def field_words() -> frozenset[str]:
    """Words of the field labels ("patient", "member", "plate"): never PHI themselves."""
    return _vocab().label_words


def is_health_org(text: str, *, cased: bool = True) -> bool:
    """True when ``text`` names a health-care organisation: a word of its own, then a
    health-care word, then only generic words ("Lakeshore Family Health", "Northgate
    Orthopedics Group"; not "Family Health", "Medical Treatment")."""
    v = _vocab()
    words = _WORDS.findall(text)
    lows = [w.lower() for w in words]
    phrase_ends = {p.split()[-1] for p in v.org_phrases if p in text.lower()}
    health = [i for i, w in enumerate(lows) if w in v.org_words or w in phrase_ends]
    if not health or not all(w in _GENERIC or w in v.org_words for w in lows[health[-1] :]):
        return False
    return _distinct(" ".join(words[: health[0]]), cased=cased)


def _distinct(text: str, *, cased: bool = True) -> bool:
    """Has a (capitalised) word that is neither generic, health-care nor clinical."""
    from evident.privacy._statistical import clinical_words

    v, lex, clinical = _vocab(), load_lexicon(), clinical_words()
    for w in _WORDS.findall(text):
        low = w.lower()
        if (
            (w[:1].isupper() or not cased)
            and len(low) > 2
            and low not in _GENERIC
            and low not in v.org_words
            and low not in lex.not_names
            and low not in clinical
        ):
            return True
    return False


def _field_spans(text: str) -> Iterator[PhiSpan]:
    v = _vocab()
    lex = load_lexicon()
    for m in v.fields.finditer(text):
        label = m.group("label")
        phi_type = next((t for t, r in v.field_types if r.fullmatch(label)), "ID")
        start, end = m.span("value")
        value = m.group("value")
        if phi_type == "NAME":
            words = _WORDS.findall(value)
            if not 1 <= len(words) <= 5 or _DIGIT.search(value):
                continue
            if any(w.lower() in lex.not_names for w in words if len(w) > 1):
                continue
            if not all(w[:1].isupper() for w in words if w.lower() not in _PARTICLES):
                continue
            turn = text[end : end + 1] in (".", "?", "!")
            if turn and len(words) < 2:
                continue  # "Patient: Absolutely." is a dialogue turn, not a header
            score = 0.9
        elif phi_type == "HOSPITAL":
            if not value[:1].isupper() or _DIGIT.search(value) or not _distinct(value):
                continue
            score = 0.8
        else:
            if not _DIGIT.search(value) and phi_type not in ("EMAIL", "ADDRESS", "CITY"):
                continue  # "DOB: unknown", "Phone: declined"
            if phi_type == "DATE" and not re.search(r"\d{1,2}[/-]\d{1,2}|[A-Za-z]{3}", value):
                continue
            score = 0.85
        yield PhiSpan(start, end, phi_type, score, value)


def _name_ok(words: list[str]) -> bool:
    from evident.privacy._statistical import clinical_words

    lex, clinical = load_lexicon(), clinical_words()
    real = [w for w in words if len(w) > 1]
    return bool(real) and not any(
        w.lower() in lex.not_names or w.lower() in clinical or w.lower() in _GENERIC
        for w in real
        if w.lower() not in _PARTICLES
    )


_BEFORE_RUN = re.compile(rf"(?P<name>{_CAP},[ \t]+{_CAP}|{_NAME_RUN})")


def _position_names(text: str) -> Iterator[PhiSpan]:
    v = _vocab()
    for m in v.name_before.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        head = text[max(line_start, m.start() - 60) : m.start()]
        run = None
        for r in _BEFORE_RUN.finditer(head):
            if r.end() == len(head):
                run = r
        if run is None:
            continue
        start = m.start() - len(head) + run.start()
        before = text[line_start:start].rstrip(" \t")
        if before and not re.search(r"(?:[.!?:;\]]|^\W*|\d+\.)$", before):
            continue  # not at a sentence start: "and the patient denies"
        words = _WORDS.findall(run.group())
        if _name_ok(words):
            yield PhiSpan(start, m.start(), "NAME", 0.8, run.group())


_AFTER_RUN = re.compile(_NAME_RUN)
_LOWER_ONLY = frozenset({"patient", "pt", "resident", "name", "patient name"})
_SOFT = frozenset({"so", "well", "okay", "ok", "alright", "all right"})


def _speech_names(text: str) -> Iterator[PhiSpan]:
    v = _vocab()
    for m in v.name_after.finditer(text):
        cue = m.group().strip(" \t,").lower()
        if cue in _LOWER_ONLY:
            continue  # "Patient Education" is a heading; "pt van wyk" is lower-case speech
        r = _AFTER_RUN.match(text, m.end())
        if r is None or (cue in _SOFT and text[r.end() : r.end() + 1] != ","):
            continue  # "so, Teodoro, ..." but not "Okay Great"
        words = _WORDS.findall(r.group())
        if _name_ok(words) and not r.group().isupper():
            yield PhiSpan(r.start(), r.end(), "NAME", 0.75, r.group())


def _org_spans(text: str) -> Iterator[PhiSpan]:
    v = _vocab()
    for m in _ORG_RUN.finditer(text):
        value = m.group().rstrip(".")
        if " " in value and is_health_org(value):
            yield PhiSpan(m.start(), m.start() + len(value), "HOSPITAL", 0.8, value)
    for m in v.org_cue.finditer(text):
        r = _ORG_RUN.match(text, m.end())
        if r is None:
            low = _LOW_RUN.match(text, m.end())
            if low:
                words = low.group().split()
                stop = next((i for i, w in enumerate(words) if w in stop_words()), None)
                words = words[:stop]  # "urgent care and ...": the run ends at "and"
                while words and not is_health_org(" ".join(words), cased=False):
                    words.pop()
                if words:
                    value = " ".join(words)
                    yield PhiSpan(low.start(), low.start() + len(value), "HOSPITAL", 0.7, value)
            continue
        value = r.group().rstrip(".")
        words = _WORDS.findall(value)
        title = re.match(r"(?:Dr|Mr|Mrs|Ms|Doctor)\b", value)
        acronym = len(words) == 1 and words[0].isupper()
        if words and not title and not acronym and _distinct(value):
            yield PhiSpan(r.start(), r.start() + len(value), "HOSPITAL", 0.7, value)


_LOW_RUN = re.compile(r"[a-z][a-z'’-]*(?:[ \t]+[a-z][a-z'’-]*){0,5}")
_LOW_WORD = re.compile(r"[a-z][a-z'’]*(?:-[a-z]+)*")
_TURN_START = re.compile(r"(?:^|\][ \t]*|^[ \t]*\w+:[ \t]*)$")


def _lower_run(text: str, pos: int) -> tuple[int, int] | None:
    """The lower-case name starting at ``pos`` (1-3 words and particles), if any."""
    first = _LOW_WORD.match(text, pos)
    initial = re.match(r"[a-z]\.[ \t]+", text[pos:])
    if initial:  # "r. dlamini"
        first = _LOW_WORD.match(text, pos + initial.end())
    if first is None or not unknown_word(first.group()):
        return None
    end, count = first.end(), 1
    while count < 4:
        gap = re.match(r"[ \t]+", text[end:])
        if gap is None:
            break
        nxt = _LOW_WORD.match(text, end + gap.end())
        if nxt is None:
            break
        word = nxt.group()
        if word in _PARTICLES:
            after = _LOW_WORD.match(text, nxt.end() + 1)
            if after is None or not unknown_word(after.group()):
                break
            end, count = after.end(), count + 2
            continue
        if not (unknown_word(word) or word in load_lexicon().surnames):
            break
        end, count = nxt.end(), count + 1
    return pos, end


def _lower_names(text: str) -> Iterator[PhiSpan]:
    """Names in lower-case speech: after "hi", "this is", "her husband" ...; at a turn's
    start before "was admitted", "denies", "date of birth"."""
    v = _vocab()
    for line_start, line in _lines(text):
        if line.lower() != line:
            continue
        for m in v.name_after.finditer(line):
            run = _lower_run(line, m.end())
            if run:
                yield _name_span(text, line_start + run[0], line_start + run[1], 0.7)
        for m in v.name_before.finditer(line):
            head = line[: m.start()]
            words = list(_LOW_WORD.finditer(head))[-4:]
            for w in words:
                if _TURN_START.search(head[: w.start()]):
                    run = _lower_run(line, w.start())
                    if run and run[1] == m.start():
                        yield _name_span(text, line_start + run[0], line_start + run[1], 0.7)
                    break


def _lines(text: str) -> Iterator[tuple[int, str]]:
    pos = 0
    for line in text.splitlines(keepends=True):
        yield pos, line
        pos += len(line)


def _name_span(text: str, start: int, end: int, score: float) -> PhiSpan:
    return PhiSpan(start, end, "NAME", score, text[start:end])


_PLACE_RUN = re.compile(
    r"[A-Z][a-z'’]+(?:[ \t]+(?:(?:d'|de|du|la|le|or|of|ste?\.?|Ste?\.?)[ \t]*)?[A-Z][a-z'’]+){0,2}"
    r"|[A-Z][a-z]*'[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?"
)


def _place_spans(text: str) -> Iterator[PhiSpan]:
    """Cities after "moved here from", "grew up in", "... Street in" (not states)."""
    v, lex = _vocab(), load_lexicon()
    states = set(lex.states.values()) | {a.lower() for a in lex.states}
    for m in v.place_cue.finditer(text):
        r = _PLACE_RUN.match(text, m.end())
        if r is not None:
            value = r.group()
        else:
            words: list[re.Match[str]] = []
            for w in _LOW_WORD.finditer(text, m.end(), m.end() + 40):
                if words and text[words[-1].end() : w.start()].strip():
                    break
                words.append(w)
            chosen: list[re.Match[str]] = []
            for i, w in enumerate(words[:3]):
                nxt = words[i + 1].group() if i + 1 < len(words[:3]) else ""
                if unknown_word(w.group()) or (not chosen and nxt and unknown_word(nxt)):
                    chosen.append(w)
                else:
                    break
            if not chosen or not unknown_word(chosen[-1].group()):
                continue
            value = text[chosen[0].start() : chosen[-1].end()]
        low = value.lower()
        if low in states or low in v.not_places or low.split()[0] in v.not_places:
            continue
        if low in lex.not_names:
            continue
        start = m.end()
        yield PhiSpan(start, start + len(value), "CITY", 0.75, value)


def context_spans(text: str) -> list[PhiSpan]:
    """Fields, names by position and health-care organisations in ``text``."""
    out = list(_field_spans(text))
    out.extend(_position_names(text))
    out.extend(_speech_names(text))
    out.extend(_lower_names(text))
    out.extend(_org_spans(text))
    out.extend(_place_spans(text))
    return out
