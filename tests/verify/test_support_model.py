"""The learned support entailer (``support``): its alignment features, the shipped weights,
its place in the decision table, and training that never reads the test half."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from evident.cli.main import main
from evident.errorgen import half
from evident.errors import ConfigError
from evident.verify import verify
from evident.verify.bench import Encounter
from evident.verify.entail import Entailer, available_entailers, load_entailer
from evident.verify.index import SourceIndex
from evident.verify.options import SUPPORT_THRESHOLD, VerifyOptions
from evident.verify.support_model import (
    FEATURES,
    SupportEntailer,
    SupportWeights,
    alignment,
    load_weights,
)
from evident.verify.support_train import Record, dev_only, fit, records
from tests.verify.conftest import make_draft, make_transcript
from tests.verify.test_bench_general import ENCOUNTERS

VISIT = (
    "[doctor] what brings you in today ?\n"
    "[patient] my stomach has been upset after meals .\n"
    "[doctor] for how long ?\n"
    "[patient] about three weeks , mostly in the evening .\n"
    "[doctor] any vomiting ?\n"
    "[patient] no , just some nausea .\n"
    "[doctor] let's try omeprazole twenty milligrams every morning .\n"
)


def _index() -> SourceIndex:
    return SourceIndex([make_transcript(VISIT)])


def _features(statement: str) -> dict[str, float]:
    index = _index()
    from evident.verify.facts import analyze

    positions = [p for p, _ in index.search(analyze(statement).terms, k=5)]
    return dict(zip(FEATURES, alignment(statement, index, positions), strict=True))


@pytest.mark.parametrize(
    ("statement", "feature", "low", "high"),
    [
        ("Upset stomach after meals.", "cov_top1", 0.99, 1.0),
        ("Upset stomach after meals.", "miss_count", 0.0, 0.0),
        ("Upset stomach after meals for three weeks, mostly in the evening.", "cov_top1", 0.2, 0.8),
        (
            "Upset stomach after meals for three weeks, mostly in the evening.",
            "cov_window",
            0.99,
            1.0,
        ),
        ("Upset stomach after meals, worse with spicy curries.", "cov_all", 0.1, 0.8),
        ("Upset stomach after meals, worse with spicy curries.", "miss_count", 0.5, 2.0),
        ("Nauseated in the evening.", "cov_prefix", 0.99, 1.0),
        ("Fractured wrist after a cycling crash.", "cov_all", 0.0, 0.2),
        ("Started omeprazole 20 mg every morning.", "fact_cov", 0.99, 1.0),
        ("Started pantoprazole 40 mg every morning.", "fact_cov", 0.0, 0.6),
        # the source's own way with a word (vomiting asked and answered no)
        ("Nausea but no vomiting.", "polarity_mismatch", 0.0, 0.0),
        ("Vomiting after meals.", "polarity_mismatch", 0.3, 0.6),
        ("Reports vomiting.", "polarity_mismatch", 0.99, 1.0),
        ("Denies nausea.", "polarity_mismatch", 0.99, 1.0),
    ],
)
def test_alignment_features(statement: str, feature: str, low: float, high: float) -> None:
    assert low <= _features(statement)[feature] <= high


@pytest.mark.parametrize(
    ("statement", "supported"),
    [
        ("Her stomach has been upset after meals for about three weeks.", True),
        ("Upset after meals, mostly in the evening.", True),
        ("Fractured wrist after a cycling crash in the park.", False),
        ("She was started on metformin for her thyroid nodule.", False),
        ("She plays tennis on weekends.", False),
    ],
)
def test_shipped_model_scores(statement: str, supported: bool) -> None:
    index = _index()
    entailer = SupportEntailer().prepare(index)
    from evident.verify.facts import analyze

    cands = [index.segments[p].segment for p, _ in index.search(analyze(statement).terms, k=5)]
    e = entailer.entail(statement, cands)
    assert (e.score >= SUPPORT_THRESHOLD) is supported
    assert (e.entailer, e.decisive, e.label) == ("support", False, "neutral")


def test_registered_and_loadable() -> None:
    assert "support" in available_entailers()
    entailer = load_entailer("support")
    assert isinstance(entailer, Entailer)
    assert entailer.name == "support"


def _weights(**change: object) -> dict[str, object]:
    data = load_weights().model_dump()
    data.update(change)
    return data


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_weights(features=["cov_top3"]), "features"),
        (_weights(weights=[0.1, 0.2]), f"need {len(FEATURES)} values"),
        (_weights(scale=[0.0] * len(FEATURES)), "positive"),
        (_weights(extra_field=1), "invalid"),
        ("not json at all", "invalid"),
    ],
)
def test_invalid_model_files(tmp_path: Path, data: object, message: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_entailer(f"support:{path}")


def test_missing_model_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read"):
        load_weights(tmp_path / "absent.json")


@pytest.mark.parametrize(
    ("statement", "label", "decided_by"),
    [
        ("Ibuprofen 800 mg twice a day.", "contradicted", "check:dose"),
        ("Her left knee has been hurting.", "contradicted", "check:side"),
        ("Metformin 500 mg daily.", "contradicted", "check:drug"),
        ("Right knee pain for about two weeks.", "supported", "entail:support"),
    ],
)
def test_never_overrides_a_checker(statement: str, label: str, decided_by: str) -> None:
    from tests.verify.conftest import TRANSCRIPT

    opts = VerifyOptions(entailer="support", omissions=False)
    v = verify(make_draft(statement), [make_transcript(TRANSCRIPT)], options=opts).verdicts[0]
    assert (v.label, v.decided_by) == (label, decided_by)


def _records(supported: bool, scores: list[float]) -> list[Record]:
    base = load_weights().mean
    return [
        Record(
            f"e{i}",
            "" if supported else "surface",
            "clean" if supported else "finding",
            i,
            supported,
            (s, *base[1:]),
        )
        for i, s in enumerate(scores)
    ]


@pytest.mark.parametrize("rate", [0.1, 0.25])
def test_fit_sets_the_operating_point(rate: float) -> None:
    clean = _records(True, [0.3 + 0.7 * i / 99 for i in range(100)])
    perturbed = _records(False, [0.6 * i / 99 for i in range(100)])
    w = fit(clean + perturbed, clean_flag_rate=rate)
    assert w == fit(clean + perturbed, clean_flag_rate=rate)  # deterministic
    flagged = sum(w.probability(r.features) < SUPPORT_THRESHOLD for r in clean)
    assert abs(flagged - 100 * rate) <= 2
    assert w.weights[0] > 0  # coverage counts for support


def test_fit_needs_both_labels() -> None:
    with pytest.raises(ValueError, match="both"):
        fit(_records(True, [0.5, 0.6]), clean_flag_rate=0.2)


def _encounters() -> list[Encounter]:
    return [Encounter(eid, dialogue, note) for eid, dialogue, note in ENCOUNTERS]


def test_training_never_reads_the_test_half() -> None:
    encounters = _encounters()
    assert {half(e.id) for e in encounters} == {"dev", "test"}
    assert all(half(e.id) == "dev" for e in dev_only(encounters))
    rows = records(encounters, per_type=2, seed=13)
    assert rows and {half(r.encounter) for r in rows} == {"dev"}
    # the test-half encounter changes nothing: not even the swap and invented pools
    assert rows == records(dev_only(encounters), per_type=2, seed=13)
    assert {r.supported for r in rows} == {True, False}


def test_train_command(tmp_path: Path) -> None:
    data = tmp_path / "tiny.csv"
    with data.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "encounter_id", "dialogue", "note"])
        w.writerows(["tiny", *e] for e in ENCOUNTERS)
    out = tmp_path / "model.json"
    assert main(["train", "entailer", "--data", str(data), "--out", str(out)]) == 0
    weights = SupportWeights.model_validate_json(out.read_text(encoding="utf-8"))
    assert weights.meta["half"] == "dev"
    assert weights.meta["held_out_family"] == "syntax"


@pytest.mark.parametrize(
    ("statement", "opened", "cutoff"),
    [
        ("Climbing stairs is hard for her.", True, 0.4),  # wording alone decides it
        ("She reports left knee pain when climbing stairs.", True, 0.0),  # its finding found
        # a finding no word of which the visit has is the checker's, not the entailer's
        ("She reports knee pain and a rash on her elbow.", False, 2.0),
        ("She has a history of gout.", False, 2.0),
        ("She takes ibuprofen 800 mg twice a day.", False, 2.0),  # a dose conflict
        ("Her right knee hurts when she climbs stairs.", False, 2.0),  # a side conflict
        ("Good morning.", False, 2.0),  # no clinical content
    ],
)
def test_where_the_entailer_decides(statement: str, opened: bool, cutoff: float) -> None:
    from evident.verify.bench_general import prepare
    from evident.verify.support_train import entailer_cutoff

    (_, prepared), *_ = prepare(_encounters()[:1], per_type=1, seed=13)
    got = entailer_cutoff(prepared, statement, "HPI")
    assert got[0] is opened
    assert got[1] == pytest.approx(cutoff)


@pytest.mark.parametrize(
    ("key", "value"),
    [("half", "dev"), ("family", "surface"), ("held_out_family", "syntax")],
)
def test_shipped_model_provenance(key: str, value: str) -> None:
    assert load_weights().meta[key] == value


@pytest.mark.parametrize(
    ("cutoff", "label"),
    [(None, "supported"), (0.4, "supported"), (0.99, "unsupported")],
)
def test_the_cutoff_comes_from_the_model_file(
    tmp_path: Path, cutoff: float | None, label: str
) -> None:
    """``support:<file>`` brings its own cutoff; the shipped file's is 0.4."""
    from tests.verify.conftest import TRANSCRIPT

    assert load_weights().cutoff == SUPPORT_THRESHOLD
    data = load_weights().model_dump()
    if cutoff is None:
        del data["cutoff"]  # an older file without one: the default cutoff
    else:
        data["cutoff"] = cutoff
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    entailer = load_entailer(f"support:{path}")
    assert entailer.cutoff == (cutoff or SUPPORT_THRESHOLD)  # type: ignore[attr-defined]
    opts = VerifyOptions(entailer=f"support:{path}", omissions=False)
    draft = make_draft("Her right knee has hurt for two weeks.")
    v = verify(draft, [make_transcript(TRANSCRIPT)], options=opts).verdicts[0]
    assert v.label == label


@pytest.mark.parametrize("cutoff", [0.0, 1.0, -0.2])
def test_invalid_cutoff(tmp_path: Path, cutoff: float) -> None:
    path = tmp_path / "model.json"
    path.write_text(json.dumps(_weights(cutoff=cutoff)), encoding="utf-8")
    with pytest.raises(ConfigError, match="cutoff"):
        load_entailer(f"support:{path}")


def test_the_judge_band_is_its_own() -> None:
    from evident.verify.entail import JUDGE_BAND, LexicalEntailer, judge_band_of

    assert judge_band_of(LexicalEntailer()) == JUDGE_BAND
    low, high = judge_band_of(SupportEntailer())
    assert low == JUDGE_BAND[0] and 0 < high < JUDGE_BAND[1]
    assert judge_band_of(object()) == JUDGE_BAND  # a plugin that names none
