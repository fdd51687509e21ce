"""Asks for the name of a reading list, completing over the lists there are."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Static

from papershelf.text import one_line
from tui.widgets.plain_input import PlainInput

Wanted = Literal["any", "existing", "new"]


def stored_name(typed: str, names: Sequence[str]) -> str | None:
    """The list a typed name means: names are one list whatever their case."""
    wanted = one_line(typed).casefold()
    return next((name for name in names if name.casefold() == wanted), None)


class ListDialog(ModalScreen[str | None]):
    """One name prompt for every list action; returns the list's name as stored when it
    exists, else the name as typed. `wanted` says whether the name must be a list that
    exists (rename, delete), a new one (create), or either (add: a new name creates it)."""

    CSS_PATH = Path(__file__).with_name("dialog.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(
        self,
        title: str,
        lines: Sequence[Text],
        names: Sequence[str],
        *,
        wanted: Wanted = "any",
        value: str = "",
    ) -> None:
        super().__init__()
        self.title_text = title
        self.lines = lines
        self.names = tuple(names)
        self.wanted = wanted
        self.value = value

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = self.title_text
            box.border_subtitle = "Enter · → completes · Esc cancels"
            for line in self.lines:
                yield Static(line)
            yield PlainInput(
                value=self.value,
                placeholder="list name",
                suggester=SuggestFromList(self.names, case_sensitive=False),
                id="list-name",
            )
            yield Static(id="list-problem", classes="problem")

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        typed = one_line(event.value)
        found = stored_name(typed, self.names)
        problem = Text()
        if not typed:
            problem.append("Give a list name.")
        elif self.wanted == "existing" and found is None:
            problem.append("No list named ")
            problem.append(typed, style="bold")
            problem.append("; the completion shows the lists there are.")
        elif self.wanted == "new" and found is not None:
            problem.append("A list named ")
            problem.append(found, style="bold")
            problem.append(" already exists.")
        else:
            self.dismiss(found or typed)
            return
        self.query_one("#list-problem", Static).update(problem)

    def action_cancel(self) -> None:
        self.dismiss(None)
