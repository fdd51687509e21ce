"""The `papershelf` command line: scriptable, stable, one-line errors, meaningful exit codes.

Exit codes: 0 success, 1 a file or argument was rejected, 2 usage error (click),
75 the library was busy (another process held the write lock too long). Commands live
in small modules by subject and register themselves on `cli` when imported below.
"""

from __future__ import annotations

from pathlib import Path

import click

from papershelf import __version__
from papershelf.cli.common import run_app
from papershelf.paths import default_db_path


@click.group(invoke_without_command=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="PAPERSHELF_DB",
    help="Library file (default: the user data directory; env PAPERSHELF_DB).",
)
@click.version_option(__version__, prog_name="papershelf")
@click.pass_context
def cli(ctx: click.Context, db: Path | None) -> None:
    """A keyboard-driven reading list for machine-learning paper dumps.

    Without a command, opens the reading app on the library.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db or default_db_path()
    if ctx.invoked_subcommand is None:
        run_app(ctx.obj["db"])


def main() -> None:
    cli(prog_name="papershelf")


from papershelf.cli import (  # noqa: E402, F401  (registers the commands)
    fetch,
    inbox,
    lists,
    maintenance,
    reading,
    similar,
    topics,
)
