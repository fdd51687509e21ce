"""Text boxes that keep only printable text.

Whatever is typed or pasted is drawn back to the terminal, so a pasted escape sequence,
C1 control or bidi override would reach it like any text from a dump. Every edit goes
through `replace` (Input) or `edit` (TextArea), so cleaning there covers keys and pastes.
"""

from __future__ import annotations

from textual.document._document import EditResult
from textual.document._edit import Edit
from textual.widgets import Input, TextArea

from papershelf.text import sanitize


class PlainInput(Input):
    """A one-line Input that drops control characters from what is typed or pasted."""

    def replace(self, text: str, start: int, end: int) -> None:
        super().replace(sanitize(text).replace("\n", " ").replace("\t", " "), start, end)


class PlainTextArea(TextArea):
    """A TextArea that drops control characters (but keeps newlines) from every edit."""

    def edit(self, edit: Edit) -> EditResult:
        clean = sanitize(edit.text)
        if clean != edit.text:
            edit = Edit(clean, edit.from_location, edit.to_location, edit.maintain_selection_offset)
        return super().edit(edit)
