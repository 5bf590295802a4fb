"""Conditions named inside other pages' answers (written fixtures, not MedQuAD text)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evident.tasks.differential.build import BuildOptions, build_table
from evident.tasks.differential.lexicon import load_lexicon
from evident.tasks.differential.named import Named, condition_like, find_named, head_shapes

KEYS = [
    "alphitis",
    "betitis",
    "gammitis",
    "delta disease",
    "omega disease",
    "sigma disease",
    "kappa syndrome",
]


@pytest.mark.parametrize(
    ("keys", "min_heads", "min_shape", "present", "absent"),
    [
        (KEYS, 3, 3, {"disease", "=itis"}, {"syndrome", "=ease"}),
        (KEYS, 2, 5, {"disease"}, {"=itis"}),
        (["kidney stones", "bladder stones", "gall stones"], 3, 15, {"stone"}, {"stones"}),
    ],
)
def test_head_shapes_are_read_from_the_table(
    keys: list[str], min_heads: int, min_shape: int, present: set[str], absent: set[str]
) -> None:
    shapes = head_shapes(keys, min_heads, min_shape)
    assert present <= shapes
    assert not absent & shapes


@pytest.mark.parametrize(
    ("name", "like"),
    [
        ("zeta gammitis", True),  # a known ending
        ("zetitis", True),  # one word with a known ending
        ("rho disease", True),  # a known head
        ("diseases", False),  # one word that heads many names is a class of them
        ("the zetitis", False),  # an article describes, it does not name
        ("rho therapy", False),  # not a condition (a treatment page's head)
        ("rho lump", False),  # neither head nor ending known
        ("one two three four itis", False),  # too long to be a name
    ],
)
def test_condition_like(name: str, like: bool) -> None:
    shapes = head_shapes(KEYS, 3, 3)
    assert condition_like(name, shapes, load_lexicon()) is like


@pytest.mark.parametrize(
    ("answer", "known", "expected"),
    [
        (
            "Kinds of eye problems are\n  - Zetitis - a red bump on the eyelid\n"
            "  - Rho disease - blurry vision in one eye",
            set(),
            [("Zetitis", "a red bump on the eyelid"), ("Rho disease", "blurry vision in one eye")],
        ),
        ("Kinds are\n  - Zetitis - a red bump on the eyelid", {"zetitis"}, []),
        (
            "Falls may follow a condition called zetitis -- it brings vertigo. Rest helps. "
            "Later text.",
            set(),
            [("zetitis", "it brings vertigo. Rest helps")],
        ),
        ("The HPO list: - Hydro thing - High palate - Small ears", set(), []),
    ],
)
def test_find_named(answer: str, known: set[str], expected: list[tuple[str, str]]) -> None:
    found = list(find_named([("eye problems", answer)], known))
    assert [(n.name, n.description) for n in found] == expected
    assert all(isinstance(n, Named) and n.parent == "eye problems" for n in found)


def _rows(tmp: Path, source: str) -> Path:
    rows = [
        ("Alphitis", "symptoms", "Alphitis brings a sore throat and fever."),
        ("Betitis", "symptoms", "Betitis brings knee pain and swelling."),
        ("Gammitis", "symptoms", "Gammitis brings a rash on the chest."),
        (
            "Eye problems",
            "information",
            "Eye problems cause blurred vision and eye pain. Common kinds are\n"
            "  - Zetitis - a painful red bump on the eyelid with pus\n"
            "  - Alphitis - not a new name",
        ),
    ]
    path = tmp / "mq.jsonl"
    lines = [
        json.dumps({"source": source, "url": "", "focus": f, "qtype": q, "answer": a})
        for f, q, a in rows
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("source", "named", "added"),
    [
        ("4_MPlus_Health_Topics_QA", True, True),
        ("4_MPlus_Health_Topics_QA", False, False),
        ("2_GARD_QA", True, False),  # rare-disease pages list phenotype terms, not conditions
    ],
)
def test_build_adds_named_conditions(tmp_path: Path, source: str, named: bool, added: bool) -> None:
    table = build_table(_rows(tmp_path, source), BuildOptions(named=named, named_min_shape=3))
    conds = {c["name"]: c for c in table["conditions"]}
    assert ("Zetitis" in conds) is added
    assert len([n for n in conds if n.lower() == "alphitis"]) == 1
    if added:
        findings = conds["Zetitis"]["findings"]
        assert {"eyelid", "bump"} <= set(findings)  # its description
        assert "blurred vision" in findings  # the page that names it
        assert findings["eyelid"] > findings["eye"]  # the description counts more
