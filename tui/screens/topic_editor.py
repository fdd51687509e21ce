"""Add or remove one topic of a paper, completing over the topics that exist."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

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


@dataclass(frozen=True, slots=True)
class TopicChange:
    slug: str
    add: bool


class TopicEditor(ModalScreen[TopicChange | None]):
    """Typing a topic the paper has removes it; any other known topic is added."""

    CSS_PATH = Path(__file__).with_name("dialog.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", show=False)]

    def __init__(
        self, title: str, current: tuple[str, ...], topic_names: Mapping[str, str]
    ) -> None:
        super().__init__()
        self.paper_title = title
        self.current = current
        self.topic_names = dict(topic_names)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Paper topics"
            box.border_subtitle = "Enter adds or removes · → completes · Esc"
            yield Static(Text(one_line(self.paper_title), style="bold"))
            now = Text("Topics now: ")
            now.append(", ".join(self.topic_name(slug) for slug in self.current) or "none")
            yield Static(now)
            yield PlainInput(
                placeholder="topic name or slug",
                suggester=SuggestFromList(self.completions, case_sensitive=False),
                id="topic-input",
            )
            yield Static(id="topic-problem", classes="problem")

    def topic_name(self, slug: str) -> str:
        return one_line(self.topic_names.get(slug, slug))

    @property
    def completions(self) -> list[str]:
        """Names first, then slugs: the order the input suggests them in."""
        return [*(self.topic_name(slug) for slug in self.topic_names), *self.topic_names]

    def resolve(self, typed: str) -> str | None:
        """The topic named or slugged exactly, else the one the input's completion shows
        for what was typed, so Enter takes what the reader sees."""
        wanted = typed.strip().casefold()
        if not wanted:
            return None
        by_word = {one_line(name).casefold(): slug for slug, name in self.topic_names.items()}
        by_word |= {slug.casefold(): slug for slug in self.topic_names}
        if wanted in by_word:
            return by_word[wanted]
        shown = next((c for c in self.completions if c.casefold().startswith(wanted)), None)
        return by_word[shown.casefold()] if shown else None

    @on(Input.Submitted)
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        slug = self.resolve(event.value)
        if slug is None:
            problem = Text("No topic named ")
            problem.append(one_line(event.value))
            problem.append("; the completion shows the ones that exist.")
            self.query_one("#topic-problem", Static).update(problem)
            return
        self.dismiss(TopicChange(slug, add=slug not in self.current))

    def action_cancel(self) -> None:
        self.dismiss(None)
