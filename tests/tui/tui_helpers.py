"""Helpers for the TUI tests: a recording app and ways to wait for the app to settle."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from textual import events
from textual.command import CommandList
from textual.notifications import SeverityLevel
from textual.pilot import Pilot
from textual.widgets import Input

from tui.app import PapershelfApp
from tui.screens.main import DETAIL_AFTER_TYPING, MainScreen
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList

TODAY = date(2026, 3, 15)


class RecordingApp(PapershelfApp):
    """The real app, keeping every notification and every URL it would open."""

    def __init__(self, db_path: Path, **kwargs: Any) -> None:
        self.opened: list[str] = []
        self.notes: list[tuple[str, SeverityLevel]] = []
        kwargs.setdefault("today", lambda: TODAY)
        kwargs.setdefault("browser", self.opened.append)
        super().__init__(db_path, **kwargs)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        self.notes.append((message, severity))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def said(self, fragment: str) -> bool:
        return any(fragment in message for message, _ in self.notes)


async def settle(pilot: Pilot[Any]) -> None:
    """Let searches, imports and exports finish and their results land on screen, and the
    detail pane catch up with a search typed in the box, and a search the keystroke budget
    cut off be read in whole."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    screen = pilot.app.screen
    for _ in range(100):
        if not isinstance(screen, MainScreen) or not (screen.detail_timer or screen.whole_timer):
            break
        await pilot.pause(DETAIL_AFTER_TYPING / 3)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    else:
        raise AssertionError("the main screen kept starting timers and never settled")
    await pilot.pause()


async def palette_offers(pilot: Pilot[Any], wanted: str, timeout: float = 10.0) -> None:
    """Wait until the command palette highlights a hit containing `wanted`: it searches
    in the background, so Enter pressed at once could run nothing, or an earlier hit."""
    deadline = time.monotonic() + timeout
    while True:
        hits = pilot.app.screen.query_one(CommandList)
        index = hits.highlighted
        if index is not None:
            prompt = str(hits.get_option_at_index(index).prompt)
            if wanted.casefold() in prompt.casefold():
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"the command palette never offered {wanted!r}")
        await pilot.pause(0.05)


async def steady(pilot: Pilot[Any]) -> None:
    """Settle and stop text cursors blinking, for snapshots."""
    await settle(pilot)
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


KEY_NAMES = {
    "/": "slash",
    " ": "space",
    "*": "asterisk",
    "?": "question_mark",
    "\r": "enter",
    "\x1b": "escape",
}


async def burst(pilot: Pilot[Any], keys: str) -> None:
    """Hand the app every key at once, as a paste or fast typing over SSH does.

    `pilot.press` waits for the app to go idle after each key, so it never shows what
    happens to keys that arrive before the app has dealt with the ones before them.
    """
    driver = pilot.app._driver
    assert driver is not None
    for char in keys:
        event = events.Key(KEY_NAMES.get(char, char), char)
        event.set_sender(pilot.app)
        driver.send_message(event)
    await settle(pilot)


async def highlight(pilot: Pilot[Any], index: int) -> None:
    """Put the list cursor on a row, as many presses of j would."""
    pilot.app.screen.query_one(PaperList).move_to(index)
    await pilot.pause()


def list_lines(app: PapershelfApp) -> list[str]:
    """The paper list as the reader sees it, one string per visible row."""
    papers = app.screen.query_one(PaperList)
    height = papers.scrollable_content_region.height
    return [papers.render_line(y).text.rstrip() for y in range(height)]


def detail_text(app: PapershelfApp) -> str:
    return app.screen.query_one(PaperDetail).text.plain
