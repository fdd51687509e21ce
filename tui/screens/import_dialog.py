"""Asks which dump file to import, completing paths as they are typed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

from papershelf.text import one_line
from tui.widgets.plain_input import PlainInput


class PathSuggester(Suggester):
    """Completes the last part of a path from the directory it names (→ accepts)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, prefix = value.rpartition("/")
        folder = Path(os.path.expanduser(head + "/" if head or value.startswith("/") else "."))
        try:
            names = sorted(
                entry.name + ("/" if entry.is_dir() else "")
                for entry in os.scandir(folder)
                if entry.name.startswith(prefix) and not entry.name.startswith(".")
            )
        except OSError:
            return None
        if not names or names[0] == prefix:
            return None
        return value + names[0][len(prefix) :]


class ImportDialog(ModalScreen[Path | None]):
    """A path prompt; Enter imports the file, Esc cancels."""

    CSS_PATH = Path(__file__).with_name("dialog.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Import a dump file"
            box.border_subtitle = "Enter imports · → completes · Esc cancels"
            yield PlainInput(
                placeholder="path to a saved Daily Papers page (.txt)",
                suggester=PathSuggester(),
                id="import-path",
            )
            yield Static(
                "The file lands whole or not at all; papers already in the library are kept.",
                classes="hint",
            )
            yield Static(id="import-problem", classes="problem")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        if not event.value.strip():
            problem = "Give the path of a dump file."
        elif not path.is_file():
            problem = f"No file {one_line(str(path))}."
        else:
            self.dismiss(path)
            return
        self.query_one("#import-problem", Static).update(Text(problem))

    def action_cancel(self) -> None:
        self.dismiss(None)
