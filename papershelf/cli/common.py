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
from papershelf.library import LibraryBusy, LibraryError
from papershelf.models import DumpError, Paper
from papershelf.query import Query
from papershelf.shelf import Shelf, open_shelf
from papershelf.text import one_line
from papershelf.topics import TopicConfigError

EXIT_REJECTED = 1
EXIT_BUSY = 75

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int = EXIT_REJECTED) -> NoReturn:
    click.echo(f"papershelf: {one_line(message)}", err=True)
    sys.exit(code)


@contextmanager
def shelf_from(ctx: click.Context) -> Iterator[Shelf]:
    """Open the library named by --db / PAPERSHELF_DB, turning known failures into one line."""
    try:
        with open_shelf(ctx.obj["db"]) as shelf:
            yield shelf
    except LibraryBusy as error:
        fail(str(error), EXIT_BUSY)
    except (LibraryError, DumpError, TopicConfigError, SettingsError) as error:
        fail(str(error))
    except sqlite3.DatabaseError as error:  # a damaged page met while reading
        fail(f"{ctx.obj['db']}: cannot read the library ({error})")


def filter_options(command: F) -> F:
    """The view filters shared by `search` and `export`."""
    options = [
        click.option("--topic", "topics", multiple=True, help="Only papers with this topic slug."),
        click.option("--unread", "state", flag_value="unread", help="Only unread papers."),
        click.option("--read", "state", flag_value="read", help="Only read papers."),
        click.option("--starred", is_flag=True, help="Only starred papers."),
        click.option("--has-code", is_flag=True, help="Only papers with a code link."),
        click.option("--list", "list_name", help="Only papers in this reading list."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def build_query(words: tuple[str, ...], topics: tuple[str, ...], **filters: Any) -> Query:
    query = Query.parse(" ".join(words))
    for slug in topics:
        query = query.in_topic(slug)
    if filters.get("state"):
        query = query.with_state(filters["state"])
    if filters.get("starred"):
        query = query.only_starred()
    if filters.get("has_code"):
        query = query.with_code()
    if filters.get("list_name"):
        query = query.in_list(filters["list_name"])
    return query


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
            if path.is_dir():
                try:
                    inside = sorted(path.iterdir())
                except OSError as error:
                    fail(f"{path}: cannot read the folder ({error.strerror})")
                found.extend(p for p in inside if p.suffix in (".txt", ".json", ".md"))
            else:
                found.append(path)
    return found


def run_app(db: Path) -> None:
    from tui.app import run

    try:
        run(db)
    except LibraryBusy as error:
        fail(str(error), EXIT_BUSY)
    except (LibraryError, TopicConfigError) as error:
        fail(str(error))
