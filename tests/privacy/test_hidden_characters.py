"""PHI split by characters that render as nothing is still PHI.

A zero-width space or a soft hyphen inside a name or a number hides it from the
lexicons and patterns; detection looks through them, and the spans still point into
the original text (they cover the hidden characters too).
"""

from __future__ import annotations

import pytest

from evident.privacy import Detector, Redactor, transform


@pytest.mark.parametrize(
    ("text", "phi", "kind"),
    [
        ("Patient Jo\u200bhn Zy\u200bxwv was seen today.", "Jo\u200bhn Zy\u200bxwv", "NAME"),
        ("Seen by Dr. Irene Barrow\u00adman today.", "Irene Barrow\u00adman", "NAME"),
        ("MRN: 0048\u200b2913, knee pain.", "0048\u200b2913", "MRN"),
        ("Call 555-12\u20603-4567 tomorrow.", "555-12\u20603-4567", "PHONE"),
        ("Patient John\x07 Zyxwv was seen today.", "John\x07 Zyxwv", "NAME"),
    ],
)
def test_hidden_characters_do_not_hide_phi(text: str, phi: str, kind: str) -> None:
    spans = Detector().detect(text)
    assert [(s.type, s.text) for s in spans] == [(kind, phi)]
    for s in spans:
        assert text[s.start : s.end] == s.text
    out = transform(text, spans, Redactor()).text
    assert f"[{kind}]" in out and phi not in out


def test_text_without_hidden_characters_is_unchanged() -> None:
    text = "Patient John Zyxwv, MRN 00482913, called 555-123-4567."
    plain = Detector().detect(text)
    assert [s.text for s in plain] == ["John Zyxwv", "00482913", "555-123-4567"]
