"""A test's result read as the polarity of what was tested: "negative" denies and
"positive" or "present" affirms what they are said of, before or after it, as a
modifier or a predicate ("positive Murphy sign", "Lachman is negative", "Phalen test
positive", "she is HIV negative", "the strep test came back positive"), by the parse and
by the fact reader. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.verify import verify
from evident.verify._polarity_views import _runs, _wordlike

from .conftest import assert_polarity, claims_of_sentence, make_draft, verdict


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Lachman is negative.", {("lachman", True)}),
        ("Phalen test negative.", {("test", True)}),
        ("Negative Murphy sign.", {("murphy", True)}),
        ("The tinel sign is negative.", {("tinel", True)}),
        ("She is HIV negative.", {("hiv", True)}),
        ("Hepatitis C antibody was negative.", {("antibody", True)}),
        ("Positive for fever.", {("fever", False)}),
        ("Positive Murphy sign.", {("murphy", False)}),
        ("Murphy sign positive.", {("murphy", False)}),
        ("Lachman test positive.", {("test", False)}),
        ("Edema is present.", {("swell", False)}),  # "edema" is written as its finding
        ("Pulses are absent.", {("puls", True)}),
        # a result word as the complement of another verb than "be"
        ("The strep test came back positive.", {("test", False)}),
        ("The flu swab came back negative.", {("swab", True)}),
        ("His strep test came out positive.", {("test", False)}),
        ("The strep test returned negative.", {("test", True)}),
        # "present" is no result when it is no adjective: the case is what is presented
        ("He will present the case.", {("cas", False)}),
    ],
)
def test_results_are_the_polarity_of_what_was_tested(sentence: str, expected: set) -> None:
    got = {(c.head, c.negated) for c in claims_of_sentence(sentence)}
    assert expected <= got, got
    assert not {(h, not n) for h, n in expected} & got, got


EXAM = (
    "[doctor] okay let me push on the knee a little bit and your mcmurray test is"
    " negative just checking for a tear\n"
    "[patient] okay\n"
    "[doctor] and the drawer sign is positive on the left\n"
    "[patient] alright\n"
    "[doctor] your spurling test is negative and the phalen test is positive\n"
    "[patient] okay\n"
    "[doctor] your lachman test is negative and there is no joint line tenderness\n"
    "[patient] okay\n"
)


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        ("Positive McMurray test.", "conflict"),
        ("Positive Lachman test.", "conflict"),  # "Positive" tagged as a proper noun
        ("McMurray test: positive.", "conflict"),
        ("Negative drawer sign on the left.", "conflict"),
        ("Spurling test positive.", "conflict"),
        ("Phalen test is negative.", "conflict"),
        # said the way the source says it
        ("McMurray test negative.", "not conflict"),
        ("Drawer sign positive on the left.", "not conflict"),
        ("Negative Spurling test, positive Phalen test.", "not conflict"),
    ],
)
def test_a_flipped_result_is_a_conflict(statement: str, outcome: str) -> None:
    source = load_source(EXAM, kind="transcript", name="exam.txt")
    assert_polarity(source, statement, outcome)


DICTATION = (
    "[doctor] alright so you are clearly having some pain when you climb stairs and i am"
    " just going to move your leg around a little bit here okay so lachman and mcmurray"
    " tests are all negative on both sides so that is reassuring and your reflexes at the"
    " knee and the ankle are symmetric today\n"
    "[patient] okay\n"
)


@pytest.mark.parametrize(
    ("statement", "outcome"),
    [
        # a long run of dictation: the result is cut out with the subject said before it
        ("Lachman and McMurray tests are negative bilaterally.", "agree"),
        ("Negative McMurray test.", "agree"),
        ("Positive McMurray test.", "conflict"),
        ("Positive Lachman test.", "conflict"),  # "Positive" tagged as a proper noun
    ],
)
def test_a_result_in_dictation_is_read_with_its_subject(statement: str, outcome: str) -> None:
    source = load_source(DICTATION, kind="transcript", name="dictation.txt")
    assert_polarity(source, statement, outcome)


@pytest.mark.parametrize(
    ("run", "expected"),
    [
        (
            "okay so lachman and mcmurray tests are all negative on both sides so that is it",
            "lachman and mcmurray tests are all negative",
        ),
        (
            "and it looks like your drawer sign is negative and i do not feel fluid",
            "your drawer sign is negative",
        ),
    ],
)
def test_the_subject_of_a_result_opens_its_run(run: str, expected: str) -> None:
    words = run.split() + ["filler"] * 40  # long enough to be cut into denials
    assert any(r.startswith(expected) for r in _runs(" ".join(words)))


DONE = (
    "[doctor] i reviewed all your systems and everything looks fine\n"
    "[patient] good\n"
    "[doctor] we did a pregnancy test today and it came back negative\n"
    "[patient] okay\n"
)


@pytest.mark.parametrize(
    "statement",
    [
        # a negative result says what the review or the test found, not that it was not
        # done: no conflict with the source's doing it
        "Review of systems is otherwise negative.",
        "Review of systems negative.",
        "Pregnancy test negative.",
    ],
)
def test_a_negative_result_does_not_deny_the_test(statement: str) -> None:
    source = load_source(DONE, kind="transcript", name="done.txt")
    assert_polarity(source, statement, "not conflict")


SIGNS = (
    "[doctor] let me press on your belly here\n"
    "[patient] okay\n"
    "[doctor] there is no murphy sign and your abdomen is soft\n"
    "[patient] good\n"
)
LAB = "[doctor] your urine pregnancy test is negative\n[patient] okay good\n"


@pytest.mark.parametrize(
    ("text", "statement", "outcome"),
    [
        # a light noun ("sign") that a negation reaches is read as what it names, as a
        # result word reads it: "no murphy sign" is of Murphy, as "positive Murphy sign" is
        (SIGNS, "Positive Murphy sign.", "conflict"),
        (SIGNS, "Murphy sign is positive.", "conflict"),
        (SIGNS, "Negative Murphy sign.", "agree"),
        (SIGNS, "Abdomen is soft.", None),
        # a result word's "amod" slot is the noun it modifies, not an adjective under it:
        # in a parse that hangs "Urine" on "negative" the result is not said of the urine
        (LAB, "Urine pregnancy test negative.", "agree"),
        (LAB, "Urine pregnancy test positive.", "conflict"),
    ],
)
def test_a_result_is_read_as_of_what_it_names(
    text: str, statement: str, outcome: str | None
) -> None:
    source = load_source(text, kind="transcript", name="exam.txt")
    assert_polarity(source, statement, outcome)


RESULT_CAME_BACK = (
    "[doctor] and the strep test came back positive so we will treat it\n[patient] okay\n"
)
XRAY = "[doctor] your chest x-ray came back negative\n[patient] okay good\n"


@pytest.mark.parametrize(
    ("text", "statement", "outcome"),
    [
        # "came back positive" says the result of the test, as "was positive" does
        (RESULT_CAME_BACK, "Strep test negative.", "conflict"),
        (RESULT_CAME_BACK, "Negative strep test.", "conflict"),
        (RESULT_CAME_BACK, "Strep test positive.", "not conflict"),
        # a hyphenated word is a content word like any other ("x-ray", "follow-up")
        (XRAY, "Negative chest x-ray.", "agree"),
        (XRAY, "Chest x-ray was negative.", "agree"),
        (XRAY, "Positive chest x-ray.", "conflict"),
    ],
)
def test_a_result_said_another_way(text: str, statement: str, outcome: str) -> None:
    source = load_source(text, kind="transcript", name="lab.txt")
    assert_polarity(source, statement, outcome)


TESTS_DONE = (
    "[doctor] we did a urine pregnancy test and it is negative\n"
    "[patient] okay good\n"
    "[doctor] and your covid test came back positive so you will need to isolate\n"
    "[patient] alright\n"
)
SWABS = (
    "[doctor] we checked your covid and flu swabs today and both came back negative\n"
    "[patient] good\n"
)


@pytest.mark.parametrize(
    ("text", "statement", "label"),
    [
        # a result after what it is said of ("X test negative."), read the way the source
        # says it by the fact reader as well as by the parse
        (TESTS_DONE, "Pregnancy test negative.", "supported"),
        (TESTS_DONE, "Urine pregnancy test negative.", "supported"),
        (TESTS_DONE, "Pregnancy test positive.", "contradicted"),
        (TESTS_DONE, "COVID test negative.", "contradicted"),
        (TESTS_DONE, "COVID test positive.", "supported"),
        # a result said with another verb than "be"
        (SWABS, "COVID and flu negative.", "supported"),
        (SWABS, "Negative flu swab.", "supported"),
        (SWABS, "Flu positive.", "contradicted"),
        (SWABS, "Positive COVID swab.", "contradicted"),
    ],
)
def test_a_test_result_in_a_note(text: str, statement: str, label: str) -> None:
    got, reason = verdict(text, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("word", "content"),
    [
        ("x-ray", True),
        ("covid-19", True),
        ("follow-up", True),
        ("ankle", True),
        ("-", False),
        ("--", False),
        ("-ish", False),
        ("20", False),
        ("120/80", False),
        ("3-4", False),
    ],
)
def test_what_counts_as_a_word(word: str, content: bool) -> None:
    assert _wordlike(word) is content


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("McMurray's test: positive.", "contradicted"),
        ("McMurray\u2019s test: positive.", "contradicted"),  # a typographic apostrophe
        ("McMurray\u2019s test: negative.", "supported"),
    ],
)
def test_a_typographic_apostrophe_is_read_as_plain(statement: str, label: str) -> None:
    source = load_source(
        EXAM.replace("mcmurray test", "mcmurray's test"), kind="transcript", name="e.txt"
    )
    v = verify(make_draft(statement), [source]).verdicts[0]
    assert v.label == label, (v.decided_by, v.reason)


SWABS = (
    "[doctor] and the covid swab , covid was not detected .\n"
    "[doctor] your hepatitis c antibody is non-reactive .\n"
    "[doctor] the chest x-ray was negative .\n"
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # "not detected", "non-reactive": results read as "negative" is
        ("COVID-19 positive.", "contradicted"),
        ("She has COVID-19.", "contradicted"),  # a name with a number is a word
        ("COVID negative.", "supported"),
        ("Hepatitis C positive.", "contradicted"),
        ("Hepatitis C negative.", "supported"),
        ("Positive chest x-ray.", "contradicted"),
    ],
)
def test_results_said_other_ways(statement: str, label: str) -> None:
    source = load_source(SWABS, kind="transcript", name="s.txt")
    v = verify(make_draft(statement), [source]).verdicts[0]
    assert v.label == label, (v.decided_by, v.reason)
