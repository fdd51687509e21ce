"""Commands that look after the library file itself rather than the papers in it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click

from papershelf.cli import cli
from papershelf.cli.common import EXIT_BUSY, fail
from papershelf.library import Library, LibraryBusy, LibraryError


def check_copy(path: Path) -> tuple[str, int]:
    """SQLite's own verdict on a copy ("ok" or the first problem found) and its paper count."""
    conn = sqlite3.connect(path)
    try:
        verdict = str(conn.execute("PRAGMA integrity_check(1)").fetchone()[0])
        return verdict, conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    except sqlite3.DatabaseError as error:
        return str(error), 0
    finally:
        conn.close()


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.pass_context
def backup(ctx: click.Context, file: Path) -> None:
    """Copy the library to FILE, consistent even while the app or an import is writing.

    FILE must not exist yet; the copy is private (0600) and checked before it is reported.
    """
    db: Path = ctx.obj["db"]
    if not db.exists():
        fail(f"{db}: no library here to back up")
    try:
        with Library(db) as lib:
            copy = lib.backup(file)
    except LibraryBusy as error:
        fail(str(error), EXIT_BUSY)
    except LibraryError as error:
        fail(str(error))
    verdict, papers = check_copy(copy)
    if verdict != "ok":
        fail(f"{copy}: the copy failed its integrity check ({verdict})")
    click.echo(f"backed up {papers} papers to {copy}")
