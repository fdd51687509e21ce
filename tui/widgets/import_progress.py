"""The import indicator: which file is being read and how many papers so far."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import ProgressBar, Static

from papershelf.text import one_line


@dataclass(frozen=True, slots=True)
class ImportState:
    """An import under way: the file, papers read so far, and an estimate of the total."""

    path: Path
    papers: int = 0
    estimate: int | None = None


class ImportProgress(Horizontal):
    """Reads `state` from the screen; hidden when no import runs."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    state: reactive[ImportState | None] = reactive(None)

    def compose(self) -> ComposeResult:
        yield Static(id="import-label")
        yield ProgressBar(total=None, show_eta=False, id="import-bar")

    def watch_state(self, state: ImportState | None) -> None:
        self.display = state is not None
        if state is None or not self.is_mounted:
            return
        label = Text("Importing ")
        label.append(one_line(state.path.name), style="bold")
        label.append(f" · {state.papers} papers")
        self.query_one("#import-label", Static).update(label)
        bar = self.query_one("#import-bar", ProgressBar)
        total = max(state.estimate or 0, state.papers) or None
        bar.update(total=total, progress=state.papers)
