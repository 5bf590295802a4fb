"""The differential's JSON contract (the offline engine and a model return the same)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Candidate", "Cite", "Differential", "DifferentialOutput", "NextStep", "RedFlag"]

Likelihood = Literal["high", "medium", "low"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cite(_Strict):
    """A finding and the exact words of the case that show it."""

    finding: str = Field(min_length=1, description="The finding, in clinical words.")
    quote: str = Field(min_length=1, description="Exact text copied from the case.")


class Candidate(_Strict):
    """One diagnosis of the differential."""

    rank: int = Field(ge=1)
    diagnosis: str = Field(min_length=1)
    likelihood: Likelihood
    supporting: list[Cite] = Field(default_factory=list)
    opposing: list[Cite] = Field(default_factory=list)
    missing: list[str] = Field(
        default_factory=list, description="Findings or tests not yet known that would decide."
    )
    must_not_miss: bool = False


class RedFlag(_Strict):
    """An emergency whose presentation the case fits."""

    diagnosis: str
    supporting: list[Cite] = Field(default_factory=list)


class NextStep(_Strict):
    """A test to do next and why."""

    test: str = Field(min_length=1)
    why: str = ""


class DifferentialOutput(_Strict):
    """What a language model returns."""

    differential: list[Candidate]
    red_flags: list[RedFlag] = Field(default_factory=list)
    next_steps: list[NextStep] = Field(default_factory=list)


class Differential(DifferentialOutput):
    """The command's output: the differential and who wrote it."""

    model: str = "offline"
    issues: list[str] = Field(
        default_factory=list,
        description="What verification removed or marked (quotes not in the case, denied "
        "findings cited as supporting, disease-finding links the table does not hold).",
    )
