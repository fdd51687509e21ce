"""Choose one of a paper's links: a digit copies that link, o opens the highlighted one.

643 of the 916 papers of the real dumps came with no link at all; for those the picker
offers a search for the title on arXiv and on Hugging Face Papers instead, labelled as
searches, so `o` and `l` still reach the paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal
from urllib.parse import quote

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from papershelf.links import display_host
from papershelf.models import Link
from papershelf.text import one_line

SEARCHES = (
    ("arxiv.org", "https://arxiv.org/search/?searchtype=title&query={}"),
    ("huggingface.co", "https://huggingface.co/papers?q={}"),
)
THIRD_PERSON = {"copy": "copies", "open": "opens"}


def title_searches(title: str) -> tuple[Link, ...]:
    """Searches for a paper's title on arXiv and Hugging Face Papers (kind `search`)."""
    words = quote(one_line(title), safe="")
    return tuple(Link(url.format(words), "search", host) for host, url in SEARCHES)


@dataclass(frozen=True, slots=True)
class LinkChoice:
    link: Link
    number: int
    verb: Literal["copy", "open"]


class LinkPicker(ModalScreen[LinkChoice | None]):
    """Numbered like the detail pane, so the number seen there is the digit to press."""

    CSS_PATH = Path(__file__).with_name("dialog.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", show=False),
        Binding("o", "open", "Open", show=False),
        *(Binding(str(n), f"copy({n})", show=False) for n in range(1, 10)),
    ]

    def __init__(
        self,
        title: str,
        links: tuple[Link, ...],
        verb: Literal["copy", "open"],
        searching: bool = False,
    ) -> None:
        super().__init__()
        self.paper_title = title
        self.links = links
        self.verb = verb
        self.searching = searching

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Open a link" if self.verb == "open" else "Links"
            box.border_subtitle = f"1-9 copies · o opens · Enter {THIRD_PERSON[self.verb]} · Esc"
            yield Static(Text(one_line(self.paper_title), style="bold"))
            if self.searching:
                yield Static("The dump gave no link: search for this title instead.")
            yield OptionList(*(self.option(n, link) for n, link in enumerate(self.links, 1)))

    @staticmethod
    def option(number: int, link: Link) -> Option:
        text = Text()
        text.append(f"{number} ", style="bold")
        text.append(f"{link.kind:<8} ", style="italic")
        text.append(one_line(display_host(link)))
        text.append("\n  ")
        text.append(one_line(link.url), style="dim")
        return Option(text, id=str(number))

    def action_copy(self, number: int) -> None:
        if 1 <= number <= len(self.links):
            self.dismiss(LinkChoice(self.links[number - 1], number, "copy"))

    def action_open(self) -> None:
        highlighted = self.query_one(OptionList).highlighted or 0
        self.dismiss(LinkChoice(self.links[highlighted], highlighted + 1, "open"))

    @on(OptionList.OptionSelected)
    def chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        number = event.option_index + 1
        self.dismiss(LinkChoice(self.links[event.option_index], number, self.verb))

    def action_cancel(self) -> None:
        self.dismiss(None)
