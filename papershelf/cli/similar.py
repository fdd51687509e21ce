"""`papershelf similar`: the papers most like one paper, and the words they share."""

from __future__ import annotations

import json

import click

from papershelf.cli import cli
from papershelf.cli.common import shelf_from
from papershelf.text import one_line


@cli.command()
@click.argument("ref")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print the papers as JSON.")
@click.pass_context
def similar(ctx: click.Context, ref: str, limit: int, as_json: bool) -> None:
    """Papers most like one paper (by id, id prefix or arXiv id), best first, each with the
    words it shares with it that weigh most. The first run counts every paper's words once."""
    with shelf_from(ctx) as shelf:
        matches = shelf.search.recommender.similar(shelf.lib.find(ref), limit)
        rows = {row.pk: row for row in shelf.lib.rows([m.pk for m in matches])}
    if not matches and not as_json:
        click.echo(f"no paper shares a word of weight with {ref}", err=True)
    if as_json:
        found = [
            {
                "id": rows[m.pk].id,
                "title": rows[m.pk].title,
                "score": round(m.score, 4),
                "terms": list(m.terms),
                "read": rows[m.pk].read,
                "starred": rows[m.pk].starred,
            }
            for m in matches
        ]
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for m in matches:
        row = rows[m.pk]
        shared = ", ".join(one_line(term) for term in m.terms)
        click.echo(f"{m.score:.2f} {row.id}  {one_line(row.title)}  ({shared})")
