"""Normalise what speech and notes write differently, then tokenise.

``normalize`` lower-cases the text and rewrites spoken numbers as digits ("five hundred
milligrams" -> "500 milligrams", "one fifty over ninety" -> "150/90", "a year and a
half" -> "18 months"), joins spelled acronyms ("U T Is" -> "utis"), strips dotted
abbreviations ("b.i.d." -> "bid"), splits ages ("50-year-old" -> "50 year-old"), writes
halves and heights as numbers ("1-1/2 packs" -> "1.5 packs", "one half pack" -> "0.5
pack", "five foot ten" -> "70 inches") and reads "passed away" as "died". ``tokenize``
then yields word, number and punctuation tokens that every extractor works on.
"""

from __future__ import annotations

import re
from functools import cache

from evident.verify._resources import load_lexicons
from evident.verify._words import words

__all__ = ["join_spelled", "normalize", "parse_number", "tokenize"]

_TOKEN = re.compile(
    r"\d+(?:\.\d+)?(?:/\d+(?:\.\d+)?)*%?|[a-z][a-z0-9]*(?:[-'’/][a-z0-9]+)*|[?.;!:,%°]"
)
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}")
# a clock time on the hour ("7:00", "7:00-8:00") is said as its hour ("at seven"): no
# minute 0 (not "19:00 hours", which would read as a duration)
_ON_THE_HOUR = re.compile(r"(?<![\d:.])([01]?\d|2[0-3]):00(?![\d:])(?!\s*(?:hours?|hrs?|h)\b)")
# a power of ten in a unit (UCUM "10*3/uL", written "x10^9/L"): part of the unit, no number
_UNIT_POWER = re.compile(r"(?<![\w.])(?:x\s?)?10\s?[*^]\s?(\d{1,2})\s?/\s?([a-zµ]+)\b")
# counts per microlitre by their power of ten: 10^3/uL (= 10^9/L) is the labs' "k/ul"
_PER_UL = {3: "k", 6: "mil"}
_AGE = re.compile(r"(\d+(?:\.\d+)?)[- ](year|month|week|day)s?[- ]old")
_HALF = re.compile(r"\b(a|an|one|\d+(?:\.\d+)?)\s+(year|month|week|day|hour)s?\s+and\s+a\s+half\b")
# "a half a pack", "half an hour", "half a tablet", "a half dose" (not "half of the pill",
# not "one and a half")
_HALF_A = re.compile(
    r"(?<![-\w])(?<!and )(?<!and a )(?<!and an )"
    r"(?:an?\s+half\s+(?:an?\s+)?|half\s+an?\s+)(?=[a-z])(?!of\b|and\b|or\b)"
)
# "for the last week and a half"
_LAST_HALF = re.compile(r"\b(last|past)\s+(year|month|week|day|hour)\s+and\s+a\s+half\b")
_NUM_HALF = re.compile(r"\b(\d+)\s+and\s+a\s+half\b")
# "one half pack" (0.5), "two and one half years" (2.5)
_ONE_HALF = re.compile(r"(?<![\d.])(?:\b(\d+) and )?\b1 half\b")
# written halves: "1-1/2 packs", "2 1/2 months" (2.5), "a 1/2-mile" (0.5 mile)
_MIXED_HALF = re.compile(r"(?<![\d/.])\b(\d+)[- ]1/2\b(?![/\d])")
_HALF_WORD = re.compile(r"(?<![\d/.-])\b1/2(?:-(?=[a-z])|(?= [a-z]))")
# "one week's time": the duration is one week
_UNIT_POSSESSIVE = re.compile(r"\b(\d+(?:\.\d+)?) (day|week|month|year)s?'s?(?![a-z])")
# heights: "five foot ten", "5 feet 10 inches", "5'10\"" are 70 inches
_FEET_INCHES = re.compile(
    r"\b([3-7]) ?(?:foot|feet|ft|')(?: ?(\d|1[01])(?: ?(?:inches|inch|in\b|\"|''))?)(?!\d|\.\d)"
)
_FOOT_MARK = re.compile(r"\d'")
_OVER = re.compile(r"\b(\d{2,3})\s+over\s+(\d{2,3})\b")
_OUT_OF_TEN = re.compile(r"\b(\d+(?:\.\d+)?)\s*(?:/|out of)\s*10\b(?![./]\d)")
_SPLIT_NT = re.compile(r"\b([a-z]+) n't\b")
# tokenised transcripts space the decimal point: "two . five of norvasc", "a1c seven . three"
# ("ninety eight . seven", "twelve . five milligrams", "zero . zero five percent")
_SPACED_POINT = re.compile(r"(?<![\d.])\b(\d{1,3}) \. (\d)(?: (\d))?\b(?! ?\d)")
# the same with the leading zero left out: "it does show a . five centimeter kidney stone"
_LEAD_POINT = re.compile(r"\b(a|an|about|of) \. (\d)\b(?! ?\d)")
# "point one two five" and "point one twenty five" (read "point 125") are 0.125, "a point
# six mg" is 0.6 mg; not "at this point two weeks ago"
_POINT = re.compile(
    r"(?:\b(\d+)\s+)?(?<!this )(?<!that )(?<!some )(?<!the )(?<!any )(?<!which )"
    r"\bpoint\s+(\d+(?:\s\d)*)\b"
)
_OUT_OF = re.compile(r"\b(\d+)\s+out\s+of\s+(\d+)\b")
# "a couple of days", "the last couple of weeks", "a couple times": two
_COUPLE = re.compile(r"\b(?:a\s+)?couple\s+of\b|\ba\s+couple\b(?=\s+[a-z]+s\b)")
# "thirty minutes to an hour": the range's other end is one hour
_TO_A_UNIT = re.compile(
    r"\b(\d+\s+(?:minute|hour|day|week|month)s?\s+(?:to|or))\s+an?\s+(day|week|month|year|hour)\b"
)
# "see you next week", "if it still hurts after this week": in 1 week
_NEXT_UNIT = re.compile(r"\b(next|after this)\s+(week|month|year)\b")
# "for the last month": a duration of one ("last month" alone dates something; "over
# the past year" says when, as often as how long, and is left alone)
_LAST_UNIT = re.compile(r"\b(for)\s+the\s+(last|past)\s+(week|month|year)\b")
_ROMAN_TYPE = re.compile(r"\b(type|stage|grade)\s+(i{1,3})\b")
# the emergency number said aloud or hyphenated: "called nine one one", "9-1-1"
_EMERGENCY = re.compile(
    r"(?:\b([a-z0-9]+)([- ]))?\b(?:nine|9)[- ](?:one|1)[- ](?:one|1)\b(?:( )([a-z0-9]+)\b)?"
)
_COMMA_NUM = re.compile(r"\b(\d{1,3}),(\d{3})\b")
# "in her seventies" = "in her 70s"; "sugars in the one twenties" = "in the 120s"
_DECADES = {"twent": 20, "thirt": 30, "fort": 40, "fift": 50, "sixt": 60, "sevent": 70}
_DECADES |= {"eight": 80, "ninet": 90}
_HUNDREDS = {"one": 100, "two": 200, "three": 300}
_DECADE = re.compile(rf"\b(?:({'|'.join(_HUNDREDS)}) )?({'|'.join(_DECADES)})ies\b")
# "no one else is sick": nobody, not a count of 1 (but "no one-year follow-up")
_NO_ONE = re.compile(r"\bno[- ]one\b(?![-\w])")
# "denied drug/etoh/tobacco use": three words (not "mg/dl", "h/o", "n/v")
_WORD_SLASH = re.compile(r"(?<=[a-z]{3})/(?=[a-z]{3})")
# a dose per day written as one unit ("3 g/day", "3000 mg/d"): the amount and "a day"
# (not "90 mg/kg/day", a dose by weight)
_PER_DAY = re.compile(r"(\d)\s?(mcg|mg|g|ml|units?|iu)/(?:day|d)\b")
# "my mother passed away": she died
_PASSED_AWAY = re.compile(r"\bpass(?:ed|es)? away\b")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*|\S+|\s+")
# transcripts spell acronyms letter by letter: "a U T I", "an M R I", "ten M G", "C O P D",
# plurals with a lower-case s ("any U T Is", "two M R Is") (not two letters ending in a
# pronoun or article: "vitamin D I take", "plan B A week")
_SPELLED = re.compile(r"\b(?:[A-Z] ){1,6}[A-Z]s?\b")


@cache
def _number_words() -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    q = load_lexicons().quantities
    return dict(q.cardinals), dict(q.ordinals), dict(q.multipliers)


def parse_number(token: str) -> float | None:
    """Return the value of a numeric token (``40``, ``2.5``, ``45%``), else None."""
    t = token.rstrip("%")
    try:
        return float(t)
    except ValueError:
        return None


def _group_value(words: list[str]) -> int | None:
    """Value of a run of number words (``five hundred``, ``twenty five``)."""
    cardinals, _, multipliers = _number_words()
    total, current = 0, 0
    for w in words:
        if w in cardinals:
            current += cardinals[w]
        elif w in multipliers:
            m = multipliers[w]
            current = max(current, 1) * m
            if m >= 1000:
                total, current = total + current, 0
        else:
            return None
    return total + current


def _split_groups(words: list[str]) -> list[list[str]]:
    """Split a run of number words where speech juxtaposes numbers ("nineteen ninety")."""
    cardinals, _, _ = _number_words()
    groups: list[list[str]] = [[]]
    for w in words:
        cur = groups[-1]
        prev = cur[-1] if cur else None
        tens_then_unit = (
            prev in cardinals
            and cardinals[prev] >= 20
            and cardinals[prev] % 10 == 0
            and w in cardinals
            and cardinals[w] < 10
        )
        if prev in cardinals and w in cardinals and not tens_then_unit:
            groups.append([w])
        else:
            cur.append(w)
    return [g for g in groups if g]


def _join_groups(values: list[int]) -> list[int]:
    """Combine spoken pairs: "one fifty" -> 150, "nineteen ninety" -> 1990."""
    out: list[int] = []
    i = 0
    while i < len(values):
        v = values[i]
        nxt = values[i + 1] if i + 1 < len(values) else None
        tens_range = v % 10 == 0 and nxt is not None and nxt % 10 == 0 and nxt > v
        if (
            nxt is not None
            and 10 <= nxt <= 99
            and (1 <= v <= 2 or 11 <= v <= 20)
            and not tens_range  # "twenty thirty minutes" is 20 to 30, not 2030
        ):
            out.append(v * 100 + nxt)
            i += 2
            continue
        out.append(v)
        i += 1
    return out


def _words_to_digits(text: str) -> str:
    cardinals, _, multipliers = _number_words()
    numeric = set(cardinals) | set(multipliers)
    pieces = _WORD.findall(text)
    out: list[str] = []
    i = 0
    while i < len(pieces):
        p = pieces[i]
        head = p.split("-")[0]
        if not head or head not in numeric:
            out.append(p)
            i += 1
            continue
        parts = p.split("-")
        if not all(x in numeric for x in parts):
            # "eight-week", "twenty-five-year-old": the number words, then the rest
            k = next(n for n, x in enumerate(parts) if x not in numeric)
            value: float | None = _group_value(parts[:k])
            rest = parts[k:]
            if value is not None and rest[:1] == ["half"]:
                value, rest = value / 2, rest[1:]  # "one-half pack a day"
            elif value is not None and rest[:3] == ["and", "a", "half"]:
                value, rest = value + 0.5, rest[3:]  # "two-and-a-half-month-old"
            head_text = f"{value:g}" if value is not None else parts[0]
            out.append("-".join([head_text, *rest]))
            i += 1
            continue
        run: list[str] = []
        j = i
        last_word = i
        while j < len(pieces):
            q = pieces[j]
            if q.isspace():
                j += 1
                continue
            parts = q.split("-")
            if all(x in numeric for x in parts):
                run.extend(parts)
                last_word = j
                j += 1
            elif q == "and" and run and run[-1] in multipliers:
                j += 1
            else:
                break
        values = [v for g in _split_groups(run) if (v := _group_value(g)) is not None]
        out.append(" ".join(str(v) for v in _join_groups(values)))
        i = last_word + 1
    return "".join(out)


MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


@cache
def _ordinal_date_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """ "<month> (the) <ordinal>", "the <ordinal> of <month>" and the written "(the) 3rd
    of <month>", compiled once."""
    _, ordinals, _ = _number_words()
    words = "|".join(sorted(ordinals, key=len, reverse=True))
    months = "|".join(MONTH_NAMES)
    tens = r"(?:(twenty|thirty)[\s-]+)?"
    return (
        re.compile(rf"\b({months})\s+(?:the\s+)?{tens}({words})\b"),
        re.compile(rf"\bthe\s+{tens}({words})\s+of\s+({months})\b"),
        re.compile(rf"\b(?:the\s+)?([1-9]|[12]\d|3[01])(?:st|nd|rd|th)\s+of\s+({months})\b"),
    )


def _ordinal_dates(text: str) -> str:
    """ "july the thirty first" -> "july 31", "the fourth of december" -> "december 4",
    "the 3rd of may" -> "may 3"."""
    _, ordinals, _ = _number_words()
    month_first, day_first, written = _ordinal_date_patterns()

    def day(ten: str | None, word: str) -> int | None:
        n = ordinals[word]
        if ten is None:
            return n
        return (20 if ten == "twenty" else 30) + n if n < 10 else None

    def after(m: re.Match[str]) -> str:
        d = day(m.group(2), m.group(3))
        return m.group(0) if d is None else f"{m.group(1)} {d}"

    def before(m: re.Match[str]) -> str:
        d = day(m.group(1), m.group(2))
        return m.group(0) if d is None else f"{m.group(3)} {d}"

    if " of " in text:
        text = written.sub(lambda m: f"{m.group(2)} {m.group(1)}", text)
    return day_first.sub(before, month_first.sub(after, text))


@cache
def _tens() -> dict[str, int]:
    """The cardinals that take an ordinal after them: "twenty", "thirty", ... "ninety"."""
    cardinals, _, _ = _number_words()
    return {w: n for w, n in cardinals.items() if n >= 20 and n % 10 == 0}


@cache
def _ordinal_word() -> re.Pattern[str]:
    _, ordinals, _ = _number_words()
    words = "|".join(sorted((w for w, n in ordinals.items() if n >= 3), key=len, reverse=True))
    tens = "|".join(_tens())
    return re.compile(
        rf"(?<!\ba )(?<!\bone )(?<!\btwo )\b(?:({tens})[ -])?"
        rf"(first|second|{words})\b"
    )


def _ordinal_words(text: str) -> str:
    """ "the fifth mtp joint" -> "the 5 th mtp joint", as "the 5th MTP joint" reads, and
    "her eighty ninth birthday" -> "her 89 th birthday"; not "first" or "second" alone
    (said of anything), nor a fraction ("a third of the dose")."""
    _, ordinals, _ = _number_words()

    def sub(m: re.Match[str]) -> str:
        n = ordinals[m.group(2)]
        if m.group(1) is None:
            return m.group(0) if n < 3 else f"{n} th"
        return f"{_tens()[m.group(1)] + n} th" if n < 10 else m.group(0)

    return _ordinal_word().sub(sub, text)


@cache
def _a_unit() -> re.Pattern[str]:
    """One unit of time said with an article: after a word of duration ("almost a year",
    "about an hour", "it's been a week", ``words.json``'s ``a_unit_before``) or before
    one ("a year ago", "born a week early": ``a_unit_after``), not a rate ("once a
    week", "a pack a day")."""
    before = "|".join(sorted(map(re.escape, words("a_unit_before")), key=len, reverse=True))
    after = "|".join(sorted(map(re.escape, words("a_unit_after")), key=len, reverse=True))
    units = "|".join(_duration_units())
    return re.compile(
        rf"\b({before})\s+an?\s+({units})\b"
        rf"|(?<!once )(?<!twice )(?<!times )(?<!\d )\ban?\s+({units})(?=\s+(?:{after})\b)"
    )


def _one_unit(m: re.Match[str]) -> str:
    if m.group(1) is not None:
        return f"{m.group(1)} 1 {m.group(2)}"
    return f"1 {m.group(3)}"


@cache
def _duration_units() -> tuple[str, ...]:
    """The units of time of ``quantities.json`` ("hour", "day", ...): a text without one
    has no unit after "a", "next" or "to a" to rewrite."""
    units = load_lexicons().quantities.units.items()
    return tuple(sorted(n for n, u in units if u.dimension == "duration"))


@cache
def normalize(text: str) -> str:
    """Lower-case ``text`` and rewrite spoken numbers, halves, ages and abbreviations.

    Args:
        text: A source segment or a draft statement.

    Returns:
        The normalised text (not offset-preserving).
    """
    # each rewrite runs only where a word it needs is in the text (a cost guard: the
    # result is the same)
    t = join_spelled(text)
    t = t.lower().replace("’", "'").replace("\u00a0", " ")
    t = t.replace("—", " — ").replace("–", " – ")  # "told me to—six hundred": two words
    t = t.replace("up-to-date", "up to date").replace("over-the-counter", "over the counter")
    if " away" in t:
        t = _PASSED_AWAY.sub("died", t)  # "my mother passed away": she died
    if "." in t:
        t = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), t)
    if ":00" in t:
        t = _ON_THE_HOUR.sub(r"\1", t)
    if "10" in t:
        t = _UNIT_POWER.sub(_unit_power, t)
    if "/" in t:
        t = _PER_DAY.sub(r"\1 \2 a day", t)
        t = _WORD_SLASH.sub(" / ", t)
    if " n't" in t:
        t = _SPLIT_NT.sub(r"\1n't", t)
    if "half" in t:
        t = _HALF.sub(lambda m: _half(m.group(1), m.group(2)), t)
        t = _HALF_A.sub("0.5 ", t)
        t = _LAST_HALF.sub(lambda m: f"{m.group(1)} {_half('a', m.group(2))}", t)
    units = any(u in t for u in _duration_units())
    if units:
        t = _a_unit().sub(_one_unit, t)
    if "couple" in t:
        t = _COUPLE.sub("2", t)
    if units and ("next" in t or "after this" in t):
        t = _NEXT_UNIT.sub(r"\1 1 \2", t)
    if units and (" last " in t or " past " in t):
        t = _LAST_UNIT.sub(r"\1 the \2 1 \3", t)
    if "type" in t or "stage" in t or "grade" in t:
        t = _ROMAN_TYPE.sub(lambda m: f"{m.group(1)} {len(m.group(2))}", t)
    t = _ordinal_dates(t)
    t = _ordinal_words(t)
    if "one" in t:
        t = _NO_ONE.sub("nobody", t)
    if "nine" in t or "9-" in t or "9 " in t:
        t = _EMERGENCY.sub(_emergency, t)
    if "ies" in t:
        t = _DECADE.sub(lambda m: f"{_HUNDREDS.get(m.group(1), 0) + _DECADES[m.group(2)]}s", t)
    t = _words_to_digits(t)
    if any(u in t for u in _duration_units()):
        t = _TO_A_UNIT.sub(r"\1 1 \2", t)
    if "half" in t:
        t = _HALF.sub(lambda m: _half(m.group(1), m.group(2)), t)
        t = _NUM_HALF.sub(lambda m: f"{m.group(1)}.5", t)
    if "1 half" in t:  # "one half pack" (0.5), "two and one half years" (2.5)
        t = _ONE_HALF.sub(lambda m: f"{m.group(1)}.5" if m.group(1) else "0.5", t)
    if "1/2" in t:
        t = _MIXED_HALF.sub(r"\1.5", t)
        t = _HALF_WORD.sub(lambda m: "0.5" if m.group(0) == "1/2" else "0.5 ", t)
    t = _noun_and_a_half(t)
    if "'" in t:
        t = _UNIT_POSSESSIVE.sub(r"\1 \2", t)
    if " . " in t:
        t = _SPACED_POINT.sub(lambda m: f"{m.group(1)}.{m.group(2)}{m.group(3) or ''}", t)
        t = _LEAD_POINT.sub(r"\1 0.\2", t)
    if "point" in t:
        t = _POINT.sub(lambda m: f"{m.group(1) or '0'}.{m.group(2).replace(' ', '')}", t)
    if "," in t:
        t = _COMMA_NUM.sub(r"\1\2", t)
    if "old" in t:
        t = _AGE.sub(r"\1 \2-old", t)
    if "over" in t:
        t = _OVER.sub(r"\1/\2", t)
    if "10" in t:
        t = _OUT_OF_TEN.sub(r"\1 outof10", t)
    if "out" in t:
        t = _OUT_OF.sub(r"\1/\2", t)
    if "foot" in t or "feet" in t or "ft" in t or _FOOT_MARK.search(t):  # 5'10"
        t = _FEET_INCHES.sub(lambda m: f"{12 * int(m.group(1)) + int(m.group(2))} inches", t)
    return t.replace("°f", " degrees").replace("°", " degrees")


# spelled-out letters said aloud ("P T", "O T"): what they stand for in a conversation
_SPOKEN_LETTERS = {"PT": "physical therapy", "OT": "occupational therapy"}
# "a C T scan", "an M R I": the article is not a letter of these
_AFTER_ARTICLE = frozenset({"CT", "MRI", "EKG", "ECG", "UTI", "DVT", "PT", "OT", "ER", "CBC"})


def join_spelled(text: str) -> str:
    """Acronyms spelled letter by letter, joined as :func:`normalize` reads them ("an M
    R I" -> "an MRI", "no S T changes" -> "no ST changes"); the case is kept."""
    return _SPELLED.sub(_join_spelled, text)


def _join_spelled(m: re.Match[str]) -> str:
    letters = m.group(0).split()
    if len(letters) == 2 and letters[1].rstrip("s") in {"I", "A"}:
        return m.group(0)
    article = ""
    if letters[0] == "A" and "".join(letters[1:]) in _AFTER_ARTICLE:
        article, letters = "A ", letters[1:]
    word = "".join(letters)
    return article + _SPOKEN_LETTERS.get(word, word)


def _emergency(m: re.Match[str]) -> str:
    """ "nine one one" is 911 where no other number word runs on ("ninety nine one one")."""
    before, after = m.group(1) or "", m.group(4) or ""
    cardinals = _number_words()[0]
    if any(w in cardinals or w.isdigit() for w in (before, after) if w):
        return m.group(0)
    return f"{before}{m.group(2) or ''}911{m.group(3) or ''}{after}"


@cache
def _noun_half() -> re.Pattern[str]:
    nouns = "|".join((*load_lexicons().phrases.count_nouns, "mile", "block", "flight"))
    return re.compile(rf"\b(an?|one|\d+) ({nouns})s? and a half\b")


def _noun_and_a_half(text: str) -> str:
    """ "a pack and a half" -> "1.5 pack", "two tablets and a half" -> "2.5 tablet"."""
    if "and a half" not in text:
        return text
    return _noun_half().sub(lambda m: f"{_and_a_half(m.group(1)):g} {m.group(2)}", text)


def _unit_power(m: re.Match[str]) -> str:
    """A unit with a power of ten as one unit word: per litre as per microlitre (10^9/L
    is 10^3/uL), 10^3 and 10^6 per microlitre as the labs write them ("k/ul",
    "mil/ul"), any other power as ``e<power>``."""
    power, unit = int(m.group(1)), m.group(2).replace("µ", "u")
    if unit == "l" and power >= 6:
        power, unit = power - 6, "ul"
    return f"{_PER_UL.get(power, f'e{power}')}/{unit}"


def _and_a_half(count: str) -> float:
    """The value of "COUNT and a half": "a" or "one" is 1."""
    return (1.0 if count in {"a", "an", "one"} else float(count)) + 0.5


def _half(count: str, unit: str) -> str:
    n = _and_a_half(count)
    if unit == "year":
        return f"{int(n * 12)} months"
    return f"{n:g} {unit}s"


def tokenize(text: str) -> list[str]:
    """Split normalised text into word, number and punctuation tokens."""
    return _TOKEN.findall(text)
