"""Verify options: one frozen settings object that flows from every entry point.

``run_task``, ``evident verify``/``scribe``/``ask``/``batch``, the server settings and the
bench all build a :class:`VerifyOptions` and pass it to :func:`evident.verify.verify`; the
report's ``verifier`` string records the options that differ from the defaults.

``support_threshold`` is the configured entailer's score cutoff: a coverage share for
``lexical``, a probability for ``support``. None (the default) means the entailer's own
cutoff (its ``cutoff`` attribute: :data:`SUPPORT_THRESHOLD` for ``lexical``, the value in
the model file for ``support``).
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["DEFAULT_ENTAILER", "SUPPORT_THRESHOLD", "VerifyOptions"]

#: The lexical entailer's cutoff, and the cutoff of an entailer that names none.
SUPPORT_THRESHOLD = 0.4
#: The entailer used when none is named (lexical if its weights file is missing).
DEFAULT_ENTAILER = "support"


class VerifyOptions(BaseModel):
    """How the verify stage judges a draft.

    Attributes:
        entailer: Entailer spec: ``support`` (the learned support model, default),
            ``lexical`` (wording coverage), ``llm:<backend spec>`` (any configured model
            backend) or a name registered under the entry-point group
            ``evident.entailers``.
        support_threshold: The entailer's score cutoff: the score a statement the
            checkers judged on wording alone needs to be ``supported`` (in (0, 1]); None
            for the configured entailer's own cutoff.
        embeddings: Add dense-retrieval candidates and similarity (``embeddings`` extra).
        omissions: Look for important source facts the draft leaves out.
        max_omissions: Cap on the omissions reported (most important first).
        polarity: Run the structural polarity checker.
        substitution: Run the substitution checker (a word the statement rests on that
            the source lacks, where the source puts another word in its slot); off by
            default: held out it adds 1-11 points on antonyms and swapped findings for
            1-2 points of clean unsupported (docs/benchmarks.md), short of the trade
            asked for.
        antonyms: Run the antonym checker (the statement says of a thing the WordNet
            antonym of what the source says of it: contradicted).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    entailer: str = DEFAULT_ENTAILER
    support_threshold: float | None = Field(default=None, gt=0.0, le=1.0)
    embeddings: bool = False
    omissions: bool = True
    max_omissions: int = Field(default=25, ge=0, le=1000)
    polarity: bool = True
    substitution: bool = False
    antonyms: bool = True

    @field_validator("entailer")
    @classmethod
    def _entailer_spec(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("entailer spec must not be empty")
        return value

    def describe(self) -> str:
        """The options that differ from the defaults, as the report's ``verifier`` suffix
        (``+entail:llm:openai:gpt-4o+threshold:0.3``); empty for the defaults."""
        parts = []
        if self.embeddings:
            parts.append("dense")
        if self.entailer != DEFAULT_ENTAILER:
            parts.append(f"entail:{self.entailer}")
        if self.support_threshold is not None:
            parts.append(f"threshold:{self.support_threshold:g}")
        if not self.polarity:
            parts.append("no-polarity")
        if self.substitution:
            parts.append("substitution")
        if not self.antonyms:
            parts.append("no-antonyms")
        return "".join(f"+{p}" for p in parts)
