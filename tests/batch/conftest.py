"""Fixtures of the batch tests: small visits and notes the authors wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

_VISITS = [
    (
        "[doctor] what brings you in today?\n[patient] i have had a cough for {n} days.\n"
        "[doctor] any fever?\n[patient] no fever.\n[doctor] are you taking anything?\n"
        "[patient] lisinopril {dose} mg once a day.\n"
    ),
    (
        "[doctor] how is the left knee?\n[patient] it hurts when i climb stairs, for {n} weeks.\n"
        "[doctor] any swelling?\n[patient] a little swelling.\n[doctor] take ibuprofen "
        "{dose} mg twice a day.\n"
    ),
]
_NOTES = [
    "Cough for {n} days. No fever. Takes lisinopril {dose} mg daily.\n",
    "Left knee pain for {n} weeks with mild swelling. Ibuprofen {dose} mg twice daily.\n",
]


def write_pairs(folder: Path, count: int) -> Path:
    """``count`` verify pairs ``eNN.source.txt`` / ``eNN.draft.txt``; some drafts are wrong."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        kind, n, dose = i % 2, 2 + i % 5, 10 * (1 + i % 4)
        wrong = dose * 10 if i % 3 == 0 else dose
        (folder / f"e{i:02d}.source.txt").write_text(
            _VISITS[kind].format(n=n, dose=dose), encoding="utf-8"
        )
        (folder / f"e{i:02d}.draft.txt").write_text(
            _NOTES[kind].format(n=n, dose=wrong), encoding="utf-8"
        )
    return folder


@pytest.fixture
def pairs(tmp_path: Path) -> Path:
    return write_pairs(tmp_path / "pairs", 6)


@pytest.fixture
def notes(tmp_path: Path) -> Path:
    folder = tmp_path / "notes"
    folder.mkdir()
    for i in range(4):
        (folder / f"n{i}.txt").write_text(
            f"Seen by Dr. Quill Marrow on 03/0{i + 1}/2024. Mr. Tobin Vale, age {40 + i}, "
            f"called from 555-01{i}2 about his cough.\n",
            encoding="utf-8",
        )
    (folder / "zz_binary.txt").write_bytes(b"\x00\x01\x02 Tobin Vale")
    return folder
