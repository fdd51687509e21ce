"""Copying a link: the real X clipboard under Xvfb, and the terminal's OSC 52 fallback."""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import Callable

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.clipboard import CopyResult, copy_text, osc52_note

FIRST_URL = "https://github.com/lantern-lab/sparse-lanterns"
SECOND_URL = "https://huggingface.co/datasets/orchard-lab/fruit-qa?split=test&row=2"


class BlankApp(App[None]):
    """The smallest real Textual app: copy_text needs only its terminal clipboard."""

    def compose(self) -> ComposeResult:
        yield Static("clipboard test")


def copy_inside_app(text: str) -> tuple[CopyResult, str | None]:
    """Copy while a real app runs, and return the result with what the app put on OSC 52."""
    app = BlankApp()

    async def run() -> CopyResult:
        async with app.run_test():
            return copy_text(text, app)

    result = asyncio.run(run())
    return result, app.clipboard


def read_x_clipboard(xclip: str) -> str:
    return subprocess.run(
        [xclip, "-o", "-selection", "clipboard"],
        capture_output=True,
        text=True,
        timeout=5,
        check=True,
    ).stdout


@pytest.mark.e2e
def test_copy_lands_on_the_x_clipboard(
    x_display: str, require_tool: Callable[[str], str], capfd: pytest.CaptureFixture[str]
) -> None:
    """A copied link can be pasted from the desktop clipboard, and the last copy wins."""
    xclip = require_tool("xclip")

    copy_text(FIRST_URL)
    result = copy_text(SECOND_URL)

    assert result == CopyResult("clipboard", f"Copied {SECOND_URL}")
    assert read_x_clipboard(xclip) == SECOND_URL
    assert capfd.readouterr() == ("", "")


def test_without_a_display_the_terminal_clipboard_is_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """With no X or Wayland display the link goes to the terminal via OSC 52, and says so."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    result, clipboard = copy_inside_app(FIRST_URL)

    assert result == CopyResult(
        "osc52", f"Sent to the terminal's clipboard (OSC 52): {FIRST_URL}. {osc52_note()}"
    )
    assert clipboard == FIRST_URL


@pytest.mark.e2e
def test_a_stale_display_falls_back_silently(
    monkeypatch: pytest.MonkeyPatch,
    require_tool: Callable[[str], str],
    capfd: pytest.CaptureFixture[str],
) -> None:
    """A DISPLAY nobody serves sends the link over OSC 52 and prints nothing on the terminal."""
    require_tool("xclip")
    monkeypatch.setenv("DISPLAY", ":99999")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    result, clipboard = copy_inside_app(FIRST_URL)

    assert result.method == "osc52"
    assert "OSC 52" in result.message
    assert clipboard == FIRST_URL
    assert capfd.readouterr() == ("", "")


def test_without_any_clipboard_or_app_nothing_is_claimed(monkeypatch: pytest.MonkeyPatch) -> None:
    """With neither a display nor an app to write through, the result admits nothing was copied."""
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    result = copy_text(FIRST_URL)

    assert result.method == "none"
    assert FIRST_URL in result.message
