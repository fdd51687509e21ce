"""The highlighted paper in full: title, state, authors, what Hugging Face says of it
(upvotes, stars, comments), the reader's note, abstract, numbered links,
topics, keywords, lists, sources.

Everything shown comes from a dump, so it is assembled as `rich.text.Text` from
sanitized strings: a title full of markup or escape sequences is shown as typed.
"""

from __future__ import annotations

import re
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

URL = re.compile(r"https?://\S+")
LINK_INDENT = "   "


def url_pieces(url: str, width: int) -> list[str]:
    """A URL cut after its slashes, dots, hyphens and query marks into pieces of at most
    `width` cells: Rich wraps at spaces only, so a long URL was cut wherever the line
    ended, mid-word. A single part longer than the line is still folded by Rich."""
    pieces, current = [], ""
    for part in re.split(r"(?<=[/?&#=.\-_])", url):
        if current and len(current) + len(part) > width:
            pieces.append(current)
            current = ""
        current += part
    return [*pieces, current]


def break_urls(text: str, width: int) -> str:
    """`text` with each URL too long for a line put on lines of its own, cut at slashes."""
    if width <= 0:
        return text
    return URL.sub(
        lambda m: "\n".join(url_pieces(m[0], width)) if len(m[0]) > width else m[0], text
    )


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
        """What the pane shows, as one Text with its URLs whole (the tests read it)."""
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
        self._lines = console.render_lines(self.describe(self.paper, width), options, pad=False)
        self.virtual_size = Size(width, len(self._lines))
        self.refresh()

    def render_line(self, y: int) -> Strip:
        lines = self._lines
        index = round(self.scroll_offset.y) + y
        width = self.scrollable_content_region.width
        if index >= len(lines):
            return Strip.blank(width, self.rich_style)
        return Strip(lines[index]).extend_cell_length(width).apply_style(self.rich_style)

    def describe(self, paper: Paper | None, width: int = 0) -> Text:
        """The paper as text; with the pane's `width`, long URLs are cut at slashes."""
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
        text.append(break_urls(sanitize(paper.abstract), width) or "(no abstract)")
        text.append("\n")
        if paper.links:
            text.append("\nLinks\n", style="bold")
            for number, link in enumerate(paper.links, start=1):
                text.append(f"{number:>2} ", style="bold")
                text.append(f"{link.kind:<8} ", style="italic")
                text.append(one_line(display_host(link)))
                url = one_line(link.url)
                for piece in url_pieces(url, width - len(LINK_INDENT)) if width else [url]:
                    text.append("\n" + LINK_INDENT)
                    text.append(piece, style="underline")
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
