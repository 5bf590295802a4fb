"""Value types of the audit trail: what the store returns, and its errors.

These are light (pydantic only, no database driver), so the REST API and the CLI can use
them without importing SQLAlchemy.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from evident.errors import AuditError, ConfigError, InputError
from evident.types import Run

__all__ = [
    "ACTIONS",
    "Action",
    "ActionRecord",
    "ChainProblem",
    "ChainReport",
    "Decision",
    "PatientInfo",
    "ProblemKind",
    "RunNotFound",
    "RunSignedError",
    "RunStatus",
    "RunSummary",
    "StatementState",
    "StoredRun",
    "age_band",
    "normalise_sex",
    "omission_ids",
]

Action = Literal["accept", "edit", "reject", "acknowledge", "sign"]
ACTIONS: tuple[str, ...] = ("accept", "edit", "reject", "acknowledge", "sign")
RunStatus = Literal["draft", "signed"]
Decision = Literal["pending", "accepted", "edited", "rejected"]
ProblemKind = Literal["modified", "deleted", "reordered", "inserted"]


class RunNotFound(InputError, LookupError):
    """No run with this id is in the audit trail."""


class RunSignedError(AuditError):
    """The run is signed: the trail refuses further clinician actions on it."""


class RunChangedError(AuditError):
    """The run has actions newer than the view an action was decided on."""


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _SliceRules(_Frozen):
    class Band(_Frozen):
        label: str
        min: int = Field(ge=0)
        max: int = Field(ge=0)

    version: int
    sex: dict[str, list[str]]
    age_bands: list[Band]


@lru_cache(maxsize=1)
def _slice_rules() -> _SliceRules:
    text = (resources.files("evident.audit") / "resources" / "slices.json").read_text("utf-8")
    try:
        rules = _SliceRules.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        raise ConfigError(f"audit/resources/slices.json is invalid: {exc}") from None
    last = -1
    for band in rules.age_bands:
        if band.min != last + 1 or band.max < band.min:
            raise ConfigError(
                f"audit/resources/slices.json: age band {band.label} is not contiguous"
            )
        last = band.max
    return rules


def normalise_sex(value: str | None) -> str | None:
    """Map a recorded sex to one of ``female``, ``male``, ``other``, ``unknown`` (or None)."""
    if value is None:
        return None
    key = value.strip().lower()
    for label, aliases in _slice_rules().sex.items():
        if key == label or key in aliases:
            return label
    return "other"


def age_band(age: int | None) -> str | None:
    """Return the age band (``45-64``, ``80+``...) of an age in years, or None."""
    if age is None:
        return None
    for band in _slice_rules().age_bands:
        if band.min <= age <= band.max:
            return band.label
    raise InputError(f"age {age} is outside the supported range")


class PatientInfo(_Frozen):
    """Patient attributes used only to slice the monitoring metrics (equity).

    The store records the normalised sex and the age *band*, never the exact age.

    Attributes:
        sex: ``female``, ``male``, ``other`` or ``unknown`` (common aliases accepted).
        age: Age in years, 0 to 150.
    """

    sex: str | None = None
    age: int | None = Field(default=None, ge=0, le=150)

    @field_validator("sex")
    @classmethod
    def _norm_sex(cls, value: str | None) -> str | None:
        return normalise_sex(value)

    def slice_record(self) -> dict[str, str | None]:
        """What the trail stores: ``{"sex": ..., "age_band": ...}``."""
        return {"sex": self.sex, "age_band": age_band(self.age)}


class ActionRecord(_Frozen):
    """One clinician action as appended to the trail.

    Attributes:
        seq: Position of the record in the chain.
        run_id: The run acted on.
        user: Who acted.
        at: UTC time of the action.
        statement_id: The statement; for ``acknowledge`` the omission (``om1``, ...);
            None for ``sign``.
        action: ``accept``, ``edit``, ``reject``, ``acknowledge`` or ``sign``.
        before: Statement text before an edit.
        after: Statement text after an edit.
        verdict: For an edit, the verify stage's verdict on the new text (JSON), when
            the caller checked it again.
        reason: For ``sign``, the clinician's reason to sign over flagged statements
            still undecided (an override), else None.
        overridden: For an override ``sign``, the flagged statements (and omissions)
            it signed over.
        attestation: For ``sign``, the attestation the clinician confirmed, if any.
        clinician: For ``sign``, the name the clinician signed with, if given.
        hash: The record's chain hash.
    """

    seq: int
    run_id: str
    user: str
    at: datetime
    statement_id: str | None
    action: Action
    before: str | None = None
    after: str | None = None
    verdict: dict[str, Any] | None = None
    reason: str | None = None
    overridden: tuple[str, ...] = ()
    attestation: str | None = None
    clinician: str | None = None
    hash: str = ""


class StatementState(_Frozen):
    """Where a statement stands after the clinician's actions.

    Attributes:
        statement_id: The statement.
        text: Its current text (the last edit, else the generated text).
        original: The generated text.
        label: The verify stage's verdict label, or None when it has none; after an edit
            that was checked again, the label of the new text.
        decision: ``pending``, ``accepted``, ``edited`` (edited, not yet accepted) or
            ``rejected``.
        edited: True when the text was edited at least once.
        by: Who took the last decision.
        verdict: The verdict of the edited text (JSON) when the edit was checked again.
    """

    statement_id: str
    text: str
    original: str
    label: str | None = None
    decision: Decision = "pending"
    edited: bool = False
    by: str | None = None
    verdict: dict[str, Any] | None = None


class StoredRun(_Frozen):
    """A run as stored, with the clinician's actions on it.

    Attributes:
        run: The recorded run.
        seq: Position of its record in the chain.
        user: Who started the run.
        created_at: UTC time the run was recorded.
        status: ``draft`` or ``signed``.
        patient: Stored slice attributes (``sex``, ``age_band``), or None.
        actions: Actions in the order they were recorded.
        statements: Current state of every statement, by id, in draft order.
        signed_by: Who signed (user name), when signed.
        acknowledged: Omission ids (``om1``, ...) the clinician acknowledged.
        attestation: The attestation confirmed at signing, if any.
        attested_by: The clinician name given with the attestation, if any.
    """

    run: Run
    seq: int
    user: str
    created_at: datetime
    status: RunStatus = "draft"
    patient: dict[str, str | None] | None = None
    actions: tuple[ActionRecord, ...] = ()
    statements: dict[str, StatementState] = Field(default_factory=dict)
    signed_by: str | None = None
    acknowledged: tuple[str, ...] = ()
    attestation: str | None = None
    attested_by: str | None = None

    @property
    def latest_seq(self) -> int:
        """The chain position of the run's newest record: its last action, else itself."""
        return self.actions[-1].seq if self.actions else self.seq


class RunSummary(_Frozen):
    """One line of a run listing.

    Attributes:
        run_id: The run.
        seq: Position of its record in the chain.
        task: Task name.
        model: Model spec.
        user: Who started it.
        created_at: UTC time it was recorded.
        status: ``draft`` or ``signed``.
        statements: Number of statements in the draft.
        labels: Count of statements per verdict label.
        encounter: The encounter's label (given with the run, else the patient key or
            the first source's id), or None.
        patient: The patient slice stored with the run (``sex``, ``age_band``), or None.
    """

    run_id: str
    seq: int
    task: str
    model: str
    user: str
    created_at: datetime
    status: RunStatus = "draft"
    statements: int = 0
    labels: dict[str, int] = Field(default_factory=dict)
    encounter: str | None = None
    patient: dict[str, str | None] | None = None


def omission_ids(run: Run) -> list[str]:
    """The ids the trail gives the report's omissions: ``om1``, ``om2``, ... in order."""
    return [f"om{i}" for i in range(1, len(run.report.omissions) + 1)]


class ChainProblem(_Frozen):
    """One way the chain fails verification.

    Attributes:
        seq: The record concerned (for ``deleted``, the first missing position).
        kind: ``modified``, ``deleted``, ``reordered`` or ``inserted``.
        run_id: The run the record belongs to, when known.
        message: One line naming the record and what is wrong; never record content.
    """

    seq: int
    kind: ProblemKind
    run_id: str | None = None
    message: str


class ChainReport(_Frozen):
    """The result of verifying the chain.

    Attributes:
        ok: True when no problem was found.
        checked: Number of records read.
        head_seq: The last sequence number the store wrote (from its head row).
        head_hash: The hash of that record.
        problems: Every problem found, in chain order.
    """

    ok: bool
    checked: int
    head_seq: int = 0
    head_hash: str = ""
    problems: tuple[ChainProblem, ...] = ()

    def lines(self) -> list[str]:
        """Human-readable lines: ``OK ...`` or one line per problem."""
        if self.ok:
            return [f"OK: {self.checked} records verified (head seq {self.head_seq})"]
        return [f"seq {p.seq}: {p.kind}: {p.message}" for p in self.problems]
