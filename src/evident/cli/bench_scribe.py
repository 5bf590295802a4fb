"""``evident bench scribe``: ROUGE of the offline scribe on ACI-Bench, and its speed.

The data is an ACI-Bench CSV (columns ``dataset, encounter_id, dialogue, note``) the user
points at; Evident ships no data. For each encounter the whole offline pipeline runs
(parse, draft, verify) and its note is scored against the reference note with the
``rouge-score`` package (Porter stemming on). ROUGE-L is reported both as sentence-level
``rougeL`` and as summary-level ``rougeLsum`` (lines split at newlines).
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from evident.errors import InputError

__all__ = ["PUBLISHED", "BenchResult", "register", "run_bench"]

#: Published ACI-Bench full-note figures (ROUGE-1/2/L), from the dataset's paper.
PUBLISHED: list[tuple[str, str, float, float, float]] = [
    ("transcript copy", "test1", 32.84, 12.53, 30.61),
    ("first-2 + last-10 doctor turns", "test1", 35.88, 12.44, 32.72),
    ("nearest training note (UMLS retrieval)", "test1", 43.87, 17.55, 40.47),
    ("BART fine-tuned by division", "test1", 53.46, 25.08, 48.62),
    ("GPT-4", "test1", 51.76, 22.58, 45.97),
    ("GPT-4", "test2", 51.24, 21.65, 45.60),
]
_COLUMNS = {"encounter_id", "dialogue", "note"}
_TYPES = ("rouge1", "rouge2", "rougeL", "rougeLsum")


@dataclass(frozen=True)
class BenchResult:
    """Scores (percent F1, mean over encounters) and milliseconds per encounter.

    ``cpu_ms`` and ``parse_ms`` are CPU time (``time.process_time``); ``draft_ms`` and
    ``verify_ms`` are the pipeline's own per-stage wall-clock timings.
    """

    n: int
    rouge: dict[str, float]
    cpu_ms: list[float]
    parse_ms: list[float]
    draft_ms: list[float]
    verify_ms: list[float]
    wall_ms: list[float]
    statements: float
    supported: float
    placed: int = 0
    placed_right: int = 0
    first_second_person: int = 0
    filler: int = 0


def _rows(path: Path, limit: int | None) -> list[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = _COLUMNS - set(reader.fieldnames or [])
            if missing:
                raise InputError(f"'{path.name}' lacks column(s) {', '.join(sorted(missing))}")
            csv.field_size_limit(sys.maxsize)
            rows = list(reader)
    except FileNotFoundError:
        raise InputError(f"no such file: '{path}'") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"'{path.name}' is not a readable CSV: {exc}") from None
    if not rows:
        raise InputError(f"'{path.name}' has no rows")
    return rows[:limit] if limit else rows


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    idx = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[idx]


def run_bench(path: Path, limit: int | None = None, sections: str = "aci") -> BenchResult:
    """Run the offline pipeline over a CSV and score it.

    Raises:
        InputError: The CSV is missing, unreadable or lacks the needed columns.
    """
    from rouge_score import rouge_scorer
    from tqdm import tqdm

    from evident.pipeline import run_task
    from evident.sources import load_source
    from evident.tasks.scribe import quality
    from evident.tasks.scribe.task import resolve_sections

    scorer = rouge_scorer.RougeScorer(list(_TYPES), use_stemmer=True)
    rows = _rows(path, limit)
    sums = dict.fromkeys(_TYPES, 0.0)
    cpu: list[float] = []
    parse: list[float] = []
    draft: list[float] = []
    verify: list[float] = []
    wall: list[float] = []
    n_st = n_sup = placed = right = person = filler = 0
    wanted = resolve_sections(sections)
    for row in tqdm(rows, desc="scribe", unit="enc", file=sys.stderr, leave=False):
        c0, w0 = time.process_time(), time.perf_counter()
        src = load_source(row["dialogue"], kind="transcript", name=row["encounter_id"])
        parse.append((time.process_time() - c0) * 1000)
        run = run_task("scribe", [src], "offline", {"sections": sections})
        cpu.append((time.process_time() - c0) * 1000)
        draft.append(run.timings_ms.get("generate", 0.0))
        verify.append(run.timings_ms.get("verify", 0.0))
        wall.append((time.perf_counter() - w0) * 1000)
        scores = scorer.score(row["note"], run.draft.text())
        for t in _TYPES:
            sums[t] += scores[t].fmeasure
        n_st += len(run.draft.statements)
        n_sup += sum(1 for v in run.report.verdicts if v.label == "supported")
        ref = load_source(row["note"], kind="note", name="reference")
        where = quality.placement(run.draft.statements, wanted, ref)
        placed, right = placed + where.matched, right + where.right
        p_n, f_n = quality.style_failures(run.draft.statements)
        person, filler = person + p_n, filler + f_n
    n = len(rows)
    return BenchResult(
        n=n,
        rouge={t: 100 * s / n for t, s in sums.items()},
        cpu_ms=cpu,
        parse_ms=parse,
        draft_ms=draft,
        verify_ms=verify,
        wall_ms=wall,
        statements=n_st / n,
        supported=n_sup / max(1, n_st),
        placed=placed,
        placed_right=right,
        first_second_person=person,
        filler=filler,
    )


def _table(res: BenchResult, name: str, sections: str) -> str:
    r = res.rouge
    lines = [
        f"{'system':<50} {'split':<22} {'R-1':>6} {'R-2':>6} {'R-L':>6} {'R-Lsum':>7}",
        f"{'evident offline (sections=' + sections + ')':<50} {name:<22} "
        f"{r['rouge1']:6.2f} {r['rouge2']:6.2f} {r['rougeL']:6.2f} {r['rougeLsum']:7.2f}",
    ]
    for system, split, r1, r2, rl in PUBLISHED:
        lines.append(
            f"{'published: ' + system:<50} {split:<22} {r1:6.2f} {r2:6.2f} {rl:6.2f} {'':>7}"
        )
    lines.append("")
    lines.append(
        f"encounters {res.n}; statements/note {res.statements:.1f}; "
        f"verified supported {100 * res.supported:.1f}%"
    )
    total = max(1, round(res.statements * res.n))
    lines.append(
        f"section placement: {res.placed_right} of {res.placed} statements matched to a "
        f"reference sentence sit in the same part of the note "
        f"({100 * res.placed_right / max(1, res.placed):.1f}%)"
    )
    lines.append(
        f"style: {res.first_second_person} statements in the first/second person "
        f"({100 * res.first_second_person / total:.1f}%), {res.filler} with filler "
        f"({100 * res.filler / total:.1f}%); goal 0"
    )
    lines.append(
        f"CPU ms/encounter (parse+draft+verify): median {statistics.median(res.cpu_ms):.1f}, "
        f"p95 {_pct(res.cpu_ms, 0.95):.1f}; wall median {statistics.median(res.wall_ms):.1f}"
    )
    med = statistics.median
    lines.append(
        f"stage medians: parse {med(res.parse_ms):.1f} ms CPU; "
        f"draft {med(res.draft_ms):.1f} ms wall; verify {med(res.verify_ms):.1f} ms wall"
    )
    return "\n".join(lines)


def register(root: click.Group) -> None:
    """Add ``evident bench scribe``."""
    from evident.cli.main import bench_group

    @bench_group.command("scribe")
    @click.option(
        "--data",
        "data",
        required=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="ACI-Bench CSV (dataset, encounter_id, dialogue, note).",
    )
    @click.option("--limit", type=click.IntRange(min=1), default=None, help="First N encounters.")
    @click.option(
        "--sections",
        default="aci",
        show_default=True,
        help="Section set of the offline note: aci, soap, apso or a comma-separated list.",
    )
    def bench_scribe(data: Path, limit: int | None, sections: str) -> None:
        """ROUGE-1/2/L of the offline scribe against reference notes, and CPU time."""
        res = run_bench(data, limit, sections)
        click.echo(_table(res, data.name, sections))

    @bench_group.command("scribe-placement")
    @click.option(
        "--data",
        "data",
        required=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="ACI-Bench CSV to learn from (train only).",
    )
    @click.option(
        "--out",
        required=True,
        type=click.Path(path_type=Path, dir_okay=False),
        help="Where to write the model (the shipped one: "
        "src/evident/tasks/scribe/resources/placement.json).",
    )
    @click.option("--min-count", type=click.IntRange(min=1), default=3, show_default=True)
    def bench_scribe_placement(data: Path, out: Path, min_count: int) -> None:
        """Learn the offline scribe's section placement from reference notes."""
        import json

        from evident.tasks.scribe.placement import examples, train_model

        rows = _rows(data, None)
        pairs = [(r["dialogue"], r["note"]) for r in rows]
        model = train_model(examples(pairs), min_count)
        out.write_text(json.dumps(model.to_json(), sort_keys=True) + "\n", encoding="utf-8")
        n = sum(model.prior.values())
        click.echo(f"placement model from {len(rows)} encounters, {n} sentences -> {out}")

    _ = root  # discovered through the root; the command lives under "bench"
