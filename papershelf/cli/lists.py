"""`papershelf list ...`: named reading lists from the command line.

Papers are named by id (or a unique id prefix, or arXiv id), or all at once with
`--query` in the search language, the command-line twin of "every paper of this view".
"""

from __future__ import annotations

import json

import click

from papershelf.cli import cli
from papershelf.cli.common import chosen, echo_papers, shelf_from
from papershelf.lists import (
    AddToList,
    CreateList,
    DeleteList,
    RemoveFromList,
    RenameList,
    members,
    summaries,
)
from papershelf.text import one_line
from papershelf.undo import apply


@cli.group("list", invoke_without_command=True)
@click.pass_context
def list_group(ctx: click.Context) -> None:
    """Named reading lists; without a subcommand, the lists with their counts."""
    if ctx.invoked_subcommand is None:
        ctx.invoke(ls)


@list_group.command()
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of lists.")
@click.pass_context
def ls(ctx: click.Context, as_json: bool) -> None:
    """Every list with its paper and unread counts."""
    with shelf_from(ctx, existing=True) as shelf:
        found = summaries(shelf.lib)
    if as_json:
        rows = [{"name": s.name, "papers": s.papers, "unread": s.unread} for s in found]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("no lists yet; create one with `papershelf list create NAME`")
    for summary in found:
        click.echo(f"{summary.papers:6} papers {summary.unread:6} unread  {one_line(summary.name)}")


@list_group.command()
@click.argument("name")
@click.pass_context
def create(ctx: click.Context, name: str) -> None:
    """Create an empty list."""
    with shelf_from(ctx) as shelf:
        click.echo(apply(shelf.lib, CreateList(name)).description)


@list_group.command()
@click.argument("name")
@click.argument("new_name")
@click.pass_context
def rename(ctx: click.Context, name: str, new_name: str) -> None:
    """Give a list a new name."""
    with shelf_from(ctx) as shelf:
        click.echo(apply(shelf.lib, RenameList(name, new_name)).description)


@list_group.command()
@click.argument("name")
@click.pass_context
def delete(ctx: click.Context, name: str) -> None:
    """Delete a list; its papers stay in the library."""
    with shelf_from(ctx) as shelf:
        click.echo(apply(shelf.lib, DeleteList(name)).description)


@list_group.command()
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print the papers as JSON.")
@click.pass_context
def show(ctx: click.Context, name: str, as_json: bool) -> None:
    """The papers in a list, in the order they were added."""
    with shelf_from(ctx) as shelf:
        papers = shelf.lib.papers(members(shelf.lib, name))
    echo_papers(papers, as_json)


@list_group.command()
@click.argument("name")
@click.argument("refs", nargs=-1)
@click.option("--query", help="Also every paper this search finds, e.g. 'topic:peft is:unread'.")
@click.pass_context
def add(ctx: click.Context, name: str, refs: tuple[str, ...], query: str | None) -> None:
    """Add papers to a list (created if it does not exist yet)."""
    with shelf_from(ctx) as shelf:
        pks = chosen(shelf, refs, query)
        known = {summary.name.casefold() for summary in summaries(shelf.lib)}
        entry = apply(shelf.lib, AddToList(name, pks))
    new = "" if one_line(name).casefold() in known else ", a new list"
    click.echo(f"{entry.description} ({len(pks) - entry.changed} already there{new})")


@list_group.command()
@click.argument("name")
@click.argument("refs", nargs=-1)
@click.option("--query", help="Also every paper this search finds.")
@click.pass_context
def remove(ctx: click.Context, name: str, refs: tuple[str, ...], query: str | None) -> None:
    """Take papers out of a list; they stay in the library."""
    with shelf_from(ctx) as shelf:
        pks = chosen(shelf, refs, query)
        click.echo(apply(shelf.lib, RemoveFromList(name, pks)).description)
