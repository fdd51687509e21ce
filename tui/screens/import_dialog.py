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

from papershelf.shelf import dump_files
from papershelf.text import one_line
from tui.widgets.plain_input import PlainInput


class PathSuggester(Suggester):
    """Completes the last part of a path from the directory it names (→ accepts)."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        head, _, prefix = value.rpartition("/")
        if value and not prefix:
            return None  # a folder is an answer of its own: Enter imports its dumps
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
    """A path prompt; Enter imports the file, or every dump of a folder; Esc cancels."""

    CSS_PATH = Path(__file__).with_name("dialog.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Import a dump file or folder"
            box.border_subtitle = "Enter imports · → completes · Esc cancels"
            yield PlainInput(
                placeholder="a saved Daily Papers page (.txt, .json) or a folder of them",
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
            problem = "Give the path of a dump file or a folder of dumps."
        elif not path.exists():
            problem = f"No file or folder {one_line(str(path))}."
        elif path.is_dir() and not self.holds_dumps(path):
            problem = f"No dump files (.txt, .json, .md) in {one_line(str(path))}."
        else:
            self.dismiss(path)
            return
        self.query_one("#import-problem", Static).update(Text(problem))

    @staticmethod
    def holds_dumps(folder: Path) -> bool:
        try:
            return bool(dump_files(folder))
        except OSError:
            return True  # the import says why it cannot read the folder

    def action_cancel(self) -> None:
        self.dismiss(None)
