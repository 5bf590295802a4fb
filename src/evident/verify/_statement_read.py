"""How a draft statement is read before it is checked: whether it has clinical content
at all, what a bare null answer under a heading stands for ("ALLERGIES: None." is "No
known allergies."), whose a finding under a family-history heading is, and whether it
belongs to a review of systems (for ``check.py``)."""

from __future__ import annotations

from dataclasses import replace

from evident.types import Finding, Statement
from evident.verify._resources import load_lexicons
from evident.verify.facts import Analysis

__all__ = [
    "in_review",
    "no_clinical_content",
    "section_reading",
    "statement_text",
    "under_family_heading",
]


def _phrase_sets() -> tuple[frozenset[str], tuple[str, ...]]:
    p = load_lexicons().phrases
    return frozenset(p.greetings) | frozenset(p.yes_no_terms) | frozenset(p.labels), p.boilerplate


def _content_terms(an: Analysis) -> list[str]:
    return [t for t in an.terms if not t.startswith("#")]


def no_clinical_content(st: Statement, an: Analysis) -> bool:
    clinical = [f for f in an.facts if f.kind != "quantity"]
    if clinical:
        return False
    greetings, boilerplate = _phrase_sets()
    lowered = " ".join(an.tokens)
    if any(b in lowered for b in boilerplate):
        return True
    words = [t for t in an.tokens if t[0].isalnum()]
    if not any(t[0].isalpha() for t in words) or " ".join(words) in greetings:
        return True
    if st.text.rstrip().endswith(":") and len(words) <= 6:
        return True
    return not _content_terms(an) and not an.facts


def section_reading(section: str, text: str) -> str | None:
    """A bare null answer under a heading that gives it meaning ("ALLERGIES: None.") as the
    statement it stands for ("No known allergies."), else None."""
    phrases = load_lexicons().phrases
    reading = phrases.section_denials.get(_section_name(section))
    if reading is None:
        return None
    words = " ".join(text.lower().replace(".", " ").replace(",", " ").split())
    return reading if words in phrases.null_answers else None


_PATIENT_SUBJECTS = frozenset({"i", "she", "he", "patient", "patient's", "pt"})


def under_family_heading(section: str, an: Analysis) -> Analysis:
    """A finding listed under a family-history heading belongs to a relative unless the
    sentence speaks of the patient ("FAMILY HISTORY: Hypertension." is a relative's)."""
    phrases = load_lexicons().phrases
    if _section_name(section) not in phrases.family_sections:
        return an
    if not _PATIENT_SUBJECTS.isdisjoint(an.tokens):
        return an
    social = set(phrases.family_section_social)
    facts = tuple(
        replace(f, family=True)
        if f.kind == "finding" and not f.family and f.key not in social
        else f
        for f in an.facts
    )
    return replace(an, facts=facts) if facts != an.facts else an


def _section_name(section: str) -> str:
    """A heading as the lexicons key it: lower case, single spaces ("REVIEW_OF  SYSTEMS")."""
    return " ".join(section.lower().replace("_", " ").split())


def in_review(st: Statement) -> bool:
    """Whether the statement belongs to a review of systems."""
    return _section_name(st.section) in {"ros", "review of systems", "review of symptoms"}


# typographic quotes as the readers' word lists write them ("McMurray’s test: negative.")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def statement_text(st: Statement, limit: int) -> tuple[str, list[Finding]]:
    """The text judged: cut to the size limit, typographic quotes made plain, a bare null
    answer read under its heading."""
    findings: list[Finding] = []
    text = st.text.translate(_QUOTES)
    if len(text) > limit:
        text = text[:limit]
        message = f"statement longer than {limit} characters was cut"
        findings.append(
            Finding(kind="statement_truncated", severity="info", where=st.id, message=message)
        )
    reading = section_reading(st.section, text)
    if reading is not None:
        text = reading
        message = f"read as '{reading}' under its heading '{st.section}'"
        findings.append(
            Finding(kind="section_reading", severity="info", where=st.id, message=message)
        )
    return text, findings
