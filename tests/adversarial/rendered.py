"""What the reading app shows, as plain text, for tests that check what reaches the screen."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot


async def settle(pilot: Pilot[Any]) -> None:
    """Let searches and other workers finish and their results reach the screen."""
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def screen_text(app: App[Any]) -> str:
    """Every character on screen, toasts and open dialogs included, composed the way
    `App.export_screenshot` composes them, but as text rather than SVG."""
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system="truecolor",
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False)


def notifications(app: App[Any]) -> list[str]:
    """The text of every notification the app has shown, as Textual holds it."""
    return [notification.message for notification in app._notifications]
