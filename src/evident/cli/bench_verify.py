"""``evident bench verify``: perturbation detection and real model notes."""

from __future__ import annotations

import random
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evident.errors import InputError

if TYPE_CHECKING:
    from evident.types import Verdict
    from evident.verify.bench import VerifyOptions

__all__ = ["hand_check_sample", "register"]

# (encounter id, statement text, verdict, source)
_Row = tuple[str, str, "Verdict", Any]


@click.command("verify")
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="ACI-Bench CSV (dialogue, note) or MTS-Dialog CSV (dialogue, section_text).",
)
@click.option(
    "--predictions",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="ACI-Bench predictions CSV (Dialogues, note): flag real model notes.",
)
@click.option("--kind", type=click.Choice(["auto", "aci", "mts"]), default="auto")
@click.option("--limit", type=int, default=None, help="Use only the first N encounters.")
@click.option(
    "--per-kind",
    type=int,
    default=2,
    show_default=True,
    help="Perturbations per type per encounter.",
)
@click.option("--seed", type=int, default=13, show_default=True)
@click.option(
    "--examples",
    type=int,
    default=3,
    show_default=True,
    help="Missed perturbations to print per type.",
)
@click.option(
    "--sample",
    type=int,
    default=20,
    show_default=True,
    help="Flags and passes to print for hand-checking (--predictions).",
)
@click.option(
    "--sample-out",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the hand-check sample (development-half encounters only) to this CSV "
    "instead of printing it (--predictions).",
)
@click.option(
    "--embeddings",
    is_flag=True,
    help="Verify with dense retrieval too (needs the 'embeddings' extra; slower).",
)
@click.option(
    "--support-threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    help="The entailer's score cutoff [default: the entailer's own, 0.4] (lower: fewer "
    "flags, more misses).",
)
@click.option(
    "--entailer",
    default=None,
    metavar="SPEC",
    help="Entailer spec [default: support] (lexical, llm:<model spec>, a plugin name).",
)
def bench_verify(
    data: Path | None,
    predictions: Path | None,
    kind: str,
    limit: int | None,
    per_kind: int,
    seed: int,
    examples: int,
    sample: int,
    sample_out: Path | None,
    embeddings: bool,
    support_threshold: float | None,
    entailer: str | None,
) -> None:
    """Detection rate per perturbation type, false flags, and CPU ms per encounter."""
    if (data is None) == (predictions is None):
        raise InputError("give exactly one of --data FILE or --predictions FILE")
    if embeddings:
        from evident.verify.embed import load_encoder

        load_encoder()  # a missing extra fails here, in one line, before any work
    from evident.verify.bench import VerifyOptions

    options = VerifyOptions(embeddings, support_threshold, entailer)
    if data is not None:
        _perturbation_table(data, kind, limit, per_kind, seed, examples, options)
    else:
        assert predictions is not None  # for mypy; enforced above
        _predictions_table(predictions, limit, seed, sample, options, sample_out)


def _perturbation_table(
    data: Path,
    kind: str,
    limit: int | None,
    per_kind: int,
    seed: int,
    examples: int,
    options: VerifyOptions,
) -> None:
    from tqdm import tqdm

    from evident.verify.bench import load_encounters, median, run_perturbations

    encounters = load_encounters(data, "mts" if kind == "mts" else "auto", limit)
    res = None
    for _, res in tqdm(  # noqa: B007 (the last yield is the result)
        run_perturbations(encounters, per_kind, seed, options),
        total=len(encounters),
        desc="verify bench",
        file=None,
        disable=None,
    ):
        pass
    if res is None:
        raise InputError(f"'{data.name}' has no usable encounters")
    click.echo(
        f"data: {data.name}  encounters: {res.encounters}  seed: {seed}  "
        f"verify: {options.describe()}"
    )
    click.echo(f"{'perturbation':<14}{'n':>6}{'detected':>10}{'contradicted':>14}")
    for k, results in res.per_kind.items():
        n = len(results)
        det = sum(lbl != "supported" for lbl, _ in results)
        con = sum(lbl == "contradicted" for lbl, _ in results)
        click.echo(f"{k:<14}{n:>6}{_pct(det, n):>10}{_pct(con, n):>14}")
    s = res.sentences
    click.echo(
        f"unperturbed clinical sentences: {s}  contradicted {_pct(res.contradicted, s)}  "
        f"unsupported {_pct(res.unsupported, s)}"
    )
    click.echo(f"median CPU ms per encounter (full verify, cold cache): {median(res.cpu_ms):.1f}")
    for k, ex in res.examples.items():
        for _, text, reason in ex[:examples]:
            click.echo(f"  missed {k}: {text[:140]} [{reason}]")


def _pct(a: int, n: int) -> str:
    return f"{100 * a / n:.1f}%" if n else "-"


def hand_check_sample(rows: list[_Row], seed: int, n: int) -> tuple[list[_Row], list[_Row]]:
    """Up to ``n`` flagged and ``n`` supported rows for hand-checking.

    One order over all statements is drawn before the labels are looked at: a rule
    change that flips one verdict moves that statement in or out of a sample, not the
    others, so two versions' samples can be compared line by line.
    """
    order = list(range(len(rows)))
    random.Random(seed).shuffle(order)
    ordered = [rows[i] for i in order]
    flags = [r for r in ordered if r[2].label in {"unsupported", "contradicted"}][:n]
    passes = [r for r in ordered if r[2].label == "supported"][:n]
    return flags, passes


def _predictions_table(
    path: Path,
    limit: int | None,
    seed: int,
    sample: int,
    options: VerifyOptions,
    sample_out: Path | None = None,
) -> None:
    from tqdm import tqdm

    from evident.verify.bench import load_encounters, median, parse, timed_verify

    encounters = load_encounters(path, "auto", limit)
    rows: list[_Row] = []
    ms = []
    counts: dict[str, int] = {}
    for enc in tqdm(encounters, desc="verify predictions", disable=None):
        src, draft = parse(enc)
        report, cpu = timed_verify(draft, src, options)
        ms.append(cpu)
        for st in draft.statements:
            v = report.verdict(st.id)
            if v is None:
                continue
            counts[v.label] = counts.get(v.label, 0) + 1
            rows.append((enc.id, st.text, v, src))
    total = sum(counts.values())
    click.echo(
        f"predictions: {path.name}  encounters: {len(encounters)}  statements: {total}"
        f"  verify: {options.describe()}"
    )
    for label in ("supported", "unsupported", "contradicted", "no_clinical_content"):
        click.echo(f"  {label:<20}{counts.get(label, 0):>6}  {_pct(counts.get(label, 0), total)}")
    click.echo(f"median CPU ms per encounter: {median(ms):.1f}")
    if sample_out is not None:
        _write_sample(rows, seed, sample, sample_out)
        return
    flags, passes = hand_check_sample(rows, seed, sample)
    for title, picked in (("FLAGS", flags), ("PASSES", passes)):
        click.echo(f"\n=== sample of {len(picked)} {title} (seed {seed}) ===")
        for i, (eid, text, v, src) in enumerate(picked, 1):
            click.echo(f"[{i}] {eid} {v.label} {v.score:.2f}: {text}")
            click.echo(f"     reason: {v.reason}")
            for sid in v.evidence[:2]:
                seg = src.segment(sid)
                if seg is not None:
                    click.echo(f"     {sid}: {seg.text[:200]}")


def _write_sample(rows: list[_Row], seed: int, n: int, out: Path) -> None:
    """Write ``n`` flags and ``n`` passes of development-half encounters to a CSV with an
    empty ``judgement`` column for the person checking them."""
    import csv

    from evident.errorgen import half

    dev = [r for r in rows if half(r[0]) == "dev"]
    flags, passes = hand_check_sample(dev, seed, n)
    try:
        with out.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(
                [
                    "n",
                    "sample",
                    "encounter",
                    "verdict",
                    "score",
                    "statement",
                    "reason",
                    "evidence",
                    "judgement",
                ]
            )
            for title, picked in (("flag", flags), ("pass", passes)):
                for i, (eid, text, v, src) in enumerate(picked, 1):
                    segs = [src.segment(sid) for sid in v.evidence[:2]]
                    ev = " | ".join(f"{s.id}: {s.text[:300]}" for s in segs if s is not None)
                    w.writerow([i, title, eid, v.label, f"{v.score:.2f}", text, v.reason, ev, ""])
    except OSError as exc:
        raise InputError(f"cannot write '{out.name}': {type(exc).__name__}") from None
    click.echo(
        f"wrote {len(flags)} flags and {len(passes)} passes of {len({r[0] for r in dev})} "
        f"development-half encounters (seed {seed}) to {out.name}"
    )


def register(root: click.Group) -> None:
    """Add ``evident bench verify``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_verify)
