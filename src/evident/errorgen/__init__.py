"""A general error generator for the verify benchmark, written from the grammar of
clinical sentences and never from the verifier's lexicons.

Two families are written independently so that one can be held out when a model is
trained: ``surface`` (regular expressions over words) and ``syntax`` (rewrites driven by
a dependency parse). Each :class:`Item` records its type and direction; negation added and
negation removed are separate types. Encounters are split into development and test
halves by :func:`half`.
"""

from evident.errorgen.generate import FAMILIES, NOTE_TYPES, TYPES, Corpus, Item
from evident.errorgen.split import Half, half

__all__ = ["FAMILIES", "NOTE_TYPES", "TYPES", "Corpus", "Half", "Item", "half"]
