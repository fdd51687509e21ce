"""Moving a library between machines: a JSON export restores whole, a Markdown list its state.

A library export (`papershelf export --format json`) is a whole library: every paper of a
view as the library stores it (id, text, facts, links, topics with their origin, the
dumps it came from) with what the reader did to it (read time, star, note, topic
choices, list places, and when that state last changed). Importing it creates the papers
a library lacks, exactly as they were stored, and merges the reader's state into the
ones it has, so a reader left with only the backup gets the whole library back. A
Markdown reading list written by `papershelf.export` brings back, for the papers the
library has, the read marks, stars and notes it shows, as a list named after it.

These files are not dumps: they bypass the importer registry (`restore_kind` routes
them). Papers are created through `papershelf.ingest.add_stored`, indexed as imported
ones are, and the reader's state goes in as one undoable change (`Restore`). A merge
never loses either side: per paper, the side whose state changed last (`updated_at`)
gives the read mark and the star, and a side that does not say when (a Markdown list, a
version 1 file) only adds them; notes that differ are both kept, one under the other
below a marker line; a topic choice or list place already here stays and the file's
others are added. Entries of one file naming the same paper (by id, arXiv id or title)
are merged the same way, never one over the other.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar
from urllib.parse import urlsplit

from papershelf.export import SPECIAL
from papershelf.library import Library, chunks, marks, now
from papershelf.links import safe_url
from papershelf.lists import ListError, clean_name, insert_list, list_id, quoted
from papershelf.models import LINK_KINDS, DumpError, Link
from papershelf.text import clean_latex, one_line, sanitize, title_key
from papershelf.undo import Entry, Outcome, Snapshot, apply, capture, papers

if TYPE_CHECKING:
    from papershelf.ingest import StoredPaper, StoredSource

FORMAT = "papershelf-library"
VERSION = 2
"""1: papers with the reader's state and lists (up to 6c335cf). 2: also the dumps the
papers came from, every stored fact and raw text, link hosts, automatic topics and when
each paper's state last changed, so a fresh library can be rebuilt from the file."""
HEAD_BYTES = 4096
RestoreKind = Literal["library", "markdown"]
Ref = int | str
"""A paper a restore writes to: the pk of one the library has, or the id of one it creates."""

# A paper's stored facts besides id, title and abstract: JSON key, column of `papers`, kind.
# "list" columns hold a JSON array of strings in the library and an array in the file.
COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("arxiv_id", "arxiv_id", "id"),
    ("title_raw", "title_raw", "text"),
    ("authors", "authors", "list"),
    ("published", "published", "text"),
    ("upvotes", "upvotes", "int"),
    ("github_stars", "github_stars", "int"),
    ("comments", "comments", "int"),
    ("keywords", "ai_keywords", "list"),
    ("date_label", "date_label", "text"),
    ("added_at", "added_at", "text"),
    ("abstract_raw", "abstract_raw", "text"),
)
SOURCE_INTS = ("size", "papers", "new", "known", "merged")
SOURCE_TEXTS = ("path", "format", "encoding", "imported_at", "warnings")
SQLITE_INT = range(-(2**63), 2**63)
T = TypeVar("T")

_LIBRARY_HEAD = re.compile(r'\A\ufeff?\s*\{\s*"format"\s*:\s*"' + FORMAT + '"')
_HEADING = re.compile(r"^# Reading list: (.*)$")
_ITEM = re.compile(r"^- \[([ xX])\] \*\*(.*)\*\*( ★)?\s*$")
_NOTE = re.compile(r"^  >(?: (.*))?$")
_UNESCAPE = re.compile(r"\\" + SPECIAL.pattern)
_INERT_START = re.compile(r"^(\d{1,9})\\([.)])|^\\([-=])")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/-]{0,63}", re.ASCII)
_SHA256 = re.compile(r"[0-9a-f]{64}")
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_DEFAULT_DESCRIPTION = "all papers"


@dataclass(frozen=True, slots=True)
class SavedState:
    """What one side says the reader did with a paper; `updated_at` None when it does not
    say when (a Markdown list, a version 1 file, a paper never touched)."""

    read_at: str | None = None
    starred: bool = False
    note: str = ""
    updated_at: str | None = None
    manual: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    not_interested: str | None = None
    """When the paper was marked not interested (`x`); a mark is only ever added."""

    @property
    def values(self) -> tuple[str | None, bool, str]:
        return self.read_at, self.starred, self.note


@dataclass(frozen=True, slots=True)
class SavedList:
    name: str
    created_at: str | None
    items: tuple[tuple[Ref, str], ...]  # (paper, added_at)


@dataclass(frozen=True, slots=True)
class RestorePlan:
    """An export read and matched against this library, before anything is written."""

    path: str
    kind: RestoreKind
    entries: int
    matched: frozenset[int]
    states: tuple[tuple[Ref, SavedState], ...]
    lists: tuple[SavedList, ...]
    missing: tuple[str, ...]
    """Entries nothing came of: titles of a Markdown list that this library lacks, or
    "paper N" for a JSON entry without a usable id and title."""
    create: tuple[StoredPaper, ...] = ()
    sources: tuple[StoredSource, ...] = ()
    provenance: tuple[tuple[Ref, int, int, str | None], ...] = ()
    """(paper, index in `sources`, line in the dump, its date label)."""
    warnings: tuple[str, ...] = field(default=())

    @property
    def repeated(self) -> int:
        """Entries naming a paper an earlier entry named (merged into it)."""
        return self.entries - len(self.create) - len(self.matched) - len(self.missing)


@dataclass(frozen=True, slots=True)
class Restored:
    """What restoring one file did; printed by the CLI like an import summary.

    `merged` papers were here and took something from the file; `kept` were here and
    the file changed nothing on them.
    """

    path: str
    kind: RestoreKind
    entries: int
    created: int
    merged: int
    kept: int
    repeated: int
    missing: int
    changed: int
    lists: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def line(self) -> str:
        what = "library export"
        if self.kind == "markdown":
            what = "reading list " + ", ".join(quoted(name) for name in self.lists)
        parts = [f"{self.created} created"] if self.kind == "library" else []
        parts += [f"{self.merged} merged", f"{self.kept} kept"]
        if self.repeated:
            parts.append(f"{self.repeated} repeated in the file")
        if self.missing:
            unused = "not in the library" if self.kind == "markdown" else "unreadable"
            parts.append(f"{self.missing} {unused}")
        return (
            f"{self.path}: {what}: {papers(self.entries)} ({', '.join(parts)}), "
            f"state restored on {papers(self.changed)}"
        )


# Writing ---------------------------------------------------------------------------------


def library_json(lib: Library, pks: Sequence[int], *, all_lists: bool) -> Iterator[str]:
    """The papers with the reader's state, as JSON text in pieces, so any size streams.

    Papers go in library order, so a library restored from the file numbers them alike.
    Lists are written with their members among these papers, dumps when some of these
    papers came from them; `all_lists` (a whole-library backup) keeps the others too.
    """
    order = sorted(pks)
    sources, position = _source_entries(lib.conn, set(order), all_lists)
    yield json.dumps({"format": FORMAT, "version": VERSION, "exported_at": now()})[:-1]
    yield ', "sources": [' + ",".join("\n" + _json(entry) for entry in sources) + "\n]"
    yield ', "papers": ['
    first = True
    for part in chunks(order):
        for item in _paper_entries(lib.conn, part, position):
            yield ("\n" if first else ",\n") + _json(item)
            first = False
    saved_lists = _list_entries(lib.conn, set(order), all_lists)
    yield '\n], "lists": [' + ",".join("\n" + _json(entry) for entry in saved_lists)
    yield "\n]}\n"


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _source_entries(
    conn: sqlite3.Connection, wanted: set[int], all_lists: bool
) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """The dumps to write and each one's place in the file.

    A dump some of whose papers stay behind is written without its sha256: a library
    restored from the file has not got that whole dump, so importing it must not be
    skipped there as done already.
    """
    used: set[int] = set()
    partial: set[int] = set()
    for source, paper in conn.execute("SELECT source, paper FROM paper_sources"):
        if paper in wanted:
            used.add(source)
        else:
            partial.add(source)
    entries: list[dict[str, Any]] = []
    position: dict[int, int] = {}
    for sid, path, sha256, fmt, encoding, size, imported_at, *counts, warnings in conn.execute(
        "SELECT id, path, sha256, format, encoding, size, imported_at, papers, new, known, "
        "merged, warnings FROM sources ORDER BY id"
    ):
        if sid not in used and not all_lists:
            continue
        position[sid] = len(entries)
        entries.append(
            {
                "path": path,
                "sha256": sha256 if sha256 and sid not in partial else None,
                "format": fmt,
                "encoding": encoding,
                "size": size,
                "imported_at": imported_at,
                **dict(zip(("papers", "new", "known", "merged"), counts, strict=True)),
                "warnings": warnings,
            }
        )
    return entries, position


def _paper_entries(
    conn: sqlite3.Connection, part: Sequence[int], position: dict[int, int]
) -> list[dict[str, Any]]:
    q = marks(len(part))
    links: dict[int, list[dict[str, str | None]]] = {}
    for pk, url, kind, host, original in conn.execute(
        f"SELECT paper, url, kind, host, original FROM links WHERE paper IN ({q}) "
        "ORDER BY paper, position",
        part,
    ):
        links.setdefault(pk, []).append(
            {"url": url, "kind": kind, "host": host, "original": original}
        )
    topics: dict[int, dict[str, list[str]]] = {pk: _no_topics() for pk in part}
    for pk, slug, origin, known in conn.execute(
        f"""SELECT pt.paper, pt.slug, pt.origin, t.slug IS NOT NULL FROM paper_topics pt
            LEFT JOIN topics t ON t.slug = pt.slug
            WHERE pt.paper IN ({q}) ORDER BY pt.paper, t.position, pt.slug""",
        part,
    ):
        if origin != "removed" and known:
            topics[pk]["topics"].append(slug)
        topics[pk][f"{origin}_topics"].append(slug)
    provenance: dict[int, list[dict[str, Any]]] = {}
    for pk, source, line, date_label in conn.execute(
        f"SELECT paper, source, line, date_label FROM paper_sources WHERE paper IN ({q}) "
        "ORDER BY paper, source",
        part,
    ):
        provenance.setdefault(pk, []).append(
            {"source": position[source], "line": line, "date_label": date_label}
        )
    dismissed = dict(
        conn.execute(f"SELECT paper, at FROM not_interested WHERE paper IN ({q})", part)
    )
    columns = ", ".join(f"p.{column}" for _, column, _ in COLUMNS)
    rows = {}
    for pk, pid, title, abstract, *stored in conn.execute(
        f"""SELECT p.pk, p.id, p.title, p.abstract, {columns}, s.read_at,
                   coalesce(s.starred, 0), coalesce(s.note, ''), s.updated_at
            FROM papers p LEFT JOIN state s ON s.paper = p.pk WHERE p.pk IN ({q})""",
        part,
    ):
        facts = stored[: len(COLUMNS)]
        read_at, starred, note, updated_at = stored[len(COLUMNS) :]
        rows[pk] = {
            "id": pid,
            "title": title,
            **{
                key: (json.loads(value) if value else []) if kind == "list" else value
                for (key, _, kind), value in zip(COLUMNS, facts, strict=True)
            },
            "abstract": abstract,
            "links": links.get(pk, []),
            **topics[pk],
            "sources": provenance.get(pk, []),
            "read_at": read_at,
            "starred": bool(starred),
            "note": note,
            "updated_at": updated_at,
            "not_interested_at": dismissed.get(pk),
        }
    return [rows[pk] for pk in part if pk in rows]


def _no_topics() -> dict[str, list[str]]:
    return {"topics": [], "auto_topics": [], "manual_topics": [], "removed_topics": []}


def _list_entries(conn: sqlite3.Connection, wanted: set[int], all_lists: bool) -> list[Any]:
    lists: dict[int, dict[str, Any]] = {
        lid: {"name": name, "created_at": created, "papers": []}
        for lid, name, created in conn.execute(
            "SELECT id, name, created_at FROM lists ORDER BY name COLLATE NOCASE"
        )
    }
    for lid, pid, pk, added in conn.execute(
        """SELECT li.list, p.id, p.pk, li.added_at FROM list_items li
           JOIN papers p ON p.pk = li.paper ORDER BY li.list, li.added_at, p.pk"""
    ):
        if pk in wanted:
            lists[lid]["papers"].append({"id": pid, "added_at": added})
    return [entry for entry in lists.values() if all_lists or entry["papers"]]


# Reading ---------------------------------------------------------------------------------


def restore_kind(path: str | Path) -> RestoreKind | None:
    """Whether a file is a papershelf export rather than a dump; None when it is not."""
    path = Path(path)
    if not path.is_file():  # a pipe would block here; the importer names the problem
        return None
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES).decode("utf-8", "replace")
    except OSError:
        return None
    if _LIBRARY_HEAD.match(head):
        return "library"
    lines = [line for line in head.lstrip("\ufeff").splitlines() if line.strip()]
    if lines and _HEADING.match(lines[0]):
        return "markdown"
    if path.suffix.lower() in _MARKDOWN_SUFFIXES and any(_ITEM.match(ln) for ln in lines):
        return "markdown"
    return None


def unescape(text: str) -> str:
    """Undo `papershelf.export.escape`."""
    return _UNESCAPE.sub(r"\1", text)


def unquote_note(line: str) -> str:
    """Undo `papershelf.export.note_lines` for one line."""
    return unescape(_INERT_START.sub(lambda m: f"{m[1]}{m[2]}" if m[1] else m[3], line, count=1))


class Index:
    """Papers by id, arXiv id and title key, for matching a file's entries in one pass:
    the library's (by pk), or those a restore is about to create (by id)."""

    def __init__(self, conn: sqlite3.Connection | None = None) -> None:
        self.ids: dict[str, Ref] = {}
        self.arxiv: dict[str, Ref] = {}
        self.keys: dict[str, Ref] = {}
        if conn is not None:
            for pk, pid, arxiv_id, key in conn.execute(
                "SELECT pk, id, arxiv_id, title_key FROM papers"
            ):
                self.add(pk, pid, arxiv_id, key)

    def add(self, ref: Ref, pid: str, arxiv_id: str | None, key: str) -> None:
        self.ids[pid] = ref
        if arxiv_id:
            self.arxiv[arxiv_id] = ref
        self.keys[key] = ref

    def by_title(self, title: str) -> Ref | None:
        found = self.keys.get(title_key(title))
        if found is None:
            found = self.keys.get(title_key(one_line(clean_latex(title))))
        return found

    def find(self, pid: str | None, arxiv_id: str | None, title: str | None) -> Ref | None:
        for found in (self.ids.get(pid or ""), self.arxiv.get(arxiv_id or "")):
            if found is not None:
                return found
        return self.by_title(title) if title else None


def marker(path: str) -> str:
    """The line above a note merged in from `path`, below the note already there."""
    return f"--- note from {one_line(Path(path).name)} ---"


def plan_markdown(lib: Library, text: str, path: str) -> RestorePlan:
    """Ticked boxes become read marks, ★ a star and quoted lines the note; the list takes
    the heading's name."""
    index = Index(lib.conn)
    name: str | None = None
    items: list[tuple[str, bool, bool, list[str]]] = []
    for line in text.lstrip("\ufeff").splitlines():
        if name is None and (heading := _HEADING.match(line)):
            name = list_name(unescape(heading.group(1)), path)
        if item := _ITEM.match(line):
            items.append((unescape(item.group(2)), item.group(1) in "xX", bool(item.group(3)), []))
        elif items and (quoted_line := _NOTE.match(line)):
            items[-1][3].append(unquote_note(quoted_line.group(1) or ""))
    stamp = now()
    found: dict[int, SavedState] = {}
    missing: list[str] = []
    for title, ticked, starred, note in items:
        pk = index.by_title(title)
        if not isinstance(pk, int):
            missing.append(one_line(title))
            continue
        saved = SavedState(stamp if ticked else None, starred, sanitize("\n".join(note).strip()))
        if pk in found:
            saved = merge(found[pk], saved, marker(path), newer_wins=False)
        found[pk] = saved
    saved_list = SavedList(name or list_name("", path), None, tuple((pk, stamp) for pk in found))
    return RestorePlan(
        path,
        "markdown",
        len(items),
        frozenset(found),
        tuple(found.items()),
        (saved_list,),
        tuple(missing),
    )


def list_name(description: str, path: str) -> str:
    """`list X` in an exported heading names list X; any other view names a list after itself."""
    parts = description.split(" · ")
    named = [part[5:] for part in parts if part.startswith("list ")]
    if named and named[0].strip():
        return one_line(named[0])
    if description.strip() and description != _DEFAULT_DESCRIPTION:
        return one_line(description)
    return Path(path).stem


def plan_library(lib: Library, text: str, path: str) -> RestorePlan:
    """Match each entry to a paper here, or make it a paper to create; fold repeats."""
    data = _library_data(text, path)
    entries, version = data["papers"], data["version"]
    sources, places = _saved_sources(data.get("sources"))
    index, fresh = Index(lib.conn), Index()
    known_topics = set(lib.topic_names())
    unknown: set[str] = set()
    stamp = now()
    by_id: dict[str, Ref] = {}
    states: dict[Ref, SavedState] = {}
    matched: set[int] = set()
    create: list[StoredPaper] = []
    provenance: list[tuple[Ref, int, int, str | None]] = []
    missing: list[str] = []
    for number, entry in enumerate(entries, start=1):
        entry = entry if isinstance(entry, dict) else {}
        pid, arxiv_id = _id(entry.get("id")), _id(entry.get("arxiv_id"))
        title = one_line(entry["title"]) if isinstance(entry.get("title"), str) else ""
        ref = index.find(pid, arxiv_id, title)
        if isinstance(ref, int):
            matched.add(ref)
        else:
            ref = fresh.find(pid, arxiv_id, title)
        if ref is None:
            if pid is None or not title_key(title):
                missing.append(f"paper {number}")
                continue
            ref = pid
            fresh.add(ref, pid, arxiv_id, title_key(title))
            auto = _topics(entry, "auto", version, known_topics, unknown)
            create.append(_stored_paper(entry, pid, title, auto, stamp))
        if isinstance(entry.get("id"), str):
            by_id[entry["id"]] = ref
        saved = SavedState(
            read_at=_text(entry.get("read_at")),
            starred=entry.get("starred") is True,
            note=sanitize(entry["note"]) if isinstance(entry.get("note"), str) else "",
            updated_at=_text(entry.get("updated_at")),
            manual=_topics(entry, "manual", version, known_topics, unknown),
            removed=_topics(entry, "removed", version, known_topics, unknown),
            not_interested=_text(entry.get("not_interested_at")),
        )
        if ref in states:
            states[ref] = merge(states[ref], saved, marker(path), newer_wins=False)
        elif saved != SavedState():
            states[ref] = saved
        provenance.extend((ref, *place) for place in _places(entry.get("sources"), places))
    warnings = tuple(
        f"{path}: topic {slug!r} is not in this taxonomy; left out" for slug in sorted(unknown)
    )
    return RestorePlan(
        path,
        "library",
        len(entries),
        frozenset(matched),
        tuple(states.items()),
        tuple(_saved_lists(data.get("lists", []), by_id, stamp)),
        tuple(missing),
        tuple(create),
        tuple(sources),
        tuple(provenance),
        warnings,
    )


def _library_data(text: str, path: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise DumpError(path, f"invalid JSON: {error.msg}", error.lineno) from None
    except RecursionError:
        raise DumpError(path, "invalid JSON: nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise DumpError(path, "not a papershelf library export")
    version = data.get("version")
    if not isinstance(version, int) or version > VERSION:
        raise DumpError(path, f"written by a newer papershelf (format version {version})")
    if version < 1:
        raise DumpError(path, f"unknown format version {version}")
    if not isinstance(data.get("papers"), list) or not isinstance(data.get("lists", []), list):
        raise DumpError(path, "not a papershelf library export (no list of papers)")
    return data


def _stored_paper(
    entry: dict[str, Any], pid: str, title: str, auto: tuple[str, ...], stamp: str
) -> StoredPaper:
    from papershelf.ingest import StoredPaper

    abstract = entry.get("abstract")
    columns = tuple((column, _column(entry.get(key), kind)) for key, column, kind in COLUMNS)
    return StoredPaper(
        id=pid,
        title=title,
        abstract=sanitize(abstract) if isinstance(abstract, str) else "",
        links=_links(entry.get("links")),
        topics=auto,
        columns=tuple(
            (column, stamp if column == "added_at" and value is None else value)
            for column, value in columns
        ),
    )


def _column(value: object, kind: str) -> object:
    """A fact from the file as the library stores it; None for anything of the wrong kind."""
    if kind == "id":
        return _id(value)
    if kind == "text":
        return sanitize(value) if isinstance(value, str) else None
    if kind == "int":
        return _int(value)
    strings = [sanitize(v) for v in _objects_of(value, str)]
    return json.dumps(strings, ensure_ascii=False) if strings else None


def _links(value: object) -> tuple[Link, ...]:
    """The file's links that are safe to open, each once; the host is read from the URL."""
    found: dict[str, Link] = {}
    for item in _objects(value):
        url = safe_url(item["url"]) if isinstance(item.get("url"), str) else None
        if url is None or url in found:
            continue
        kind = item.get("kind") if item.get("kind") in LINK_KINDS else "other"
        original = item.get("original")
        written = safe_url(original) if isinstance(original, str) else None
        found[url] = Link(url, str(kind), urlsplit(url).hostname or "", written)
    return tuple(found.values())


def _topics(
    entry: dict[str, Any], origin: str, version: int, known: set[str], unknown: set[str]
) -> tuple[str, ...]:
    """The entry's topics of one origin that this taxonomy has; a version 1 file gives
    the automatic ones as its visible topics less the manual ones."""
    slugs = _objects_of(entry.get(f"{origin}_topics"), str)
    if origin == "auto" and version == 1:
        manual = set(_objects_of(entry.get("manual_topics"), str))
        slugs = [s for s in _objects_of(entry.get("topics"), str) if s not in manual]
    unknown.update(s for s in slugs if s not in known)
    return tuple(dict.fromkeys(s for s in slugs if s in known))


def _saved_sources(value: object) -> tuple[list[StoredSource], dict[int, int]]:
    """The file's dumps that are whole records, and where each went among them."""
    from papershelf.ingest import StoredSource

    sources: list[StoredSource] = []
    places: dict[int, int] = {}
    for number, item in enumerate(value if isinstance(value, list) else []):
        if not isinstance(item, dict):
            continue
        texts = {key: _text(item.get(key)) for key in SOURCE_TEXTS}
        if not texts["path"] or not texts["imported_at"]:
            continue
        sha256 = item.get("sha256")
        places[number] = len(sources)
        sources.append(
            StoredSource(
                sha256=sha256 if isinstance(sha256, str) and _SHA256.fullmatch(sha256) else "",
                **{key: text or "" for key, text in texts.items()},
                **{key: _int(item.get(key)) or 0 for key in SOURCE_INTS},
            )
        )
    return sources, places


def _places(value: object, places: dict[int, int]) -> Iterator[tuple[int, int, str | None]]:
    """(source, line, date label) of an entry's provenance, for the dumps the file has."""
    for item in _objects(value):
        source = _int(item.get("source"))
        if source in places:
            yield places[source], _int(item.get("line")) or 0, _text(item.get("date_label"))


def _saved_lists(value: list[Any], by_id: dict[str, Ref], stamp: str) -> Iterator[SavedList]:
    for saved in value:
        if not isinstance(saved, dict) or not isinstance(saved.get("name"), str):
            continue
        items: dict[Ref, str] = {}
        for item in _objects(saved.get("papers")):
            ref = by_id.get(item["id"]) if isinstance(item.get("id"), str) else None
            if ref is not None and ref not in items:
                items[ref] = _text(item.get("added_at")) or stamp
        yield SavedList(saved["name"], _text(saved.get("created_at")), tuple(items.items()))


def _id(value: object) -> str | None:
    return value if isinstance(value, str) and _ID.fullmatch(value) else None


def _text(value: object) -> str | None:
    return sanitize(value) if isinstance(value, str) else None


def _int(value: object) -> int | None:
    """An integer SQLite can store; a bool or a number too large is no integer here."""
    ok = isinstance(value, int) and not isinstance(value, bool) and value in SQLITE_INT
    return value if ok else None  # type: ignore[return-value]


def _objects(value: object) -> list[dict[str, Any]]:
    return _objects_of(value, dict)


def _objects_of(value: object, kind: type[T]) -> list[T]:
    return [v for v in value if isinstance(v, kind)] if isinstance(value, list) else []


def read_plan(lib: Library, path: str | Path) -> RestorePlan:
    """Read and match a papershelf export; raises DumpError for a file that is not one."""
    shown = str(path)
    kind = restore_kind(path)
    if kind is None:
        raise DumpError(shown, "not a papershelf export (a JSON backup or a Markdown list)")
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise DumpError(shown, error.strerror or str(error)) from None
    except UnicodeDecodeError:
        raise DumpError(shown, "not valid UTF-8 text") from None
    plan = plan_library(lib, text, shown) if kind == "library" else plan_markdown(lib, text, shown)
    for saved in plan.lists:  # checked now, so the refusal names the file
        try:
            clean_name(saved.name)
        except ListError as error:
            raise DumpError(shown, str(error)) from None
    return plan


# Merging ---------------------------------------------------------------------------------


def merge(here: SavedState, there: SavedState, mark: str, *, newer_wins: bool = True) -> SavedState:
    """`here` with what `there` brings, losing neither.

    When both say when they changed (and `newer_wins`), the later one gives the read mark
    and the star; otherwise `there` can only add them, as two entries of one file for
    the same paper do. Differing notes are both kept, here's first. A topic choice here
    stays; `there`'s choices of other topics are added. A state unlike either side is
    stamped as changing now, or, between entries of a file, when the later one changed.
    """
    if newer_wins and here.updated_at and there.updated_at:
        newer = there if there.updated_at > here.updated_at else here
        read_at, starred = newer.read_at, newer.starred
    else:
        read_at, starred = here.read_at or there.read_at, here.starred or there.starred
    values = (read_at, starred, merge_notes(here.note, there.note, mark))
    if values == there.values:
        updated_at = there.updated_at
    elif values == here.values:
        updated_at = here.updated_at
    else:
        stamps = [stamp for stamp in (here.updated_at, there.updated_at) if stamp]
        updated_at = None if newer_wins or not stamps else max(stamps)
    chosen = set(here.manual + here.removed)
    manual = here.manual + tuple(s for s in there.manual if s not in chosen)
    chosen.update(manual)
    return SavedState(
        *values,
        updated_at=updated_at,
        manual=manual,
        removed=here.removed + tuple(s for s in there.removed if s not in chosen),
        not_interested=here.not_interested or there.not_interested,
    )


def merge_notes(here: str, there: str, mark: str) -> str:
    """Both notes, here's first and the other below `mark`, unless one holds the other
    (spacing aside), as a note merged before holds both."""
    if _holds(here, there):
        return here
    if _holds(there, here):
        return there
    return f"{here}\n{mark}\n{there}"


def _holds(note: str, other: str) -> bool:
    lines, wanted = _note_lines(note), _note_lines(other)
    width = len(wanted)
    return any(lines[n : n + width] == wanted for n in range(len(lines) - width + 1))


def _note_lines(note: str) -> list[str]:
    return [" ".join(line.split()) for line in note.splitlines() if line.strip()]


# Applying --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restore:
    """Apply a plan in one transaction: create the papers, then merge the reader's state.

    Undo takes back the reader's state; the papers created stay, as an import's do.
    """

    plan: RestorePlan

    def run(self, conn: sqlite3.Connection) -> Outcome:
        from papershelf.ingest import INSERT_PROVENANCE, add_sources, add_stored

        created = add_stored(conn, self.plan.create)

        def pk_of(ref: Ref) -> int:
            return ref if isinstance(ref, int) else created[ref]

        sources = add_sources(conn, self.plan.sources)
        conn.executemany(
            INSERT_PROVENANCE,
            [(pk_of(ref), sources[n], line, label) for ref, n, line, label in self.plan.provenance],
        )
        changed: set[int] = set()
        state = self._state(conn, pk_of, changed)
        topics = self._topics(conn, pk_of, changed)
        made, items = self._lists(conn, pk_of, changed)
        dismissed = self._not_interested(conn, pk_of, changed)
        return len(changed), (state, topics, made, items, dismissed)

    def _state(
        self, conn: sqlite3.Connection, pk_of: Callable[[Ref], int], changed: set[int]
    ) -> Snapshot:
        targets = [(pk_of(ref), saved) for ref, saved in self.plan.states]
        before = capture(conn, "state", [(pk,) for pk, _ in targets])
        current = before.by_key()
        stamp = now()
        rows = []
        for pk, saved in targets:
            row = current.get((pk,))
            here = SavedState()
            if row is not None:
                here = SavedState(row[1], bool(row[2]), str(row[3]), str(row[4]))
            got = merge(here, saved, marker(self.plan.path))
            fresh = row is None and (got.values != here.values or saved.updated_at is not None)
            if fresh or (row is not None and got.values != here.values):
                rows.append((pk, got.read_at, int(got.starred), got.note, got.updated_at or stamp))
                changed.add(pk)
        conn.executemany(
            "INSERT OR REPLACE INTO state(paper, read_at, starred, note, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        return before.only((row[0],) for row in rows)

    def _not_interested(
        self, conn: sqlite3.Connection, pk_of: Callable[[Ref], int], changed: set[int]
    ) -> Snapshot:
        """The file's "not interested" marks on papers not marked here."""
        wanted = {
            pk_of(ref): saved.not_interested
            for ref, saved in self.plan.states
            if saved.not_interested
        }
        before = capture(conn, "not_interested", [(pk,) for pk in wanted])
        todo = [pk for pk in wanted if (pk,) not in before.by_key()]
        conn.executemany(
            "INSERT INTO not_interested(paper, at) VALUES (?, ?)", [(pk, wanted[pk]) for pk in todo]
        )
        changed.update(todo)
        return before.only((pk,) for pk in todo)

    def _topics(
        self, conn: sqlite3.Connection, pk_of: Callable[[Ref], int], changed: set[int]
    ) -> Snapshot:
        """The file's topic choices, on topics the reader has not chosen for here."""
        wanted: dict[tuple[int, str], str] = {}
        for ref, saved in self.plan.states:
            for origin, slugs in (("removed", saved.removed), ("manual", saved.manual)):
                wanted.update(((pk_of(ref), slug), origin) for slug in slugs)
        before = capture(conn, "paper_topics", wanted)
        current = {key: row[2] for key, row in before.by_key().items()}
        todo = [key for key in wanted if current.get(key, "auto") == "auto"]
        conn.executemany(
            "INSERT OR REPLACE INTO paper_topics(paper, slug, origin) VALUES (?, ?, ?)",
            [(*key, wanted[key]) for key in todo],
        )
        changed.update(key[0] for key in todo)
        return before.only(todo)

    def _lists(
        self, conn: sqlite3.Connection, pk_of: Callable[[Ref], int], changed: set[int]
    ) -> tuple[Snapshot, Snapshot]:
        created: list[tuple[object, ...]] = []
        added: list[tuple[object, ...]] = []
        for saved in self.plan.lists:
            found = list_id(conn, saved.name)
            if found is None:
                found = insert_list(conn, saved.name, saved.created_at)
                created.append((found,))
            items = [(pk_of(ref), at) for ref, at in saved.items]
            present = capture(conn, "list_items", [(found, pk) for pk, _ in items]).by_key()
            rows = [(found, pk, at) for pk, at in items if (found, pk) not in present]
            conn.executemany(
                "INSERT OR IGNORE INTO list_items(list, paper, added_at) VALUES (?, ?, ?)", rows
            )
            added.extend(row[:2] for row in rows)
            changed.update(pk for _, pk, _ in rows)
        return Snapshot("lists", tuple(created), ()), Snapshot("list_items", tuple(added), ())

    def describe(self, changed: int) -> str:
        made = f"created {papers(len(self.plan.create))} and " if self.plan.create else ""
        return f"{made}restored the reader's state on {papers(changed)} from {self.plan.path}"


def touched(before: Iterable[Snapshot]) -> set[int]:
    """The papers whose reader state a change wrote, from the snapshots it kept."""
    column = {"state": 0, "paper_topics": 0, "list_items": 1, "not_interested": 0}
    found = set()
    for snap in before:
        for key in snap.keys if snap.table in column else ():
            pk = key[column[snap.table]]
            if isinstance(pk, int):
                found.add(pk)
    return found


def summary(plan: RestorePlan, entry: Entry) -> Restored:
    """What a restore did, from its plan and the change as applied (CLI and app alike)."""
    merged = len(touched(entry.before) & plan.matched)
    problem = (
        "not in the library: {}" if plan.kind == "markdown" else "{} has no usable id and title"
    )
    missing = tuple(f"{plan.path}: {problem.format(label)}" for label in plan.missing)
    return Restored(
        path=plan.path,
        kind=plan.kind,
        entries=plan.entries,
        created=len(plan.create),
        merged=merged,
        kept=len(plan.matched) - merged,
        repeated=plan.repeated,
        missing=len(plan.missing),
        changed=entry.changed,
        lists=tuple(saved.name for saved in plan.lists),
        warnings=plan.warnings + missing,
    )


def restore(lib: Library, path: str | Path) -> Restored:
    """Read a papershelf export and apply it; the CLI's path (the app journals `Restore`)."""
    plan = read_plan(lib, path)
    return summary(plan, apply(lib, Restore(plan)))
