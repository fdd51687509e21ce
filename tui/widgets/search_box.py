"""The search box: plain text plus filter words, searched with every keystroke."""

from __future__ import annotations

from pathlib import Path

from textual.geometry import Region

from tui.widgets.plain_input import PlainInput

PLACEHOLDER = "Search titles and abstracts · topic:peft is:unread is:starred has:code"


class SearchBox(PlainInput):
    """Enter and Down hand over to the list: the main screen binds them, as priority keys,
    so the keys typed after them in one burst land in the list too."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> SearchBox:
        """Repaint only: the box has a fixed size, but Input asks for a layout of the whole
        screen with every character typed (its text width changes), which would repaint
        every widget on every keystroke."""
        super().refresh(*regions, repaint=repaint, recompose=recompose)
        return self
