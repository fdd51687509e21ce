"""Asks where to write the view as Markdown; the main screen does the writing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Static

from papershelf.files import refusal
from papershelf.text import one_line
from tui.widgets.plain_input import PlainInput


@dataclass(frozen=True, slots=True)
class ExportRequest:
    path: Path
    group_by_topic: bool


class ExportDialog(ModalScreen[ExportRequest | None]):
    """A file name prefilled with a sensible default; Enter writes, Esc cancels.

    An existing file is only replaced after a second Enter, so an export never
    overwrites a reading list by accident.
    """

    CSS_PATH = Path(__file__).with_name("dialog.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(
        self, default: str, count: int, description: str, protect: dict[Path, str]
    ) -> None:
        super().__init__()
        self.default = default
        self.count = count
        self.description = description
        self.protect = protect
        self.confirmed: Path | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Export view as Markdown"
            box.border_subtitle = "Enter writes · Esc cancels"
            summary = Text(f"{self.count} paper{'s' * (self.count != 1)}: ")
            summary.append(one_line(self.description), style="bold")
            yield Static(summary)
            yield PlainInput(value=self.default, id="export-path")
            yield Checkbox("Group by topic", id="export-group")
            yield Static(id="export-problem", classes="problem")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        path = Path(event.value.strip()).expanduser()
        problem = self.problem_with(path)
        if problem:
            self.query_one("#export-problem", Static).update(Text(problem))
            return
        group = self.query_one("#export-group", Checkbox).value
        self.dismiss(ExportRequest(path, group))

    def problem_with(self, path: Path) -> str | None:
        """What stops the export before it starts: the checks the writer makes (see
        `papershelf.files`), said here while the name can still be changed."""
        if not path.name:
            return "Give a file name."
        refused = refusal(path, self.protect)
        if refused:
            return f"{one_line(str(path))}: {refused}."
        if not path.parent.is_dir():
            return f"No directory {one_line(str(path.parent))}."
        if path.exists() and self.confirmed != path:
            self.confirmed = path
            return f"{one_line(path.name)} exists; press Enter again to replace it."
        return None

    def action_cancel(self) -> None:
        self.dismiss(None)
