"""Evidence answers through the REST API when the server is given a knowledge base."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from evident.errors import InputError
from evident.kb import KnowledgeBase
from evident.server import register_task_adapter
from evident.server.tasks import evidence_qa_adapter
from tests.server.conftest import Live, start_live

FIXTURES = Path(__file__).parents[1] / "kb" / "fixtures"


@pytest.fixture(scope="module")
def live_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    kb_dir = tmp_path_factory.mktemp("kb") / "kb"
    with KnowledgeBase(kb_dir, create=True) as kb:
        kb.ingest([FIXTURES], progress=False)
    register_task_adapter(evidence_qa_adapter(str(kb_dir)))
    db = f"sqlite:///{tmp_path_factory.mktemp('server') / 'evident.db'}"
    server, handle = start_live(db)
    try:
        yield handle
    finally:
        handle.client.close()
        server.__exit__()


def test_question_runs_as_an_evidence_answer_with_verified_citations(live_kb: Live) -> None:
    body = {"task": "evidence_qa", "text": "first-line drug treatment of hypertension"}
    r = live_kb.req("POST", "/api/runs", "alice", json={**body, "wait": True})
    assert r.status_code == 201, r.text
    run_id = r.json()["id"]
    run = live_kb.req("GET", f"/api/runs/{run_id}", "alice").json()
    assert run["task"] == "evidence_qa"
    statements = [st for sec in run["draft"]["sections"] for st in sec["statements"]]
    assert statements and all(st["citations"] for st in statements)
    passage_ids = {seg["id"] for src in run["sources"] for seg in src["segments"]}
    assert {c for st in statements for c in st["citations"]} <= passage_ids
    # The task's citation check ran inside the pipeline, so the stored report has its metrics.
    cited = [c for st in statements for c in st["citations"]]
    metrics = run["report"]["metrics"]
    assert metrics["citations"] == len(cited) == metrics["citations_retrieved"]
    tasks = live_kb.req("GET", "/api/tasks", "alice").json()["tasks"]
    assert "evidence_qa" in {t["name"] for t in tasks}


@pytest.mark.parametrize(
    ("text", "status"), [("   ", 422), ("zzqx wwvy", 422)], ids=["empty", "no-match"]
)
def test_bad_questions_are_problems(live_kb: Live, text: str, status: int) -> None:
    r = live_kb.req(
        "POST", "/api/runs", "alice", json={"task": "evidence_qa", "text": text, "wait": True}
    )
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")


def test_missing_knowledge_base_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no knowledge base"):
        evidence_qa_adapter(str(tmp_path / "none"))


@pytest.mark.parametrize(("task", "panel", "sign"), [("evidence_qa", "Sources", "Approve answer")])
def test_the_page_names_passages_sources_not_transcript(live_kb: Live, task, panel, sign) -> None:
    body = {"task": task, "text": "first-line drug treatment of hypertension", "wait": True}
    run_id = live_kb.req("POST", "/api/runs", "alice", json=body).json()["id"]
    with httpx.Client(base_url=live_kb.url, timeout=30) as client:
        login = client.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
        token = live_kb.tokens["alice"]
        assert client.post("/login", data={"csrf": csrf, "token": token}).status_code == 303
        page = client.get(f"/runs/{run_id}")
    assert page.status_code == 200
    assert f"<h2>{panel}</h2>" in page.text and "<h2>Transcript</h2>" not in page.text
    # An answer is approved, not signed as a note; the attestation names an answer.
    assert sign in page.text and "Sign note" not in page.text
    assert "this answer against its sources" in page.text
    assert 'data-panel="sources"' in page.text
