"""The ``evident train`` group, made by whichever train command registers first."""

from __future__ import annotations

import click

__all__ = ["add_train_command"]


def add_train_command(root: click.Group, command: click.Command) -> None:
    """Add ``command`` under ``evident train``, creating the group if needed."""
    train = root.commands.get("train")
    if not isinstance(train, click.Group):
        train = click.Group("train", help="Derive the project's shipped tables and models.")
        root.add_command(train)
    train.add_command(command)
