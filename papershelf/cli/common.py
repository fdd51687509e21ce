"""What every command shares: opening the library, one-line failures, filters, JSON."""

from __future__ import annotations

import glob
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from papershelf.config import SettingsError
from papershelf.filters import FILTERS, SORT_NAMES, QueryError, Term
from papershelf.library import LibraryBusy, LibraryError
from papershelf.models import DumpError, Paper
from papershelf.query import Query
from papershelf.shelf import Shelf, dump_files, open_shelf
from papershelf.text import one_line
from papershelf.topics import TopicConfigError

EXIT_REJECTED = 1
EXIT_BUSY = 75

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_REJECTED) -> NoReturn:
    click.echo(f"papershelf: {one_line(message)}", err=True)
    sys.exit(code)


@contextmanager
def shelf_from(ctx: click.Context, *, existing: bool = False) -> Iterator[Shelf]:
    """Open the library named by --db / PAPERSHELF_DB, turning known failures into one line.

    `existing` is for commands that only read: a mistyped --db must not leave an empty
    library behind and answer as if it were the reader's."""
    db = Path(ctx.obj["db"])
    if existing and not db.exists():
        fail(f"{db}: no library there; check --db or PAPERSHELF_DB (papershelf import creates one)")
    try:
        with open_shelf(ctx.obj["db"]) as shelf:
            yield shelf
    except LibraryBusy as error:
        fail(str(error), EXIT_BUSY)
    except (LibraryError, DumpError, TopicConfigError, SettingsError, QueryError) as error:
        fail(str(error))
    except sqlite3.DatabaseError as error:  # a damaged page met while reading
        fail(f"{ctx.obj['db']}: cannot read the library ({error})")


def filter_options(command: F) -> F:
    """The view's filters and order, shared by `search`, `export` and `mark`: one option
    per entry of the filter table (a flag per fixed value, else `--key VALUE`)."""
    options = [
        click.option(
            "--sort",
            type=click.Choice(SORT_NAMES),
            help="Order: relevance (default with text), newest (default), oldest, title, "
            "upvotes, for-you.",
        )
    ]
    for filter_ in FILTERS:
        for value, flag in zip(filter_.values, filter_.flags, strict=True):
            only = filter_.help if len(filter_.values) == 1 else f"Only {value} papers."
            options.append(click.option(flag, f"{filter_.name}_{value}", is_flag=True, help=only))
        if filter_.option:
            options.append(
                click.option(filter_.option, filter_.name, multiple=True, help=filter_.help)
            )
    for option in reversed(options):
        command = option(command)
    return command


def build_query(words: tuple[str, ...], sort: str | None, **options: Any) -> Query:
    """The view the words and the filter options name; a wrong word exits with one line."""
    try:
        query = Query.parse(" ".join(words))
        for filter_ in FILTERS:
            for value in filter_.values:
                if options.get(f"{filter_.name}_{value}"):
                    query = query.with_term(Term(filter_.key, value))
            for value in options.get(filter_.name) or ():
                query = query.with_term(Term(filter_.key, value))
        return query.sorted_by(sort) if sort else query
    except QueryError as error:
        fail(str(error))


def chosen(shelf: Shelf, refs: tuple[str, ...], query: str | None) -> tuple[int, ...]:
    """The papers named by id, then every paper the search `query` finds, once each."""
    pks = [shelf.lib.find(ref) for ref in refs]
    if query is not None:
        pks.extend(shelf.search.run(Query.parse(query)))
    if not pks and query is None:
        raise click.UsageError("name papers by id, or give --query")
    return tuple(dict.fromkeys(pks))


def paper_json(paper: Paper) -> dict[str, object]:
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "read": paper.read,
        "starred": paper.starred,
        "note": paper.note,
        "topics": list(paper.topics),
        "code_url": paper.code_url,
        "links": [
            {"url": lk.url, "kind": lk.kind, "host": lk.host, "original": lk.original}
            for lk in paper.links
        ],
        "sources": list(paper.sources),
        "date_label": paper.date_label,
        "arxiv_id": paper.arxiv_id,
        "lists": list(paper.lists),
        "authors": list(paper.authors),
        "upvotes": paper.upvotes,
        "github_stars": paper.github_stars,
        "comments": paper.comments,
        "keywords": list(paper.keywords),
    }


def echo_papers(papers: list[Paper], as_json: bool) -> None:
    """Papers as a JSON list, or one line each: read box, star, id and title."""
    if as_json:
        click.echo(json.dumps([paper_json(p) for p in papers], ensure_ascii=False, indent=2))
        return
    for paper in papers:
        mark = "x" if paper.read else " "
        star = "*" if paper.starred else " "
        click.echo(f"[{mark}]{star} {paper.id}  {one_line(paper.title)}")


def expand_paths(patterns: tuple[str, ...]) -> list[Path]:
    """Files, directories (their *.txt and *.json, sorted) and globs, in the order given."""
    found: list[Path] = []
    for pattern in patterns:
        matches = sorted(glob.glob(os.path.expanduser(pattern))) or [pattern]
        for match in matches:
            path = Path(match)
            try:
                found.extend(dump_files(path))
            except OSError as error:
                fail(f"{path}: cannot read the folder ({error.strerror})")
    return found


def run_app(db: Path) -> None:
    from tui.app import run

    try:
        run(db)
    except LibraryBusy as error:
        fail(str(error), EXIT_BUSY)
    except (LibraryError, TopicConfigError) as error:
        fail(str(error))
