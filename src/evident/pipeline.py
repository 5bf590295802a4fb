"""The one pipeline every task runs through.

    sources ──► privacy.protect ──► task.draft(model) ──► protection.restore ──► verify ──► audit

Each stage takes and returns the core types of :mod:`evident.types`.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from evident.audit.hooks import AuditHook, NoAudit
from evident.models.base import Backend
from evident.models.registry import load_backend
from evident.privacy.hooks import NoPrivacy, PrivacyHook
from evident.tasks.base import Task, load_task
from evident.telemetry import stage_span
from evident.types import ModelInfo, Run, Source
from evident.verify import verify
from evident.verify.index import check_source_size
from evident.verify.options import VerifyOptions

__all__ = ["AUDIT_ENV", "batch_context", "default_audit", "input_digest", "run_task"]

AUDIT_ENV = "EVIDENT_AUDIT"


def input_digest(sources: Sequence[Source]) -> str:
    """SHA-256 over the sources' texts, in order (identifies the input without PHI)."""
    h = hashlib.sha256()
    for src in sources:
        h.update(src.text.encode())
        h.update(b"\x00")
    return h.hexdigest()


_BATCH_ID: ContextVar[str | None] = ContextVar("evident_batch_id", default=None)


@contextmanager
def batch_context(batch_id: str) -> Iterator[None]:
    """Runs started inside record ``batch_id`` in their parameters (``evident batch``)."""
    token = _BATCH_ID.set(batch_id)
    try:
        yield
    finally:
        _BATCH_ID.reset(token)


def run_task(
    task: str | Task,
    sources: Sequence[Source],
    model: str | Backend | None = None,
    options: Mapping[str, Any] | None = None,
    *,
    privacy: PrivacyHook | None = None,
    audit: AuditHook | None = None,
    verify_options: VerifyOptions | None = None,
    on_stage: Callable[[str], None] | None = None,
) -> Run:
    """Run a task end to end and return the recorded run.

    Args:
        task: Task name (``scribe``) or instance.
        sources: Parsed sources (see :mod:`evident.sources`).
        model: Spec string, backend, or None for ``$EVIDENT_MODEL`` / ``offline``.
        options: Task options (``sections``, ...), recorded as run parameters.
        privacy: PHI protection hook; None uses the default policy.
        audit: Where to record the run; None records nothing.
        verify_options: How the verify stage judges the draft (entailer, threshold,
            omissions...); None for the defaults. Recorded in the report's ``verifier``.
        on_stage: Called with each stage's name (``privacy``, ``generate``, ``restore``,
            ``verify``, ``audit``) as it starts, for progress and failure reports.

    Returns:
        The run with its draft (re-identified) and verification report.
    """
    timings: dict[str, float] = {}
    t_task = load_task(task) if isinstance(task, str) else task
    backend = model if isinstance(model, Backend) else load_backend(model)
    opts = dict(options or {})
    privacy = privacy or _default_privacy()
    audit = audit or NoAudit()
    stage = on_stage or (lambda _name: None)

    check_source_size(sources)  # verify would refuse them: before a model spends on them
    attrs = {"evident.task": t_task.name, "gen_ai.request.model": backend.model}
    stage("privacy")
    with stage_span("privacy", attrs):
        t0 = time.perf_counter()
        protection = privacy.protect(sources, backend)
        for key in getattr(t_task, "text_options", ()):
            if isinstance(opts.get(key), str):
                opts[key] = protection.protect_text(opts[key])
        timings["privacy"] = _ms(t0)

    stage("generate")
    with stage_span("generate", attrs):
        t0 = time.perf_counter()
        draft, usage = t_task.draft(protection.sources, backend, opts)
        timings["generate"] = _ms(t0)

    stage("restore")
    with stage_span("restore", attrs):
        t0 = time.perf_counter()
        draft = protection.restore(draft)
        timings["restore"] = _ms(t0)

    stage("verify")
    with stage_span("verify", attrs):
        t0 = time.perf_counter()
        report = verify(draft, sources, options=verify_options)
        check = getattr(t_task, "check", None)
        if callable(check):
            report = check(draft, sources, report, opts)
        timings["verify"] = _ms(t0)

    run = Run(
        id=uuid.uuid4().hex,
        task=t_task.name,
        sources=protection.sources,
        draft=draft,
        report=report,
        model=draft.model
        if draft.model.spec
        else ModelInfo(spec=backend.spec, backend=backend.name, name=backend.model),
        prompt_version=t_task.prompt_version,
        params=opts if _BATCH_ID.get() is None else {**opts, "batch_id": _BATCH_ID.get()},
        timings_ms=timings,
        usage=usage,
        privacy=protection.record(),
        input_digest=input_digest(sources),
    )
    stage("audit")
    with stage_span("audit", attrs):
        audit.record_run(run)
    return run


def default_audit() -> AuditHook:
    """The trail interactive runs record to, unless ``$EVIDENT_AUDIT`` is ``off``.

    It is the store at ``$EVIDENT_DB_URL``, else ``~/.evident/audit.sqlite3`` (under
    ``$EVIDENT_HOME`` when set); see :func:`evident.audit.open_store`.
    """
    if os.environ.get(AUDIT_ENV, "").strip().lower() in {"off", "0", "false", "no"}:
        return NoAudit()
    from evident.audit import open_store

    return open_store()


def _default_privacy() -> PrivacyHook:
    from evident.privacy.policy import PolicyPrivacy

    hook = PolicyPrivacy()  # EVIDENT_PRIVACY: remote-only (default), always, never
    return NoPrivacy() if hook.policy == "never" else hook


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 3)
