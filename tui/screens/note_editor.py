"""Write the reader's own note on a paper: a few lines of plain text, kept with the paper."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from papershelf.text import one_line
from tui.widgets.plain_input import PlainTextArea


class NoteEditor(ModalScreen[str | None]):
    """Ctrl+S keeps the note (an empty note removes it); Esc leaves it as it was.

    Enter starts a new line, as in any editor, so saving needs a key of its own.
    """

    CSS_PATH = Path(__file__).with_name("dialog.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("ctrl+s", "save", "Save", show=False, priority=True),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Note"
            box.border_subtitle = "Ctrl+S saves · Esc cancels"
            yield Static(Text(one_line(self.paper_title), style="bold"))
            yield PlainTextArea(self.note, soft_wrap=True, id="note-text")

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
