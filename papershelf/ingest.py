"""Importing parsed dumps into the library: one file, one transaction, nothing twice.

The pipeline works in batches inside the file's single `BEGIN IMMEDIATE` transaction:
clean the text, look the batch's title keys up in one query, insert what is new (paper,
links, automatic topics, FTS row) with `executemany`, and record provenance for every
paper seen. A paper already in the library is never rewritten, except to fill in what it
lacked (an abstract, an arXiv id), so user state and manual topics are never touched.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from importers import Dump
from papershelf.library import Library, marks, now
from papershelf.links import extract_links, links_from_urls
from papershelf.models import ImportSummary, Link, ParsedPaper
from papershelf.text import clean_latex, one_line, sanitize, title_key
from papershelf.topics import Tagger

BATCH = 2000


@dataclass(frozen=True, slots=True)
class Prepared:
    """A parsed paper cleaned for storage; built outside SQLite so it is cheap to batch."""

    parsed: ParsedPaper
    key: str
    title: str
    title_raw: str | None
    abstract: str
    abstract_raw: str | None
    links: tuple[Link, ...]


def prepare(paper: ParsedPaper) -> Prepared | None:
    raw_title = one_line(paper.title)
    title = one_line(clean_latex(raw_title))
    key = title_key(title)
    if not key:
        return None
    raw_abstract = sanitize(paper.abstract).strip()
    abstract = clean_latex(raw_abstract)
    links = extract_links(raw_abstract)
    if paper.urls:
        extra = links_from_urls(paper.urls)
        seen = {link.url for link in links}
        links = tuple(link for link in extra if link.url not in seen) + links
    return Prepared(
        parsed=paper,
        key=key,
        title=title,
        title_raw=raw_title if raw_title != title else None,
        abstract=abstract,
        abstract_raw=raw_abstract if raw_abstract != abstract else None,
        links=links,
    )


def batched(items: Iterable[ParsedPaper], size: int) -> Iterator[list[ParsedPaper]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def paper_id(key: str, taken: Callable[[str], bool]) -> str:
    """A short stable id from the title key; lengthened in the rare case of a collision."""
    digest = hashlib.sha1(key.encode()).hexdigest()
    for length in (12, 16, 40):
        if not taken(digest[:length]):
            return digest[:length]
    raise RuntimeError(f"paper id collision for {key!r}")


class Ingest:
    """The state of importing one file: counters and the keys seen so far."""

    def __init__(self, lib: Library, tagger: Tagger, source_id: int) -> None:
        self.lib = lib
        self.conn = lib.conn
        self.tagger = tagger
        self.source_id = source_id
        self.stamp = now()
        self.next_pk = self.conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM papers").fetchone()[
            0
        ]
        self.papers = self.new = self.known = self.merged = 0

    def add(self, batch: list[ParsedPaper]) -> None:
        prepared = [p for p in map(prepare, batch) if p is not None]
        self.papers += len(batch)
        existing = self.lookup(prepared)
        fresh: dict[str, tuple[int, Prepared]] = {}
        provenance = []
        for item in prepared:
            found = existing.get(item.key)
            if found is None and item.key in fresh:
                found = (fresh[item.key][0], fresh[item.key][1].title, None, None)
            if found is None:
                pk = self.next_pk
                self.next_pk += 1
                fresh[item.key] = (pk, item)
            else:
                pk = found[0]
                self.count_known(item, found)
            provenance.append((pk, self.source_id, item.parsed.line, item.parsed.date_label))
        self.insert(list(fresh.values()))
        self.conn.executemany(
            "INSERT OR IGNORE INTO paper_sources(paper, source, line, date_label) "
            "VALUES (?, ?, ?, ?)",
            provenance,
        )

    def lookup(self, prepared: list[Prepared]) -> dict[str, tuple[int, str, str, str | None]]:
        keys = list({p.key for p in prepared})
        found: dict[str, tuple[int, str, str, str | None]] = {}
        for start in range(0, len(keys), 500):
            part = keys[start : start + 500]
            for pk, key, title, abstract, arxiv_id in self.conn.execute(
                "SELECT pk, title_key, title, abstract, arxiv_id FROM papers "
                f"WHERE title_key IN ({marks(len(part))})",
                part,
            ):
                found[key] = (pk, title, abstract, arxiv_id)
        return found

    def count_known(self, item: Prepared, found: tuple[int, str, str | None, str | None]) -> None:
        pk, title, abstract, arxiv_id = found
        if title == item.title:
            self.known += 1
        else:
            self.merged += 1
        if abstract == "" and item.abstract:
            self.fill_abstract(pk, title, item)
        if arxiv_id is None and item.parsed.arxiv_id:
            self.conn.execute(
                "UPDATE papers SET arxiv_id = ?, authors = coalesce(authors, ?), "
                "published = coalesce(published, ?), upvotes = coalesce(upvotes, ?) "
                "WHERE pk = ? AND NOT EXISTS (SELECT 1 FROM papers WHERE arxiv_id = ?)",
                (
                    item.parsed.arxiv_id,
                    authors_json(item.parsed),
                    item.parsed.published,
                    item.parsed.upvotes,
                    pk,
                    item.parsed.arxiv_id,
                ),
            )

    def fill_abstract(self, pk: int, title: str, item: Prepared) -> None:
        """A paper first seen without its abstract gets it from a later dump."""
        self.conn.execute(
            "INSERT INTO papers_fts(papers_fts, rowid, title, abstract) "
            "VALUES ('delete', ?, ?, '')",
            (pk, title),
        )
        self.conn.execute(
            "UPDATE papers SET abstract = ?, abstract_raw = ? WHERE pk = ?",
            (item.abstract, item.abstract_raw, pk),
        )
        self.conn.execute(
            "INSERT INTO papers_fts(rowid, title, abstract) VALUES (?, ?, ?)",
            (pk, title, item.abstract),
        )
        self.write_links(pk, item.links)

    def write_links(self, pk: int, links: tuple[Link, ...]) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO links(paper, position, url, kind, host, original) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(pk, n, lk.url, lk.kind, lk.host, lk.original) for n, lk in enumerate(links)],
        )
        code = next((lk.url for lk in links if lk.kind == "code"), None)
        if code:
            self.conn.execute("UPDATE papers SET code_url = ? WHERE pk = ?", (code, pk))

    def insert(self, fresh: list[tuple[int, Prepared]]) -> None:
        if not fresh:
            return
        taken_ids = self.taken_ids([p.parsed.arxiv_id for _, p in fresh if p.parsed.arxiv_id])
        rows, links, topics, fts = [], [], [], []
        for pk, item in fresh:
            parsed = item.parsed
            arxiv_id = parsed.arxiv_id if parsed.arxiv_id not in taken_ids else None
            pid = arxiv_id or paper_id(item.key, self.id_taken)
            code = next((lk.url for lk in item.links if lk.kind == "code"), None)
            rows.append(
                (
                    pk,
                    pid,
                    item.title,
                    item.key,
                    item.abstract,
                    item.title_raw,
                    item.abstract_raw,
                    arxiv_id,
                    authors_json(parsed),
                    parsed.published,
                    parsed.upvotes,
                    code,
                    parsed.date_label,
                    self.stamp,
                )
            )
            links.extend(
                (pk, n, lk.url, lk.kind, lk.host, lk.original) for n, lk in enumerate(item.links)
            )
            topics.extend((pk, slug) for slug in self.tagger.tag(item.title, item.abstract))
            fts.append((pk, item.title, item.abstract))
        self.conn.executemany(f"INSERT INTO papers VALUES ({marks(14)})", rows)
        self.conn.executemany(
            "INSERT INTO links(paper, position, url, kind, host, original) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            links,
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO paper_topics(paper, slug, origin) VALUES (?, ?, 'auto')",
            topics,
        )
        self.conn.executemany(
            "INSERT INTO papers_fts(rowid, title, abstract) VALUES (?, ?, ?)", fts
        )
        self.new += len(fresh)

    def taken_ids(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        return {
            row[0]
            for row in self.conn.execute(
                f"SELECT arxiv_id FROM papers WHERE arxiv_id IN ({marks(len(ids))})", ids
            )
        }

    def id_taken(self, candidate: str) -> bool:
        return (
            self.conn.execute("SELECT 1 FROM papers WHERE id = ?", (candidate,)).fetchone()
            is not None
        )


def authors_json(paper: ParsedPaper) -> str | None:
    return json.dumps(list(paper.authors)) if paper.authors else None


def ingest(
    lib: Library,
    dump: Dump,
    tagger: Tagger,
    *,
    force: bool = False,
    on_progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import one opened dump, all or nothing.

    A file whose exact bytes were imported before is skipped unless `force`; an
    overlapping file is imported and its papers already known are only linked to it.
    """
    if not force:
        row = lib.conn.execute(
            "SELECT papers FROM sources WHERE sha256 = ? LIMIT 1", (dump.sha256,)
        ).fetchone()
        if row is not None:
            return ImportSummary(dump.path, dump.format, row[0], 0, row[0], 0, skipped=True)
    with lib.write() as conn:
        source_id = conn.execute(
            "INSERT INTO sources(path, sha256, format, encoding, size, imported_at) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                str(Path(dump.path).resolve()),
                dump.sha256,
                dump.format,
                dump.encoding,
                dump.size,
                now(),
            ),
        ).lastrowid
        assert source_id is not None
        state = Ingest(lib, tagger, source_id)
        for batch in batched(dump.papers(), BATCH):
            state.add(batch)
            if on_progress:
                on_progress(state.papers)
        conn.execute(
            "UPDATE sources SET papers = ?, new = ?, known = ?, merged = ?, warnings = ? "
            "WHERE id = ?",
            (
                state.papers,
                state.new,
                state.known,
                state.merged,
                "\n".join(dump.warnings),
                source_id,
            ),
        )
    return ImportSummary(
        path=dump.path,
        format=dump.format,
        papers=state.papers,
        new=state.new,
        known=state.known,
        merged=state.merged,
        warnings=tuple(dump.warnings),
    )
