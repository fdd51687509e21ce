"""Every built-in theme, as the reader's eye meets it: read papers dimmer than unread
ones, hints legible.

Colours are read from what the app draws (the composed screen, cell by cell), not from
the CSS, so a style that resolves differently from what the stylesheet meant is caught.
The ANSI themes leave colours to the terminal's palette and are not measured here. Each
theme is measured at two sizes; at 80 columns the sidebar starts hidden and `h` shows it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.color import Color
from tui_helpers import RecordingApp, settle

from tui.styles import TEXT_CONTRAST, contrast
from tui.widgets.paper_list import READ_CONTRAST, PaperList

HINTS = ("[a]", "[u]", "unread/all", "b adds")
"""Muted sidebar text; the narrow sidebar leaves the key hints out."""


def drawn(app: RecordingApp) -> Iterator[Segment]:
    """Every segment the screen is drawn with, in order."""
    update = app.screen._compositor.render_update(full=True)
    for line in update.strips:
        for strip in line:
            yield from strip


def colors_of(app: RecordingApp, text: str) -> tuple[Color, Color]:
    """Foreground and background of the first drawn segment that holds `text`."""
    for segment in drawn(app):
        if text in segment.text and segment.style is not None:
            style = segment.style
            assert style.color is not None and style.bgcolor is not None, segment
            return Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)
    raise AssertionError(f"nothing on screen holds {text!r}")


def title(db: Path, pk: int) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT title FROM papers WHERE pk = ?", (pk,)).fetchone()[0]
    finally:
        conn.close()


def builtin_themes() -> list[str]:
    from textual.theme import BUILTIN_THEMES

    return sorted(name for name in BUILTIN_THEMES if not name.startswith("ansi"))


@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
@pytest.mark.parametrize("theme", builtin_themes())
async def test_read_is_dimmer_and_hints_are_legible(
    theme: str, size: tuple[int, int], library: Path
) -> None:
    app = RecordingApp(library)
    async with app.run_test(size=size) as pilot:
        app.theme = theme
        await settle(pilot)
        if size[0] < 100:
            await pilot.press("h")
        await pilot.press("a", "down", "space", "down", "down", "down")
        await settle(pilot)
        shown = app.screen.query_one(PaperList).pks
        read_title, unread_title = (title(library, pk)[:12] for pk in shown[1:3])
        read_fg, list_bg = colors_of(app, read_title)
        unread_fg, _ = colors_of(app, unread_title)
        read, unread = contrast(read_fg, list_bg), contrast(unread_fg, list_bg)
        assert read < unread, f"{theme}: read {read:.2f} is not dimmer than unread {unread:.2f}"
        assert read >= READ_CONTRAST, f"{theme}: read titles fade out ({read:.2f}:1)"
        hints = [hint for hint in HINTS if any(hint in seg.text for seg in drawn(app))]
        assert len(hints) >= 2, "the sidebar shows almost no hints"
        for hint in hints:
            fg, bg = colors_of(app, hint)
            ratio = contrast(fg, bg)
            assert ratio >= TEXT_CONTRAST, f"{theme}: {hint!r} at {ratio:.2f}:1"
