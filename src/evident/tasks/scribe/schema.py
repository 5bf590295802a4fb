"""The structured output a language model returns for the scribe task."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["NoteOutput", "NoteStatement"]


class NoteStatement(BaseModel):
    """One statement of the note, citing utterance ids."""

    model_config = ConfigDict(extra="forbid")

    section: str = Field(description="One of the section names given in the instructions.")
    text: str = Field(min_length=1, description="One clinical sentence.")
    citations: list[str] = Field(
        default_factory=list, description="Ids of the utterances it rests on, e.g. ['u3', 'u4']."
    )


class NoteOutput(BaseModel):
    """The whole note: statements in reading order."""

    model_config = ConfigDict(extra="forbid")

    statements: list[NoteStatement]
