"""Commands for importing, finding, reading and exporting papers."""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import click

from papershelf.bibtex import bibtex
from papershelf.cli import cli
from papershelf.cli.common import (
    EXIT_BUSY,
    EXIT_REJECTED,
    build_query,
    chosen,
    echo_papers,
    expand_paths,
    fail,
    filter_options,
    paper_json,
    run_app,
    shelf_from,
)
from papershelf.cli.inbox import watch_folder
from papershelf.export import markdown, title
from papershelf.files import FileProblem, library_files, write_text
from papershelf.inbox import POLL_SECONDS
from papershelf.library import LibraryBusy, LibraryError
from papershelf.models import DumpError, ImportSummary
from papershelf.query import Query
from papershelf.shelf import Shelf, open_shelf
from papershelf.text import one_line, sanitize
from papershelf.transfer import Restored, library_json, restore, restore_kind
from papershelf.undo import MarkRead, NotInterested, Star, apply

BYTES_PER_PAPER = 1500


def import_one(
    shelf: Shelf, path: Path, force: bool, encoding: str | None
) -> ImportSummary | Restored:
    """Import a dump, with a progress bar when stderr is a terminal; restore an export.

    A papershelf export (JSON backup, Markdown list) carries the reader's state, not
    content, so it goes to `papershelf.transfer` instead of the importer registry.
    """
    shelf.refuse_library_file(path)  # before anything opens it
    if restore_kind(path) is not None:
        return restore(shelf.lib, path)
    if not sys.stderr.isatty():
        return shelf.import_file(path, force=force, encoding=encoding)
    estimate = max(path.stat().st_size // BYTES_PER_PAPER, 1)
    label = one_line(path.name)[-30:]
    with click.progressbar(length=estimate, label=label, file=sys.stderr, show_pos=True) as bar:
        done = 0

        def step(papers: int) -> None:
            nonlocal done
            bar.update(papers - done)
            done = papers

        return shelf.import_file(path, force=force, encoding=encoding, on_progress=step)


@cli.command("import")
@click.argument("paths", nargs=-1)
@click.option("--force", is_flag=True, help="Re-read files already imported.")
@click.option("--encoding", help="Decode the files with this encoding instead of guessing.")
@click.option(
    "--watch",
    is_flag=False,
    flag_value="",
    metavar="[DIR]",
    help="Then import new dumps arriving in DIR (default: the inbox) until Ctrl-C.",
)
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=POLL_SECONDS,
    show_default=True,
    help="Seconds between looks at the --watch folder.",
)
@click.pass_context
def import_(
    ctx: click.Context,
    paths: tuple[str, ...],
    force: bool,
    encoding: str | None,
    watch: str | None,
    interval: float,
) -> None:
    """Import dump files, directories or globs. Each file lands whole or not at all.

    A JSON backup or Markdown list written by `papershelf export` restores the read
    marks, stars, notes, topics and lists it holds, for the papers this library has.
    """
    if not paths and watch is None:
        raise click.UsageError("Missing argument 'PATHS...'.")
    files = expand_paths(paths)
    rejected = 0
    totals = {"papers": 0, "new": 0, "known": 0, "merged": 0}
    with shelf_from(ctx) as shelf:
        for path in files:
            try:
                summary = import_one(shelf, path, force, encoding)
            except LibraryBusy as error:
                fail(str(error), EXIT_BUSY)
            except (DumpError, LibraryError) as error:
                rejected += 1
                click.echo(f"papershelf: rejected {one_line(str(error))}", err=True)
                continue
            except OSError as error:
                rejected += 1
                click.echo(f"papershelf: rejected {path}: {error.strerror}", err=True)
                continue
            for warning in summary.warnings:
                click.echo(f"warning: {one_line(warning)}", err=True)
            click.echo(one_line(summary.line))
            if isinstance(summary, ImportSummary) and not summary.skipped:
                for key in totals:
                    totals[key] += getattr(summary, key)
            elif isinstance(summary, Restored):  # an export's papers count like a dump's
                totals["papers"] += summary.entries
                totals["new"] += summary.created
                totals["known"] += summary.merged + summary.kept + summary.repeated
        if files:
            click.echo(
                f"imported {len(files) - rejected} of {len(files)} files: "
                f"{totals['papers']} papers, {totals['new']} new, "
                f"{totals['known']} already known, {totals['merged']} merged"
            )
        if watch is not None:
            watch_folder(shelf, watch, interval)
    if rejected:
        sys.exit(EXIT_REJECTED)


@cli.command()
@click.argument("words", nargs=-1)
@filter_options
@click.option("--limit", type=click.IntRange(min=1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of papers.")
@click.pass_context
def search(
    ctx: click.Context,
    words: tuple[str, ...],
    limit: int,
    as_json: bool,
    sort: str | None,
    **filters: Any,
) -> None:
    """Fuzzy search: typos, word order and partial words still find the paper.

    QUERY may also hold filters, each negated by a leading - (after `--`): topic:SLUG
    is:unread is:read is:starred has:code has:link has:note list:NAME imported:latest
    imported:YYYY-MM-DD source:FILE date:LABEL no:topic, and sort:ORDER.
    """
    query = build_query(words, sort, **filters)
    with shelf_from(ctx, existing=True) as shelf:
        pks = shelf.search.run(query, limit=limit)
        papers = shelf.lib.papers(pks)
        if query.order == "for-you" and not shelf.search.recommender.has_signal():
            from papershelf.similar import NO_SIGNAL

            click.echo(f"for you: {NO_SIGNAL}", err=True)
    echo_papers(papers, as_json)


@cli.command()
@click.argument("ref")
@click.option("--json", "as_json", is_flag=True, help="Print the paper as JSON.")
@click.pass_context
def show(ctx: click.Context, ref: str, as_json: bool) -> None:
    """Show one paper by id (or a unique id prefix, or its arXiv id)."""
    with shelf_from(ctx, existing=True) as shelf:
        paper = shelf.lib.paper(shelf.lib.find(ref))
        names = shelf.lib.topic_names()
    if as_json:
        click.echo(json.dumps(paper_json(paper), ensure_ascii=False, indent=2))
        return
    click.echo(one_line(paper.title))
    click.echo(
        f"id: {paper.id}   {'read' if paper.read else 'unread'}"
        f"{'   starred' if paper.starred else ''}"
    )
    if paper.authors:
        click.echo("authors: " + ", ".join(one_line(name) for name in paper.authors))
    if paper.date_label:
        click.echo(f"featured: {one_line(paper.date_label)}")
    if paper.counts:
        click.echo(" · ".join(paper.counts))
    if paper.keywords:
        click.echo("keywords: " + ", ".join(one_line(word) for word in paper.keywords))
    if paper.topics:
        click.echo("topics: " + ", ".join(one_line(names.get(t, t)) for t in paper.topics))
    for n, line in enumerate(sanitize(paper.note).strip().splitlines()):
        click.echo((("note: " if n == 0 else "      ") + line).rstrip())
    for number, lk in enumerate(paper.links, start=1):
        mirror = lk.original and lk.original != lk.url
        via = f" (written as {one_line(lk.original or '')})" if mirror else ""
        click.echo(f"[{number}] {lk.kind}: {one_line(lk.url)}{via}")
    click.echo("")
    click.echo(sanitize(paper.abstract))


@cli.command()
@click.argument(
    "action",
    type=click.Choice(["read", "unread", "star", "unstar", "not-interested", "interested"]),
)
@click.argument("refs", nargs=-1)
@click.option("--query", help="Also every paper this search finds, e.g. 'imported:latest'.")
@click.pass_context
def mark(ctx: click.Context, action: str, refs: tuple[str, ...], query: str | None) -> None:
    """Mark papers read or unread, starred or not, not interested or interested again: by
    id, or a whole view with --query."""
    with shelf_from(ctx) as shelf:
        pks = chosen(shelf, refs, query)
        if action in ("read", "unread"):
            entry = apply(shelf.lib, MarkRead(pks, action == "read"))
        elif action in ("star", "unstar"):
            entry = apply(shelf.lib, Star(pks, action == "star"))
        else:
            entry = apply(shelf.lib, NotInterested(pks, action == "not-interested"))
    click.echo(f"marked {entry.changed} of {len(pks)} papers {action}")


@cli.command()
@click.argument("words", nargs=-1)
@filter_options
@click.option("-o", "--output", type=click.Path(path_type=Path))
@click.option("--group-by-topic", is_flag=True, help="One section per topic (Markdown).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "bibtex"]),
    default="markdown",
    show_default=True,
    help="json: every paper with your state, for `papershelf import` on another machine.",
)
@click.pass_context
def export(
    ctx: click.Context,
    words: tuple[str, ...],
    output: Path | None,
    group_by_topic: bool,
    fmt: str,
    sort: str | None,
    **filters: Any,
) -> None:
    """Write the papers of a view as a Markdown reading list, JSON or BibTeX (stdout or -o FILE).

    FILE is replaced whole or not at all, and is never the library or a non-regular file.
    """
    query = build_query(words, sort, **filters)
    with shelf_from(ctx, existing=True) as shelf:
        pks = shelf.search.run(query)
        write_out(output, ctx.obj["db"], export_pieces(shelf, fmt, query, pks, group_by_topic))
    if output is not None:
        click.echo(f"wrote {len(pks)} papers to {output}")


def export_pieces(
    shelf: Shelf, fmt: str, query: Query, pks: Sequence[int], group_by_topic: bool
) -> Iterator[str]:
    """The export's text, produced only once its destination has been accepted."""
    if fmt == "json":
        yield from library_json(shelf.lib, pks, all_lists=not query.is_filtered)
        return
    papers = shelf.lib.papers(pks)
    if fmt == "bibtex":
        yield bibtex(papers)
        return
    names = shelf.lib.topic_names()
    yield markdown(
        papers,
        description=title(query, names),
        topic_names=names,
        exported_on=date.today(),
        group_by_topic=group_by_topic,
    )


def write_out(output: Path | None, db: Path, pieces: Iterable[str]) -> None:
    """Text to stdout, or to the file through `papershelf.files`, which refuses the
    library and anything not a regular file; a file that cannot be written is one line."""
    if output is None:
        for piece in pieces:
            click.echo(piece, nl=False)
        return
    try:
        write_text(output, pieces, protect=library_files(db), what="the export")
    except FileProblem as error:
        fail(str(error))


@cli.command()
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Counts: papers, read, unread, starred, per topic, and the imported files."""
    with shelf_from(ctx, existing=True) as shelf:
        figures = shelf.lib.stats()
        names = shelf.lib.topic_names()
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{figures['papers']} papers: {figures['unread']} unread, {figures['read']} read, "
        f"{figures['starred']} starred, {figures['with_code']} with code"
        + (f", {figures['not_interested']} not interested" if figures["not_interested"] else "")
    )
    for slug, count in figures["topics"].items():  # type: ignore[attr-defined]
        click.echo(f"  {count:6}  {one_line(names.get(slug, slug))}")
    for source in figures["sources"]:  # type: ignore[attr-defined]
        click.echo(f"  source: {one_line(source['path'])} ({source['papers']} papers)")


DEMO_NEXT_STEP = (
    "That was a throw-away copy of the sample. Next, fill your own library:\n"
    "  papershelf fetch              Hugging Face Daily Papers since the last fetch\n"
    "  papershelf import PATH        saved Daily Papers pages, or a folder of them\n"
    "  papershelf                    then read them"
)


@cli.command()
@click.pass_context
def demo(ctx: click.Context) -> None:
    """Open the app on a fresh temporary copy of the bundled sample library.

    The demo gets a home of its own, so it neither reads the reader's inbox and
    settings nor leaves anything behind.
    """
    from papershelf.sample import sample_files

    workdir = Path(tempfile.mkdtemp(prefix="papershelf-demo-"))
    os.environ["PAPERSHELF_HOME"] = str(workdir)
    try:
        db = workdir / "demo.db"
        with open_shelf(db) as shelf:
            for path in sample_files():
                shelf.import_file(path)
        run_app(db)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    click.echo(DEMO_NEXT_STEP)
