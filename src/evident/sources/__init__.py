"""Sources stage: parse inputs into Sources of addressable segments.

Transcripts (plain text with speaker labels, WebVTT, JSON lists of ``{speaker, text}``)
become utterance segments ``u1..un``; notes become sentence segments ``s1..sn`` that
carry their section heading in ``meta["section"]``. See ``docs/scribe.md``. FHIR Bundles
(JSON) become one segment per resource, ``ResourceType/id``, with a readable rendering and
the resource's typed facts in ``meta`` (see ``docs/chart.md``).
"""

from evident.sources._lexicon import heading_type
from evident.sources.fhir import ResourceFacts, looks_like_fhir, parse_fhir, resource_facts
from evident.sources.load import (
    DEFAULT_MAX_BYTES,
    MAX_BYTES_ENV,
    MAX_SEGMENT_CHARS,
    check_size,
    decode,
    load_source,
    max_input_bytes,
    read_bytes,
    read_source,
)

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MAX_BYTES_ENV",
    "MAX_SEGMENT_CHARS",
    "ResourceFacts",
    "check_size",
    "decode",
    "heading_type",
    "load_source",
    "looks_like_fhir",
    "max_input_bytes",
    "parse_fhir",
    "read_bytes",
    "read_source",
    "resource_facts",
]
