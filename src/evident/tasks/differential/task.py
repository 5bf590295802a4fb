"""The ``differential`` task: a ranked differential whose every finding quotes the case.

The draft has one section per diagnosis; its statements are the quoted supporting and
opposing findings (so verify checks each against the case, and the privacy stage
restores them), and ``draft.meta["differential"]`` keeps the structure, with each
citation pointing at its statement. :func:`decode` rebuilds the JSON contract from the
(restored) draft.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evident.errors import InputError
from evident.models.base import Backend, GenerationRequest
from evident.tasks.differential.check import check_differential
from evident.tasks.differential.dense import use_bridge
from evident.tasks.differential.engine import run_offline
from evident.tasks.differential.fhir_case import case_text, read_sources
from evident.tasks.differential.prompt import PROMPT_VERSION, build_messages
from evident.tasks.differential.schema import Cite, Differential, DifferentialOutput
from evident.tasks.differential.table import load_table
from evident.types import Draft, Finding, ModelInfo, Report, Section, Source, Statement, Usage

__all__ = ["DifferentialTask", "case_text", "create", "decode", "encode"]

log = logging.getLogger(__name__)

_OPTIONS = {"top", "kb", "embeddings", "temperature", "max_tokens", "seed"}


def _segment_ids(sources: Sequence[Source], quote: str) -> tuple[str, ...]:
    for src in sources:
        at = src.text.find(quote)
        if at >= 0:
            end = at + len(quote)
            return tuple(s.id for s in src.segments if s.start < end and at < s.end)
    return ()


def encode(diff: Differential, sources: Sequence[Source]) -> tuple[tuple[Section, ...], dict]:
    """Sections of quoted findings and the structure that points at them."""
    sections = []
    payload = diff.model_dump()
    n = 0

    def stmt(cite: dict[str, str], name: str, out: list[Statement]) -> None:
        nonlocal n
        n += 1
        sid = f"st{n}"
        out.append(
            Statement(
                id=sid,
                text=cite["quote"],
                section=name,
                citations=_segment_ids(sources, cite["quote"]),
            )
        )
        cite["statement"] = sid
        del cite["quote"]

    supporting: list[str] = []
    for cand in payload["differential"]:
        name = f"#{cand['rank']} {cand['diagnosis']}"
        statements: list[Statement] = []
        for cite in cand["supporting"]:
            stmt(cite, name, statements)
            supporting.append(cite["statement"])
        for cite in cand["opposing"]:
            stmt(cite, name, statements)
        sections.append(Section(name=name, statements=tuple(statements)))
    for flag in payload["red_flags"]:
        statements = []
        for cite in flag["supporting"]:
            stmt(cite, f"red flag: {flag['diagnosis']}", statements)
            supporting.append(cite["statement"])
        sections.append(
            Section(name=f"red flag: {flag['diagnosis']}", statements=tuple(statements))
        )
    payload["supporting_statements"] = supporting
    return tuple(sections), payload


def decode(draft: Draft) -> Differential:
    """The differential of a (restored) draft: quotes come from its statements."""
    texts = {st.id: st.text for st in draft.statements}
    payload = draft.meta.get("differential")
    if not isinstance(payload, dict):
        raise InputError("the draft holds no differential")

    def cite(c: dict[str, str]) -> Cite:
        return Cite(finding=c["finding"], quote=texts.get(c["statement"], ""))

    cands = []
    for cand in payload["differential"]:
        cands.append(
            {
                **cand,
                "supporting": [cite(c) for c in cand["supporting"]],
                "opposing": [cite(c) for c in cand["opposing"]],
            }
        )
    flags = [{**f, "supporting": [cite(c) for c in f["supporting"]]} for f in payload["red_flags"]]
    rest = {k: v for k, v in payload.items() if k != "supporting_statements"}
    return Differential.model_validate({**rest, "differential": cands, "red_flags": flags})


def _top(options: Mapping[str, Any]) -> int:
    top = options.get("top", 10)
    if not isinstance(top, int) or not 1 <= top <= 50:
        raise InputError("option 'top' must be an integer from 1 to 50")
    return top


def _flag(options: Mapping[str, Any], key: str) -> bool | None:
    value = options.get(key)
    if value is not None and not isinstance(value, bool):
        raise InputError(f"option '{key}' must be true, false or absent")
    return value


class DifferentialTask:
    """Case -> ranked differential, each finding quoted from the case.

    Options:
        top: How many diagnoses (default 10).
        kb: A folder of the user's own differential tables, added to the shipped one.
        embeddings: The offline engine's lay-to-clinical embeddings bridge: on by
            default when the ``embeddings`` extra is installed (a notice is logged once
            when it is not); ``False`` turns it off, ``True`` requires it.
        temperature, max_tokens, seed: Passed to the model backend.
    """

    name = "differential"
    prompt_version = PROMPT_VERSION

    def draft(
        self, sources: Sequence[Source], backend: Backend, options: Mapping[str, Any]
    ) -> tuple[Draft, Usage]:
        """Write the differential with the backend's model or the offline engine.

        Raises:
            InputError: No case text, or an invalid option.
        """
        unknown = set(options) - _OPTIONS
        if unknown:
            raise InputError(f"unknown differential option '{sorted(unknown)[0]}'")
        text = case_text(sources)
        if not text.strip():
            raise InputError("the differential needs a case description")
        top = _top(options)
        kb = options.get("kb")
        table = load_table(Path(kb) if kb else None)
        case = read_sources(sources)
        info = ModelInfo(
            spec=backend.spec, backend=backend.name, name=backend.model, offline=backend.offline
        )
        usage = Usage()
        if backend.offline:
            dense = use_bridge(_flag(options, "embeddings"))
            diff = run_offline(case, table, top, embeddings=dense)
            engine = "offline-table+embeddings/1" if dense else "offline-table/1"
        else:
            request = GenerationRequest(
                messages=build_messages(text, top),
                output_type=DifferentialOutput,
                temperature=float(options.get("temperature", 0.0)),
                max_tokens=int(options.get("max_tokens", 3000)),
                seed=options.get("seed"),
            )
            gen = backend.generate(request)
            usage = gen.usage
            info = info.model_copy(update={"name": gen.model or backend.model})
            diff = Differential(**gen.value.model_dump(), model=info.name or backend.spec)
            engine = "model"
        diff = check_differential(diff, case, table if kb else None)
        sections, payload = encode(diff, sources)
        draft = Draft(
            task=self.name,
            sections=sections,
            model=info,
            prompt_version=self.prompt_version,
            meta={"engine": engine, "differential": payload},
        )
        return draft, usage

    def check(
        self,
        draft: Draft,
        sources: Sequence[Source],
        report: Report,
        options: Mapping[str, Any],
    ) -> Report:
        """Name the verification issues and every supporting quote verify contradicts."""
        findings = list(report.findings)
        payload = draft.meta.get("differential", {})
        for issue in payload.get("issues", []):
            findings.append(Finding(kind="differential", message=issue))
        supporting = set(payload.get("supporting_statements", []))
        for v in report.verdicts:
            if v.label == "contradicted" and v.statement_id in supporting:
                findings.append(
                    Finding(
                        kind="differential-denied",
                        severity="error",
                        where=v.statement_id,
                        message="a supporting finding the case contradicts",
                    )
                )
        return report.model_copy(update={"findings": tuple(findings)})


def create() -> DifferentialTask:
    """Entry-point factory of the ``differential`` task."""
    return DifferentialTask()
