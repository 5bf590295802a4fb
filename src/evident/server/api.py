"""The REST API under ``/api`` (roles per route in the OpenAPI extension ``x-roles``)."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import BaseModel, ConfigDict, Field, field_validator

from evident.errors import InputError
from evident.server import review
from evident.server.inputs import SECTIONS, check_options, check_text
from evident.server.jobs import Job
from evident.server.security import ApiProblem, current_principal, roles_extra
from evident.server.tasks import TaskInput, demo_transcripts, task_adapter, task_adapters
from evident.server.users import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, Principal
from evident.server.views import fhir_document_reference, note_text, run_view, summary_view

__all__ = ["ActionRequest", "PatientIn", "RunRequest", "router"]

router = APIRouter(prefix="/api", tags=["api"])

ALL = ("clinician", "auditor", "admin")
WRITERS = ("clinician", "admin")
READERS_ALL = ("auditor", "admin")
RUN_ID = r"^[A-Za-z0-9_-]{1,64}$"
USER_NAME = r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$"
MAX_OFFSET = 10_000_000
Caller = Depends(current_principal)
RunId = Annotated[str, Path(pattern=RUN_ID)]
Slice = Literal["sex", "age_band"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _valid_text(cls, value: Any) -> Any:
        """Every string must be encodable text (a lone surrogate would fail later)."""
        return check_text(value) if isinstance(value, str) else value


class PatientIn(_In):
    """Patient attributes for equity monitoring (stored as sex and age band only)."""

    sex: Literal["female", "male", "other", "unknown"] | None = None
    age: int | None = Field(default=None, ge=0, le=150)


class RunRequest(_In):
    """Start a task run."""

    task: str = Field(default="scribe", pattern=r"^[a-z][a-z0-9_-]{0,63}$")
    transcript: str | None = Field(default=None, description="Transcript text (scribe).")
    text: str | None = Field(default=None, description="Input text of other tasks.")
    demo: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9_-]{1,128}$", description="Bundled demo input."
    )
    model: str | None = Field(default=None, max_length=256, description="Model spec.")
    sections: str | None = Field(default=None, max_length=200, pattern=SECTIONS)
    options: dict[str, str | int | float | bool] = Field(default_factory=dict)

    @field_validator("options", mode="after")
    @classmethod
    def _valid_options(cls, value: dict[str, Any]) -> dict[str, Any]:
        return check_options(value)

    patient: PatientIn | None = None
    encounter: str | None = Field(
        default=None,
        max_length=80,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="A label for the encounter shown in the runs list and on the page "
        "(e.g. 'clinic room 3, follow-up'); it is stored with the run: no names.",
    )
    wait: bool = Field(default=False, description="Answer when the run is done (201).")


class ActionRequest(_In):
    """A decision on one statement, an omission acknowledged, or ``sign`` for the draft."""

    action: Literal["accept", "edit", "reject", "acknowledge", "sign"]
    statement_id: str | None = Field(
        default=None,
        pattern=r"^[A-Za-z0-9_:#-]{1,64}$",
        description="The statement (accept, edit, reject) or omission (acknowledge: om1...).",
    )
    text: str | None = Field(default=None, max_length=5000, description="New text (edit).")
    attest: bool = Field(
        default=False, description="sign only: the clinician confirms the attestation."
    )
    clinician: str | None = Field(
        default=None,
        max_length=128,
        pattern=r"^[^\x00-\x1f\x7f]*$",
        description="sign only: the name the clinician signs with (kept in the trail).",
    )

    @field_validator("text", "reason", "clinician", mode="after")
    @classmethod
    def _no_nul(cls, value: str | None) -> str | None:
        return check_text(value, allow_nul=False) if value is not None else None

    reason: str | None = Field(
        default=None,
        max_length=1000,
        description="sign only: why to sign over flagged statements still undecided "
        "(an override, recorded in the audit trail).",
    )


class UserCreate(_In):
    """A new user (admin)."""

    name: str = Field(pattern=USER_NAME)
    role: Literal["clinician", "auditor", "admin"]
    expires_days: int = Field(
        default=DEFAULT_TOKEN_DAYS,
        ge=1,
        le=MAX_TOKEN_DAYS,
        strict=True,
        description="Lifetime of the user's first token, in days.",
    )


def _state(request: Request) -> Any:
    return request.app.state.evident


def _owned(request: Request, principal: Principal, run_id: str) -> Any:
    """The stored run, if the caller may see it (others' runs are 404 to clinicians)."""
    from evident.audit import RunNotFound

    try:
        stored = _state(request).store.get_run(run_id)
    except RunNotFound:
        raise ApiProblem(404, "no such run", "run-not-found") from None
    if principal.role == "clinician" and stored.user != principal.user:
        raise ApiProblem(404, "no such run", "run-not-found")
    return stored


def _job_view(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "task": job.task,
        "status": job.status,
        "stage": job.stage,
        "elapsed_ms": job.elapsed_ms(),
        "error": job.error or None,
        "error_class": job.error_class or None,
        "error_stage": job.error_stage or None,
        "run_url": f"/api/runs/{job.id}",
        "page_url": f"/runs/{job.id}",
    }


@router.get("/me", openapi_extra=roles_extra(*ALL), summary="Who am I")
def me(principal: Principal = Caller) -> dict[str, str]:
    """The caller's user name and role."""
    return {"user": principal.user, "role": principal.role, "via": principal.via}


@router.get("/tasks", openapi_extra=roles_extra(*ALL), summary="Tasks, models and demos")
def tasks(request: Request, principal: Principal = Caller) -> dict[str, Any]:
    """What a run request may choose: served tasks, allowed models, demo inputs."""
    return {
        "tasks": [
            {
                "name": a.name,
                "title": a.title,
                "input_label": a.input_label,
                "sections": list(a.sections),
            }
            for a in task_adapters().values()
        ],
        "models": list(_state(request).settings.models),
        "demos": sorted(demo_transcripts()),
    }


def _prepare(request: Request, body: RunRequest) -> tuple[str, Any, list[Any], dict[str, Any], str]:
    settings = _state(request).settings
    model = body.model or settings.models[0]
    if model not in settings.models:
        enabled = ", ".join(settings.models)
        raise ApiProblem(
            422,
            f"the model is not enabled on this server (enabled: {enabled})",
            "model",
            errors=[{"field": "model", "type": "not_enabled", "message": "not an enabled model"}],
        )
    text = body.transcript if body.transcript is not None else body.text
    if text is not None and len(text) > settings.max_transcript_chars:
        raise ApiProblem(
            413, f"input is over the limit of {settings.max_transcript_chars} characters"
        )
    adapter = task_adapter(body.task)
    sources, options = adapter.build(
        TaskInput(text=text, demo=body.demo, sections=body.sections, options=body.options)
    )
    label = (body.encounter or "").strip()
    if label and sources:
        first = sources[0].model_copy(update={"meta": {**sources[0].meta, "encounter": label}})
        sources = [first, *sources[1:]]
    patient = None
    if body.patient is not None and (body.patient.sex or body.patient.age is not None):
        from evident.audit import PatientInfo

        patient = PatientInfo(sex=body.patient.sex, age=body.patient.age)
    return adapter.name, patient, sources, options, model


@router.post(
    "/runs",
    status_code=202,
    openapi_extra=roles_extra(*WRITERS),
    summary="Start a run",
    responses={201: {"description": "Run done (with wait=true)"}},
)
async def create_run(request: Request, body: RunRequest, principal: Principal = Caller) -> Any:
    """Accept a run; poll ``/api/runs/{id}/status`` (or pass ``wait: true``)."""
    from starlette.concurrency import run_in_threadpool

    state = _state(request)
    task, patient, sources, options, model = await run_in_threadpool(_prepare, request, body)
    # Committed to the durable queue before the answer: an accepted run is never lost.
    job = await run_in_threadpool(
        lambda: state.manager.submit(
            user=principal.user,
            task=task,
            sources=sources,
            model=model,
            options=options,
            patient=patient,
        )
    )
    request.state.run_id = job.id  # for the access log
    if not body.wait:
        return JSONResponse(
            _job_view(job), status_code=202, headers={"Location": f"/api/runs/{job.id}/status"}
        )
    done = await state.manager.wait_async(job.id) or job
    if done.status != "done":
        raise ApiProblem(
            done.error_status or 500, done.error or "run failed", "run-failed", run_id=job.id
        )
    stored = await run_in_threadpool(state.store.get_run, job.id)
    return JSONResponse(
        run_view(stored), status_code=201, headers={"Location": f"/api/runs/{job.id}"}
    )


@router.get("/runs", openapi_extra=roles_extra(*ALL), summary="List runs")
def list_runs(
    request: Request,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    principal: Principal = Caller,
) -> dict[str, Any]:
    """Runs, newest first; clinicians see only their own."""
    user = principal.user if principal.role == "clinician" else None
    rows = _state(request).store.list_runs(user=user, limit=limit, offset=offset)
    return {"runs": [summary_view(r) for r in rows], "limit": limit, "offset": offset}


@router.get("/runs/{run_id}/status", openapi_extra=roles_extra(*ALL), summary="Run progress")
def run_status(request: Request, run_id: RunId, principal: Principal = Caller) -> dict[str, Any]:
    """``queued``, ``running`` (with its stage), ``done`` or ``failed``."""
    job = _state(request).manager.get(run_id)
    if job is not None:
        if principal.role == "clinician" and job.user != principal.user:
            raise ApiProblem(404, "no such run", "run-not-found")
        return _job_view(job)
    stored = _owned(request, principal, run_id)
    return {
        "id": stored.run.id,
        "task": stored.run.task,
        "status": "done",
        "stage": "done",
        "elapsed_ms": None,
        "error": None,
        "run_url": f"/api/runs/{run_id}",
        "page_url": f"/runs/{run_id}",
    }


@router.get("/runs/{run_id}", openapi_extra=roles_extra(*ALL), summary="A run")
def get_run(request: Request, run_id: RunId, principal: Principal = Caller) -> dict[str, Any]:
    """Draft with verdicts and decisions, report, sources' segments and actions.

    A run still working answers 409 (poll its status); a failed one 422 with its error.
    """
    job = _state(request).manager.get(run_id)
    if job is not None and job.status != "done":
        if principal.role == "clinician" and job.user != principal.user:
            raise ApiProblem(404, "no such run", "run-not-found")
        if job.status == "failed":
            raise ApiProblem(422, job.error or "the run failed", "run-failed")
        raise ApiProblem(
            409,
            f"the run is {job.status}; poll its status",
            "run-pending",
            status_url=f"/api/runs/{run_id}/status",
        )
    return run_view(_owned(request, principal, run_id))


@router.post(
    "/runs/{run_id}/actions",
    openapi_extra=roles_extra(*WRITERS),
    summary="Accept, edit, reject a statement, acknowledge an omission, or sign",
)
def post_action(
    request: Request,
    body: ActionRequest,
    run_id: RunId,
    principal: Principal = Caller,
) -> dict[str, Any]:
    """Record a clinician action and return the updated run."""
    state = _state(request)
    with state.action_lock:
        stored = _owned(request, principal, run_id)
        if stored.status == "signed":
            raise ApiProblem(409, "the run is signed; no further changes", "signed")
        if body.action != "sign" and (body.attest or body.clinician is not None):
            raise ApiProblem(422, "only sign takes 'attest' and 'clinician'", "action")
        if body.action == "sign":
            review.sign(state, principal, stored, body)
        elif body.action == "acknowledge":
            review.acknowledge(state, principal, stored, body)
        else:
            review.decide(state, principal, stored, body)
        return run_view(state.store.get_run(run_id))


@router.get("/runs/{run_id}/export", openapi_extra=roles_extra(*ALL), summary="Export the note")
def export_run(
    request: Request,
    run_id: RunId,
    format: Literal["text", "fhir"] = "text",
    principal: Principal = Caller,
) -> Response:
    """The note as plain text or as a FHIR R4 DocumentReference (base64 text/plain)."""
    stored = _owned(request, principal, run_id)
    if format == "text":
        return PlainTextResponse(
            note_text(stored),
            headers={"Content-Disposition": f'attachment; filename="evident-{run_id}.txt"'},
        )
    return Response(
        json.dumps(fhir_document_reference(stored)),
        media_type="application/fhir+json",
        headers={"Content-Disposition": f'attachment; filename="evident-{run_id}.fhir.json"'},
    )


@router.get("/metrics", openapi_extra=roles_extra(*READERS_ALL), summary="Monitoring metrics")
def metrics(
    request: Request,
    since: Annotated[date | None, Query(description="First day (UTC) to include.")] = None,
    until: Annotated[date | None, Query(description="Last day (UTC) to include.")] = None,
    by: Annotated[list[Slice] | None, Query(description="Equity slices.")] = None,
    min_cell: Annotated[int | None, Query(ge=1, le=1000, description="Threshold.")] = None,
    principal: Principal = Caller,
) -> Any:
    """Per task, model and ISO week; optional slices by sex and age band.

    Cells with fewer runs than the suppression threshold have their values withheld.
    The threshold can be raised, not lowered below the server's setting.
    """
    state = _state(request)
    floor = state.settings.metrics_min_cell
    if min_cell is not None and min_cell < floor:
        raise ApiProblem(422, f"min_cell cannot be below this server's {floor}", "min-cell")
    table = state.store.metrics(
        since=since, until=until, min_cell=min_cell or floor, by=tuple(dict.fromkeys(by or ()))
    )
    data = _jsonable(table)
    data["columns"] = table.columns()
    return data


@router.get(
    "/audit/verify", openapi_extra=roles_extra(*READERS_ALL), summary="Verify the audit chain"
)
def verify_chain(request: Request, principal: Principal = Caller) -> Any:
    """Check the hash chain; names every modified, deleted or reordered record."""
    return _jsonable(_state(request).store.verify_chain())


@router.get("/users", openapi_extra=roles_extra("admin"), summary="List users")
def list_users(request: Request, principal: Principal = Caller) -> dict[str, Any]:
    """Users, their roles and their tokens' metadata (never a token: its last four
    characters, state and expiry, so an admin sees what will stop working when)."""
    store = _state(request).users
    tokens: dict[str, list[dict[str, Any]]] = {}
    for t in store.list_tokens():
        state = "revoked" if t.revoked else "expired" if t.expired else "active"
        tokens.setdefault(t.user, []).append(
            {
                "id": t.id,
                "label": t.label,
                "last4": t.last4,
                "state": state,
                "created_at": t.created_at.isoformat(),
                "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            }
        )
    return {
        "users": [
            {
                "name": u.name,
                "role": u.role,
                "active": u.active,
                "created_at": u.created_at.isoformat(),
                "tokens": tokens.get(u.name, []),
            }
            for u in store.list_users()
        ]
    }


@router.post("/users", status_code=201, openapi_extra=roles_extra("admin"), summary="Add a user")
def add_user(request: Request, body: UserCreate, principal: Principal = Caller) -> dict[str, str]:
    """Create a user; the response carries its token, shown this once only, and when the
    token expires."""
    users = _state(request).users
    label = f"by {principal.user}"
    token = users.add_user(body.name, body.role, label=label, expires_days=body.expires_days)
    expires_at = users.list_tokens(body.name)[-1].expires_at
    return {
        "name": body.name,
        "role": body.role,
        "token": token,
        "expires_at": expires_at.isoformat() if expires_at else "",
    }


@router.delete("/users/{name}", openapi_extra=roles_extra("admin"), summary="Disable a user")
def disable_user(
    request: Request,
    name: Annotated[str, Path(pattern=USER_NAME)],
    principal: Principal = Caller,
) -> dict[str, Any]:
    """Disable a user: their tokens and sessions stop working (runs stay in the trail)."""
    if name == principal.user:
        raise ApiProblem(409, "admins cannot disable themselves", "self")
    try:
        _state(request).users.set_active(name, False)
    except InputError:
        raise ApiProblem(404, "no such user", "user-not-found") from None
    return {"name": name, "active": False}


def _jsonable(value: BaseModel) -> dict[str, Any]:
    data: dict[str, Any] = value.model_dump(mode="json")
    return data
