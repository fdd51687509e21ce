"""Commands for topics: list them with counts, retag the library, fix a paper's topics."""

from __future__ import annotations

import json
import sys

import click

from papershelf.cli import cli
from papershelf.cli.common import fail, shelf_from
from papershelf.retag import retag
from papershelf.text import one_line


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print topics as JSON.")
@click.pass_context
def topics(ctx: click.Context, as_json: bool) -> None:
    """List topics by group (areas, techniques) with how many papers have each."""
    with shelf_from(ctx, existing=True) as shelf:
        counts = shelf.lib.stats()["topics"]
        untagged = shelf.lib.conn.execute(
            "SELECT count(*) FROM papers WHERE pk NOT IN "
            "(SELECT paper FROM paper_topics WHERE origin != 'removed')"
        ).fetchone()[0]
        taxonomy = shelf.taxonomy
    assert isinstance(counts, dict)
    if as_json:
        rows = [
            {"slug": t.slug, "name": t.name, "group": t.group, "papers": counts.get(t.slug, 0)}
            for t in taxonomy
        ]
        click.echo(json.dumps({"topics": rows, "no_topic": untagged}, indent=2))
        return
    for group, heading in (("area", "Areas"), ("technique", "Techniques")):
        click.echo(heading)
        for topic in taxonomy:
            if topic.group == group:
                name = one_line(topic.name)
                click.echo(f"  {counts.get(topic.slug, 0):7}  {topic.slug:22} {name}")
    click.echo(f"  {untagged:7}  (no topic)")


@cli.command("retag")
@click.pass_context
def retag_(ctx: click.Context) -> None:
    """Re-apply the topic rules to every paper; manual choices are kept."""
    with shelf_from(ctx) as shelf:
        if sys.stderr.isatty():
            with click.progressbar(
                length=max(shelf.lib.count(), 1), label="retagging", file=sys.stderr
            ) as bar:
                summary = retag(shelf.lib, shelf.tagger, lambda done, _: bar.update(done - bar.pos))
        else:
            summary = retag(shelf.lib, shelf.tagger)
    click.echo(f"retagged {summary.papers} papers: {summary.changed} changed")
    for slug in sorted(set(summary.added) | set(summary.removed)):
        click.echo(f"  {slug}: +{summary.added.get(slug, 0)} -{summary.removed.get(slug, 0)}")


@cli.command(context_settings={"ignore_unknown_options": True})
@click.argument("ref")
@click.argument("changes", nargs=-1, required=True, type=click.UNPROCESSED)
@click.pass_context
def tag(ctx: click.Context, ref: str, changes: tuple[str, ...]) -> None:
    """Add (+slug) or remove (-slug) topics of a paper; manual choices survive retagging.

    Example: papershelf tag 1a2b3c4d +peft -quantization
    """
    add = [c[1:] for c in changes if c.startswith("+")]
    remove = [c[1:] for c in changes if c.startswith("-")]
    odd = [c for c in changes if c[:1] not in "+-" or len(c) < 2]
    if odd:
        fail(f"write topics as +slug or -slug, not {odd[0]!r}")
    with shelf_from(ctx) as shelf:
        pk = shelf.lib.find(ref)
        shelf.lib.tag(pk, add=add, remove=remove)
        now = shelf.lib.paper_topics(pk)
    click.echo(f"{ref}: {', '.join(now) if now else '(no topic)'}")
