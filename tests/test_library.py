"""The library file: creation, migrations, refusal of foreign files, locking, state."""

from __future__ import annotations

import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import write_dump

from papershelf.library import Library, LibraryBusy, LibraryError
from papershelf.query import Query
from papershelf.schema import SCHEMA_VERSION
from papershelf.shelf import Shelf, open_shelf


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shelf]:
    monkeypatch.setenv("PAPERSHELF_HOME", str(tmp_path / "home"))
    opened = open_shelf(tmp_path / "data" / "library.db")
    yield opened
    opened.close()


def test_new_library_is_private_wal_and_current(tmp_path: Path) -> None:
    """A new library lives in a 0700 directory, is 0600, in WAL mode, at the newest schema."""
    path = tmp_path / "private" / "library.db"
    with Library(path) as lib:
        assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_non_sqlite_file_is_refused_and_left_alone(tmp_path: Path) -> None:
    """A text file at the library path is reported and never overwritten."""
    path = tmp_path / "library.db"
    path.write_text("my precious notes\n")
    with pytest.raises(LibraryError, match="not a papershelf library"):
        Library(path)
    assert path.read_text() == "my precious notes\n"


def test_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    """Another program's SQLite file is not mistaken for a library."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE accounts (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError, match="not a papershelf library"):
        Library(path)


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    """A library written by a newer papershelf is not opened, so it cannot be damaged."""
    path = tmp_path / "library.db"
    Library(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(LibraryError, match="newer papershelf"):
        Library(path)


def test_second_writer_gets_busy_not_locked(tmp_path: Path) -> None:
    """While another connection holds the write lock, a write waits then reports 'busy'."""
    path = tmp_path / "library.db"
    Library(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Library(path, timeout=0.2) as lib, pytest.raises(LibraryBusy, match="busy"):
            lib.set_read([1])
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_backup_is_consistent_and_refuses_existing_target(shelf: Shelf, tmp_path: Path) -> None:
    """A backup holds every paper and passes integrity_check; an existing file is not replaced."""
    shelf.import_file(write_dump(tmp_path, "a.txt"))
    target = shelf.lib.backup(tmp_path / "copy.db")
    conn = sqlite3.connect(target)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM papers").fetchone()[0] == 4
    conn.close()
    with pytest.raises(LibraryError, match="already exists"):
        shelf.lib.backup(target)


def test_read_and_star_marks_report_real_changes(shelf: Shelf, tmp_path: Path) -> None:
    """Marking counts only papers whose state changed, and the marks are stored."""
    shelf.import_file(write_dump(tmp_path, "a.txt"))
    pks = shelf.search.run(Query())
    assert shelf.lib.set_read(pks[:2]) == 2
    assert shelf.lib.set_read(pks[:3]) == 1
    assert shelf.lib.set_starred(pks[:1]) == 1
    assert shelf.lib.set_read(pks[:1], False) == 1
    rows = shelf.lib.rows(pks)
    assert [(r.read, r.starred) for r in rows] == [
        (False, True),
        (True, False),
        (True, False),
        (False, False),
    ]


def test_find_accepts_unique_id_prefix(shelf: Shelf, tmp_path: Path) -> None:
    """A paper can be named by a unique prefix of its id; unknown ids give a clear error."""
    shelf.import_file(write_dump(tmp_path, "a.txt"))
    pk = shelf.search.run(Query())[0]
    paper_id = shelf.lib.paper(pk).id
    assert shelf.lib.find(paper_id[:8]) == pk
    with pytest.raises(LibraryError, match="no paper with id"):
        shelf.lib.find("zzzzzzzz")
