"""Renderings: the JSON contract, plain text and the self-contained HTML page."""

from __future__ import annotations

import json
import re

from evident.types import Source
from evident.verify import render_html, render_json, render_text, verify

from .conftest import make_draft

STATEMENTS = (
    "Right knee pain for 2 weeks.",
    "She reports fever.",
    "History of gout.",
    "Hello.",
    'Injected <script>alert("x")</script> & "quotes"',
)


def _report(transcript: Source):
    draft = make_draft(*STATEMENTS, section="HPI")
    return draft, verify(draft, [transcript])


def test_json_contract(transcript: Source) -> None:
    draft, report = _report(transcript)
    data = render_json(draft, report, [transcript])
    json.dumps(data)  # serialisable
    assert {"statements", "omissions", "metrics"} <= set(data)
    for st in data["statements"]:
        assert set(st) == {
            "text",
            "section",
            "verdict",
            "evidence",
            "reason",
            "score",
            "decided_by",
        }
        assert st["verdict"] in {"supported", "unsupported", "contradicted", "no_clinical_content"}
        assert isinstance(st["evidence"], list) and 0 <= st["score"] <= 1
    for om in data["omissions"]:
        assert set(om) == {"segment", "text", "kind", "importance"}
    assert [s["verdict"] for s in data["statements"][:4]] == [
        "supported",
        "contradicted",
        "unsupported",
        "no_clinical_content",
    ]
    assert {"supported", "unsupported", "contradicted", "omissions", "statements"} <= set(
        data["metrics"]
    )


def test_text(transcript: Source) -> None:
    draft, report = _report(transcript)
    text = render_text(draft, report, [transcript])
    assert text.startswith("HPI:")
    assert "✗ She reports fever." in text and "transcript says no fever" in text
    assert "OMISSIONS" in text and "summary:" in text


def test_html_is_self_contained_and_escaped(transcript: Source) -> None:
    draft, report = _report(transcript)
    page = render_html(draft, report, [transcript])
    assert page.startswith("<!doctype html>")
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert not re.search(r"(src|href)=\"https?:", page)
    assert "http://" not in page and "https://" not in page
    for label in ("supported", "contradicted", "unsupported", "no_clinical_content"):
        assert f'class="st {label}"' in page
    for seg in transcript.segments:
        assert f'id="seg-{seg.id}"' in page
    payload = re.search(r'<script type="application/json" id="verdicts">(.*?)</script>', page, re.S)
    assert payload is not None
    data = json.loads(payload.group(1))
    assert data["st2"]["label"] == "contradicted" and data["st2"]["evidence"]
    assert "Omissions" in page
