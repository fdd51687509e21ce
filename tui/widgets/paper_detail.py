"""The highlighted paper in full: title, state, authors, what Hugging Face says of it
(upvotes, stars, comments), the reader's note, abstract, numbered links,
topics, keywords, lists, sources.

Everything shown comes from a dump, so it is assembled as `rich.text.Text` from
sanitized strings: a title full of markup or escape sequences is shown as typed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from papershelf.links import display_host
from papershelf.models import Paper
from papershelf.text import one_line, sanitize


class PaperDetail(ScrollView, can_focus=True):
    """Reads `paper` from the screen; focusable so long abstracts scroll with the keys.

    A line-API view: a new paper re-wraps its text and repaints this pane only, where a
    Static in a scrolling container would make the whole screen lay out again on every
    move of the list cursor.
    """

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    ALLOW_MAXIMIZE = True

    paper: reactive[Paper | None] = reactive(None)
    reasons: reactive[tuple[str, ...]] = reactive(())
    """Words that explain why the paper is shown (for you, or more like this), under
    `reasons_label`; set by the screen."""
    reasons_label = "For you"

    def __init__(self, topic_names: Mapping[str, str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.topic_names = topic_names
        self._lines: list[list[Segment]] = []

    @property
    def text(self) -> Text:
        """What the pane shows, as one Text (the tests read it)."""
        return self.describe(self.paper)

    def watch_paper(self) -> None:
        self.scroll_home(animate=False, immediate=True)
        self.rewrap()

    def watch_reasons(self) -> None:
        self.rewrap()

    def on_resize(self) -> None:
        self.rewrap()

    def rewrap(self) -> None:
        """Wrap the text to the pane's width before it is painted, so its scrollbar is
        sized in the same frame as the text it scrolls."""
        width = self.scrollable_content_region.width
        console = self.app.console
        options = console.options.update_width(max(width, 1))
        self._lines = console.render_lines(self.text, options, pad=False)
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        lines = self._lines
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if index >= len(lines):
            return Strip.blank(width, self.rich_style)
        return Strip(lines[index]).extend_cell_length(width).apply_style(self.rich_style)

    def describe(self, paper: Paper | None) -> Text:
        if paper is None:
            return Text("No paper selected.", style="italic")
        text = Text()
        text.append(one_line(paper.title), style="bold")
        text.append("\n")
        facts = ["read" if paper.read else "unread"]
        if paper.starred:
            facts.append("★ starred")
        if paper.date_label:
            facts.append(one_line(paper.date_label))
        facts.append(one_line(paper.arxiv_id or paper.id))
        text.append(" · ".join(facts), style="dim")
        if self.reasons:
            text.append(f"\n{self.reasons_label}: ", style="bold")
            text.append(", ".join(one_line(word) for word in self.reasons), style="italic")
        if paper.authors:
            text.append("\n")
            text.append(", ".join(one_line(name) for name in paper.authors), style="italic")
        if paper.counts:
            text.append("\n")
            text.append(" · ".join(paper.counts), style="dim")
        if paper.note:
            text.append("\n\nNote: ", style="bold")
            text.append(sanitize(paper.note), style="italic")
        text.append("\n\n")
        text.append(sanitize(paper.abstract) or "(no abstract)")
        text.append("\n")
        if paper.links:
            text.append("\nLinks\n", style="bold")
            for number, link in enumerate(paper.links, start=1):
                text.append(f"{number:>2} ", style="bold")
                text.append(f"{link.kind:<8} ", style="italic")
                text.append(one_line(display_host(link)))
                text.append("\n   ")
                text.append(one_line(link.url), style="underline")
                if link.original and link.original != link.url:
                    text.append("\n   written as ", style="dim")
                    text.append(one_line(link.original), style="dim")
                text.append("\n")
        names = [one_line(self.topic_names.get(slug, slug)) for slug in paper.topics]
        text.append("\nTopics: ", style="bold")
        text.append(", ".join(names) or "none")
        if paper.keywords:
            text.append("\nKeywords: ", style="bold")
            text.append(", ".join(one_line(word) for word in paper.keywords))
        if paper.lists:
            text.append("\nLists: ", style="bold")
            text.append(", ".join(one_line(name) for name in paper.lists))
        if paper.sources:
            text.append("\nSources: ", style="bold")
            text.append(", ".join(one_line(Path(s).name) for s in paper.sources))
        return text
