"""A dump that changes while it is imported is refused whole, and imports once it is complete.

The hash that marks a file as imported is that of the bytes that were parsed, so a dump
still being copied in is never half-imported and then skipped as "already imported".
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from children import read_offset, start_import, synthetic_dump, wait_for, write_lock_held
from hostile import digest, integrity, reader_tables

from papershelf.inbox import Inbox
from papershelf.models import DumpError
from papershelf.shelf import open_shelf

FIXTURES = Path(__file__).parent.parent / "fixtures"
CHANGED = "changed while it was being imported; nothing imported, try again"
STOCKED_PAPERS = 4


def marked_imported(db: Path, data: bytes) -> bool:
    conn = sqlite3.connect(db)
    try:
        sha = hashlib.sha256(data).hexdigest()
        return conn.execute("SELECT count(*) FROM sources WHERE sha256 = ?", (sha,)).fetchone()[0]
    finally:
        conn.close()


def paper_count(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM papers").fetchone()[0])
    finally:
        conn.close()


def truncate(path: Path) -> None:
    os.truncate(path, path.stat().st_size // 2)


def grow(path: Path) -> None:
    with path.open("a", encoding="utf-8") as handle:
        handle.write("A Paper Appended While Importing\n\nIt arrived after the import began.\n")


def rewrite_in_place(path: Path) -> None:
    """Same size, same inode, different bytes (the time is put back as it was)."""
    info = path.stat()
    with path.open("r+b") as handle:
        handle.seek(info.st_size // 2)
        handle.write(b"Rewritten")
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))


def replace(path: Path) -> None:
    """A different, complete file renamed over the dump, as a downloader finishing does."""
    fresh = path.with_name("fresh.part")
    synthetic_dump(fresh, 100)
    fresh.replace(path)


CHANGES: dict[str, Callable[[Path], None]] = {
    "truncated": truncate,
    "grown": grow,
    "rewritten-in-place": rewrite_in_place,
    "replaced": replace,
}


@pytest.mark.parametrize("change", list(CHANGES))
def test_dump_changed_mid_parse_is_refused_whole(
    stocked: Path, tmp_path: Path, change: str
) -> None:
    """The file changes after the first batch of papers is staged: the import raises one
    line naming the file, the library is exactly as before, the file is not marked
    imported, and the complete file then imports."""
    dump = synthetic_dump(tmp_path / "arriving.txt", 12_000)
    complete = dump.read_bytes()
    before, state = digest(stocked), reader_tables(stocked)
    changed: list[int] = []

    def change_once(papers: int) -> None:
        if not changed:
            changed.append(papers)
            CHANGES[change](dump)

    with open_shelf(stocked, topics_path=tmp_path / "none.toml") as shelf:
        with pytest.raises(DumpError) as refused:
            shelf.import_file(dump, on_progress=change_once)
        assert str(refused.value) == f"{dump}: {CHANGED}"
        assert changed and changed[0] < 12_000, "the change came after the whole file was read"
        assert digest(stocked) == before and not marked_imported(stocked, complete)

        dump.write_bytes(complete)
        summary = shelf.import_file(dump)
        assert not summary.skipped and summary.papers == 12_000
    assert marked_imported(stocked, complete)
    assert paper_count(stocked) == STOCKED_PAPERS + 12_000
    assert reader_tables(stocked) == state
    assert integrity(stocked) == "ok"


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_dump_changed_between_opening_and_parsing_is_refused(
    stocked: Path, tmp_path: Path, fmt: str
) -> None:
    """Bytes checked when the file was opened, then cut before parsing starts: refused as
    changed, not as whatever a parser makes of the cut (a JSON dump no longer parses)."""
    import importers
    from papershelf.ingest import ingest

    if fmt == "json":
        dump_path = tmp_path / "listing.json"
        shutil.copyfile(FIXTURES / "hf_api" / "2024-11-20.json", dump_path)
    else:
        dump_path = synthetic_dump(tmp_path / "cut.txt", 300)
    before = digest(stocked)
    with open_shelf(stocked, topics_path=tmp_path / "none.toml") as shelf:
        dump = importers.open_dump(dump_path)
        truncate(dump_path)
        with pytest.raises(DumpError) as refused:
            ingest(shelf.lib, dump, shelf.tagger)
    assert str(refused.value) == f"{dump_path}: {CHANGED}"
    assert digest(stocked) == before


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")
@pytest.mark.parametrize("change", ["truncated", "grown"])
def test_cli_import_of_a_dump_changing_underneath(
    stocked: Path, tmp_path: Path, papershelf_script: Path, run_script_at, change: str
) -> None:  # type: ignore[no-untyped-def]
    """A real `papershelf import` whose file is cut short or grows once it is reading it:
    exit 1, one line naming the file, nothing imported; the complete file imports later."""
    dump = synthetic_dump(tmp_path / "big.txt", 36_000)
    complete = dump.read_bytes()
    before = digest(stocked)
    child = start_import(papershelf_script, stocked, dump)
    try:
        wait_for(lambda: write_lock_held(stocked), "the import to take the write lock")
        wait_for(lambda: read_offset(child.pid, dump) > 2**20, "the import to parse 1 MiB")
        CHANGES[change](dump)
        _, stderr = child.communicate(timeout=120)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == 1
    assert stderr.decode().splitlines() == [f"papershelf: rejected {dump}: {CHANGED}"]
    assert digest(stocked) == before
    assert integrity(stocked) == "ok"

    dump.write_bytes(complete)
    again = run_script_at(stocked, "import", str(dump))
    assert again.returncode == 0, again.stderr
    assert b"already imported" not in again.stdout
    assert paper_count(stocked) == STOCKED_PAPERS + 36_000
    assert marked_imported(stocked, complete)


opened: list[str] | None = None
"""Every path this process opens while a test records them (see `record_opens`)."""


def _audit(event: str, args: tuple[object, ...]) -> None:
    if opened is not None and event == "open" and isinstance(args[0], (str, bytes, Path)):
        opened.append(os.path.realpath(os.fsdecode(args[0])))


sys.addaudithook(_audit)


LIBRARY_FILES: dict[str, Callable[[Path, Path], Path]] = {
    "the-library": lambda db, folder: db,
    "its-wal": lambda db, folder: db.with_name(db.name + "-wal"),
    "its-shm": lambda db, folder: db.with_name(db.name + "-shm"),
    "a-symlink-to-it": lambda db, folder: symlink(folder / "dump.txt", db),
    "a-hard-link-to-it": lambda db, folder: hard_link(folder / "papers.json", db),
}


def symlink(link: Path, target: Path) -> Path:
    link.symlink_to(target)
    return link


def hard_link(link: Path, target: Path) -> Path:
    link.hardlink_to(target)
    return link


@pytest.mark.parametrize("which", list(LIBRARY_FILES))
def test_import_of_the_library_itself_is_refused_unopened(
    stocked: Path, tmp_path: Path, run_cli, which: str
) -> None:  # type: ignore[no-untyped-def]
    """`papershelf import` given the library, its -wal/-shm, or a link to it: one line, exit
    1, library unchanged, and the file never opened outside SQLite (opening and closing it
    would drop SQLite's locks in this process)."""
    global opened
    target = LIBRARY_FILES[which](stocked, tmp_path)
    before = digest(stocked)
    own = {os.path.realpath(stocked.with_name(stocked.name + s)) for s in ("", "-wal", "-shm")}
    opened = []
    try:
        result = run_cli("import", str(target))
    finally:
        seen, opened = opened, None
    assert result.exit_code == 1
    problem = result.output.splitlines()[0]
    assert problem.startswith(f"papershelf: rejected {target}: is the library")
    assert problem.endswith(", not a dump file")
    assert own.isdisjoint(seen), "the library was opened outside SQLite"
    assert digest(stocked) == before


def test_inbox_takes_a_dump_that_changed_mid_import_once_it_is_complete(
    stocked: Path, tmp_path: Path
) -> None:
    """A dump still being written when the inbox is scanned is reported, not half-imported,
    and the next scan imports it whole."""
    folder = tmp_path / "inbox"
    folder.mkdir()
    dump = synthetic_dump(folder / "arriving.txt", 12_000)
    complete = dump.read_bytes()
    inbox = Inbox(folder)
    cut: list[int] = []

    def cut_once(path: Path, papers: int) -> None:
        if papers and not cut:
            cut.append(papers)
            truncate(path)

    with open_shelf(stocked, topics_path=tmp_path / "none.toml") as shelf:
        first = inbox.scan(shelf, on_progress=cut_once)
        assert first.imported == () and first.problems == (f"{dump}: {CHANGED}",)
        dump.write_bytes(complete)
        second = inbox.scan(shelf)
    assert second.problems == () and [s.papers for s in second.imported] == [12_000]
    assert paper_count(stocked) == STOCKED_PAPERS + 12_000
