"""The library file itself: foreign, damaged or newer files are refused untouched; older
ones migrate in one transaction after a backup; everything is private to the reader."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import write_dump
from hostile import digest, integrity

import papershelf.schema
from papershelf.library import Library, LibraryError

Make = Callable[[Path, Path], None]


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def text_notes(db: Path, stocked: Path) -> None:
    db.write_text("my precious notes\n")


def png(db: Path, stocked: Path) -> None:
    db.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))


def random_bytes(db: Path, stocked: Path) -> None:
    db.write_bytes(os.urandom(8192))


def header_only(db: Path, stocked: Path) -> None:
    db.write_bytes(stocked.read_bytes()[:100])


def truncated(db: Path, stocked: Path) -> None:
    db.write_bytes(stocked.read_bytes()[:8192])


def garbage_after_header(db: Path, stocked: Path) -> None:
    data = stocked.read_bytes()
    db.write_bytes(data[:100] + bytes(b ^ 0x5A for b in data[100:]))


def foreign_sqlite(db: Path, stocked: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE accounts (id INTEGER, balance REAL)")
    conn.execute("INSERT INTO accounts VALUES (1, 100.0)")
    conn.commit()
    conn.close()


def newer_schema(db: Path, stocked: Path) -> None:
    db.write_bytes(stocked.read_bytes())
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {len(papershelf.schema.MIGRATIONS) + 1}")
    conn.commit()
    conn.close()


def negative_schema(db: Path, stocked: Path) -> None:
    db.write_bytes(stocked.read_bytes())
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = -1")
    conn.commit()
    conn.close()


FILES: dict[str, tuple[Make, str]] = {
    "text-file": (text_notes, "not a papershelf library"),
    "png": (png, "not a papershelf library"),
    "random-bytes": (random_bytes, "not a papershelf library"),
    "sqlite-header-only": (header_only, "cannot open the library"),
    "truncated-library": (truncated, "cannot open the library"),
    "garbage-after-header": (garbage_after_header, "cannot open the library"),
    "foreign-sqlite": (foreign_sqlite, "not a papershelf library"),
    "newer-schema": (newer_schema, "written by a newer papershelf"),
    "negative-schema": (negative_schema, "not a papershelf library"),
}


@pytest.mark.parametrize(
    "command", [["stats"], ["import", "DUMP"], ["mark", "read", "x1"], ["backup", "COPY"]]
)
@pytest.mark.parametrize("kind", FILES)
def test_foreign_or_damaged_library_is_reported_and_never_written(
    kind: str, command: list[str], db: Path, stocked_template: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """Whatever sits at the library path, a command that cannot use it says so in one line
    naming the path, exits 1, and leaves the file byte for byte as it was."""
    make, problem = FILES[kind]
    db.parent.mkdir(mode=0o700)
    make(db, stocked_template)
    before = file_hash(db)
    replace = {"DUMP": str(write_dump(tmp_path, "a.txt")), "COPY": str(tmp_path / "copy.db")}
    result = run_cli(*(replace.get(arg, arg) for arg in command))
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"papershelf: {db}: ") and problem in line, line
    assert file_hash(db) == before
    assert not (tmp_path / "copy.db").exists()


def corrupt_a_data_page(db: Path) -> None:
    """Overwrite pages in the middle of a library whose schema page stays readable."""
    data = bytearray(db.read_bytes())
    pages = len(data) // 4096
    for page in range(pages // 2, pages // 2 + 3):
        data[page * 4096 : (page + 1) * 4096] = b"\xab" * 4096
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("command", [["search", "benchmark"], ["export"], ["stats"], ["search"]])
def test_damaged_page_is_one_line_not_a_traceback(
    command: list[str], db: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A library with a damaged page deep inside is reported in one line when a command
    reads it, and the file is left as it is for the reader to restore or salvage."""
    dump = tmp_path / "many.txt"
    dump.write_text(
        "Subscribe\n\n"
        + "".join(
            f"Benchmark Number {i} for Sparse Kernels\n\nWe study benchmark {i} at length, "
            "with enough words that this line is read as an abstract and not a title.\n\n"
            for i in range(1500)
        )
    )
    assert run_cli("import", str(dump)).exit_code == 0
    corrupt_a_data_page(db)
    before = file_hash(db)
    result = run_cli(*command)
    if result.exit_code == 0:  # this command never touched the damaged pages
        return
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"papershelf: {db}: ")
    assert file_hash(db) == before


def test_directory_at_library_path_is_refused(db: Path) -> None:
    """A directory where the library should be is named as such."""
    db.mkdir(parents=True)
    with pytest.raises(LibraryError, match="is a directory, not a library file"):
        Library(db)


def test_fifo_at_library_path_is_refused_without_opening_it(db: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A named pipe given as the library is refused in one line; opening it would block
    until a writer came, and SQLite would call it a disk I/O error."""
    db.parent.mkdir(mode=0o700)
    os.mkfifo(db)
    result = run_cli("stats")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line == f"papershelf: {db}: not a regular file, so not a library file"
    assert stat.S_ISFIFO(db.stat().st_mode)


# Migrations -------------------------------------------------------------------------


EXTRA = "ALTER TABLE papers ADD COLUMN venue TEXT;\nCREATE TABLE migrated_marker (x INTEGER)"
BROKEN = "CREATE TABLE migrated_marker (x INTEGER);\nINSERT INTO no_such_table VALUES (1)"


def user_version(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_older_library_migrates_after_a_private_backup(
    stocked: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A library one schema behind is backed up (0600, the old version, every row) and then
    migrated; the reader's work is all there afterwards."""
    version = user_version(stocked)
    before = digest(stocked)
    monkeypatch.setattr(papershelf.schema, "MIGRATIONS", [*papershelf.schema.MIGRATIONS, EXTRA])
    result = run_cli("stats", "--json")
    assert result.exit_code == 0, result.stderr
    backup = stocked.with_name(f"{stocked.name}.v{version}.bak")
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert user_version(backup) == version and digest(backup) == before
    assert integrity(backup) == "ok"
    assert user_version(stocked) == version + 1
    conn = sqlite3.connect(stocked)
    assert "venue" in {row[1] for row in conn.execute("PRAGMA table_info(papers)")}
    assert conn.execute("SELECT count(*) FROM state").fetchone()[0] == 3
    conn.close()


def test_failing_migration_changes_nothing(
    stocked: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A migration that fails half-way is rolled back whole: one line, exit 1, the library
    at its old version with its old content."""
    version = user_version(stocked)
    before = digest(stocked)
    monkeypatch.setattr(papershelf.schema, "MIGRATIONS", [*papershelf.schema.MIGRATIONS, BROKEN])
    result = run_cli("stats")
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"papershelf: {stocked}: ") and "no_such_table" in line
    assert user_version(stocked) == version
    assert digest(stocked) == before
    assert integrity(stocked) == "ok"


def test_new_library_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The default data directory is created 0700 and the library, its WAL and shared-memory
    files and every backup are 0600, whatever the umask."""
    home = tmp_path / "home"
    monkeypatch.setenv("PAPERSHELF_HOME", str(home))
    old = os.umask(0o000)
    try:
        with Library(home / "data" / "library.db") as lib:
            lib.set_read([])
            modes = {
                path.name: stat.S_IMODE(path.stat().st_mode) for path in (home / "data").iterdir()
            }
            lib.backup(tmp_path / "copy.db")
    finally:
        os.umask(old)
    assert stat.S_IMODE((home / "data").stat().st_mode) == 0o700
    assert modes == {"library.db": 0o600, "library.db-wal": 0o600, "library.db-shm": 0o600}
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600


def test_refusal_of_a_newer_library_is_clear(stocked: Path) -> None:
    """A library from a newer papershelf names both schema versions and what to do."""
    newer = len(papershelf.schema.MIGRATIONS) + 3
    conn = sqlite3.connect(stocked)
    conn.execute(f"PRAGMA user_version = {newer}")
    conn.commit()
    conn.close()
    with pytest.raises(LibraryError) as refused:
        Library(stocked)
    message = str(refused.value)
    assert f"schema {newer}" in message and "upgrade papershelf" in message
