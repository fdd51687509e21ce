"""The title line: the app's name and what the list shows now (`unread — 12 papers`)."""

from __future__ import annotations

from pathlib import Path

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget


class TitleBar(Widget):
    """Textual's Header lays out the whole screen whenever its subtitle changes, which on
    a search-as-you-type screen means every widget repaints with every keystroke. This
    line has a fixed size, so a new description only repaints the line itself."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    description: reactive[str | None] = reactive(None)

    def render(self) -> Content:
        return self.app.format_title(self.app.title, self.description or "")
