"""A denial in the draft must be a denial in the source: the denial checker searches the
whole source for it (a question answered no, a denial in a long run of dictation, a
hedged or anaphoric denial) and reports a missing ``negation`` fact when there is none,
so "we will not order X" where the visit orders X is never ``supported``. Every sentence
here is written for these tests."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source
from evident.verify._borne_out import denials_borne_out
from evident.verify.check import verify
from evident.verify.decide import CheckResult, decide
from evident.verify.denials import check_denial
from evident.verify.entail import Entailment
from evident.verify.facts import analyze
from evident.verify.options import VerifyOptions

from .conftest import make_draft

VISIT = """\
[doctor] so what brings you in today ?
[patient] my right ankle has been swelling up for about two weeks .
[doctor] any shortness of breath ?
[patient] no , none at all .
[doctor] no burning when you pee ?
[patient] no .
[doctor] and you did n't fall ?
[patient] no .
[doctor] any pain when you pee ?
[patient] nope .
[doctor] and you never had surgery ?
[patient] correct , i never have .
[doctor] have you taken anything for it ?
[patient] i took some tylenol but it is not really helping .
[doctor] any other joint pain ?
[patient] no , just the ankle .
[doctor] i last saw you about a year ago , right ?
[patient] yeah , about a year .
[doctor] how is the swelling since you started walking again ?
[patient] it has not gotten worse since then .
[doctor] okay let me listen your heart sounds regular no murmurs or gallops and the lungs \
are clear with good air movement in all fields and the abdomen is soft and nontender
[doctor] i am going to order an ultrasound of the ankle and we will start a water pill .
"""


@pytest.fixture(scope="module")
def visit() -> Source:
    return load_source(VISIT, kind="transcript", name="visit.txt")


def _outcome(statement: str, source: Source) -> tuple[str | None, str | None]:
    result = check_denial(statement, list(source.segments[:2]), source)
    return (result.checker, result.outcome) if result else (None, None)


def test_a_long_dated_denial_is_read_without_its_parse(visit: Source) -> None:
    # over polarity's MAX_TOKENS: the parse is not kept, so the duration dates every
    # denial of the statement, as it did before clauses were read (no crash)
    long = (
        "She reports that her right ankle has been swelling for two weeks, that she "
        "has been walking on it at work every single day, that she has tried ice, rest, "
        "elevation and some tylenol at home, that the pain is worse at the end of the day "
        "and better in the morning, and that she has not had any fever at all."
    )
    assert len(long.split()) > 60
    assert _outcome(long, visit) == (None, None)


@pytest.mark.parametrize(
    ("statement", "checker", "outcome"),
    [
        # borne out anywhere in the source, not only among the candidates
        ("Denies shortness of breath.", "polarity", "agree"),
        # a negative question answered no denies what it asks
        ("She did not fall.", "polarity", "agree"),
        # a denial inside a long unpunctuated run of dictation
        ("No murmurs or gallops.", "polarity", "agree"),
        # "correct" to a negative question, with its own negation, agrees with the denial
        ("No prior surgery.", "polarity", "agree"),
        # an anaphoric denial ("it is not really helping") still denies
        ("The Tylenol is not helping.", "polarity", "agree"),
        # negation added where the source affirms, or never denies
        ("We will not order an ultrasound of the ankle.", "negation", "missing"),
        ("She has not taken Tylenol.", "negation", "missing"),
        ("Denies fever.", "negation", "missing"),
        # "any other joint pain?" - "no" denies more of it, not joint pain
        ("Denies joint pain.", "negation", "missing"),
        # ... while a denial of any of a thing denies the others too
        ("She has had no other shortness of breath.", "polarity", "agree"),
        ("Has not had any other falls.", "polarity", "agree"),
        # the finding names are the parse's synonyms: "pain when you pee" is dysuria
        ("No dysuria.", "polarity", "agree"),
        # every denial of the statement needs one ("not helping" is said, "not taken" is not)
        ("She has not taken Tylenol and it is not helping.", "negation", "missing"),
        # a plan's time is no duration of the past
        ("We will not start a water pill in two weeks.", "negation", "missing"),
        # a duration dates the last time: no denial to bear out
        ("She has not been seen for a year.", None, None),
        # ... only of the denial in its own clause
        (
            "She has not taken Tylenol, though the ankle has swollen for two weeks.",
            "negation",
            "missing",
        ),
        ("Her ankle has swollen for two weeks and she did not fall.", "polarity", "agree"),
        # a comparative is read as written ("worse", whose lemma is "bad")
        ("The swelling has not gotten worse.", "polarity", "agree"),
        ("The swelling has not gotten better.", "negation", "missing"),
        # affirmative statements are not asked for a denial
        ("Her right ankle is swollen.", None, None),
        # advice claims nothing
        ("Return if you do not improve.", None, None),
    ],
)
def test_a_denial_needs_a_denial(
    visit: Source, statement: str, checker: str | None, outcome: str | None
) -> None:
    assert _outcome(statement, visit) == (checker, outcome)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        ("We will not order an ultrasound of the ankle.", "unsupported"),
        ("We will order an ultrasound of the ankle.", "supported"),
        ("She denies shortness of breath.", "supported"),
        ("No dysuria.", "supported"),
        ("Denies fever.", "unsupported"),
    ],
)
def test_verdicts(visit: Source, statement: str, label: str) -> None:
    report = verify(make_draft(statement), [visit], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == label, report.verdicts[0].reason


def test_a_named_fact_explains_better_than_the_generic_reason() -> None:
    checks = [
        CheckResult("finding", "missing", "no source mentions fever"),
        CheckResult("negation", "missing", "transcript never denies fever"),
    ]
    d = decide(checks, Entailment("neutral", 0.9, ()), clinical=True, threshold=0.4)
    assert (d.label, d.decided_by, d.reason) == (
        "unsupported",
        "check:finding",
        "no source mentions fever",
    )
    only = decide(checks[1:], Entailment("neutral", 0.9, ()), clinical=True, threshold=0.4)
    assert (only.label, only.decided_by) == ("unsupported", "check:negation")


_MISSING = CheckResult(
    "negation", "missing", "transcript never denies fever", (), frozenset({"fever"})
)
_SLEEP = frozenset({"sleep"})


@pytest.mark.parametrize(
    ("statement", "others", "kept"),
    [
        # a fact checker found the denied finding denied: its synonyms bear the denial out
        ("She has no fever.", [CheckResult("finding", "agree", "found", ("u3",))], False),
        ("She has no fever.", [CheckResult("history", "agree", "found", ("u3",))], False),
        # a found drug or number says nothing of the denial
        ("She has no fever.", [CheckResult("drug", "agree", "found", ("u3",))], True),
        ("She has no fever.", [CheckResult("finding", "missing", "no fever found")], True),
        ("She has no fever.", [], True),
        # the fact found is affirmed: it bears out nothing denied
        (
            "She has a cough and she is not sleeping in her bed.",
            [CheckResult("finding", "agree", "found", ("u3",))],
            True,
        ),
        # the fact found is the one missing: borne out; another fact found: not
        (
            "She has no fever.",
            [CheckResult("finding", "agree", "found", ("u3",), frozenset({"fever"}))],
            False,
        ),
        # the denial found denied is of another thing than the one missing
        (
            "She has no fever and no cough.",
            [CheckResult("finding", "agree", "found", ("u3",))],
            False,  # fever is one of its denied facts
        ),
        # a polarity agreement on the same content bears it out (another source's
        # denial checker, or the structural checker); on another content it does not
        (
            "She has a cough and she is not sleeping in her bed.",
            [CheckResult("polarity", "agree", "found", ("u3",), frozenset({"fever"}))],
            False,
        ),
        (
            "She has a cough and she is not sleeping in her bed.",
            [CheckResult("polarity", "agree", "found", ("u3",), _SLEEP)],
            True,
        ),
        (
            "She has a cough and she is not sleeping in her bed.",
            [CheckResult("polarity", "agree", "found", ("u3",))],
            True,
        ),
    ],
)
def test_fact_checkers_bear_out_a_denial(
    statement: str, others: list[CheckResult], kept: bool
) -> None:
    out = denials_borne_out([*others, _MISSING], analyze(statement))
    assert (_MISSING in out) is kept
    assert all(o in out for o in others)


@pytest.mark.parametrize(
    ("found", "kept"),
    [
        # the pain found bears out no denial of the drug, though both are read denied
        (frozenset({"pain"}), True),
        (frozenset({"ibuprofen"}), False),
        (frozenset(), False),  # an agreement that names nothing: any denied fact
    ],
)
def test_a_fact_found_bears_out_only_its_own_denial(found: frozenset[str], kept: bool) -> None:
    missing = CheckResult("negation", "missing", "never denies", (), frozenset({"ibuprofen"}))
    agree = CheckResult("finding", "agree", "found", ("u3",), found)
    an = analyze("She will not take ibuprofen to reduce her pain.")
    assert (missing in denials_borne_out([agree, missing], an)) is kept


LAY_WORDS = """\
[doctor] any blood in what you cough up ?
[patient] no , no blood .
[doctor] any cough at night ?
[patient] yes , a little .
[doctor] any blood in your urine ?
[patient] no .
"""
COUGHED_BLOOD = "[patient] i coughed this morning and there was blood in it .\n"
YES_WORDS = "[doctor] any blood in what you cough up ?\n[patient] yes , a little .\n"
APART = (
    "[doctor] any cough at night ?\n[patient] no .\n"
    "[doctor] any blood in your urine ?\n[patient] no .\n"
)


@pytest.mark.parametrize(
    ("source", "statement", "outcome"),
    [
        # the question holds the words of an alias ("cough up blood") out of order
        (LAY_WORDS, "No hemoptysis.", "agree"),
        (LAY_WORDS, "Denies hematuria.", "agree"),  # "blood in urine", an alias
        # an affirmed account is no denial, whatever its words
        (COUGHED_BLOOD, "No hemoptysis.", "missing"),
        # the alias's words denied in two different questions are not its denial
        (APART, "No hemoptysis.", "missing"),
    ],
)
def test_a_denial_in_lay_words(source: str, statement: str, outcome: str) -> None:
    src = load_source(source, kind="transcript", name="visit.txt")
    result = check_denial(statement, [], src)
    assert result is not None and result.outcome == outcome, result


@pytest.mark.parametrize(
    ("source", "statement", "verdict"),
    [
        # no word is shared, so nothing is retrieved: the denial checker still reads the
        # whole source, and its finding of the denial bears out the finding the phrase
        # matcher could not find
        (LAY_WORDS, "No hemoptysis.", "supported"),
        (LAY_WORDS, "Denies hematuria.", "supported"),
        (COUGHED_BLOOD, "No hemoptysis.", "unsupported"),
        (APART, "No hemoptysis.", "unsupported"),
        # a finding the source never speaks of stays unsupported
        (LAY_WORDS, "No syncope.", "unsupported"),
        # affirmed where the question in an alias's words was answered no: a conflict
        (LAY_WORDS, "Hemoptysis.", "contradicted"),
        (LAY_WORDS, "She reports hematuria.", "contradicted"),
        # ... not where it was answered yes, said, split over two questions, or a
        # relative's
        (YES_WORDS, "Hemoptysis.", "unsupported"),
        (COUGHED_BLOOD, "Hemoptysis.", "unsupported"),
        (APART, "Hemoptysis.", "unsupported"),
        (LAY_WORDS, "Her father had hemoptysis.", "unsupported"),
    ],
)
def test_a_denial_in_lay_words_through_verify(source: str, statement: str, verdict: str) -> None:
    src = load_source(source, kind="transcript", name="visit.txt")
    report = verify(make_draft(statement), [src], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == verdict, report.verdicts[0]


ASKED_NARROWER = """\
[doctor] any fever ?
[patient] no .
[doctor] any other symptoms ?
[patient] no , nothing .
[doctor] anything else going on with the knee ?
[patient] nope .
"""
ASKED_MORE = ASKED_NARROWER + "[doctor] anything else ?\n[patient] no , that is all .\n"


@pytest.mark.parametrize(
    ("source", "statement", "checker", "outcome"),
    [
        # "any other joint pain?" - "no" asks about less than all complaints
        (VISIT, "No other complaints.", "negation", "missing"),
        (VISIT, "She has no other associated symptoms.", "negation", "missing"),
        # a question for anything more, answered no, bears out a denial of anything more
        (ASKED_MORE, "No other complaints.", "polarity", "agree"),  # "anything else?"
        (ASKED_NARROWER, "No other complaints.", "negation", "missing"),
        (ASKED_MORE, "She has no other associated symptoms.", "polarity", "agree"),
        (ASKED_MORE, "There were no further symptoms.", "polarity", "agree"),
        # ... and nothing that is named: the named denial needs its own
        (ASKED_MORE, "No cough and no other complaints.", "negation", "missing"),
        (ASKED_MORE, "No chills.", "negation", "missing"),
    ],
)
def test_a_denial_of_anything_more(source: str, statement: str, checker: str, outcome: str) -> None:
    src = load_source(source, kind="transcript", name="visit.txt")
    assert _outcome(statement, src) == (checker, outcome)
