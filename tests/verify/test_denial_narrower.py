"""A denial of the wider thing denies each narrower one: "I've had no problems with my
breathing" bears out "no major problems with her breathing"; a denial of something else
with the same head does not. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from .conftest import verdict

VISIT = """\
[doctor] how have you been since the last visit ?
[patient] i've had no problems with my breathing .
[doctor] and the headaches ?
[patient] i get them sometimes but no severe headaches lately .
"""


@pytest.mark.parametrize(
    ("statement", "label"),
    [
        # the source denies problems with breathing: a narrower denial is borne out
        ("She has had no major problems with her breathing.", "supported"),
        # a denial of something else with the same head is not
        ("She has had no major problems with her sleep.", "unsupported"),
    ],
)
def test_narrower_denials(statement: str, label: str) -> None:
    assert verdict(VISIT, statement)[0] == label
