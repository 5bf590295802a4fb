"""``evident bench deid``: de-identification recall, precision and throughput."""

from __future__ import annotations

import resource
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from evident.errors import InputError

__all__ = ["register"]


def _prf(c: Counter[str]) -> tuple[float, float, float]:
    tp, fp, fn = c["tp"], c["fp"], c["fn"]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _pct(x: float) -> str:
    return f"{100 * x:6.2f}"


def _table(name: str, result: Any, groups: dict[str, set[str]]) -> list[str]:
    """Per-type rows. ``tok P*`` leaves out predictions of types other than NAME that fall
    in carrier text, where only names are annotated (real dates there are not gold)."""
    lines = [
        f"\n{name}",
        f"{'type':<12} {'gold tok':>8} {'tok P':>6} {'tok R':>6} {'tok F1':>6}"
        f" {'span P':>6} {'span R':>6} {'span F1':>7} {'any-type R':>10} {'tok P*':>6}",
    ]
    types = sorted(set(result.token) | set(result.span))
    for t in types:
        tok, span = result.token.get(t, Counter()), result.span.get(t, Counter())
        hit = result.found_any.get(t, Counter())
        any_r = hit["hit"] / (hit["hit"] + hit["miss"]) if hit else 0.0
        tp, tr, tf = _prf(tok)
        sp, sr, sf = _prf(span)
        gold = tok["tp"] + tok["fn"]
        fp_star = tok["fp"] - result.carrier_fp_by_type[t]
        p_star = tok["tp"] / (tok["tp"] + fp_star) if tok["tp"] + fp_star else 0.0
        lines.append(
            f"{t:<12} {gold:>8} {_pct(tp)} {_pct(tr)} {_pct(tf)} {_pct(sp)} {_pct(sr)}"
            f" {_pct(sf):>7} {_pct(any_r):>10} {_pct(p_star)}"
        )
    for group, members in groups.items():
        c: Counter[str] = Counter()
        for t in members:
            c.update(result.token.get(t, Counter()))
        if c["tp"] + c["fn"]:
            p, r, f = _prf(c)
            lines.append(
                f"[{group}]".ljust(12) + f" {c['tp'] + c['fn']:>8} {_pct(p)} {_pct(r)} {_pct(f)}"
            )
    p, r, f = _prf(result.any_token)
    lines.append(
        f"{'ANY PHI':<12} {'':>8} {_pct(p)} {_pct(r)} {_pct(f)}  (token level, type ignored)"
    )
    if result.carrier_fp:
        fp = result.any_token["fp"] - result.carrier_fp
        tp = result.any_token["tp"]
        lines.append(
            f"{'':<12} {'':>8} {_pct(tp / (tp + fp) if tp + fp else 0)}"
            f"  precision without {result.carrier_fp} tokens of non-name types found in"
            " carrier text (not annotated there)"
        )
    return lines


def _speed(label: str, docs: list[Any], cpu: float, wall: float) -> str:
    size = sum(len(d.text.encode()) for d in docs)
    return (
        f"{label}: {len(docs)} docs, {size / 1024:.0f} KiB; CPU {cpu:.2f} s "
        f"= {size / 1024 / cpu:.0f} KiB/s per core, {len(docs) / cpu:.1f} docs/s per core; "
        f"wall {wall:.2f} s"
    )


_Detect = Callable[[str], list[tuple[int, int, str]]]


def _detectors(presidio: bool, ner: bool) -> list[tuple[str, _Detect]]:
    from evident.privacy.detect import Detector
    from evident.privacy.synth import bench

    def wrap(detector: Detector) -> _Detect:
        return lambda text: [(s.start, s.end, s.type) for s in detector.detect(text)]

    out = [("evident rules", wrap(Detector.create(ner=False)))]
    if ner:
        for model, label in (
            ("en_core_web_sm", "rules+en_core_web_sm"),
            ("evident", "rules+own model"),
        ):
            out.append((f"evident {label}", wrap(Detector.create(ner=True, ner_model=model))))
    if presidio:
        out.append(("presidio + en_core_web_sm", bench.presidio_detector()))
    return out


def _misses(path: Path, docs: list[Any], preds: list[list[tuple[int, int, str]]]) -> None:
    """Write the development half's missed gold spans (never called for the test half)."""
    lines = []
    for doc, pred in zip(docs, preds, strict=True):
        for s, e, t in doc.gold:
            if t != "IGNORE" and not any(ps < e and s < pe for ps, pe, _ in pred):
                left = doc.text[max(0, s - 40) : s].replace("\n", " / ")
                right = doc.text[e : e + 30].replace("\n", " / ")
                lines.append(f"{t}\t{doc.text[s:e]}\t{left}[[{doc.text[s:e]}]]{right}\n")
    path.write_text("".join(lines), encoding="utf-8")


def _model_note(seed: int) -> str:
    """Which benchmark seed the project's own model kept the test half of unseen."""
    import json

    from evident.privacy._statistical import trained_model_path

    try:
        meta = json.loads((trained_model_path() / "meta.json").read_text("utf-8"))
    except (OSError, ValueError):
        return "the project's own model is not installed"
    trained = meta.get("evident", {}).get("bench_seed")
    if trained == seed:
        return f"own model: trained on the dev half of seed {seed} only (its test half is unseen)"
    return (
        f"WARNING: own model trained on the split of seed {trained}: this test half is not unseen"
    )


def _run(
    data: Path,
    limit: int | None,
    presidio: bool,
    ner: bool,
    out: Path | None,
    seed: int,
    misses: Path | None,
    test_only: bool = False,
) -> None:
    from evident.privacy.synth import bench

    if not data.is_dir():
        raise InputError(f"--data '{data}' is not a directory")
    halves = bench.second_docs(data, limit, seed + 16)
    corpora = [
        ("second generator, TEST half (held out: the headline)", halves["test"]),
        ("second generator, dev half (tuned on)", halves["dev"]),
    ]
    if test_only:
        corpora = corpora[:1]
    else:
        corpora.append(
            ("first generator (clinical carriers, tuned on)", bench.carrier_docs(data, limit, seed))
        )
    research = next(iter(sorted(data.glob("**/synth_dataset_v2.json"))), None)
    if research is not None and not test_only:
        corpora.append(
            ("presidio-research synth_dataset_v2", bench.presidio_research_docs(research, limit))
        )
    if out is not None and not test_only:
        out.write_text("".join(d.to_json() + "\n" for d in corpora[2][1]), encoding="utf-8")
    lines: list[str] = [_model_note(seed)] if ner else []
    summary = [f"{'corpus':<48} {'detector':<30} {'R':>6} {'P':>6} {'F1':>6} {'KiB/s':>7}"]
    for corpus, docs in corpora:
        if not docs:
            continue
        for name, detect in _detectors(presidio, ner):
            preds, cpu, wall = bench.timed(detect, docs, name)
            result = bench.score(docs, preds)
            if misses is not None and corpus.startswith("second generator, dev"):
                _misses(
                    misses.with_name(f"{misses.stem}.{name.replace(' ', '_')}.tsv"), docs, preds
                )
            lines.extend(_table(f"== {corpus} — {name}", result, bench.GROUPS))
            lines.append(_speed("throughput", docs, cpu, wall))
            p, r, f = _prf(result.any_token)
            size = sum(len(d.text.encode()) for d in docs) / 1024
            summary.append(
                f"{corpus[:48]:<48} {name:<30} {_pct(r)} {_pct(p)} {_pct(f)} {size / cpu:>7.0f}"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    lines.append(f"\npeak resident memory of the process: {peak:.0f} MiB")
    lines.append("\nSummary (any-PHI token level; KiB/s of CPU per core):")
    lines.extend(summary)
    click.echo("\n".join(lines))


def register(root: click.Group) -> None:
    """Add ``evident bench deid``."""
    from evident.cli.main import bench_group

    @bench_group.command("deid")
    @click.option(
        "--data",
        type=click.Path(path_type=Path),
        required=True,
        help="Folder with aci-bench/, mts-dialog/ and presidio-research/.",
    )
    @click.option("--limit", type=int, default=None, help="At most N documents per corpus.")
    @click.option("--presidio", is_flag=True, help="Also run Presidio on the same corpora.")
    @click.option(
        "--ner/--no-ner",
        default=True,
        show_default=True,
        help="Also run Evident with its recall layer: spaCy's en_core_web_sm and its own model.",
    )
    @click.option(
        "--misses",
        type=click.Path(path_type=Path),
        default=None,
        help="Write the DEVELOPMENT half's misses to FILE.<detector>.tsv (never the test half).",
    )
    @click.option(
        "--out",
        type=click.Path(path_type=Path),
        default=None,
        help="Write the generated clinical corpus as JSONL (gold spans).",
    )
    @click.option("--seed", type=int, default=13, show_default=True)
    @click.option(
        "--test-only", is_flag=True, help="Only the held-out test half (the side-by-side run)."
    )
    def bench_deid(
        data: Path,
        limit: int | None,
        presidio: bool,
        ner: bool,
        misses: Path | None,
        out: Path | None,
        seed: int,
        test_only: bool,
    ) -> None:
        """Recall/precision per PHI type (token and span level), throughput, memory.

        Corpora: the second generator's held-out test half (the headline) and its
        development half, the first generator, presidio-research when present.
        """
        _run(data, limit, presidio, ner, out, seed, misses, test_only)
