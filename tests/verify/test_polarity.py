"""The structural polarity checker: negation, its scope and target read from the parse,
answers in dialogue, and conflicts in both directions. Every sentence here is written
for these tests."""

from __future__ import annotations

import json
import random
from importlib import resources

import pytest

from evident.errors import ConfigError
from evident.nlp import load_english
from evident.sources import load_source
from evident.types import Source
from evident.verify import _polarity_cues
from evident.verify._polarity_cues import PolarityCues, canonical, norm
from evident.verify._polarity_read import read_claims
from evident.verify.check import verify
from evident.verify.options import VerifyOptions
from evident.verify.polarity import answer_polarity, check_polarity
from evident.verify.polarity_dev import flip_negation

from .conftest import make_draft

VISIT = """\
[doctor] good morning , what brings you in today ?
[patient] my left wrist has been aching since i fell off my bike last weekend .
[doctor] any numbness or tingling in your hand ?
[patient] no , not that i know of .
[doctor] were you admitted to the hospital after the fall ?
[patient] nope , they sent me home from urgent care .
[doctor] any fever or chills since then ?
[patient] no fever , but i have had some chills at night .
[doctor] does your mother have osteoporosis ?
[patient] yes , she does .
[patient] i have been having headaches every morning too .
[doctor] any neck pain ?
[patient] [shakes head]
[doctor] okay . i do n't hear any extra heart sounds and your lungs are clear .
[doctor] the wrist is not swollen , but it is tender over the radial side .
[doctor] have you noticed any bruising ?
[patient] yeah , a little on the back of the hand .
[doctor] you walk without difficulty , i see .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


def _check(statement: str, source: Source) -> tuple[str | None, str]:
    result = check_polarity(statement, list(source.segments), source)
    return (result.outcome, result.reason) if result else (None, "")


@pytest.mark.parametrize(
    ("statement", "outcome", "said"),
    [
        # negation removed in the note: the source denies what the note affirms
        ("She reports numbness or tingling in her hand.", "conflict", "denies numbness"),
        ("He was admitted to the hospital.", "conflict", "denies admitted"),
        ("Extra heart sounds.", "conflict", "denies extra heart sounds"),
        ("Reports fever since the fall.", "conflict", "denies fever"),
        ("Neck pain.", "conflict", "denies neck pain"),
        ("The wrist is swollen.", "conflict", "denies swelling"),
        # negation added in the note: the source affirms what the note denies
        ("Denies chills.", "conflict", "affirms chills"),
        ("She denies headaches.", "conflict", "affirms headache"),
        ("No bruising.", "conflict", "affirms bruising"),
        # the same polarity on both sides
        ("Denies numbness or tingling.", "agree", "also denies numbness"),
        ("He was not admitted to the hospital.", "agree", "also denies admitted"),
        ("No extra heart sounds.", "agree", "also denies extra heart sounds"),
        ("Reports chills at night.", None, ""),
        # a different content is no conflict ("normal" is not "extra")
        ("Normal heart sounds.", None, ""),
        # coordination under one negation: "no fever, but ... chills" denies only fever
        ("Denies fever.", "agree", "also denies fever"),
        # a relative's condition is not the patient's
        ("Her mother has osteoporosis.", None, ""),
        ("The patient has osteoporosis.", None, ""),
        # double negation: "not without difficulty" affirms what "without" denies
        ("She walks not without difficulty.", "conflict", "denies difficulty"),
        # advice and conditions claim nothing
        ("Return to the clinic if fever develops.", None, ""),
        ("She may have numbness in her hand.", None, ""),
    ],
)
def test_check_polarity(visit: Source, statement: str, outcome: str | None, said: str) -> None:
    got, reason = _check(statement, visit)
    assert got == outcome
    assert said in reason
    if outcome == "conflict":
        assert "note" in reason and reason.startswith("transcript")


def test_reason_names_both_sides_and_the_segments(visit: Source) -> None:
    result = check_polarity("He was admitted to the hospital.", list(visit.segments), visit)
    assert result is not None
    assert result.checker == "polarity"
    assert result.segments == ("u5", "u6")
    assert "(u5-u6:" in result.reason and result.reason.endswith("note affirms it")


def test_only_candidates_and_their_neighbours_count(visit: Source) -> None:
    far = [s for s in visit.segments if s.id in {"u1", "u2"}]
    assert check_polarity("Extra heart sounds.", far, visit) is None


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ("no .", "no"),
        ("nope , they sent me home .", "no"),
        ("nah", "no"),
        ("no , not that i know of .", "no"),
        ("not that i know of .", "no"),
        ("[no]", "no"),
        ("[shakes head]", "no"),
        ("uh , no i have n't .", "no"),
        ("i have not , it just feels warm .", "no"),
        ("yes , she does .", "yes"),
        ("yeah .", "yes"),
        ("mm-hmm .", "yes"),
        ("um , yeah , a little .", "yes"),
        ("no fever , but chills .", None),  # a denial of its own, not an answer
        ("nothing else .", None),
        ("november was the last time .", None),
        ("yesterday , i think .", None),
    ],
)
def test_answer_polarity(reply: str, expected: str | None) -> None:
    assert answer_polarity(reply) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Denies fever or chills.", {("fever", True), ("chill", True)}),
        ("No fever but has chills.", {("chill", False)}),
        (
            "i do n't have any fever but i do get headaches .",
            {("fever", True), ("headache", False)},
        ),
        ("No murmurs, rubs, or gallops.", {("murmur", True), ("rub", True), ("gallop", True)}),
        ("Lungs negative for wheezes.", {("wheeze", True)}),
        ("Extremities free of rashes.", {("rash", True)}),
        ("He does not smoke or drink.", {("smoke", True), ("drink", True)}),
        ("I don't think I have a fever.", {("fever", True)}),
        ("i do n't have no allergies .", {("allergy", True)}),  # negative concord
        ("She walks not without difficulty.", {("difficulty", False)}),
        # a denied change: the change is denied, not what changed
        ("No change in her symptoms.", {("change", True)}),
        ("Not only the knee but the hip hurts.", set()),
        ("My mother does not have asthma.", {("asthma", True)}),
        # a noun the parse hangs on a discourse word ("alright" as the root) stands alone
        ("okay alright any loss in sensation", {("loss", False)}),
        ("alright any chest pain", {("pain", False)}),
    ],
)
def test_read_claims(sentence: str, expected: set[tuple[str, bool]]) -> None:
    nlp = load_english(("parser", "lemmatizer"))
    got = {(c.lemma, c.negated) for c in read_claims(nlp(sentence))}
    assert expected <= got
    if not expected:
        assert not any(negated for _, negated in got)


def test_family_is_read() -> None:
    nlp = load_english(("parser", "lemmatizer"))
    (claim,) = [c for c in read_claims(nlp("My mother does not have asthma.")) if c.negated]
    assert claim.family == frozenset({"mother"})


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("tingling", "tingle", True),
        ("admitted", "admit", True),
        ("headaches", "headache", True),
        ("head", "headache", False),
        ("numbness", "numb", True),
        ("chill", "children", False),
        # a suffix off with its stem's ending
        ("allergies", "allergy", True),
        ("denied", "deny", True),
        ("married", "marry", True),
        ("carried", "car", False),
    ],
)
def test_norm(a: str, b: str, same: bool) -> None:
    assert (norm(a) == norm(b)) is same


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("any belly pain ?", "any abdominal pain ?"),
        ("no shortness of breath today", "no dyspnea today"),
        ("Non-smoker.", "Non-smoker."),  # a negated alias keeps its negation
        ("no stomach, pain", "no stomach, pain"),  # punctuation splits a phrase
    ],
)
def test_canonical_uses_the_findings_synonyms(text: str, expected: str) -> None:
    assert canonical(text) == expected


def test_cue_file_is_validated() -> None:
    path = resources.files("evident.verify") / "resources" / "polarity.json"
    good = json.loads(path.read_text(encoding="utf-8"))
    PolarityCues.model_validate(good)
    with pytest.raises(ValueError):
        PolarityCues.model_validate({**good, "surprise": []})
    with pytest.raises(ValueError):
        PolarityCues.model_validate({**good, "negators": []})
    # the effect classes are a closed set: a misspelt class is refused, not ignored
    with pytest.raises(ValueError):
        PolarityCues.model_validate({**good, "effects": {**good["effects"], "upward": ["x"]}})


def test_bad_cue_file_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    _polarity_cues.cues.cache_clear()

    class _Broken:
        def __truediv__(self, other: str) -> _Broken:
            return self

        def read_text(self, encoding: str) -> str:
            return '{"version": 1}'

    monkeypatch.setattr(_polarity_cues.resources, "files", lambda _: _Broken())
    try:
        with pytest.raises(ConfigError, match=r"polarity\.json"):
            _polarity_cues.cues()
    finally:
        monkeypatch.undo()
        _polarity_cues.cues.cache_clear()


@pytest.mark.parametrize(
    ("sentence", "direction", "expected"),
    [
        (
            "He was admitted to the hospital.",
            "added",
            {"He was not admitted to the hospital.", "He was denied the hospital."},
        ),
        ("Extra heart sounds.", "added", {"No extra heart sounds."}),
        (
            "She reports numbness.",
            "added",
            {"She denies numbness.", "She does not report numbness."},
        ),
        ("Denies chest pain.", "removed", {"Reports chest pain."}),
        ("No extra heart sounds.", "removed", {"Extra heart sounds.", "extra heart sounds."}),
        ("He did not have a fever.", "removed", {"He had a fever.", "He did have a fever."}),
        ("She walks without a cane.", "removed", {"She walks with a cane."}),
        ("He was not admitted.", "added", {None}),  # already negated
        ("Follow up in two weeks", "removed", {None}),
    ],
)
def test_dev_generator_flips(sentence: str, direction: str, expected: set[str | None]) -> None:
    for seed in range(4):
        got = flip_negation(sentence, direction, random.Random(seed))  # type: ignore[arg-type]
        assert got in expected


@pytest.mark.parametrize(
    ("polarity", "label", "decided_by"),
    [(True, "contradicted", "check:polarity"), (False, None, None)],
)
def test_verify_runs_it_unless_switched_off(
    visit: Source, polarity: bool, label: str | None, decided_by: str | None
) -> None:
    options = VerifyOptions(polarity=polarity, omissions=False)
    v = verify(make_draft("Extra heart sounds."), [visit], options=options)
    verdict = v.verdicts[0]
    if polarity:
        assert (verdict.label, verdict.decided_by) == (label, decided_by)
        assert "extra heart sounds" in verdict.reason
    else:
        assert verdict.decided_by != "check:polarity"


RUN = """\
[doctor] okay so looking at your neck i do n't appreciate any swelling no thyromegaly \
listening to your heart i do n't appreciate any murmur no rub no gallop your lungs are \
clear to auscultation bilaterally and your abdomen is soft with some tenderness on the \
right side and your legs look fine with good pulses in both feet today okay
"""


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        ("Heart: murmur.", "conflict"),  # a denial cut out of the long run
        ("A rub is heard.", "conflict"),
        ("Abdominal tenderness on the right side.", None),  # affirmed in the run
    ],
)
def test_denials_in_a_long_unpunctuated_run(statement: str, outcome: str | None) -> None:
    source = load_source(RUN, kind="transcript", name="exam.txt")
    result = check_polarity(statement, list(source.segments), source)
    assert (result.outcome if result else None) == outcome
