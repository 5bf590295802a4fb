"""Clinical fact extraction from one text (a source segment or a draft statement).

``analyze(text)`` normalises and tokenises the text once and returns an
:class:`Analysis`: its tokens, sentences, content terms (for retrieval) and the
:class:`Fact`s found by the extractors: medications (dose, unit, route, frequency),
vital signs, labs, findings (symptoms, diagnoses, exam findings with ConText and
laterality), anatomy with laterality, plan orders, allergies and every number with its
unit. Everything the rules know comes from ``verify/resources``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from evident.verify._resources import load_lexicons
from evident.verify._words import mapping, phrases, sequences, words
from evident.verify.context import sentence_spans
from evident.verify.normalize import MONTH_NAMES, normalize, tokenize

__all__ = [
    "Analysis",
    "Fact",
    "analyze",
    "clear_caches",
    "elsewhere",
    "extract_facts",
    "presupposed",
    "stem",
]

_MONTHS = {m: i + 1 for i, m in enumerate(MONTH_NAMES)}
_NUMERIC_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})|(\d{1,2})/(\d{4}|\d{2})")


_ONE_DIGIT = tuple([str(d)] for d in range(10))
_IN_OH = sequences("in_oh")


def _full_year(y: int) -> int:
    """ "08" is 2008, "94" is 1994."""
    if y >= 100:
        return y
    return 2000 + y if y < 30 else 1900 + y


def is_year(v: float) -> bool:
    return v.is_integer() and 1900 <= v <= 2099


def encode_date(year: int, month: int, day: int) -> float:
    """A date as one number, ``yyyymmdd``; an unknown year or day is 0."""
    return float(year * 10000 + month * 100 + day)


def decode_date(value: float) -> tuple[int, int, int]:
    v = int(value)
    return v // 10000, v // 100 % 100, v % 100


def date_at(tokens: Sequence[str], j: int) -> tuple[float, int] | None:
    """The date that starts at token ``j`` and the token after it, or None.

    Written ("01/18/08", "1/17/92", "03/2008", "11/94", "07/06") or spoken and normalised
    ("january 18 , 2008", "july 31 o 8", "october o 8", "march of 2009", "january 2005").
    A month and a day or year are needed: "7/10" (pain) and "may" alone are no dates.
    """
    tok = tokens[j]
    m = _NUMERIC_DATE.fullmatch(tok)
    if m is not None:
        if m.group(1):
            month, day, year = int(m.group(1)), int(m.group(2)), _full_year(int(m.group(3)))
        else:
            month, day, year = int(m.group(4)), 0, int(m.group(5))
            if year <= 31 and not (m.group(4)[0] == "0" or m.group(5)[0] == "0"):
                return None  # "3/10" is a ratio; "07/06" is July 2006
            year = _full_year(year)
        if not 1 <= month <= 12 or day > 31:
            return None
        return encode_date(year, month, day), j + 1
    if tok not in _MONTHS:
        return None
    month, k, day, year = _MONTHS[tok], j + 1, 0, 0
    nxt = tokens[k] if k < len(tokens) else ""
    if nxt.isdigit() and 1 <= int(nxt) <= 31:
        day, k = int(nxt), k + 1
    if tokens[k : k + 1] in (["of"], [","]):
        k += 1
    nxt = tokens[k] if k < len(tokens) else ""
    after_of = tokens[k - 1] == "of"
    if nxt.isdigit() and is_year(float(nxt)):
        year, k = int(nxt), k + 1
    elif (
        (day or after_of or tok != "may")
        and nxt in {"o", "oh"}
        and tokens[k + 1 : k + 2] in _ONE_DIGIT
    ):
        # "july 31 o 8", "september of o 3", "october o 8" (not "may o ...")
        year, k = 2000 + int(tokens[k + 1]), k + 2
    elif after_of and not day and len(nxt) == 2 and nxt.isdigit():
        year, k = _full_year(int(nxt)), k + 1  # "august of ninety five"
    if not day and not year:
        return None
    if tokens[k - 1] in {",", "of"}:
        k -= 1  # "march 5 , then": the comma is not part of the date
    return encode_date(year, month, day), k


@dataclass(frozen=True)
class Fact:
    """One clinical fact found in a text.

    Attributes:
        kind: ``medication``, ``vital``, ``lab``, ``finding``, ``anatomy``, ``order``,
            ``allergy``, ``history`` (an unremarkable ``family``, ``medical`` or
            ``surgical`` history) or ``quantity``.
        key: Canonical name (``furosemide``, ``blood pressure``, ``pain@knee``, ``mri``);
            for quantities the dimension (``date`` holds ``yyyymmdd`` in ``value``, see
            ``date_at``); for an allergy the allergen, ``none`` (no known allergies) or
            ``any`` ("known drug allergies").
        text: The surface phrase in the normalised text.
        value: Number (dose, vital, lab value, quantity); systolic for blood pressure.
        value2: Diastolic for blood pressure.
        unit: Canonical unit (``mg``, ``%``, ``week``) or ``""``.
        base: ``value`` in the base unit of its dimension (mg, days, lb, ...).
        frequency: Dosing frequency code (``daily``, ``BID``, ``PRN``...) for medications.
        route: Route of administration for medications.
        polarity: ``affirmed``, ``negated``, ``uncertain`` or ``asked`` (a question).
        historical: In historical context ("history of").
        family: About a family member.
        laterality: ``left``, ``right``, ``bilateral`` or ``""``.
        site: Anatomical site of a finding or ``""``.
        category: Drug class, finding category or order category.
        abnormal: The vital or lab value is outside its normal range.
        plan: The mention is in a plan context (order, start, increase, ...).
        conditional: The mention is a condition, a check or a plan for it ("call if you
            get a fever", "watch for bleeding": polarity ``uncertain``), not a hedge:
            it bears out no statement that it is there.
        implied: Read from what a normal exam rules out ("lungs are clear": no
            wheezing), not said: it bears out and conflicts, and is never missing.
        position: Token index of the mention.
        near: Stems of the words around a number (what the number counts).
        person: Whose age an age is: a family member ("mother"), ``self`` for the
            speaker's own ("i'm 40"), or ``""`` where no one is named.
        bound: For a quantity, the side a bound puts it on: ``above`` ("more than 3
            seconds", "2 or more"), ``below`` ("less than", "up to"), else ``""``.
    """

    kind: str
    key: str
    text: str
    value: float | None = None
    value2: float | None = None
    unit: str = ""
    base: float | None = None
    frequency: str = ""
    route: str = ""
    polarity: str = "affirmed"
    historical: bool = False
    family: bool = False
    laterality: str = ""
    site: str = ""
    category: str = ""
    abnormal: bool = False
    plan: bool = False
    conditional: bool = False
    implied: bool = False
    position: int = 0
    near: frozenset[str] = frozenset()
    person: str = ""
    bound: str = ""

    @property
    def end(self) -> int:
        """The token index just past the fact's words."""
        return self.position + len(self.text.split())

    def with_polarity(self, polarity: str) -> Fact:
        """A copy with another polarity (used when a question is answered)."""
        return replace(self, polarity=polarity)


@dataclass(frozen=True)
class Analysis:
    """A text analysed once: tokens, sentences, retrieval terms and facts."""

    text: str
    tokens: tuple[str, ...]
    sentences: tuple[tuple[int, int, bool], ...]
    terms: tuple[str, ...]
    facts: tuple[Fact, ...] = field(default=())

    @property
    def is_question(self) -> bool:
        """True when the last sentence is a question."""
        return bool(self.sentences) and self.sentences[-1][2]


@cache
def age_unit(duration_unit: str) -> str:
    """The age unit of a unit of time, as ``quantities.json`` names the ages ("month" ->
    "month-old"; "year" -> "age", the unit of an age in years), else ``""``."""
    if duration_unit == "year":
        return "age"
    unit = load_lexicons().quantities.units.get(f"{duration_unit}-old")
    return f"{duration_unit}-old" if unit is not None and unit.dimension == "age" else ""


@cache
def age_in_years(unit: str) -> float:
    """How many years one of an age unit is ("month-old": 1/12; "age": 1)."""
    return 1.0 if unit == "age" else float(load_lexicons().quantities.units[unit].factor)


def near_stems(tokens: Sequence[str]) -> frozenset[str]:
    """The content stems a number is said among (a quantity's ``near``): words of three
    letters or more that are no stopwords, synonyms resolved."""
    stop, syn = _stopwords(), _synonyms()
    return frozenset(
        stem(syn.get(t, t)) for t in tokens if t[0].isalpha() and t not in stop and len(t) > 2
    )


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(load_lexicons().phrases.stopwords)


@cache
def _plan_cues() -> frozenset[str]:
    return frozenset(load_lexicons().phrases.plan_cues)


@cache
def _synonyms() -> dict[str, str]:
    return dict(load_lexicons().phrases.synonyms)


_ORDINAL_ENDS = sequences("ordinal_ends")


@lru_cache(maxsize=100_000)
def stem(word: str) -> str:
    """A light suffix-stripping stemmer, enough for retrieval over clinical text."""
    for suffix in ("izations", "isations", "ization", "isation"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + "iz"  # "hospitalization" ~ "hospitalized"
    for suffix in ("ies", "ied"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[:-2]  # "surgeries" ~ "surgery", "calories" ~ "calorie"
    for suffix in ("'s", "ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 2 and word[-1] == "y" and word[-2] not in "aeiouy":
        return word[:-1] + "i"  # "surgery" as "surgeries" ("surgeri")
    # "live", "lives", "lived", "living" are one stem ("liv"), as are "take" and "taking"
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def clear_caches() -> None:
    """Forget every analysis, stem and prefix reading (for measuring a cold start)."""
    from evident.verify.lexicon import concept_index, context_index, dosing_index

    analyze.cache_clear()
    stem.cache_clear()
    for index in (concept_index(), context_index(), dosing_index()):
        index.forget()


@cache
def _labels() -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(tokenize(normalize(lb))) for lb in load_lexicons().phrases.labels)


def _split_label(tokens: list[str]) -> tuple[list[str], list[str]]:
    """A template label ("Medical Reasoning:", "Cardiovascular:") before a colon, and
    the tokens after it (no label: nothing, and all of them)."""
    if ":" in tokens[:8]:
        colon = tokens.index(":")
        if tuple(tokens[:colon]) in _labels():
            return tokens[:colon], tokens[colon + 1 :]
    return [], tokens


def _label_site(label: list[str]) -> str:
    """The body site a template label names ("Abdomen", "Neck"), or ""."""
    from evident.verify.lexicon import concept_index

    found = concept_index().match(label, 0) if label else None
    if found is None or found[0].kind != "anatomy" or found[1] != len(label):
        return ""
    return found[0].name


_DEFINITE = words("definite")


_OPEN_LIST = words("open_list")


def presupposed(tokens: Sequence[str], position: int) -> bool:
    """A question about "the pain" or "your swelling" takes the finding as given: it
    asks about it ("does the pain radiate?"), not whether it is there. The article may
    govern a pair: "for your coughing and coughing up blood"."""
    if position > 0 and tokens[position - 1] in _DEFINITE:
        return True
    if (
        tuple(tokens[max(0, position - 2) : position]) in {("you", "have"), ("you've", "got")}
        and position >= 3
        and tokens[position - 3] in {"see", "know", "said", "mentioned", "since", "because"}
    ):
        return True  # "I see you have asthma, have you had any medication for this?"
    if _declared_before_asking(tokens, position):
        return True  # "You have diabetes, is it under control?"
    if position < 3 or tokens[position - 1] != "and":
        return False
    for j in (position - 3, position - 4):
        if j < 0 or not all(
            t[0].isalpha() and t not in _OPEN_LIST for t in tokens[j + 1 : position - 1]
        ):
            return False
        if tokens[j] in _DEFINITE:
            return True
    return False


def _declared_before_asking(tokens: Sequence[str], position: int) -> bool:
    """A clause that opens a question with a subject and says something, set off by a
    comma before the question proper ("*You have diabetes*, is it under control?",
    "*you're on metformin*, any side effects?"): what it says is given, not asked. A
    clause that asks by intonation ("you have any fever, chills?") is asked."""
    start = position
    while start > 0 and tokens[start - 1] not in _CLAUSE_BREAK:
        start -= 1
    if start > 0 and tokens[start - 1] == ",":
        return False  # a later clause: the asking one, or a list's item
    end = position
    while end < len(tokens) and tokens[end] not in _CLAUSE_BREAK:
        end += 1
    clause = tokens[start:end]
    return (
        end < len(tokens)
        and tokens[end] == ","
        and bool(clause)
        and clause[0] in _SUBJECTS
        and not _ASKING.intersection(clause)
    )


_CLAUSE_BREAK = frozenset({",", ".", "?", "!", ";", ":"})
_SUBJECTS = frozenset({"you", "you're", "you've", "your", "he", "she", "he's", "she's"})
_ASKING = frozenset({"any", "ever", "anything", "or"})


def elsewhere(tokens: Sequence[str], position: int) -> bool:
    """ "Any other joint pain?" - "no": the denial is of more of it, not of it at all
    (also "any other type of tobacco products?", "any additional episodes of chest
    pain?"; but "alcohol or any other drug use?" asks about drugs as such). A later item
    of a list that opens so is read as its first ("no other joint deformities, swelling,
    or tenderness")."""
    first = _list_start(tokens, position)
    return _elsewhere_at(tokens, position) or (first is not None and _elsewhere_at(tokens, first))


def _list_start(tokens: Sequence[str], position: int) -> int | None:
    """Where the list a word is a later item of begins (its first item's first word), or
    None: the words back from it are list items (content words: "or environmental
    allergies") and separators, up to an opener ("other", "additional", "any", "no",
    ...) that precedes the first item; a function word between ends it ("any other
    conditions, like heart disease": an example, no item)."""
    crossed = False
    j = position - 1
    while j >= 0 and position - j <= _LIST_REACH:
        t = tokens[j]
        if t in _LIST_SEPARATORS:
            crossed = True
        elif not t[0].isalpha() or t in _OPEN_LIST or t in _MORE_WORDS:
            return j + 1 if crossed and j + 1 < position else None
        elif t in _stopwords():
            return None  # "other conditions, like heart disease or diabetes"
        j -= 1
    return None


def _elsewhere_at(tokens: Sequence[str], position: int) -> bool:
    before = tuple(tokens[max(0, position - 6) : position])
    if before[-1:] in _MORE or (before[-3:-2] in _MORE and before[-1:] == ("of",)):
        return True  # "additional episodes of palpitations", "further bleeding"
    if before[-3:-2] == ("other",) and before[-2:] in _KIND_OF:
        before = before[:-2]  # "other type of tobacco products"
    elif "other" not in before[-2:]:
        return False
    while before and before[-1] in {"other", "any"}:
        before = before[:-1]
    # "alcohol or any other kind of drug use": other than the alcohol, not more drug use
    listed = (
        len(before) >= 2
        and before[-1] in {"or", "and"}
        and before[-2].isalpha()
        and before[-2] not in _NOT_LISTED
    )
    return not listed


_MORE = phrases("more")
_MORE_WORDS = frozenset(w for p in _MORE for w in p)
_NOT_LISTED = words("not_listed")
_LIST_SEPARATORS = frozenset({",", "and", "or", "nor"})
#: How many words back a list's first item may be.
_LIST_REACH = 12
_KIND_OF = phrases("kind_of")


def extract_facts(text: str) -> tuple[Fact, ...]:
    """The clinical facts of ``text`` (see :class:`Fact`)."""
    return analyze(text).facts


@lru_cache(maxsize=8192)
def analyze(text: str) -> Analysis:
    """Normalise, tokenise and extract the facts of one text.

    Args:
        text: A source segment or a draft statement.

    Returns:
        The analysis; cached, so repeated texts cost nothing.
    """
    label, tokens = _split_label(tokenize(normalize(text)))
    sentences = tuple(sentence_spans(tokens))
    from evident.verify._extract import FactExtractor  # it builds on this module's types
    from evident.verify._fact_frames import allergen_facts, conditional_orders
    from evident.verify.allergy_frames import field_frames

    facts = allergen_facts(tokens, field_frames(tokens, FactExtractor(tokens, sentences).run()))
    facts = conditional_orders(tokens, sentences, facts)
    site = _label_site(label)
    if site:  # "Abdomen: soft, nontender": the label is where its findings are
        facts = tuple(
            replace(f, site=site) if f.kind == "finding" and not f.site and "@" not in f.key else f
            for f in facts
        )
    stop, syn = _stopwords(), _synonyms()
    terms = [stem(syn.get(t, t)) for t in tokens if t[0].isalpha() and t not in stop and len(t) > 1]
    terms.extend(f"#{f.key}" for f in facts if f.kind not in {"quantity"})
    return Analysis(text, tuple(tokens), sentences, tuple(terms), facts)


@cache
def _count_nouns() -> frozenset[str]:
    return frozenset(load_lexicons().phrases.count_nouns)


@cache
def _kin() -> dict[str, str]:
    """A relative's word and the person it names ("mom": "mother")."""
    return dict(load_lexicons().phrases.relatives)


_PRONOUNS = mapping("pronouns")
_POSSESSIVES = words("possessives")


def person_in(tokens: Sequence[str], speaker: bool = False, pronoun: str = "") -> str:
    """The last relative named in ``tokens`` ("mom" is "mother"); where a ``pronoun``
    ("she") speaks of them, the last one of its gender that a possessive introduces ("my
    mom died when she was 70", not "the same mom"); else ``self`` where ``speaker`` and
    the speaker speaks of themself; else ``""``."""
    kin, gender = _kin(), load_lexicons().phrases.relative_pronouns
    named = [(i, kin[t]) for i, t in enumerate(tokens) if t in kin]
    if pronoun:  # "he's nine" is never the speaker's own age
        agree = [(i, p) for i, p in named if gender.get(p, pronoun) == pronoun]
        owned = [p for i, p in agree if _POSSESSIVES.intersection(tokens[max(0, i - 2) : i])]
        return (owned or [p for _, p in agree] or [""])[-1]
    if named:
        return named[-1][1]
    if speaker and any(t in {"i", "i'm"} for t in tokens):
        return "self"
    return ""


@cache
def _persons() -> frozenset[str]:
    """Who an age can be said of: the pronouns and the family members."""
    return frozenset({"he", "she", "i", "they", "we", "you", *_kin()})
