"""The offline engine on a hand-written table: ranking, priors, penalties, quotes."""

from __future__ import annotations

import itertools

import pytest

from evident.tasks.differential import (
    EngineConfig,
    check_differential,
    rank,
    read_case,
    run_offline,
)
from evident.tasks.differential.check import denied_quote
from evident.tasks.differential.engine import NO_FINDING
from evident.tasks.differential.table import Table


def _names(table: Table, text: str, top: int = 10) -> list[str]:
    return [c.diagnosis for c in run_offline(read_case(text), table, top).differential]


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("45 year old woman with fever, chills and a productive cough.", "Pneumonia"),
        ("30 year old man with a sore throat and nasal congestion, and a cough.", "Common cold"),
        ("60 year old man with chest pain, sweating and nausea.", "Heart attack"),
        ("40 year old woman with a headache, nausea and vomiting.", "Migraine"),
        ("50 year old man, short of breath, coughing up blood (hemoptysis).", "Pulmonary embolism"),
    ],
)
def test_first_diagnosis(table: Table, text: str, first: str) -> None:
    assert _names(table, text)[0] == first


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        ("A 35 year old man with abdominal pain and bloating.", "Ovarian cyst"),
        ("A 35 year old woman with dysuria and fever.", "Prostatitis"),
    ],
)
def test_a_one_sex_condition_is_dropped_for_the_other(table: Table, text: str, absent: str) -> None:
    assert absent not in _names(table, text)


def test_childhood_condition_loses_weight_for_adults(table: Table) -> None:
    child = _names(table, "A 4 year old boy with a fever and a rash.")
    adult = _names(table, "A 44 year old man with a fever and a rash.")
    assert child[0] == "Kawasaki disease"
    assert adult.index("Kawasaki disease") >= child.index("Kawasaki disease")


def test_denied_key_finding_lowers_the_score(table: Table) -> None:
    plain = {
        table.conditions[s.index].name: s.score for s in rank(read_case("Fever and chills."), table)
    }
    denied = rank(read_case("Fever and chills. No cough."), table)
    scores = {table.conditions[s.index].name: s.score for s in denied}
    assert scores["Pneumonia"] < plain["Pneumonia"]
    pneumonia = next(s for s in denied if table.conditions[s.index].name == "Pneumonia")
    assert [m.term for m, _ in pneumonia.opposing] == ["cough"]


def test_risk_factors_add_weight(table: Table) -> None:
    cfg = EngineConfig()
    base = {
        table.conditions[s.index].name: s.score for s in rank(read_case("Chest pain."), table, cfg)
    }
    risk = {
        table.conditions[s.index].name: s.score
        for s in rank(read_case("Chest pain. He has hypertension."), table, cfg)
    }
    assert risk["Heart attack"] > base["Heart attack"]


def test_output_contract(table: Table) -> None:
    diff = run_offline(read_case("A 50 year old man with chest pain and no fever."), table, 3)
    data = diff.model_dump()
    assert set(data) == {"differential", "red_flags", "next_steps", "model", "issues"}
    assert data["model"] == "offline"
    first = data["differential"][0]
    assert set(first) == {
        "rank",
        "diagnosis",
        "likelihood",
        "supporting",
        "opposing",
        "missing",
        "must_not_miss",
    }
    assert first["rank"] == 1 and first["likelihood"] == "high"
    assert [c["rank"] for c in data["differential"]] == list(
        range(1, len(data["differential"]) + 1)
    )


_PARTS = [
    "He has a fever.",
    "No fever.",
    "She denies chest pain.",
    "Crushing chest pain since the morning.",
    "Productive cough for a week, no chills.",
    "Denies nausea or vomiting.",
    "Short of breath on exertion without hemoptysis.",
    "Sore throat and nasal congestion.",
    "A headache but no vomiting.",
]


@pytest.mark.parametrize(
    "parts", [combo for n in (2, 3) for combo in itertools.combinations(_PARTS, n)][::3]
)
def test_every_quote_is_exact_and_no_denied_finding_supports(
    table: Table, parts: tuple[str, ...]
) -> None:
    text = "A 52 year old woman. " + " ".join(parts)
    case = read_case(text)
    diff = run_offline(case, table, 10)
    for cand in diff.differential:
        for cite in [*cand.supporting, *cand.opposing]:
            assert cite.quote in text
        for cite in cand.supporting:
            assert not denied_quote(case, cite.quote), (cand.diagnosis, cite)
            assert cite.finding not in case.denied
        for cite in cand.opposing:
            assert cite.finding in case.denied
    assert [i for i in check_differential(diff, case).issues if i != NO_FINDING] == []


@pytest.mark.parametrize(
    "text",
    [
        "50 year old man who coughs up blood.",
        "60 year old man with chest pain, sweating and nausea.",
        "45 year old woman with fever, chills and a productive cough.",
        "A 30 year old woman with a headache.",
        # listed as likely, though no presentation of the emergency list fits them
        "60 year old man short of breath.",
        "A 40 year old man with chest pain.",
        "Nausea and sweating.",
    ],
)
def test_a_likely_listed_emergency_is_flagged_wherever_it_ranks(table: Table, text: str) -> None:
    from evident.tasks.differential.mustnotmiss import is_emergency

    diff = run_offline(read_case(text), table, 10)
    flagged = {f.diagnosis for f in diff.red_flags}
    for c in diff.differential:
        names = set(next(x.names for x in table.conditions if x.name == c.diagnosis))
        e = is_emergency(names) if c.likelihood != "low" else None
        if e is not None:
            assert c.must_not_miss, c.diagnosis
            assert e.name in flagged
            assert all(q.quote in diff_text(text) for q in c.supporting)


def diff_text(text: str) -> str:
    return read_case(text).text


@pytest.mark.parametrize(
    ("text", "recognised"),
    [
        # nothing the table knows: a case in another language, punctuation
        ("Le patient a une douleur thoracique depuis deux heures.", False),
        ("???  ...  !!!", False),
        ("A 50 year old man with chest pain.", True),
        ("No fever.", False),  # denied findings only: nothing for a diagnosis to rest on
    ],
)
def test_a_list_resting_on_no_finding_says_so(table: Table, text: str, recognised: bool) -> None:
    diff = run_offline(read_case(text), table, 10)
    assert (diff.issues == []) is recognised
    if not recognised:
        assert diff.issues == [NO_FINDING]
    # only a diagnosis with a supporting quote is ranked above low
    for cand in diff.differential:
        assert cand.likelihood == "low" or cand.supporting, cand
