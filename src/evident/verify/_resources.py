"""Load and validate the verify stage's rules and lexicons (``verify/resources/*.json``).

Every file is validated against a pydantic schema when it is loaded, so a malformed
lexicon fails loudly at first use with the file's name rather than producing silent
misses. The loaded data are cached: they are read once per process.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from evident.errors import ConfigError

__all__ = [
    "Anatomy",
    "ContextRules",
    "Lexicons",
    "Measurements",
    "Quantities",
    "load_lexicons",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Term(_Strict):
    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()

    @field_validator("name", "aliases")
    @classmethod
    def _lower(cls, v: str | tuple[str, ...]) -> str | tuple[str, ...]:
        if isinstance(v, str):
            return v.strip().lower()
        return tuple(a.strip().lower() for a in v if a.strip())


class Medication(_Term):
    """A drug: generic name, class and brand/colloquial aliases."""

    class_: str = Field(alias="class")


class DrugClass(_Term):
    """A drug class as notes name it ("antibiotics", "a beta blocker"): ``name`` is the
    class of ``medications.json``'s drugs, ``aliases`` the words for it, ``within`` the
    broader classes it belongs to (an NSAID is an analgesic)."""

    within: tuple[str, ...] = ()


class FindingTerm(_Term):
    """A symptom, diagnosis or exam finding with synonyms; ``site`` for site-bound pain."""

    category: Literal["symptom", "diagnosis", "finding"]
    site: str | None = None


class Anatomy(_Term):
    """A body part that can carry laterality, and the larger regions it lies in."""

    within: tuple[str, ...] = ()


class OrderTerm(_Term):
    """A plan item: test, imaging, procedure, therapy, referral or follow-up."""

    category: str


class _MedFile(_Strict):
    version: int
    medications: tuple[Medication, ...]
    classes: tuple[DrugClass, ...] = ()

    @model_validator(mode="after")
    def _known_classes(self) -> _MedFile:
        named = {c.name for c in self.classes}
        unknown = sorted({w for c in self.classes for w in c.within} - named)
        if unknown:
            raise ValueError(f"classes 'within' names undefined classes: {unknown}")
        return self


class NormalExam(_Strict):
    """A normal exam and what it rules out: ``about`` (the part examined: "lungs") said
    with a ``normal`` word within ``window`` tokens after it ("are clear") denies each
    finding of ``denies`` (clear lungs have no wheezes, crackles or rhonchi)."""

    about: tuple[str, ...] = Field(min_length=1)
    normal: tuple[str, ...] = Field(min_length=1)
    denies: tuple[str, ...] = Field(min_length=1)
    window: int = Field(default=4, ge=1, le=8)


class _FindingFile(_Strict):
    version: int
    findings: tuple[FindingTerm, ...]
    normal_exams: tuple[NormalExam, ...] = ()

    @model_validator(mode="after")
    def _known_findings(self) -> _FindingFile:
        names = {f.name for f in self.findings}
        unknown = sorted({d for n in self.normal_exams for d in n.denies} - names)
        if unknown:
            raise ValueError(f"normal_exams deny findings not in the file: {unknown}")
        return self


class _AnatomyFile(_Strict):
    version: int
    comment: str = Field("", alias="_comment")
    anatomy: tuple[Anatomy, ...]

    @model_validator(mode="after")
    def _regions_known(self) -> _AnatomyFile:
        names = {a.name for a in self.anatomy}
        for a in self.anatomy:
            unknown = [r for r in a.within if r not in names or r == a.name]
            if unknown:
                raise ValueError(f"{a.name} lies within unknown regions {unknown}")
        return self


class _OrderFile(_Strict):
    version: int
    orders: tuple[OrderTerm, ...]


class Trigger(_Strict):
    """A ConText trigger group: a category, a direction and its terms."""

    # "conditional": a condition, a check or a plan for it ("call if you get a fever",
    # "watch for bleeding", "until the rash is gone"): it says neither that it is there
    # nor that it is not
    category: Literal["negated", "uncertain", "historical", "family", "conditional"]
    # "result": a result word after what it is said of, in the same phrase ("HIV
    # negative.", "urine pregnancy test negative, ...": ContextEngine's result scope)
    direction: Literal["forward", "backward", "result"]
    terms: tuple[str, ...]


class ContextRules(_Strict):
    """ConText-style rules: triggers, terminators, question and answer cues."""

    version: int
    window: int = Field(ge=1, le=30)
    triggers: tuple[Trigger, ...]
    terminators: tuple[str, ...]
    # a new clause ("there is ...") ends every scope but a family one: "for family
    # history, there's diabetes and kidney disease"
    clause_terminators: tuple[str, ...] = ()
    # phrases that hold a trigger but do not negate: "i don't know if that triggered my
    # gastritis", "if that doesn't work, the pain medicine", "isn't this your second ...?"
    pseudo_triggers: tuple[str, ...] = ()
    question_openers: tuple[str, ...]
    yes_answers: tuple[str, ...]
    no_answers: tuple[str, ...]
    # answers that agree with a question as it is put ("correct", "that's right"): to a
    # negative question ("no dizziness?") they confirm the negation
    agreeing_answers: tuple[str, ...] = ()
    # words that open a clause of a state still to come ("until the rash is gone",
    # "once the swelling goes down"): a resolution said there is a condition, not a
    # denial of now
    pending_openers: tuple[str, ...] = ()
    tag_questions: tuple[str, ...]
    wh_words: tuple[str, ...]


class UnitDef(_Strict):
    """A unit: its dimension, factor to the dimension's base unit, and spellings."""

    dimension: str
    factor: float = Field(gt=0)
    aliases: tuple[str, ...]


class FrequencyDef(_Strict):
    """A dosing frequency code with its administrations per day and phrases."""

    per_day: float = Field(ge=0)
    phrases: tuple[str, ...]


class Quantities(_Strict):
    """Number words, units, dosing frequencies and routes."""

    version: int
    cardinals: dict[str, int]
    ordinals: dict[str, int]
    multipliers: dict[str, int]
    units: dict[str, UnitDef]
    frequencies: dict[str, FrequencyDef]
    routes: dict[str, tuple[str, ...]]


class Scale(_Strict):
    """Another scale a value may be given in (a temperature in Celsius): a value within
    ``min``..``max`` is read on this scale and judged against its ``low``..``high``."""

    name: str
    min: float
    max: float
    low: float
    high: float


class MeasureDef(_Strict):
    """A vital sign or lab: spellings, unit, normal range and plausible range."""

    name: str
    aliases: tuple[str, ...]
    unit: str
    low: float
    high: float
    min: float
    max: float
    other_scales: tuple[Scale, ...] = ()

    def abnormal(self, value: float) -> bool:
        """Whether ``value`` lies outside the normal range of the scale it is given in."""
        for scale in self.other_scales:
            if scale.min <= value <= scale.max:
                return not scale.low <= value <= scale.high
        return not self.low <= value <= self.high


class BloodPressureDef(_Strict):
    """Blood pressure spellings and abnormal thresholds."""

    aliases: tuple[str, ...]
    systolic_high: float
    systolic_low: float
    diastolic_high: float
    diastolic_low: float


class Qualifiers(_Strict):
    """Words that place an ungiven value against its normal range ("Glucose normal.")."""

    comment: str = Field("", alias="_comment")
    high: tuple[str, ...]
    low: tuple[str, ...]
    normal: tuple[str, ...]
    between: tuple[str, ...]
    # a control status places blood pressure (whose treatment goal is its normal range's
    # top), not a lab whose goal differs from its range (an A1c of 7% is controlled)
    controlled: tuple[str, ...] = ()
    uncontrolled: tuple[str, ...] = ()


class Measurements(_Strict):
    """Vital signs and laboratory tests."""

    version: int
    vitals: tuple[MeasureDef, ...]
    blood_pressure: BloodPressureDef
    labs: tuple[MeasureDef, ...]
    qualifiers: Qualifiers
    # a word that places a measure by itself ("afebrile": temperature normal)
    states: dict[str, tuple[str, str]] = {}

    @model_validator(mode="after")
    def _states_known(self) -> Measurements:
        names = {d.name for d in (*self.vitals, *self.labs)} | {"blood pressure"}
        places = {"high", "low", "normal"}
        bad = sorted(w for w, (n, p) in self.states.items() if n not in names or p not in places)
        if bad:
            raise ValueError(f"states name unknown measures or places: {bad}")
        return self


class Phrases(_Strict):
    """Greetings, boilerplate and stopwords."""

    version: int
    greetings: tuple[str, ...]
    boilerplate: tuple[str, ...]
    yes_no_terms: tuple[str, ...]
    stopwords: tuple[str, ...]
    labels: tuple[str, ...]
    synonyms: dict[str, str]
    plan_cues: tuple[str, ...]
    change_cues: tuple[str, ...]
    # a bare "None." under a heading is read as the heading's denial ("ALLERGIES: None."
    # is "No known allergies."); keys are lower-case section names
    null_answers: tuple[str, ...] = ()
    section_denials: dict[str, str] = {}
    # a finding under a family-history heading is a relative's unless the sentence names
    # the patient ("FAMILY HISTORY: Hypertension."); the social habits a combined
    # family-and-social heading also holds stay the patient's
    family_sections: tuple[str, ...] = ()
    family_section_social: tuple[str, ...] = ()
    # phrases saying a history is unremarkable, by history ("family", "medical",
    # "surgical"): "no previous surgeries", "my family is pretty healthy"
    history_none: dict[str, tuple[str, ...]] = {}
    # what "a"/"an"/"another" counts as one: "I have a daughter" bears out "one daughter"
    count_nouns: tuple[str, ...] = ()
    # whose age a number is ("my mom was 67"): each relative's word and the person it
    # names; "relative" for words naming no one person ("my only sibling died at 40")
    relatives: dict[str, str] = {}
    # the pronoun a relative is spoken of with: "my mom died when she was 70"
    relative_pronouns: dict[str, str] = {}


class Lexicons(_Strict):
    """All verify resources, validated."""

    medications: tuple[Medication, ...]
    drug_classes: tuple[DrugClass, ...]
    findings: tuple[FindingTerm, ...]
    normal_exams: tuple[NormalExam, ...]
    anatomy: tuple[Anatomy, ...]
    orders: tuple[OrderTerm, ...]
    context: ContextRules
    quantities: Quantities
    measurements: Measurements
    phrases: Phrases


def _read(name: str, model: type[_Strict]) -> _Strict:
    path = resources.files("evident.verify") / "resources" / name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return model.model_validate(data)
    except (OSError, ValueError, ValidationError) as exc:
        first = str(exc).splitlines()[0]
        raise ConfigError(f"verify resource '{name}' is invalid: {first}") from None


@cache
def load_lexicons() -> Lexicons:
    """Load every resource file once and validate it.

    Returns:
        The validated lexicons.

    Raises:
        ConfigError: A resource file is missing or does not match its schema.
    """
    meds = _read("medications.json", _MedFile)
    finds = _read("findings.json", _FindingFile)
    anat = _read("anatomy.json", _AnatomyFile)
    orders = _read("orders.json", _OrderFile)
    return Lexicons(
        medications=meds.medications,  # type: ignore[attr-defined]
        drug_classes=meds.classes,  # type: ignore[attr-defined]
        findings=finds.findings,  # type: ignore[attr-defined]
        normal_exams=finds.normal_exams,  # type: ignore[attr-defined]
        anatomy=anat.anatomy,  # type: ignore[attr-defined]
        orders=orders.orders,  # type: ignore[attr-defined]
        context=_read("context.json", ContextRules),  # type: ignore[arg-type]
        quantities=_read("quantities.json", Quantities),  # type: ignore[arg-type]
        measurements=_read("measurements.json", Measurements),  # type: ignore[arg-type]
        phrases=_read("phrases.json", Phrases),  # type: ignore[arg-type]
    )
