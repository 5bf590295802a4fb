"""Load benchmarks from local files (never downloads).

Formats:
- MIRAGE ``benchmark.json``: ``{dataset: {id: {question, options, answer}}}`` with the
  datasets ``medqa``, ``medmcqa``, ``pubmedqa``, ``bioasq``, ``mmlu``.
- PubMedQA with contexts (``pqal`` style): ``{pmid: {QUESTION, CONTEXTS, final_decision}}``;
  benchmark name ``pubmedqa-context``; options A yes, B no, C maybe.
- MEDEC CSV: columns ``Text ID, Text, Sentences, Error Flag, Error Sentence ID,
  Corrected Sentence``; benchmark name ``medec``.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

from evident.errors import InputError
from evident.evals.items import EvalItem

__all__ = [
    "BENCHMARKS",
    "MIRAGE_DATASETS",
    "load_benchmark",
    "load_medec",
    "load_mirage",
    "load_pubmedqa",
    "read_json",
]

MIRAGE_DATASETS = ("medqa", "medmcqa", "pubmedqa", "bioasq", "mmlu")
BENCHMARKS = (*MIRAGE_DATASETS, "pubmedqa-context", "medec")
_YES_NO_MAYBE = {"A": "yes", "B": "no", "C": "maybe"}
_MAX_BYTES = 512 * 1024 * 1024


def read_json(path: Path) -> Any:
    """Read a JSON file, raising a one-line InputError naming the file on failure."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: file is empty")
    if size > _MAX_BYTES:
        raise InputError(f"{path}: file too large ({size} bytes)")
    try:
        return json.loads(path.read_text(encoding="utf-8-sig"))  # a BOM is no error
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: invalid JSON at line {exc.lineno}: {exc.msg}") from None


def load_mirage(path: Path, dataset: str) -> list[EvalItem]:
    """Load one dataset of a MIRAGE-format ``benchmark.json``.

    Args:
        path: The JSON file.
        dataset: One of :data:`MIRAGE_DATASETS` (any key present in the file works).

    Returns:
        The items in file order.

    Raises:
        InputError: The file is missing, malformed, or lacks the dataset.
    """
    data = read_json(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object of datasets")
    block = data.get(dataset)
    if not isinstance(block, dict):
        known = ", ".join(sorted(k for k, v in data.items() if isinstance(v, dict))) or "none"
        raise InputError(f"{path}: no dataset '{dataset}' (has: {known})")
    items = []
    for qid, raw in block.items():
        if not isinstance(raw, dict):
            raise InputError(f"{path}: item '{qid}' of '{dataset}' is not an object")
        question, options, answer = raw.get("question"), raw.get("options"), raw.get("answer")
        if not isinstance(question, str) or not isinstance(options, dict) or not options:
            raise InputError(f"{path}: item '{qid}' of '{dataset}' lacks question or options")
        if answer not in options:
            raise InputError(f"{path}: item '{qid}' of '{dataset}' has answer not in options")
        opts = {str(k): str(v) for k, v in options.items()}
        items.append(EvalItem(str(qid), dataset, question, opts, str(answer)))
    return items


def load_pubmedqa(path: Path) -> list[EvalItem]:
    """Load PubMedQA with its contexts (``{pmid: {QUESTION, CONTEXTS, final_decision}}``).

    Raises:
        InputError: The file is missing or an item lacks a field.
    """
    data = read_json(path)
    if not isinstance(data, dict):
        raise InputError(f"{path}: expected a JSON object keyed by PMID")
    letters = {v: k for k, v in _YES_NO_MAYBE.items()}
    items = []
    for pmid, raw in data.items():
        if not isinstance(raw, dict):
            raise InputError(f"{path}: item '{pmid}' is not an object")
        question, contexts = raw.get("QUESTION"), raw.get("CONTEXTS")
        decision = str(raw.get("final_decision", "")).strip().lower()
        if not isinstance(question, str) or not isinstance(contexts, list):
            raise InputError(f"{path}: item '{pmid}' lacks QUESTION or CONTEXTS")
        if decision not in letters:
            raise InputError(f"{path}: item '{pmid}' has final_decision not yes/no/maybe")
        items.append(
            EvalItem(
                str(pmid),
                "pubmedqa-context",
                question,
                _YES_NO_MAYBE,
                letters[decision],
                context=tuple(str(c) for c in contexts),
            )
        )
    return items


_SENTENCE_LINE = re.compile(r"^(\d+)\s(.*)$")


def _sentences(text: str) -> tuple[tuple[int, str], ...]:
    out: list[list[Any]] = []
    for line in text.splitlines():
        match = _SENTENCE_LINE.match(line.strip())
        if match:
            out.append([int(match.group(1)), match.group(2).strip()])
        elif out and line.strip():
            out[-1][1] = f"{out[-1][1]} {line.strip()}"
    return tuple((int(i), str(t)) for i, t in out)


def load_medec(path: Path) -> list[EvalItem]:
    """Load MEDEC error detection from its CSV.

    Each item's answer is ``A`` when the text holds an error, ``B`` when it does not.

    Raises:
        InputError: The file is missing or not UTF-8, or a row lacks a column or has a
            bad flag.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    required = {"Text ID", "Text", "Sentences", "Error Flag", "Error Sentence ID"}
    # utf-8-sig: spreadsheets save CSV with a byte-order mark before the first column name.
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        try:
            missing = required - set(reader.fieldnames or ())
            if missing:
                raise InputError(f"{path}: missing columns {', '.join(sorted(missing))}")
            items = [_medec_item(path, row, reader.line_num) for row in reader]
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text (near line {reader.line_num + 1})") from None
    if not items:
        raise InputError(f"{path}: no rows")
    return items


def _medec_item(path: Path, row: dict[str, str], line: int) -> EvalItem:
    flag = (row.get("Error Flag") or "").strip()
    if flag not in {"0", "1"}:
        raise InputError(f"{path}: line {line}: Error Flag must be 0 or 1")
    sid_text = (row.get("Error Sentence ID") or "-1").strip() or "-1"
    try:
        sid = int(float(sid_text))
    except ValueError:
        raise InputError(f"{path}: line {line}: bad Error Sentence ID") from None
    return EvalItem(
        id=(row.get("Text ID") or f"row{line}").strip(),
        benchmark="medec",
        question=row.get("Text") or "",
        options={"A": "contains a medical error", "B": "contains no error"},
        answer="A" if flag == "1" else "B",
        kind="medec",
        sentences=_sentences(row.get("Sentences") or ""),
        error_sentence_id=sid if flag == "1" else -1,
        meta={"corrected_sentence": (row.get("Corrected Sentence") or "").strip()},
    )


def load_benchmark(name: str, path: Path) -> list[EvalItem]:
    """Load a benchmark by name from a local file.

    Args:
        name: One of :data:`BENCHMARKS`.
        path: ``benchmark.json`` for MIRAGE datasets, the PubMedQA JSON for
            ``pubmedqa-context``, the MEDEC CSV for ``medec``.

    Raises:
        InputError: Unknown name or unusable file.
    """
    path = Path(path)
    if name in MIRAGE_DATASETS:
        return load_mirage(path, name)
    if name == "pubmedqa-context":
        return load_pubmedqa(path)
    if name == "medec":
        return load_medec(path)
    raise InputError(f"unknown benchmark '{name}' (known: {', '.join(BENCHMARKS)})")
