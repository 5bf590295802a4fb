"""Verify options: one frozen settings object that flows from every entry point.

``run_task``, ``evident verify``/``scribe``/``ask``, the server settings and the bench
all build a :class:`VerifyOptions` and pass it to :func:`evident.verify.verify`; the
report's ``verifier`` string records the options that differ from the defaults.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

__all__ = ["DEFAULT_ENTAILER", "SUPPORT_THRESHOLD", "VerifyOptions"]

SUPPORT_THRESHOLD = 0.4
DEFAULT_ENTAILER = "lexical"


class VerifyOptions(BaseModel):
    """How the verify stage judges a draft.

    Attributes:
        entailer: Entailer spec: ``lexical`` (wording coverage), ``llm:<backend spec>``
            (any configured model backend) or a name registered under the entry-point
            group ``evident.entailers``.
        support_threshold: Score a statement the checkers judged on wording alone needs
            to be ``supported`` (in (0, 1]).
        embeddings: Add dense-retrieval candidates and similarity (``embeddings`` extra).
        omissions: Look for important source facts the draft leaves out.
        max_omissions: Cap on the omissions reported (most important first).
        polarity: Run the structural polarity checker.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    entailer: str = DEFAULT_ENTAILER
    support_threshold: float = Field(default=SUPPORT_THRESHOLD, gt=0.0, le=1.0)
    embeddings: bool = False
    omissions: bool = True
    max_omissions: int = Field(default=25, ge=0, le=1000)
    polarity: bool = True

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
        if self.support_threshold != SUPPORT_THRESHOLD:
            parts.append(f"threshold:{self.support_threshold:g}")
        if not self.polarity:
            parts.append("no-polarity")
        return "".join(f"+{p}" for p in parts)
