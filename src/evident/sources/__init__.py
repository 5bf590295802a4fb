"""Sources stage: parse inputs into Sources of addressable segments.

Transcripts (plain text with speaker labels, WebVTT, JSON lists of ``{speaker, text}``)
become utterance segments ``u1..un``; notes become sentence segments ``s1..sn`` that
carry their section heading in ``meta["section"]``. See ``docs/scribe.md``.
"""

from evident.sources._lexicon import heading_type
from evident.sources.load import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    decode,
    load_source,
    max_input_bytes,
    read_source,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "decode",
    "heading_type",
    "load_source",
    "max_input_bytes",
    "read_source",
]
