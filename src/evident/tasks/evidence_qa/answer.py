"""Asking a knowledge base: retrieve, answer through the pipeline, verify the citations."""

from __future__ import annotations

import html
import uuid
from datetime import date
from typing import Any

from evident.audit.hooks import AuditHook
from evident.kb.knowledge import KnowledgeBase, SearchMode
from evident.models.base import Backend
from evident.models.registry import load_backend
from evident.pipeline import input_digest, run_task
from evident.privacy.hooks import PrivacyHook
from evident.tasks.evidence_qa.evidence import build_source
from evident.tasks.evidence_qa.settings import load_settings
from evident.tasks.evidence_qa.task import EvidenceQATask
from evident.types import Finding, Report, Run, Source, Verdict
from evident.verify.options import VerifyOptions

__all__ = ["answer_json", "answer_text", "ask", "question_options", "render_html"]


def ask(
    question: str,
    kb: KnowledgeBase,
    model: str | Backend | None = None,
    *,
    k: int = 5,
    mode: SearchMode = "bm25",
    max_age_years: float | None = None,
    today: date | None = None,
    privacy: PrivacyHook | None = None,
    audit: AuditHook | None = None,
    verify_options: VerifyOptions | None = None,
) -> Run:
    """Answer a question from a knowledge base with verified citations.

    Retrieves ``k`` passages, runs the ``evidence_qa`` task through the pipeline (the
    passages are the run's literature source), then adds the citation findings (missing,
    unsupported, stale) to the run's report.

    Raises:
        InputError: Empty question.
    """
    hits = kb.search(question, k=k, mode=mode, distinct=True)
    source = build_source(hits)
    options = question_options(question, k=k, mode=mode, max_age_years=max_age_years, today=today)
    if not hits:
        empty = kb.stats().get("passages") == 0
        return _nothing_retrieved(source, model, options, audit, empty=empty)
    # The task's own check adds the citation findings inside the pipeline, so the audited
    # report carries them.
    return run_task(
        EvidenceQATask(),
        [source],
        model,
        options,
        privacy=privacy,
        audit=audit,
        verify_options=verify_options,
    )


def question_options(
    question: str,
    *,
    k: int,
    mode: SearchMode,
    max_age_years: float | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """The ``evidence_qa`` task options for a question (the CLI, Python and server path)."""
    max_age = load_settings().max_age_years if max_age_years is None else max_age_years
    options: dict[str, Any] = {
        "question": question.strip(),
        "k": k,
        "mode": mode,
        "max_age_years": max_age,
    }
    if today is not None:
        options["today"] = today.isoformat()
    return options


def _nothing_retrieved(
    source: Source,
    model: str | Backend | None,
    options: dict[str, Any],
    audit: AuditHook | None,
    *,
    empty: bool = False,
) -> Run:
    """An abstention run when no passage matched: there is nothing to verify against.
    ``empty``: the knowledge base holds no passage at all, which the finding says."""
    backend = model if isinstance(model, Backend) else load_backend(model)
    task = EvidenceQATask()
    draft, usage = task.draft([source], backend, options)
    verdicts = tuple(
        Verdict(statement_id=st.id, label="no_clinical_content", reason="abstention")
        for st in draft.statements
    )
    message = (
        "the knowledge base is empty: add documents with 'evident kb ingest'"
        if empty
        else "no passage matched"
    )
    finding = Finding(kind="no_evidence", severity="warning" if empty else "info", message=message)
    report = Report(
        verdicts=verdicts, findings=(finding,), metrics={"abstained": 1.0}, verifier="none"
    )
    run = Run(
        id=uuid.uuid4().hex,
        task=task.name,
        sources=(source,),
        draft=draft,
        report=report,
        model=draft.model,
        prompt_version=task.prompt_version,
        params=options,
        usage=usage,
        input_digest=input_digest([source]),
    )
    if audit is not None:
        audit.record_run(run)
    return run


def answer_json(run: Run) -> dict[str, Any]:
    """The answer as a JSON-ready dict: statements with verdicts, evidence, findings."""
    meta = run.draft.meta
    statements = []
    for st in run.draft.statements:
        v = run.report.verdict(st.id)
        statements.append(
            {
                "id": st.id,
                "text": st.text,
                "citations": list(st.citations),
                "verdict": v.label if v else None,
                "verdict_evidence": list(v.evidence) if v else [],
            }
        )
    return {
        "question": meta.get("question", ""),
        "abstained": bool(meta.get("abstained")),
        "certainty": meta.get("certainty"),
        "engine": meta.get("engine"),
        "answer": statements,
        "evidence": meta.get("evidence", []),
        "retrieved": meta.get("retrieved", []),
        "dropped_citations": meta.get("dropped_citations", []),
        "findings": [f.model_dump() for f in run.report.findings],
        "metrics": run.report.metrics,
        "model": run.model.model_dump(),
        "prompt_version": run.prompt_version,
        "run_id": run.id,
    }


def answer_text(run: Run) -> str:
    """The answer for a terminal: sentences with citations and verdicts, evidence, findings."""
    data = answer_json(run)
    engine = "offline extractive engine, no language model" if run.model.offline else "model"
    lines = [f"Question: {data['question']}", ""]
    head = "Answer (abstained)" if data["abstained"] else f"Answer (certainty: {data['certainty']})"
    lines.append(f"{head} [{engine}: {run.model.spec}]")
    for st in data["answer"]:
        cites = " ".join(f"[{c}]" for c in st["citations"])
        verdict = f"  ({st['verdict']})" if st["verdict"] else ""
        lines.append(f"  {st['text']} {cites}{verdict}".rstrip())
    if data["evidence"]:
        lines += ["", "Evidence:"]
        for ev in data["evidence"]:
            when = f", {ev['date']}" if ev["date"] else ""
            lines.append(f"  [{ev['passage_id']}] {ev['title']} ({ev['source']}{when})")
            lines.append(f'      "{ev["quote"]}"')
    if data["findings"]:
        lines += ["", "Findings:"]
        lines += [
            f"  {f['severity']} {f['kind']} {f['where']}: {f['message']}" for f in data["findings"]
        ]
    return "\n".join(lines) + "\n"


def render_html(run: Run) -> str:
    """The answer as a standalone HTML page.

    Uses the verify stage's review page (``evident.verify.render_html``) when it exists,
    with the question, certainty and evidence list added; else a minimal escaped page.
    """
    try:
        from evident.verify import render_html as verify_render
    except ImportError:  # an older verify stage without a renderer
        return _own_html(answer_json(run))
    page = str(verify_render(run.draft, run.report, run.sources))
    data = answer_json(run)
    head = _header_html(data)
    if "<body>" in page:
        page = page.replace("<body>", "<body>" + head, 1)
    if "</body>" in page:
        page = page.replace("</body>", _evidence_html(data) + "</body>", 1)
    return page


def _header_html(data: dict[str, Any]) -> str:
    e = html.escape
    status = "abstained" if data["abstained"] else f"certainty: {data['certainty']}"
    return (
        f'<section class="evident-answer"><h1>{e(data["question"])}</h1>'
        f"<p>{e(status)} · {e(str(data['engine']))}</p></section>"
    )


def _evidence_html(data: dict[str, Any]) -> str:
    e = html.escape
    items = "".join(
        f'<li id="ev-{e(ev["passage_id"])}"><b>{e(ev["passage_id"])}</b> {e(ev["title"])}'
        f" — {e(ev['source'])} {e(ev['date'])}<blockquote>{e(ev['quote'])}</blockquote></li>"
        for ev in data["evidence"]
    )
    findings = "".join(
        f"<li>{e(f['severity'])} {e(f['kind'])} {e(f['where'])}: {e(f['message'])}</li>"
        for f in data["findings"]
    )
    return (
        f'<section class="evident-evidence"><h2>Evidence</h2><ul>{items}</ul>'
        f"<h2>Findings</h2><ul>{findings}</ul></section>"
    )


def _own_html(data: dict[str, Any]) -> str:
    e = html.escape
    rows = []
    for st in data["answer"]:
        cites = ", ".join(f'<a href="#ev-{e(c)}">{e(c)}</a>' for c in st["citations"])
        rows.append(
            f'<li class="{e(st["verdict"] or "")}">{e(st["text"])} <sup>{cites}</sup>'
            f" <em>{e(st['verdict'] or '')}</em></li>"
        )
    status = "abstained" if data["abstained"] else f"certainty: {e(str(data['certainty']))}"
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>Evident answer</title>'
        "<style>.unsupported,.contradicted{background:#fdd}.supported{background:#dfd}</style>"
        f"</head><body><h1>{e(data['question'])}</h1><p>{status}</p><ol>{''.join(rows)}</ol>"
        f"{_evidence_html(data)}</body></html>\n"
    )
