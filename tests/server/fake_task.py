"""A deterministic test task: echoes patient utterances and adds one invented statement.

It keeps the server tests independent of the scribe's engine while still giving the
verifier something supported and something unsupported to judge.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import Any

from evident.models.base import Backend
from evident.server.tasks import TaskAdapter, TaskInput
from evident.types import Draft, ModelInfo, Section, Source, Statement, Usage

INVENTED = "The patient has a documented severe peanut allergy with anaphylaxis."
WRONG_DOSE = "The patient takes lisinopril 100 mg once daily."


class EchoTask:
    """The patient's utterances, one statement without evidence and one wrong dose."""

    name = "echo"
    prompt_version = "echo/test"

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        statements = []
        for seg in sources[0].segments:
            if seg.speaker == "patient":
                statements.append(
                    Statement(
                        id=f"st{len(statements) + 1}",
                        text=seg.text,
                        section="Subjective",
                        citations=(seg.id,),
                    )
                )
        for text in (WRONG_DOSE, INVENTED):
            statements.append(
                Statement(id=f"st{len(statements) + 1}", text=text, section="Assessment")
            )
        sections = (
            Section(name="Subjective", statements=tuple(statements[:-2])),
            Section(name="Assessment", statements=tuple(statements[-2:])),
        )
        info = ModelInfo(
            spec=backend.spec, backend=backend.name, name=backend.model, offline=backend.offline
        )
        return Draft(
            task=self.name, sections=sections, model=info, prompt_version=self.prompt_version
        ), Usage()


def _build(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
    from evident.errors import InputError
    from evident.sources import load_source

    if not inp.text or not inp.text.strip():
        raise InputError("the transcript is empty")
    return [load_source(inp.text, kind="transcript", name="transcript")], dict(inp.options)


ECHO_ADAPTER = TaskAdapter(name="echo", title="Echo (tests)", build=_build, task=EchoTask)


class SlowEchoTask(EchoTask):
    """The echo task, slowed down so the page's progress indicator can be seen."""

    name = "echo-slow"

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        import time

        time.sleep(1.5)
        return super().draft(sources, backend, options)


SLOW_ADAPTER = TaskAdapter(
    name="echo-slow", title="Echo, slow (tests)", build=_build, task=SlowEchoTask
)


def _build_boom(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
    raise RuntimeError(f"parser crashed on: {inp.text}")  # a bug that quotes its input


class BoomTask(EchoTask):
    """A task whose engine crashes with the patient text in the exception message."""

    name = "boom-run"

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        raise RuntimeError(f"engine crashed on: {sources[0].text}")


BOOM_BUILD_ADAPTER = TaskAdapter(name="boom-build", title="Crashes (tests)", build=_build_boom)
BOOM_RUN_ADAPTER = TaskAdapter(
    name="boom-run", title="Crashes (tests)", build=_build, task=BoomTask
)


#: Opened by a test: until then every gated run stays in its draft stage.
GATE = threading.Event()


class GatedEchoTask(EchoTask):
    """The echo task, held in its draft stage until :data:`GATE` is set (or 60 s)."""

    name = "echo-gated"

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        GATE.wait(60)
        return super().draft(sources, backend, options)


GATED_ADAPTER = TaskAdapter(
    name="echo-gated", title="Echo, gated (tests)", build=_build, task=GatedEchoTask
)
