"""Task adapters: how run requests become sources (scribe is built in)."""

from __future__ import annotations

import pytest

from evident.errors import InputError
from evident.server import TaskInput, demo_transcripts, task_adapters
from evident.server.tasks import task_adapter


def test_scribe_is_served_with_its_section_schemes():
    scribe = task_adapters()["scribe"]
    assert scribe.sections[0] == "soap" and scribe.load().name == "scribe"


def test_demo_transcripts_are_bundled_and_parse():
    demos = demo_transcripts()
    assert demos
    for demo in demos.values():
        sources, _ = task_adapter("scribe").build(TaskInput(demo=demo.name))
        assert sources[0].segments and sources[0].kind == "transcript"


@pytest.mark.parametrize(
    ("inp", "message"),
    [
        (TaskInput(), "empty"),
        (TaskInput(text="  \n\t"), "empty"),
        (TaskInput(demo="no-such-demo"), "unknown demo"),
        (TaskInput(text="Patient: hello", demo="x"), "not both"),
    ],
)
def test_scribe_input_errors(inp, message):
    with pytest.raises(InputError, match=message):
        task_adapter("scribe").build(inp)


@pytest.mark.parametrize(
    ("inp", "segments", "options"),
    [
        (TaskInput(text="Doctor: Hi.\nPatient: My knee hurts."), 2, {}),
        (
            TaskInput(text="Doctor: Hi.\nPatient: Knee pain.", sections="apso"),
            2,
            {"sections": "apso"},
        ),
        (TaskInput(text="WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Doctor>Hello.\n"), 1, {}),
    ],
)
def test_scribe_builds_sources_and_options(inp, segments, options):
    sources, opts = task_adapter("scribe").build(inp)
    assert len(sources[0].segments) == segments and opts == options


def test_unknown_task_names_the_served_ones():
    with pytest.raises(InputError, match="scribe"):
        task_adapter("no-such-task")
