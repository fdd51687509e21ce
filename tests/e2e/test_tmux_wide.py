"""Titles in scripts and emoji that terminals measure differently keep the list's border still.

A terminal decides how many cells a character takes, and Rich (which lays out the app)
must agree with it, or every cell after the character lands one or more cells off: the
list's right border zigzags. The width of each screen row is measured by tmux itself:
each row's text up to the border is printed in a window of its own and tmux says where
its cursor ended.
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest
from factories import write_dump
from test_tmux import Terminal, app_env, papershelf, shows_app, terminal

__all__ = ["terminal"]  # a fixture; each test gets its own tmux server

BORDER = "▎"
ABSTRACT = (
    "We measure how terminals draw characters from many scripts and emoji, and show that "
    "layouts stay aligned when every cell is counted the way the terminal counts it."
)
WIDE_TITLES = [
    (title, ABSTRACT)
    for title in (
        "Family 👨‍👩‍👧‍👦 Joined Emoji in Prompts",
        "Heart ❤️ and Flag 🏳️‍🌈 Selectors",
        "한국어 텍스트 모델 Hangul Reading",
        "ภาษาไทย การประมวลผล Thai Benchmarks",
        "A Plain Title Kept for Comparison",
    )
]


def cursor_columns(terminal: Terminal, texts: list[str]) -> list[int]:
    """Where tmux puts the cursor after printing each text: its width in this terminal."""
    for index, text in enumerate(texts):
        command = f"printf '%s' {shlex.quote(text)}; sleep 60"
        terminal.tmux_command("new-window", "-d", "-t", "app:", "-n", f"m{index}", command)
    columns = []
    for index, text in enumerate(texts):
        deadline = time.monotonic() + 10
        while True:
            shown = terminal.tmux_command("capture-pane", "-p", "-t", f"app:m{index}")
            if shown.strip() or not text.strip():
                break
            if time.monotonic() > deadline:
                pytest.fail(f"tmux never printed {text!r}")
            time.sleep(0.05)
        x = terminal.tmux_command("display-message", "-p", "-t", f"app:m{index}", "#{cursor_x}")
        columns.append(int(x))
    return columns


def test_list_border_stays_in_one_column(
    terminal: Terminal, tmp_path: Path, papershelf_script: Path
) -> None:
    db = tmp_path / "wide.db"
    papershelf(
        papershelf_script, db, "import", str(write_dump(tmp_path, "wide.txt", papers=WIDE_TITLES))
    )
    terminal.start([str(papershelf_script), "--db", str(db)], app_env())
    terminal.wait_for(shows_app, "the app")
    screen = terminal.wait_for(lambda s: "Comparison" in s, "the titles")
    rows = [line for line in screen.splitlines() if "●" in line and BORDER in line]
    assert len(rows) == len(WIDE_TITLES), screen
    prefixes = [row[: row.index(BORDER)] for row in rows]
    columns = cursor_columns(terminal, prefixes)
    assert len(set(columns)) == 1, list(zip(columns, rows, strict=True))
