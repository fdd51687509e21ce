"""The reader's library: one SQLite file, opened safely, read and written in short transactions.

Every write runs in `BEGIN IMMEDIATE` so a second writer waits for the lock (up to the
busy timeout) instead of failing half-way, and a failure rolls the whole change back.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from papershelf import schema
from papershelf.files import FileProblem, atomic_write, library_files
from papershelf.models import Link, Paper
from papershelf.paths import ensure_private_dir

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_S = 10.0


class LibraryError(Exception):
    """A problem with the library file, worded for the reader in one line."""


class LibraryBusy(LibraryError):
    """Another process held the write lock for longer than the busy timeout."""


@dataclass(frozen=True, slots=True)
class PaperRow:
    """What one line of the paper list needs; cheap to fetch for the rows in view."""

    pk: int
    id: str
    title: str
    read: bool
    starred: bool
    has_code: bool


@dataclass(frozen=True, slots=True)
class TopicCount:
    slug: str
    name: str
    group: str
    count: int


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def chunks(items: Sequence[int], size: int = 500) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def marks(n: int) -> str:
    return ",".join("?" * n)


class Library:
    """An open library file; use as a context manager or call close()."""

    def __init__(self, path: str | Path, *, timeout: float | None = None) -> None:
        self.path = Path(path).expanduser()
        timeout = BUSY_TIMEOUT_S if timeout is None else timeout
        self._check_file()
        if not self.path.exists():
            self._create()
        self.conn = sqlite3.connect(
            self.path, timeout=timeout, isolation_level=None, check_same_thread=False
        )
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            # Read before anything is written, so a foreign or newer file is left untouched.
            version = self._version()
            mode = self.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.DatabaseError as error:
            self.conn.close()
            if not os.access(self.path.parent, os.W_OK):
                problem = f"its folder {self.path.parent} is read-only"
                raise LibraryError(f"{self.path}: cannot open the library: {problem}") from error
            raise LibraryError(f"{self.path}: cannot open the library ({error})") from error
        except BaseException:
            self.conn.close()
            raise
        if mode.lower() != "wal":
            self.conn.close()
            raise LibraryError(f"{self.path}: cannot switch the library to WAL mode")
        self.conn.execute("PRAGMA synchronous = NORMAL")
        self.conn.execute("PRAGMA foreign_keys = ON")
        self._migrate(version)

    def _create(self) -> None:
        """An empty library file, private from its first moment (its WAL inherits the mode)."""
        try:
            ensure_private_dir(self.path.parent)
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            return  # another process created it a moment ago
        except OSError as error:
            raise LibraryError(
                f"{self.path}: cannot create the library ({error.strerror})"
            ) from error

    def _check_file(self) -> None:
        """Refuse a path that cannot be a library file, looking with stat alone.

        The file is never opened outside SQLite: on Linux, closing any descriptor of a
        file drops every POSIX lock this process holds on it, SQLite's included, and a
        process that lost its locks lets another delete the WAL it still writes to.
        Whether the bytes are SQLite is SQLite's to say (see `__init__`).
        """
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return
        except OSError as error:
            raise LibraryError(f"{self.path}: cannot open the library ({error.strerror})") from None
        if stat.S_ISDIR(mode):
            raise LibraryError(f"{self.path}: is a directory, not a library file")
        if not stat.S_ISREG(mode):
            raise LibraryError(f"{self.path}: not a regular file, so not a library file")

    def _version(self) -> int:
        """The file's schema version, refusing a file this papershelf must not write to."""
        try:
            version: int = self.conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.DatabaseError as error:
            if "not a database" in str(error):
                raise LibraryError(
                    f"{self.path}: not a papershelf library (not an SQLite file)"
                ) from None
            raise
        tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        latest = len(schema.MIGRATIONS)  # read now, so tests can add a migration
        if version > latest:
            raise LibraryError(
                f"{self.path}: written by a newer papershelf (schema {version}, this one knows "
                f"{latest}); upgrade papershelf to open it"
            )
        if version < 0 or (version == 0 and tables):
            raise LibraryError(f"{self.path}: an SQLite file, but not a papershelf library")
        return version

    def _migrate(self, version: int) -> None:
        latest = len(schema.MIGRATIONS)
        if version == latest:
            return
        with self.write():
            # Another process may have migrated while this one waited for the lock.
            version = self.conn.execute("PRAGMA user_version").fetchone()[0]
            if 0 < version < latest:
                self.backup(self.path.with_name(f"{self.path.name}.v{version}.bak"), overwrite=True)
            for number, script in enumerate(schema.MIGRATIONS[version:], start=version + 1):
                for statement in script.split(";\n"):
                    if statement.strip():
                        self.conn.execute(statement)
                self.conn.execute(f"PRAGMA user_version = {number}")

    @cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the same connection, imported on first use (it costs 0.2 s of
        start-up that searching and the app never need)."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def wait_at_most(self, seconds: float) -> None:
        """How long a write waits for another writer before `LibraryBusy`. A front end
        that writes on its UI thread keeps it short, so an import running in another
        process never freezes it for the whole busy timeout."""
        self.conn.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One all-or-nothing write transaction holding the write lock from its start."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" in str(error) or "busy" in str(error):
                raise LibraryBusy(
                    f"{self.path}: library busy (another papershelf is writing); try again"
                ) from error
            raise LibraryError(f"{self.path}: cannot write ({error})") from error
        try:
            yield self.conn
            self.conn.execute("COMMIT")
        except BaseException as error:
            # SQLite rolls back by itself after some errors (a full disk), so check first.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            if isinstance(error, sqlite3.Error):
                if "locked" in str(error) or "busy" in str(error):
                    raise LibraryBusy(
                        f"{self.path}: library busy (another papershelf is writing); try again"
                    ) from error
                raise LibraryError(f"{self.path}: cannot write ({error})") from error
            raise

    def backup(self, target: str | Path, *, overwrite: bool = False) -> Path:
        """A consistent copy made with SQLite's backup API, safe while others write.

        The copy is read through a connection of its own, so it also works inside this
        connection's write transaction (the migration backup). It is written like every
        file papershelf writes (`papershelf.files`): into a private temporary file beside
        the target, synced, then moved into place, so a killed or failed backup leaves no
        file at the target. An existing file is never overwritten unless asked.
        """
        target = Path(target).expanduser()
        source = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S)
        try:
            with atomic_write(
                target,
                protect=library_files(self.path),
                private=True,
                replace=overwrite,
                what="the backup",
            ) as handle:
                copy = sqlite3.connect(handle.name)
                try:
                    # No journal and no syncs of its own: the copy is private until the
                    # rename, and `atomic_write` syncs it before that.
                    copy.execute("PRAGMA journal_mode = OFF")
                    copy.execute("PRAGMA synchronous = OFF")
                    source.backup(copy)
                finally:
                    copy.close()
        except FileProblem as error:
            raise LibraryError(str(error)) from None
        except sqlite3.Error as error:
            raise LibraryError(f"{target}: cannot write the backup ({error})") from error
        finally:
            source.close()
        return target

    # Reading -------------------------------------------------------------------------

    def count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM papers").fetchone()[0]

    def find(self, ref: str) -> int:
        """The pk of a paper named by its id, an id prefix, or its arXiv id."""
        ref = ref.strip()
        row = self.conn.execute(
            "SELECT pk FROM papers WHERE id = ? OR arxiv_id = ?", (ref, ref)
        ).fetchone()
        if row:
            return row[0]
        if len(ref) >= 4:
            rows = self.conn.execute(
                "SELECT pk FROM papers WHERE id >= ? AND id < ? LIMIT 2", (ref, ref + "\uffff")
            ).fetchall()
            if len(rows) == 1:
                return rows[0][0]
            if len(rows) > 1:
                raise LibraryError(f"paper id {ref!r} is ambiguous; give more characters")
        raise LibraryError(f"no paper with id {ref!r}")

    def rows(self, pks: Sequence[int]) -> list[PaperRow]:
        """Light rows for the given pks, in the order given."""
        found: dict[int, PaperRow] = {}
        for part in chunks(pks):
            sql = f"""
                SELECT p.pk, p.id, p.title, s.read_at IS NOT NULL, coalesce(s.starred, 0),
                       p.code_url IS NOT NULL
                FROM papers p LEFT JOIN state s ON s.paper = p.pk
                WHERE p.pk IN ({marks(len(part))})"""
            for pk, pid, title, read, starred, code in self.conn.execute(sql, tuple(part)):
                found[pk] = PaperRow(pk, pid, title, bool(read), bool(starred), bool(code))
        return [found[pk] for pk in pks if pk in found]

    def paper(self, pk: int) -> Paper:
        row = self.conn.execute(
            """SELECT p.id, p.title, p.abstract, coalesce(p.abstract_raw, p.abstract),
                      p.date_label, p.arxiv_id, p.authors,
                      s.read_at IS NOT NULL, coalesce(s.starred, 0), coalesce(s.note, ''),
                      p.upvotes, p.github_stars, p.comments, p.ai_keywords
               FROM papers p LEFT JOIN state s ON s.paper = p.pk WHERE p.pk = ?""",
            (pk,),
        ).fetchone()
        if row is None:
            raise LibraryError(f"no paper with key {pk}")
        pid, title, abstract, raw, date_label, arxiv_id, authors, read, starred, note = row[:10]
        upvotes, github_stars, comments, keywords = row[10:]
        links = tuple(
            Link(url, kind, host, original)
            for url, kind, host, original in self.conn.execute(
                "SELECT url, kind, host, original FROM links WHERE paper = ? ORDER BY position",
                (pk,),
            )
        )
        return Paper(
            id=pid,
            title=title,
            abstract=abstract,
            abstract_raw=raw,
            links=links,
            topics=self.paper_topics(pk),
            read=bool(read),
            starred=bool(starred),
            note=note,
            sources=tuple(
                path
                for (path,) in self.conn.execute(
                    """SELECT s.path FROM paper_sources ps JOIN sources s ON s.id = ps.source
                       WHERE ps.paper = ? ORDER BY s.id""",
                    (pk,),
                )
            ),
            date_label=date_label,
            arxiv_id=arxiv_id,
            authors=tuple(json.loads(authors)) if authors else (),
            lists=tuple(
                name
                for (name,) in self.conn.execute(
                    """SELECT l.name FROM list_items li JOIN lists l ON l.id = li.list
                       WHERE li.paper = ? ORDER BY l.name""",
                    (pk,),
                )
            ),
            upvotes=upvotes,
            github_stars=github_stars,
            comments=comments,
            keywords=tuple(json.loads(keywords)) if keywords else (),
        )

    def papers(self, pks: Iterable[int]) -> list[Paper]:
        return [self.paper(pk) for pk in pks]

    def paper_topics(self, pk: int) -> tuple[str, ...]:
        return tuple(
            slug
            for (slug,) in self.conn.execute(
                """SELECT pt.slug FROM paper_topics pt JOIN topics t ON t.slug = pt.slug
                   WHERE pt.paper = ? AND pt.origin != 'removed' ORDER BY t.position""",
                (pk,),
            )
        )

    def topic_names(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT slug, name FROM topics ORDER BY position"))

    def sources(self) -> list[dict[str, object]]:
        return list(self.db.query("SELECT * FROM sources ORDER BY id"))

    def stats(self) -> dict[str, object]:
        total = self.count()
        read = self.conn.execute("SELECT count(*) FROM state WHERE read_at IS NOT NULL").fetchone()[
            0
        ]
        starred = self.conn.execute("SELECT count(*) FROM state WHERE starred = 1").fetchone()[0]
        # Papers the reader marked not interested leave the unread view; the counts agree.
        dismissed = self.conn.execute(
            """SELECT count(*) FROM not_interested n LEFT JOIN state s ON s.paper = n.paper
               WHERE s.read_at IS NULL"""
        ).fetchone()[0]
        with_code = self.conn.execute(
            "SELECT count(*) FROM papers WHERE code_url IS NOT NULL"
        ).fetchone()[0]
        topics = {
            slug: count
            for slug, count in self.conn.execute(
                """SELECT t.slug, count(pt.paper) FROM topics t
                   LEFT JOIN paper_topics pt ON pt.slug = t.slug AND pt.origin != 'removed'
                   GROUP BY t.slug ORDER BY t.position"""
            )
        }
        return {
            "papers": total,
            "read": read,
            "unread": total - read - dismissed,
            "not_interested": dismissed,
            "starred": starred,
            "with_code": with_code,
            "topics": topics,
            "sources": [
                {"path": s["path"], "papers": s["papers"], "imported_at": s["imported_at"]}
                for s in self.sources()
            ],
        }

    # The reader's state ------------------------------------------------------------------

    def _set_state(
        self, pks: Sequence[int], column: str, value: object, same: Callable[[object], bool]
    ) -> int:
        """Set one state column on many papers; returns how many actually changed."""
        stamp = now()
        changed = 0
        with self.write() as conn:
            for part in chunks(list(pks)):
                q = marks(len(part))
                current = conn.execute(
                    f"SELECT p.pk, s.{column} FROM papers p LEFT JOIN state s ON s.paper = p.pk "
                    f"WHERE p.pk IN ({q})",
                    tuple(part),
                ).fetchall()
                todo = [pk for pk, old in current if not same(old)]
                changed += len(todo)
                conn.executemany(
                    "INSERT OR IGNORE INTO state(paper, updated_at) VALUES (?, ?)",
                    [(pk, stamp) for pk in todo],
                )
                conn.executemany(
                    f"UPDATE state SET {column} = ?, updated_at = ? WHERE paper = ?",
                    [(value, stamp, pk) for pk in todo],
                )
        return changed

    def set_read(self, pks: Sequence[int], read: bool = True) -> int:
        """Mark papers read or unread; a paper already so keeps its original read time."""
        return self._set_state(
            pks, "read_at", now() if read else None, lambda old: (old is not None) == read
        )

    def set_starred(self, pks: Sequence[int], starred: bool = True) -> int:
        return self._set_state(pks, "starred", int(starred), lambda old: bool(old) == starred)

    def set_note(self, pk: int, note: str) -> None:
        self._set_state([pk], "note", note, lambda old: (old or "") == note)

    def tag(self, pk: int, add: Iterable[str] = (), remove: Iterable[str] = ()) -> None:
        """Manual topic choices; they win over the tagger and survive retagging."""
        known = set(self.topic_names())
        add, remove = list(add), list(remove)
        for slug in (*add, *remove):
            if slug not in known:
                raise LibraryError(f"unknown topic {slug!r}; see `papershelf topics`")
        with self.write() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO paper_topics(paper, slug, origin) VALUES (?, ?, 'manual')",
                [(pk, slug) for slug in add],
            )
            conn.executemany(
                "INSERT OR REPLACE INTO paper_topics(paper, slug, origin) VALUES (?, ?, 'removed')",
                [(pk, slug) for slug in remove],
            )
