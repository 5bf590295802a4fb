"""What the API returns for a stored run, and the note exports (text and FHIR R4)."""

from __future__ import annotations

import base64
from typing import Any

from evident.errors import ConfigError

__all__ = [
    "fhir_document_reference",
    "flagged_pending",
    "note_text",
    "omissions_pending",
    "reverify",
    "run_view",
    "summary_view",
]

FLAGGED = ("unsupported", "contradicted")
# LOINC document types per task; anything else is a generic note.
_LOINC = {"scribe": ("11506-3", "Progress note")}
_GENERIC = ("34109-9", "Note")
# The extension that carries the signer's attestation in the FHIR export.
ATTESTATION_URL = "urn:evident:attestation"


def _state(stored: Any, statement_id: str, original: str) -> tuple[str, str]:
    st = stored.statements.get(statement_id)
    if st is None:
        return original, "pending"
    return st.text, st.decision


def run_view(stored: Any) -> dict[str, Any]:
    """The JSON of a stored run: draft with verdicts and decisions, sources, actions."""
    run = stored.run
    statements = []
    for sec in run.draft.sections:
        for st in sec.statements:
            verdict = run.report.verdict(st.id)
            text, decision = _state(stored, st.id, st.text)
            original = verdict.model_dump(mode="json") if verdict else None
            state = stored.statements.get(st.id)
            current = state.verdict if state is not None and state.verdict else original
            statements.append(
                {
                    "id": st.id,
                    "section": sec.name,
                    "text": text,
                    "original_text": st.text,
                    "citations": list(st.citations),
                    "decision": decision,
                    "verdict": current,
                    "original_verdict": original,
                }
            )
    return {
        "id": run.id,
        "task": run.task,
        "created_at": stored.created_at.isoformat(),
        "user": stored.user,
        "status": stored.status,
        "signed_by": stored.signed_by,
        "model": run.model.model_dump(mode="json"),
        "prompt_version": run.prompt_version,
        "params": run.params,
        "timings_ms": run.timings_ms,
        "usage": run.usage.model_dump(mode="json"),
        "patient": stored.patient,
        "sections": [
            {"name": sec.name, "statement_ids": [st.id for st in sec.statements]}
            for sec in run.draft.sections
        ],
        "statements": statements,
        "draft": run.draft.model_dump(mode="json"),
        "report": run.report.model_dump(mode="json"),
        "sources": [
            {
                "id": src.id,
                "kind": src.kind,
                "segments": [seg.model_dump(mode="json") for seg in src.segments],
            }
            for src in run.sources
        ],
        "actions": [a.model_dump(mode="json") for a in stored.actions],
        "flagged_pending": flagged_pending(stored),
        "omissions": _omissions(stored),
        "omissions_pending": omissions_pending(stored),
        "attestation": stored.attestation,
        "attested_by": stored.attested_by,
        "encounter": _encounter(run),
    }


def _omissions(stored: Any) -> list[dict[str, Any]]:
    from evident.audit import omission_ids

    done = set(stored.acknowledged)
    return [
        {**om.model_dump(mode="json"), "id": oid, "acknowledged": oid in done}
        for oid, om in zip(omission_ids(stored.run), stored.run.report.omissions, strict=True)
    ]


def _encounter(run: Any) -> str | None:
    """The encounter's label: given with the run, else the patient key or the source id."""
    for key in ("encounter", "patient"):
        for src in run.sources:
            if src.meta.get(key):
                return str(src.meta[key])
    return run.sources[0].id if run.sources else None


def omissions_pending(stored: Any) -> list[str]:
    """Ids (``om1``, ...) of the report's omissions the clinician has not acknowledged."""
    from evident.audit import omission_ids

    done = set(stored.acknowledged)
    return [oid for oid in omission_ids(stored.run) if oid not in done]


def summary_view(summary: Any) -> dict[str, Any]:
    """The JSON of one run listing line."""
    data: dict[str, Any] = summary.model_dump(mode="json")
    data["id"] = data.pop("run_id")
    return data


def flagged_pending(stored: Any) -> list[str]:
    """Ids of unsupported or contradicted statements the clinician has not decided on.

    The label is the current one: an edit checked again replaces the generated text's
    verdict. An edited statement whose new text is still flagged needs an explicit
    accept (or reject); an edit alone does not decide it.
    """
    out = []
    for st in stored.run.draft.statements:
        state = stored.statements.get(st.id)
        verdict = stored.run.report.verdict(st.id)
        label = state.label if state is not None else (verdict.label if verdict else None)
        decision = state.decision if state is not None else "pending"
        if label in FLAGGED and decision in ("pending", "edited"):
            out.append(st.id)
    return out


def reverify(stored: Any, statement_id: str, text: str, options: Any = None) -> dict[str, Any]:
    """Check an edited statement again against the run's sources.

    The edit is judged as a one-statement draft by the public :func:`evident.verify.verify`
    (no omissions: the rest of the draft is not part of it), in the statement's section,
    with the server's verify options (``options``, a ``VerifyOptions``; None: defaults).

    Returns:
        The new verdict as JSON, its ``judge`` marked ``recheck:<judge>``.
    """
    from evident.types import Draft, Section, Statement
    from evident.verify import verify
    from evident.verify.options import VerifyOptions

    run = stored.run
    original = next(st for st in run.draft.statements if st.id == statement_id)
    statement = Statement(id=statement_id, text=text, section=original.section)
    draft = Draft(
        task=run.draft.task,
        sections=(Section(name=original.section, statements=(statement,)),),
        model=run.draft.model,
        prompt_version=run.draft.prompt_version,
        meta=run.draft.meta,
    )
    base = options if isinstance(options, VerifyOptions) else VerifyOptions()
    report = verify(draft, run.sources, options=base.model_copy(update={"omissions": False}))
    found = report.verdict(statement_id)
    if found is None:  # verify judges every statement; keep the page honest if not
        return {
            "statement_id": statement_id,
            "label": "unsupported",
            "evidence": [],
            "reason": "the edit could not be checked",
            "score": 0.0,
            "judge": "recheck",
        }
    data: dict[str, Any] = found.model_dump(mode="json")
    data["judge"] = f"recheck:{found.judge}"
    return data


def note_text(stored: Any) -> str:
    """The note as the clinician left it: edits applied, rejected statements left out."""
    blocks = []
    for sec in stored.run.draft.sections:
        lines = []
        for st in sec.statements:
            text, decision = _state(stored, st.id, st.text)
            if decision != "rejected" and text.strip():
                lines.append(text)
        if lines:
            blocks.append("\n".join(([f"{sec.name.upper()}:"] if sec.name else []) + lines))
    body = "\n\n".join(blocks) + "\n"
    if stored.status == "signed":
        footer = f"\n-- Signed by {_signer(stored)}. Run {stored.run.id}.\n"
        if stored.attestation:
            footer += f"-- Attestation: {stored.attestation}\n"
    else:
        footer = f"\n-- DRAFT, not signed. Run {stored.run.id}.\n"
    return body + footer


def _signer(stored: Any) -> str:
    """The signer as the note names them: the attested name and the user, or the user."""
    user = stored.signed_by or stored.user
    if stored.attested_by:
        return f"{stored.attested_by} (user {user})"
    return str(user)


def _subject(run: Any) -> dict[str, Any]:
    """The patient the note is about: the sources' patient key, else this run's patient."""
    for src in run.sources:
        key = src.meta.get("patient")
        if key:
            return {"identifier": {"system": "urn:evident:patient", "value": key}}
    return {"display": f"patient of Evident run {run.id}"}


def _engine(run: Any) -> str:
    """Who wrote the draft: the offline engine (named as such) or the model."""
    engine = run.draft.meta.get("engine")
    if run.model.offline:
        return f"Evident offline engine ({engine or 'offline'}), no language model"
    return f"model {run.model.spec or run.model.name}"


def _verification(run: Any) -> str:
    from evident.verify import report_counts

    c = report_counts(run.draft, run.report)
    return (
        f"{c['statements']} statements, {c['supported']} supported, {c['unsupported']} "
        f"unsupported, {c['contradicted']} contradicted; {c['omissions']} omissions"
    )


def fhir_document_reference(stored: Any) -> dict[str, Any]:
    """The note as a FHIR R4 ``DocumentReference``, validated with ``fhir.resources``.

    Raises:
        ConfigError: ``fhir.resources`` is not installed.
    """
    try:
        from fhir.resources.R4B.documentreference import DocumentReference
    except ImportError:
        from evident.errors import missing_extra

        raise missing_extra("fhir.resources", "server") from None
    run = stored.run
    code, display = _LOINC.get(run.task, _GENERIC)
    signed = stored.status == "signed"
    data = {
        "resourceType": "DocumentReference",
        "identifier": [{"system": "urn:evident:run", "value": run.id}],
        "status": "current",
        "docStatus": "final" if signed else "preliminary",
        "type": {"coding": [{"system": "http://loinc.org", "code": code, "display": display}]},
        "date": stored.created_at.isoformat(),
        "subject": _subject(run),
        "author": [{"display": stored.user}, {"display": _engine(run)}],
        "description": f"Evident {run.task} note by {_engine(run)}, prompt "
        f"{run.prompt_version}; verification: {_verification(run)}",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "data": base64.b64encode(note_text(stored).encode()).decode(),
                    "title": f"{display} (evident run {run.id})",
                    "creation": stored.created_at.isoformat(),
                }
            }
        ],
    }
    if signed:
        data["authenticator"] = {"display": _signer(stored)}
        if stored.attestation:
            data["extension"] = [{"url": ATTESTATION_URL, "valueString": stored.attestation}]
    try:
        resource = DocumentReference.model_validate(data)
    except ValueError as exc:  # a bug here, not user input: name it without content
        raise ConfigError(
            f"FHIR DocumentReference did not validate ({type(exc).__name__})"
        ) from None
    out: dict[str, Any] = resource.model_dump(mode="json", exclude_none=True)
    return out
