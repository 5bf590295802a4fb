"""An order or test named only in a sentence that states a condition ("if it's not
better, we'll get an x-ray") is a conditional plan: it bears out no note that says the
order was made, but does bear out the same conditional plan. Every sentence here is
written for these tests."""

from __future__ import annotations

import pytest

from evident.verify.facts import analyze

from .conftest import verdict

CONDITIONAL = (
    "Doctor: This looks like a sprain.\n"
    "Doctor: If it's not better in two weeks, come back and we'll get an x-ray.\n"
    "Patient: Okay.\n"
)
ORDERED = "Doctor: This looks like a sprain.\nDoctor: We'll get an x-ray today.\nPatient: Okay.\n"


@pytest.mark.parametrize(
    ("text", "conditional"),
    [
        ("If it's not better in two weeks, we'll get an x-ray.", True),
        ("We'll get an MRI unless it improves.", True),
        ("We will get an x-ray today.", False),
        # "if" after a verb of finding out asks whether: no condition on the order
        ("We'll get an MRI and see if it shows a tear.", False),
    ],
)
def test_conditional_orders(text: str, conditional: bool) -> None:
    orders = [f for f in analyze(text).facts if f.kind == "order" and f.key in {"x-ray", "mri"}]
    assert orders and all(f.conditional == conditional for f in orders)


def test_the_condition_governs_its_own_clause() -> None:
    """'..., and if nothing helps, a surgery consult': the consult is conditional, the
    physical therapy before the condition's clause is not."""
    text = "I can send you to physical therapy, and if nothing helps, we may get an MRI."
    got = {f.key: f.conditional for f in analyze(text).facts if f.kind == "order"}
    assert got.get("physical therapy") is False
    assert got.get("mri") is True


@pytest.mark.parametrize(
    ("source", "statement", "label"),
    [
        (CONDITIONAL, "X-ray ordered.", "unsupported"),
        (CONDITIONAL, "X-ray if not improved in 2 weeks.", "supported"),
        (ORDERED, "X-ray ordered.", "supported"),
    ],
)
def test_conditional_order_verdicts(source: str, statement: str, label: str) -> None:
    got, reason = verdict(source, statement)
    assert got == label, reason
