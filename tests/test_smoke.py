"""The package imports and the CLI answers."""

from __future__ import annotations

from evident.cli.main import main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert "0.1.0" in capsys.readouterr().out


def test_unknown_model_is_one_line_error(capsys, tmp_path):
    from evident.errors import ConfigError
    from evident.models import load_backend

    try:
        load_backend("nosuch:thing")
    except ConfigError as exc:
        assert "nosuch" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("expected ConfigError")


def test_output_piped_into_a_reader_that_stops_early_is_no_error():
    import subprocess
    import sys

    cmd = f'"{sys.executable}" -m evident demo | head -n 1'
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Evident demo")
    assert "BrokenPipeError" not in done.stderr
