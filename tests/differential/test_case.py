"""Reading a case: negation from the parse, relatives, age, sex and time course."""

from __future__ import annotations

import pytest

from evident.errors import InputError
from evident.tasks.differential.case import read_case
from evident.tasks.differential.terms import parse

_UNIT_STOP = (
    "3 days of abdominal pain, nausea, one episode of vomiting, low-grade fever 38.1 C. "
    "No diarrhea."
)


@pytest.mark.parametrize(
    ("text", "term", "state"),
    [
        ("She has a fever and a cough.", "fever", "present"),
        ("She has no fever.", "fever", "denied"),
        ("He denies chest pain.", "chest pain", "denied"),
        ("He denies chest pain but reports a fever.", "fever", "present"),
        ("No nausea or vomiting.", "vomiting", "denied"),
        ("A cough without fever.", "fever", "denied"),
        ("A cough without fever.", "cough", "present"),
        ("He does not have a rash.", "rash", "denied"),
        ("Denies shortness of breath or leg swelling.", "dyspnea", "denied"),
        ("She reports shortness of breath on stairs.", "dyspnea", "present"),
        ("Her mother has breast cancer.", "breast cancer", "family"),
        ("Family history: diabetes and stroke in his father.", "stroke", "family"),
        ("Headache for two days, worse in the morning.", "headache", "present"),
        # a verbless fragment: the parse hangs "no" on its first noun, the scope runs on
        ("No leg swelling or chest pain.", "chest pain", "denied"),
        ("No lower extremities swelling.", "swelling", "denied"),
        # ... to a contrast word, which also ends a coordination's denial
        ("No fever but productive cough.", "cough", "present"),
        ("No fever but productive cough.", "fever", "denied"),
        ("Chest pain, no fever.", "chest pain", "present"),
        # a full stop the parser missed (a unit after a number) still ends the denial's reach
        (_UNIT_STOP, "fever", "present"),
        (_UNIT_STOP, "diarrhea", "denied"),
    ],
)
def test_finding_states(text: str, term: str, state: str) -> None:
    case = read_case(text)
    where = {"present": case.present, "denied": case.denied, "family": case.family}
    assert term in where[state], (sorted(case.present), sorted(case.denied), sorted(case.family))
    for other, found in where.items():
        if other != state:
            assert term not in found


def test_affirmed_anywhere_is_not_denied() -> None:
    case = read_case("No cough at night. She has a cough in the morning.")
    assert "cough" in case.present
    assert "cough" not in case.denied


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("A 61 year old man with cough.", 61, "male"),
        ("34-year-old female with a rash.", 34, "female"),
        ("Woman, aged 72, with back pain.", 72, "female"),
        ("8 month old boy with fever.", 8 / 12, "male"),
        ("Patient with a cough.", None, None),
    ],
)
def test_demographics(text: str, age: float | None, sex: str | None) -> None:
    case = read_case(text)
    assert case.age == pytest.approx(age) if age is not None else case.age is None
    assert case.sex == sex


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Cough for 3 days.", 3),
        ("Fever for two weeks.", 14),
        ("The pain started 4 hours ago.", 4 / 24),
        ("Tired since several months.", 90),
        ("A cough.", None),
    ],
)
def test_duration(text: str, days: float | None) -> None:
    got = read_case(text).duration_days
    assert got == pytest.approx(days) if days is not None else got is None


def test_mentions_quote_the_case_exactly() -> None:
    text = "He denies chest pain. Productive cough and fever for 3 days; no vomiting."
    case = read_case(text)
    for m in case.mentions:
        assert text[m.quote_start : m.quote_end].strip() == text[m.quote_start : m.quote_end]
        assert m.quote_start <= m.start < m.end <= m.quote_end
    assert text[case.denied["chest pain"].quote_start : case.denied["chest pain"].quote_end] == (
        "denies chest pain"
    )


@pytest.mark.parametrize("text", ["", "   \n"])
def test_empty_case_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError):
        read_case(text)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Fever 38.1 C. No diarrhea.", ["Fever 38.1 C.", "No diarrhea."]),
        ("Pain for 2 days. Nausea.", ["Pain for 2 days.", "Nausea."]),
        # an abbreviation or an initial does not end a sentence
        ("Seen by Dr. Smith today.", ["Seen by Dr. Smith today."]),
        ("Referred by J. Smith for cough.", ["Referred by J. Smith for cough."]),
        # a lower-case word after a period is left to the parser
        ("Dose 5 mg. daily.", None),
    ],
)
def test_sentence_starts_from_full_stops(text: str, sentences: list[str] | None) -> None:
    doc = parse(text)
    if sentences is None:
        assert not any(t.is_sent_start for t in doc[1:] if t.text == "daily")
    else:
        assert [s.text for s in doc.sents] == sentences


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        # advice names what to watch for, not what the patient has
        ("Dysuria for 3 days. Return precautions for fever or vomiting.", {"dysuria"}, {"fever"}),
        ("Cough. Told to return if fever develops.", {"cough"}, {"fever"}),
        ("Call 911 if chest pain recurs. He has a headache.", {"headache"}, {"chest pain"}),
        # a question names what is asked; its answer says what is there
        ("[doctor] Any chest pain or fever?\n[patient] No chest pain.", set(), {"fever"}),
        ("[doctor] Any cough?\n[patient] Yes, a dry cough.", {"cough"}, set()),
        # a finding beside an instruction, or a noun "return", is still the patient's
        ("She has a fever; call if it worsens.", {"fever"}, set()),
        ("Return of fever after 3 days.", {"fever"}, set()),
    ],
)
def test_questions_and_advice_claim_nothing(text: str, present: set[str], absent: set[str]) -> None:
    case = read_case(text)
    assert present <= set(case.present)
    assert not absent & (set(case.present) | set(case.denied))


def test_a_case_opening_with_a_bare_verb_is_no_advice() -> None:
    # the tagger reads "Present" as an imperative; with no condition it is the history
    case = read_case("Present with a 2-month history of hand pain and numbness.")
    assert {"numbness"} <= set(case.present)
