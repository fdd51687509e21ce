"""Every filter of the sidebar as a bitmap in memory, reloaded only when the library changes.

Imported facets (all papers, papers with code, each automatic topic) are stored as bitmaps
in the `facets` table by the importer, so loading them for a million papers reads a few
megabytes instead of millions of rows. The reader's own marks (read, starred, manual
topics, removed topics) are few and read from their tables. The `changes` counters, bumped
by the importer and by triggers, say which part is stale; checking them costs one query.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from papershelf import bitmaps
from papershelf.filters import LATEST, Filter, import_days, source_names

ALL = "papers"
CODE = "code"
TOPIC = "topic:"


@dataclass(slots=True)
class Facets:
    """The library's sets of papers at one moment (bitmaps over pk)."""

    papers: int = 0
    code: int = 0
    topics: dict[str, int] = field(default_factory=dict)
    any_topic: int = 0
    read: int = 0
    starred: int = 0
    not_interested: int = 0


@dataclass(frozen=True, slots=True)
class Import:
    """The papers new on one day of imports: their bitmap, and their pk ranges (one per
    file imported that day, newest first), which give the newest-first order."""

    day: str
    bits: int
    ranges: tuple[tuple[int, int], ...]


def imports(conn: sqlite3.Connection) -> list[Import]:
    """Each day of imports, newest first, with the papers it brought.

    A file's new papers take the pks after every paper known before it, so they are the
    range above the highest pk any earlier file holds: one indexed look-up per file.
    """
    days: dict[str, list[tuple[int, int]]] = {day: [] for day in import_days(conn)}
    highest = 0
    for day, top in conn.execute(
        "SELECT substr(s.imported_at, 1, 10), "
        "(SELECT max(paper) FROM paper_sources WHERE source = s.id) FROM sources s ORDER BY s.id"
    ):
        if top is not None and top > highest:
            days[day].insert(0, (highest + 1, top))
            highest = top
    return [
        Import(day, sum((bitmaps.span(lo, hi) for lo, hi in ranges), 0), tuple(ranges))
        for day, ranges in days.items()
    ]


def changes(conn: sqlite3.Connection) -> dict[str, int]:
    return dict(conn.execute("SELECT kind, n FROM changes"))


def imported_from_sql(conn: sqlite3.Connection) -> dict[str, int]:
    """The imported facets computed from the tables: the slow path, used to rebuild."""
    found = {
        ALL: bitmaps.from_pks(pk for (pk,) in conn.execute("SELECT pk FROM papers")),
        CODE: bitmaps.from_pks(
            pk for (pk,) in conn.execute("SELECT pk FROM papers WHERE code_url IS NOT NULL")
        ),
    }
    by_topic: dict[str, list[int]] = defaultdict(list)
    for slug, paper in conn.execute(
        "SELECT slug, paper FROM paper_topics WHERE origin = 'auto' ORDER BY slug"
    ):
        by_topic[slug].append(paper)
    found.update((TOPIC + slug, bitmaps.from_pks(pks)) for slug, pks in by_topic.items())
    return found


def stored(conn: sqlite3.Connection) -> tuple[dict[str, int], bool]:
    """The stored imported facets, and whether they are current (no retag since)."""
    generation = changes(conn)["auto-topics"]
    current = True
    found: dict[str, int] = {}
    for name, written, bits in conn.execute("SELECT name, generation, bits FROM facets"):
        found[name] = bitmaps.from_bytes(bits)
        current = current and written == generation
    papers_exist = conn.execute("SELECT 1 FROM papers LIMIT 1").fetchone() is not None
    return found, current and (ALL in found or not papers_exist)


def store(conn: sqlite3.Connection, facets: dict[str, int]) -> None:
    """Write imported facets, stamped with the current topic generation (in a transaction)."""
    generation = changes(conn)["auto-topics"]
    conn.executemany(
        "INSERT OR REPLACE INTO facets(name, generation, bits) VALUES (?, ?, ?)",
        [(name, generation, bitmaps.to_bytes(bits)) for name, bits in facets.items()],
    )


def rebuild(conn: sqlite3.Connection) -> None:
    """Recompute and store the imported facets; for writers of automatic topics other than
    the importer (a retag), inside their transaction. Until then searches compute them
    from the tables on every start, which takes seconds at a million papers."""
    store(conn, imported_from_sql(conn))


def add(facets: dict[str, int], additions: Iterable[tuple[str, int]]) -> dict[str, int]:
    """Facets with more papers: (name, bitmap) pairs OR-ed into the named sets."""
    merged = dict(facets)
    for name, bits in additions:
        merged[name] = merged.get(name, 0) | bits
    return merged


class FacetCache:
    """The current `Facets` of one connection, reloaded part by part as counters move."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._seen: dict[str, int] = {}
        self._imported: dict[str, int] = {}
        self._facets = Facets()
        self._lists: dict[str, int] = {}
        self._content_sets: dict[tuple[str, str], int] = {}
        self._reader_sets: dict[tuple[str, str], int] = {}
        self._imports: list[Import] | None = None
        self._choices: dict[str, list[tuple[str, str]]] = {}

    @property
    def generation(self) -> int:
        """The content generation of the facets last returned (new imports move it)."""
        return self._seen.get("content", -1)

    @property
    def notes(self) -> int:
        """How many times a note was written, as of the facets last returned."""
        return self._seen.get("notes", -1)

    def current(self) -> Facets:
        now = changes(self.conn)
        if now == self._seen:
            return self._facets
        if now["content"] != self._seen.get("content") or now["auto-topics"] != self._seen.get(
            "auto-topics"
        ):
            self._imported, fresh = stored(self.conn)
            if not fresh:
                self._imported = imported_from_sql(self.conn)
            self._content_sets.clear()
            self._imports = None
        self._facets = self._with_reader_marks(self._imported)
        self._lists.clear()
        self._reader_sets.clear()
        self._choices.clear()
        self._seen = now
        return self._facets

    def _with_reader_marks(self, imported: dict[str, int]) -> Facets:
        """Imported facets overlaid with what the reader did: marks and topic choices."""
        chosen: dict[str, list[int]] = defaultdict(list)
        removed: dict[str, list[int]] = defaultdict(list)
        for paper, slug, origin in self.conn.execute(
            "SELECT paper, slug, origin FROM paper_topics WHERE origin != 'auto'"
        ):
            (chosen if origin == "manual" else removed)[slug].append(paper)
        topics = {
            name.removeprefix(TOPIC): bits
            for name, bits in imported.items()
            if name.startswith(TOPIC)
        }
        for slug, pks in removed.items():
            if slug in topics:
                topics[slug] &= ~bitmaps.from_pks(pks)
        for slug, pks in chosen.items():
            topics[slug] = topics.get(slug, 0) | bitmaps.from_pks(pks)
        any_topic = 0
        for bits in topics.values():
            any_topic |= bits
        read = bitmaps.from_pks(
            pk for (pk,) in self.conn.execute("SELECT paper FROM state WHERE read_at IS NOT NULL")
        )
        starred = bitmaps.from_pks(
            pk for (pk,) in self.conn.execute("SELECT paper FROM state WHERE starred = 1")
        )
        not_interested = bitmaps.from_pks(
            pk for (pk,) in self.conn.execute("SELECT paper FROM not_interested")
        )
        return Facets(
            papers=imported.get(ALL, 0),
            code=imported.get(CODE, 0),
            topics={slug: bits for slug, bits in topics.items() if bits},
            any_topic=any_topic,
            read=read,
            starred=starred,
            not_interested=not_interested,
        )

    def reading_list(self, name: str) -> int:
        """The papers of a named reading list (read on first use after each change)."""
        self.current()
        if name not in self._lists:
            self._lists[name] = bitmaps.from_pks(
                pk
                for (pk,) in self.conn.execute(
                    "SELECT li.paper FROM list_items li JOIN lists l ON l.id = li.list "
                    "WHERE l.name = ?",
                    (name,),
                )
            )
        return self._lists[name]

    def imports(self) -> list[Import]:
        """The days of imports, newest first (read again after each import)."""
        self.current()
        if self._imports is None:
            self._imports = imports(self.conn)
        return self._imports

    def choices(self, filter_: Filter) -> list[tuple[str, str]]:
        """The values (and labels) a filter takes in this library now."""
        self.current()
        if filter_.name not in self._choices:
            self._choices[filter_.name] = filter_.choices(self.conn)
        return self._choices[filter_.name]

    def members(self, name: str, value: str) -> int:
        """The papers of one filter value, from `SOURCES`; read on first use after a change."""
        facets = self.current()
        if name in BITMAPS:
            return BITMAPS[name](self, facets, value)
        cache = self._reader_sets if name in READER_SQL else self._content_sets
        key = (name, value)
        if key not in cache:
            sql = {**READER_SQL, **CONTENT_SQL}[name]
            if name == "source":
                ids = source_names(self.conn).get(value, [])
                params: tuple[object, ...] = (bitmaps_json(ids),)
            else:
                params = (value,) if "?" in sql else ()
            cache[key] = bitmaps.from_pks(pk for (pk,) in self.conn.execute(sql, params))
        return cache[key]


def bitmaps_json(values: Iterable[int]) -> str:
    return "[" + ",".join(map(str, values)) + "]"


def imported_on(cache: FacetCache, facets: Facets, value: str) -> int:
    days = cache.imports()
    if value == LATEST:
        return days[0].bits if days else 0
    return next((day.bits for day in days if day.day == value), 0)


BitmapSource = Callable[[FacetCache, Facets, str], int]
BITMAPS: dict[str, BitmapSource] = {
    "state": lambda _, f, value: (
        f.read if value == "read" else f.papers & ~f.read & ~f.not_interested
    ),
    "dismissed": lambda _, f, value: f.not_interested,
    "starred": lambda _, f, value: f.starred,
    "code": lambda _, f, value: f.code,
    "topic": lambda _, f, value: f.topics.get(value, 0),
    "untopiced": lambda _, f, value: f.papers & ~f.any_topic,
    "list": lambda cache, f, value: cache.reading_list(value),
    "imported": imported_on,
}
"""Filters whose papers are bitmaps held in memory (the imported facets, the reader's
marks) or built from them."""
READER_SQL = {
    "note": "SELECT paper FROM state WHERE note != ''",
}
"""Filters read from the reader's tables, read again after any change."""
CONTENT_SQL = {
    "link": "SELECT DISTINCT paper FROM links",
    "source": "SELECT paper FROM paper_sources WHERE source IN (SELECT value FROM json_each(?))",
    "date": "SELECT DISTINCT paper FROM paper_sources WHERE date_label = ?",
    "author": "SELECT DISTINCT p.pk FROM papers p, json_each(p.authors) a "
    "WHERE p.authors IS NOT NULL AND a.value = ?",
}
"""Filters read from imported tables, read again after an import."""
