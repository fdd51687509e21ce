"""The inbox from the command line: `config` says where it is, `import --watch` follows it."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import click

from papershelf.cli import cli
from papershelf.cli.common import fail
from papershelf.config import (
    CHOICES,
    Settings,
    SettingsError,
    choice_problem,
    load_settings,
    save_settings,
)
from papershelf.inbox import Inbox, InboxScan, inbox_dir
from papershelf.paths import app_config_path
from papershelf.shelf import Shelf
from papershelf.text import one_line

KEYS = ("inbox", "theme", "layout", "sidebar", "fetch_at_start")
SWITCH = {"true": True, "false": False}


def current(key: str, settings: Settings) -> str:
    if key == "inbox":
        return str(inbox_dir())
    if key == "fetch_at_start":
        return "true" if settings.fetch_at_start else "false"
    return str(getattr(settings, key))


@cli.command()
@click.argument("key", required=False, type=click.Choice(KEYS))
@click.argument("value", required=False)
def config(key: str | None, value: str | None) -> None:
    """Show the settings, show one KEY, or set KEY to VALUE.

    `papershelf config inbox ~/papers` makes ~/papers the folder scanned for new dumps;
    an empty VALUE ("") puts the inbox back in the data directory.
    """
    path = app_config_path()
    try:
        settings = load_settings(path)
    except SettingsError as error:
        fail(str(error))
        return
    if key is None:
        for name in KEYS:
            default = " (default)" if name == "inbox" and not settings.inbox else ""
            click.echo(f"{name} = {current(name, settings)}{default}")
        click.echo(f"# {path}")
        return
    if value is None:
        click.echo(current(key, settings))
        return
    if key == "inbox":
        settings = settings.with_inbox(os.path.abspath(os.path.expanduser(value)) if value else "")
    elif key == "fetch_at_start" and value.lower() not in SWITCH:
        fail(f"{path}: fetch_at_start must be true or false")
    elif key == "fetch_at_start":
        settings = settings.with_fetch_at_start(SWITCH[value.lower()])
    elif value not in CHOICES[key]:
        fail(f"{path}: {choice_problem(key, value)} (one of {', '.join(CHOICES[key])})")
    else:
        settings = replace(settings, **{key: value})
    try:
        save_settings(settings, path)
    except OSError as error:
        fail(f"{path}: {error.strerror}")
    click.echo(f"{key} = {current(key, settings)}")


def watch_folder(shelf: Shelf, folder: str, interval: float) -> None:
    """Import what the folder holds, then what arrives in it, until Ctrl-C."""
    directory = Path(folder).expanduser() if folder else inbox_dir()
    if not folder:
        directory.mkdir(parents=True, exist_ok=True)
    if not directory.is_dir():
        fail(f"{directory}: not a directory")
    click.echo(f"watching {directory} for new dumps every {interval:g} s; Ctrl-C stops")

    def report(scan: InboxScan) -> None:
        for summary in scan.imported:
            for warning in summary.warnings:
                click.echo(f"warning: {one_line(warning)}", err=True)
            click.echo(one_line(summary.line))
        for problem in scan.problems:
            click.echo(f"papershelf: rejected {one_line(problem)}", err=True)

    try:
        Inbox(directory).watch(shelf, report, interval)
    except KeyboardInterrupt:
        click.echo("stopped watching")
