"""A second PHI generator, written apart from the detector and from the first generator.

Its templates and pools (``synth/resources/pools_b.json``: non-Western, hyphenated and
particle surnames, organisations without a "Hospital" or "Clinic" word, small cities) are
its own; none of its names is in the detector's lexicon (a test checks). It writes what
the first generator does not: several fields on one header line, names at line starts
and in the positions where names stand ("X was admitted", "Last, First was seen",
"C. Nakamura", "X is a 54-year-old woman", "X denies"), greetings and sign-offs in
speech, lower-case unpunctuated transcripts, vehicle plates, month/day birth dates, and
one person named several ways in one document (full name, surname after a title, first
name alone), so consistency across mentions is measured too.

Documents are split by their seed into a development half and a test half: tune on the
first, report the second, and never print the second's misses.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Literal

from evident.errors import ConfigError
from evident.privacy.synth.generator import Doc, Gold, Style, annotate_carrier

__all__ = ["HALVES", "Person", "half_of", "insert_second", "second_sentence", "written_docs"]

Half = Literal["dev", "test"]
HALVES: tuple[Half, Half] = ("dev", "test")
Piece = str | tuple[str, str]  # literal text, or (PHI text, type)
_MONTHS = [date(2001, m, 1).strftime("%B") for m in range(1, 13)]
_SPEECH_PUNCT = re.compile(r"[,.;:!?]")


@cache
def _pools() -> dict[str, list[str]]:
    text = resources.files("evident.privacy.synth").joinpath("resources", "pools_b.json")
    data = json.loads(text.read_text("utf-8"))
    pools = {k: list(v) for k, v in data.items() if isinstance(v, list)}
    for key in ("female_first", "male_first", "surnames", "particle_surnames", "organisations"):
        if len(pools.get(key, [])) < 10:
            raise ConfigError(f"synth pool '{key}' needs at least 10 entries")
    return pools


@dataclass(frozen=True)
class Person:
    """A fictional person of a generated document."""

    first: str
    last: str
    female: bool

    @property
    def title(self) -> str:
        """A courtesy title matching the person's sex."""
        return "Ms." if self.female else "Mr."


def _person(rng: random.Random, last: str | None = None) -> Person:
    p = _pools()
    female = rng.random() < 0.5
    first = rng.choice(p["female_first" if female else "male_first"])
    if last is None:
        last = rng.choice(p["particle_surnames"] if rng.random() < 0.2 else p["surnames"])
    return Person(first, last, female)


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _letters(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(n))


def _date(rng: random.Random, *, birth: bool = False) -> str:
    d = (date(1931, 1, 1) if birth else date(2016, 1, 1)) + timedelta(
        days=rng.randrange(20000 if birth else 2900)
    )
    forms = [
        f"{d.month}/{d.day}/{d.year}",
        f"{d.month:02d}-{d.day:02d}-{d.year}",
        f"{_MONTHS[d.month - 1]} {d.day}, {d.year}",
        f"{d.day} {_MONTHS[d.month - 1][:3]} {d.year}",
        f"{d.month}/{d.day}",
    ]
    return rng.choice(forms)


def _plate(rng: random.Random) -> str:
    return rng.choice(
        [
            f"{_letters(rng, 3)}-{_digits(rng, 4)}",
            f"{_digits(rng, 1)}{_letters(rng, 3)}{_digits(rng, 3)}",
            f"{_letters(rng, 2)} {_digits(rng, 5)}",
        ]
    )


_Template = Callable[[random.Random, Person, Person], list[Piece]]


def _t_header(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    sep = rng.choice(["    ", "\t", " | ", "   "])
    name_label = rng.choice(["Patient: ", "PATIENT NAME: ", "Pt: ", "Name: ", "Resident: "])
    name = rng.choice([f"{pt.first} {pt.last}", f"{pt.last.upper()}, {pt.first.upper()}"])
    fields: list[list[Piece]] = [
        [rng.choice(["MRN: ", "Med Rec #: ", "Chart no. ", "Hosp #: "]), (_digits(rng, 8), "MRN")],
        [rng.choice(["DOB: ", "Birth date: ", "D.O.B.: "]), (_date(rng, birth=True), "DATE")],
        [rng.choice(["Plate: ", "Vehicle tag: "]), (_plate(rng), "VEHICLE")],
        [
            rng.choice(["Member #: ", "Insurance no. "]),
            (_letters(rng, 2) + _digits(rng, 8), "HEALTH_PLAN"),
        ],
        [rng.choice(["Visit date: ", "Seen: "]), (_date(rng), "DATE")],
    ]
    rng.shuffle(fields)
    out: list[Piece] = [name_label, (name, "NAME")]
    for f in fields[: rng.randint(2, 4)]:
        out += [sep, *f]
    return out


def _t_position(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    age = rng.randint(24, 88)
    sex = rng.choice(["woman", "female"] if pt.female else ["man", "male"])
    forms: list[list[Piece]] = [
        [(f"{pt.first} {pt.last}", "NAME"), " was admitted overnight with worsening dyspnea."],
        [(f"{pt.last}, {pt.first}", "NAME"), " was seen in follow-up for the knee."],
        [(f"{pt.first[0]}. {pt.last}", "NAME"), " presents for a recheck of blood pressure."],
        [(f"{pt.first} {pt.last}", "NAME"), f" is a {age}-year-old {sex} with type 2 diabetes."],
        [(pt.first, "NAME"), " denies chest pain, fevers or chills."],
        [(pt.first, "NAME"), " reports the swelling is better since the last visit."],
        [f"{pt.title} ", (pt.last, "NAME"), " tolerated the procedure well."],
    ]
    return rng.choice(forms)


def _t_speech(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    forms: list[list[Piece]] = [
        ["hi ", (pt.first, "NAME"), ", how are you doing today?"],
        ["so, ", (pt.first, "NAME"), ", what brings you in?"],
        ["this is ", (f"{pt.first} {pt.last}", "NAME"), " calling about my refill."],
        ["patient is ", (f"{pt.first} {pt.last}", "NAME"), ", here for a wound check."],
        ["okay, thank you, ", (pt.first, "NAME"), ". see you in two weeks."],
        ["bye ", (pt.first, "NAME"), ", take care."],
        [
            (f"{pt.first} {pt.last}", "NAME"),
            ". date of birth ",
            (_date(rng, birth=True), "DATE"),
            ".",
        ],
        [f"good morning {pt.title} ", (pt.last, "NAME"), "."],
    ]
    return rng.choice(forms)


def _t_relative(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    role = (
        ("wife" if rel.female else "husband")
        if rng.random() < 0.5
        else ("daughter" if rel.female else "son")
    )
    pronoun = "She" if rel.female else "He"
    forms: list[list[Piece]] = [
        [
            f"His {role}, " if not pt.female else f"Her {role}, ",
            (f"{rel.first} {rel.last}", "NAME"),
            f", is at the bedside. {pronoun} helps with medications.",
        ],
        [(rel.first, "NAME"), f" ({role}) drives the patient to appointments."],
        ["Neighbor ", (f"{rel.first} {rel.last}", "NAME"), " found the patient on the floor."],
    ]
    return rng.choice(forms)


def _t_vehicle(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    label = rng.choice(["vehicle plate ", "Plate: ", "plate number ", "car tag ", "License tag "])
    return [f"Parking validated, {label}", (_plate(rng), "VEHICLE"), "."]


def _t_org(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    org = rng.choice(_pools()["organisations"])
    cue = rng.choice(
        ["Transferred from ", "Seen at ", "Referred to ", "Admitted to ", "Records requested from "]
    )
    tail = rng.choice([" for further care.", " last spring.", " after the fall.", "."])
    if rng.random() < 0.3:
        return [(org, "HOSPITAL"), " discharge summary reviewed."]
    return [cue, (org, "HOSPITAL"), tail]


def _t_dob(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    d = date(1940, 1, 1) + timedelta(days=rng.randrange(365))
    value = rng.choice([f"{d.month}/{d.day}", f"{_MONTHS[d.month - 1]} {d.day}"])
    return [rng.choice(["DOB: ", "Birthday ", "born "]), (value, "DATE")]


def _t_place(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    p = _pools()
    city = rng.choice(p["cities"])
    kind = rng.choice(["Rd", "Street", "Way", "Ct"])
    street = f"{rng.randint(2, 9899)} {rng.choice(p['streets'])} {kind}"
    forms: list[list[Piece]] = [
        ["Moved here from ", (city, "CITY"), " to be closer to family."],
        ["Lives alone at ", (street, "ADDRESS"), " in ", (city, "CITY"), "."],
        ["Grew up in ", (city, "CITY"), ", worked as a welder."],
    ]
    return rng.choice(forms)


def _t_contact(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    a, b, c = rng.randint(201, 989), rng.randint(201, 989), _digits(rng, 4)
    phone = rng.choice([f"{a} {b} {c}", f"{a}.{b}.{c}", f"({a}){b}-{c}"])
    user = f"{pt.first.lower()}_{pt.last.lower().replace(' ', '').replace(chr(39), '')}"
    forms: list[list[Piece]] = [
        ["Best number for her is ", (phone, "PHONE"), "."],
        ["Reach him on ", (phone, "PHONE"), " after five."],
        ["Prefers email, ", (f"{user}@{rng.choice(_pools()['domains'])}", "EMAIL"), "."],
    ]
    return rng.choice(forms)


def _t_ids(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    options: list[tuple[str, str, str]] = [
        ("Insurance member no. ", _letters(rng, 3) + _digits(rng, 7), "HEALTH_PLAN"),
        ("Policy #: ", _digits(rng, 4) + "-" + _digits(rng, 6), "HEALTH_PLAN"),
        ("Device serial: ", _letters(rng, 2) + _digits(rng, 7), "DEVICE"),
        ("Med rec no ", _digits(rng, 7), "MRN"),
        ("Subscriber ID ", _letters(rng, 1) + _digits(rng, 9), "HEALTH_PLAN"),
        ("Claim # ", _digits(rng, 11), "ACCOUNT"),
        ("SS# ", f"{_digits(rng, 3)}-{_digits(rng, 2)}-{_digits(rng, 4)}", "SSN"),
    ]
    label, value, phi_type = rng.choice(options)
    return [label, (value, phi_type), "."]


def _t_old(rng: random.Random, pt: Person, rel: Person) -> list[Piece]:
    age = str(rng.randint(90, 103))
    forms: list[list[Piece]] = [
        [(f"{pt.first} {pt.last}", "NAME"), ", ", (age, "AGE"), ", lives with family."],
        ["A ", (age, "AGE"), f" yo {'female' if pt.female else 'male'} with falls."],
    ]
    return rng.choice(forms)


_TEMPLATES: tuple[_Template, ...] = (
    _t_header,
    _t_position,
    _t_position,
    _t_speech,
    _t_speech,
    _t_relative,
    _t_vehicle,
    _t_org,
    _t_dob,
    _t_place,
    _t_contact,
    _t_ids,
    _t_old,
)


def _styled(piece: str, style: Style, *, phi: bool) -> str:
    if style != "transcript":
        return piece
    low = piece.lower()
    return low if phi else re.sub(r"\s+", " ", _SPEECH_PUNCT.sub(" ", low))


def second_sentence(
    rng: random.Random, style: Style, pt: Person, rel: Person
) -> tuple[str, list[Gold]]:
    """One line carrying PHI about ``pt`` or ``rel`` (lower case and unpunctuated in
    transcripts); returns the text and gold spans (start, end, type) into it."""
    pieces = rng.choice(_TEMPLATES)(rng, pt, rel)
    text, gold = "", []
    for piece in pieces:
        if isinstance(piece, tuple):
            value = _styled(piece[0], style, phi=True)
            gold.append((len(text), len(text) + len(value), piece[1]))
            text += value
        else:
            text += _styled(piece, style, phi=False)
    return text.rstrip() if style == "transcript" else text, gold


def half_of(key: str, seed: int) -> tuple[Half, int]:
    """The half ("dev" or "test") of a document and its own seed, from the run's seed
    and the document's key (an encounter id: both texts of an encounter share a half)."""
    digest = hashlib.sha256(f"{seed}\x1f{key}".encode()).digest()
    doc_seed = int.from_bytes(digest[:8], "big")
    return HALVES[doc_seed % 2], doc_seed


def insert_second(
    doc_id: str, carrier: str, style: Style, names: set[str], doc_seed: int, n: int
) -> Doc:
    """Insert ``n`` lines of this generator's PHI between the lines of ``carrier``."""
    rng = random.Random(doc_seed)
    pt = _person(rng)
    rel = _person(rng, last=pt.last if rng.random() < 0.6 else None)
    lines = carrier.splitlines(keepends=True) or [carrier]
    slots = set(rng.sample(range(len(lines) + 1), min(n, len(lines) + 1)))
    doc = Doc(doc_id, style, "")
    parts: list[str] = []
    size = 0
    for i, line in enumerate([*lines, ""]):
        if i in slots:
            sentence, gold = second_sentence(rng, style, pt, rel)
            prefix = _prefix(rng, style)
            doc.gold.extend((size + len(prefix) + s, size + len(prefix) + e, t) for s, e, t in gold)
            parts.append(prefix + sentence + "\n")
            size += len(prefix) + len(sentence) + 1
        if line:
            line = line if line.endswith("\n") else line + "\n"
            doc.gold.extend((size + s, size + e, t) for s, e, t in annotate_carrier(line, names))
            doc.carrier.append((size, size + len(line)))
            parts.append(line)
            size += len(line)
    doc.text = "".join(parts)
    doc.gold.sort()
    return doc


def _prefix(rng: random.Random, style: Style) -> str:
    if style == "dialogue":
        return rng.choice(["Doctor: ", "Patient: ", ""])
    if style == "transcript":
        return rng.choice(["[doctor] ", "[patient] "])
    return ""


_WRITTEN = (
    "Chief complaint: left knee pain for three weeks.",
    "Taking metformin 500 mg twice daily and lisinopril 10 mg daily.",
    "No known drug allergies.",
    "Exam: mild effusion of the left knee, no erythema.",
    "Assessment: likely osteoarthritis flare.",
    "Plan: ice, ibuprofen as needed, physical therapy referral.",
    "Return in four weeks or sooner if worse.",
    "Blood pressure 132/84, pulse 76, afebrile.",
    "She walks with a cane since the hip replacement.",
    "Labs reviewed: A1c 7.2, creatinine 1.1.",
)


def written_docs(n: int, seed: int, half: Half | None = None) -> list[Doc]:
    """``n`` documents of this generator's PHI inserted into carrier text written for the
    project (no dataset needed: tests and quick checks); only ``half`` when given."""
    docs: list[Doc] = []
    i = 0
    styles: tuple[Style, ...] = ("note", "dialogue", "transcript")
    while len(docs) < n:
        which, doc_seed = half_of(f"written:{i}", seed)
        i += 1
        if half is not None and which != half:
            continue
        style = styles[doc_seed % 3]
        rng = random.Random(doc_seed)
        carrier = "\n".join(rng.sample(_WRITTEN, 6))
        if style == "transcript":
            carrier = carrier.lower()
        docs.append(insert_second(f"written:{i - 1}", carrier, style, set(), doc_seed, 5))
    return docs


def all_gold_types(docs: Iterable[Doc]) -> set[str]:
    """The PHI types present in the documents' gold spans."""
    return {t for d in docs for _, _, t in d.gold}
