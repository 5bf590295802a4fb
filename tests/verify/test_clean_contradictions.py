"""Mechanisms that keep correct statements from being marked ``contradicted``: what a
negation holds (a conjunct with its own tense or its own negation, "X or not", an
adjective "negative" before a noun), a denial under a circumstance, and a pseudo-negation
of ConText ("not limited to"). Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.nlp import load_english
from evident.verify._polarity_read import read_claims
from evident.verify.facts import analyze, elsewhere
from evident.verify.options import VerifyOptions

from .conftest import make_draft, make_transcript, verdict, verify


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # "negative" before a noun denies it, each item of a list once
        ("Negative cough, negative wheezing.", {("cough", True), ("wheezing", True)}),
        ("He had a negative strep swab.", {("swab", True)}),
        # a conjunct with its own tense is outside the first verb's negation...
        ("The spells do not come at night and are short.", {("spell", True), ("short", False)}),
        ("She denies alcohol and smokes a pack a day.", {("alcohol", True), ("smoke", False)}),
        ("The spells did not wake her and were brief.", {("brief", False)}),
        # "do" and the modals take no participle: a past form after them has its own tense
        ("He did not smoke and drank a lot.", {("smoke", True), ("drink", False)}),
        ("He would not eat and slept all day.", {("eat", True), ("sleep", False)}),
        # ...a bare verb or a participle under the same auxiliary is not
        ("He does not swim or run.", {("swim", True), ("run", True)}),
        ("He has not been sick or had any fevers.", {("sick", True), ("fever", True)}),
        # a conjunct with its own negation is decided by it alone (not negated twice)
        ("No rash and no trouble sleeping.", {("rash", True)}),
        ("No cough or wheezing.", {("cough", True), ("wheezing", True)}),
        # an alternative negates nothing
        ("Believe it or not, I ran two miles.", {("run", False)}),
        ("Take the tablet with or without food.", {("food", False)}),
    ],
)
def test_what_a_negation_holds(sentence: str, expected: set[tuple[str, bool]]) -> None:
    nlp = load_english(("parser", "lemmatizer"))
    got = {(c.lemma, c.negated) for c in read_claims(nlp(sentence))}
    assert expected <= got, got


@pytest.mark.parametrize(
    ("text", "key", "polarity"),
    [
        ("Risks include but are not limited to bleeding and infection.", "infection", "affirmed"),
        ("Risks are bleeding and infection.", "infection", "affirmed"),
        # a conjunct with its own auxiliary is outside the negation before it
        ("She has no fever and has had a cough.", "cough", "affirmed"),
        ("He denies chest pain but is having nausea.", "nausea", "affirmed"),
        ("She has no fever and no cough.", "cough", "negated"),
        ("She has not had any infection.", "infection", "negated"),
        # a concession ends a negation's scope
        ("She did not call the office despite her fever.", "fever", "affirmed"),
        ("She did not call the office about her fever.", "fever", "negated"),
        # a counterfactual or a failing memory asserts nothing either way
        ("I would have called you about any vomiting.", "vomiting", "uncertain"),
        ("I don't remember any wheezing back then.", "wheezing", "uncertain"),
    ],
)
def test_context_cues(text: str, key: str, polarity: str) -> None:
    facts = {f.key: f.polarity for f in analyze(text).facts}
    assert facts[key] == polarity


VISIT = make_transcript(
    """\
[doctor] what brings you in ?
[patient] my left ankle hurts on the outside since i twisted it on saturday .
[doctor] any fever ?
[patient] no fever at all .
[doctor] okay let me move it around . does this hurt ?
[patient] not really .
[doctor] do you smoke ?
[patient] no , never .
[doctor] and alcohol ?
[patient] i have a glass of wine most evenings .
"""
)


def _verdict(statement: str) -> tuple[str, str]:
    report = verify(make_draft(statement), [VISIT], options=VerifyOptions(omissions=False))
    v = report.verdicts[0]
    return v.label, v.decided_by


@pytest.mark.parametrize(
    ("statement", "contradicted"),
    [
        # a denial under a circumstance is not contradicted by the finding told of at all
        ("No pain with range of motion of the left ankle.", False),
        ("No left ankle pain on eversion.", False),
        # a plain denial of what the patient affirmed still is
        ("Denies left ankle pain.", True),
        # an affirmation of what the patient denied still is
        ("She reports a fever.", True),
        # a list of denials with its own finite verb after it
        ("She denies tobacco use and drinks wine most evenings.", False),
    ],
)
def test_clean_statements_and_conflicts(statement: str, contradicted: bool) -> None:
    label, decided_by = _verdict(statement)
    assert (label == "contradicted") is contradicted, (label, decided_by)


WEIGHT = make_transcript(
    """\
[doctor] how has your weight been ?
[patient] i lost about three and a half pounds since the last visit .
[doctor] the swelling should go down over the next six days .
"""
)


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # a range one of whose ends the source says is borne out
        ("She has lost approximately 3 to 3.5 pounds since her last visit.", "supported"),
        ("The swelling should improve over the next 4 to 6 days.", "supported"),
        # a range whose ends the source says neither of is still contradicted
        ("The swelling should improve over the next 4 to 12 days.", "contradicted"),
        ("She has lost 2 to 3 pounds since her last visit.", "contradicted"),
        # and so is a lone number
        ("She has lost 5 pounds since her last visit.", "contradicted"),
    ],
)
def test_a_range_is_borne_out_by_either_end(statement: str, label: str) -> None:
    report = verify(make_draft(statement), [WEIGHT], options=VerifyOptions(omissions=False))
    assert report.verdicts[0].label == label


SHOULDER = make_transcript(
    """\
[doctor] what brings you in ?
[patient] my right shoulder is hurting me a lot when i sleep .
[doctor] okay .
"""
)


@pytest.mark.parametrize(
    ("statement", "contradicted"),
    [
        # the parse's circumstance ("to palpation", "with reaching") the source never names
        ("No pain to palpation over the front of the shoulder.", False),
        ("No pain with overhead reaching.", False),
        # a plain denial, or one under the circumstance the source names, still conflicts
        ("No shoulder pain.", True),
        ("No pain when sleeping on the shoulder.", True),
    ],
)
def test_a_denial_under_a_circumstance(statement: str, contradicted: bool) -> None:
    report = verify(make_draft(statement), [SHOULDER], options=VerifyOptions(omissions=False))
    assert (report.verdicts[0].label == "contradicted") is contradicted


@pytest.mark.parametrize(
    ("sentence", "circumstance"),
    [
        ("No pain with overhead reaching.", {"overhead", "reach"}),
        ("No tenderness on palpation of the knee.", {"palp"}),
        ("No pain in the knee.", set()),
    ],
)
def test_circumstance_is_read(sentence: str, circumstance: set[str]) -> None:
    nlp = load_english(("parser", "lemmatizer"))
    claims = [c for c in read_claims(nlp(sentence)) if c.negated]
    assert set(claims[0].circumstance) == circumstance


ELBOW = """\
[doctor] let me press here on your elbow . does that hurt ?
[patient] yes , that hurts .
[doctor] okay , there is swelling and tenderness over the olecranon bursa on the right .
[doctor] your belly is soft and there's no leg swelling .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # a denial at one site is no denial of the finding told at another
        ("Abdomen: soft, nontender.", "unsupported"),
        ("The abdomen is nontender.", "unsupported"),
        ("Abdominal: soft, non-tender, non-distended.", "unsupported"),
        # the same site, or a denial that names none, still conflicts
        ("Elbow: nontender.", "contradicted"),
        ("There is no tenderness of the elbow.", "contradicted"),
        # a region the site lies in is the same site for a denial
        ("No tenderness of the right arm.", "contradicted"),
        ("No tenderness.", "contradicted"),
        # "no other": every item of the list it opens speaks of more, not of the finding
        ("No other joint deformities, swelling, or tenderness.", "unsupported"),
        ("No joint deformities, swelling, or tenderness.", "contradicted"),
    ],
)
def test_a_denial_of_another_site_or_of_more(statement: str, label: str) -> None:
    got, reason = verdict(ELBOW, statement)
    assert got == label, reason


@pytest.mark.parametrize(
    ("text", "word", "other"),
    [
        ("no other joint deformities , swelling , or tenderness .", "tenderness", True),
        ("no other joint deformities , swelling , or tenderness .", "swelling", True),
        ("no joint deformities , swelling , or tenderness .", "tenderness", False),
        ("no other known drug or environmental allergies .", "allergies", True),
        ("no known drug or environmental allergies .", "allergies", False),
        ("denies fever , chills , or other symptoms .", "chills", False),
        ("any other joint pain ?", "joint", True),
        ("alcohol or any other drug use ?", "drug", False),
        ("any other conditions , like heart disease or diabetes ?", "heart", False),
        ("any other conditions , like heart disease or diabetes ?", "diabetes", False),
    ],
)
def test_other_opens_a_list(text: str, word: str, other: bool) -> None:
    tokens = text.split()
    assert elsewhere(tokens, tokens.index(word)) is other


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("Abdomen: soft, nontender.", "abdomen"),
        ("Neck: no lymphadenopathy, no tenderness.", "neck"),
        ("Cardiovascular: no tenderness.", ""),  # a body system, no site
        ("Plan: no tenderness.", ""),
    ],
)
def test_a_label_names_the_site(text: str, site: str) -> None:
    tender = [f for f in analyze(text).facts if f.key == "tenderness"]
    assert [f.site for f in tender] == [site]


UNSURE = make_transcript(
    """\
[doctor] do you know what kind of inhaler it was ?
[patient] no , i don't know the kind .
[doctor] and are you sure the rash started after the new soap ?
[patient] i am not sure about that .
[doctor] do you remember if you had a fever with it ?
[patient] no .
[doctor] do you know of anyone in the family with eczema ?
[patient] no .
[doctor] what pills do you take ?
[patient] two , but i do not remember their names .
"""
)


@pytest.mark.parametrize(
    ("statement", "contradicted"),
    [
        # not knowing ("know", "sure": their negation denies nothing else) agrees with
        # the question answered no
        ("He does not know the kind of inhaler.", False),
        ("She is not sure the rash started after the new soap.", False),
        # affirming it still conflicts with the answer
        ("He knows the kind of inhaler.", True),
        # a no to a question on what one knows or remembers denies nothing it asks of
        ("He had a fever with the rash.", False),
        # ... but "do you know of anyone with X?" asks whether there is one
        ("There is a family history of eczema.", True),
        # "neither" negates the knowing word it comes with
        ("He takes two pills, neither of which he can remember the name of.", False),
        ("He remembers the names of his pills.", True),
    ],
)
def test_what_one_knows_or_remembers(statement: str, contradicted: bool) -> None:
    report = verify(make_draft(statement), [UNSURE], options=VerifyOptions(omissions=False))
    v = report.verdicts[0]
    assert (v.label == "contradicted") is contradicted, (v.label, v.decided_by, v.reason)


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the negation of a word that denies nothing else denies the knowing alone
        ("He does not know the type.", {("know", True)}),
        ("She is not sure of the dose.", {("sure", True)}),
        ("He knows the type.", {("know", False)}),
        # a noun of that class keeps its reading: "no problems with X" denies them
        ("She has had no problems with methotrexate.", {("problem", True)}),
    ],
)
def test_negated_pseudo_heads_deny_themselves(
    sentence: str, expected: set[tuple[str, bool]]
) -> None:
    nlp = load_english(("parser", "lemmatizer"))
    got = {(c.lemma, c.negated) for c in read_claims(nlp(sentence))}
    assert expected <= got, got
