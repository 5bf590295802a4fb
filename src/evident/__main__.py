"""``python -m evident``."""

from evident.cli.main import entry

entry()
