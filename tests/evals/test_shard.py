"""`evident eval shard`: shards load like the original and add up to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from evident.cli.main import main
from evident.errors import InputError
from evident.evals.loaders import load_benchmark
from evident.evals.shard import shard_benchmark


@pytest.mark.parametrize(
    ("benchmark", "fixture", "per"),
    [
        ("medqa", "mirage_small.json", 1),
        ("medqa", "mirage_small.json", 2),
        ("pubmedqa-context", "pubmedqa_context.json", 2),
        ("medec", "medec_small.csv", 1),
        ("medec", "medec_small.csv", 1000),
    ],
)
def test_shards_add_up_to_the_benchmark(
    fixtures: Path, tmp_path: Path, benchmark: str, fixture: str, per: int
) -> None:
    whole = load_benchmark(benchmark, fixtures / fixture)
    paths = shard_benchmark(benchmark, fixtures / fixture, tmp_path / "shards", per)
    assert len(paths) == -(-len(whole) // per)
    parts = [item for path in paths for item in load_benchmark(benchmark, path)]
    assert parts == whole
    assert all(len(load_benchmark(benchmark, p)) <= per for p in paths)


@pytest.mark.parametrize(
    ("benchmark", "per", "message"),
    [
        ("nope", 2, "unknown benchmark"),
        ("medqa", 0, "--per must be at least 1"),
        ("medec", 2, "missing columns"),  # a JSON file is not the MEDEC CSV
    ],
)
def test_bad_requests(
    fixtures: Path, tmp_path: Path, benchmark: str, per: int, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        shard_benchmark(benchmark, fixtures / "mirage_small.json", tmp_path / "s", per)


def test_cli_refuses_a_folder_with_shards(
    fixtures: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["eval", "shard", "--benchmark", "medqa", "--data", str(fixtures / "mirage_small.json")]
    argv += ["--per", "2", "--out", str(tmp_path / "s")]
    assert main(argv) == 0
    assert "shards of at most 2 questions" in capsys.readouterr().out
    assert main(argv) == 2
    assert "already holds medqa shards" in capsys.readouterr().err
