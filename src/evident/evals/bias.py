"""Counterfactual bias probes: answer-flip rate and accuracy gap per attribute.

For every vignette and attribute the exclusion rule allows (see
:mod:`evident.evals.bias_rules`), one variant per attribute value is written, changing
only that attribute; all variants are run through the same cached runner. Per attribute:

- **answer-flip rate**: share of probed vignettes whose answers are not identical across
  the variants (an unparsed answer counts as an answer of its own), Wilson 95% CI;
- **accuracy gap**: accuracy of each value minus that of the reference value (the first
  in the rules file), Newcombe hybrid-score 95% CI. The variants share vignettes, so
  this interval (for independent samples) is conservative.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evident.evals.bias_rules import ATTRIBUTES, attribute, probe_status, rewrite
from evident.evals.items import EvalItem
from evident.evals.records import ItemRecord, run_slug
from evident.evals.runner import model_name, run_benchmark
from evident.evals.stats import newcombe_diff, wilson
from evident.models.base import Backend

__all__ = ["analyse_bias", "make_variants", "run_bias"]

_SEP = "~"


def make_variants(
    items: Sequence[EvalItem], attributes: Sequence[str] = ATTRIBUTES
) -> tuple[list[EvalItem], dict[str, Counter[str]]]:
    """Write the counterfactual variants of each item.

    Returns:
        (variants, skipped): variant ids are ``<item id>~<attribute>=<value>``; skipped
        counts, per attribute, why vignettes were not probed.
    """
    variants: list[EvalItem] = []
    skipped: dict[str, Counter[str]] = {a: Counter() for a in attributes}
    for item in items:
        if item.kind != "mcq":
            continue
        for name in attributes:
            status = probe_status(name, item.question, tuple(item.options.values()))
            if not status.ok:
                skipped[name][status.reason] += 1
                continue
            for value in attribute(name).values:
                text = rewrite(name, item.question, value)
                variants.append(
                    item.with_question(
                        text,
                        f"{item.id}{_SEP}{name}={value}",
                        base_id=item.id,
                        attribute=name,
                        value=value,
                    )
                )
    return variants, skipped


def _attribute_summary(
    name: str, vignettes: dict[str, dict[str, ItemRecord]], skipped: Counter[str]
) -> dict[str, Any]:
    rule = attribute(name)
    n = len(vignettes)
    ref = rule.values[0]
    flips = sum(len({r.parsed for r in v.values()}) > 1 for v in vignettes.values())
    correct = {val: sum(v[val].correct for v in vignettes.values()) for val in rule.values}
    return {
        "attribute": name,
        "description": rule.description,
        "reference": ref,
        "n": n,
        "excluded": sum(c for r, c in skipped.items() if r.startswith("excluded")),
        "not_applicable": sum(c for r, c in skipped.items() if r.startswith("not applicable")),
        "skip_reasons": dict(skipped.most_common()),
        "flips": flips,
        "flip_rate": flips / n if n else 0.0,
        "flip_ci": list(wilson(flips, n)),
        "accuracy": [
            {"value": val, "n": n, "accuracy": c / n if n else 0.0, "ci": list(wilson(c, n))}
            for val, c in correct.items()
        ],
        "gaps": [
            {
                "value": val,
                "gap": (c - correct[ref]) / n if n else 0.0,
                "ci": list(newcombe_diff(c, n, correct[ref], n)),
            }
            for val, c in correct.items()
            if val != ref
        ],
    }


def analyse_bias(
    records: Sequence[ItemRecord], skipped: dict[str, Counter[str]]
) -> list[dict[str, Any]]:
    """Flip rate and accuracy gaps per attribute from the variants' records.

    Only vignettes with a record for every value of the attribute are counted.
    """
    by_attr: dict[str, dict[str, dict[str, ItemRecord]]] = defaultdict(lambda: defaultdict(dict))
    for rec in records:
        base, _, probe = rec.item_id.rpartition(_SEP)
        name, _, value = probe.partition("=")
        by_attr[name][base][value] = rec
    out = []
    for name in skipped:
        count = len(attribute(name).values)
        complete = {b: v for b, v in by_attr.get(name, {}).items() if len(v) == count}
        out.append(_attribute_summary(name, complete, skipped[name]))
    return out


def run_bias(
    items: Sequence[EvalItem],
    backend: Backend,
    *,
    mode: str,
    out_dir: Path,
    attributes: Sequence[str] = ATTRIBUTES,
    concurrency: int = 4,
    progress: bool = True,
) -> tuple[Path, dict[str, Any]]:
    """Run the probes and write ``bias.json`` beside the variants' records.

    Returns:
        (path of bias.json, its content).
    """
    for name in attributes:
        attribute(name)  # unknown names fail before any model call
    variants, skipped = make_variants(items, attributes)
    benchmark = items[0].benchmark if items else "none"
    model = model_name(backend)
    slug = "bias__" + run_slug(benchmark, mode, model)
    summary: dict[str, Any] = {
        "benchmark": benchmark,
        "model": model,
        "mode": mode,
        "vignettes": len(items),
        "variants": len(variants),
    }
    run_dir = Path(out_dir) / slug
    if variants:
        outcome = run_benchmark(
            variants,
            backend,
            mode=mode,
            out_dir=out_dir,
            concurrency=concurrency,
            progress=progress,
            slug=slug,
            results_name="variants.json",
        )
        summary["failed"] = list(outcome.failed)
        summary["attributes"] = analyse_bias(outcome.records, skipped)
    else:
        summary["failed"] = []
        summary["attributes"] = analyse_bias([], skipped)
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / "bias.json"
    path.write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return path, summary
