"""Importing parsed dumps into the library: one file, one transaction, nothing twice.

Built for tens of thousands of papers a second; every stage avoids per-paper queries.
The pipeline works in batches inside the file's single `BEGIN IMMEDIATE` transaction:

- Stage: a paper's title is cleaned first and its key looked up (one query per batch, on
  a read connection that sees the library as it was before the import, plus a dict of
  the keys this import added). Only new papers pay for cleaning the abstract, finding
  links and tagging topics, so re-reading a known dump is cheap. Tagging starts here, in
  a helper process for big files (`papershelf.tagging`).
- Commit (one batch behind, so tagging overlaps the next batch's staging): new papers,
  links, topics and provenance go in with one `executemany` each.
- The FTS indexes are filled by a second thread with one `INSERT ... SELECT` per batch:
  FTS5 tokenising is most of the SQLite time, and a single statement runs without the
  GIL, so it overlaps with parsing the next batch. The main thread waits for it before
  each write, so the connection is never used by both at once.
- At the end the new title words are added to `terms`, the facet bitmaps are extended,
  and the `content` change counter moves, all in the same transaction.

A paper already in the library is never rewritten, except to fill in what it lacked (an
abstract, an arXiv id, Hugging Face's authors, links and keywords) and to take Hugging
Face's newer counts (upvotes, GitHub stars, comments), so user state and manual topics
are never touched. A record is the same paper as one in the library when its title key
or its arXiv id is the same.
"""

from __future__ import annotations

import hashlib
import json
import queue
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import islice

from importers import Dump
from importers.hf_json import ARXIV_LINKS
from papershelf import bitmaps, facets, terms
from papershelf.library import Library, marks, now
from papershelf.links import extract_links, links_from_urls
from papershelf.models import ImportSummary, Link, ParsedPaper
from papershelf.tagging import PARALLEL_BYTES, Tagging
from papershelf.text import clean_latex, one_line, sanitize, title_key
from papershelf.topics import Tagger

BATCH = 2000
IMPORT_CACHE_KIB = 262_144
"""SQLite page cache while importing (256 MiB): index pages of a big library stay hot."""
FTS_TITLES = (
    "INSERT INTO papers_fts_titles(rowid, title) "
    "SELECT pk, title FROM papers WHERE pk BETWEEN ? AND ?"
)
PAPER_COLUMNS = (
    "pk, id, title, title_key, abstract, title_raw, abstract_raw, arxiv_id, authors, "
    "published, upvotes, code_url, date_label, added_at, github_stars, comments, ai_keywords"
)
"""The stored columns of `papers` in the order `Ingest.rows` builds them (`body` is
generated from them)."""
INSERT_PAPERS = f"INSERT INTO papers({PAPER_COLUMNS}) VALUES ({marks(17)})"
FTS_ABSTRACTS = (
    "INSERT INTO papers_fts_abstracts(rowid, body) "
    "SELECT pk, body FROM papers WHERE pk BETWEEN ? AND ?"
)
UNINDEX_BODY = (
    "INSERT INTO papers_fts_abstracts(papers_fts_abstracts, rowid, body) "
    "SELECT 'delete', pk, body FROM papers WHERE pk = ?"
)
INDEX_BODY = (
    "INSERT INTO papers_fts_abstracts(rowid, body) SELECT pk, body FROM papers WHERE pk = ?"
)
KNOWN = (
    "SELECT pk, title_key, title, abstract = '', arxiv_id, code_url IS NULL, authors, published, "
    "ai_keywords, date_label, upvotes, github_stars, comments FROM papers "
    "WHERE {column} IN (SELECT value FROM json_each(?))"
)
FILL_KNOWN = """UPDATE papers SET
    arxiv_id = coalesce(arxiv_id, (SELECT :arxiv WHERE NOT EXISTS
        (SELECT 1 FROM papers WHERE arxiv_id = :arxiv))),
    authors = coalesce(authors, :authors), published = coalesce(published, :published),
    ai_keywords = coalesce(ai_keywords, :keywords), date_label = coalesce(date_label, :day),
    upvotes = coalesce(:upvotes, upvotes), github_stars = coalesce(:stars, github_stars),
    comments = coalesce(:comments, comments)
    WHERE pk = :pk"""


@dataclass(frozen=True, slots=True)
class Heading:
    """A paper's title cleaned for storage, and the dedupe key made from it."""

    parsed: ParsedPaper
    raw: str
    title: str
    key: str


@dataclass(frozen=True, slots=True)
class Known:
    """A paper in the library before this import: what dedupe and filling in look at.
    `facts` are as `facts()` orders them: authors, published, keywords and featured day
    (filled in when missing), then upvotes, GitHub stars and comments (kept up to date)."""

    pk: int
    title: str
    empty: bool
    arxiv_id: str | None
    no_code: bool
    facts: tuple[object, ...]


@dataclass(frozen=True, slots=True)
class Prepared:
    """A new paper cleaned for storage; built outside SQLite so it is cheap to batch."""

    parsed: ParsedPaper
    key: str
    title: str
    title_raw: str | None
    abstract: str
    abstract_raw: str | None
    links: tuple[Link, ...]


def heading(paper: ParsedPaper) -> Heading | None:
    raw = one_line(paper.title)
    title = one_line(clean_latex(raw))
    key = title_key(title)
    return Heading(paper, raw, title, key) if key else None


def prepare(head: Heading) -> Prepared:
    paper = head.parsed
    raw_abstract = sanitize(paper.abstract).strip()
    abstract = clean_latex(raw_abstract)
    links = extract_links(raw_abstract)
    if paper.urls:
        extra = links_from_urls(paper.urls)
        seen = {link.url for link in links}
        links = tuple(link for link in extra if link.url not in seen) + links
    return Prepared(
        parsed=paper,
        key=head.key,
        title=head.title,
        title_raw=head.raw if head.raw != head.title else None,
        abstract=abstract,
        abstract_raw=raw_abstract if raw_abstract != abstract else None,
        links=links,
    )


def batched(items: Iterable[ParsedPaper], size: int) -> Iterator[list[ParsedPaper]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def code_link(links: Iterable[Link]) -> str | None:
    return next((lk.url for lk in links if lk.kind == "code"), None)


def authors_json(paper: ParsedPaper) -> str | None:
    return json.dumps(list(paper.authors), ensure_ascii=False) if paper.authors else None


def keywords_json(paper: ParsedPaper) -> str | None:
    return json.dumps(list(paper.keywords), ensure_ascii=False) if paper.keywords else None


def facts(paper: ParsedPaper) -> tuple[object, ...]:
    """What Hugging Face says of a paper, in the order of `Known.facts`."""
    return (
        authors_json(paper),
        paper.published,
        keywords_json(paper),
        paper.date_label,
        paper.upvotes,
        paper.github_stars,
        paper.comments,
    )


def gains(known: Known, paper: ParsedPaper) -> bool:
    """Whether a record of a known paper tells it something new (checked before writing,
    and without building anything, so a re-read dump costs no updates)."""
    authors, published, keywords, day, *counts = known.facts
    if paper.arxiv_id and known.arxiv_id is None:
        return True
    missing = ((authors, paper.authors), (published, paper.published))
    missing += ((keywords, paper.keywords), (day, paper.date_label))
    if any(old is None and new for old, new in missing):
        return True
    news = (paper.upvotes, paper.github_stars, paper.comments)
    if any(new is not None and new != old for old, new in zip(counts, news, strict=True)):
        return True
    # A link beyond the ones its arXiv id gives may be the code link the paper lacks.
    given = [url for url in paper.urls if not url.startswith(ARXIV_LINKS)]
    return known.no_code and code_link(links_from_urls(given)) is not None


class Indexer:
    """Adds ranges of new papers to the FTS indexes on a second thread (see the module doc)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.jobs: queue.SimpleQueue[tuple[int, int] | None] = queue.SimpleQueue()
        self.error: BaseException | None = None
        self.done = threading.Event()
        self.done.set()
        self.thread = threading.Thread(target=self._work, name="papershelf-fts", daemon=True)
        self.thread.start()

    def _work(self) -> None:
        while (job := self.jobs.get()) is not None:
            try:
                if self.error is None:
                    self.conn.execute(FTS_TITLES, job)
                    self.conn.execute(FTS_ABSTRACTS, job)
            except BaseException as error:
                self.error = error
            finally:
                self.done.set()

    def wait(self) -> None:
        """Block until the last range is indexed; re-raise what went wrong there."""
        self.done.wait()
        if self.error is not None:
            raise self.error

    def submit(self, first: int, last: int) -> None:
        self.wait()
        self.done.clear()
        self.jobs.put((first, last))

    def close(self) -> None:
        """Let the running statement finish (a rollback must not race it), then stop."""
        self.jobs.put(None)
        self.thread.join()


@dataclass(slots=True)
class Staged:
    """A batch deduped and prepared, waiting for its tags before it is written."""

    start: int
    new: list[Prepared] = field(default_factory=list)
    fills: list[tuple[int, Prepared]] = field(default_factory=list)
    known: list[tuple[Known, ParsedPaper]] = field(default_factory=list)
    provenance: list[tuple[int, int, int, str | None]] = field(default_factory=list)
    tags: Callable[[], list[tuple[str, ...]]] = list


class Ingest:
    """The state of importing one file: counters, keys and ids seen, facets to extend."""

    def __init__(
        self, lib: Library, tagging: Tagging, source_id: int, reader: sqlite3.Connection
    ) -> None:
        self.conn = lib.conn
        self.reader = reader
        self.tagging = tagging
        self.source_id = source_id
        self.stamp = now()
        self.next_pk = self.conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM papers").fetchone()[
            0
        ]
        self.first_pk = self.next_pk
        self.indexer = Indexer(self.conn)
        self.fresh: dict[str, tuple[int, str]] = {}
        self.ids: set[str] = set()
        self.arxiv_ids: set[str] = set()
        self.empty: set[int] = set()
        self.filled: set[int] = set()
        self.code: list[int] = []
        self.topics: dict[str, list[int]] = defaultdict(list)
        self.terms: Counter[str] = Counter()
        self.papers = self.new = self.known = self.merged = 0

    def stage(self, batch: list[ParsedPaper]) -> Staged:
        """Dedupe a batch and prepare its new papers; their tagging starts here."""
        self.papers += len(batch)
        heads = [h for h in map(heading, batch) if h is not None]
        existing = self.lookup("title_key", {h.key for h in heads if h.key not in self.fresh})
        by_arxiv = self.lookup(
            "arxiv_id",
            {
                h.parsed.arxiv_id
                for h in heads
                if h.parsed.arxiv_id and h.key not in self.fresh and h.key not in existing
            },
        )
        staged = Staged(self.next_pk)
        for head in heads:
            if head.key in self.fresh:
                pk, title = self.fresh[head.key]
                self.count(title == head.title)
                if pk in self.empty and head.parsed.abstract.strip():
                    self.empty.discard(pk)
                    staged.fills.append((pk, prepare(head)))
            elif known := existing.get(head.key) or by_arxiv.get(head.parsed.arxiv_id or ""):
                pk = known.pk
                self.count(known.title == head.title)
                if known.empty and pk not in self.filled and head.parsed.abstract.strip():
                    self.filled.add(pk)
                    staged.fills.append((pk, prepare(head)))
                if gains(known, head.parsed):
                    staged.known.append((known, head.parsed))
            else:
                pk = self.next_pk
                self.next_pk += 1
                self.fresh[head.key] = (pk, head.title)
                item = prepare(head)
                if not item.abstract:
                    self.empty.add(pk)
                staged.new.append(item)
            staged.provenance.append((pk, self.source_id, head.parsed.line, head.parsed.date_label))
        staged.tags = self.tagging.submit([(p.title, p.abstract) for p in staged.new])
        return staged

    def commit(self, staged: Staged) -> None:
        """Write a staged batch once its tags are in, and hand its range to the indexer."""
        rows = self.rows(staged.start, staged.new, staged.tags())
        self.indexer.wait()
        self.insert(rows)
        for pk, item in staged.fills:
            self.fill_abstract(pk, item, indexed=pk < staged.start)
        for known, parsed in staged.known:
            self.fill_known(known, parsed)
        self.conn.executemany(INSERT_PROVENANCE, staged.provenance)
        if staged.new:
            self.indexer.submit(staged.start, staged.start + len(staged.new) - 1)

    def count(self, same_title: bool) -> None:
        if same_title:
            self.known += 1
        else:
            self.merged += 1

    def lookup(self, column: str, values: set[str]) -> dict[str, Known]:
        """Papers in the library before this import, by title key or by arXiv id."""
        found: dict[str, Known] = {}
        if values:
            for pk, key, title, empty, arxiv_id, no_code, *known in self.reader.execute(
                KNOWN.format(column=column), (json.dumps(list(values)),)
            ):
                record = Known(pk, title, bool(empty), arxiv_id, bool(no_code), tuple(known))
                found[key if column == "title_key" else arxiv_id] = record
        return found

    def rows(
        self, start: int, new: list[Prepared], tags: list[tuple[str, ...]]
    ) -> dict[str, list[tuple[object, ...]]]:
        """The rows of the new papers, with their tags and new ids; no SQLite writes yet."""
        taken = self.taken([p.parsed.arxiv_id for p in new if p.parsed.arxiv_id], "arxiv_id")
        taken |= self.arxiv_ids
        papers, links, topics = [], [], []
        candidates: list[tuple[str, str]] = []
        for pk, item, slugs in zip(range(start, start + len(new)), new, tags, strict=True):
            parsed = item.parsed
            arxiv_id = parsed.arxiv_id if parsed.arxiv_id not in taken else None
            if arxiv_id:
                taken.add(arxiv_id)
                self.arxiv_ids.add(arxiv_id)
            digest = hashlib.sha1(item.key.encode()).hexdigest()
            candidates.append((arxiv_id or digest[:12], digest))
            code = code_link(item.links)
            if code:
                self.code.append(pk)
            papers.append(
                [
                    pk,
                    None,
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
                    parsed.github_stars,
                    parsed.comments,
                    keywords_json(parsed),
                ]
            )
            links.extend(
                (pk, n, lk.url, lk.kind, lk.host, lk.original) for n, lk in enumerate(item.links)
            )
            for slug in slugs:
                topics.append((pk, slug))
                self.topics[slug].append(pk)
            self.terms.update(title_words(item.title))
        for row, pid in zip(papers, self.paper_ids(candidates), strict=True):
            row[1] = pid
        self.new += len(new)
        return {"papers": [tuple(r) for r in papers], "links": links, "topics": topics}

    def paper_ids(self, candidates: list[tuple[str, str]]) -> list[str]:
        """Short stable ids from title hashes, lengthened in the rare case of a collision."""
        taken = self.taken([short for short, _ in candidates], "id") | self.ids
        chosen = []
        for short, digest in candidates:
            pid = short
            for length in (12, 16, 40):
                if pid not in taken:
                    break
                pid = digest[:length]
            else:
                raise RuntimeError(f"paper id collision for {digest}")
            taken.add(pid)
            self.ids.add(pid)
            chosen.append(pid)
        return chosen

    def taken(self, values: list[str], column: str) -> set[str]:
        if not values:
            return set()
        return {
            row[0]
            for row in self.reader.execute(
                f"SELECT {column} FROM papers WHERE {column} IN (SELECT value FROM json_each(?))",
                (json.dumps(values),),
            )
        }

    def insert(self, rows: dict[str, list[tuple[object, ...]]]) -> None:
        self.conn.executemany(INSERT_PAPERS, rows["papers"])
        self.conn.executemany(INSERT_LINKS, rows["links"])
        self.conn.executemany(INSERT_AUTO_TOPICS, rows["topics"])

    def fill_abstract(self, pk: int, item: Prepared, *, indexed: bool) -> None:
        """A paper first seen without its abstract gets it from a later record.

        A paper of an earlier batch is added to the abstract index here; one of the
        current batch is indexed with its batch, after this update.
        """
        self.reindexed(
            pk,
            "UPDATE papers SET abstract = ?, abstract_raw = ? WHERE pk = ?",
            (item.abstract, item.abstract_raw, pk),
            indexed=indexed,
        )
        self.conn.executemany(
            "INSERT OR IGNORE INTO links(paper, position, url, kind, host, original) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(pk, n, lk.url, lk.kind, lk.host, lk.original) for n, lk in enumerate(item.links)],
        )
        code = code_link(item.links)
        if code:
            self.conn.execute(
                "UPDATE papers SET code_url = coalesce(code_url, ?) WHERE pk = ?", (code, pk)
            )
            self.code.append(pk)

    def fill_known(self, known: Known, parsed: ParsedPaper) -> None:
        """A paper in the library learns what a record knows and it lacks (arXiv id,
        authors, keywords, featured day, links) and takes the record's counts."""
        self.append_links(known.pk, links_from_urls(parsed.urls))
        authors, published, keywords, day, upvotes, stars, comments = facts(parsed)
        values = {
            "pk": known.pk,
            "arxiv": parsed.arxiv_id,
            "authors": authors,
            "published": published,
            "keywords": keywords,
            "day": day,
            "upvotes": upvotes,
            "stars": stars,
            "comments": comments,
        }
        old_authors, _, old_keywords, *_ = known.facts
        body = (authors and not old_authors) or (keywords and not old_keywords)
        self.reindexed(known.pk, FILL_KNOWN, values, indexed=bool(body))

    def reindexed(
        self, pk: int, sql: str, values: tuple[object, ...] | dict[str, object], *, indexed: bool
    ) -> None:
        """Run an update of a paper's body (abstract, authors, keywords); a paper already
        in the body index leaves it with its old words and enters it with the new ones."""
        if indexed:
            self.conn.execute(UNINDEX_BODY, (pk,))
        self.conn.execute(sql, values)
        if indexed:
            self.conn.execute(INDEX_BODY, (pk,))

    def append_links(self, pk: int, links: tuple[Link, ...]) -> None:
        """Links after the ones the paper has, skipping any it has already."""
        known = {
            url for (url,) in self.conn.execute("SELECT url FROM links WHERE paper = ?", (pk,))
        }
        fresh = [link for link in links if link.url not in known]
        if not fresh:
            return
        start = self.conn.execute(
            "SELECT coalesce(max(position), -1) + 1 FROM links WHERE paper = ?", (pk,)
        ).fetchone()[0]
        self.conn.executemany(
            "INSERT INTO links(paper, position, url, kind, host, original) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [(pk, start + n, lk.url, lk.kind, lk.host, lk.original) for n, lk in enumerate(fresh)],
        )
        code = code_link(fresh)
        if code:
            self.conn.execute(
                "UPDATE papers SET code_url = coalesce(code_url, ?) WHERE pk = ?", (code, pk)
            )
            self.code.append(pk)

    def finish(self) -> None:
        """Index the last batch, then bring terms, facets and the change counter up to date."""
        self.indexer.wait()
        index_added(
            self.conn, range(self.first_pk, self.next_pk), self.code, self.topics, self.terms
        )


def title_words(title: str) -> set[str]:
    """The words of a title that `terms` counts (typo correction never needs one letter)."""
    return {w for w in terms.words(title) if len(w) > 1}


def index_added(
    conn: sqlite3.Connection,
    pks: range,
    code: Iterable[int],
    topics: Mapping[str, Iterable[int]],
    words: Counter[str],
) -> None:
    """Bring terms, facets and the change counter up to date with papers just written
    (pks, those of them with code, their automatic topics, their title words)."""
    terms.upsert(conn, words.items())
    stored, current = facets.stored(conn)
    if current:
        added = [
            (facets.ALL, bitmaps.from_pks(pks)),
            (facets.CODE, bitmaps.from_pks(code)),
            *((facets.TOPIC + slug, bitmaps.from_pks(members)) for slug, members in topics.items()),
        ]
        facets.store(conn, facets.add(stored, added))
    else:
        facets.store(conn, facets.imported_from_sql(conn))
    conn.execute("UPDATE changes SET n = n + 1 WHERE kind = 'content'")


def read_only(lib: Library) -> sqlite3.Connection:
    """A second connection for lookups: it sees the library as committed before the import."""
    uri = lib.path.resolve().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


SAME_BYTES = "SELECT papers FROM sources WHERE sha256 = ? LIMIT 1"


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
        row = lib.conn.execute(SAME_BYTES, (dump.sha256,)).fetchone()
        if row is not None:
            return ImportSummary(dump.path, dump.format, row[0], 0, row[0], 0, skipped=True)
    reader = read_only(lib)
    cache = lib.conn.execute("PRAGMA cache_size").fetchone()[0]
    lib.conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    # Every row this import writes points at a paper it has just written or looked up,
    # and papers are never deleted: checking each of them again costs a fifth of the
    # insert time. (The pragma is ignored inside a transaction, so it is set out here.)
    lib.conn.execute("PRAGMA foreign_keys = OFF")
    try:
        with lib.write() as conn:
            # Another process may have imported the same bytes while this one waited.
            done = None if force else conn.execute(SAME_BYTES, (dump.sha256,)).fetchone()
            if done is not None:
                return ImportSummary(dump.path, dump.format, done[0], 0, done[0], 0, skipped=True)
            source_id = conn.execute(
                "INSERT INTO sources(path, sha256, format, encoding, size, imported_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    dump.origin,
                    dump.sha256,
                    dump.format,
                    dump.encoding,
                    dump.size,
                    now(),
                ),
            ).lastrowid
            assert source_id is not None
            tagging = Tagging(tagger, parallel=dump.size >= PARALLEL_BYTES)
            state = Ingest(lib, tagging, source_id, reader)
            try:
                waiting: Staged | None = None
                for batch in batched(dump.papers(), BATCH):
                    staged = state.stage(batch)
                    if waiting is not None:
                        state.commit(waiting)
                    waiting = staged
                    if on_progress:
                        on_progress(state.papers)
                if waiting is not None:
                    state.commit(waiting)
                state.finish()
            finally:
                state.indexer.close()
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
    finally:
        reader.close()
        lib.conn.execute(f"PRAGMA cache_size = {cache}")
        lib.conn.execute("PRAGMA foreign_keys = ON")
    return ImportSummary(
        path=dump.path,
        format=dump.format,
        papers=state.papers,
        new=state.new,
        known=state.known,
        merged=state.merged,
        warnings=tuple(dump.warnings),
    )


# Restoring a library export -----------------------------------------------------------------
# A papershelf JSON export holds papers as a library stored them; restoring one writes them
# back through the same statements and indexes as an import, without deriving anything again.

INSERT_LINKS = (
    "INSERT INTO links(paper, position, url, kind, host, original) VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_AUTO_TOPICS = "INSERT INTO paper_topics(paper, slug, origin) VALUES (?, ?, 'auto')"
INSERT_PROVENANCE = (
    "INSERT OR IGNORE INTO paper_sources(paper, source, line, date_label) VALUES (?, ?, ?, ?)"
)
SOURCE_COLUMNS = (
    "path, sha256, format, encoding, size, imported_at, papers, new, known, merged, warnings"
)


@dataclass(frozen=True, slots=True)
class StoredPaper:
    """A paper as a library stored it, read back from an export.

    Nothing is cleaned, found or tagged again, so a library rebuilt from its export holds
    the same ids, text, links and topics. `columns` are its other columns of `papers`
    (arXiv id, authors, dates, raw text) by name; `topics` its automatic topics (the
    reader's own choices are reader state, restored apart).
    """

    id: str
    title: str
    abstract: str
    links: tuple[Link, ...] = ()
    topics: tuple[str, ...] = ()
    columns: tuple[tuple[str, object], ...] = ()


@dataclass(frozen=True, slots=True)
class StoredSource:
    """A dump a library imported, as it recorded it.

    `sha256` is empty when the export held only some of the dump's papers, so that
    importing the dump itself later is not skipped as done already.
    """

    path: str
    sha256: str
    format: str
    encoding: str
    size: int
    imported_at: str
    papers: int = 0
    new: int = 0
    known: int = 0
    merged: int = 0
    warnings: str = ""


def add_stored(conn: sqlite3.Connection, papers: Sequence[StoredPaper]) -> dict[str, int]:
    """Write restored papers in the caller's transaction, indexed as imported ones are;
    their new pks by id. The caller has made sure the library holds none of them (by id,
    arXiv id and title key), as dedupe does for an import."""
    pks: dict[str, int] = {}
    if not papers:
        return pks
    first = conn.execute("SELECT coalesce(max(pk), 0) + 1 FROM papers").fetchone()[0]
    rows: dict[tuple[str, ...], list[tuple[object, ...]]] = defaultdict(list)
    links: list[tuple[object, ...]] = []
    code: list[int] = []
    topics: dict[str, list[int]] = defaultdict(list)
    words: Counter[str] = Counter()
    for pk, paper in enumerate(papers, start=first):
        pks[paper.id] = pk
        url = code_link(paper.links)
        if url:
            code.append(pk)
        names = tuple(name for name, _ in paper.columns)
        row = (pk, paper.id, paper.title, title_key(paper.title), paper.abstract, url)
        rows[names].append(row + tuple(value for _, value in paper.columns))
        links.extend(
            (pk, n, lk.url, lk.kind, lk.host, lk.original) for n, lk in enumerate(paper.links)
        )
        for slug in paper.topics:
            topics[slug].append(pk)
        words.update(title_words(paper.title))
    for names, shaped in rows.items():
        columns = ", ".join(("pk", "id", "title", "title_key", "abstract", "code_url", *names))
        conn.executemany(f"INSERT INTO papers({columns}) VALUES ({marks(6 + len(names))})", shaped)
    conn.executemany(INSERT_LINKS, links)
    conn.executemany(
        INSERT_AUTO_TOPICS, [(pk, slug) for slug, members in topics.items() for pk in members]
    )
    last = first + len(papers) - 1
    conn.execute(FTS_TITLES, (first, last))
    conn.execute(FTS_ABSTRACTS, (first, last))
    index_added(conn, range(first, last + 1), code, topics, words)
    return pks


def add_sources(conn: sqlite3.Connection, sources: Sequence[StoredSource]) -> list[int]:
    """The library's id of each restored dump: the row it has already (the same bytes, or
    the same file imported at the same moment), or a new one."""
    ids = []
    for source in sources:
        row = conn.execute(
            "SELECT id FROM sources WHERE (sha256 = ?1 AND ?1 != '') "
            "OR (path = ?2 AND imported_at = ?3) ORDER BY sha256 = ?1 DESC, id LIMIT 1",
            (source.sha256, source.path, source.imported_at),
        ).fetchone()
        if row is None:
            values = tuple(getattr(source, name) for name in SOURCE_COLUMNS.split(", "))
            cursor = conn.execute(
                f"INSERT INTO sources({SOURCE_COLUMNS}) VALUES ({marks(len(values))})", values
            )
            row = (cursor.lastrowid,)
        elif source.sha256:
            conn.execute(
                "UPDATE sources SET sha256 = ? WHERE id = ? AND sha256 = ''",
                (source.sha256, row[0]),
            )
        ids.append(row[0])
    return ids
