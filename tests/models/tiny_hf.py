"""Build a tiny randomly initialised causal LM and a byte-level tokenizer in a directory."""

from __future__ import annotations

from pathlib import Path

EOS = "<eos>"
UNK = "<unk>"


def build_tiny_model(path: Path, *, chat_template: str | None = None) -> Path:
    """Write a 2-layer Llama with a character-level tokenizer to ``path``.

    The vocabulary is printable ASCII plus newline and tab, one token per character, so
    any ASCII JSON can be spelt; other characters become ``<unk>``. The weights are random.
    """
    import torch
    from tokenizers import Tokenizer, decoders, models
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    chars = [chr(c) for c in range(32, 127)] + ["\n", "\t"]
    vocab = {ch: i for i, ch in enumerate(chars)}
    vocab[UNK] = len(vocab)
    vocab[EOS] = len(vocab)
    tok = Tokenizer(models.BPE(vocab=vocab, merges=[], unk_token=UNK))
    tok.decoder = decoders.Fuse()
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tok, eos_token=EOS, pad_token=EOS, unk_token=UNK
    )
    if chat_template:
        fast.chat_template = chat_template
    fast.save_pretrained(path)
    config = LlamaConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        eos_token_id=vocab[EOS],
        pad_token_id=vocab[EOS],
        bos_token_id=None,
    )
    torch.manual_seed(0)
    LlamaForCausalLM(config).save_pretrained(path)
    return path
