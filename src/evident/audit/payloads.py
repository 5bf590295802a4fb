"""What each record stores: payloads, the indexed columns derived from them, and states.

Payloads are plain JSON (the run dumped by pydantic in JSON mode); the indexed columns
and the metrics summary are pure functions of the payload, so verification can recompute
them and detect an edited column as well as an edited payload.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from evident.audit.chain import ChainRow, canonical_json, record_hash
from evident.audit.records import (
    ActionRecord,
    PatientInfo,
    StatementState,
    StoredRun,
)
from evident.types import Run

__all__ = [
    "PAYLOAD_VERSION",
    "action_payload",
    "action_record",
    "chain_row",
    "columns_for",
    "encounter_of",
    "failure_payload",
    "now_iso",
    "run_payload",
    "stored_run",
]

PAYLOAD_VERSION = 1


def now_iso() -> str:
    """The current UTC time as ISO 8601 with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def run_payload(run: Run, user: str, patient: PatientInfo | None, at: str) -> dict[str, Any]:
    """The payload of a run record (the run as JSON, plus who and the patient slice)."""
    return {
        "v": PAYLOAD_VERSION,
        "kind": "run",
        "run_id": run.id,
        "user": user,
        "at": at,
        "patient": patient.slice_record() if patient else None,
        "run": run.model_dump(mode="json"),
    }


def action_payload(
    run_id: str,
    user: str,
    statement_id: str | None,
    action: str,
    before: str | None,
    after: str | None,
    at: str,
    *,
    verdict: Mapping[str, Any] | None = None,
    reason: str | None = None,
    overridden: Iterable[str] = (),
    attestation: str | None = None,
    clinician: str | None = None,
) -> dict[str, Any]:
    """The payload of a clinician-action record.

    ``verdict`` (an edit checked again), ``reason`` and ``overridden`` (a sign over
    flagged statements), ``attestation`` and ``clinician`` (a sign's attestation) are
    stored only when given, so older records hash as before.
    """
    extra: dict[str, Any] = {}
    if verdict is not None:
        extra["verdict"] = dict(verdict)
    if reason is not None:
        extra["reason"] = reason
        extra["overridden"] = list(overridden)
    if attestation is not None:
        extra["attestation"] = attestation
    if clinician is not None:
        extra["clinician"] = clinician
    return {
        **extra,
        "v": PAYLOAD_VERSION,
        "kind": "action",
        "run_id": run_id,
        "user": user,
        "at": at,
        "statement_id": statement_id,
        "action": action,
        "before": before,
        "after": after,
    }


def failure_payload(
    run_id: str, user: str, task: str, model: str, stage: str, error_class: str, at: str
) -> dict[str, Any]:
    """The payload of a run that failed: where and of which error class, never content."""
    return {
        "v": PAYLOAD_VERSION,
        "kind": "failure",
        "run_id": run_id,
        "user": user,
        "at": at,
        "task": task,
        "model": model,
        "stage": stage,
        "error_class": error_class,
    }


def _latency_ms(timings: Mapping[str, Any]) -> float:
    if "total" in timings:
        return float(timings["total"])
    return float(sum(float(v) for k, v in timings.items() if k != "audit"))


def run_summary(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The per-run figures the metrics need, computed from a run payload."""
    run = payload["run"]
    statements = [st for sec in run["draft"]["sections"] for st in sec["statements"]]
    labels = Counter(v["label"] for v in run["report"]["verdicts"])
    patient = payload.get("patient") or {}
    return {
        "task": run["task"],
        "model": run["model"]["spec"],
        "created": run["created_at"],
        "statements": len(statements),
        "labels": dict(sorted(labels.items())),
        "omissions": len(run["report"].get("omissions", ())),
        "latency_ms": round(_latency_ms(run.get("timings_ms", {})), 3),
        "sex": patient.get("sex"),
        "age_band": patient.get("age_band"),
    }


def columns_for(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The indexed columns of a record, derived from its payload."""
    kind = payload["kind"]
    cols: dict[str, Any] = {
        "kind": kind,
        "run_id": payload["run_id"],
        "user_name": payload["user"],
        "created_at": payload["at"],
        "task": None,
        "model": None,
        "action": None,
        "summary": None,
    }
    if kind == "run":
        summary = run_summary(payload)
        cols.update(task=summary["task"], model=summary["model"])
        cols["summary"] = canonical_json(summary)
    elif kind == "failure":
        cols.update(task=payload["task"], model=payload["model"])
    else:
        cols["action"] = payload["action"]
    return cols


def action_record(seq: int, payload: Mapping[str, Any], record_hash: str) -> ActionRecord:
    """Build the ActionRecord of an action payload."""
    return ActionRecord(
        seq=seq,
        run_id=payload["run_id"],
        user=payload["user"],
        at=datetime.fromisoformat(payload["at"]),
        statement_id=payload["statement_id"],
        action=payload["action"],
        before=payload["before"],
        after=payload["after"],
        verdict=payload.get("verdict"),
        reason=payload.get("reason"),
        overridden=tuple(payload.get("overridden") or ()),
        attestation=payload.get("attestation"),
        clinician=payload.get("clinician"),
        hash=record_hash,
    )


def _states(run: Run, actions: Iterable[ActionRecord]) -> dict[str, StatementState]:
    labels = {v.statement_id: v.label for v in run.report.verdicts}
    states = {
        st.id: StatementState(
            statement_id=st.id, text=st.text, original=st.text, label=labels.get(st.id)
        )
        for st in run.draft.statements
    }
    decisions = {"accept": "accepted", "edit": "edited", "reject": "rejected"}
    for act in actions:
        state = states.get(act.statement_id or "")
        if state is None or act.action not in decisions:
            continue
        update: dict[str, Any] = {"decision": decisions[act.action], "by": act.user}
        if act.action == "edit" and act.after is not None:
            update.update(text=act.after, edited=True, verdict=act.verdict)
            if act.verdict is not None:
                update["label"] = act.verdict.get("label")
        states[state.statement_id] = state.model_copy(update=update)
    return states


def stored_run(seq: int, payload_text: str, actions: list[ActionRecord]) -> StoredRun:
    """Build the StoredRun of a run record and its actions (in chain order)."""
    payload = json.loads(payload_text)
    run = Run.model_validate(payload["run"])
    sign = next((a for a in actions if a.action == "sign"), None)
    signer = sign.user if sign is not None else None
    acknowledged = dict.fromkeys(
        a.statement_id for a in actions if a.action == "acknowledge" and a.statement_id
    )
    return StoredRun(
        run=run,
        seq=seq,
        user=payload["user"],
        created_at=datetime.fromisoformat(payload["at"]),
        status="signed" if signer else "draft",
        patient=payload.get("patient"),
        actions=tuple(actions),
        statements=_states(run, actions),
        signed_by=signer,
        acknowledged=tuple(acknowledged),
        attestation=sign.attestation if sign is not None else None,
        attested_by=sign.clinician if sign is not None else None,
    )


def encounter_of(payload: Mapping[str, Any]) -> str | None:
    """The label a run listing shows for a run payload's encounter.

    The label given with the run (``encounter`` in the first source's meta), else the
    sources' patient key, else the first source's id.
    """
    sources = payload.get("run", {}).get("sources") or []
    for key in ("encounter", "patient"):
        for src in sources:
            value = (src.get("meta") or {}).get(key)
            if value:
                return str(value)
    return str(sources[0].get("id")) if sources else None


def chain_row(m: Any) -> ChainRow:
    """A stored row, read for verification: hash and columns checked here.

    The payload is kept only when its hash fails (to look for where it was written),
    so verifying a long chain does not hold every payload in memory.
    """
    payload_text = str(m["payload"])
    content_ok = record_hash(m["prev_hash"], payload_text, int(m["seq"])) == m["hash"]
    try:
        expected = columns_for(json.loads(payload_text))
        columns_ok = all(m[k] == v for k, v in expected.items())
    except (ValueError, KeyError, TypeError):
        columns_ok = True  # unreadable payload: the hash check names it
    return ChainRow(
        seq=int(m["seq"]),
        run_id=m["run_id"],
        payload="" if content_ok else payload_text,
        prev_hash=m["prev_hash"],
        hash=m["hash"],
        columns_ok=columns_ok,
        content_ok=True if content_ok else None,
    )
