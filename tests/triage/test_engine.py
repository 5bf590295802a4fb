"""The offline triage engine: classes, negation and time, modifiers, exact quotes."""

from __future__ import annotations

import pytest

from evident.tasks.triage import read_message, triage_offline

from .conftest import load_cases

DEV = load_cases("dev") + load_cases("dev_vignettes")
HELDOUT = ("heldout", "heldout_vignettes")
ALL = DEV + [c for split in HELDOUT for c in load_cases(split)]


@pytest.mark.parametrize("case", DEV, ids=[c["id"] for c in DEV])
def test_dev_cases(case: dict[str, str]) -> None:
    assert triage_offline(case["text"]).urgency == case["urgency"]


@pytest.mark.parametrize("case", ALL, ids=[c["id"] for c in ALL])
def test_every_quote_is_an_exact_substring(case: dict[str, str]) -> None:
    result = triage_offline(case["text"])
    for flag in result.red_flags:
        assert flag.quote and flag.quote in case["text"]
        assert case["text"][flag.start : flag.start + len(flag.quote)] == flag.quote


def test_red_flags_exactly_when_urgent() -> None:
    for case in ALL:
        result = triage_offline(case["text"])
        assert bool(result.red_flags) == (result.urgency in {"urgent", "emergency"})


@pytest.mark.parametrize("split", HELDOUT)
def test_heldout_goals(split: str) -> None:
    """The held-out split's totals only: no case is printed or tuned on."""
    cases = load_cases(split)
    got = [(c["urgency"], triage_offline(c["text"]).urgency) for c in cases]
    emergencies = sum(1 for want, _ in got if want == "emergency")
    caught = sum(1 for want, have in got if want == have == "emergency")
    self_care = sum(1 for want, _ in got if want == "self_care")
    over = sum(1 for want, h in got if want == "self_care" and h in {"urgent", "emergency"})
    assert emergencies >= 10 and self_care >= 5
    assert caught >= emergencies - 1, f"{caught} of {emergencies} held-out emergencies"
    assert over <= self_care // 3, f"{over} of {self_care} held-out self-care cases above routine"


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("I have chest pain and I'm short of breath", "emergency"),
        ("I don't have any chest pain or shortness of breath", "routine"),
        ("No chest pain. Just a runny nose.", "self_care"),
        ("I had chest pain last year, the tests were fine", "routine"),
        ("I've had chest pain since last year and I'm short of breath", "emergency"),
        ("Years ago I had a seizure as a kid", "routine"),
        ("I had a stroke in 2019 and now my face is drooping", "emergency"),
        ("denies fever, mild headache", "self_care"),
        ("my husband is not breathing", "emergency"),
        ("I'm not pregnant but I have a headache", "routine"),
        ("My dad had a heart attack at 52, should I get my cholesterol checked?", "routine"),
        ("My mom passed out in the bathroom", "emergency"),
        ("What should I do if my blood sugar drops below 60?", "routine"),
        ("When should I worry about chest pain after my surgery?", "routine"),
        ("I get chest pain if I breathe deeply", "urgent"),
        ("What should I do? I have crushing chest pain", "emergency"),
        ("What should I do if I'm having chest pain and trouble breathing right now?", "emergency"),
    ],
)
def test_negation_and_time(text: str, urgency: str) -> None:
    assert triage_offline(text).urgency == urgency


@pytest.mark.parametrize(
    ("text", "urgency"),
    [
        ("headache", "routine"),
        ("mild headache", "self_care"),
        ("severe headache", "urgent"),
        ("sudden severe headache", "emergency"),
        ("headache and I am 20 weeks pregnant", "urgent"),
        ("cough for 3 days", "self_care"),
        ("cough for three weeks", "routine"),
        ("fever of 101 for 2 days", "routine"),
        ("fever of 101 for 5 days", "urgent"),
        ("temperature 39.8 since this morning", "urgent"),
        ("my 3 week old has a fever of 100.6", "emergency"),
        ("my 4 year old has a fever of 100.6", "routine"),
        ("chest pain when I press on my ribs, I'm 30", "urgent"),
        ("chest pain when I press on my ribs, I'm 62", "emergency"),
        ("blood sugar is 320", "urgent"),
        ("blood sugar reads 45 and I'm shaky", "emergency"),
        ("stomach hurts", "routine"),
        ("stomach hurts really bad", "urgent"),
        ("bleeding a bit and 12 weeks pregnant", "emergency"),
        ("bleeding from a small cut", "self_care"),
    ],
)
def test_modifiers_and_population(text: str, urgency: str) -> None:
    assert triage_offline(text).urgency == urgency


@pytest.mark.parametrize(
    ("text", "rule", "status"),
    [
        ("no fever", "fever", "negated"),
        ("fever last month", "fever", "historical"),
        ("fever, but no cough", "fever", "present"),
        ("fever, but no cough", "cough", "negated"),
        ("Cant brethe!!", "cant_breathe", "present"),
    ],
)
def test_read_message_status(text: str, rule: str, status: str) -> None:
    found = {m.rule: m.status for m in read_message(text)}
    assert found.get(rule) == status


def test_quotes_keep_the_original_case_and_spelling() -> None:
    text = "Hi doc. My Chest Hurts and Im SHORT of brething!"
    result = triage_offline(text)
    assert result.urgency == "emergency"
    assert all(f.quote in text for f in result.red_flags)
    assert any("Chest Hurts" in f.quote for f in result.red_flags)


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        ("SpO2 88% on room air", "severe_hypoxia"),
        ("o2 sats 91", "hypoxia"),
        ("BP 82/50", "hypotension"),
        ("blood pressure 190/110", "severe_hypertension"),
        ("HR 142", "tachycardia"),
        ("pulse 38", "bradycardia"),
        ("RR 34", "tachypnea"),
        ("glucose 42", "very_low_glucose"),
        ("T 39.8", "high_fever"),
        ("three times 130 a week", None),
        ("at 101 Main Street", None),
    ],
)
def test_measured_values(text: str, finding: str | None) -> None:
    measured = {"severe_hypoxia", "hypoxia", "hypotension", "severe_hypertension", "tachycardia"}
    measured |= {"bradycardia", "tachypnea", "very_low_glucose", "high_fever", "fever"}
    found = {m.rule for m in read_message(text) if m.rule in measured}
    assert found == ({finding} if finding else set())
