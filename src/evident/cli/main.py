"""Root command, module discovery and one-line error handling."""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys

import click

from evident import __version__
from evident.errors import EvidentError

__all__ = ["bench_group", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="evident")
@click.option("-v", "--verbose", count=True, help="More log output (-v info, -vv debug).")
def cli(verbose: int) -> None:
    """Evident: clinical drafts whose every statement shows its evidence."""
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


@cli.group("bench")
def bench_group() -> None:
    """Benchmarks on data you point them at; each prints a table."""


def _discover() -> None:
    package = importlib.import_module("evident.cli")
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name in {"main"} or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"evident.cli.{info.name}")
        register = getattr(module, "register", None)
        if callable(register):
            register(cli)


_discover()


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; EvidentErrors print as one line and set the exit code."""
    try:
        cli.main(args=argv, prog_name="evident", standalone_mode=False)
    except EvidentError as exc:
        click.echo(f"evident: error: {exc}", err=True)
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("evident: aborted", err=True)
        return 130
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("evident: interrupted", err=True)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:
        # A file the user named cannot be read or written (missing folder, a file where a
        # folder should be, no permission, disk full): one line, the path and the reason.
        where = f": '{exc.filename}'" if exc.filename else ""
        click.echo(f"evident: error: {exc.strerror or type(exc).__name__}{where}", err=True)
        return 2
    except SystemExit as exc:
        # click answers a closed output pipe (EPIPE) by wrapping stdout and exiting 1.
        if type(sys.stdout).__name__ == "_PacifyFlushWrapper":
            _silence_stdout()
            return 0
        raise exc
    return 0


def _silence_stdout() -> None:
    """The reader of our output (head, less) has gone: that is no error of ours.

    Pointing stdout at /dev/null keeps the interpreter's final flush from failing.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def entry() -> None:
    """Console-script entry point."""
    code = main()
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        _silence_stdout()
    sys.exit(code)
