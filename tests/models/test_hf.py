"""The hf backend on a tiny randomly initialised model built by the test."""

from __future__ import annotations

import sys
from importlib.util import find_spec
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field

from evident.errors import ConfigError, OutputError
from evident.models import load_backend
from evident.models.base import GenerationRequest, Message
from evident.models.hf import HFBackend
from tests.conftest import require_or_skip

HF_READY = all(find_spec(m) for m in ("torch", "transformers", "lmformatenforcer"))
TEMPLATE = (
    "{% for m in messages %}<|{{ m['role'] }}|>{{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>{% endif %}"
)


class Finding(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["symptom", "sign"]
    present: bool


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    label: Literal["supported", "unsupported", "contradicted"]
    code: str = Field(max_length=6)
    finding: Finding


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_or_skip(HF_READY, "EVIDENT_REQUIRE_HF", "the hf extra is not installed")
    from tests.models.tiny_hf import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("tiny-llama"))


@pytest.fixture(scope="module")
def backend(tiny_model: Path) -> HFBackend:
    loaded = load_backend(f"hf:{tiny_model}")
    assert isinstance(loaded, HFBackend)
    loaded.max_whitespace = 1  # a random model pads with blanks; keep outputs short
    return loaded


def request(temperature: float = 0.0, seed: int | None = None, max_tokens: int = 300):
    return GenerationRequest(
        messages=(Message("user", "Judge the statement."),),
        output_type=Verdict,
        temperature=temperature,
        seed=seed,
        max_tokens=max_tokens,
    )


@pytest.mark.hf
@pytest.mark.parametrize(("temperature", "seed"), [(0.0, None), (1.0, 1), (1.5, 2)])
def test_constrained_output_validates(backend, temperature, seed):
    result = backend.generate(request(temperature, seed))
    assert isinstance(result.value, Verdict)
    assert Verdict.model_validate_json(result.raw.strip()) == result.value
    assert result.model == backend.model
    assert result.usage.input_tokens > 100  # the prompt carries the schema
    assert 10 < result.usage.output_tokens <= 300
    assert result.usage.calls == (2 if result.repaired else 1)
    phases = [a["phase"] for a in result.attempts]
    assert phases == (["initial", "repair"] if result.repaired else ["initial"])


@pytest.mark.hf
def test_seeded_sampling_is_reproducible(backend):
    assert backend.generate(request(1.0, 7)).raw == backend.generate(request(1.0, 7)).raw


@pytest.mark.hf
def test_truncated_output_raises_output_error(backend):
    with pytest.raises(OutputError, match="after one repair attempt"):
        backend.generate(request(max_tokens=4))


@pytest.mark.hf
def test_prompt_uses_chat_template_when_present(backend, tiny_model):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model, local_files_only=True)
    messages = (Message("system", "Be brief."), Message("user", "Hi"))
    plain = backend._prompt(tokenizer, messages, Verdict)
    assert plain.startswith("system: Be brief.\n\nAnswer with one JSON object")
    assert plain.endswith("user: Hi\n\nassistant: ")
    tokenizer.chat_template = TEMPLATE
    templated = backend._prompt(tokenizer, messages, Verdict)
    assert templated.startswith("<|system|>Be brief.")
    assert templated.endswith("<|user|>Hi\n<|assistant|>")


@pytest.mark.hf
def test_model_with_chat_template(tmp_path):
    require_or_skip(HF_READY, "EVIDENT_REQUIRE_HF", "the hf extra is not installed")
    from tests.models.tiny_hf import build_tiny_model

    path = build_tiny_model(tmp_path / "chat", chat_template=TEMPLATE)
    chat_backend = HFBackend(f"hf:{path}", path, max_whitespace=1)
    result = chat_backend.generate(request())
    assert isinstance(result.value, Verdict)


def test_unloadable_directory(tmp_path):
    require_or_skip(HF_READY, "EVIDENT_REQUIRE_HF", "the hf extra is not installed")
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    backend = HFBackend("hf:x", tmp_path)
    assert (backend.local, backend.offline, backend.model) == (True, False, tmp_path.name)
    with pytest.raises(ConfigError, match="cannot load hf model"):
        backend.generate(request())


@pytest.mark.parametrize("module", ["torch", "transformers", "lmformatenforcer"])
def test_missing_extra(monkeypatch, tmp_path, module):
    monkeypatch.setitem(sys.modules, module, None)  # makes the import fail
    backend = HFBackend("hf:x", tmp_path)
    with pytest.raises(ConfigError, match=r"pip install 'evident\[hf\]'"):
        backend.generate(request())
