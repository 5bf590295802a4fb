"""Write a tiny randomly initialised llama-architecture GGUF model that llama.cpp loads.

The model has 2 layers, an embedding of 64 and a SentencePiece-style (``llama``) vocabulary:
the three special tokens, the 256 byte-fallback tokens, ``▁`` (the SPM space) and every
printable ASCII character, so any text can be tokenised and any ASCII JSON can be spelt
(llama.cpp's grammar sampler needs that to constrain output). The weights are random and
seeded, so its text is garbage but deterministic under greedy decoding.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

UNK, BOS, EOS = "<unk>", "<s>", "</s>"
SPACE = "\u2581"  # SentencePiece's word-boundary marker; llama.cpp decodes it to " "

# A minimal chat template: llama-cpp-python renders it with Jinja2 for /v1/chat/completions
# and stops at the eos token it appends after each message.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "<|{{ message['role'] }}|>\n{{ message['content'] }}{{ eos_token }}\n"
    "{% endfor %}"
    "{% if add_generation_prompt %}<|assistant|>\n{% endif %}"
)

N_EMBD = 64
N_HEAD = 4
N_LAYER = 2
N_FF = 128
N_CTX = 2048


def vocabulary() -> tuple[list[str], list[float], list[int]]:
    """Tokens, scores and token types of the tiny SPM vocabulary."""
    from gguf import TokenType

    tokens = [UNK, BOS, EOS]
    types = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL]
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [TokenType.BYTE] * 256
    pieces = [SPACE] + [chr(c) for c in range(33, 127)]
    tokens += pieces
    types += [TokenType.NORMAL] * len(pieces)
    scores = [0.0] * 259 + [-float(i) for i in range(len(pieces))]
    return tokens, scores, [int(t) for t in types]


def build_tiny_gguf(path: Path, *, seed: int = 0) -> Path:
    """Write the tiny model to ``path`` and return it.

    Args:
        path: The ``.gguf`` file to write.
        seed: Seed of the random weights.
    """
    import numpy as np
    from gguf import GGUFWriter, LlamaFileType

    tokens, scores, types = vocabulary()
    writer = GGUFWriter(str(path), "llama")
    writer.add_name("evident-tiny-test")
    writer.add_file_type(int(LlamaFileType.ALL_F32))
    writer.add_context_length(N_CTX)
    writer.add_embedding_length(N_EMBD)
    writer.add_block_count(N_LAYER)
    writer.add_feed_forward_length(N_FF)
    writer.add_head_count(N_HEAD)
    writer.add_head_count_kv(N_HEAD)
    writer.add_rope_dimension_count(N_EMBD // N_HEAD)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_chat_template(CHAT_TEMPLATE)
    for name, tensor in _tensors(np.random.default_rng(seed), len(tokens)):
        writer.add_tensor(name, tensor)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def _tensors(rng: Any, n_vocab: int) -> Iterator[tuple[str, Any]]:
    """Name and float32 array of every tensor (numpy shapes are ggml's, reversed)."""
    import numpy as np

    def rand(*shape: int) -> Any:
        return (rng.standard_normal(shape) * 0.5).astype(np.float32)

    def ones(n: int) -> Any:
        return np.ones(n, dtype=np.float32)

    yield "token_embd.weight", rand(n_vocab, N_EMBD)
    yield "output_norm.weight", ones(N_EMBD)
    yield "output.weight", rand(n_vocab, N_EMBD)
    for i in range(N_LAYER):
        yield f"blk.{i}.attn_norm.weight", ones(N_EMBD)
        yield f"blk.{i}.attn_q.weight", rand(N_EMBD, N_EMBD)
        yield f"blk.{i}.attn_k.weight", rand(N_EMBD, N_EMBD)
        yield f"blk.{i}.attn_v.weight", rand(N_EMBD, N_EMBD)
        yield f"blk.{i}.attn_output.weight", rand(N_EMBD, N_EMBD)
        yield f"blk.{i}.ffn_norm.weight", ones(N_EMBD)
        yield f"blk.{i}.ffn_gate.weight", rand(N_FF, N_EMBD)
        yield f"blk.{i}.ffn_up.weight", rand(N_FF, N_EMBD)
        yield f"blk.{i}.ffn_down.weight", rand(N_EMBD, N_FF)
