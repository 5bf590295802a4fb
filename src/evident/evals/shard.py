"""Split a benchmark data file into shards of the same format, for ``evident batch eval``.

A batch item of the ``eval`` task is one data file; a large benchmark is spread over many
workers by cutting its file into shards that each loader reads like the original: a
MIRAGE ``benchmark.json`` keeps only the chosen dataset's block, the PubMedQA JSON stays
keyed by PMID, the MEDEC CSV keeps its header. Questions keep their ids and their order,
so the shards' results add up to the whole benchmark's: :func:`combine_shards` reads a
batch's output back into one summary.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from evident.errors import InputError
from evident.evals.loaders import BENCHMARKS, MIRAGE_DATASETS, load_benchmark, read_json
from evident.evals.stats import wilson

__all__ = ["combine_shards", "shard_benchmark"]

_SUMMED = ("n", "correct", "abstained", "output_errors", "input_tokens", "output_tokens")
_SAME = ("benchmark", "model", "mode")


def _chunks(keys: list[Any], per: int) -> list[list[Any]]:
    return [keys[i : i + per] for i in range(0, len(keys), per)]


def _json_shards(benchmark: str, data: Path, per: int) -> list[str]:
    raw = read_json(data)
    block = raw.get(benchmark) if benchmark in MIRAGE_DATASETS else raw
    if not isinstance(block, dict):  # load_benchmark below names the problem
        return []
    out = []
    for keys in _chunks(list(block), per):
        part = {k: block[k] for k in keys}
        out.append(json.dumps({benchmark: part} if benchmark in MIRAGE_DATASETS else part))
    return out


def _csv_shards(data: Path, per: int) -> list[str]:
    with data.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    out = []
    for part in _chunks(rows[1:], per):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows([rows[0], *part])
        out.append(buffer.getvalue())
    return out


def shard_benchmark(benchmark: str, data: Path, out_dir: Path, per: int) -> list[Path]:
    """Write ``data`` as shards of at most ``per`` questions each; return their paths.

    Args:
        benchmark: One of :data:`evident.evals.loaders.BENCHMARKS`.
        data: The benchmark's data file.
        out_dir: Where to write ``<benchmark>-0000.<ext>``, ... (created if missing).
        per: Questions per shard (at least 1).

    Raises:
        InputError: Unknown benchmark, unreadable data, ``per`` below 1, or shards
            already in ``out_dir``.
    """
    if benchmark not in BENCHMARKS:
        raise InputError(f"unknown benchmark '{benchmark}' (known: {', '.join(BENCHMARKS)})")
    if per < 1:
        raise InputError(f"--per must be at least 1 (got {per})")
    load_benchmark(benchmark, data)  # the whole file must load before it is cut
    suffix = ".csv" if benchmark == "medec" else ".json"
    texts = _csv_shards(data, per) if benchmark == "medec" else _json_shards(benchmark, data, per)
    out_dir.mkdir(parents=True, exist_ok=True)
    if any(out_dir.glob(f"{benchmark}-*{suffix}")):
        raise InputError(f"'{out_dir}' already holds {benchmark} shards; choose an empty folder")
    paths = []
    for n, text in enumerate(texts):
        path = out_dir / f"{benchmark}-{n:04d}{suffix}"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def _batch_rows(output: Path) -> list[dict[str, Any]]:
    rows = []
    try:
        lines = output.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            f"cannot read batch output '{output.name}': {type(exc).__name__}"
        ) from None
    for number, line in enumerate(lines, 1):
        try:
            row = json.loads(line)
        except ValueError:
            raise InputError(f"{output.name} line {number}: not valid JSON") from None
        if not isinstance(row, dict) or "id" not in row or "ok" not in row:
            raise InputError(f"{output.name} line {number}: not a batch output line")
        rows.append(row)
    if not rows:
        raise InputError(f"'{output.name}' has no lines")
    return rows


def combine_shards(output: Path) -> dict[str, Any]:
    """One summary of an ``evident batch eval`` output: counts summed, interval recomputed.

    Raises:
        InputError: The file is not a batch output, a shard failed (run the batch again
            with ``--resume``), or the shards mix benchmarks, models or modes.
    """
    rows = _batch_rows(output)
    failed = sorted(str(r["id"]) for r in rows if not r["ok"])
    if failed:
        raise InputError(f"{len(failed)} shards failed (first: {failed[0]}); re-run with --resume")
    results = [r["result"] for r in rows]
    for key in _SAME:
        values = {str(r.get(key)) for r in results}
        if len(values) > 1:
            raise InputError(f"the shards mix {key}s: {', '.join(sorted(values))}")
    out: dict[str, Any] = {key: results[0].get(key) for key in _SAME}
    out |= {key: sum(int(r.get(key, 0)) for r in results) for key in _SUMMED}
    out["shards"] = len(results)
    out["accuracy"] = out["correct"] / out["n"] if out["n"] else 0.0
    out["ci_low"], out["ci_high"] = wilson(out["correct"], out["n"])
    out["unparsed"] = [i for r in results for i in r.get("unparsed", [])]
    return out
