"""Moving the reader's own work between libraries: JSON backups and Markdown reading lists.

A library export (`papershelf export --format json`) holds every paper of a view with
what the reader did to it: read time, star, note, topic choices, and the lists. On
another machine, after importing the same dumps, importing that file puts the reader's
work back. A Markdown reading list written by `papershelf.export` comes back as a named
list whose ticked boxes become read marks.

These files are not dumps. Dumps are content, parsed by `importers` and never allowed
to touch what the reader did; these files are the reader's state, so they bypass the
importer registry (`restore_kind` routes them) and are applied as one undoable change.
Restoring only adds: a paper is matched by id, then arXiv id, then title key, and one
the library does not have is reported, never invented; a read mark, star or note
already here is never taken away.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from papershelf.export import SPECIAL
from papershelf.library import Library, chunks, marks, now
from papershelf.lists import ListError, clean_name, insert_list, list_id, quoted
from papershelf.models import DumpError
from papershelf.text import clean_latex, one_line, sanitize, title_key
from papershelf.undo import Outcome, Snapshot, apply, capture, papers

FORMAT = "papershelf-library"
VERSION = 1
HEAD_BYTES = 4096
RestoreKind = Literal["library", "markdown"]

_LIBRARY_HEAD = re.compile(r'\A\ufeff?\s*\{\s*"format"\s*:\s*"' + FORMAT + '"')
_HEADING = re.compile(r"^# Reading list: (.*)$")
_ITEM = re.compile(r"^- \[([ xX])\] \*\*(.*)\*\*( ★)?\s*$")
_UNESCAPE = re.compile(r"\\" + SPECIAL.pattern)
_MARKDOWN_SUFFIXES = (".md", ".markdown")
_DEFAULT_DESCRIPTION = "all papers"


@dataclass(frozen=True, slots=True)
class SavedState:
    """What a backup says the reader did with one paper this library also holds."""

    pk: int
    read_at: str | None = None
    starred: bool = False
    note: str = ""
    manual: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SavedList:
    name: str
    created_at: str | None
    items: tuple[tuple[int, str], ...]  # (pk, added_at)


@dataclass(frozen=True, slots=True)
class RestorePlan:
    """A backup matched against this library, before anything is written."""

    path: str
    kind: RestoreKind
    entries: int
    states: tuple[SavedState, ...]
    lists: tuple[SavedList, ...]
    missing: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def matched(self) -> int:
        return self.entries - len(self.missing)


@dataclass(frozen=True, slots=True)
class Restored:
    """What restoring one file did; printed by the CLI like an import summary."""

    path: str
    kind: RestoreKind
    entries: int
    matched: int
    changed: int
    lists: tuple[str, ...]
    warnings: tuple[str, ...]

    @property
    def line(self) -> str:
        what = "library export"
        if self.kind == "markdown":
            what = "reading list " + ", ".join(quoted(name) for name in self.lists)
        return (
            f"{self.path}: {what}: {self.entries} papers ({self.matched} in the library, "
            f"{self.entries - self.matched} not), state restored on {papers(self.changed)}"
        )


# Writing ---------------------------------------------------------------------------------


def library_json(lib: Library, pks: Sequence[int], *, all_lists: bool) -> Iterator[str]:
    """The papers with the reader's state, as JSON text in pieces, so any size streams.

    Lists are written with their members among these papers; `all_lists` keeps lists
    with none of them too (a whole-library backup keeps empty lists).
    """
    yield json.dumps({"format": FORMAT, "version": VERSION, "exported_at": now()})[:-1]
    yield ', "papers": ['
    first = True
    for part in chunks(list(pks)):
        for item in _paper_entries(lib.conn, part):
            yield ("\n" if first else ",\n") + json.dumps(item, ensure_ascii=False)
            first = False
    saved_lists = _list_entries(lib.conn, set(pks), all_lists)
    yield '\n], "lists": [' + ",".join(
        "\n" + json.dumps(entry, ensure_ascii=False) for entry in saved_lists
    )
    yield "\n]}\n"


def _paper_entries(conn: sqlite3.Connection, part: Sequence[int]) -> list[dict[str, Any]]:
    q = marks(len(part))
    links: dict[int, list[dict[str, str]]] = {}
    for pk, url, kind in conn.execute(
        f"SELECT paper, url, kind FROM links WHERE paper IN ({q}) ORDER BY paper, position", part
    ):
        links.setdefault(pk, []).append({"url": url, "kind": kind})
    topics: dict[int, dict[str, list[str]]] = {}
    for pk, slug, origin, known in conn.execute(
        f"""SELECT pt.paper, pt.slug, pt.origin, t.slug IS NOT NULL FROM paper_topics pt
            LEFT JOIN topics t ON t.slug = pt.slug
            WHERE pt.paper IN ({q}) ORDER BY pt.paper, t.position, pt.slug""",
        part,
    ):
        kinds = topics.setdefault(pk, {"topics": [], "manual_topics": [], "removed_topics": []})
        if origin != "removed" and known:
            kinds["topics"].append(slug)
        if origin != "auto":
            kinds[f"{origin}_topics"].append(slug)
    rows = {}
    for row in conn.execute(
        f"""SELECT p.pk, p.id, p.arxiv_id, p.title, p.authors, p.published, p.upvotes,
                   p.date_label, p.abstract, s.read_at, coalesce(s.starred, 0),
                   coalesce(s.note, '')
            FROM papers p LEFT JOIN state s ON s.paper = p.pk WHERE p.pk IN ({q})""",
        part,
    ):
        pk, pid, arxiv_id, title, authors, published, upvotes, date_label, abstract = row[:9]
        read_at, starred, note = row[9:]
        rows[pk] = {
            "id": pid,
            "arxiv_id": arxiv_id,
            "title": title,
            "authors": json.loads(authors) if authors else [],
            "published": published,
            "upvotes": upvotes,
            "date_label": date_label,
            "abstract": abstract,
            "links": links.get(pk, []),
            **topics.get(pk, {"topics": [], "manual_topics": [], "removed_topics": []}),
            "read_at": read_at,
            "starred": bool(starred),
            "note": note,
        }
    return [rows[pk] for pk in part if pk in rows]


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


class Index:
    """Every paper's pk by id, arXiv id and title key, for matching a backup in one pass."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.ids: dict[str, int] = {}
        self.arxiv: dict[str, int] = {}
        self.keys: dict[str, int] = {}
        for pk, pid, arxiv_id, key in conn.execute(
            "SELECT pk, id, arxiv_id, title_key FROM papers"
        ):
            self.ids[pid] = pk
            if arxiv_id:
                self.arxiv[arxiv_id] = pk
            self.keys[key] = pk

    def by_title(self, title: str) -> int | None:
        return self.keys.get(title_key(title)) or self.keys.get(
            title_key(one_line(clean_latex(title)))
        )

    def find(self, pid: object, arxiv_id: object, title: object) -> int | None:
        if isinstance(pid, str) and pid in self.ids:
            return self.ids[pid]
        if isinstance(arxiv_id, str) and arxiv_id in self.arxiv:
            return self.arxiv[arxiv_id]
        return self.by_title(title) if isinstance(title, str) else None


def plan_markdown(lib: Library, text: str, path: str) -> RestorePlan:
    """Ticked boxes become read marks and ★ a star; the list takes the heading's name."""
    index = Index(lib.conn)
    name: str | None = None
    stamp = now()
    found: dict[int, SavedState] = {}
    missing: list[str] = []
    entries = 0
    for line in text.lstrip("\ufeff").splitlines():
        if name is None and (heading := _HEADING.match(line)):
            name = list_name(unescape(heading.group(1)), path)
        item = _ITEM.match(line)
        if item is None:
            continue
        entries += 1
        title = unescape(item.group(2))
        pk = index.by_title(title)
        if pk is None:
            missing.append(one_line(title))
            continue
        old = found.get(pk, SavedState(pk))
        found[pk] = SavedState(
            pk,
            read_at=old.read_at or (stamp if item.group(1) in "xX" else None),
            starred=old.starred or bool(item.group(3)),
        )
    items = tuple((pk, stamp) for pk in found)
    saved = SavedList(name or list_name("", path), None, items)
    return RestorePlan(path, "markdown", entries, tuple(found.values()), (saved,), tuple(missing))


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
    entries = data.get("papers")
    saved_lists = data.get("lists", [])
    if not isinstance(entries, list) or not isinstance(saved_lists, list):
        raise DumpError(path, "not a papershelf library export (no list of papers)")
    index = Index(lib.conn)
    known_topics = set(lib.topic_names())
    unknown: set[str] = set()
    by_id: dict[str, int] = {}
    states: list[SavedState] = []
    missing: list[str] = []
    for entry in _objects(entries):
        pk = index.find(entry.get("id"), entry.get("arxiv_id"), entry.get("title"))
        if pk is None:
            missing.append(one_line(str(entry.get("title") or entry.get("id"))))
            continue
        by_id[str(entry.get("id"))] = pk
        topics = {kind: _strings(entry.get(f"{kind}_topics")) for kind in ("manual", "removed")}
        unknown.update(s for slugs in topics.values() for s in slugs if s not in known_topics)
        state = SavedState(
            pk,
            read_at=entry["read_at"] if isinstance(entry.get("read_at"), str) else None,
            starred=entry.get("starred") is True,
            note=sanitize(entry["note"]) if isinstance(entry.get("note"), str) else "",
            manual=tuple(s for s in topics["manual"] if s in known_topics),
            removed=tuple(s for s in topics["removed"] if s in known_topics),
        )
        if state != SavedState(pk):
            states.append(state)
    lists = []
    for saved in saved_lists:
        if not isinstance(saved, dict) or not isinstance(saved.get("name"), str):
            continue
        items = tuple(
            (by_id[item["id"]], str(item.get("added_at") or now()))
            for item in _objects(saved.get("papers"))
            if item.get("id") in by_id
        )
        created = saved.get("created_at")
        lists.append(SavedList(saved["name"], created if isinstance(created, str) else None, items))
    warnings = tuple(f"{path}: topic {slug!r} is not in this taxonomy" for slug in sorted(unknown))
    return RestorePlan(
        path, "library", len(entries), tuple(states), tuple(lists), tuple(missing), warnings
    )


def _objects(value: object) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


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


# Applying --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Restore:
    """Apply a plan as one change: undo takes the whole restore back."""

    plan: RestorePlan

    def run(self, conn: sqlite3.Connection) -> Outcome:
        changed: set[int] = set()
        state = self._state(conn, changed)
        topics = self._topics(conn, changed)
        created, items = self._lists(conn, changed)
        return len(changed), (state, topics, created, items)

    def _state(self, conn: sqlite3.Connection, changed: set[int]) -> Snapshot:
        before = capture(conn, "state", [(s.pk,) for s in self.plan.states])
        current = before.by_key()
        stamp = now()
        rows = []
        for saved in self.plan.states:
            old = current.get((saved.pk,), (saved.pk, None, 0, "", stamp))
            read_at = old[1] or saved.read_at
            starred = int(bool(old[2]) or saved.starred)
            note = merge_notes(str(old[3]), saved.note)
            if (read_at, starred, note) != tuple(old[1:4]):
                rows.append((saved.pk, read_at, starred, note, stamp))
                changed.add(saved.pk)
        conn.executemany(
            "INSERT OR REPLACE INTO state(paper, read_at, starred, note, updated_at) "
            "VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        return before.only((row[0],) for row in rows)

    def _topics(self, conn: sqlite3.Connection, changed: set[int]) -> Snapshot:
        wanted: dict[tuple[int, str], str] = {
            (s.pk, slug): origin
            for s in self.plan.states
            for origin, slugs in (("manual", s.manual), ("removed", s.removed))
            for slug in slugs
        }
        before = capture(conn, "paper_topics", wanted)
        current = {key: row[2] for key, row in before.by_key().items()}
        todo = [key for key, origin in wanted.items() if current.get(key) != origin]
        conn.executemany(
            "INSERT OR REPLACE INTO paper_topics(paper, slug, origin) VALUES (?, ?, ?)",
            [(*key, wanted[key]) for key in todo],
        )
        changed.update(key[0] for key in todo)
        return before.only(todo)

    def _lists(self, conn: sqlite3.Connection, changed: set[int]) -> tuple[Snapshot, Snapshot]:
        created: list[tuple[object, ...]] = []
        added: list[tuple[object, ...]] = []
        for saved in self.plan.lists:
            found = list_id(conn, saved.name)
            if found is None:
                found = insert_list(conn, saved.name, saved.created_at)
                created.append((found,))
            present = capture(conn, "list_items", [(found, pk) for pk, _ in saved.items]).by_key()
            rows = [(found, pk, at) for pk, at in saved.items if (found, pk) not in present]
            conn.executemany(
                "INSERT OR IGNORE INTO list_items(list, paper, added_at) VALUES (?, ?, ?)", rows
            )
            added.extend(row[:2] for row in rows)
            changed.update(pk for _, pk, _ in rows)
        return Snapshot("lists", tuple(created), ()), Snapshot("list_items", tuple(added), ())

    def describe(self, changed: int) -> str:
        return f"restored the reader's state on {papers(changed)} from {self.plan.path}"


def merge_notes(here: str, saved: str) -> str:
    """A note already here is kept; a different saved note is appended, never dropped."""
    if not saved or saved in here:
        return here
    return f"{here}\n\n{saved}" if here else saved


def restore(lib: Library, path: str | Path) -> Restored:
    """Read a papershelf export and apply it; the CLI's path (the TUI journals `Restore`)."""
    plan = read_plan(lib, path)
    entry = apply(lib, Restore(plan))
    missing = tuple(f"{plan.path}: not in the library: {title}" for title in plan.missing)
    return Restored(
        path=plan.path,
        kind=plan.kind,
        entries=plan.entries,
        matched=plan.matched,
        changed=entry.changed,
        lists=tuple(saved.name for saved in plan.lists),
        warnings=plan.warnings + missing,
    )
