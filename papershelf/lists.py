"""Named reading lists: the reader's own collections of papers, with counts for the sidebar.

Names are compared without case ("To Read" and "to read" are one list) because the
schema says so; a paper may sit in any number of lists. Every write is a change from
`papershelf.undo`, so deleting a list, or taking a whole view out of one, can be undone.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from papershelf.library import Library, LibraryError, now
from papershelf.text import one_line
from papershelf.undo import Outcome, Snapshot, capture, existing, papers

MAX_NAME = 100


class ListError(LibraryError):
    """A list name that is missing, taken or unusable; one line for the reader."""


@dataclass(frozen=True, slots=True)
class ListSummary:
    """One line of the lists facet: the list and how much of it is left to read."""

    name: str
    papers: int
    unread: int
    created_at: str


def quoted(name: str) -> str:
    return f'"{one_line(name)}"'


def clean_name(name: str) -> str:
    """A list name on one line; refuses an empty or overlong one."""
    cleaned = one_line(name)
    if not cleaned:
        raise ListError("a list needs a name")
    if len(cleaned) > MAX_NAME:
        raise ListError(f"a list name is at most {MAX_NAME} characters")
    return cleaned


def list_id(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute("SELECT id FROM lists WHERE name = ?", (one_line(name),)).fetchone()
    return None if row is None else int(row[0])


def require(conn: sqlite3.Connection, name: str) -> int:
    found = list_id(conn, name)
    if found is None:
        raise ListError(f"no list named {one_line(name)!r}; see `papershelf list ls`")
    return found


def summaries(lib: Library) -> list[ListSummary]:
    """Every list with its paper and unread counts, by name."""
    return [
        ListSummary(name, total, total - read, created)
        for name, total, read, created in lib.conn.execute(
            """SELECT l.name, count(li.paper), count(s.read_at), l.created_at
               FROM lists l
               LEFT JOIN list_items li ON li.list = l.id
               LEFT JOIN state s ON s.paper = li.paper
               GROUP BY l.id ORDER BY l.name COLLATE NOCASE"""
        )
    ]


def members(lib: Library, name: str) -> list[int]:
    """The pks in a list, in the order they were added."""
    found = require(lib.conn, name)
    return [
        pk
        for (pk,) in lib.conn.execute(
            "SELECT paper FROM list_items WHERE list = ? ORDER BY added_at, paper", (found,)
        )
    ]


def refuse_taken(conn: sqlite3.Connection, name: str, allowed: int | None = None) -> None:
    """Refuse a name another list has (in any case), naming that list as stored."""
    row = conn.execute("SELECT id, name FROM lists WHERE name = ?", (name,)).fetchone()
    if row is not None and row[0] != allowed:
        raise ListError(f"a list named {row[1]!r} already exists")


def insert_list(conn: sqlite3.Connection, name: str, created_at: str | None = None) -> int:
    """A new list's id; the caller keeps the snapshot that undoes it."""
    name = clean_name(name)
    refuse_taken(conn, name)
    cursor = conn.execute(
        "INSERT INTO lists(name, created_at) VALUES (?, ?)", (name, created_at or now())
    )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


@dataclass(frozen=True, slots=True)
class CreateList:
    name: str

    def run(self, conn: sqlite3.Connection) -> Outcome:
        created = insert_list(conn, self.name)
        return 0, (Snapshot("lists", ((created,),), ()),)

    def describe(self, changed: int) -> str:
        return f"created list {quoted(self.name)}"


@dataclass(frozen=True, slots=True)
class RenameList:
    name: str
    new_name: str

    def run(self, conn: sqlite3.Connection) -> Outcome:
        found = require(conn, self.name)
        new_name = clean_name(self.new_name)
        refuse_taken(conn, new_name, allowed=found)
        before = capture(conn, "lists", [(found,)])
        conn.execute("UPDATE lists SET name = ? WHERE id = ?", (new_name, found))
        return 0, (before,)

    def describe(self, changed: int) -> str:
        return f"renamed list {quoted(self.name)} to {quoted(self.new_name)}"


@dataclass(frozen=True, slots=True)
class DeleteList:
    """Deletes the list, never its papers; undo brings the list and its members back."""

    name: str

    def run(self, conn: sqlite3.Connection) -> Outcome:
        found = require(conn, self.name)
        items = capture(
            conn,
            "list_items",
            [
                (found, pk)
                for (pk,) in conn.execute("SELECT paper FROM list_items WHERE list = ?", (found,))
            ],
        )
        row = capture(conn, "lists", [(found,)])
        conn.execute("DELETE FROM lists WHERE id = ?", (found,))
        return len(items.keys), (row, items)

    def describe(self, changed: int) -> str:
        return f"deleted list {quoted(self.name)} ({papers(changed)}; the papers stay)"


@dataclass(frozen=True, slots=True)
class AddToList:
    """Adds papers to a list, creating the list when no list has that name yet."""

    name: str
    pks: tuple[int, ...]

    def run(self, conn: sqlite3.Connection) -> Outcome:
        found = list_id(conn, self.name)
        created: tuple[Snapshot, ...] = ()
        if found is None:
            found = insert_list(conn, self.name)
            created = (Snapshot("lists", ((found,),), ()),)
        keys = [(found, pk) for pk in existing(conn, self.pks)]
        present = capture(conn, "list_items", keys).by_key()
        todo = [key for key in keys if key not in present]
        stamp = now()
        conn.executemany(
            "INSERT INTO list_items(list, paper, added_at) VALUES (?, ?, ?)",
            [(*key, stamp) for key in todo],
        )
        return len(todo), (*created, Snapshot("list_items", tuple(todo), ()))

    def describe(self, changed: int) -> str:
        return f"added {papers(changed)} to list {quoted(self.name)}"


@dataclass(frozen=True, slots=True)
class RemoveFromList:
    name: str
    pks: tuple[int, ...]

    def run(self, conn: sqlite3.Connection) -> Outcome:
        found = require(conn, self.name)
        before = capture(conn, "list_items", [(found, pk) for pk in dict.fromkeys(self.pks)])
        todo = list(before.by_key())
        conn.executemany("DELETE FROM list_items WHERE list = ? AND paper = ?", todo)
        return len(todo), (before.only(todo),)

    def describe(self, changed: int) -> str:
        return f"removed {papers(changed)} from list {quoted(self.name)}"
