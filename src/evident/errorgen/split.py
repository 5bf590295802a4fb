"""Development and test halves, by encounter: a stable hash of the encounter id."""

from __future__ import annotations

import hashlib
from typing import Literal

__all__ = ["Half", "half"]

Half = Literal["dev", "test"]


def half(encounter_id: str) -> Half:
    """The half an encounter belongs to, the same in every process and on every machine.

    Every statement, perturbation and source of one encounter lands in the same half, so
    a model tuned or trained on ``dev`` never sees a ``test`` encounter.
    """
    digest = hashlib.sha256(encounter_id.strip().encode("utf-8")).digest()
    return "dev" if digest[0] % 2 == 0 else "test"
