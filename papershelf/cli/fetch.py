"""`papershelf fetch`: Hugging Face Daily Papers from the API, imported like dumps."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from papershelf.cli import cli
from papershelf.cli.common import fail, shelf_from
from papershelf.fetch import (
    SORTS,
    Client,
    Fetched,
    FetchError,
    Listing,
    Progress,
    day,
    days,
    endpoint,
    fetch,
    month,
    parse_day,
    since_last,
    today_utc,
    week,
)
from papershelf.models import DumpError
from papershelf.shelf import Shelf
from papershelf.text import one_line

KINDS: dict[str, Callable[[str], Listing]] = {"date": day, "week": week, "month": month}


def listings(shelf: Shelf, named: dict[str, str | None]) -> list[Listing]:
    """The listings the options name, or the days since the last fetch."""
    given = {key: value for key, value in named.items() if value}
    if len(given) > 1:
        raise click.UsageError("give at most one of --date, --week, --month, --since")
    today = today_utc()
    try:
        if "since" in given:
            return days(parse_day(given["since"]), today)
        for key, value in given.items():
            return [KINDS[key](value)]
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    return since_last(shelf.lib, today)


class Bar:
    """A progress bar on a terminal, one step per listing downloaded."""

    def __init__(self, total: int) -> None:
        self.bar = click.progressbar(length=total, label="fetching", file=sys.stderr)
        self.seen: set[str] = set()

    def __enter__(self) -> Progress:
        self.bar.__enter__()
        return self.step

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.bar.update(self.bar.length - self.bar.pos)
        self.bar.__exit__(None, None, None)

    def step(self, name: str, papers: int) -> None:
        """A listing's first report means the one before it is read."""
        if name not in self.seen:
            self.bar.update(1 if self.seen else 0)
            self.seen.add(name)
        self.bar.label = f"{one_line(name)} · {papers} papers"
        self.bar.render_progress()


def report(fetched: Fetched) -> None:
    for summary in fetched.imported:
        for warning in summary.warnings:
            click.echo(f"warning: {one_line(warning)}", err=True)
    for line in fetched.lines:
        click.echo(one_line(line))
    papers = sum(s.papers for s in fetched.imported if not s.skipped)
    n = len(fetched.imported) + len(fetched.empty)
    click.echo(f"fetched {n} listing{'s' * (n != 1)}: {papers} papers, {fetched.new} new")


@cli.command("fetch")
@click.option("--date", "on_date", metavar="YYYY-MM-DD", help="The papers featured that day.")
@click.option("--week", metavar="YYYY-Www", help="The papers of an ISO week, e.g. 2024-W47.")
@click.option("--month", metavar="YYYY-MM", help="The papers of a month.")
@click.option("--since", metavar="YYYY-MM-DD", help="Every day from this one to today.")
@click.option("--sort", type=click.Choice(SORTS), help="The order the API lists papers in.")
@click.pass_context
def fetch_command(
    ctx: click.Context,
    on_date: str | None,
    week: str | None,
    month: str | None,
    since: str | None,
    sort: str | None,
) -> None:
    """Fetch Hugging Face Daily Papers into the library.

    Without an option, every day since the last fetch (at most 30 days; the first
    time, today). Each day lands whole or not at all, papers already known from a
    text dump gain their authors, upvotes and links, and a failure writes nothing.
    HF_ENDPOINT moves the host, as for huggingface_hub.
    """
    with shelf_from(ctx) as shelf:
        chosen = listings(shelf, {"date": on_date, "week": week, "month": month, "since": since})
        client = Client(endpoint())
        try:
            if sys.stderr.isatty():
                with Bar(len(chosen)) as step:
                    fetched = fetch(shelf, chosen, client, sort=sort, on_progress=step)
            else:
                fetched = fetch(shelf, chosen, client, sort=sort)
        except (FetchError, DumpError) as error:
            fail(str(error))
            return
    report(fetched)
