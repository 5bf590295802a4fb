"""Fixtures of the scribe tests: a short fictional conversation and a fake model backend."""

from __future__ import annotations

import pytest

from evident.sources import load_source
from evident.types import Source
from tests.support.fake_backend import FakeBackend  # noqa: F401  (re-exported)

VISIT = """\
[doctor] Hello Mrs. Aalto, what brings you in today?
[patient] Um, I've had a cough for about two weeks.
[doctor] I see, and you're here today for that cough. Any fever?
[patient] No.
[doctor] Any shortness of breath?
[patient] Yes, a little when I climb stairs.
[patient] I, I take my inhaler, uh, two puffs twice a day.
[doctor] Okay, let me take a listen to your lungs.
[doctor] On exam, your lungs have a mild wheeze on the right and your temperature is ninety-nine.
[doctor] The chest x-ray from last week shows no pneumonia.
[doctor] My assessment is an asthma flare after a viral infection.
[doctor] I want you to start prednisone forty milligrams once a day for five days.
[doctor] We'll follow up in one week.
[patient] Okay, thank you.
"""


@pytest.fixture
def visit() -> Source:
    """The fictional visit, parsed."""
    return load_source(VISIT, kind="transcript", name="visit.txt")
