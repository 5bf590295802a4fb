"""The ``hf`` backend: a local Hugging Face causal LM with schema-constrained decoding.

``hf:/path/to/model`` loads the tokenizer and model from a local directory (never from
the Hub: ``local_files_only=True``) on the first call. Decoding is constrained to the
output type's JSON schema by lm-format-enforcer's character-level JSON-schema parser, so
even a small model emits JSON of the right shape; the result is still validated with
pydantic (the parser does not enforce every keyword, and ``max_tokens`` may cut the
JSON short), with one repair attempt like the other backends.

Needs the ``hf`` extra (``pip install 'evident[hf]'``). ``$EVIDENT_HF_DEVICE`` picks the
torch device (default: ``cuda`` when available, else ``cpu``).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from evident.errors import ConfigError, OutputError, missing_extra
from evident.models.base import Generation, GenerationRequest, Message
from evident.models.structured import (
    InvalidOutput,
    output_schema,
    repair_messages,
    schema_instruction,
    validate_output,
)
from evident.types import Usage

__all__ = ["HFBackend", "create"]

logger = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)


class HFBackend:
    """A local transformers causal LM.

    Attributes:
        spec: The spec string.
        name: ``hf``.
        model: The model directory's name.
        path: The model directory.
        offline: Always False (a model generates the text).
        local: Always True: nothing leaves this machine.
        device: The torch device, or None for the default.
    """

    name = "hf"
    offline = False
    local = True

    def __init__(
        self, spec: str, path: Path, *, device: str | None = None, max_whitespace: int = 8
    ) -> None:
        """Check the path; the model loads on the first :meth:`generate`.

        Args:
            spec: The spec string.
            path: The local model directory.
            device: Torch device; default ``$EVIDENT_HF_DEVICE``, else cuda/cpu.
            max_whitespace: Most consecutive whitespace characters the JSON may contain
                (keeps a weak model from padding its answer with blanks).

        Raises:
            ConfigError: The path is not a directory.
        """
        if not path.is_dir():
            raise ConfigError(f"model spec '{spec}': '{path}' is not a model directory")
        self.spec = spec
        self.path = path
        self.model = path.name or str(path)
        self.device = device or os.environ.get("EVIDENT_HF_DEVICE") or None
        self.max_whitespace = max_whitespace
        self._lock = threading.Lock()
        self._loaded: tuple[Any, Any, Any] | None = None  # tokenizer, model, enforcer data

    def __repr__(self) -> str:
        return f"HFBackend(spec={self.spec!r})"

    def generate(self, request: GenerationRequest[T]) -> Generation[T]:
        """Generate JSON constrained to the output schema and validate it.

        Raises:
            ConfigError: The ``hf`` extra is missing or the model cannot be loaded.
            OutputError: The output does not validate, even after one repair attempt.
        """
        started = time.perf_counter()
        with self._lock:
            raw, usage = self._generate(request.messages, request)
            phases = ["initial"]
            try:
                value = validate_output(raw, request.output_type)
            except InvalidOutput as first:
                if not request.repair:
                    raise OutputError(
                        f"hf model '{self.model}': {first.summary}", raw=raw
                    ) from None
                logger.info("invalid output from hf model '%s' (%s); repairing", self.model, first)
                messages = repair_messages(request.messages, raw, first, request.output_type)
                raw, used = self._generate(messages, request)
                usage, phases = usage + used, ["initial", "repair"]
                value = self._validate_repaired(raw, request.output_type)
        latency = round((time.perf_counter() - started) * 1000, 3)
        return Generation(
            value=value,
            raw=raw,
            model=self.model,
            usage=usage.model_copy(update={"latency_ms": latency}),
            repaired=len(phases) == 2,
            attempts=tuple(
                {"backend": "hf", "model": self.model, "phase": p, "status": 200, "error": None}
                for p in phases
            ),
        )

    def _validate_repaired(self, raw: str, output_type: type[T]) -> T:
        try:
            return validate_output(raw, output_type)
        except InvalidOutput as second:
            raise OutputError(
                f"hf model '{self.model}': {second.summary} (after one repair attempt)",
                raw=raw,
            ) from None

    # -- loading -----------------------------------------------------------------------

    def _load(self) -> tuple[Any, Any, Any]:
        if self._loaded is not None:
            return self._loaded
        torch, transformers = _import_extra()
        from lmformatenforcer import TokenEnforcerTokenizerData

        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(self.path, local_files_only=True)
            model = transformers.AutoModelForCausalLM.from_pretrained(
                self.path, local_files_only=True, dtype="auto"
            )
        except (OSError, ValueError) as exc:
            raise ConfigError(
                f"cannot load hf model from '{self.path}': {type(exc).__name__}"
            ) from None
        device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
        model.to(device)
        model.eval()
        eos = _eos_ids(tokenizer, model)
        regular = _regular_tokens(tokenizer)
        data = TokenEnforcerTokenizerData(
            regular, lambda ids: tokenizer.decode(ids).rstrip("\ufffd"), eos, False, len(tokenizer)
        )
        self._loaded = (tokenizer, model, data)
        logger.info("loaded hf model '%s' on %s", self.model, device)
        return self._loaded

    # -- generation --------------------------------------------------------------------

    def _prompt(self, tokenizer: Any, messages: tuple[Message, ...], output_type: type) -> str:
        chat = [{"role": m.role, "content": m.content} for m in messages]
        instruction = schema_instruction(output_type)
        for msg in chat:
            if msg["role"] == "system":
                msg["content"] = f"{msg['content']}\n\n{instruction}"
                break
        else:
            chat.insert(0, {"role": "system", "content": instruction})
        if getattr(tokenizer, "chat_template", None):
            text = tokenizer.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
            return str(text)
        lines = [f"{m['role']}: {m['content']}" for m in chat]
        return "\n\n".join([*lines, "assistant: "])

    def _generate(
        self, messages: tuple[Message, ...], request: GenerationRequest[Any]
    ) -> tuple[str, Usage]:
        tokenizer, model, data = self._load()
        import torch
        from lmformatenforcer import CharacterLevelParserConfig, JsonSchemaParser, TokenEnforcer

        prompt = self._prompt(tokenizer, messages, request.output_type)
        has_template = bool(getattr(tokenizer, "chat_template", None))
        encoded = tokenizer(prompt, return_tensors="pt", add_special_tokens=not has_template)
        input_ids = encoded["input_ids"].to(model.device)
        attention = encoded["attention_mask"].to(model.device)
        parser = JsonSchemaParser(output_schema(request.output_type))
        enforcer = TokenEnforcer(data, parser)
        # TokenEnforcer replaces the parser's config with one holding only the alphabet.
        parser.config = CharacterLevelParserConfig(
            alphabet=data.tokenizer_alphabet, max_consecutive_whitespaces=self.max_whitespace
        )
        options: dict[str, Any] = {"do_sample": request.temperature > 0}
        if request.temperature > 0:
            options["temperature"] = request.temperature
        if request.seed is not None:
            torch.manual_seed(request.seed)
        with torch.no_grad():
            out = model.generate(
                input_ids=input_ids,
                attention_mask=attention,
                max_new_tokens=request.max_tokens,
                logits_processor=[_EnforcerProcessor(enforcer)],
                pad_token_id=data.eos_token_id[0],
                eos_token_id=data.eos_token_id,
                **options,
            )
        new = out[0, input_ids.shape[1] :]
        text = tokenizer.decode(new, skip_special_tokens=True)
        usage = Usage(
            input_tokens=int(input_ids.shape[1]), output_tokens=int(new.shape[0]), calls=1
        )
        return str(text), usage


class _EnforcerProcessor:
    """A transformers logits processor that masks every token the schema parser forbids."""

    def __init__(self, enforcer: Any) -> None:
        self.enforcer = enforcer

    def __call__(self, input_ids: Any, scores: Any) -> Any:
        import torch

        mask = torch.full_like(scores, float("-inf"))
        for row, sequence in enumerate(input_ids.tolist()):
            allowed = self.enforcer.get_allowed_tokens(sequence).allowed_tokens
            if allowed:
                mask[row, allowed] = 0
        return scores + mask


def _import_extra() -> tuple[Any, Any]:
    try:
        import torch
    except ImportError:
        raise missing_extra("torch", "hf") from None
    try:
        import transformers
    except ImportError:
        raise missing_extra("transformers", "hf") from None
    try:
        import lmformatenforcer  # noqa: F401
    except ImportError:
        raise missing_extra("lmformatenforcer", "hf") from None
    return torch, transformers


def _eos_ids(tokenizer: Any, model: Any) -> list[int]:
    eos = tokenizer.eos_token_id
    if eos is None:
        eos = getattr(model.generation_config, "eos_token_id", None)
    if eos is None:
        raise ConfigError("the hf model's tokenizer defines no end-of-sequence token")
    return list(eos) if isinstance(eos, list | tuple) else [int(eos)]


def _regular_tokens(tokenizer: Any) -> list[tuple[int, str, bool]]:
    """``(id, text, starts_word)`` for every non-special token, as lm-format-enforcer needs.

    A token is decoded after a fixed "0" token as well as alone: sentencepiece-style
    tokenizers drop a word-initial space when a token is decoded alone.
    """
    zero = tokenizer.encode("0", add_special_tokens=False)[-1]
    special = set(tokenizer.all_special_ids)
    tokens = []
    for idx in range(len(tokenizer)):
        if idx in special:
            continue
        after_zero = tokenizer.decode([zero, idx])[1:]
        alone = tokenizer.decode([idx])
        tokens.append((idx, after_zero, len(after_zero) > len(alone)))
    return tokens


def create(target: str, spec: str) -> HFBackend:
    """Entry-point factory for ``hf:/path/to/model``."""
    target = target.strip()
    if not target:
        raise ConfigError(f"model spec '{spec}' needs a model directory: hf:/path/to/model")
    return HFBackend(spec, Path(target).expanduser())
