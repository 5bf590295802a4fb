"""``evident bench triage CASES...``: the triage classes against labelled messages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import click
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from evident.errors import InputError

__all__ = ["CaseFile", "register", "score_cases"]

_ORDER = ("emergency", "urgent", "routine", "self_care")


class Case(BaseModel):
    """One labelled message."""

    model_config = ConfigDict(extra="forbid")

    id: str
    urgency: str = Field(pattern="^(emergency|urgent|routine|self_care)$")
    text: str = Field(min_length=1)


class CaseFile(BaseModel):
    """A file of labelled messages (YAML: ``version``, ``cases``)."""

    model_config = ConfigDict(extra="forbid")

    version: int
    cases: list[Case] = Field(min_length=1)


def _load(path: Path) -> CaseFile:
    try:
        return CaseFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise InputError(f"cannot read '{path.name}': {exc.strerror}") from None
    except (yaml.YAMLError, ValidationError):
        raise InputError(f"'{path.name}' is not a triage case file (version, cases)") from None


def score_cases(cases: list[Case], model: str | None = None) -> list[str]:
    """The class triaged for each case, in order."""
    from evident.models.registry import load_backend
    from evident.tasks.triage import triage_text

    backend = load_backend(model) if model else None
    return [triage_text(c.text, backend)[0].urgency for c in cases]


@click.command("triage")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("-m", "--model", default=None, help="Model spec (default: offline protocols).")
@click.option(
    "--misses/--no-misses",
    default=False,
    help="Print the misclassified messages (development files only: never a held-out one).",
)
def bench_triage(files: tuple[Path, ...], model: str | None, misses: bool) -> None:
    """Triage labelled messages (YAML case files) and print the confusion table."""
    for path in files:
        cases = _load(path).cases
        got = score_cases(cases, model)
        conf = Counter((c.urgency, g) for c, g in zip(cases, got, strict=True))
        click.echo(f"{path.name}: {len(cases)} messages (rows: expected, columns: triaged)")
        click.echo(f"{'':>10} " + " ".join(f"{c:>10}" for c in _ORDER))
        for want in _ORDER:
            row = " ".join(f"{conf[(want, got)]:>10}" for got in _ORDER)
            click.echo(f"{want:>10} {row}")
        n_em = sum(v for (w, _), v in conf.items() if w == "emergency")
        n_sc = sum(v for (w, _), v in conf.items() if w == "self_care")
        over = sum(v for (w, g), v in conf.items() if w == "self_care" and g in _ORDER[:2])
        exact = sum(v for (w, g), v in conf.items() if w == g)
        click.echo(
            f"emergencies classed emergency: {conf[('emergency', 'emergency')]}/{n_em}; "
            f"self-care classed above routine: {over}/{n_sc}; exact: {exact}/{len(cases)}\n"
        )
        if misses:
            for c, g in zip(cases, got, strict=True):
                if g != c.urgency:
                    click.echo(f"  miss {c.id}: expected {c.urgency}, got {g}")


def register(root: click.Group) -> None:
    """Add ``evident bench triage``."""
    from evident.cli.main import bench_group

    bench_group.add_command(bench_triage)
