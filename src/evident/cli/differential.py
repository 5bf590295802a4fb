"""``evident differential`` (a cited differential), ``evident train differential-table``,
``evident train differential-bridge`` and ``evident train differential-ranker``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from evident.errors import InputError

__all__ = ["register"]

_DEFAULT_TABLE = Path("src/evident/tasks/differential/resources/table.json.gz")
_MEDQUAD = click.option(
    "--medquad",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="MedQuAD JSONL (../shared/datasets/medquad/medquad_answered.jsonl).",
)


def _progress(desc: str):  # type: ignore[no-untyped-def]
    def wrap(iterable):  # type: ignore[no-untyped-def]
        if not sys.stderr.isatty():
            return iterable
        from tqdm import tqdm

        return tqdm(iterable, desc=desc, unit="answer", file=sys.stderr, leave=False)

    return wrap


@click.command("differential-table")
@_MEDQUAD
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=_DEFAULT_TABLE,
    show_default=True,
    help="Where to write the gzip JSON table.",
)
@click.option("--max-terms", type=click.IntRange(5, 200), default=40, show_default=True)
@click.option(
    "--cache",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep the parsed terms here; a rebuild from the same input skips parsing.",
)
@click.option(
    "--embed",
    is_flag=True,
    help="Also write the conditions' profile vectors beside the table (embeddings extra).",
)
def train_table_cmd(
    medquad: Path, out: Path, max_terms: int, cache: Path | None, embed: bool
) -> None:
    """Derive the disease-finding table the offline differential ships with."""
    from evident.tasks.differential.build import BuildOptions, build_table, write_table

    opts = BuildOptions(max_terms=max_terms)
    table = build_table(medquad, opts, _progress("medquad"), cache)
    size = write_table(table, out)
    click.echo(f"{len(table['conditions'])} conditions -> {out} ({size / 1e6:.2f} MB)")
    removed = table["removed_pages"]
    click.echo(
        f"pages not about a condition, left out: {removed['labelled']} labelled "
        f"(topics.json), {len(removed['judged'])} judged by the topic classifier"
    )
    if embed:
        from evident.tasks.differential.build import judge_figures
        from evident.tasks.differential.dense import VECTORS_FILE, write_vectors

        f = judge_figures(medquad)
        click.echo(
            f"topic classifier, {f['pages']} labelled pages it was not fitted on: removes "
            f"{f['not_conditions_removed']} of {f['not_conditions']} that are not conditions "
            f"and {f['conditions_removed']} of {f['conditions']} conditions"
        )
        from evident.tasks.differential.table import read_table

        vectors = out.parent / VECTORS_FILE
        vectors.write_bytes(write_vectors(read_table(out)))
        click.echo(f"profile vectors -> {vectors} ({vectors.stat().st_size / 1e6:.2f} MB)")


_DEFAULT_ADAPTER = Path("src/evident/tasks/differential/resources/bridge_adapter.npz")


@click.command("differential-bridge")
@_MEDQUAD
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=_DEFAULT_ADAPTER,
    show_default=True,
    help="Where to write the adapter (npz).",
)
@click.option(
    "--cache",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Keep the passages' encodings here; a refit from the same passages skips encoding.",
)
@click.option("--steps", type=click.IntRange(10, 5000), default=300, show_default=True)
def train_bridge_cmd(medquad: Path, out: Path, cache: Path | None, steps: int) -> None:
    """Learn the embeddings bridge's adapter from MedQuAD's symptom passages."""
    from evident.tasks.differential import load_table
    from evident.tasks.differential.adapter import train_adapter, write_adapter
    from evident.tasks.differential.dense import use_bridge

    use_bridge(True)
    adapter, report, n = train_adapter(
        medquad, load_table(), cache_file=cache, progress=_progress("batch"), steps=steps
    )
    for l2, top10 in report.heldout_top10.items():
        what = "identity" if l2 is None else f"l2 {l2:g}"
        click.echo(f"{what}: left-out conditions' passages, condition in top 10 {100 * top10:.1f}%")
    out.write_bytes(write_adapter(adapter))
    click.echo(f"{n} passages; l2 {report.chosen:g} -> {out} ({out.stat().st_size / 1e3:.0f} KB)")


_DEFAULT_RANKER = Path("src/evident/tasks/differential/resources/ranker.json")


@click.command("differential-ranker")
@click.option(
    "--cases",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="JSONL vignettes (../shared/datasets/diagnosis/avey_vignettes.jsonl).",
)
@click.option(
    "--split",
    type=click.Choice(["dev", "all"]),
    default="dev",
    show_default=True,
    help="Vignettes to fit on: the development half (the held-out half stays unread).",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=_DEFAULT_RANKER,
    show_default=True,
)
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True)
@click.option("--l2", type=click.FloatRange(0.0), default=0.1, show_default=True)
@click.option(
    "--dense-candidates",
    type=click.IntRange(0, 2000),
    default=50,
    show_default=True,
    help="With the bridge: the most similar conditions that become candidates.",
)
@click.option(
    "--miss-cost",
    type=click.FloatRange(0.0),
    default=10.0,
    show_default=True,
    help="With the bridge: how many false alarms a missed emergency weighs when the "
    "must-not-miss cutoff is chosen.",
)
def train_ranker_cmd(
    cases: Path,
    split: str,
    out: Path,
    folds: int,
    l2: float,
    dense_candidates: int,
    miss_cost: float,
) -> None:
    """Fit the offline differential's score weights on vignettes (CV folds by diagnosis)."""
    from evident.evals.diagnosis import load_vignettes, split_of
    from evident.evals.diagnosis_ranker import RankerOptions, dumps, train_ranker
    from evident.tasks.differential import load_table
    from evident.tasks.differential.dense import profiles_for, use_bridge

    vignettes = [
        v for v in load_vignettes(cases) if split == "all" or split_of(v.diagnosis) == split
    ]
    table = load_table()
    profiles = profiles_for(table) if use_bridge(None) else None
    opts = RankerOptions(folds, l2, dense_candidates, miss_cost)
    ranker = train_ranker(
        vignettes, table, profiles, opts, f"{cases.name} ({split})", _progress("vignette")
    )
    out.write_text(dumps(ranker), encoding="utf-8")
    for name, model in ranker["models"].items():
        click.echo(
            f"{name}: cross-validated top-10 {100 * model['cv_top10']:.1f}% "
            f"of {model['cases']} ({folds} folds by diagnosis)"
        )
        if cv := model.get("must_not_miss_cv"):
            click.echo(
                f"{name}: must-not-miss cutoff {model['must_not_miss_top']}; cross-validated "
                f"missed {cv['missed']} of {cv['emergencies']} emergencies, flagged "
                f"{cv['false_alarms']} of {cv['others']} others"
            )
    click.echo(f"-> {out}")


def _case_input(case: str, kind: str) -> tuple[bytes | str, str]:
    """CASE's content and name: a file or stdin read within the input size limit, or text.

    The limit is checked before the content is read whole (a FHIR file gets the larger
    FHIR limit); decoding and parsing are the sources stage's.
    """
    from evident.sources import max_input_bytes, read_bytes
    from evident.sources.fhir import fhir_max_bytes

    path = Path(case)
    fhir = kind == "fhir" or (kind == "auto" and path.suffix.lower() == ".json")
    limit = fhir_max_bytes(None) if fhir or case == "-" else max_input_bytes()
    if case == "-":
        raw = sys.stdin.buffer.read(limit + 1)
        if len(raw) > limit:
            raise InputError(f"stdin is over the limit of {limit} bytes")
        return raw, "case"
    if path.is_file():
        return read_bytes(path, limit), path.name
    if "\n" in case or " " in case:
        return case, "case"
    shown = case if len(case) <= 80 else case[:77] + "..."
    raise InputError(f"'{shown}': no such file (give a path, '-' for stdin, or the case text)")


@click.command("differential")
@click.argument("case")
@click.option(
    "-m", "--model", default=None, help="Model spec (default $EVIDENT_MODEL, else offline)."
)
@click.option(
    "--kb",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder of your own differential tables (added to the shipped one).",
)
@click.option("--top", type=click.IntRange(1, 50), default=10, show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "text", "html"]),
    default="text",
    show_default=True,
)
@click.option(
    "--source-kind",
    type=click.Choice(["auto", "transcript", "note", "fhir"]),
    default="auto",
    show_default=True,
    help="How to read CASE.",
)
@click.option(
    "--embeddings/--no-embeddings",
    default=None,
    help="Offline engine: the lay-to-clinical embeddings bridge (default: on when the "
    "embeddings extra is installed).",
)
@click.option("--audit", is_flag=True, help="Record the run in the audit trail.")
def differential_cmd(
    case: str,
    model: str | None,
    kb: Path | None,
    top: int,
    fmt: str,
    source_kind: str,
    embeddings: bool | None,
    audit: bool,
) -> None:
    """A differential diagnosis of CASE: a case description, note, transcript or FHIR
    bundle (a file, '-' for stdin, or the text itself).

    Every finding quotes the case; quotes are checked, denied findings are never kept as
    supporting, and must-not-miss diagnoses are flagged whenever the presentation fits.
    """
    from evident.audit import NoAudit
    from evident.pipeline import default_audit, run_task
    from evident.sources import load_source
    from evident.tasks.differential import check_differential, decode, load_table
    from evident.tasks.differential.fhir_case import read_sources
    from evident.tasks.differential.render import render

    data, name = _case_input(case, source_kind)
    source = load_source(data, kind=source_kind, name=name)  # type: ignore[arg-type]
    options: dict[str, object] = {"top": top}
    if embeddings is not None:
        options["embeddings"] = embeddings
    if kb is not None:
        options["kb"] = str(kb)
    run = run_task(
        "differential", [source], model, options, audit=default_audit() if audit else NoAudit()
    )
    diff = decode(run.draft)
    contradicted = {v.statement_id for v in run.report.verdicts if v.label == "contradicted"}
    diff = _drop_contradicted(diff, run.draft, contradicted)
    diff = check_differential(diff, read_sources([source]), load_table(kb) if kb else None)
    click.echo(render(diff, fmt), nl=False)


def _drop_contradicted(diff, draft, contradicted: set[str]):  # type: ignore[no-untyped-def]
    """Remove supporting quotes verify found contradicted by the case, naming each."""
    if not contradicted:
        return diff
    bad = {st.text for st in draft.statements if st.id in contradicted}
    issues = list(diff.issues)
    cands = []
    for c in diff.differential:
        keep = [x for x in c.supporting if x.quote not in bad]
        issues += [
            f"#{c.rank} {c.diagnosis}: verify contradicts '{x.finding}'; removed"
            for x in c.supporting
            if x.quote in bad
        ]
        cands.append(c.model_copy(update={"supporting": keep}))
    return diff.model_copy(update={"differential": cands, "issues": issues})


def register(root: click.Group) -> None:
    """Add ``differential`` and ``train differential-table`` to the root command."""
    from evident.cli._train import add_train_command

    for cmd in (train_table_cmd, train_ranker_cmd, train_bridge_cmd):
        add_train_command(root, cmd)
    root.add_command(differential_cmd)
