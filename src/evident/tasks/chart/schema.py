"""The structured output a language model returns for the chart task."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ChartOutput", "ChartStatement"]


class ChartStatement(BaseModel):
    """One statement of the chart summary, citing resource ids."""

    model_config = ConfigDict(extra="forbid")

    section: str = Field(description="One of the section names given in the instructions.")
    text: str = Field(min_length=1, description="One clinical sentence.")
    citations: list[str] = Field(
        default_factory=list,
        description="Ids of the resources it rests on, e.g. ['Condition/abc'].",
    )


class ChartOutput(BaseModel):
    """The whole summary: statements in reading order."""

    model_config = ConfigDict(extra="forbid")

    statements: list[ChartStatement]
