"""`evident bench batch` prints a row per configuration from an ACI-Bench-shaped CSV."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from evident.batch.bench import load_items
from evident.cli.main import main


def _csv(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["dataset", "encounter_id", "dialogue", "note"])
        w.writerow(["x", "E1", "[doctor] any fever?\n[patient] no.", "No fever."])
        w.writerow(["x", "E2", "[patient] my left knee hurts.", "Left knee pain."])
    return path


@pytest.mark.parametrize(
    ("task", "repeat", "roles"), [("deid", 2, ("text",)), ("verify", 1, ("source", "draft"))]
)
def test_items(tmp_path: Path, task: str, repeat: int, roles: tuple[str, ...]) -> None:
    items = load_items([_csv(tmp_path / "t.csv")], task, repeat)
    assert len(items) == 2 * repeat
    assert len({i.id for i in items}) == len(items)
    assert all(tuple(r for r, _, _ in i.files) == roles for i in items)


def test_table_without_ray(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["bench", "batch", str(_csv(tmp_path / "t.csv")), "--task", "verify", "--workers", ""])
        == 0
    )
    out = capsys.readouterr().out
    assert "single command in a loop" in out
    assert "batch, in process" in out
    assert "batch on Ray" not in out
    loop = next(line for line in out.splitlines() if line.startswith("single command"))
    # the loop's CPU ms per item (driver only; two tiny items with warm caches may round
    # to 0.0 at one decimal)
    assert float(loop.split()[-4]) >= 0
    assert loop.split()[-3:] == ["0.0", loop.split()[-2], "0.0"]  # no workers, no Ray


def test_not_a_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["bench", "batch", str(bad)]) == 2
    assert "is not an ACI-Bench CSV" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc (Linux)")
def test_descendant_cpu_counts_a_busy_child() -> None:
    import subprocess
    import sys

    from evident.batch.bench import _descendant_cpu

    burn = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.5: pass\n"
    burn += "import sys; sys.stdout.write('x'); sys.stdout.flush(); time.sleep(30)"
    with subprocess.Popen([sys.executable, "-c", burn], stdout=subprocess.PIPE) as child:
        try:
            assert child.stdout is not None and child.stdout.read(1) == b"x"
            workers, rest = _descendant_cpu()
        finally:
            child.kill()
    assert workers == 0.0  # no process named ray::MapWorker
    assert rest >= 0.4
