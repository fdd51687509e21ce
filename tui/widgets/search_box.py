"""The search box: plain text plus filter words, searched with every keystroke."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input

PLACEHOLDER = "Search titles and abstracts · topic:peft is:unread is:starred has:code"


class SearchBox(Input):
    """An Input whose Down key, like Enter, hands over to the list (posts Submitted)."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("down", "submit", "To the list", show=False)]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=PLACEHOLDER, id=id)
