"""``evident bench verify-general``: errors from the general generator, held-out half.

Prints, for the test half (the headline; ``--half dev`` for the development half),
per-type detection for the decision table and each entailer alone side by side, the clean
false-flag rates, a dialogue-blind baseline trained on the development half, and
retrieval recall@k on the development half. ``--show-misses`` prints development-half
misses only and refuses on the test half.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evident.errors import InputError

if TYPE_CHECKING:
    from evident.verify.bench_general import Outcome
    from evident.verify.bench_retrieval import Recall

__all__ = ["BLIND_FLAG_RATE", "bench_verify_general", "register"]

# The blind baseline flags this share of the development half's clean sentences: the
# unsupported share the goals allow, so its detection reads against the same false flags.
BLIND_FLAG_RATE = 0.15


@click.command("verify-general")
@click.option(
    "--data",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="ACI-Bench CSV (dialogue, note), MTS-Dialog CSV (dialogue, section_text) or PubMedQA "
    "JSON (abstract as a written source, conclusion as the draft).",
)
@click.option("--kind", type=click.Choice(["auto", "aci", "mts"]), default="auto")
@click.option("--limit", type=int, default=None, help="Use only the first N encounters.")
@click.option(
    "--per-type",
    type=int,
    default=2,
    show_default=True,
    help="Items per type, family and encounter.",
)
@click.option("--seed", type=int, default=13, show_default=True)
@click.option(
    "--half",
    type=click.Choice(["test", "dev"]),
    default="test",
    show_default=True,
    help="Which half the detection table reports (test is held out).",
)
@click.option(
    "--entailer",
    "entailers",
    multiple=True,
    default=(),
    help="Entailer spec; repeat for several columns (support, lexical, llm:<backend "
    "spec>, ...) [default: the default entailer, support].",
)
@click.option(
    "--support-threshold",
    type=click.FloatRange(0.0, 1.0, min_open=True),
    default=None,
    help="Each entailer's score cutoff [default: each entailer's own, 0.4 for lexical "
    "and support].",
)
@click.option("--retrieval/--no-retrieval", default=True, help="Recall@k on the dev half.")
@click.option(
    "--substitution",
    is_flag=True,
    help="Add a column: the table with the substitution checker on (off by default).",
)
@click.option(
    "--without-antonyms",
    is_flag=True,
    help="Add a column: the table with the antonym checker off (on by default).",
)
@click.option(
    "--export-dev",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    default=None,
    help="Write the development half's statements (clean and perturbed, with type, family "
    "and the verifier's top evidence) as JSON lines, e.g. to train on one family and hold "
    "out the other. The test half is never written.",
)
@click.option(
    "--show-misses",
    type=int,
    default=0,
    help="Print up to N missed items per type (development half only).",
)
def bench_verify_general(
    data: Path,
    kind: str,
    limit: int | None,
    per_type: int,
    seed: int,
    half: str,
    entailers: tuple[str, ...],
    support_threshold: float | None,
    retrieval: bool,
    substitution: bool,
    without_antonyms: bool,
    export_dev: Path | None,
    show_misses: int,
) -> None:
    """Per-type detection of general errors, clean false flags, blind baseline, recall@k."""
    if show_misses and half != "dev":
        raise InputError("--show-misses prints development-half misses only: add --half dev")
    from tqdm import tqdm

    from evident.verify.bench import load_encounters
    from evident.verify.bench_general import Outcome, prepare, run, systems
    from evident.verify.bench_retrieval import Recall
    from evident.verify.options import DEFAULT_ENTAILER, VerifyOptions

    entailers = entailers or (DEFAULT_ENTAILER,)
    encounters = load_encounters(data, "mts" if kind == "mts" else "auto", limit)
    options = VerifyOptions(support_threshold=support_threshold)
    cols = systems(entailers, options, substitution=substitution, without_antonyms=without_antonyms)
    out, recall = Outcome(), Recall() if retrieval else None
    export: list[dict[str, Any]] | None = [] if export_dev is not None else None
    for _, prepared in tqdm(
        prepare(encounters, per_type, seed),
        total=len(encounters),
        desc="verify-general",
        disable=None,
    ):
        run(prepared, cols, out, recall, export)
    if not out.clean:
        raise InputError(f"'{data.name}' has no usable encounters")
    names = [c.name for c in cols]
    cutoff = "each entailer's own" if support_threshold is None else f"{support_threshold:g}"
    click.echo(
        f"data: {data.name}  encounters: {len(encounters)}  half: {half}"
        f"{' (held out)' if half == 'test' else ' (development)'}  seed: {seed}  "
        f"per type: {per_type}  threshold: {cutoff}"
    )
    _detection(out, names, half)
    if recall is not None:
        _recall(recall)
    if show_misses:
        _misses(out, names[0], show_misses)
    if export_dev is not None and export is not None:
        _write_jsonl(export_dev, export)


def _write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    import json

    try:
        with path.open("w", encoding="utf-8") as fh:
            for r in records:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    except OSError as exc:
        raise InputError(f"cannot write '{path.name}': {type(exc).__name__}") from None
    click.echo(f"wrote {len(records)} development-half statements to {path.name}")


def _pct(a: int, n: int) -> str:
    return f"{100 * a / n:.1f}%" if n else "-"


def _cell(results: list[str]) -> str:
    n = len(results)
    det = sum(r in {"unsupported", "contradicted"} for r in results)
    con = sum(r == "contradicted" for r in results)
    return f"{_pct(det, n)}/{_pct(con, n)} ({n})"


def _detection(out: Outcome, names: list[str], half: str) -> None:
    from evident.errorgen import FAMILIES, TYPES

    blind = _blind(out, half)
    width = 22
    click.echo("detected/contradicted (n): items whose original the column supports")
    click.echo(
        f"{'type':<18}"
        + "".join(f" {n:>{width - 1}}" for n in names)  # a long name stays apart
        + f"{'blind (dev-trained)':>{width}}"
    )
    rows = [(t, lambda it, t=t: it.type == t) for t in TYPES]
    rows += [(f"all {f}", lambda it, f=f: it.family == f) for f in FAMILIES]
    for label, keep in rows:
        cells = []
        for name in names:
            res = [
                lab[name]
                for it, h, lab, orig in out.items
                if h == half and keep(it) and (it.index < 0 or orig.get(name) == "supported")
            ]
            cells.append(_cell(res))
        flags = [
            b
            for (it, h, _, _), b in zip(out.items, blind[1], strict=True)
            if h == half and keep(it)
        ]
        cells.append(f"{_pct(sum(flags), len(flags))} ({len(flags)})")
        click.echo(f"{label:<18}" + "".join(f"{c:>{width}}" for c in cells))
    clean = [lab for _, h, _, lab in out.clean if h == half]
    for what in ("contradicted", "unsupported"):
        cells = [
            f"{_pct(sum(c[n] == what for c in clean), len(clean))} ({len(clean)})" for n in names
        ]
        cells.append(
            f"{_pct(sum(blind[0]), len(blind[0]))} flagged" if what == "unsupported" else "-"
        )
        click.echo(f"{'clean ' + what:<18}" + "".join(f"{c:>{width}}" for c in cells))


def _blind(out: Outcome, half: str) -> tuple[list[bool], list[bool]]:
    """The blind baseline, trained on the dev half and set to flag 15% of its clean
    sentences: its flags on ``half``'s clean sentences, and on every item (only
    ``half``'s are printed)."""
    from evident.errorgen.blind import BlindBaseline

    dev_clean = [t for _, h, t, _ in out.clean if h == "dev"]
    model = BlindBaseline().fit(
        dev_clean,
        (it.text for it, h, _, _ in out.items if h == "dev" and it.type != "answer_flip"),
    )
    model.calibrate(dev_clean, BLIND_FLAG_RATE)
    clean = model.predict([t for _, h, t, _ in out.clean if h == half])
    return clean, model.predict([it.text for it, _, _, _ in out.items])


def _recall(recall: Recall) -> None:
    from evident.errorgen import TYPES
    from evident.verify.bench_retrieval import KS

    click.echo("\nretrieval, development half: gold segment among the verifier's BM25 candidates")
    click.echo(
        f"{'statement':<18}{'n':>6}" + "".join(f"{'@' + str(k):>8}" for k in KS) + f"{'no gold':>9}"
    )
    for kind in ("clean", *TYPES):
        n = len(recall.ranks.get(kind, []))
        if not n and not recall.no_gold.get(kind):
            continue
        cells = [recall.at(kind, k) for k in KS]
        text = "".join(f"{'-' if c is None else f'{100 * c:.1f}%':>8}" for c in cells)
        click.echo(f"{kind:<18}{n:>6}{text}{recall.no_gold.get(kind, 0):>9}")


def _misses(out: Outcome, name: str, limit: int) -> None:
    """Development-half misses of one column (the caller refuses the test half)."""
    shown: dict[str, int] = {}
    click.echo(f"\nmisses of {name}, development half only")
    for it, h, lab, orig in out.items:
        if (
            h != "dev"
            or lab[name] != "supported"
            or (it.index >= 0 and orig.get(name) != "supported")
        ):
            continue
        if shown.get(it.type, 0) >= limit:
            continue
        shown[it.type] = shown.get(it.type, 0) + 1
        extra = f" [answer now: {it.segment_text[:80]}]" if it.segment else ""
        click.echo(f"  {it.type} ({it.family}, {it.direction}): {it.text[:160]}{extra}")


def register(root: click.Group) -> None:
    """Add ``evident bench verify-general``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_verify_general)
