"""``evident synth``: differentially private synthetic tables and their evaluation."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from evident.synthetic.table import Synthesizer, TargetModel

__all__ = ["register"]

_CSV = click.Path(exists=True, dir_okay=False, path_type=Path)


class _OutPath(click.Path):
    """A file to write, refused before any work when its folder does not exist."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        path = super().convert(value, param, ctx)
        if not Path(os.fsdecode(path)).parent.is_dir():
            self.fail(f"the folder of '{value}' does not exist", param, ctx)
        return path


_OUT = _OutPath(dir_okay=False, path_type=Path)


_DELIMITERS = ",;\t|"


def _read_csv(path: Path) -> Any:
    """A CSV file as text columns, its delimiter (``,;`` tab ``|``) read from the header.

    Raises:
        InputError: Unreadable, a column name twice, or no rows; names the file or the
            column, never a value.
    """
    import csv

    import pandas as pd

    from evident.errors import InputError

    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            line = handle.readline()
        sep = max(_DELIMITERS, key=line.count) if any(d in line for d in _DELIMITERS) else ","
        names = next(csv.reader([line], delimiter=sep), [])
        # Everything as text: no value is reinterpreted; "?" or "NA" stay categories.
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=sep)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, csv.Error) as exc:
        raise InputError(f"cannot read '{path.name}' as CSV ({type(exc).__name__})") from None
    except pd.errors.EmptyDataError:
        raise InputError(f"'{path.name}' is empty") from None
    twice = [n for i, n in enumerate(names) if n in names[:i]]
    if twice:
        raise InputError(f"column '{twice[0]}' appears twice in '{path.name}'")
    if frame.empty:
        raise InputError(f"'{path.name}' has no rows")
    return frame


@click.group("synth")
def synth_group() -> None:
    """Differentially private synthetic data (smartnoise-synth), judged by SDMetrics."""


@synth_group.command("spec")
@click.argument("input_csv", type=_CSV)
@click.option("--out", "out", type=_OUT, required=True, help="Where to write the YAML spec.")
def spec_cmd(input_csv: Path, out: Path) -> None:
    """Draft a column spec from INPUT_CSV for its curator to review before synthesis."""
    import yaml

    from evident.synthetic import draft_spec

    spec = draft_spec(_read_csv(input_csv))
    head = (
        "# Drafted from the data by 'evident synth spec'. Categories and bounds below were\n"
        "# read from the file: they are public only once you have checked them (code\n"
        "# lists, clinical ranges). Identifier columns are dropped.\n"
    )
    out.write_text(head + yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), "utf-8")
    kinds: dict[str, int] = {}
    for col in spec["columns"].values():
        kinds[col["type"]] = kinds.get(col["type"], 0) + 1
    click.echo(", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) + f" -> {out}", err=True)


@synth_group.command("split")
@click.argument("input_csv", type=_CSV)
@click.option("--by", default=None, help="Group column kept whole on one side (patients).")
@click.option(
    "--holdout",
    "share",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=0.2,
    show_default=True,
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--train-out", type=_OUT, required=True)
@click.option("--holdout-out", type=_OUT, required=True)
def split_cmd(
    input_csv: Path, by: str | None, share: float, seed: int, train_out: Path, holdout_out: Path
) -> None:
    """Split INPUT_CSV into a training part and a holdout, by patient when --by is given."""
    from evident.synthetic.evaluate import split_holdout

    train, hold = split_holdout(_read_csv(input_csv), by, share, seed)
    train.to_csv(train_out, index=False)
    hold.to_csv(holdout_out, index=False)
    click.echo(
        f"{len(train)} training rows -> {train_out}; {len(hold)} holdout rows -> {holdout_out}",
        err=True,
    )


def _target_model(name: str) -> TargetModel:
    return "logistic" if name == "logistic" else "bayes" if name == "bayes" else "none"


@synth_group.command("table")
@click.argument("input_csv", type=_CSV)
@click.option("--epsilon", type=click.FloatRange(0, 100, min_open=True), required=True)
@click.option(
    "--delta",
    type=click.FloatRange(0, 1, min_open=True, max_open=True),
    default=None,
    help="[default: 1/(n·√n)]",
)
@click.option(
    "--rows",
    type=click.IntRange(1, 10_000_000),
    default=None,
    help="[default: as many as the input]",
)
@click.option(
    "--synthesizer", type=click.Choice(["mst", "aim", "mwem"]), default="mst", show_default=True
)
@click.option(
    "--columns",
    "spec_path",
    type=_CSV,
    default=None,
    help="Column spec (YAML/JSON; 'evident synth spec' drafts one).",
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--target",
    default=None,
    help="A column models will predict (MST): drawn from a DP model of it (--target-model), "
    "or measured with every other column, within the same budget.",
)
@click.option(
    "--target-model",
    type=click.Choice(["bayes", "logistic", "none"]),
    default="bayes",
    show_default=True,
    help="With --target: 'bayes' draws each row's target from DP naive Bayes on a few "
    "MST-synthesised columns chosen privately, 'logistic' from a DP logistic regression on "
    "them; 'none' makes it one more MST column (see --structure).",
)
@click.option(
    "--target-share",
    type=float,
    default=0.5,
    show_default=True,
    help="With --target-model logistic or bayes: the part of the budget (zCDP rho) the "
    "model spends.",
)
@click.option(
    "--target-c",
    type=float,
    default=0.001,
    show_default=True,
    help="With --target-model logistic: inverse regularisation (public; more fits closer and "
    "costs more noise; the default suits tens of thousands of rows).",
)
@click.option(
    "--structure",
    type=click.Choice(["pairs", "tan"]),
    default="pairs",
    show_default=True,
    help="With --target-model none: 'pairs' measures MST's tree and the target's pairs "
    "(weighted twice); "
    "'tan' a tree among the predictors chosen given the target, as 3-way marginals with it.",
)
@click.option("--out", "out", type=_OUT, required=True)
@click.option(
    "--report", "report", type=_OUT, default=None, help="Write the spent budget here (JSON)."
)
@click.option(
    "--audit/--no-audit",
    default=True,
    show_default=True,
    help="Record the budget in the audit trail.",
)
def table_cmd(
    input_csv: Path,
    epsilon: float,
    delta: float | None,
    rows: int | None,
    synthesizer: str,
    spec_path: Path | None,
    seed: int,
    target: str | None,
    structure: str,
    target_model: str,
    target_share: float,
    target_c: float,
    out: Path,
    report: Path | None,
    audit: bool,
) -> None:
    """Synthesise INPUT_CSV with ε-differential privacy; write OUT with the same columns.

    Identifier columns are dropped. Without --columns, every column must be categorical
    with its categories treated as public; numeric columns need declared bounds.
    """
    from evident.errors import InputError
    from evident.synthetic import load_spec, synthesize
    from evident.synthetic.record import budget_run, file_digest
    from evident.synthetic.spec import NUMERIC_TYPES, TableSpec, draft_spec

    frame = _read_csv(input_csv)
    if spec_path is not None:
        spec = load_spec(spec_path)
    else:
        drafted = draft_spec(frame)
        numeric = [n for n, c in drafted["columns"].items() if c["type"] in NUMERIC_TYPES]
        if numeric:
            raise InputError(
                f"column '{numeric[0]}' is numeric or a date: its bounds must be declared, "
                "not read from the data (write a spec with 'evident synth spec' and pass "
                "--columns)"
            )
        spec = TableSpec.model_validate(drafted)
    if synthesizer == "mwem":  # refused before anything is announced
        from evident.synthetic.table import check_mwem

        check_mwem(spec)
    click.echo(
        f"synthesising {len(frame)} rows with {synthesizer.upper()} at ε={epsilon:g}...", err=True
    )
    mechanism: Synthesizer = (
        "aim" if synthesizer == "aim" else "mwem" if synthesizer == "mwem" else "mst"
    )
    table, budget = synthesize(
        frame,
        spec,
        epsilon=epsilon,
        delta=delta,
        rows=rows,
        synthesizer=mechanism,
        seed=seed,
        target=target,
        structure="tan" if structure == "tan" else "pairs",
        target_model=_target_model(target_model),
        target_share=target_share,
        target_c=target_c,
    )

    table.to_csv(out, index=False)
    spent = budget.as_dict()
    if report is not None:
        report.write_text(json.dumps({"privacy_budget": spent}, indent=2) + "\n", "utf-8")
    if audit:
        from evident.pipeline import default_audit

        default_audit().record_run(budget_run(budget, file_digest(input_csv), seed))
    click.echo(
        f"{budget.rows_out} rows -> {out}; spent ε={budget.epsilon:g}, δ={budget.delta:.2g} "
        f"({budget.mechanism}, preprocessing {budget.preprocessing_share:.0%}); "
        f"{_dropped(budget.identifiers_dropped, 'identifier')}"
        f"{', ' + _dropped(budget.columns_dropped, 'other') if budget.columns_dropped else ''}; "
        f"{budget.seconds:.0f} s",
        err=True,
    )


def _dropped(names: tuple[str, ...], what: str) -> str:
    """'1 identifier column dropped (mrn)': the names are the input's headers, not data."""
    listed = f" ({', '.join(names)})" if names else ""
    return f"{len(names)} {what} column{'' if len(names) == 1 else 's'} dropped{listed}"


@synth_group.command("report")
@click.option("--real", "real_path", type=_CSV, required=True)
@click.option("--synthetic", "syn_path", type=_CSV, required=True)
@click.option(
    "--holdout", "hold_path", type=_CSV, default=None, help="Real rows the synthesizer never saw."
)
@click.option("--target", default=None, help="Binary target column for utility.")
@click.option(
    "--positive", default=None, help="The target's positive value [default: its most common]."
)
@click.option("--columns", "spec_path", type=_CSV, default=None, help="The column spec used.")
@click.option("--sample", type=click.IntRange(100, 1_000_000), default=5000, show_default=True)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "html"]),
    default="text",
    show_default=True,
)
@click.option("--out", "out", type=_OUT, default=None, help="Write the report here.")
def report_cmd(
    real_path: Path,
    syn_path: Path,
    hold_path: Path | None,
    target: str | None,
    positive: str | None,
    spec_path: Path | None,
    sample: int,
    seed: int,
    fmt: str,
    out: Path | None,
) -> None:
    """Fidelity, utility and privacy of a synthetic table against the real one."""
    from evident.synthetic import load_spec
    from evident.synthetic.evaluate import evaluate
    from evident.synthetic.render import render_html, render_json, render_text

    spec = load_spec(spec_path) if spec_path else None
    hold = _read_csv(hold_path) if hold_path else None
    click.echo("evaluating (SDMetrics quality, TSTR, distance to closest record)...", err=True)
    result = evaluate(
        _read_csv(real_path), _read_csv(syn_path), hold, target=target, positive=positive,
        spec=spec, sample=sample, seed=seed,
    )  # fmt: skip
    if fmt == "json":
        text = render_json(result)
    elif fmt == "html":
        text = render_html(result)
    else:
        text = render_text(result)
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")


@synth_group.command("fhir")
@click.argument("bundles_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--epsilon", type=click.FloatRange(0, 100, min_open=True), required=True)
@click.option(
    "--synthesizer", type=click.Choice(["mst", "aim", "mwem"]), default="mst", show_default=True
)
@click.option(
    "--rows",
    type=click.IntRange(1, 1_000_000),
    default=None,
    help="[default: as many patients as the input]",
)
@click.option(
    "--as-of",
    "as_of",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="Date ages are computed at [default: today].",
)
@click.option(
    "--conditions",
    default=None,
    metavar="A,B",
    help="Condition flags to keep [default: all declared].",
)
@click.option(
    "--medications", default=None, metavar="A,B", help="Medication flags to keep [default: all]."
)
@click.option(
    "--observations", default=None, metavar="A,B", help="Observations to keep [default: all]."
)
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True)
@click.option(
    "--report", "report", type=_OUT, default=None, help="Write the spent budget here (JSON)."
)
@click.option("--audit/--no-audit", default=True, show_default=True)
def fhir_cmd(
    bundles_dir: Path,
    epsilon: float,
    synthesizer: str,
    rows: int | None,
    as_of: Any,
    conditions: str | None,
    medications: str | None,
    observations: str | None,
    seed: int,
    out: Path,
    report: Path | None,
    audit: bool,
) -> None:
    """Synthesise patients from FHIR bundles; write one valid R4B Bundle per patient.

    The patient-level table (gender, age band, condition and medication flags, latest
    common observations) and its public domains are declared in the package's
    resources/fhir_table.yaml, never read from the records.
    """
    from datetime import date

    from evident.synthetic import synthesize
    from evident.synthetic.fhir import load_bundles, patient_table, table_spec, to_bundle
    from evident.synthetic.record import budget_run

    day = as_of.date() if as_of is not None else date.today()
    chosen = {"conditions": conditions, "medications": medications, "observations": observations}
    keep = {k: tuple(x.strip() for x in v.split(",") if x.strip()) for k, v in chosen.items() if v}
    spec = table_spec(keep)
    table = patient_table(load_bundles(bundles_dir), day)
    mechanism: Synthesizer = (
        "aim" if synthesizer == "aim" else "mwem" if synthesizer == "mwem" else "mst"
    )
    click.echo(
        f"synthesising {len(table)} patients with {mechanism.upper()} at ε={epsilon:g}...", err=True
    )
    synthetic, budget = synthesize(
        table, spec, epsilon=epsilon, rows=rows, synthesizer=mechanism, seed=seed
    )
    bundles = [to_bundle(row, i, day) for i, row in enumerate(synthetic.to_dict("records"))]
    out.mkdir(parents=True, exist_ok=True)
    for bundle in bundles:  # written only once every bundle validated
        (out / f"{bundle['id']}.json").write_text(json.dumps(bundle, indent=1) + "\n", "utf-8")
    if report is not None:
        report.write_text(
            json.dumps({"privacy_budget": budget.as_dict()}, indent=2) + "\n", "utf-8"
        )
    if audit:
        from evident.pipeline import default_audit

        default_audit().record_run(budget_run(budget, "", seed))
    click.echo(
        f"{len(synthetic)} synthetic patients -> {out}/ (spent ε={budget.epsilon:g})", err=True
    )


def register(root: click.Group) -> None:
    """Add ``evident synth``."""
    root.add_command(synth_group)
