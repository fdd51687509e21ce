"""Several papershelf processes on one library: nobody sees "database is locked", nothing lost.

A writer that finds the library busy waits (the busy timeout); one that waits too long
gets "library busy" and exit status 75. Readers never wait.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest
from children import start_import, synthetic_dump, wait_for, write_lock, write_lock_held
from factories import PAPERS, write_dump
from hostile import integrity, paper_titles
from rendered import screen_text, settle

import papershelf.library
from tui.app import KEY_WRITE_WAIT_S, PapershelfApp

EXIT_BUSY = 75


def finish(child: subprocess.Popen[bytes]) -> str:
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    return err.decode()


def test_simultaneous_imports_into_a_new_library(
    db: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """Three imports started together on a library that does not exist yet all succeed:
    the library is created once and holds every paper once."""
    dumps = [
        write_dump(tmp_path, "a.txt", papers=PAPERS[:2]),
        write_dump(tmp_path, "b.txt", papers=PAPERS[1:3]),
        write_dump(tmp_path, "c.txt", papers=PAPERS[2:], layout="compact"),
    ]
    children = [start_import(papershelf_script, db, dump) for dump in dumps]
    errors = [finish(child) for child in children]
    assert not any("locked" in e for e in errors)
    assert sorted(paper_titles(db)) == sorted(title for title, _ in PAPERS)
    assert integrity(db) == "ok"


def test_same_file_imported_twice_at_once_counts_once(
    stocked: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """Two processes importing the same file together record it once; the second, having
    waited for the first, says it was already imported."""
    dump = synthetic_dump(tmp_path / "same.txt", 2_000)
    children = [start_import(papershelf_script, stocked, dump) for _ in range(2)]
    assert not any("locked" in finish(child) for child in children)
    conn = sqlite3.connect(stocked)
    sources = conn.execute("SELECT count(*) FROM sources WHERE path = ?", (str(dump),)).fetchone()
    conn.close()
    assert sources == (1,)
    assert len(paper_titles(stocked)) == 4 + 2_000


def test_second_import_waits_for_the_first(
    stocked: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """An import started while another holds the lock waits for it, then lands whole."""
    first = start_import(papershelf_script, stocked, synthetic_dump(tmp_path / "big.txt", 3_000))
    wait_for(lambda: write_lock_held(stocked) or first.poll() is not None, "the first import")
    second = start_import(
        papershelf_script,
        stocked,
        write_dump(tmp_path, "small.txt", papers=[("A Paper Imported Second", "y" * 200)]),
    )
    assert "locked" not in finish(first) + finish(second)
    titles = paper_titles(stocked)
    assert len(titles) == 4 + 3_000 + 1 and "A Paper Imported Second" in titles
    assert integrity(stocked) == "ok"


def test_mark_read_waits_while_an_import_holds_the_lock(
    stocked: Path, tmp_path: Path, papershelf_script: Path, run_script_at
) -> None:  # type: ignore[no-untyped-def]
    """`papershelf mark read` during an import waits for it and then marks the paper."""
    child = start_import(papershelf_script, stocked, synthetic_dump(tmp_path / "big.txt", 3_000))
    wait_for(lambda: write_lock_held(stocked) or child.poll() is not None, "the import")
    paper = sqlite3.connect(stocked).execute("SELECT id FROM papers WHERE pk = 4").fetchone()[0]
    marked = run_script_at(stocked, "mark", "read", paper)
    assert marked.returncode == 0, marked.stderr
    assert b"locked" not in marked.stderr
    finish(child)
    shown = json.loads(run_script_at(stocked, "show", "--json", paper).stdout)
    assert shown["read"] is True
    assert len(paper_titles(stocked)) == 4 + 3_000


@pytest.mark.parametrize(
    "command",
    [
        ["mark", "read", "ID"],
        ["mark", "star", "ID"],
        ["import", "DUMP"],
        ["tag", "ID", "+peft"],
        ["list", "add", "later", "ID"],
    ],
    ids=["mark-read", "star", "import", "tag", "list-add"],
)
def test_writer_gives_up_with_library_busy_and_exit_75(
    stocked: Path, tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:  # type: ignore[no-untyped-def]
    """A writer that waited its whole busy timeout says "library busy" in one line and exits
    75; the library is untouched."""
    monkeypatch.setattr(papershelf.library, "BUSY_TIMEOUT_S", 0.2)
    paper = sqlite3.connect(stocked).execute("SELECT id FROM papers WHERE pk = 4").fetchone()[0]
    dump = write_dump(tmp_path, "new.txt", papers=[("A Paper That Must Wait", "z" * 200)])
    args = [{"ID": paper, "DUMP": str(dump)}.get(arg, arg) for arg in command]
    with write_lock(stocked):
        result = run_cli(*args)
    assert result.exit_code == EXIT_BUSY, result.output
    (line,) = result.stderr.splitlines()
    assert "library busy" in line and "locked" not in line
    assert "A Paper That Must Wait" not in paper_titles(stocked)


def test_readers_never_wait_for_a_writer(
    stocked: Path, run_cli, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """Search, show, stats and export answer while another process holds the write lock."""
    monkeypatch.setattr(papershelf.library, "BUSY_TIMEOUT_S", 0.2)
    with write_lock(stocked):
        for args in (["search", "lantern"], ["stats"], ["export"], ["topics"], ["list", "ls"]):
            result = run_cli(*args)
            assert result.exit_code == 0, (args, result.stderr)


async def test_reading_app_opens_and_searches_during_an_import(
    stocked: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """The reading app opens, lists and searches the library while an import runs in
    another process, and the import is not disturbed."""
    child = start_import(papershelf_script, stocked, synthetic_dump(tmp_path / "big.txt", 40_000))
    try:
        wait_for(lambda: write_lock_held(stocked), "the import to take the write lock")
        app = PapershelfApp(stocked)
        async with app.run_test(size=(160, 40), notifications=True) as pilot:
            await settle(pilot)
            await pilot.press("slash", *"lantern", "enter")
            await settle(pilot)
            text = screen_text(app)
            assert "Sparse Lanterns" in text
            assert "locked" not in text and "busy" not in text
            assert app.is_running
        assert child.poll() is None, "the import ended before the app had read the library"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert integrity(stocked) == "ok"


async def test_reading_app_reports_busy_and_recovers(stocked: Path) -> None:
    """Marking a paper read while another process holds the lock shows a "library busy"
    notification after a short wait (the app writes on its UI thread, so it must not
    wait out the CLI's busy timeout), not a crash; once the lock is free the mark works."""
    app = PapershelfApp(stocked)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        waits_ms = app.shelf.lib.conn.execute("PRAGMA busy_timeout").fetchone()[0]
        assert waits_ms == KEY_WRITE_WAIT_S * 1000 < papershelf.library.BUSY_TIMEOUT_S * 1000
        await pilot.press("end")
        with write_lock(stocked):
            await pilot.press("space")
            await settle(pilot)
        text = screen_text(app)
        assert "library busy" in text and "locked" not in text
        assert app.is_running
        await pilot.press("space")
        await settle(pilot)
    read = (
        sqlite3.connect(stocked)
        .execute("SELECT read_at IS NOT NULL FROM state WHERE paper = 4")
        .fetchone()
    )
    assert read == (1,)
