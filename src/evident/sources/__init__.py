"""Sources stage: parse inputs into Sources of addressable segments."""

from evident.sources.load import DEFAULT_MAX_BYTES, load_source, read_source

__all__ = ["DEFAULT_MAX_BYTES", "load_source", "read_source"]
