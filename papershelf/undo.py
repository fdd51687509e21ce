"""Changes to the reader's own state, each applied with a copy of what it replaced.

A change (a read mark, a star, a note, a topic choice, list membership, a restore) is a
small frozen value. Applying it runs one write transaction that first copies the rows it
is about to write (a `Snapshot`) and then writes them, so the count it reports is what it
really changed and undo can put the old rows back exactly, timestamps included. The TUI
keeps a `Journal` and takes back the last changes one key press at a time; the CLI
applies the same changes without keeping them.

Only the reader's tables (state, topic choices, lists) are ever written here, never
imported content, so a snapshot of those rows is the whole before-state.
"""

from __future__ import annotations

import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from papershelf.library import Library, LibraryError, chunks, marks, now

Key = tuple[object, ...]
Row = tuple[object, ...]

# table: (key columns, all columns); a snapshot holds whole rows, so undo is exact.
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "state": (("paper",), ("paper", "read_at", "starred", "note", "updated_at")),
    "paper_topics": (("paper", "slug"), ("paper", "slug", "origin")),
    "lists": (("id",), ("id", "name", "created_at")),
    "list_items": (("list", "paper"), ("list", "paper", "added_at")),
    "not_interested": (("paper",), ("paper", "at")),
}
STATE_DEFAULTS: dict[str, object] = {"read_at": None, "starred": 0, "note": ""}
VISIBLE = ("auto", "manual")
JOURNAL_LIMIT = 100


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Rows of one table as they were before a change, for every key the change wrote.

    A key without a row in `rows` had no row, so undoing deletes whatever is there now.
    """

    table: str
    keys: tuple[Key, ...]
    rows: tuple[Row, ...]

    def only(self, keys: Iterable[Key]) -> Snapshot:
        """The same snapshot narrowed to the keys a change actually wrote."""
        wanted = tuple(dict.fromkeys(keys))
        width = len(TABLES[self.table][0])
        kept = set(wanted)
        return Snapshot(self.table, wanted, tuple(r for r in self.rows if r[:width] in kept))

    def by_key(self) -> dict[Key, Row]:
        width = len(TABLES[self.table][0])
        return {row[:width]: row for row in self.rows}


def capture(conn: sqlite3.Connection, table: str, keys: Iterable[Key]) -> Snapshot:
    """The current rows of `table` for `keys`; call inside the write transaction."""
    key_cols, cols = TABLES[table]
    unique = tuple(dict.fromkeys(keys))
    rows: list[Row] = []
    width = len(key_cols)
    for start in range(0, len(unique), 500):
        part = unique[start : start + 500]
        values = ",".join(f"({marks(width)})" for _ in part)
        sql = (
            f"SELECT {', '.join(cols)} FROM {table} "
            f"WHERE ({', '.join(key_cols)}) IN (VALUES {values})"
        )
        rows.extend(conn.execute(sql, [v for key in part for v in key]))
    return Snapshot(table, unique, tuple(rows))


def restore(conn: sqlite3.Connection, snapshots: Sequence[Snapshot]) -> None:
    """Put rows back as captured.

    Rows that did not exist are deleted (children first) and the others are written
    back in place (parents first): deleting and re-inserting a list would cascade to
    its members.
    """
    for snap in reversed(snapshots):
        key_cols, _ = TABLES[snap.table]
        width = len(key_cols)
        saved = snap.by_key()
        gone = [key for key in snap.keys if key not in saved]
        for start in range(0, len(gone), 500):
            part = gone[start : start + 500]
            values = ",".join(f"({marks(width)})" for _ in part)
            conn.execute(
                f"DELETE FROM {snap.table} WHERE ({', '.join(key_cols)}) IN (VALUES {values})",
                [v for key in part for v in key],
            )
    for snap in snapshots:
        key_cols, cols = TABLES[snap.table]
        updates = ", ".join(f"{col} = excluded.{col}" for col in cols if col not in key_cols)
        try:
            conn.executemany(
                f"INSERT INTO {snap.table}({', '.join(cols)}) VALUES ({marks(len(cols))}) "
                f"ON CONFLICT({', '.join(key_cols)}) DO UPDATE SET {updates}",
                snap.rows,
            )
        except sqlite3.IntegrityError as error:
            raise LibraryError(f"cannot undo: the library changed meanwhile ({error})") from error


def existing(conn: sqlite3.Connection, pks: Iterable[int]) -> list[int]:
    """The given paper keys that exist, each once, in the order given."""
    wanted = list(dict.fromkeys(pks))
    found: set[int] = set()
    for part in chunks(wanted):
        found.update(
            pk
            for (pk,) in conn.execute(
                f"SELECT pk FROM papers WHERE pk IN ({marks(len(part))})", tuple(part)
            )
        )
    return [pk for pk in wanted if pk in found]


def papers(n: int) -> str:
    return f"{n} paper" if n == 1 else f"{n} papers"


Outcome = tuple[int, tuple[Snapshot, ...]]


class Change(Protocol):
    """One user action on the library's state."""

    def run(self, conn: sqlite3.Connection) -> Outcome:
        """Write the change inside the caller's transaction; return (papers changed, before)."""
        ...

    def describe(self, changed: int) -> str:
        """What was done, for a notification: "marked 12 papers read"."""
        ...


@dataclass(frozen=True, slots=True)
class Entry:
    """A change as applied: how many papers it changed and the rows it replaced."""

    change: Change
    changed: int
    before: tuple[Snapshot, ...]

    @property
    def description(self) -> str:
        return self.change.describe(self.changed)

    @property
    def wrote(self) -> bool:
        return any(snap.keys for snap in self.before)


def apply(lib: Library, change: Change) -> Entry:
    """Apply a change in one transaction; the entry can be undone with `revert`."""
    with lib.write() as conn:
        changed, before = change.run(conn)
    return Entry(change, changed, before)


def revert(lib: Library, entry: Entry) -> None:
    with lib.write() as conn:
        restore(conn, entry.before)


class Journal:
    """The last changes made through it, newest last, taken back one `undo` at a time.

    A change that wrote nothing (marking read papers read) is not kept, so undo never
    spends a key press on a no-op.
    """

    def __init__(self, lib: Library, limit: int = JOURNAL_LIMIT) -> None:
        self.lib = lib
        self._entries: deque[Entry] = deque(maxlen=limit)

    def apply(self, change: Change) -> Entry:
        entry = apply(self.lib, change)
        if entry.wrote:
            self._entries.append(entry)
        return entry

    def undo(self) -> Entry | None:
        """Take back the newest change; None when there is nothing left to undo."""
        if not self._entries:
            return None
        entry = self._entries[-1]
        revert(self.lib, entry)
        self._entries.pop()
        return entry

    @property
    def last(self) -> Entry | None:
        return self._entries[-1] if self._entries else None

    def __len__(self) -> int:
        return len(self._entries)


def set_state(
    conn: sqlite3.Connection,
    pks: Iterable[int],
    column: str,
    value: object,
    same: Callable[[object], bool],
) -> Outcome:
    """Set one state column on many papers, leaving alone those already so."""
    keys = [(pk,) for pk in existing(conn, pks)]
    before = capture(conn, "state", keys)
    index = TABLES["state"][1].index(column)
    current = before.by_key()
    todo = [
        key
        for key in keys
        if not same(current[key][index] if key in current else STATE_DEFAULTS[column])
    ]
    stamp = now()
    conn.executemany(
        "INSERT OR IGNORE INTO state(paper, updated_at) VALUES (?, ?)",
        [(key[0], stamp) for key in todo],
    )
    conn.executemany(
        f"UPDATE state SET {column} = ?, updated_at = ? WHERE paper = ?",
        [(value, stamp, key[0]) for key in todo],
    )
    return len(todo), (before.only(todo),)


@dataclass(frozen=True, slots=True)
class MarkRead:
    pks: tuple[int, ...]
    read: bool = True

    def run(self, conn: sqlite3.Connection) -> Outcome:
        value = now() if self.read else None
        return set_state(
            conn, self.pks, "read_at", value, lambda old: (old is not None) == self.read
        )

    def describe(self, changed: int) -> str:
        return f"marked {papers(changed)} {'read' if self.read else 'unread'}"


@dataclass(frozen=True, slots=True)
class Star:
    pks: tuple[int, ...]
    starred: bool = True

    def run(self, conn: sqlite3.Connection) -> Outcome:
        return set_state(
            conn, self.pks, "starred", int(self.starred), lambda old: bool(old) == self.starred
        )

    def describe(self, changed: int) -> str:
        return f"{'starred' if self.starred else 'unstarred'} {papers(changed)}"


@dataclass(frozen=True, slots=True)
class SetNote:
    pk: int
    note: str

    def run(self, conn: sqlite3.Connection) -> Outcome:
        return set_state(conn, [self.pk], "note", self.note, lambda old: (old or "") == self.note)

    def describe(self, changed: int) -> str:
        return "changed the note" if changed else "the note is unchanged"


@dataclass(frozen=True, slots=True)
class Retopic:
    """The reader adds or removes a topic; the choice outlives retagging, as `Library.tag`."""

    pks: tuple[int, ...]
    slug: str
    add: bool = True
    name: str = ""
    """The topic's name, for messages ("Undone: added topic Quantization ..."); the slug
    when not given."""

    def run(self, conn: sqlite3.Connection) -> Outcome:
        if conn.execute("SELECT 1 FROM topics WHERE slug = ?", (self.slug,)).fetchone() is None:
            raise LibraryError(f"unknown topic {self.slug!r}; see `papershelf topics`")
        keys = [(pk, self.slug) for pk in existing(conn, self.pks)]
        before = capture(conn, "paper_topics", keys)
        origins = {key: row[2] for key, row in before.by_key().items()}
        target = "manual" if self.add else "removed"
        todo = [key for key in keys if origins.get(key) != target]
        changed = sum((origins.get(key) in VISIBLE) != self.add for key in todo)
        conn.executemany(
            "INSERT OR REPLACE INTO paper_topics(paper, slug, origin) VALUES (?, ?, ?)",
            [(*key, target) for key in todo],
        )
        return changed, (before.only(todo),)

    def describe(self, changed: int) -> str:
        name = self.name or self.slug
        if self.add:
            return f"added topic {name} to {papers(changed)}"
        return f"removed topic {name} from {papers(changed)}"


@dataclass(frozen=True, slots=True)
class NotInterested:
    """The reader says papers are not for them: hidden from the unread view, and a push
    away from their words in "for you" (papershelf/similar.py); `on=False` takes it back."""

    pks: tuple[int, ...]
    on: bool = True

    def run(self, conn: sqlite3.Connection) -> Outcome:
        keys = [(pk,) for pk in existing(conn, self.pks)]
        before = capture(conn, "not_interested", keys)
        marked = before.by_key()
        todo = [key for key in keys if (key in marked) != self.on]
        if self.on:
            stamp = now()
            conn.executemany(
                "INSERT INTO not_interested(paper, at) VALUES (?, ?)",
                [(key[0], stamp) for key in todo],
            )
        else:
            conn.executemany("DELETE FROM not_interested WHERE paper = ?", todo)
        return len(todo), (before.only(todo),)

    def describe(self, changed: int) -> str:
        return f"marked {papers(changed)} {'not interested' if self.on else 'interesting again'}"
