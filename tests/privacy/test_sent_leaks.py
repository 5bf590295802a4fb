"""What reaches a remote model: zero PHI strings, over real HTTP (EVIDENT_PRIVACY=always)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evident.errors import EvidentError
from evident.models.endpoints import openai_compatible_endpoint
from evident.models.openai_compat import OpenAICompatibleBackend
from evident.models.settings import RetryPolicy
from evident.pipeline import run_task
from evident.sources import load_source
from tests.support.openai_server import start_server

# Written for this test: a name found once by a cue, then in forms no rule knows.
TRANSCRIPT = (
    "[doctor] hi , it's marisol quenneville , right ?\n"
    "[patient] yes , Marisol Quenneville .\n"
    "[doctor] ms. quenneville , your daughter ottilie brzezinski called .\n"
    "[patient] ottilie's worried about my knee .\n"
)
NOTE = "Ms. Quenneville returns. Quenneville's knee is better. MRN: 00482913.\n"
PHI = ["marisol", "quenneville", "ottilie", "brzezinski", "00482913"]


def _backend(base_url: str) -> OpenAICompatibleBackend:
    spec = f"openai-compatible:{base_url}#m"
    endpoint = openai_compatible_endpoint(f"{base_url}#m", spec)
    return OpenAICompatibleBackend(
        spec, endpoint, timeout=5, retry=RetryPolicy(max_retries=0), sleep=lambda _: None
    )


@pytest.mark.parametrize(
    ("sources", "kinds"),
    [
        ([TRANSCRIPT], ["transcript"]),
        ([TRANSCRIPT, NOTE], ["transcript", "note"]),
        ([NOTE, TRANSCRIPT], ["note", "transcript"]),
    ],
)
def test_no_phi_string_reaches_the_model(
    sources: list[str], kinds: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVIDENT_PRIVACY", "always")
    monkeypatch.setenv("EVIDENT_MODELS_FILE", "")
    parsed = [
        load_source(text, kind=kind, name=f"s{i}")  # type: ignore[arg-type]
        for i, (text, kind) in enumerate(zip(sources, kinds, strict=True))
    ]
    with start_server({"default": {"status": 400, "error": "scripted"}}) as server:
        backend = _backend(server.base_url)
        try:
            run_task("scribe", parsed, backend)
        except EvidentError:
            pass  # the scripted server refuses; what matters is what it received
        finally:
            backend.close()
        bodies: list[Any] = [r["body"] for r in server.requests]
    assert bodies, "the model was never called"
    sent = json.dumps(bodies).lower()
    assert [p for p in PHI if p in sent] == []
