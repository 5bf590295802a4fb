"""Task adapters: how a run request becomes sources and options for a pipeline task.

Scribe is built in. A later task plugs in the same way, from its own package::

    from evident.server import TaskAdapter, register_task_adapter

    register_task_adapter(TaskAdapter(name="ask", title="Ask the knowledge base",
                                      build=my_build, input_label="Question"))

or through the entry-point group ``evident.server_tasks`` whose object is a
:class:`TaskAdapter`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from importlib.metadata import entry_points
from typing import Any

from evident.errors import InputError
from evident.tasks.base import Task, load_task
from evident.types import Source

__all__ = [
    "DemoTranscript",
    "TaskAdapter",
    "TaskInput",
    "demo_transcripts",
    "evidence_qa_adapter",
    "register_task_adapter",
    "task_adapter",
    "task_adapters",
]

logger = logging.getLogger(__name__)
GROUP = "evident.server_tasks"


@dataclass(frozen=True)
class TaskInput:
    """What a run request provides to a task adapter.

    Attributes:
        text: The pasted or uploaded input (a transcript for scribe), or None.
        demo: Name of a bundled demo input, or None.
        sections: Section scheme (scribe: ``soap``), or None for the task's default.
        options: Further task options from the request.
    """

    text: str | None = None
    demo: str | None = None
    sections: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class TaskAdapter:
    """Turns a :class:`TaskInput` into pipeline sources and options.

    Attributes:
        name: The pipeline task name (``scribe``).
        title: Label on the page.
        build: ``build(task_input) -> (sources, options)``; raises InputError on bad input.
        input_label: Label of the page's input box.
        sections: Section schemes offered on the page (first is the default).
        task: Factory of the pipeline task; None loads the task registered under ``name``.
        document: What the draft is (``note``, ``answer``, ``reply``...), as the
            attestation names it.
        sign_label: The page's signing button (``Sign note``, ``Approve answer``...).
    """

    name: str
    title: str
    build: Callable[[TaskInput], tuple[list[Source], dict[str, Any]]]
    input_label: str = "Input"
    sections: tuple[str, ...] = ()
    task: Callable[[], Task] | None = None
    document: str = "note"
    sign_label: str = "Sign note"

    def load(self) -> Task:
        """The pipeline task this adapter runs."""
        return self.task() if self.task is not None else load_task(self.name)


@dataclass(frozen=True)
class DemoTranscript:
    """A bundled, invented demo transcript."""

    name: str
    text: str


_ADAPTERS: dict[str, TaskAdapter] = {}


def register_task_adapter(adapter: TaskAdapter) -> None:
    """Make a task available to the API and the page (replaces one of the same name)."""
    _ADAPTERS[adapter.name] = adapter


@cache
def _load_entry_points() -> None:
    for ep in entry_points(group=GROUP):
        try:
            adapter = ep.load()
        except Exception as exc:  # a broken plugin must not stop the server
            logger.warning("task adapter plugin %s failed to load: %s", ep.name, type(exc).__name__)
            continue
        if isinstance(adapter, TaskAdapter):
            register_task_adapter(adapter)


def task_adapters() -> dict[str, TaskAdapter]:
    """All registered adapters by task name."""
    _load_entry_points()
    return dict(_ADAPTERS)


def task_adapter(name: str) -> TaskAdapter:
    """The adapter of a task.

    Raises:
        InputError: No such task is served.
    """
    adapters = task_adapters()
    if name not in adapters:
        raise InputError(f"unknown task (served: {', '.join(sorted(adapters))})")
    return adapters[name]


@cache
def _demos() -> tuple[DemoTranscript, ...]:
    root = resources.files("evident").joinpath("resources", "examples")
    found = []
    try:
        entries = sorted(root.iterdir(), key=lambda p: p.name)
    except (FileNotFoundError, NotADirectoryError):
        return ()
    for entry in entries:
        if entry.is_file() and entry.name.endswith(".txt"):
            found.append(DemoTranscript(entry.name.removesuffix(".txt"), entry.read_text("utf-8")))
    return tuple(found)


def demo_transcripts() -> dict[str, DemoTranscript]:
    """The bundled demo transcripts by name (``src/evident/resources/examples/*.txt``)."""
    return {d.name: d for d in _demos()}


def _build_scribe(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
    from evident.sources import load_source

    if inp.demo and inp.text:
        raise InputError("give either a transcript or a demo name, not both")
    if inp.demo:
        demo = demo_transcripts().get(inp.demo)
        if demo is None:
            names = ", ".join(sorted(demo_transcripts()))
            raise InputError(f"unknown demo transcript (available: {names})")
        text, name = demo.text, f"{demo.name}.txt"
    elif inp.text and inp.text.strip():
        text, name = inp.text, "transcript"
    else:
        raise InputError("the transcript is empty")
    source = load_source(text, kind="transcript", name=name)
    options: dict[str, Any] = dict(inp.options)
    if inp.sections:
        options["sections"] = inp.sections
    return [source], options


register_task_adapter(
    TaskAdapter(
        name="scribe",
        title="Visit note from a conversation (scribe)",
        build=_build_scribe,
        input_label="Transcript",
        sections=("soap", "apso", "aci"),
    )
)


def evidence_qa_adapter(kb_dir: str, k: int = 5) -> TaskAdapter:
    """The ``evidence_qa`` task served from the knowledge base in ``kb_dir``.

    The request's text is the question; the adapter retrieves ``k`` passages (BM25) and
    hands them to the pipeline as a ``literature`` source.
    """
    from pathlib import Path

    from evident.kb import KnowledgeBase
    from evident.tasks.evidence_qa import build_source
    from evident.tasks.evidence_qa.answer import question_options

    KnowledgeBase(Path(kb_dir)).close()  # fail at start-up, not on the first question

    def build(inp: TaskInput) -> tuple[list[Source], dict[str, Any]]:
        question = (inp.text or "").strip()
        if not question:
            raise InputError("the question is empty")
        # One connection per call: SQLite connections belong to the thread that opened them.
        with KnowledgeBase(Path(kb_dir)) as kb:
            hits = kb.search(question, k=k, distinct=True)
        if not hits:
            raise InputError("no passage in the knowledge base matches the question")
        return [build_source(hits)], question_options(question, k=k, mode="bm25")

    return TaskAdapter(
        name="evidence_qa",
        title="Evidence answer from the knowledge base",
        build=build,
        input_label="Question",
        document="answer",
        sign_label="Approve answer",
    )
