"""Conversation tests (after CRAFT-MD and AgentClinic).

The doctor model sees only the clinical question and the options; a simulated patient (a
backend given the vignette, told to answer only what is asked) replies to one question
per turn. After at most ``max_turns`` questions the doctor must answer. Accuracy from the
conversation is reported beside accuracy from the full vignette (the ordinary run).

An offline patient answers by retrieval: the vignette sentence sharing most words with
the question, or "I don't know". An offline doctor abstains.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from evident.errors import OutputError
from evident.evals.extract import extract_choice
from evident.evals.items import EvalItem
from evident.evals.offline import ENGINE as OFFLINE
from evident.evals.offline import content_words
from evident.evals.prompts import fill, format_options, load_prompt
from evident.evals.records import ItemRecord, run_slug
from evident.evals.runner import run_benchmark
from evident.evals.stats import wilson
from evident.models.base import Backend, GenerationRequest, Message

__all__ = ["DoctorTurn", "PatientReply", "converse", "run_conversations", "split_vignette"]

_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")


class DoctorTurn(BaseModel):
    """The doctor model's output each turn (permissive: model output)."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    action: str | None = None
    question: str | None = None
    answer_choice: str | int | None = None


class PatientReply(BaseModel):
    """The simulated patient's output."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    reply: str | None = None


def split_vignette(question: str) -> tuple[str, str] | None:
    """Split an exam item into (vignette, clinical question).

    The question is the last sentence ending with ``?``; None when there is no such
    sentence or no vignette before it (a short knowledge question).
    """
    sentences = [s for s in _SENTENCE.split(question.strip()) if s]
    if len(sentences) < 3 or not sentences[-1].rstrip().endswith("?"):
        return None
    return " ".join(sentences[:-1]), sentences[-1]


def _offline_patient(vignette: str, asked: str) -> str:
    words = content_words(asked)
    best, best_score = "I don't know.", 0
    for sentence in _SENTENCE.split(vignette):
        score = len(words & content_words(sentence))
        if score > best_score:
            best, best_score = sentence, score
    return best


@dataclass
class _Dialogue:
    transcript: list[dict[str, str]]
    model_s: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    error: str | None = None

    def call(self, backend: Backend, messages: tuple[Message, ...], out: type[BaseModel]) -> str:
        started = time.perf_counter()
        usage: Any = None
        try:
            gen = backend.generate(GenerationRequest(messages, out))
            raw, usage = gen.raw, gen.usage
        except OutputError as exc:
            raw, usage = str(getattr(exc, "raw", "") or ""), getattr(exc, "usage", None)
            self.error = "OutputError"
        self.model_s += time.perf_counter() - started
        self.input_tokens += getattr(usage, "input_tokens", 0) or 0
        self.output_tokens += getattr(usage, "output_tokens", 0) or 0
        return raw


def _doctor_question(raw: str) -> str | None:
    """The doctor's next question, or None when it answered (or said nothing usable)."""
    try:
        turn = DoctorTurn.model_validate_json(raw)
    except ValueError:
        from evident.evals.extract import find_json_objects

        objs = find_json_objects(raw)
        turn = DoctorTurn.model_validate(objs[-1]) if objs else DoctorTurn()
    if (turn.action or "").lower() == "ask" and turn.question and turn.question.strip():
        return turn.question.strip()
    return None


def _patient_reply(raw: str) -> str:
    try:
        reply = PatientReply.model_validate_json(raw).reply
    except ValueError:
        reply = None
    return (reply or raw or "I don't know.").strip()


def _interview(
    item: EvalItem, doctor: Backend, patient: Backend, max_turns: int, log: _Dialogue
) -> tuple[int, str]:
    """Question and answer turns until the doctor answers; returns (turns, final output)."""
    dprompt, pprompt = load_prompt("doctor"), load_prompt("patient")
    split = split_vignette(item.question)
    vignette, query = split if split else ("", item.question)
    values = {"question": query, "options": format_options(item.options)}
    values["max_turns"] = str(max_turns)
    dmsgs = [Message("system", fill(dprompt.system, values))]
    dmsgs.append(Message("user", fill(dprompt.user, values)))
    pmsgs = [Message("system", fill(pprompt.system, {"vignette": vignette}))]
    turns = 0
    while True:
        raw = log.call(doctor, tuple(dmsgs), DoctorTurn)
        dmsgs.append(Message("assistant", raw or "{}"))
        asked = _doctor_question(raw) if turns < max_turns else None
        if asked is None:
            if turns >= max_turns and extract_choice(raw, item.options).letter is None:
                dmsgs.append(Message("user", dprompt.final or ""))
                raw = log.call(doctor, tuple(dmsgs), DoctorTurn)
            return turns, raw
        turns += 1
        log.transcript.append({"role": "doctor", "content": asked})
        pmsgs.append(Message("user", fill(pprompt.user, {"doctor_question": asked})))
        if patient.offline:
            reply = _offline_patient(vignette, asked)
        else:
            reply = _patient_reply(log.call(patient, tuple(pmsgs), PatientReply))
        pmsgs.append(Message("assistant", json.dumps({"reply": reply})))
        log.transcript.append({"role": "patient", "content": reply})
        note = "" if turns < max_turns else f"\n\n{dprompt.final}"
        dmsgs.append(Message("user", f"Patient: {reply}{note}"))


def _version(max_turns: int) -> str:
    return f"{load_prompt('doctor').version}+{load_prompt('patient').version}+turns{max_turns}"


def converse(item: EvalItem, doctor: Backend, patient: Backend, max_turns: int) -> ItemRecord:
    """One simulated consultation; the record's ``prompt`` holds the transcript.

    An offline doctor abstains; an offline patient answers by retrieval.
    """
    started = time.perf_counter()
    log = _Dialogue([])
    abstained = doctor.offline
    turns, final_raw = (0, "") if abstained else _interview(item, doctor, patient, max_turns, log)
    found = extract_choice(final_raw, item.options)
    total_ms = 1000 * (time.perf_counter() - started)
    return ItemRecord(
        model=OFFLINE if doctor.offline else doctor.spec,
        prompt_version=_version(max_turns),
        item_id=item.id,
        benchmark=item.benchmark,
        mode="conversation",
        prompt=log.transcript,
        raw=final_raw,
        parsed=None if abstained else found.letter,
        method="abstained" if abstained else found.method,
        answer=item.answer,
        correct=not abstained and found.letter == item.answer,
        abstained=abstained,
        offline=doctor.offline,
        error=log.error,
        latency_ms=1000 * log.model_s,
        harness_ms=total_ms - 1000 * log.model_s,
        input_tokens=log.input_tokens,
        output_tokens=log.output_tokens,
        extra={"turns": turns, "patient": OFFLINE if patient.offline else patient.spec},
    )


def run_conversations(
    items: list[EvalItem],
    doctor: Backend,
    patient: Backend,
    *,
    mode: str,
    out_dir: Path,
    max_turns: int = 8,
    concurrency: int = 4,
    progress: bool = True,
) -> tuple[Path, dict[str, Any]]:
    """Run conversations and the full-vignette baseline on the same items.

    Only items with a vignette before the question are used (see :func:`split_vignette`).

    Returns:
        (path of conversation.json, its content).
    """
    usable = [it for it in items if it.kind == "mcq" and split_vignette(it.question)]
    model = OFFLINE if doctor.offline else doctor.spec
    summary: dict[str, Any] = {
        "benchmark": items[0].benchmark if items else "none",
        "model": model,
        "patient": OFFLINE if patient.offline else patient.spec,
        "max_turns": max_turns,
        "items": len(items),
        "usable": len(usable),
    }
    slug = "conversation__" + run_slug(summary["benchmark"], f"turns{max_turns}", model)
    run_dir = Path(out_dir) / slug
    run_dir.mkdir(parents=True, exist_ok=True)
    conv_recs: tuple[ItemRecord, ...] = ()
    vig_recs: tuple[ItemRecord, ...] = ()
    if usable:
        version = (
            f"{load_prompt('doctor').version}+{load_prompt('patient').version}+turns{max_turns}"
        )
        conv = run_benchmark(
            usable,
            doctor,
            mode="conversation",
            out_dir=out_dir,
            concurrency=concurrency,
            progress=progress,
            slug=slug,
            results_name="conversation-results.json",
            prompt_version=version,
            evaluate=lambda it, be, _mode: converse(it, be, patient, max_turns),
        )
        vig = run_benchmark(
            usable,
            doctor,
            mode=mode,
            out_dir=out_dir,
            concurrency=concurrency,
            progress=progress,
        )
        conv_recs, vig_recs = conv.records, vig.records
        summary["failed"] = list(conv.failed) + list(vig.failed)
    summary["conversation"] = _acc(conv_recs) | {
        "mean_turns": sum(r.extra.get("turns", 0) for r in conv_recs) / max(1, len(conv_recs))
    }
    summary["vignette"] = _acc(vig_recs) | {"mode": mode}
    path = run_dir / "conversation.json"
    path.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return path, summary


def _acc(records: tuple[ItemRecord, ...]) -> dict[str, Any]:
    n, correct = len(records), sum(r.correct for r in records)
    return {
        "n": n,
        "correct": correct,
        "accuracy": correct / n if n else 0.0,
        "ci": list(wilson(correct, n)),
        "abstained": sum(r.abstained for r in records),
    }
