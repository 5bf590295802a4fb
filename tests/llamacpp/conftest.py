"""Fixtures: a real llama.cpp OpenAI-compatible server serving a tiny GGUF the test writes.

The server is llama-cpp-python's (``python -m llama_cpp.server``, the ``llamacpp`` extra),
started once per module on a free port of 127.0.0.1. Without the extra the tests skip,
unless ``EVIDENT_REQUIRE_LLAMACPP`` is set (``.ci/run`` does), then they fail.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.conftest import require_or_skip
from tests.llamacpp.tiny_gguf import N_CTX, build_tiny_gguf

MODEL_ALIAS = "tiny"
START_TIMEOUT_S = 90.0
_NEEDED = ("llama_cpp", "gguf", "sse_starlette", "starlette_context", "pydantic_settings")


@dataclass(frozen=True)
class LlamaServer:
    """A running llama.cpp server.

    Attributes:
        base_url: The OpenAI API base (``http://127.0.0.1:PORT/v1``).
        model: The model alias it serves.
        log: The file that receives the server's stdout and stderr.
    """

    base_url: str
    model: str
    log: Path

    @property
    def spec(self) -> str:
        """The Evident model spec that points at this server."""
        return f"openai-compatible:{self.base_url}#{self.model}"


def _installed() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in _NEEDED)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(process: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"llama.cpp server exited ({process.returncode}):\n{tail}")
        try:
            if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"llama.cpp server not ready after {START_TIMEOUT_S:g} s (log: {log})")


@pytest.fixture(autouse=True)
def no_user_models_config(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep a developer's models config file and retry settings out of these tests."""
    monkeypatch.setenv("EVIDENT_MODELS_FILE", "")
    monkeypatch.setenv("EVIDENT_MAX_RETRIES", "0")


@pytest.fixture(scope="module")
def gguf_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny GGUF model file, written once per module."""
    require_or_skip(
        _installed(),
        "EVIDENT_REQUIRE_LLAMACPP",
        "llama-cpp-python[server] and gguf are not installed (pip install -e '.[llamacpp]')",
    )
    return build_tiny_gguf(tmp_path_factory.mktemp("gguf") / "tiny.gguf")


@pytest.fixture(scope="module")
def llama_server(gguf_model: Path) -> Iterator[LlamaServer]:
    """llama-cpp-python's OpenAI-compatible server on a free port, serving the tiny model."""
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log = gguf_model.with_suffix(".log")
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf_model)]
    cmd += ["--model_alias", MODEL_ALIAS, "--host", "127.0.0.1", "--port", str(port)]
    cmd += ["--n_ctx", str(N_CTX), "--n_threads", "1", "--n_threads_batch", "1", "--seed", "0"]
    with log.open("wb") as sink:
        process = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT)
    try:
        _wait_ready(process, base_url, log)
        yield LlamaServer(base_url=base_url, model=MODEL_ALIAS, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
