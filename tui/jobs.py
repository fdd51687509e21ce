"""The long work behind the main screen, as plain functions of their inputs.

The screen runs these in thread workers; nothing here touches Textual, so each one
can be read (and tested) on its own, and the worker methods stay a few lines long.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from pathlib import Path

from papershelf.export import markdown, title
from papershelf.fetch import Client, Fetched, Progress, endpoint, fetch, since_last, today_utc
from papershelf.files import library_files, write_text
from papershelf.filters import BY_NAME, Term
from papershelf.library import Library, PaperRow
from papershelf.query import Query
from papershelf.search import Search
from papershelf.shelf import open_shelf
from tui.view import Results

CHUNK = 500
TOPIC = BY_NAME["topic"]
NO_TOPIC = Term(BY_NAME["untopiced"].key, BY_NAME["untopiced"].values[0])


def search_view(searcher: Search, view: Query) -> Results:
    """The view's papers, best first, with the sidebar's counts for it."""
    pks = searcher.run(view)
    counts = searcher.counts(view, pks)
    untopiced = len(searcher.run(view.without_filter(TOPIC).with_term(NO_TOPIC)))
    return Results(view, pks, counts, untopiced)


def next_unread(
    rows: Callable[[Sequence[int]], list[PaperRow]],
    pks: Sequence[int],
    start: int,
    *,
    skip: int = 0,
    limit: int | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> int | None:
    """The position of the first unread paper after `start`, wrapping round.

    Looks at the papers in that order, leaving out the first `skip` (already looked at)
    and stopping after `limit`. Rows are read a chunk at a time, so a nearby unread
    paper costs one small query even in a million results.
    """
    n = len(pks)
    end = n if limit is None else min(n, skip + limit)
    for first in range(skip, end, CHUNK):
        if cancelled():
            return None
        positions = [(start + 1 + k) % n for k in range(first, min(first + CHUNK, end))]
        found = {row.pk: row for row in rows([pks[i] for i in positions])}
        for index in positions:
            row = found.get(pks[index])
            if row is not None and not row.read:
                return index
    return None


def fetch_new(db_path: Path, progress: Progress) -> Fetched:
    """The days since the last fetch, fetched into the library on a connection of its
    own. Raises FetchError, DumpError or LibraryError, having written nothing."""
    with open_shelf(db_path) as shelf:
        days = since_last(shelf.lib, today_utc())
        return fetch(shelf, days, Client(endpoint()), on_progress=progress)


def fetched_message(fetched: Fetched) -> str:
    """`3 new papers from hf:2024-11-20, hf:2024-11-21`, or that nothing was new."""
    n = fetched.new
    names = [s.path for s in fetched.imported if s.new]
    if not n:
        return f"Nothing new on Hugging Face ({len(fetched.lines)} days looked at)."
    return f"{n} new paper{'s' * (n != 1)} from {', '.join(names)}"


def export_name(description: str, today: date) -> str:
    """`papershelf-unread-quantization-2026-03-15.md`: the view and the day, as a file name."""
    slug = "-".join(re.findall(r"[a-z0-9]+", description.casefold()))[:40].strip("-")
    return f"papershelf-{slug or 'papers'}-{today.isoformat()}.md"


def export_view(
    db_path: Path,
    results: Results,
    target: Path,
    *,
    topic_names: Mapping[str, str],
    today: date,
    group_by_topic: bool,
) -> int:
    """Write the view as a Markdown reading list on a connection of its own; how many
    papers it holds. Raises LibraryError, or OSError (`FileProblem`: refused or failed)."""
    with Library(db_path) as lib:
        papers = lib.papers(results.pks)
    text = markdown(
        papers,
        description=title(results.query, topic_names),
        topic_names=topic_names,
        exported_on=today,
        group_by_topic=group_by_topic,
    )
    write_text(target, [text], protect=library_files(db_path), what="the export")
    return len(papers)
