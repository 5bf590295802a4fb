"""Messy text as hospitals export it: invisible characters, control codes, odd line breaks.

Copy-paste from an EHR or a word processor leaves zero-width spaces, soft hyphens, bidi
marks, terminal colour codes and page breaks inside words; the sources stage removes them
so that "ibu<ZWSP>profen" is read as ibuprofen and a report never replays escape codes.
"""

from __future__ import annotations

import pytest

from evident.errors import InputError
from evident.sources import MAX_SEGMENT_CHARS, load_source


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("[patient] ibu\u200bprofen 400 mg\n", "ibuprofen 400 mg"),
        ("[patient] t\u200cwo we\u200deks\n", "two weeks"),
        ("[patient] ibu\u00adprofen\u2060 daily\n", "ibuprofen daily"),
        ("[patient] \u202bleft\u202c knee\u200e\n", "left knee"),
        ("[patient] mid\ufeffdle\n", "middle"),
        ("[patient] Ibu\x07profen\x7f 400 mg\n", "Ibuprofen 400 mg"),
        ("[patient] \x1b[31mleft\x1b[0m knee\n", "left knee"),
        ("[patient] knee\tpain 🦵\n", "knee\tpain 🦵"),
        ('[{"speaker": "patient", "text": "ibu\\u200bprofen\\u0007 daily"}]', "ibuprofen daily"),
    ],
)
def test_invisible_and_control_characters_are_removed(raw: str, expected: str) -> None:
    src = load_source(raw.encode("utf-8"), name="in.txt")
    assert [s.text for s in src.segments] == [expected]
    assert src.text[src.segments[0].start : src.segments[0].end] == expected


@pytest.mark.parametrize("sep", ["\x0b", "\x0c", "\x85", "\u2028", "\u2029", "\x1e"])
def test_unusual_line_breaks_are_newlines(sep: str) -> None:
    src = load_source(f"[doctor] any fever?{sep}[patient] no.{sep}", name="in.txt")
    assert [(s.speaker, s.text) for s in src.segments] == [
        ("doctor", "any fever?"),
        ("patient", "no."),
    ]


def test_only_invisible_characters_is_empty() -> None:
    with pytest.raises(InputError, match="is empty"):
        load_source("\u200b\u200b\n\x07\u00ad\n", name="in.txt")


@pytest.mark.parametrize(
    "data",
    [
        '[{"speaker": "doctor", "text": "hi", "John Zyxwv": "x"}]',
        '[{"speaker": "doctor", "John Zyxwv": "hi"}]',
        '{"John Zyxwv": [{"speaker": "doctor", "text": "hi"}]}',
    ],
)
def test_json_errors_never_echo_the_input(data: str) -> None:
    with pytest.raises(InputError) as err:
        load_source(data, name="in.json")
    assert "Zyxwv" not in str(err.value) and "in.json" in str(err.value)


LONG = "knee " * (MAX_SEGMENT_CHARS // 5 + 1)  # one sentence, no full stop


@pytest.mark.parametrize(
    ("text", "kind", "fragment"),
    [
        (f"[doctor] hello.\n[patient] {LONG}\n", "auto", "utterance u2 is 100004 characters"),
        (f"HPI:\nKnee pain. {LONG}\n", "note", "sentence s1 is 100015 characters"),
        (f"Doctor: {LONG}\n", "transcript", "utterance u1 is 100004 characters"),
    ],
)
def test_a_giant_sentence_or_utterance_is_refused(text: str, kind: str, fragment: str) -> None:
    with pytest.raises(InputError) as err:
        load_source(text, kind=kind, name="in.txt")  # type: ignore[arg-type]
    assert fragment in str(err.value) and "knee" not in str(err.value)


def test_a_long_utterance_under_the_limit_is_kept() -> None:
    text = "knee " * (MAX_SEGMENT_CHARS // 5 - 1)
    src = load_source(f"[patient] {text}\n", name="in.txt")
    assert src.segments[0].text == text.strip()
