"""The sidebar: reading states, reading lists, imports and topics with counts.

Its sections are those the filter table (`papershelf.filters`) names, in the table's
order, and every entry stands for one filter term, so choosing one posts the same
`ToggleFilter` whatever the filter. States and topics count the papers of the current
view; a list or an import shows how many of its papers are left to read and how many it
holds (`3/12`), whatever the view, like a feed reader's feed list.

Every keystroke in the search box changes a few counts, and a stock OptionList measures
and renders all of its prompts again for each change. This is a line-API view instead:
an entry is a tuple of (text, part) pairs, painted from styles resolved once per paint,
and only the lines whose text changed are painted again. Text is written as plain
segments, so a name from the reader's own configuration is shown literally whatever
characters it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Literal, Protocol

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from papershelf.filters import FILTERS, Filter, Term
from papershelf.lists import ListSummary
from papershelf.text import one_line
from tui.commands import BY_ACTION, key_label, keys_of
from tui.messages import ShowAll, ToggleFilter
from tui.styles import part_style
from tui.view import Results

HINTS_FROM = 22
GROUPS = (("area", "Areas"), ("technique", "Techniques"))
ALL = "all"
STATE_KEYS = {"unread": "cycle_unread", "read": "show_read", "starred": "toggle_starred"}
"""The command whose key is shown beside each reading state."""
SECTIONS = tuple(dict.fromkeys(f.section for f in FILTERS if f.section))
PARTS = ("mark", "chosen", "muted", "heading", "rule")
LineState = Literal["", "cursor", "hover", "disabled"]


class TopicLike(Protocol):
    slug: str
    name: str
    group: str


@dataclass(frozen=True, slots=True)
class Entry:
    """One line of the sidebar. Headings, hints and rules have no id: the cursor skips
    them. `parts` pairs each piece of text with the part of the look it takes."""

    id: str | None
    parts: tuple[tuple[str, str], ...] = ()
    rule: bool = False
    term: Term | None = None

    @property
    def text(self) -> str:
        return "".join(text for text, _ in self.parts)


RULE = Entry(None, rule=True)


def choice(term: Term, parts: tuple[tuple[str, str], ...]) -> Entry:
    """An entry that stands for a filter term; its id is the term as typed."""
    return Entry(str(term), parts, term=term)


class Facets(ScrollView, can_focus=True):
    """Reads `results` and `lists` from the screen; posts ToggleFilter (or ShowAll) when
    the reader picks an entry."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    ALLOW_SELECT = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "cursor_down", "Down", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("enter", "select", "Select", show=False),
        Binding("home", "first", "First", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("up", "cursor_up", "Up", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "facets--cursor",
        "facets--hover",
        "facets--disabled",
        *(f"facets--{part}" for part in PARTS),
    }

    results: reactive[Results | None] = reactive(None, repaint=False)
    lists: reactive[tuple[ListSummary, ...]] = reactive((), repaint=False)
    highlighted: reactive[int | None] = reactive(None, repaint=False)

    def __init__(
        self,
        topics: Sequence[TopicLike],
        *,
        keymap: dict[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.topics = tuple(topics)
        self.keymap = keymap or {}
        self._entries: tuple[Entry, ...] = ()
        self._hover: int | None = None
        self._styles_for: bool | None = None
        self._width = 0
        self._line_styles: dict[str, Style] = {}
        self._part_styles: dict[str, Style] = {"": Style()}
        self._strips: dict[tuple[Entry, str, int], Strip] = {}

    # What the tests and the screen read ---------------------------------------------------

    @property
    def entry_ids(self) -> tuple[str, ...]:
        """The entries a reader can choose, top to bottom."""
        return tuple(entry.id for entry in self._entries if entry.id is not None)

    @property
    def prompts(self) -> tuple[str, ...]:
        """The plain text of every line, headings and hints included (a rule is empty)."""
        return tuple(entry.text for entry in self._entries)

    def prompt(self, entry_id: str) -> str:
        """The plain text of one entry's line."""
        return self._entries[self._index_of(entry_id)].text

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self._entries[self.highlighted].id

    def highlight(self, entry_id: str) -> None:
        """Put the cursor on an entry."""
        self.highlighted = self._index_of(entry_id)

    def _index_of(self, entry_id: str) -> int:
        for index, entry in enumerate(self._entries):
            if entry.id == entry_id:
                return index
        raise KeyError(entry_id)

    # State from the screen -------------------------------------------------------------

    def watch_results(self) -> None:
        self.rebuild()

    def watch_lists(self) -> None:
        self.rebuild()

    def on_resize(self) -> None:
        self.rebuild()

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def rebuild(self) -> None:
        """Entries for the current counts, keeping the highlight on the same entry.

        New counts only change some lines' text, so only those lines are painted again;
        the size (and so the screen's layout) changes only when entries come or go.
        """
        if self.results is None:
            return
        old, new = self._entries, tuple(self.entries_for(self.results))
        keep = self.highlighted_id
        self._entries = new
        size = Size(self.scrollable_content_region.width, len(new))
        if size != self.virtual_size:
            self.virtual_size = size
        if [entry.id for entry in old] == [entry.id for entry in new]:
            for y, (before, after) in enumerate(zip(old, new, strict=True)):
                if before != after:
                    self.refresh_line(y)
            return
        self.refresh()
        self._hover = None
        try:
            self.highlighted = None if keep is None else self._index_of(keep)
        except KeyError:
            self.highlighted = None

    def entries_for(self, results: Results) -> list[Entry]:
        """The sections of the filter table, in its order, a rule between two."""
        width = max(self.scrollable_content_region.width - 2, 8)
        entries: list[Entry] = []
        for section in SECTIONS:
            filters = [f for f in FILTERS if f.section == section]
            if entries:
                entries.append(RULE)
            entries.extend(self.section(section, filters, results, width))
        return entries

    def section(
        self, section: str, filters: list[Filter], results: Results, width: int
    ) -> list[Entry]:
        query, counts = results.query, results.counts
        first = filters[0]
        if first.name == "list":
            return self.list_entries(query.terms, width)
        if first.name == "imported":
            return self.import_entries(counts.imports, query.terms, width)
        if first.name == "topic":
            return self.topic_entries(first, results, width)
        if section != "Reading":
            term = Term(first.key, first.values[0])
            line = self.line(section, results.untopiced, width, term in query.terms)
            return [choice(term, line)]
        return self.reading_entries(filters, results, width)

    def reading_entries(self, filters: list[Filter], results: Results, width: int) -> list[Entry]:
        """`All`, then each value of the reading filters with its key."""
        query, counts = results.query, results.counts
        chosen = [t for t in query.terms if any(f.covers(t.positive) for f in filters)]
        all_key = key_label(keys_of(BY_ACTION["show_all"], self.keymap)[0])
        entries = [
            Entry(None, (("Reading", "heading"),)),
            Entry(ALL, self.line("All", counts.states.get(ALL, 0), width, not chosen, all_key)),
        ]
        for filter_ in filters:
            for value in filter_.values:
                term = Term(filter_.key, value)
                key = key_label(keys_of(BY_ACTION[STATE_KEYS[value]], self.keymap)[0])
                count = counts.states.get(value, 0)
                line = self.line(value.capitalize(), count, width, term in query.terms, key)
                entries.append(choice(term, line))
        return entries

    def topic_entries(self, topic: Filter, results: Results, width: int) -> list[Entry]:
        """One section per group of the taxonomy (Areas, Techniques)."""
        entries: list[Entry] = []
        for group, heading in GROUPS:
            if entries:
                entries.append(RULE)
            entries.append(Entry(None, ((heading, "heading"),)))
            for known in self.topics:
                if known.group != group:
                    continue
                term = Term(topic.key, known.slug)
                count = results.counts.topics.get(known.slug, 0)
                line = self.line(one_line(known.name), count, width, term in results.query.terms)
                entries.append(choice(term, line))
        return entries

    @staticmethod
    def feed_heading(heading: str, width: int) -> Entry:
        legend = "unread/all"
        pad = " " * max(width - len(heading) - len(legend), 1)
        return Entry(None, ((heading, "heading"), (pad, ""), (legend, "muted")))

    def import_entries(
        self, days: tuple[tuple[str, int, int], ...], chosen: tuple[Term, ...], width: int
    ) -> list[Entry]:
        """`Imports  unread/all`, then each day of imports, newest first."""
        entries = [self.feed_heading("Imports", width)]
        latest = any(t.key == "imported" and t.value == "latest" for t in chosen)
        for number, (day, unread, papers) in enumerate(days):
            term = Term("imported", day)
            active = term in chosen or (latest and number == 0)
            line = self.line(day, f"{unread}/{papers}", width, active, muted=not unread)
            entries.append(choice(term, line))
        if not days:
            entries.append(Entry(None, (("  none yet", "muted"),)))
        return entries

    def list_entries(self, chosen: tuple[Term, ...], width: int) -> list[Entry]:
        """`Lists  unread/all`, then one entry per list, or a hint when there is none."""
        entries = [self.feed_heading("Lists", width)]
        wanted = {t.value.casefold() for t in chosen if t.key == "list"}
        for summary in self.lists:
            name = one_line(summary.name)
            count = f"{summary.unread}/{summary.papers}"
            line = self.line(
                name, count, width, summary.name.casefold() in wanted, muted=not summary.papers
            )
            entries.append(choice(Term("list", summary.name), line))
        if not self.lists:
            key = key_label((keys_of(BY_ACTION["edit_lists"], self.keymap) or ["palette"])[0])
            entries.append(Entry(None, ((f"  none yet · {key} adds", "muted"),)))
        return entries

    @staticmethod
    def line(
        label: str,
        count: int | str,
        width: int,
        active: bool,
        key: str | None = None,
        *,
        muted: bool | None = None,
    ) -> tuple[tuple[str, str], ...]:
        """`✓ Unread [u]      30`: mark, label, key hint (when there is room), count."""
        hint = f" [{key}]" if key and width >= HINTS_FROM else ""
        number = str(count)
        if muted is None:
            muted = count == 0
        room = width - 2 - len(hint) - len(number) - 1
        if len(label) > room:
            label = label[: max(room - 1, 1)].rstrip() + "…"
        pad = " " * max(width - 2 - len(label) - len(hint) - len(number), 1)
        return (
            ("✓ " if active else "  ", "mark"),
            (label, "chosen" if active else ""),
            (hint, "muted"),
            (pad, ""),
            (number, "muted" if muted else ""),
        )

    # Painting --------------------------------------------------------------------------

    def notify_style_update(self) -> None:
        self._styles_for = None
        super().notify_style_update()

    def render_lines(self, crop: Region) -> list[Strip]:
        """Resolve the styles when they may have changed (a new theme, the focus), not on
        every paint; painted lines are kept until their text or their styles change."""
        if self._styles_for != self.has_focus:
            self._resolve_styles()
            self._styles_for = self.has_focus
        self._width = self.scrollable_content_region.width
        return super().render_lines(crop)

    def _resolve_styles(self) -> None:
        base = self.rich_style
        part = self.get_component_rich_style
        lines = {
            "": base,
            "cursor": base + part("facets--cursor"),
            "hover": base + part("facets--hover"),
            "disabled": base + part("facets--disabled"),
        }
        parts = {"": Style(), **{name: part_style(self, f"facets--{name}") for name in PARTS}}
        parts["rule"] = part("facets--rule")
        if lines != self._line_styles or parts != self._part_styles:
            self._line_styles, self._part_styles = lines, parts
            self._strips.clear()

    def render_line(self, y: int) -> Strip:
        width = self._width
        index = self.scroll_offset.y + y
        if index >= len(self._entries):
            return Strip.blank(width, self._line_styles[""])
        entry = self._entries[index]
        state: LineState = ""
        if entry.id is None:
            state = "" if entry.rule else "disabled"
        elif index == self.highlighted:
            state = "cursor"
        elif index == self._hover:
            state = "hover"
        key = (entry, state, width)
        strip = self._strips.get(key)
        if strip is None:
            if len(self._strips) > 4 * len(self._entries) + 64:
                self._strips.clear()
            strip = self._strips[key] = self._paint(entry, state, width)
        return strip

    def _paint(self, entry: Entry, state: LineState, width: int) -> Strip:
        """Plain text runs up to each styled part, as a Content prompt was cut into
        segments, so the screen (and its snapshots) stays exactly what it was."""
        line = self._line_styles[state]
        if entry.rule:
            return Strip([Segment("─" * width, line + self._part_styles["rule"])], width)
        segments: list[Segment] = []
        plain = ""
        for text, part in entry.parts:
            if not part:
                plain += text
                continue
            if plain:
                segments.append(Segment(plain, line))
                plain = ""
            if text:
                segments.append(Segment(text, line + self._part_styles[part]))
        if plain:
            segments.append(Segment(plain, line))
        return Strip(segments).adjust_cell_length(width, line)

    # The cursor ------------------------------------------------------------------------

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self._entries:
            return None
        return max(0, min(highlighted, len(self._entries) - 1))

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None:
                self.refresh_line(index)
        self.scroll_to_highlight()

    def scroll_to_highlight(self) -> None:
        if self.highlighted is None or not self.is_mounted:
            return
        self.scroll_to_region(
            Region(0, self.highlighted, self.scrollable_content_region.width, 1),
            force=True,
            animate=False,
            immediate=True,
        )

    def _choosable(self) -> list[int]:
        return [index for index, entry in enumerate(self._entries) if entry.id is not None]

    def action_cursor_down(self) -> None:
        """The next entry that can be chosen, round to the first."""
        choosable = self._choosable()
        if choosable:
            after = [i for i in choosable if self.highlighted is None or i > self.highlighted]
            self.highlighted = (after or choosable)[0]

    def action_cursor_up(self) -> None:
        """The entry before that can be chosen, round to the last."""
        choosable = self._choosable()
        if choosable:
            before = [i for i in choosable if self.highlighted is None or i < self.highlighted]
            self.highlighted = (before or choosable)[-1]

    def action_first(self) -> None:
        self.highlighted = next(iter(self._choosable()), None)

    def action_last(self) -> None:
        self.highlighted = next(reversed(self._choosable()), None)

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def _move_page(self, direction: Literal[-1, 1]) -> None:
        """A page away, on the nearest entry that can be chosen, going on then back."""
        choosable = self._choosable()
        if not choosable:
            return
        if self.highlighted is None:
            self.highlighted = choosable[0] if direction < 0 else choosable[-1]
            return
        target = self.highlighted + direction * self.scrollable_content_region.height
        ahead = [i for i in choosable if (i - target) * direction >= 0]
        behind = [i for i in choosable if (i - target) * direction < 0]
        if ahead:
            self.highlighted = ahead[0] if direction > 0 else ahead[-1]
        else:
            self.highlighted = behind[-1] if direction > 0 else behind[0]

    def action_select(self) -> None:
        chosen = self.highlighted_id
        if chosen is not None:
            self.choose(chosen)

    # The mouse -------------------------------------------------------------------------

    def _index_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        index = self.scroll_offset.y + offset.y
        if 0 <= index < len(self._entries) and self._entries[index].id is not None:
            return index
        return None

    def on_click(self, event: events.Click) -> None:
        """A click highlights the entry and picks it, as Enter does."""
        index = self._index_at(event)
        if index is not None:
            self.highlighted = index
            self.action_select()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover_over(self._index_at(event))

    def on_leave(self) -> None:
        self._hover_over(None)

    def _hover_over(self, index: int | None) -> None:
        if index != self._hover:
            for old_or_new in (self._hover, index):
                if old_or_new is not None:
                    self.refresh_line(old_or_new)
            self._hover = index

    # Choosing --------------------------------------------------------------------------

    def choose(self, chosen: str) -> None:
        """Post the message the entry stands for."""
        if chosen == ALL:
            self.post_message(ShowAll())
            return
        entry = self._entries[self._index_of(chosen)]
        if entry.term is not None:
            self.post_message(ToggleFilter(entry.term))
