"""Turn any note text into a Draft: one statement per sentence, sectioned by heading."""

from __future__ import annotations

from evident.types import Draft, ModelInfo, Section, Source, Statement

__all__ = ["draft_from_note"]


def draft_from_note(source_or_text: Source | str, task: str = "note") -> Draft:
    """Build a draft from a note written by anyone (a model, a clinician, a template).

    Args:
        source_or_text: A note already parsed by :func:`evident.sources.load_source`
            (``kind="note"``), or its raw text.
        task: Task name recorded on the draft.

    Returns:
        A draft with one statement per sentence segment, grouped into sections by the
        segment's ``meta["section"]``; statement ids are ``st1..stn``. The draft's
        model is recorded as ``external`` (unknown author).

    Raises:
        InputError: The text is empty or cannot be parsed as a note.
    """
    if isinstance(source_or_text, str):
        from evident.sources import load_source

        source = load_source(source_or_text, kind="note", name="draft")
    else:
        source = source_or_text
    sections: list[tuple[str, list[Statement]]] = []
    for seg in source.segments:
        name = seg.meta.get("section", "")
        if not sections or sections[-1][0] != name:
            sections.append((name, []))
        n = sum(len(s) for _, s in sections) + 1
        sections[-1][1].append(Statement(id=f"st{n}", text=seg.text, section=name))
    return Draft(
        task=task,
        sections=tuple(Section(name=n, statements=tuple(sts)) for n, sts in sections),
        model=ModelInfo(spec="external", backend="external", name="unknown"),
        prompt_version="",
        meta={"source": source.id},
    )
