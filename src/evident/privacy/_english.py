"""Common English, told apart from names: the spaCy model's WordNet lemma tables.

A lower-case word where a name stands ("hi saoirse", "bye kwaku") is a name when it is
not an English word. The English words are the model's lemma index and exceptions
(read with srsly, spaCy's serialiser, without importing spaCy), the knowledge base's
stop words, the stage's clinical words and speech fillers (``fields.yaml``).
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from evident.privacy._data import load_lexicon

__all__ = ["PARTICLES", "common_word", "english_words", "fillers", "stop_words", "unknown_word"]

PARTICLES = frozenset(
    {"van", "von", "de", "del", "della", "der", "den", "da", "di", "dos", "du", "la", "le"}
    | {"ter", "bin", "al", "el", "st"}
)


@cache
def stop_words() -> frozenset[str]:
    """The knowledge base's English stop words ("and", "the", "for")."""
    text = resources.files("evident.kb").joinpath("resources", "stopwords.json").read_text("utf-8")
    data = json.loads(text)
    return frozenset(str(w) for w in (data.get("words", []) if isinstance(data, dict) else data))


@cache
def fillers() -> frozenset[str]:
    """Speech fillers and pronouns that are not names (``fields.yaml: fillers``)."""
    from evident.privacy._fields import vocab_list

    return frozenset(vocab_list("fillers"))


@cache
def english_words() -> frozenset[str]:
    """Common English words (the spaCy model's WordNet lemma index and exceptions, the
    stage's not-names and clinical words): a lower-case word in a name's position that
    is none of them is taken for a name. Empty when the model is not installed."""
    from evident.nlp import find_model_path
    from evident.privacy._statistical import clinical_words

    path = find_model_path()
    words: set[str] = set()
    table_file = None if path is None else path / "lemmatizer" / "lookups" / "lookups.bin"
    if table_file is not None and table_file.is_file():
        import srsly  # spaCy's own serialiser: reads the tables without importing spaCy

        tables = srsly.msgpack_loads(table_file.read_bytes())
        for table in ("lemma_index", "lemma_exc"):
            for value in (tables.get(table) or {}).values():
                words.update(value if isinstance(value, list) else value.keys())
    if not words:
        return frozenset()
    stop = json.loads(
        resources.files("evident.kb").joinpath("resources", "stopwords.json").read_text("utf-8")
    )
    words.update(stop.get("words", []) if isinstance(stop, dict) else stop)
    return frozenset(words | clinical_words() | fillers())


_SUFFIXES = ("s", "es", "ed", "d", "ing", "ly", "er", "est", "ies")


def is_english(word: str) -> bool:
    english = english_words()
    if word in english or "'" in word or "’" in word:
        return True
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            if stem in english or stem + "e" in english or stem + "y" in english:
                return True
            if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in english:
                return True  # "stopped", "running"
    return False


def common_word(word: str) -> bool:
    """True for a common English word (lower case; inflections and contractions too)."""
    return bool(english_words()) and (len(word) <= 2 or is_english(word))


def unknown_word(word: str) -> bool:
    lex = load_lexicon()
    if lex.is_name(word):
        return word not in lex.ambiguous and word not in lex.not_names
    return (
        bool(english_words()) and len(word) > 2 and word not in PARTICLES and not is_english(word)
    )
