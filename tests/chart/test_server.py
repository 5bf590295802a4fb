"""The chart task through the REST API: a pasted Bundle, resources as the evidence."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.chart.conftest import bundle_text


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from tests.server.conftest import start_live

    db = f"sqlite:///{tmp_path_factory.mktemp('server') / 'evident.db'}"
    server, handle = start_live(db)
    try:
        yield handle
    finally:
        handle.client.close()
        server.__exit__()


def test_chart_run_cites_the_pasted_resources(live) -> None:
    body = {
        "task": "chart",
        "text": bundle_text(),
        "options": {"as_of": "2024-06-01"},
        "wait": True,
    }
    r = live.req("POST", "/api/runs", "alice", json=body)
    assert r.status_code == 201, r.text
    run = live.req("GET", f"/api/runs/{r.json()['id']}", "alice").json()
    assert run["task"] == "chart" and run["sources"][0]["kind"] == "fhir"
    ids = {seg["id"] for src in run["sources"] for seg in src["segments"]}
    statements = [st for sec in run["draft"]["sections"] for st in sec["statements"]]
    assert statements and {c for st in statements for c in st["citations"]} <= ids
    assert "chart_fact_mismatches" in run["report"]["metrics"]
    import httpx

    with httpx.Client(timeout=30) as browser:  # the review page needs a session, not a token
        form = browser.get(live.url + "/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None
        browser.post(
            live.url + "/login", data={"csrf": csrf.group(1), "token": live.tokens["alice"]}
        )
        page = browser.get(live.url + f"/runs/{run['id']}")
    assert page.status_code == 200 and 'id="review"' in page.text
    assert "Condition/c1" in page.text and "Essential hypertension" in page.text


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"task": "chart", "text": "  "}, 422),
        ({"task": "chart", "text": '{"resourceType": "Bundle", "entry": []}'}, 422),
        ({"task": "chart", "text": bundle_text(), "options": {"colour": "red"}}, 422),
    ],
)
def test_bad_chart_requests_are_problems(live, body: dict, status: int) -> None:
    r = live.req("POST", "/api/runs", "alice", json={**body, "wait": True})
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
