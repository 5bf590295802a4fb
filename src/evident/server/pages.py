"""Server-rendered pages: login, new run, review, monitoring, API docs."""

from __future__ import annotations

import secrets
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from evident.errors import AuthError
from evident.server.review import ATTEST, ATTEST_OVERRIDE
from evident.server.security import session_principal
from evident.server.sessions import COOKIE_NAME, LOGIN_CSRF_COOKIE
from evident.server.tasks import demo_transcripts, task_adapters
from evident.server.users import Principal, constant_time_equal
from evident.server.views import run_view

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

LABELS = {
    "supported": "Supported",
    "unsupported": "Unsupported",
    "contradicted": "Contradicted",
    "no_clinical_content": "No clinical content",
}
DECISIONS = {
    "pending": "Not reviewed",
    "accepted": "Accepted",
    "edited": "Edited",
    "rejected": "Rejected",
}


@cache
def _templates() -> Any:
    from fastapi.templating import Jinja2Templates
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(
        loader=PackageLoader("evident.server", "templates"),
        autoescape=select_autoescape(["html"]),
    )
    env.globals.update(LABELS=LABELS, DECISIONS=DECISIONS)
    return Jinja2Templates(env=env)


def _session(request: Request) -> Principal | None:
    return session_principal(request)


def _render(
    request: Request, name: str, principal: Principal | None, status: int = 200, **context: Any
) -> Response:
    ctx = {"principal": principal, "demo": request.app.state.evident.settings.demo, **context}
    response: Response = _templates().TemplateResponse(request, name, ctx, status_code=status)
    return response


def _to_login() -> Response:
    return RedirectResponse("/login", status_code=303)


@router.get("/healthz")
def healthz() -> dict[str, str]:
    """Liveness probe (no authentication, no data)."""
    return {"status": "ok"}


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request) -> Response:
    """The login form: a token, or in demo mode a one-click demo clinician."""
    return _login_form(request, error="", status=200)


def _login_form(request: Request, error: str, status: int) -> Response:
    nonce = secrets.token_urlsafe(24)
    response = _render(request, "login.html", None, status=status, login_csrf=nonce, error=error)
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        nonce,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/login",
        max_age=3600,
    )
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    """Check the token (or demo login) and set the signed session cookie."""
    from starlette.concurrency import run_in_threadpool

    state = request.app.state.evident
    form = await request.form()
    sent = str(form.get("csrf", ""))
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not sent or not expected or not constant_time_equal(sent, expected):
        return _login_form(request, "The login form expired; please try again.", 403)
    demo = bool(form.get("demo")) and state.settings.demo
    token_id: int | None = None
    if demo:
        user = state.settings.demo_user
    else:
        try:
            principal = await run_in_threadpool(
                state.users.authenticate, str(form.get("token", "")).strip()
            )
        except AuthError:
            return _login_form(request, "That token is not valid.", 401)
        user, token_id = principal.user, principal.token_id
    sid = await run_in_threadpool(
        state.users.start_session, user, token_id, state.signer.lifetime_s
    )
    cookie, _ = state.signer.issue(user, demo=demo, sid=sid)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        COOKIE_NAME,
        cookie,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=int(state.signer.lifetime_s),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    """End the session (the form carries the session's CSRF token)."""
    principal = _session(request)
    form = await request.form()
    if principal is not None and not constant_time_equal(str(form.get("csrf", "")), principal.csrf):
        return Response("CSRF check failed", status_code=403)
    if principal is not None:  # the cookie is dead server-side, even if replayed
        from starlette.concurrency import run_in_threadpool

        await run_in_threadpool(request.app.state.evident.users.end_session, principal.session_id)
    response = _to_login()
    response.delete_cookie(COOKIE_NAME)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    """New run form and the caller's recent runs."""
    principal = _session(request)
    if principal is None:
        return _to_login()
    state = request.app.state.evident
    user = principal.user if principal.role == "clinician" else None
    runs = state.store.list_runs(user=user, limit=50)
    return _render(
        request,
        "home.html",
        principal,
        runs=runs,
        tasks=task_adapters(),
        models=state.settings.models,
        demos=sorted(demo_transcripts()),
    )


@router.get("/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: str) -> Response:
    """The review page of a run, or its progress while it works."""
    from evident.audit import RunNotFound

    principal = _session(request)
    if principal is None:
        return _to_login()
    state = request.app.state.evident
    job = state.manager.get(run_id)
    if job is not None and job.status != "done":
        if principal.role == "clinician" and job.user != principal.user:
            return _render(request, "error.html", principal, status=404, message="No such run.")
        return _render(request, "progress.html", principal, job=job)
    try:
        stored = state.store.get_run(run_id)
    except RunNotFound:
        stored = None
    if stored is None or (principal.role == "clinician" and stored.user != principal.user):
        return _render(request, "error.html", principal, status=404, message="No such run.")
    view = run_view(stored)
    can_act = principal.role in ("clinician", "admin") and view["status"] == "draft"
    adapter = task_adapters().get(view["task"])
    title = adapter.title if adapter else f"{view['task']} draft"
    noun = adapter.document if adapter else "note"
    return _render(
        request,
        "run.html",
        principal,
        run=view,
        can_act=can_act,
        task_title=title,
        sign_label=adapter.sign_label if adapter else "Sign note",
        attest_text=ATTEST.format(noun=noun),
        attest_override=ATTEST_OVERRIDE.format(noun=noun, n="{n}"),
    )


@router.get("/monitor", response_class=HTMLResponse)
def monitor(request: Request) -> Response:
    """Monitoring metrics per task, model and week, with equity slices."""
    principal = _session(request)
    if principal is None:
        return _to_login()
    if principal.role not in ("auditor", "admin"):
        return _render(
            request,
            "error.html",
            principal,
            status=403,
            message="Monitoring is for auditors and admins.",
        )
    state = request.app.state.evident
    floor = state.settings.metrics_min_cell
    tables = []
    for title, by in (
        ("Per task, model and week", ()),
        ("By patient sex", ("sex",)),
        ("By patient age band", ("age_band",)),
    ):
        table = state.store.metrics(min_cell=floor, by=by)
        rows = [_metric_cells(table, row) for row in table.rows]
        tables.append({"title": title, "columns": table.columns(), "rows": rows})
    chain = state.store.verify_chain()
    notes = [f"Cells with fewer than {floor} runs are suppressed (shown as <{floor})."]
    return _render(
        request, "monitor.html", principal, metrics_tables=tables, chain=chain, notes=notes
    )


def _metric_cells(table: Any, row: Any) -> dict[str, str]:
    cells = {}
    for col in table.columns():
        if col == "runs" and row.suppressed:
            cells[col] = f"<{table.min_cell}"
            continue
        value = getattr(row, col)
        if value is None:
            cells[col] = "–"
        elif isinstance(value, float) and col.startswith(("latency", "omissions")):
            cells[col] = f"{value:.1f}"
        elif isinstance(value, float):
            cells[col] = f"{value:.0%}"
        else:
            cells[col] = str(value)
    return cells


@router.get("/docs", response_class=HTMLResponse)
def api_docs(request: Request) -> Response:
    """The API reference, rendered from /openapi.json without any external script."""
    schema = request.app.openapi()
    ops = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            ops.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "roles": op.get("x-roles", []),
                    "params": [p.get("name", "") for p in op.get("parameters", [])],
                    "body": _body_ref(op),
                }
            )
    return _render(
        request,
        "docs.html",
        _session(request),
        ops=ops,
        schemas=schema.get("components", {}).get("schemas", {}),
    )


def _body_ref(op: dict[str, Any]) -> str:
    content = op.get("requestBody", {}).get("content", {})
    for media in content.values():
        ref = media.get("schema", {}).get("$ref", "")
        return str(ref).rsplit("/", 1)[-1]
    return ""
