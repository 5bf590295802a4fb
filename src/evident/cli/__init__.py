"""The ``evident`` command line.

Each module in this package that defines ``register(root: click.Group)`` adds its
commands; :func:`main` discovers them, so an area's commands live beside each other in
one module (``cli/scribe.py``, ``cli/deid.py``, ...). Benchmarks go under
``evident bench`` via :func:`bench_group`.
"""

from evident.cli.main import bench_group, cli, main

__all__ = ["bench_group", "cli", "main"]
