"""The reading app open while the CLI works on the same library: both sides' work lands.

Linux drops every POSIX lock a process holds on a file when it closes *any* descriptor
of that file. A papershelf that read the library's header with `open()` while its own
SQLite connections were open lost SQLite's locks; the next CLI process to close then
believed it was the last user and deleted the WAL the app was still writing to. Marks
made in the app afterwards never reached the file and the library ended "malformed".
These tests run the real app (Pilot) in this process and the real CLI in others.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from children import synthetic_dump
from hostile import integrity, paper_ids
from reader_state import reader_state
from rendered import settle

from papershelf.library import Library
from tui.app import PapershelfApp
from tui.widgets.paper_list import PaperList


def cli(script: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(script), "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done


def deleted_files(pid: int, db: Path) -> list[str]:
    """The library's files (its WAL, its -shm) this process holds open though they were
    removed from their folder."""
    found = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith(str(db)) and target.endswith("(deleted)"):
            found.append(target)
    return found


def read_ids(db: Path) -> set[str]:
    with Library(db) as lib:
        return {pid for pid, state in reader_state(lib).items() if state["read_at"]}


def highlighted_id(app: PapershelfApp) -> str:
    pk = app.screen.query_one(PaperList).highlighted
    assert pk is not None
    return app.shelf.lib.conn.execute("SELECT id FROM papers WHERE pk = ?", (pk,)).fetchone()[0]


async def test_marks_from_the_app_and_the_cli_all_land(
    stocked: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """The app marks papers while the CLI reads, marks and imports; after both exit every
    mark from both sides is in the file, the file is sound, and each side saw the other's."""
    papers = paper_ids(stocked)
    before = read_ids(stocked)
    app_marked: list[str] = []
    app = PapershelfApp(stocked)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        cli(papershelf_script, stocked, "stats")
        cli(papershelf_script, stocked, "mark", "read", papers[2])
        await pilot.press("a", "end")
        await settle(pilot)
        app_marked.append(highlighted_id(app))
        await pilot.press("space")
        await settle(pilot)
        cli(papershelf_script, stocked, "import", str(synthetic_dump(tmp_path / "d.txt", 300)))
        await pilot.press("home")
        await settle(pilot)
        app_marked.append(highlighted_id(app))
        await pilot.press("space")
        await settle(pilot)
        cli(papershelf_script, stocked, "search", "lantern", "--json")
        assert deleted_files(os.getpid(), stocked) == [], (
            "the app writes to a file nobody else sees"
        )
        seen_by_app = app.shelf.lib.conn.execute(
            "SELECT count(*) FROM state WHERE read_at IS NOT NULL"
        ).fetchone()[0]
        seen_by_cli = json.loads(cli(papershelf_script, stocked, "stats", "--json").stdout)
        assert seen_by_cli["read"] == seen_by_app
    assert integrity(stocked) == "ok"
    assert len(paper_ids(stocked)) == len(papers) + 300
    expected = (before | {papers[2]}) ^ {app_marked[0]} ^ {app_marked[1]}
    assert read_ids(stocked) == expected
