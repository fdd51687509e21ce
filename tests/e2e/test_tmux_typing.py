"""The installed app in tmux, fed keys the way terminals deliver them: many at once.

`tmux send-keys -l` writes the whole text to the terminal in one go, as a paste or fast
typing over SSH does, so keys arrive before the app has acted on the ones before them.
Also: an app that dies of an unhandled error exits non-zero.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from test_tmux import (
    Terminal,
    app_env,
    papershelf,
    real_library,
    search_json,
    shows_app,
    terminal,
)

from papershelf.sample import sample_files

__all__ = ["real_library", "terminal"]  # fixtures; these tests get their own tmux server

QUERY = "quantization"


def sample_library(script: Path, tmp_path: Path) -> Path:
    db = tmp_path / "sample.db"
    papershelf(script, db, "import", *map(str, sample_files()))
    return db


def search_in_one_burst(
    terminal: Terminal, script: Path, db: Path, word: str
) -> tuple[list[str], str]:
    """Open the app, type `/word` at once and wait for the header with the CLI's count.
    Returns the hits, best first, and the settled screen, on which no row of a paper the
    search left out may stay behind (the list repaints only the rows that changed)."""
    hits = [str(paper["id"]) for paper in search_json(script, db, word)]
    others = [
        str(paper["title"])[:20]
        for paper in search_json(script, db)
        if str(paper["id"]) not in hits
    ]
    terminal.start([str(script), "--db", str(db)], app_env())
    terminal.wait_for(shows_app, "the app")
    before = terminal.wait_settled()
    assert any(title in before for title in others), before
    terminal.type("/" + word)
    header = f'"{word}" — {len(hits)} papers'
    terminal.wait_for(lambda screen: header in screen, f"the header {header!r}")
    screen = terminal.wait_settled()
    assert not [title for title in others if title in screen], f"rows left behind:\n{screen}"
    return hits, screen


def test_a_search_typed_in_one_burst_lands_in_the_search_box(
    terminal: Terminal, papershelf_script: Path, tmp_path: Path
) -> None:
    """`/quantization` sent at once searches (no letter runs a command); Enter and Space
    sent at once then mark the first hit read."""
    db = sample_library(papershelf_script, tmp_path)
    hits, screen = search_in_one_burst(terminal, papershelf_script, db, QUERY)
    assert len(hits) > 1
    assert "Paper topics" not in screen
    assert re.search(rf"^▊\s+{QUERY}\s+▎$", screen, re.MULTILINE), screen
    terminal.press("Enter", "Space")
    terminal.wait_for(
        lambda screen: any(hits[0] in row and "unread" not in row for row in screen.splitlines()),
        f"paper {hits[0]} marked read",
    )
    terminal.press("q")
    status, output = terminal.wait_exit()

    assert status == 0, output
    assert [paper["id"] for paper in search_json(papershelf_script, db, "--read")] == [hits[0]]


def test_a_long_list_narrowed_to_another_shows_no_row_left_behind(
    terminal: Terminal, papershelf_script: Path, real_library: Path
) -> None:
    """A search whose hits still overflow the list repaints only the rows that changed;
    no row of a paper it leaves out may stay on screen."""
    hits, _ = search_in_one_burst(terminal, papershelf_script, real_library, "language")
    assert len(hits) > 40


BROKEN_APP = """\
import sys

from tui.screens.main import MainScreen


def broken(self):
    raise RuntimeError("a bug in the main screen")


MainScreen.on_mount = broken
from papershelf.cli import main

sys.argv[0] = "papershelf"
main()
"""


def test_an_unhandled_error_exits_non_zero(
    terminal: Terminal, papershelf_script: Path, tmp_path: Path
) -> None:
    """When a bug ends the app, Textual shows the traceback and the exit status is 1."""
    db = sample_library(papershelf_script, tmp_path)
    driver = tmp_path / "broken_app.py"
    driver.write_text(BROKEN_APP, encoding="utf-8")

    terminal.start([sys.executable, str(driver), "--db", str(db)], app_env())
    status, output = terminal.wait_exit()

    assert status == 1, output
    assert "a bug in the main screen" in output
