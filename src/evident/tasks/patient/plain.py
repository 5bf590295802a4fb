"""Plain-language rewriting of note sentences for patients, with its rules as data
(``resources/plain.yaml``): labels dropped, the note's third person turned to "you",
medical words replaced or explained from a glossary, long sentences split."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from evident.errors import ConfigError

__all__ = ["PlainRules", "drop_sentence", "load_plain", "plain_sentences", "rewrite"]


def _compiles(pattern: str) -> None:
    """Raise ValueError (which pydantic reports) for a pattern that does not compile."""
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad pattern {pattern!r}: {exc}") from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Term(_Strict):
    """A medical word (a pattern) and its plain meaning."""

    term: str
    plain: str
    mode: Literal["replace", "explain"] = "replace"


class PlainRules(_Strict):
    """The validated ``plain.yaml``."""

    version: int
    labels: list[str]
    drop: list[str]
    person: list[tuple[str, str]]
    verbs: dict[str, str]
    glossary: list[Term] = Field(min_length=1)
    frequencies: dict[str, str]
    routes: dict[str, str]
    changes: dict[str, str]
    negation: str
    medication_templates: dict[str, str]
    cues: dict[str, str]
    general_warning: str
    stopwords: list[str] = Field(default_factory=list)
    max_words: int = Field(ge=8)

    @model_validator(mode="after")
    def _compiles(self) -> PlainRules:
        patterns = [*self.labels, *self.drop, *(p for p, _ in self.person)]
        patterns += [t.term for t in self.glossary]
        patterns += [*self.changes.values(), *self.cues.values(), self.negation]
        for p in patterns:
            _compiles(p)
        numbered = [
            t.term
            for t in self.glossary
            if set(re.findall(r"\d+", t.plain)) - set(re.findall(r"\d+", t.term))
        ]
        if numbered:  # a number in an explanation reads as a fact the note never gave
            raise ValueError(f"glossary explanation with a number: {numbered[0]}")
        need = {"start", "increase", "decrease", "stop", "continue"}
        if set(self.changes) != need:
            raise ValueError(f"changes must be exactly {sorted(need)}")
        if set(self.medication_templates) != need | {"none"}:
            raise ValueError("medication_templates must name every change and 'none'")
        for kind in ("follow_up", "warning", "todo", "finding"):
            if kind not in self.cues:
                raise ValueError(f"cues lacks '{kind}'")
        return self


@cache
def load_plain() -> PlainRules:
    """The packaged plain-language rules, validated.

    Raises:
        ConfigError: The file is missing or invalid.
    """
    path = resources.files("evident.tasks.patient") / "resources" / "plain.yaml"
    try:
        return PlainRules.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"cannot read plain.yaml: {type(exc).__name__}") from None
    except ValidationError as exc:
        raise ConfigError(f"invalid plain.yaml: {exc.errors()[0]['msg']}") from None


@cache
def _compiled() -> dict[str, re.Pattern[str]]:
    r = load_plain()
    terms = sorted(range(len(r.glossary)), key=lambda i: -len(r.glossary[i].term))
    gloss = "|".join(rf"(?P<g{i}>\b(?:{r.glossary[i].term})\b)" for i in terms)
    verbs = sorted(r.verbs, key=len, reverse=True)
    return {
        "label": re.compile(rf"^\W*(?:{'|'.join(r.labels)})\s*:\s*", re.I),
        "drop": re.compile("|".join(r.drop), re.I),
        "glossary": re.compile(gloss, re.I),
        "verbs": re.compile(
            rf"\byou ((?:also |still |now |currently |not )?)({'|'.join(map(re.escape, verbs))})\b",
            re.I,
        ),
        # "an" before a lower-case consonant word, silent-h words and "x-ray" aside
        "an": re.compile(r"\b([Aa])n (?=(?!(?:hour|honest|heir|hono|herb|x-))[b-df-hj-np-tv-z])"),
        "break": re.compile(
            r";\s+|,\s+(?:and|but|so|which|as)\s+|\s+(?:and|but)\s+(?=we |you |i |your )"
            r"|,?\s+as well as\s+|\.\s+"
        ),
    }


def drop_sentence(text: str) -> bool:
    """Whether a note sentence is never shown to patients (boilerplate, intro line)."""
    return bool(_compiled()["drop"].search(text))


def _glossary(text: str, explained: set[str]) -> str:
    r = load_plain()

    def sub(m: re.Match[str]) -> str:
        i = int(next(k for k, v in m.groupdict().items() if v is not None)[1:])
        term = r.glossary[i]
        if term.mode == "replace":
            return term.plain
        if term.term in explained:
            return m.group(0)
        explained.add(term.term)
        return f"{m.group(0)} ({term.plain})"

    return _compiled()["glossary"].sub(sub, text)


def rewrite(text: str, explained: set[str] | None = None) -> str:
    """One note sentence in plain words, addressed to the patient.

    Args:
        text: The sentence as the note has it.
        explained: Glossary terms already explained in this document (updated), so a
            word is explained once.
    """
    r, rx = load_plain(), _compiled()
    out = rx["label"].sub("", text.strip())
    for pattern, repl in r.person:
        out = re.sub(pattern, repl, out, flags=re.I)
    out = rx["verbs"].sub(lambda m: f"you {m.group(1)}{r.verbs[m.group(2).lower()]}", out)
    out = _glossary(out, set() if explained is None else explained)
    out = rx["an"].sub(r"\1 ", out)  # "an elevated" became "an high": "a high"
    out = re.sub(r"\s+", " ", out).strip()
    return out[:1].upper() + out[1:] if out else out


def plain_sentences(text: str, explained: set[str] | None = None) -> list[str]:
    """:func:`rewrite`, then long sentences split at clause breaks into short ones (never a
    sentence with a negation, whose scope the split would cut)."""
    out = rewrite(text, explained)
    if not out:
        return []
    limit = load_plain().max_words
    parts = [out]
    # a denial's scope runs over the whole sentence: splitting it would affirm the rest
    if len(out.split()) > limit and not re.search(load_plain().negation, out, re.I):
        parts = [p for p in _compiled()["break"].split(out) if p.strip()]
    sentences = []
    for p in parts:
        p = p.strip().rstrip(",;")
        if not p:
            continue
        p = p[:1].upper() + p[1:]
        sentences.append(p if p[-1] in ".!?" else p + ".")
    return sentences
