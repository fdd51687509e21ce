"""Every key and what it does, generated from the command table with the reader's remapping."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from papershelf.text import one_line
from tui.commands import COMMANDS, key_label, keys_of


class HelpScreen(ModalScreen[None]):
    CSS_PATH = Path(__file__).with_name("help.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,f1", "dismiss", "Close", show=False)
    ]

    def __init__(self, keymap: Mapping[str, str], settings_path: Path) -> None:
        super().__init__()
        self.keymap = keymap
        self.settings_path = settings_path

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "Keys"
            body.border_subtitle = "Esc closes"
            yield Static(self.table())
            note = Text("Remap keys in the [keys] table of ", style="dim")
            note.append(one_line(str(self.settings_path)), style="dim italic")
            note.append(', e.g. toggle_read = "X".', style="dim")
            yield Static(note, id="help-note")

    def table(self) -> Table:
        """Three columns, the name for `[keys]` under each command's title: with a fourth
        column, "what it does" was squeezed to 15 characters on an 80-column terminal."""
        table = Table(box=None, expand=True, show_header=True, header_style="bold")
        table.add_column("Keys", no_wrap=True)
        table.add_column("Command · name", no_wrap=True)
        table.add_column("What it does", ratio=1)
        for command in COMMANDS:
            keys = "  ".join(key_label(key) for key in keys_of(command, self.keymap))
            table.add_row(
                Text(keys, style="bold") if keys else Text("palette", style="dim"),
                Text.assemble(command.title, "\n", (command.action, "dim")),
                Text(command.help),
            )
        return table
