"""Synthetic PHI inserted into clinical carrier text, with exact gold spans.

No openly licensed clinical PHI corpus exists, so the benchmark builds one: sentences with
PHI of every Safe Harbor type, written in many forms (numeric and spelled dates, phone
layouts, "Last, First", titles, lower-case transcripts), are inserted between the lines
of real carrier documents. The fictional people already named in the carrier (from the
datasets' metadata, and clinicians after a title) are gold PHI too.

The generator's name pools are its own (``resources/synth_pools.json``), not the detector's
lexicon: about a third of its names are absent from the lexicon, so recall is not
flattered by sharing a word list.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Literal

__all__ = ["Doc", "Gold", "Style", "annotate_carrier", "insert_phi", "phi_sentence"]

Style = Literal["note", "dialogue", "transcript"]
Gold = tuple[int, int, str]

_MONTHS = [date(2001, m, 1).strftime("%B") for m in range(1, 13)]
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_STATES = ["IL", "CA", "TX", "NY", "OH", "GA", "WA", "AZ", "MI", "NC", "Florida", "Oregon"]
_ORD = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}


@dataclass
class Doc:
    """One benchmark document: text and gold spans (start, end, type)."""

    id: str
    style: Style
    text: str
    gold: list[Gold] = field(default_factory=list)
    carrier: list[tuple[int, int]] = field(default_factory=list)  # ranges of carrier text

    def to_json(self) -> str:
        """The document as one JSONL line."""
        spans = [{"start": s, "end": e, "type": t} for s, e, t in self.gold]
        return json.dumps({"id": self.id, "style": self.style, "text": self.text, "spans": spans})


@cache
def _pools() -> dict[str, list[str]]:
    data = json.loads(
        resources.files("evident.privacy")
        .joinpath("resources", "synth_pools.json")
        .read_text("utf-8")
    )
    return {k: list(v) for k, v in data.items()}


class _Builder:
    """Concatenates literal text and PHI pieces, recording gold spans."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.gold: list[Gold] = []
        self.size = 0

    def lit(self, text: str) -> _Builder:
        self.parts.append(text)
        self.size += len(text)
        return self

    def phi(self, text: str, phi_type: str) -> _Builder:
        self.gold.append((self.size, self.size + len(text), phi_type))
        return self.lit(text)


def _ordinal(n: int) -> str:
    return f"{n}{_ORD.get(n, 'th')}"


def _date_forms(rng: random.Random) -> tuple[str, str, str]:
    """(cue, date text, trailing text) in one of many written forms."""
    d = date(2015, 1, 1) + timedelta(days=rng.randrange(3000))
    m, day, y = d.month, d.day, d.year
    month, mon = _MONTHS[m - 1], _MONTHS[m - 1][:3]
    forms = [
        ("on ", f"{m:02d}/{day:02d}/{y}", ""),
        ("on ", f"{m}/{day}/{y % 100:02d}", ""),
        ("dated ", f"{m}-{day}-{y}", ""),
        ("on ", f"{month} {day}, {y}", ""),
        ("on ", f"{month} {_ordinal(day)}", ""),
        ("since ", f"{mon} {day} {y}", ""),
        ("on ", f"{day} {mon} {y}", ""),
        ("collected ", f"{day:02d}-{mon.upper()}-{y % 100:02d}", ""),
        ("on ", f"{y}-{m:02d}-{day:02d}", ""),
        ("on ", f"{_WEEKDAYS[d.weekday()]}, {month} {day}", ""),
        ("on ", f"the {_ordinal(day)}", ""),
        ("seen ", f"{m}/{day}", ""),
        ("in ", f"{month} {y}", ""),
        ("in ", month, ""),
        ("on ", f"the {_ordinal(day)} of {month}", ""),
        ("since ", f"{mon}. {day}", ""),
    ]
    return rng.choice(forms)


def _phone(rng: random.Random) -> str:
    a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
    forms = [
        f"({a}) {b}-{c:04d}",
        f"{a}-{b}-{c:04d}",
        f"{a}.{b}.{c:04d}",
        f"+1 {a} {b} {c:04d}",
        f"1-{a}-{b}-{c:04d}",
        f"{a}-{b}-{c:04d} ext. {rng.randint(1, 999)}",
    ]
    return rng.choice(forms)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def _name(rng: random.Random, form: str | None = None) -> tuple[str, str]:
    """(name as written, its form), from the generator's own pools."""
    p = _pools()
    first, last = rng.choice(p["first_names"]), rng.choice(p["surnames"])
    form = form or rng.choice(["full", "full", "last_first", "upper", "initial", "middle"])
    text = {
        "full": f"{first} {last}",
        "last_first": f"{last}, {first}",
        "upper": f"{last.upper()}, {first.upper()}",
        "initial": f"{first[0]}. {last}",
        "middle": f"{first} {rng.choice('ABCDEFGHJKLMRST')}. {last}",
        "last": last,
        "first": first,
    }[form]
    return text, form


_Maker = Callable[[random.Random, _Builder], object]


def _t_patient(rng: random.Random, b: _Builder) -> None:
    name, _ = _name(rng)
    b.lit(rng.choice(["Patient: ", "Patient name: ", "Name: "])).phi(name, "NAME")


def _t_clinician(rng: random.Random, b: _Builder) -> None:
    p = _pools()
    last = rng.choice(p["surnames"])
    style = rng.randrange(4)
    if style == 0:
        b.lit("Discussed with Dr. ").phi(last, "NAME").lit(" by phone.")
    elif style == 1:
        b.lit("Referred to Dr. ").phi(f"{rng.choice(p['first_names'])} {last}", "NAME")
        b.lit(" for evaluation.")
    elif style == 2:
        b.lit("Electronically signed by ").phi(f"{rng.choice(p['first_names'])} {last}", "NAME")
        b.lit(rng.choice([", MD", ", NP", ", PA-C", " MD"]))
    else:
        b.lit("Seen with Doctor ").phi(last, "NAME").lit(" today.")


def _t_relative(rng: random.Random, b: _Builder) -> None:
    p = _pools()
    rel = rng.choice(["husband", "wife", "daughter", "son", "sister", "brother", "mother"])
    first = rng.choice(p["first_names"])
    if rng.random() < 0.5:
        b.lit(f"Her {rel} ").phi(first, "NAME").lit(" is the emergency contact.")
    else:
        b.lit(f"Accompanied by his {rel}, ").phi(f"{first} {rng.choice(p['surnames'])}", "NAME")
        b.lit(".")


def _t_title(rng: random.Random, b: _Builder) -> None:
    last = rng.choice(_pools()["surnames"])
    b.lit(rng.choice(["Mr. ", "Mrs. ", "Ms. ", "Miss "])).phi(last, "NAME")
    b.lit(rng.choice([" reports improvement.", " returns today.", " denies chest pain."]))


def _t_date(rng: random.Random, b: _Builder) -> None:
    cue, text, tail = _date_forms(rng)
    lead = rng.choice(["Last colonoscopy ", "Symptoms started ", "Follow-up scheduled ", "MRI "])
    b.lit(lead + cue).phi(text, "DATE").lit(tail + ".")


def _t_dob(rng: random.Random, b: _Builder) -> None:
    d = date(1930, 1, 1) + timedelta(days=rng.randrange(30000))
    text = rng.choice([d.strftime("%m/%d/%Y"), f"{d.month}/{d.day}/{d.year}", d.isoformat()])
    b.lit(rng.choice(["DOB: ", "Date of birth ", "D.O.B. "])).phi(text, "DATE")


def _t_age(rng: random.Random, b: _Builder) -> None:
    age = rng.randint(90, 104)
    form = rng.randrange(4)
    if form == 0:
        b.lit("She is a ").phi(str(age), "AGE").lit("-year-old woman.")
    elif form == 1:
        b.lit("Pt is ").phi(str(age), "AGE").lit(" y/o.")
    elif form == 2:
        b.lit("Patient, age ").phi(str(age), "AGE").lit(", lives alone.")
    else:
        words = ["ninety", "ninety-one", "ninety-two", "ninety-three", "ninety-five"]
        b.lit("He is ").phi(rng.choice(words), "AGE").lit(" years old.")


def _t_phone(rng: random.Random, b: _Builder) -> None:
    if rng.random() < 0.2:
        b.lit("Fax: ").phi(_phone(rng), "FAX").lit(".")
    else:
        b.lit(rng.choice(["Call back at ", "Cell: ", "Phone ", "Daughter's number is "]))
        b.phi(_phone(rng), "PHONE").lit(".")


def _t_contact(rng: random.Random, b: _Builder) -> None:
    p = _pools()
    surname = rng.choice(p["surnames"]).lower().replace(" ", "")
    user = f"{rng.choice(p['first_names']).lower()}.{surname}"
    kind = rng.randrange(3)
    if kind == 0:
        dom = rng.choice(["gmail.com", "yahoo.com", "mail.example.net", "outlook.com"])
        b.lit("Email: ").phi(f"{user}{rng.randint(1, 99)}@{dom}", "EMAIL")
    elif kind == 1:
        url = rng.choice([f"https://www.{user.split('.')[1]}family.org/blog", f"www.{user}.net"])
        b.lit("Patient shared ").phi(url, "URL").lit(" with the team.")
    else:
        octets = [
            rng.randint(11, 223),
            rng.randint(0, 255),
            rng.randint(0, 255),
            rng.randint(1, 254),
        ]
        ip = ".".join(map(str, octets))
        b.lit("Portal login from IP ").phi(ip, "IP").lit(".")


def _t_ids(rng: random.Random, b: _Builder) -> None:
    options: list[tuple[str, str, str]] = [
        ("MRN: ", _digits(rng, 8), "MRN"),
        ("MRN ", _digits(rng, 7), "MRN"),
        ("Medical record number ", _digits(rng, 9), "MRN"),
        ("MR# ", _digits(rng, 6), "MRN"),
        ("SSN: ", f"{_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 4)}", "SSN"),
        ("Social security number ", _digits(rng, 9), "SSN"),
        ("Account number ", _digits(rng, 10), "ACCOUNT"),
        ("Acct # ", f"{_digits(rng, 4)}-{_digits(rng, 5)}", "ACCOUNT"),
        ("Member ID ", _letters(rng, 3) + _digits(rng, 9), "HEALTH_PLAN"),
        (
            "Medicare ID ",
            _digits(rng, 1)
            + _letters(rng, 2)
            + _digits(rng, 1)
            + "-"
            + _letters(rng, 2)
            + _digits(rng, 1)
            + "-"
            + _letters(rng, 2)
            + _digits(rng, 2),
            "HEALTH_PLAN",
        ),
        ("Policy number ", "P" + _digits(rng, 8), "HEALTH_PLAN"),
        ("Driver's license ", _letters(rng, 1) + _digits(rng, 7), "LICENSE"),
        ("DEA number ", _letters(rng, 2) + _digits(rng, 7), "LICENSE"),
        ("NPI ", _digits(rng, 10), "LICENSE"),
        ("Pacemaker serial number ", _letters(rng, 3) + _digits(rng, 6), "DEVICE"),
        ("Device ID ", _digits(rng, 14), "DEVICE"),
        (
            "VIN ",
            _letters(rng, 3) + _digits(rng, 2) + _letters(rng, 4) + _digits(rng, 8),
            "VEHICLE",
        ),
        ("License plate ", _digits(rng, 1) + _letters(rng, 3) + _digits(rng, 3), "VEHICLE"),
        ("Case number ", f"{_digits(rng, 2)}-{_digits(rng, 5)}", "ID"),
        ("Accession number ", f"S{_digits(rng, 2)}-{_digits(rng, 5)}", "ID"),
    ]
    label, value, phi_type = rng.choice(options)
    b.lit(label).phi(value, phi_type).lit(".")


def _t_address(rng: random.Random, b: _Builder) -> None:
    p = _pools()
    street = f"{rng.randint(1, 9999)} {rng.choice(['', 'N. ', 'West '])}{rng.choice(p['streets'])}"
    street += " " + rng.choice(["Street", "St.", "Avenue", "Ave", "Road", "Drive", "Lane", "Court"])
    if rng.random() < 0.3:
        street += f", Apt {rng.randint(1, 40)}{rng.choice('ABC')}"
    city = rng.choice(p["cities"])
    b.lit("Lives at ").phi(street, "ADDRESS").lit(", ").phi(city, "CITY")
    b.lit(f", {rng.choice(_STATES)} ").phi(_digits(rng, 5), "ZIP").lit(".")


def _t_place(rng: random.Random, b: _Builder) -> None:
    p = _pools()
    kind = rng.randrange(3)
    if kind == 0:
        b.lit(rng.choice(["Recently moved from ", "Lives in ", "Travelled to "]))
        b.phi(rng.choice(p["cities"]), "CITY").lit(".")
    elif kind == 1:
        b.lit("Resident of ").phi(f"{rng.choice(p['counties'])} County", "COUNTY").lit(".")
    else:
        b.lit("Mailing address PO Box ").phi(_digits(rng, 4), "ADDRESS").lit(".")


_TEMPLATES: tuple[_Maker, ...] = (
    _t_patient,
    _t_clinician,
    _t_relative,
    _t_title,
    _t_date,
    _t_date,
    _t_dob,
    _t_age,
    _t_phone,
    _t_contact,
    _t_ids,
    _t_ids,
    _t_address,
    _t_place,
)


def phi_sentence(rng: random.Random, style: Style) -> tuple[str, list[Gold]]:
    """One sentence carrying PHI, written for the style (lower case for transcripts)."""
    b = _Builder()
    rng.choice(_TEMPLATES)(rng, b)
    text = "".join(b.parts)
    if b.gold and b.gold[-1][2] == "ADDRESS" and text.endswith(".") and "PO Box" in text:
        start = text.index("PO Box")  # the whole "PO Box 1234" is the address
        b.gold[-1] = (start, b.gold[-1][1], "ADDRESS")
    if style == "transcript":
        text = text.lower()
    return text, b.gold


def _title_names(line: str) -> Iterator[tuple[int, int]]:
    """Names after a title in carrier text ("Dr. Kumar", "mrs. hill")."""
    for m in re.finditer(
        r"\b(?i:dr|mr|mrs|ms) ?\.\s+([A-Z][a-z']*(?:-[A-Za-z]+)?(?: [A-Z][a-z]+)?|[a-z][a-z']*)"
        r"|\b(?:Doctor|Miss)\s+([A-Z][a-z']*(?:-[A-Za-z]+)?(?: [A-Z][a-z]+)?)",
        line,
    ):
        g = 1 if m.group(1) else 2
        end = m.end(g) - (2 if m.group(g).endswith("'s") else 0)
        word = m.group(g).lower()
        if len(word) < 2 or word in {
            "the",
            "a",
            "and",
            "is",
            "was",
            "to",
            "of",
            "his",
            "her",
            "so",
            "arthrogram",
        }:
            continue
        yield m.start(g), end


# Metadata names that are also everyday words ("Dr. Scott Good") are matched only as part
# of the full name, not alone.
_EVERYDAY = frozenset({"good", "best", "young", "long", "white", "brown", "green", "black", "will"})


def annotate_carrier(line: str, names: set[str]) -> list[Gold]:
    """Gold NAME spans already in a carrier line: metadata names and names after titles."""
    found: set[tuple[int, int]] = set(_title_names(line))
    for name in names:
        if name.lower() in _EVERYDAY:
            continue
        for m in re.finditer(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", line, re.I):
            found.add(m.span())
    merged: list[Gold] = []
    for s, e in sorted(found):
        if merged and s <= merged[-1][1] + 1 and line[merged[-1][1] : s].strip() == "":
            merged[-1] = (merged[-1][0], max(e, merged[-1][1]), "NAME")
        elif not merged or s >= merged[-1][1]:
            merged.append((s, e, "NAME"))
    return merged


def insert_phi(
    doc_id: str, carrier: str, style: Style, names: set[str], rng: random.Random, n: int
) -> Doc:
    """Insert ``n`` PHI sentences between the lines of ``carrier`` and annotate all of it."""
    lines = carrier.splitlines(keepends=True) or [carrier]
    slots = sorted(rng.sample(range(len(lines) + 1), min(n, len(lines) + 1)))
    doc = Doc(doc_id, style, "")
    parts: list[str] = []
    size = 0
    for i, line in enumerate([*lines, ""]):
        if slots and slots[0] == i:
            slots.pop(0)
            sentence, gold = phi_sentence(rng, style)
            prefix = {"note": "", "dialogue": "Patient: ", "transcript": "[patient] "}[style]
            text = prefix + sentence + "\n"
            doc.gold.extend((size + len(prefix) + s, size + len(prefix) + e, t) for s, e, t in gold)
            parts.append(text)
            size += len(text)
        if line:
            if not line.endswith("\n"):
                line += "\n"
            doc.gold.extend((size + s, size + e, t) for s, e, t in annotate_carrier(line, names))
            doc.carrier.append((size, size + len(line)))
            parts.append(line)
            size += len(line)
    doc.text = "".join(parts)
    doc.gold.sort()
    return doc
