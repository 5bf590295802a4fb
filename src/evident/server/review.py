"""The review rules: what must be decided before signing, and the attestation.

A draft is signed only when every flagged statement (unsupported or contradicted) is
decided and every possible omission acknowledged, or with an override whose written
reason goes into the audit trail; either way the clinician confirms an attestation and
gives the name they sign with, both recorded with the ``sign`` record.
"""

from __future__ import annotations

from typing import Any

from evident.audit import omission_ids
from evident.server.security import ApiProblem
from evident.server.users import Principal
from evident.server.views import flagged_pending, note_text, omissions_pending, reverify

__all__ = [
    "acknowledge",
    "attestation_text",
    "decide",
    "sign",
    "sign_noun",
]

# What the clinician confirms; {noun} is the kind of document (note, answer, message).
ATTEST = (
    "I have reviewed this {noun} against its sources: every flagged statement is "
    "decided and every possible omission acknowledged."
)
ATTEST_OVERRIDE = (
    "I have reviewed this {noun} against its sources and sign it over {n} undecided "
    "item(s) for the reason recorded."
)


def sign_noun(task: str) -> str:
    """What signing a run of ``task`` approves: ``note``, ``answer`` (adapter's choice)."""
    from evident.server.tasks import task_adapters

    adapter = task_adapters().get(task)
    return adapter.document if adapter is not None else "note"


def attestation_text(task: str, undecided: int = 0) -> str:
    """The attestation a signer confirms (the override form when items are undecided)."""
    noun = sign_noun(task)
    if undecided:
        return ATTEST_OVERRIDE.format(noun=noun, n=undecided)
    return ATTEST.format(noun=noun)


def sign(state: Any, principal: Principal, stored: Any, body: Any) -> None:
    """Record ``sign`` once the review is complete (or overridden) and attested.

    Raises:
        ApiProblem: 422 without the attestation or name; 409 while flagged statements or
            omissions are undecided and no reason is given.
    """
    if body.statement_id or body.text:
        raise ApiProblem(422, "sign takes no statement_id or text", "action")
    clinician = (body.clinician or "").strip()
    if not body.attest or not clinician:
        raise ApiProblem(
            422,
            "sign needs the attestation ('attest': true) and the clinician's name ('clinician')",
            "attestation",
        )
    flagged, omitted = flagged_pending(stored), omissions_pending(stored)
    pending = flagged + omitted
    reason = (body.reason or "").strip() or None
    if pending and reason is None:
        raise ApiProblem(
            409,
            f"{len(flagged)} flagged statement(s) still need a decision and "
            f"{len(omitted)} possible omission(s) an acknowledgement "
            "(or sign with a 'reason' to override)",
            "review-pending",
            statement_ids=flagged,
            omission_ids=omitted,
        )
    state.store.record_action(
        stored.run.id,
        user=principal.user,
        statement_id=None,
        action="sign",
        before=None,
        after=note_text(stored),
        reason=reason if pending else None,
        overridden=pending,
        attestation=attestation_text(stored.run.task, len(pending)),
        clinician=clinician,
        based_on=stored.latest_seq,
    )


def acknowledge(state: Any, principal: Principal, stored: Any, body: Any) -> None:
    """Record that the clinician has seen a possible omission (``om1``, ...)."""
    if body.text is not None or body.reason is not None:
        raise ApiProblem(422, "acknowledge takes only a statement_id (the omission id)", "action")
    if body.statement_id not in omission_ids(stored.run):
        raise ApiProblem(422, "statement_id must name an omission of this run (om1, ...)", "action")
    if body.statement_id in stored.acknowledged:
        return  # acknowledged already: nothing new to record
    state.store.record_action(
        stored.run.id,
        user=principal.user,
        statement_id=body.statement_id,
        action="acknowledge",
        based_on=stored.latest_seq,
    )


def decide(state: Any, principal: Principal, stored: Any, body: Any) -> None:
    """Record an accept, edit (checked again) or reject of one statement."""
    ids = {st.id: st for st in stored.run.draft.statements}
    if not body.statement_id or body.statement_id not in ids:
        raise ApiProblem(422, "statement_id must name a statement of this draft", "action")
    if body.reason is not None:
        raise ApiProblem(422, "only sign takes a reason", "action")
    current = stored.statements.get(body.statement_id)
    before = current.text if current else ids[body.statement_id].text
    verdict = None
    if body.action == "edit":
        if body.text is None or not body.text.strip():
            raise ApiProblem(422, "edit needs a non-empty text", "action")
        new_text = body.text.strip()
        verdict = reverify(stored, body.statement_id, new_text, state.settings.verify)
        after: str | None = new_text
    else:
        if body.text is not None:
            raise ApiProblem(422, f"{body.action} takes no text", "action")
        after = before if body.action == "accept" else None
    state.store.record_action(
        stored.run.id,
        user=principal.user,
        statement_id=body.statement_id,
        action=body.action,
        before=before,
        after=after,
        verdict=verdict,
        based_on=stored.latest_seq,
    )
