"""The installed app in tmux, fed keys the way terminals deliver them: many at once.

`tmux send-keys -l` writes the whole text to the terminal in one go, as a paste or fast
typing over SSH does, so keys arrive before the app has acted on the ones before them.
Also: an app that dies of an unhandled error exits non-zero.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from test_tmux import Terminal, app_env, papershelf, search_json, shows_app, terminal

from papershelf.sample import sample_files

__all__ = ["terminal"]  # the fixture, imported so these tests get their own tmux server

QUERY = "quantization"


def sample_library(script: Path, tmp_path: Path) -> Path:
    db = tmp_path / "sample.db"
    papershelf(script, db, "import", *map(str, sample_files()))
    return db


def test_a_search_typed_in_one_burst_lands_in_the_search_box(
    terminal: Terminal, papershelf_script: Path, tmp_path: Path
) -> None:
    """`/quantization` sent at once searches (no letter runs a command); Enter and Space
    sent at once then mark the first hit read."""
    db = sample_library(papershelf_script, tmp_path)
    hits = [str(paper["id"]) for paper in search_json(papershelf_script, db, QUERY)]
    assert len(hits) > 1

    terminal.start([str(papershelf_script), "--db", str(db)], app_env())
    terminal.wait_for(shows_app, "the app")
    terminal.wait_settled()
    terminal.type("/" + QUERY)
    header = f'"{QUERY}" — {len(hits)} papers'
    screen = terminal.wait_for(lambda screen: header in screen, f"the header {header!r}")
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
