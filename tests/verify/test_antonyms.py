"""The antonym checker: a statement saying of a thing the WordNet antonym of what the
source says of it is contradicted. Sentences written for these tests."""

from __future__ import annotations

import pytest

from evident.types import Segment
from evident.verify import verify
from evident.verify.antonyms import check_antonym, lemmas, opposed, opposites
from evident.verify.options import VerifyOptions

from .conftest import make_draft, make_transcript


def _seg(text: str) -> Segment:
    return Segment(id="u1", text=text, start=0, end=len(text))


@pytest.mark.parametrize(
    ("word", "lemma", "opposite"),
    [
        ("increased", "increase", "decrease"),
        ("increased", "increased", "decreased"),
        ("decreasing", "decrease", "increase"),
        ("higher", "high", "low"),
        ("worse", "worse", "better"),
        ("irregular", "irregular", "regular"),
    ],
)
def test_word_forms_reach_their_wordnet_lemma(word: str, lemma: str, opposite: str) -> None:
    assert lemma in lemmas(word)
    assert opposite in opposites(word)


@pytest.mark.parametrize(
    "word",
    ["left", "right", "no", "than", "negative", "absent", "xyzzy"],
)
def test_words_other_checkers_read_have_no_opposite_here(word: str) -> None:
    assert not opposites(word)  # sides, negation cues, function words, unknown words


@pytest.mark.parametrize(
    ("statement", "source", "pair"),
    [
        (
            "Her blood pressure is increased.",
            "Your blood pressure has decreased a lot.",
            ("increased", "decreased"),
        ),
        ("The pain is worse.", "The pain is much better now.", ("worse", "better")),
        (
            "Her appetite is decreased.",
            "My appetite has increased lately.",
            ("decreased", "increased"),
        ),
        (
            "We will decrease the dose of metoprolol.",
            "I want to increase the dose of your metoprolol.",
            ("decrease", "increase"),
        ),
        (
            "White blood cell count is abnormal.",
            "Your white blood cell count was normal.",
            ("abnormal", "normal"),
        ),
        (
            "Edema of the higher extremities.",
            "There is some edema in the lower extremities.",
            ("higher", "lower"),
        ),
        (
            "He has increased swelling in the ankle.",
            "The swelling in my ankle has decreased.",
            ("increased", "decreased"),
        ),
        (
            "Irregular rate and rhythm.",
            "Your heart has a regular rate and rhythm.",
            ("Irregular", "regular"),
        ),
        ("We will stop the metoprolol.", "Let's start the metoprolol today.", ("stop", "start")),
        ("The rash on her hands is moist.", "The rash on my hands is very dry.", ("moist", "dry")),
        # a note's order, which the parser alone reads as a name or an adjective
        ("Discontinue Imitrex.", "Let's continue you on the Imitrex.", ("discontinue", "continue")),
        (
            "Discontinue aspirin 81 mg daily.",
            "I want to continue you on the aspirin for now.",
            ("discontinue", "continue"),
        ),
        # a line of findings keeps its own parse
        (
            "Weak pulses in the feet.",
            "The pulses in your feet are strong.",
            ("Weak", "strong"),
        ),
        # a statement closed by a tag is said, not asked
        (
            "We will discontinue the lisinopril.",
            "So we will continue the lisinopril, okay?",
            ("discontinue", "continue"),
        ),
        # a verb joined to another clause has its own object
        (
            "We will discontinue the aspirin.",
            "Let's order an echo and I will continue you on the aspirin.",
            ("discontinue", "continue"),
        ),
        # what a verb is said of includes the objects joined to its object
        (
            "We will discontinue the exercises and gabapentin.",
            "Please continue with the gabapentin.",
            ("discontinue", "continue"),
        ),
    ],
)
def test_opposites_of_the_same_thing_conflict(
    statement: str, source: str, pair: tuple[str, str]
) -> None:
    found = opposed(statement, [_seg(source)])
    assert [(o.word, o.opposite) for o in found] == [pair]
    result = check_antonym(statement, [_seg(source)], make_transcript(f"[patient] {source}\n"))
    assert result is not None and result.outcome == "conflict" and result.checker == "antonym"
    assert result.reason == f"transcript says {pair[1]} (u1), note says {pair[0]}"


@pytest.mark.parametrize(
    ("statement", "source"),
    [
        ("The pain is worse.", "The pain is not better."),  # a negated opposite
        ("The pain is not worse.", "The pain is better."),  # a negated statement word
        ("The cough is better.", "Call me if the cough gets worse."),  # a condition
        ("The cough is better.", "Is the cough better or worse?"),  # a question
        ("The pain is better.", "The pain was worse last week but is better now."),  # both ways
        ("The rash is better.", "My knee pain is worse."),  # another thing
        ("Her blood pressure is high.", "The sugar was low, and her blood pressure is high."),
        ("The pain is worse.", "The weather is better today."),  # nothing shared
        ("He presents with chest pain.", "The chest pain in the past was mild."),  # a verb, a noun
        ("Discontinue aspirin.", "Should we continue the aspirin?"),  # a question
        ("Discontinue aspirin.", "Let's continue the lisinopril, okay?"),
    ],
)
def test_no_conflict_without_the_same_content(statement: str, source: str) -> None:
    assert opposed(statement, [_seg(source)]) == []


def test_another_sentence_saying_the_word_of_the_same_thing_decides_nothing() -> None:
    segs = [
        _seg("The swelling increased at first."),
        Segment(id="u2", text="Now the swelling has decreased.", start=0, end=31),
    ]
    assert opposed("The swelling has increased.", segs) == []
    assert opposed("The swelling has increased.", segs[1:]) != []


@pytest.mark.parametrize(
    ("antonyms", "label", "decided_by"),
    [(True, "contradicted", "check:antonym"), (False, None, None)],
)
def test_verify_contradicts_by_default(
    antonyms: bool, label: str | None, decided_by: str | None
) -> None:
    src = make_transcript(
        "[doctor] how is the swelling in your ankle ?\n"
        "[patient] the swelling in my ankle has decreased a lot since last week .\n"
    )
    draft = make_draft("The swelling in her ankle has increased since last week.")
    report = verify(draft, [src], options=VerifyOptions(antonyms=antonyms, omissions=False))
    v = report.verdicts[0]
    if antonyms:
        assert (v.label, v.decided_by) == (label, decided_by)
        assert "transcript says decreased" in v.reason
    else:
        assert v.decided_by != "check:antonym"
        assert "+no-antonyms" in report.verifier


@pytest.mark.parametrize(
    ("source", "statement", "conflict"),
    [
        # WordNet's opposed senses: "improve" is "better", against "decline", "worsen"
        (
            "His memory has gotten worse since the summer.",
            "Memory improving since the summer.",
            True,
        ),
        ("His memory has improved.", "His memory has gotten worse.", True),
        ("His memory has gotten worse.", "His memory has improved.", True),
        # said the same way, or of another thing: nothing
        ("His memory has improved.", "Memory improving.", False),
        ("His knee has gotten worse.", "His memory has improved.", False),
        # the drug-action checker's words stay its own (read there with their time)
        ("I stopped the allopurinol a couple months ago.", "Continue allopurinol.", False),
    ],
)
def test_opposed_senses_and_comparatives_as_changes(
    source: str, statement: str, conflict: bool
) -> None:
    from evident.sources import load_source
    from evident.verify.antonyms import check_antonym

    src = load_source(f"[patient] {source}", kind="transcript", name="x")
    got = check_antonym(statement, list(src.segments), src)
    assert (got is not None and got.outcome == "conflict") == conflict, got
