"""The ``chart`` task: a chart summary of a FHIR record, every statement citing resources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from evident.errors import InputError
from evident.models.base import Backend, GenerationRequest
from evident.tasks.chart.check import check_facts
from evident.tasks.chart.engine import SECTIONS, write_chart
from evident.tasks.chart.prompt import PROMPT_VERSION, build_messages
from evident.tasks.chart.record import ChartRecord, chart_record
from evident.tasks.chart.schema import ChartOutput
from evident.types import Draft, ModelInfo, Report, Section, Source, Statement, Usage

__all__ = ["ChartTask", "create"]

_OPTIONS = {"as_of", "care_gaps", "temperature", "max_tokens", "seed"}


class ChartTask:
    """FHIR record -> chart summary in sections, every statement citing ``ResourceType/id``.

    Options:
        as_of: ISO date the chart is written for (default: the record's latest date).
        care_gaps: Open care gaps computed by :mod:`evident.caregaps`, as
            ``{"measure", "title", "explanation", "evidence": [refs]}`` mappings.
        temperature, max_tokens, seed: Passed to the model backend.
    """

    name = "chart"
    prompt_version = PROMPT_VERSION

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Write the summary with the backend's model, or with the offline engine.

        Raises:
            InputError: No FHIR source, or an unknown or invalid option.
        """
        record = _record(sources, options)
        gaps = list(options.get("care_gaps") or [])
        info = ModelInfo(
            spec=backend.spec, backend=backend.name, name=backend.model, offline=backend.offline
        )
        meta: dict[str, Any] = {"as_of": record.as_of.isoformat()}
        if backend.offline:
            sections = write_chart(record, gaps)
            meta["engine"] = "offline-chart/1"
            return Draft(
                task=self.name,
                sections=sections,
                model=info,
                prompt_version=self.prompt_version,
                meta=meta,
            ), Usage()
        request = GenerationRequest(
            messages=build_messages(sources, record.as_of, gaps),
            output_type=ChartOutput,
            temperature=float(options.get("temperature", 0.0)),
            max_tokens=int(options.get("max_tokens", 4096)),
            seed=options.get("seed"),
        )
        gen = backend.generate(request)
        info = info.model_copy(update={"name": gen.model or backend.model})
        meta["repaired"] = gen.repaired
        draft = Draft(
            task=self.name,
            sections=_sections(gen.value),
            model=info,
            prompt_version=self.prompt_version,
            meta=meta,
        )
        return draft, gen.usage

    def check(
        self, draft: Draft, sources: Sequence[Source], report: Report, options: Mapping[str, Any]
    ) -> Report:
        """Compare each statement's status, values and dates with the resources it cites.

        The record is not a list of facts the summary must repeat one by one, so the verify
        stage's omissions are dropped; coverage is measured by ``evident bench chart``.
        """
        gaps = list(options.get("care_gaps") or [])
        checked = check_facts(draft, report, _record(sources, options), gaps)
        return checked.model_copy(update={"omissions": ()})


def _record(sources: Sequence[Source], options: Mapping[str, Any]) -> ChartRecord:
    unknown = set(options) - _OPTIONS
    if unknown:
        raise InputError(f"unknown chart option '{sorted(unknown)[0]}'")
    if not any(src.kind == "fhir" for src in sources):
        raise InputError("the chart needs a FHIR record (a Bundle of resources)")
    as_of = options.get("as_of")
    try:
        day = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    except ValueError:
        raise InputError(f"option 'as_of' must be an ISO date, not '{as_of}'") from None
    return chart_record(sources, day)


def _sections(output: ChartOutput) -> tuple[Section, ...]:
    order = {name.lower(): i for i, name in enumerate(SECTIONS)}
    grouped: dict[str, list[Statement]] = {}
    n = 0
    for item in output.statements:
        text = " ".join(item.text.split())
        if not text:
            continue
        n += 1
        name = item.section.strip() or "Other"
        cites = tuple(dict.fromkeys(c.strip() for c in item.citations if c.strip()))
        grouped.setdefault(name, []).append(
            Statement(id=f"st{n}", text=text, section=name, citations=cites)
        )
    names = sorted(grouped, key=lambda s: order.get(s.lower(), len(order)))
    return tuple(Section(name=name, statements=tuple(grouped[name])) for name in names)


def create() -> ChartTask:
    """Entry-point factory of the ``chart`` task."""
    return ChartTask()
