"""``evident bench omissions``: removed note sentences, lost segments, Spearman, the CLI."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.errorgen import half
from evident.types import Segment, Source, Statement
from evident.verify.bench import Encounter
from evident.verify.bench_omissions import (
    RATES,
    coverage_baseline,
    lost_segments,
    pointed,
    run_encounter,
    spearman,
    systems,
)
from evident.verify.index import SourceIndex

# Made-up encounters: the first two fall in the development half, the third in the test half.
ENCOUNTERS = [
    (
        "E0",
        "[doctor] what brings you in ?\n[patient] my left knee hurts when i climb stairs .\n"
        "[doctor] are you allergic to any medicines ?\n"
        "[patient] yes , penicillin gives me hives .\n"
        "[doctor] are you taking anything ?\n[patient] ibuprofen 400 milligrams twice a day .\n"
        "[patient] i had my gallbladder removed five years ago .\n"
        "[doctor] let's get an x-ray of the left knee and see you in 2 weeks .\n",
        "HPI:\nShe reports left knee pain when climbing stairs. She is allergic to penicillin.\n"
        "She takes ibuprofen 400 mg twice a day. Her gallbladder was removed five years ago.\n"
        "\nPLAN:\nX-ray of the left knee. Follow up in 2 weeks.\n",
    ),
    (
        "E1",
        "[doctor] how is your breathing ?\n[patient] better since i started the inhaler .\n"
        "[doctor] do you still smoke ?\n[patient] yes , half a pack a day .\n"
        "[doctor] any chest pain ?\n[patient] no , none .\n"
        "[doctor] continue albuterol 2 puffs as needed .\n",
        "HPI:\nHis breathing is better since he started the inhaler. He smokes half a pack a day.\n"
        "He denies chest pain.\n\nPLAN:\nContinue albuterol 2 puffs as needed.\n",
    ),
    (
        "E2",
        "[doctor] how is the rash on your right arm ?\n[patient] it has increased in size .\n"
        "[doctor] any itching ?\n[patient] yes , a lot .\n"
        "[doctor] start hydrocortisone cream twice daily for 7 days .\n",
        "HPI:\nThe rash on her right arm has increased in size. She reports itching.\n\n"
        "PLAN:\nStart hydrocortisone cream twice daily for 7 days.\n",
    ),
]


@pytest.mark.parametrize(
    ("removed", "lost", "share"),
    [
        ([], set(), 0.0),
        (["s1"], {"u1"}, 0.25),  # u2 is also cited by s2, which stays
        (["s1", "s2"], {"u1", "u2"}, 0.5),
        (["s3"], {"u4"}, 0.25),
        (["s9"], set(), 0.0),  # a statement with no evidence loses nothing
    ],
)
def test_lost_segments_are_those_only_removed_statements_cite(
    removed: list[str], lost: set[str], share: float
) -> None:
    evidence = {"s1": ("u1", "u2"), "s2": ("u2", "u3"), "s3": ("u4",), "s4": ("u3",)}
    got = lost_segments(evidence, removed)
    assert set(got.segments) == lost
    assert got.share == pytest.approx(share)
    assert got.removed == len(removed)


@pytest.mark.parametrize(
    ("cited", "lost", "expect"),
    [
        (["u3"], ["u3"], {"u3"}),
        (["u2"], ["u3"], {"u3"}),  # the question before an answer
        (["u4"], ["u3"], {"u3"}),
        (["u5"], ["u3"], set()),  # two turns away
        ([], ["u3"], set()),
        (["zz"], ["u3"], set()),  # an unknown id points at nothing
    ],
)
def test_pointed_reaches_one_turn(cited: list[str], lost: list[str], expect: set[str]) -> None:
    position = {f"u{i}": i for i in range(8)}
    assert pointed(cited, lost, position) == expect


@pytest.mark.parametrize(
    ("x", "y", "expect"),
    [
        ([1, 2, 3, 4], [10, 20, 30, 40], 1.0),
        ([1, 2, 3, 4], [40, 30, 20, 10], -1.0),
        ([1, 2, 3, 4], [1, 1, 2, 2], 0.894),  # ties share their average rank
        ([1, 1, 1], [1, 2, 3], None),  # constant
        ([1, 2], [1, 2], None),  # too few
    ],
)
def test_spearman(x: list[float], y: list[float], expect: float | None) -> None:
    got = spearman(x, y)
    if expect is None:
        assert got is None
    else:
        assert got == pytest.approx(expect, abs=1e-3)


def _index(turns: list[tuple[str, str]]) -> SourceIndex:
    segs, text, pos = [], "", 0
    for i, (who, said) in enumerate(turns):
        segs.append(Segment(id=f"u{i}", text=said, start=pos, end=pos + len(said), speaker=who))
        text += said + "\n"
        pos = len(text)
    return SourceIndex([Source(kind="transcript", text=text, segments=tuple(segs))])


@pytest.mark.parametrize(
    ("draft", "expect"),
    [
        ([], ["u1", "u3"]),
        (["She had her gallbladder removed five years ago."], ["u1"]),
        (["Knee pain climbing stairs; gallbladder removed five years ago."], []),
    ],
)
def test_coverage_baseline_reports_uncovered_patient_turns(
    draft: list[str], expect: list[str]
) -> None:
    index = _index(
        [
            ("doctor", "what brings you in today with the knee ?"),
            ("patient", "my knee hurts when i climb the stairs every morning ."),
            ("patient", "no ."),  # too few content words
            ("patient", "i had my gallbladder removed five years ago ."),
        ]
    )
    sts = [Statement(id=f"s{i}", text=t) for i, t in enumerate(draft)]
    assert [o.segment for o in coverage_baseline(sts, index, 25)] == expect


def test_removing_sentences_loses_segments_and_grows_omissions() -> None:
    eid, dialogue, note = ENCOUNTERS[0]
    out = run_encounter(Encounter(eid, dialogue, note), systems(), seed=13)
    mine = [d for name, d in out if name == "evident"]
    assert [d.rate for d in mine] == list(RATES)
    assert mine[0].lost.segments == frozenset()
    assert len(mine[-1].lost.segments) > 0
    # nested removal: a larger share loses at least what a smaller one did
    for a, b in itertools.pairwise(mine):
        assert a.lost.segments <= b.lost.segments
    assert len(mine[-1].reported) >= len(mine[0].reported)
    assert all(d.pointed <= len(d.lost.segments) for d in mine)
    # the share actually removed: none, then half rounded up, never more than all
    assert mine[0].removed_share == 0.0
    assert [d.lost.removed for d in mine] == [int(r * mine[0].supported + 0.5) for r in RATES]
    assert mine[-1].removed_share <= 1.0


@pytest.fixture
def corpus_csv(tmp_path: Path) -> Path:
    assert [half(e[0]) for e in ENCOUNTERS] == ["dev", "dev", "test"]
    path = tmp_path / "tiny.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "encounter_id", "dialogue", "note"])
        for eid, dialogue, note in ENCOUNTERS:
            w.writerow(["tiny", eid, dialogue, note])
    return path


@pytest.mark.parametrize(
    ("args", "expect", "code"),
    [
        (["--half", "dev"], ["half: dev (development)", "encounters: 2", "Spearman"], 0),
        ([], ["half: test (held out)", "encounters: 1", "coverage baseline"], 0),
        (["--show-misses", "5"], ["development-half misses only"], 2),
    ],
)
def test_cli(
    corpus_csv: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    expect: list[str],
    code: int,
) -> None:
    rc = main(["bench", "omissions", "--data", str(corpus_csv), *args])
    out = capsys.readouterr()
    assert rc == code
    for text in expect:
        assert text in out.out + out.err


def test_cli_refuses_a_written_source(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "abstracts.json"
    path.write_text("{}", encoding="utf-8")
    assert main(["bench", "omissions", "--data", str(path)]) == 2
    assert "dialogue and its note" in capsys.readouterr().err
