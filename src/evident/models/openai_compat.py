"""The ``openai-compatible`` backend: any server that speaks OpenAI chat completions.

vLLM, Ollama, llama.cpp's server, OpenAI and Azure OpenAI all speak it. Structured output
degrades with what the server supports (:data:`LADDER`): OpenAI's JSON-schema
``response_format`` first, then JSON mode carrying the schema (llama.cpp's shape,
``{"type": "json_object", "schema": ...}``, which its server turns into a grammar), then
plain JSON mode, then plain prompting. Each step down happens once per backend instance,
when the server answers HTTP 400, 422 or 500 with an error that names ``response_format``
or ``json_schema`` (llama-cpp-python reports its request validation errors as 500s); it
costs no retry. The answer is validated against the request's pydantic ``output_type``,
with one repair attempt. Failures raise
:class:`~evident.errors.BackendError` (HTTP status, timeouts, connection) or
:class:`~evident.errors.OutputError` (invalid output after repair) with one-line messages
that name the status and model, never the prompt.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Literal, Self, TypeVar

from pydantic import BaseModel

from evident.errors import BackendError, ConfigError, OutputError
from evident.models import throttle
from evident.models.base import Generation, GenerationRequest, Message
from evident.models.endpoints import (
    Endpoint,
    azure_endpoint,
    is_loopback,
    ollama_endpoint,
    openai_compatible_endpoint,
    openai_endpoint,
)
from evident.models.settings import DEFAULT_TIMEOUT, RetryPolicy, env_float, parse_retry_after
from evident.models.structured import (
    InvalidOutput,
    output_schema,
    repair_messages,
    schema_instruction,
    strict_compatible,
    validate_output,
)
from evident.types import Usage

__all__ = [
    "LADDER",
    "OpenAICompatibleBackend",
    "StructuredMode",
    "configured",
    "create_azure",
    "create_ollama",
    "create_openai",
    "create_openai_compatible",
]

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
StructuredMode = Literal["json_schema", "json_object_schema", "json_object", "prompt"]
LADDER: tuple[StructuredMode, ...] = ("json_schema", "json_object_schema", "json_object", "prompt")
"""The structured-output modes, best first; a backend only ever moves down this ladder."""
_DEGRADE: dict[str, StructuredMode] = dict(itertools.pairwise(LADDER))
_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})
# Statuses with which servers refuse a response_format: 400 (OpenAI, vLLM), 422 (FastAPI
# validation), 500 (llama-cpp-python wraps its validation error in an internal error).
_MODE_REJECT_STATUS = frozenset({400, 422, 500})
_MODE_WORDS = ("response_format", "json_schema")


@dataclass
class _Call:
    """Bookkeeping of one ``generate`` call over all its HTTP requests."""

    usage: Usage = field(default_factory=Usage)
    attempts: list[dict[str, Any]] = field(default_factory=list)
    truncated: bool = False  # the last answer stopped at max_tokens


class OpenAICompatibleBackend:
    """A backend that calls an OpenAI-compatible chat-completions endpoint.

    Attributes:
        spec: The spec string it was created from.
        name: The registered name used (``openai-compatible``, ``openai``, ``ollama``,
            ``azure``).
        model: The model (or Azure deployment) name; for a spec without a model name it
            is ``auto`` until the first call asks the server's ``/models``.
        base_url: The API base URL (``.../v1``).
        offline: Always False.
        local: True when the endpoint is on this machine (a loopback host).
        mode: The structured-output mode currently used (it only ever degrades, along
            :data:`LADDER`).
        timeout: Seconds one HTTP request may take.
        retry: The retry policy.

    The HTTP client is created on the first call and keeps its connections open; call
    :meth:`close` (or use the backend as a context manager) to release them.
    """

    offline = False

    def __init__(
        self,
        spec: str,
        endpoint: Endpoint,
        *,
        timeout: float | None = None,
        retry: RetryPolicy | None = None,
        mode: StructuredMode = "json_schema",
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        """Create the backend; no network traffic happens until :meth:`generate`.

        Args:
            spec: The spec string (recorded, and used in messages).
            endpoint: Where and how to connect (see :mod:`evident.models.endpoints`).
            timeout: Seconds per HTTP request; default ``$EVIDENT_TIMEOUT`` or 60.
            retry: Retry policy; default from ``$EVIDENT_MAX_RETRIES``/``$EVIDENT_BACKOFF``.
            mode: The structured-output mode to start with.
            sleep: Called to wait between retries (tests pass a recorder).
        """
        self.spec = spec
        self.name = endpoint.name
        self.endpoint = endpoint
        self.base_url = endpoint.base_url
        self.model = endpoint.model or "auto"
        self.local = endpoint.local if endpoint.local is not None else is_loopback(self.base_url)
        self.timeout = (
            timeout
            if timeout is not None
            else env_float("EVIDENT_TIMEOUT", DEFAULT_TIMEOUT, minimum=0.001)
        )
        self.retry = retry or RetryPolicy.from_env()
        self.mode: StructuredMode = mode
        self._sleep = sleep
        self._client: Any = None
        self._max_tokens_param = "max_tokens"
        self._send_temperature = True

    def __repr__(self) -> str:
        return f"OpenAICompatibleBackend(spec={self.spec!r}, mode={self.mode!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client and its pooled connections.

        Safe to call more than once; a later :meth:`generate` opens a new client. The
        structured mode reached so far is kept.
        """
        client, self._client = self._client, None
        if client is not None:
            client.close()

    # -- public -------------------------------------------------------------------------

    def generate(self, request: GenerationRequest[T]) -> Generation[T]:
        """Complete the messages and return the output validated against the schema.

        Raises:
            BackendError: The endpoint failed (status, timeout, connection) after retries.
            OutputError: The output did not validate, even after one repair attempt.
        """
        call = _Call()
        started = time.perf_counter()
        try:
            if self.model == "auto":
                self.model = self._discover_model()
            raw = self._complete(request.messages, request, call, "initial")
            try:
                value = validate_output(raw, request.output_type)
                repaired = False
            except InvalidOutput as first:
                if not request.repair:
                    raise OutputError(f"model '{self.model}': {first.summary}", raw=raw) from None
                logger.info("invalid output from model '%s' (%s); repairing", self.model, first)
                messages = repair_messages(request.messages, raw, first, request.output_type)
                raw = self._complete(messages, request, call, "repair")
                value = self._validate_repaired(raw, request.output_type, call.truncated)
                repaired = True
        except BackendError as exc:
            exc.attempts = tuple(call.attempts)  # type: ignore[attr-defined]
            exc.usage = self._usage(call, started)  # type: ignore[attr-defined]
            raise
        return Generation(
            value=value,
            raw=raw,
            model=self.model,
            usage=self._usage(call, started),
            repaired=repaired,
            attempts=tuple(call.attempts),
        )

    # -- structured output and repair ----------------------------------------------------

    def _validate_repaired(self, raw: str, output_type: type[T], truncated: bool) -> T:
        try:
            return validate_output(raw, output_type)
        except InvalidOutput as second:
            cut = "; the answer was cut off at max_tokens" if truncated else ""
            raise OutputError(
                f"model '{self.model}' ({self.name}): {second.summary} "
                f"(after one repair attempt{cut})",
                raw=raw,
            ) from None

    def _prepare(self, messages: tuple[Message, ...], output_type: type[BaseModel]) -> list[dict]:
        """Chat messages for the API; outside JSON-schema mode the schema goes in a prompt."""
        out = [{"role": m.role, "content": m.content} for m in messages]
        if self.mode == "json_schema":
            return out
        instruction = schema_instruction(output_type)
        for msg in out:
            if msg["role"] == "system":
                msg["content"] = f"{msg['content']}\n\n{instruction}"
                return out
        return [{"role": "system", "content": instruction}, *out]

    def _response_format(self, output_type: type[BaseModel]) -> dict[str, Any] | None:
        if self.mode == "json_object":
            return {"type": "json_object"}
        if self.mode == "prompt":
            return None
        schema = output_schema(output_type)
        if self.mode == "json_object_schema":
            # llama.cpp's server compiles this schema into a grammar; servers that ignore
            # the extra key still get the schema in the prompt (see _prepare).
            return {"type": "json_object", "schema": schema}
        return {
            "type": "json_schema",
            "json_schema": {
                "name": output_type.__name__[:64] or "output",
                "schema": schema,
                "strict": strict_compatible(schema),
            },
        }

    # -- HTTP with retries -----------------------------------------------------------------

    def _complete(
        self,
        messages: tuple[Message, ...],
        request: GenerationRequest[Any],
        call: _Call,
        phase: str,
    ) -> str:
        """One completion, retried on transient failures; degrades the mode when refused."""
        openai = _openai()
        retries = 0
        while True:
            kwargs = self._kwargs(messages, request)
            throttle.wait_turn(self._sleep)  # a batch's shared pace and 429 pauses
            t0 = time.perf_counter()
            attempt: dict[str, Any] = {"backend": self.name, "model": self.model}
            attempt.update(phase=phase, mode=self.mode)
            call.attempts.append(attempt)
            try:
                response = self._get_client().chat.completions.create(**kwargs)
                content = self._read(response, call)
            except openai.APIStatusError as exc:
                attempt.update(status=exc.status_code, error=type(exc).__name__)
                attempt["latency_ms"] = _ms(t0)
                if self._degrade(exc):
                    continue
                retry_after = parse_retry_after(dict(exc.response.headers))
                if exc.status_code not in _RETRY_STATUS or retries >= self.retry.max_retries:
                    raise self._status_error(exc, retries) from None
            except openai.APIConnectionError as exc:  # includes APITimeoutError
                attempt.update(status=None, error=type(exc).__name__, latency_ms=_ms(t0))
                if retries >= self.retry.max_retries:
                    raise self._connection_error(exc, retries) from None
                retry_after = None
            except (ValueError, openai.APIResponseValidationError, _BadReply) as exc:
                # 200 with a body that is not JSON, not UTF-8 or not a chat completion
                # (UnicodeDecodeError and JSONDecodeError are ValueErrors): a failing
                # backend, retried like one, then the fallback chain moves on.
                what = _bad_reply(exc)
                attempt.update(status=200, error=f"bad reply: {what}", latency_ms=_ms(t0))
                if retries >= self.retry.max_retries:
                    tried = f" ({retries + 1} tries)" if retries else ""
                    raise BackendError(
                        f"model '{self.model}' ({self.name} at {self.endpoint.host}): "
                        f"the reply was {what}{tried}"
                    ) from None
                retry_after = None
            else:
                attempt.update(status=200, error=None, latency_ms=_ms(t0))
                served = getattr(response, "model", None)
                if isinstance(served, str) and served and served != self.model:
                    attempt["served_model"] = served
                return content
            delay = self.retry.delay(retries, retry_after)
            if attempt["status"] == 429:
                throttle.rate_limited(delay)
            retries += 1
            logger.warning(
                "model '%s' (%s): %s; retry %d/%d in %.2f s",
                self.model,
                self.name,
                attempt["error"]
                if attempt["status"] in (None, 200)
                else f"HTTP {attempt['status']}",
                retries,
                self.retry.max_retries,
                delay,
            )
            self._sleep(delay)

    def _kwargs(self, messages: tuple[Message, ...], request: GenerationRequest[Any]) -> dict:
        kwargs: dict[str, Any] = {
            "model": self.model,
            "messages": self._prepare(messages, request.output_type),
            self._max_tokens_param: request.max_tokens,
        }
        if self._send_temperature:
            kwargs["temperature"] = request.temperature
        if request.seed is not None:
            kwargs["seed"] = request.seed
        response_format = self._response_format(request.output_type)
        if response_format is not None:
            kwargs["response_format"] = response_format
        return kwargs

    def _degrade(self, exc: Any) -> bool:
        """Step down when a request parameter is refused; True when it may be resent.

        A ``response_format`` refusal (400, 422 or 500 naming it) moves one step down the
        mode ladder; the other parameter fixes need a 400.
        """
        text = _error_text(exc)
        if exc.status_code in _MODE_REJECT_STATUS and any(w in text for w in _MODE_WORDS):
            nxt = _DEGRADE.get(self.mode)
            if nxt is None:
                return False  # nothing left to drop: an error like any other
            logger.info(
                "model '%s' (%s): HTTP %s refused structured mode %s; using %s",
                self.model,
                self.name,
                exc.status_code,
                self.mode,
                nxt,
            )
            self.mode = nxt
            return True
        if exc.status_code != 400:
            return False
        if "max_completion_tokens" in text and self._max_tokens_param == "max_tokens":
            self._max_tokens_param = "max_completion_tokens"
            return True
        if "temperature" in text and self._send_temperature:
            # Reasoning models accept only their default temperature.
            logger.info(
                "model '%s' (%s): temperature not supported; omitted", self.model, self.name
            )
            self._send_temperature = False
            return True
        return False

    def _read(self, response: Any, call: _Call) -> str:
        """The message text of a reply.

        Raises:
            _BadReply: The reply is not a chat completion (the SDK hands back the body as
                text when it is not JSON, and builds models without checking them).
        """
        if isinstance(response, str | bytes):  # served as something other than JSON
            raise _BadReply("not JSON")
        if not hasattr(response, "choices"):
            raise _BadReply("not a chat completion")
        usage = getattr(response, "usage", None)
        try:
            counts = Usage(
                input_tokens=int(getattr(usage, "prompt_tokens", 0) or 0),
                output_tokens=int(getattr(usage, "completion_tokens", 0) or 0),
                calls=1,
            )
        except (TypeError, ValueError):
            raise _BadReply("not a chat completion (usage)") from None
        choices = getattr(response, "choices", None)
        if not isinstance(choices, list):
            raise _BadReply("not a chat completion (choices)")
        call.usage = call.usage + counts
        if not choices:
            return ""
        message = getattr(choices[0], "message", None)
        content = getattr(message, "content", None)
        if message is None or not isinstance(content, str | None):
            raise _BadReply("not a chat completion (message)")
        call.truncated = getattr(choices[0], "finish_reason", None) == "length"
        if call.truncated:
            call.attempts[-1]["truncated"] = True
        return content if isinstance(content, str) else ""

    def _usage(self, call: _Call, started: float) -> Usage:
        return call.usage.model_copy(update={"latency_ms": _ms(started)})

    # -- errors and client ---------------------------------------------------------------

    def _status_error(self, exc: Any, retries: int) -> BackendError:
        code = _error_code(exc)
        extra = f", code {code}" if code else ""
        tried = f" after {retries + 1} tries" if retries else ""
        hint = "; check the API key" if exc.status_code in (401, 403) else ""
        return BackendError(
            f"model '{self.model}' ({self.name} at {self.endpoint.host}) failed: "
            f"HTTP {exc.status_code}{extra}{tried}{hint}"
        )

    def _connection_error(self, exc: Any, retries: int) -> BackendError:
        what = "timed out" if "Timeout" in type(exc).__name__ else "connection failed"
        detail = f" after {self.timeout:g} s" if what == "timed out" else ""
        tried = f" ({retries + 1} tries)" if retries else ""
        return BackendError(
            f"model '{self.model}' ({self.name} at {self.endpoint.host}): request {what}"
            f"{detail}{tried}"
        )

    def _discover_model(self) -> str:
        openai = _openai()
        try:
            models = [str(m.id) for m in self._get_client().models.list().data]
        except (openai.APIError, ValueError, AttributeError, TypeError) as exc:
            raise BackendError(
                f"{self.name} at {self.endpoint.host}: cannot list models to pick one "
                f"({type(exc).__name__}); name the model after '#' in the spec"
            ) from None
        if not models:
            raise BackendError(f"{self.name} at {self.endpoint.host} serves no models")
        return str(models[0])

    def _get_client(self) -> Any:
        if self._client is None:
            self._client = self.endpoint.client(timeout=self.timeout)
        return self._client


def _openai() -> Any:
    try:
        import openai
    except ImportError:  # pragma: no cover - openai is a core dependency
        raise ConfigError(
            "the 'openai' package is not installed; run: pip install openai"
        ) from None
    return openai


class _BadReply(Exception):
    """A 200 reply that is not the chat-completions shape."""


def _bad_reply(exc: Exception) -> str:
    """What was wrong with a reply, in words (never its content)."""
    if isinstance(exc, UnicodeDecodeError):
        return "not UTF-8 text"
    if isinstance(exc, json.JSONDecodeError):
        return "not JSON"
    if isinstance(exc, _BadReply):
        return str(exc)
    return f"not a chat completion ({type(exc).__name__})"


def _error_body(exc: Any) -> dict[str, Any]:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        return inner if isinstance(inner, dict) else {"message": str(inner)}
    return {}


def _error_text(exc: Any) -> str:
    """The error's message, parameter and any validation details, lower-cased."""
    body = _error_body(exc)
    detail = body.get("detail", "")  # FastAPI's 422: a list of {"loc", "msg", ...}
    details = json.dumps(detail, default=str) if detail else ""
    text = f"{body.get('message', '')} {body.get('param', '')} {details}"
    return f"{text} {getattr(exc, 'message', '')}".lower()


def _error_code(exc: Any) -> str:
    code = _error_body(exc).get("code")
    return str(code)[:60] if code not in (None, "", exc.status_code) else ""


def _ms(t0: float) -> float:
    return round((time.perf_counter() - t0) * 1000, 3)


def configured(spec: str, endpoint: Endpoint) -> OpenAICompatibleBackend:
    """A backend for an endpoint, with the models config file's settings applied.

    Environment variables win over the file (timeouts, retries); an endpoint entry's
    ``api_key_env`` (when that variable is set) and ``local`` win over the defaults.
    """
    from evident.models.config import load_config

    config = load_config()
    entry = config.endpoint(endpoint.base_url)
    timeout = config.timeout or DEFAULT_TIMEOUT
    retries = config.max_retries if config.max_retries is not None else 3
    if entry is not None:
        key = os.environ.get(entry.api_key_env, "").strip() if entry.api_key_env else ""
        endpoint = replace(
            endpoint,
            api_key=key or endpoint.api_key,
            local=entry.local if entry.local is not None else endpoint.local,
        )
        timeout = entry.timeout or timeout
        retries = entry.max_retries if entry.max_retries is not None else retries
    retry = RetryPolicy.from_env(retries, config.backoff if config.backoff is not None else 0.5)
    return OpenAICompatibleBackend(
        spec,
        endpoint,
        timeout=env_float("EVIDENT_TIMEOUT", timeout, minimum=0.001),
        retry=retry,
    )


def create_openai_compatible(target: str, spec: str) -> OpenAICompatibleBackend:
    """Entry-point factory for ``openai-compatible:URL#model``."""
    return configured(spec, openai_compatible_endpoint(target, spec))


def create_openai(target: str, spec: str) -> OpenAICompatibleBackend:
    """Entry-point factory for ``openai:MODEL``."""
    return configured(spec, openai_endpoint(target, spec))


def create_ollama(target: str, spec: str) -> OpenAICompatibleBackend:
    """Entry-point factory for ``ollama:MODEL``."""
    return configured(spec, ollama_endpoint(target, spec))


def create_azure(target: str, spec: str) -> OpenAICompatibleBackend:
    """Entry-point factory for ``azure:DEPLOYMENT``."""
    return configured(spec, azure_endpoint(target, spec))
