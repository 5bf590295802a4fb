"""A denial read with what it bears on: a degree, a frequency or a circumstance.

- "I'm not sleeping well", "I can't walk very well", "not every time", "not much": the
  denial is of how well, how often or how much, not of sleeping, walking or the pain; a
  statement that says the same degree ("sleeps well") is still contradicted.
- "Do you get short of breath when you lie flat?" - "No, only when I walk up hills": the
  no denies the breathlessness lying flat, not breathlessness; a statement naming the
  circumstance ("short of breath when lying down") is still contradicted.
- "I can't exercise without a lot of pain": exercising comes with pain; it is not denied.
- "After six months of taking papaverine, she no longer had headaches": a phrase of time
  ("after", "since", "until") is when, neither asserted nor denied.
- "He has pain when he eats" is not denied by "no chest pain" in the finding reader: a
  site's denial is no denial of a pain of no site, unless the statement names the site.

Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from evident.verify._extract_cues import partial_denial
from evident.verify._polarity_degree import degree_answer, degree_of
from evident.verify.normalize import tokenize

from .conftest import dialogue, verdict

SLEEP = dialogue(
    "How are you sleeping?",
    "I'm not sleeping well at all, I wake up every hour.",
    "And can you get around?",
    "I can't walk very well, I need a cane.",
)
EATING = dialogue(
    "Does it hurt every time you eat?",
    "No, not every time, mostly with big bites.",
    "Does the pain get worse when you walk?",
    "No, mostly when I'm in bed at night.",
)
SOMETIMES = dialogue(
    "Does it hurt when you eat?", "Yes, but not every time, mostly with big bites."
)
LYING = dialogue("Do you get short of breath when you lie flat?", "No, only when I walk up hills.")
STAIRS = dialogue(
    "Does your knee hurt when you climb stairs?", "No.", "Any pain with walking?", "No."
)
FEVER = dialogue("Any fever?", "No, not at all.")
EVERY = dialogue("Do you have pain every time you eat?", "No.")
ALWAYS = dialogue("Are you always short of breath?", "No.")
WITHOUT = dialogue("Does exercise make it worse?", "Yeah, I can't exercise without a lot of pain.")
APPETITE = dialogue(
    "Is she eating and drinking okay?", "Drinking fine, not eating as much as usual."
)
PAPAVERINE = dialogue(
    "Did the papaverine help?",
    "My headaches vanish after thirty minutes of taking it. I've been taking it for months.",
)
CHEST = dialogue("Any pain in your chest?", "No.")
ELBOW = dialogue(
    "It hurts right here on the inside of your elbow?",
    "Yes.",
    "No pain with palpation outside of the elbow.",
)


@pytest.mark.parametrize(
    ("visit", "statement", "label"),
    [
        # a denied degree does not deny the thing
        (SLEEP, "She tries to sleep on her side.", "unsupported"),
        (SLEEP, "He walks with a cane.", "unsupported"),
        (SLEEP, "He has difficulty walking.", "unsupported"),
        # the same degree is still contradicted
        (SLEEP, "She is sleeping well.", "contradicted"),
        (SLEEP, "He walks well.", "contradicted"),
        # a no to a frequency or a circumstance
        (EATING, "He has pain when he eats.", "supported"),
        (EATING, "The pain is worse at night.", "supported"),
        (EATING, "The pain is worse when walking.", "contradicted"),
        # a yes with a frequency denied is still a yes
        (SOMETIMES, "He has no pain.", "contradicted"),
        # a circumstance asked and denied
        (LYING, "She gets short of breath walking uphill.", "unsupported"),
        (LYING, "She has shortness of breath.", "unsupported"),
        (LYING, "She gets short of breath when lying flat.", "contradicted"),
        (LYING, "She has dyspnea when lying down.", "contradicted"),
        (STAIRS, "The knee hurts.", "unsupported"),
        (STAIRS, "He has pain at rest.", "unsupported"),
        (STAIRS, "He has pain with walking.", "contradicted"),
        (STAIRS, "His knee hurts on stairs.", "contradicted"),
        # a no to "every time" or "always" leaves the finding asked, not denied
        (EVERY, "He has pain when he eats.", "unsupported"),
        (ALWAYS, "She is short of breath at times.", "unsupported"),
        # a site's denial is still a conflict where the statement names the site
        (CHEST, "He has chest pain.", "contradicted"),
        (ELBOW, "Pain to palpation on the outside of the elbow.", "contradicted"),
        # "can't X without Y": X comes with Y, it is not denied
        (WITHOUT, "She has pain with exercise.", "supported"),
        (WITHOUT, "Every time she exercises it hurts more.", "supported"),
        (WITHOUT, "She exercises without pain.", "contradicted"),
        # "not as much as usual" denies the amount, wherever the parse hangs "much"
        (APPETITE, "She is eating less than usual.", "unsupported"),
        (APPETITE, "She eats as much as usual.", "contradicted"),
        # a phrase of time is when, not what is denied
        (
            PAPAVERINE,
            "After months of taking papaverine, she no longer had headaches.",
            "supported",
        ),
        (PAPAVERINE, "She is not taking papaverine.", "unsupported"),
        # "not at all" is a plain no
        (FEVER, "No fever.", "supported"),
        (FEVER, "She has a fever.", "contradicted"),
    ],
)
def test_denials_read_with_their_degree_and_circumstance(
    visit: str, statement: str, label: str
) -> None:
    assert verdict(visit, statement)[0] == label


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("no, not every time, mostly with big bites.", True),
        ("not much.", True),
        ("i don't always get it.", True),
        ("no, not at all.", False),
        ("not really.", False),
        ("nope.", False),
        ("yes, but not every time.", False),
    ],
)
def test_an_answer_that_denies_a_degree_is_no_no(answer: str, expected: bool) -> None:
    assert degree_answer(tokenize(answer)) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("he does not have pain every time he eats", True),
        ("there is not much pain", True),
        ("no pain at all", False),
        ("no fever, always tired", False),
        ("denies chest pain", False),
    ],
)
def test_a_finding_denied_only_in_degree(text: str, expected: bool) -> None:
    toks = tokenize(text)
    pain = toks.index("pain") if "pain" in toks else toks.index("fever")
    assert partial_denial(toks, pain, pain + 1) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("does it hurt every time you eat", {"every"}),
        ("any pain at all", set()),
        ("no fever as well", set()),
        ("not sleeping well", {"well"}),
    ],
)
def test_degree_words(text: str, expected: set[str]) -> None:
    assert degree_of(text.split()) == expected
