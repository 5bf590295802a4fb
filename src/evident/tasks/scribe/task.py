"""The ``scribe`` task: a visit note from a doctor-patient conversation, citing utterances."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from evident.errors import InputError
from evident.models.base import Backend, GenerationRequest
from evident.sources import heading_type
from evident.tasks.scribe.engine import write_note
from evident.tasks.scribe.prompt import PROMPT_VERSION, build_messages
from evident.tasks.scribe.rules import section_rules
from evident.tasks.scribe.schema import NoteOutput
from evident.tasks.scribe.speakers import with_speakers
from evident.types import Draft, ModelInfo, Section, Source, Statement, Usage

__all__ = ["ScribeTask", "resolve_sections"]

log = logging.getLogger(__name__)

_SEXES = {"female", "male", "unknown"}


def resolve_sections(spec: str | Sequence[str] | None) -> dict[str, list[str]]:
    """Turn the ``sections`` option into section name -> internal categories.

    Args:
        spec: ``soap`` (default), ``apso``, ``aci``, a comma-separated list of names, or a
            list of names. Custom names are matched through note heading types
            (``HPI``, ``Physical Exam``, ``Assessment and Plan``, ...); a name that
            matches none gets no statements from the offline engine.

    Raises:
        InputError: The spec is empty or names a section twice.
    """
    rules = section_rules()
    if spec is None or (isinstance(spec, str) and not spec.strip()):
        spec = "soap"
    if isinstance(spec, str) and spec.strip().lower() in rules.presets:
        return {k: list(v) for k, v in rules.presets[spec.strip().lower()].items()}
    names = [s.strip() for s in (spec.split(",") if isinstance(spec, str) else spec)]
    names = [n for n in names if n]
    if not names:
        raise InputError("no section names given")
    if len({n.lower() for n in names}) != len(names):
        raise InputError("a section name is given twice")
    out: dict[str, list[str]] = {}
    for name in names:
        kind = heading_type(name)
        out[name] = list(rules.heading_types.get(kind, [])) if kind else []
    return out


def _sex(options: Mapping[str, Any]) -> str | None:
    sex = options.get("sex")
    if sex is None:
        return None
    if sex not in _SEXES:
        raise InputError(f"option 'sex' must be one of {sorted(_SEXES)}")
    return str(sex)


class ScribeTask:
    """Transcript -> visit note in sections, every statement citing utterance ids.

    Options:
        sections: ``soap`` (default), ``apso``, ``aci`` or a custom list of names.
        sex: ``female``/``male``/``unknown`` for pronouns of the offline engine
            (default: detected from the transcript).
        temperature, max_tokens, seed: Passed to the model backend.
    """

    name = "scribe"
    prompt_version = PROMPT_VERSION

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Write the note with the backend's model, or with the offline engine.

        Raises:
            InputError: No source has segments, or an option is invalid.
        """
        if not sources or not any(src.segments for src in sources):
            raise InputError("the scribe needs a transcript with at least one utterance")
        unknown = set(options) - {"sections", "sex", "temperature", "max_tokens", "seed"}
        if unknown:
            raise InputError(f"unknown scribe option '{sorted(unknown)[0]}'")
        sections = resolve_sections(options.get("sections"))
        info = ModelInfo(
            spec=backend.spec, backend=backend.name, name=backend.model, offline=backend.offline
        )
        sources, inferred = with_speakers(sources)
        if backend.offline:
            note = write_note(sources, sections, _sex(options))
            if not any(sec.statements for sec in note.sections):
                names = ", ".join(f"'{s.id}'" for s in sources)
                raise InputError(f"{names} has no clinical content to write a note from")
            meta: dict[str, Any] = {"engine": "offline-prose/2", "sex": note.sex}
            if note.swapped:
                meta["speakers_swapped"] = True
            if inferred:
                meta["speakers_inferred"] = True
            draft = Draft(
                task=self.name,
                sections=note.sections,
                model=info,
                prompt_version=self.prompt_version,
                meta=meta,
            )
            return draft, Usage()
        draft, usage = self._generate(sources, backend, options, sections, info)
        if inferred:
            draft = draft.model_copy(update={"meta": {**draft.meta, "speakers_inferred": True}})
        return draft, usage

    def _generate(
        self,
        sources: Sequence[Source],
        backend: Backend,
        options: Mapping[str, Any],
        sections: dict[str, list[str]],
        info: ModelInfo,
    ) -> tuple[Draft, Usage]:
        request = GenerationRequest(
            messages=build_messages(sources, sections),
            output_type=NoteOutput,
            temperature=float(options.get("temperature", 0.0)),
            max_tokens=int(options.get("max_tokens", 2048)),
            seed=options.get("seed"),
        )
        gen = backend.generate(request)
        info = info.model_copy(update={"name": gen.model or backend.model})
        draft = Draft(
            task=self.name,
            sections=_to_sections(gen.value, list(sections)),
            model=info,
            prompt_version=self.prompt_version,
            meta={"repaired": gen.repaired},
        )
        return draft, gen.usage


def _to_sections(output: NoteOutput, names: list[str]) -> tuple[Section, ...]:
    """Group the model's statements by section, in the requested order.

    A statement naming an unknown section is kept under that name, after the requested
    sections, so nothing the model wrote is silently dropped.
    """
    by_key = {n.lower(): n for n in names}
    grouped: dict[str, list[tuple[str, tuple[str, ...]]]] = {n: [] for n in names}
    for st in output.statements:
        text = " ".join(st.text.split())
        if not text:
            continue
        name = by_key.get(st.section.strip().lower(), st.section.strip() or "Other")
        by_key.setdefault(name.lower(), name)
        cites = tuple(dict.fromkeys(c.strip() for c in st.citations if c.strip()))
        grouped.setdefault(name, []).append((text, cites))
    if not any(grouped.values()):
        log.warning("the model returned no statements")
    out, n = [], 0
    for name, items in grouped.items():
        statements = []
        for text, cites in items:
            n += 1
            statements.append(Statement(id=f"st{n}", text=text, section=name, citations=cites))
        out.append(Section(name=name, statements=tuple(statements)))
    return tuple(out)


def create() -> ScribeTask:
    """Entry-point factory of the ``scribe`` task."""
    return ScribeTask()
