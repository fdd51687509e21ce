"""The paper list: a line-API view over an array of result pks.

Stock list widgets build one object per row and need seconds to show 10k-100k papers.
This one holds only the pks; each paint asks the library for the rows in view that it
has not seen yet (a small cache keeps them), so a million results paint as fast as ten.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import ClassVar, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from papershelf.library import PaperRow
from papershelf.query import Query
from papershelf.text import one_line
from tui.commands import bindings
from tui.styles import part_style
from tui.view import Results

FetchRows = Callable[[Sequence[int]], list[PaperRow]]
CACHE_LIMIT = 20_000
STRIP_CACHE = 300
"""Drawn rows kept: typing a word shows many of the same papers keystroke after keystroke."""


READ_CONTRAST = 3.0
"""A read title is dimmer than an unread one, but never below WCAG's floor for large
text against the list: dimmed, not hidden."""


class Look(NamedTuple):
    """The styles a row is drawn with."""

    base: Style
    cursor: Style
    unread: Style
    read: Style
    star: Style
    code: Style
    note: Style


def runs(numbers: list[int]) -> list[tuple[int, int]]:
    """Ascending numbers as (first, length) runs of consecutive ones: one region per run."""
    found: list[tuple[int, int]] = []
    for n in numbers:
        if found and found[-1][0] + found[-1][1] == n:
            found[-1] = (found[-1][0], found[-1][1] + 1)
        else:
            found.append((n, 1))
    return found


class InView(NamedTuple):
    """What the rows in view show: the first row's position, the cursor, their papers."""

    top: int
    cursor: int
    pks: tuple[int, ...]

    def paints(self, y: int) -> tuple[int | None, bool]:
        """What line `y` of the view is drawn from."""
        return (self.pks[y] if y < len(self.pks) else None, self.top + y == self.cursor)


class PaperList(ScrollView, can_focus=True):
    """Reads `results` and `revision` from the screen; posts `Highlighted` and `Opened`."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")
    BINDINGS = bindings("list")
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--unread",
        "paper-list--read",
        "paper-list--star",
        "paper-list--code",
        "paper-list--note",
    }

    results: reactive[Results | None] = reactive(None, repaint=False)
    revision: reactive[int] = reactive(0, repaint=False)
    cursor: reactive[int] = reactive(0, repaint=False)
    """The watchers repaint what changed: a whole repaint of the list per keystroke or
    per cursor move costs more than all the rest of it."""

    class Highlighted(Message):
        """The paper under the cursor changed (None: the list is empty)."""

        def __init__(self, pk: int | None) -> None:
            super().__init__()
            self.pk = pk

    class Opened(Message):
        """The reader asked to read the highlighted paper in full."""

        def __init__(self, pk: int) -> None:
            super().__init__()
            self.pk = pk

    def __init__(
        self, fetch: FetchRows, *, welcome: Sequence[str] = (), id: str | None = None
    ) -> None:
        """`welcome` is shown instead of a bare "no papers" when the whole library is
        empty: the ways to fill it, for a first start."""
        super().__init__(id=id)
        self.fetch = fetch
        self.welcome = welcome
        self._rows: dict[int, PaperRow] = {}
        self._strips: LRUCache[tuple[PaperRow, bool, int], Strip] = LRUCache(STRIP_CACHE)
        self._styles: Look | None = None
        self._pk: int | None = None

    @property
    def pks(self) -> Sequence[int]:
        return self.results.pks if self.results is not None else ()

    @property
    def highlighted(self) -> int | None:
        return self._pk

    # State from the screen -------------------------------------------------------------

    def watch_results(self, old: Results | None, new: Results | None) -> None:
        shown = self._in_view(old.pks if old is not None else ())
        self._rows.clear()
        count = len(self.pks)
        self._size_rows(count)
        target = 0
        if old is not None and new is not None and old.query == new.query:
            target = self._position_of(self._pk, fallback=self.cursor)
        else:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.set_reactive(PaperList.cursor, max(0, min(target, count - 1)))
        self._follow_cursor()
        self._announce()
        self._refresh_changed(shown)

    def _in_view(self, pks: Sequence[int]) -> InView:
        top = round(self.scroll_offset.y)
        return InView(
            top, self.cursor, tuple(pks[top : top + self.scrollable_content_region.height])
        )

    def _refresh_changed(self, shown: InView) -> None:
        """Repaint only the rows whose paper or cursor changed since `shown`: typing on
        in a word often keeps the same papers in view, and painting is most of the cost
        of a keystroke."""
        now = self._in_view(self.pks)
        if now.top != shown.top or not now.pks or not shown.pks:
            self.refresh()
            return
        changed = [
            y for y in range(max(len(now.pks), len(shown.pks))) if now.paints(y) != shown.paints(y)
        ]
        for start, count in runs(changed):
            self.refresh_lines(now.top + start, count)

    def _size_rows(self, count: int) -> None:
        """Size the scroll range for `count` rows.

        A new virtual size lays out the whole screen, and a layout redraws every pane's
        scrollbar; typing changes the count with nearly every key. While the list is taller
        than the view before and after, only the scrollbar's range changes, so it is set
        on the scrollbar alone; while it fits the view before and after, nothing but the
        rows changes. Only a list that starts or stops needing a scrollbar is laid out.
        """
        size = Size(self.size.width, count)
        if size == self.virtual_size:
            return
        height = self.scrollable_content_region.height
        before = self.virtual_size.height
        if self.show_vertical_scrollbar and min(count, before) > height:
            self.set_reactive(PaperList.virtual_size, size)
            self.vertical_scrollbar.window_virtual_size = count
        elif not self.show_vertical_scrollbar and max(count, before) <= height:
            self.set_reactive(PaperList.virtual_size, size)
        else:
            self.virtual_size = size

    def watch_revision(self) -> None:
        """The library changed under us (read, starred): forget the rows seen."""
        self._rows.clear()
        self._strips.clear()
        self.refresh()

    def validate_cursor(self, cursor: int) -> int:
        return max(0, min(cursor, len(self.pks) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self._follow_cursor()
        self._announce()
        self.refresh_lines(old)
        self.refresh_lines(new)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.pks))
        self._follow_cursor()

    def _position_of(self, pk: int | None, fallback: int) -> int:
        if pk is None:
            return fallback
        try:
            return self.pks.index(pk)
        except ValueError:
            return fallback

    def _follow_cursor(self) -> None:
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        if height <= 0:
            return
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _announce(self) -> None:
        pks = self.pks
        pk = pks[self.cursor] if pks else None
        if pk != self._pk:
            self._pk = pk
            self.post_message(self.Highlighted(pk))

    # Actions (keys come from the command table) ------------------------------------------

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.pks) - 1

    def action_open_detail(self) -> None:
        if self._pk is not None:
            self.post_message(self.Opened(self._pk))

    def move_to(self, index: int) -> None:
        """Put the cursor on a row (the screen's next-unread uses this)."""
        self.cursor = index

    def move_to_pk(self, pk: int) -> None:
        """Put the cursor on a paper, if the list holds it."""
        self.cursor = self._position_of(pk, fallback=self.cursor)

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_offset.y) + offset.y
        if index < len(self.pks):
            self.cursor = index
            if event.chain > 1:
                self.action_open_detail()

    # Rows ------------------------------------------------------------------------------

    def row_at(self, index: int) -> PaperRow | None:
        """The row for a list position, fetching every missing row in view at once."""
        pks = self.pks
        pk = pks[index]
        row = self._rows.get(pk)
        if row is not None:
            return row
        top = round(self.scroll_offset.y)
        window = pks[top : top + max(self.scrollable_content_region.height, 1)]
        missing = list(dict.fromkeys(p for p in (pk, *window) if p not in self._rows))
        if len(self._rows) + len(missing) > CACHE_LIMIT:
            self._rows.clear()
        for fetched in self.fetch(missing):
            self._rows[fetched.pk] = fetched
        return self._rows.get(pk)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        look = self._look()
        index = round(self.scroll_offset.y) + y
        if self.results is None or not self.pks:
            notes = self.empty_notes()
            if y >= len(notes):
                return Strip.blank(width, look.base)
            return self._fit([Segment(notes[y], look.note)], width, look.base)
        if index >= len(self.pks):
            return Strip.blank(width, look.base)
        row = self.row_at(index)
        on_cursor = index == self.cursor
        base = look.cursor if on_cursor else look.base
        if row is None:
            return Strip.blank(width, base)
        key = (row, on_cursor, width)
        strip = self._strips.get(key)
        if strip is None:
            segments = self.row_segments(row, look, on_cursor=on_cursor)
            strip = self._strips[key] = self._fit(segments, width, base)
        return strip

    def empty_notes(self) -> Sequence[str]:
        if self.results is None:
            return ("Searching…",)
        if self.welcome and self.results.query == Query():
            return self.welcome
        return ("No papers match this view.",)

    def row_segments(self, row: PaperRow, look: Look, *, on_cursor: bool = False) -> list[Segment]:
        """One row: unread dot, star, code badge, title; the title is plain text always.
        Under the cursor a read title takes the cursor's colour: the dimmed one can be
        unreadable on the cursor's background."""
        return [
            Segment("● " if not row.read else "  ", look.unread),
            Segment("★ " if row.starred else "  ", look.star),
            Segment("</> " if row.has_code else "    ", look.code),
            Segment(one_line(row.title), look.read if row.read and not on_cursor else None),
        ]

    @staticmethod
    def _fit(segments: list[Segment], width: int, base: Style) -> Strip:
        """The segments cut to the width (the last one ends in "…") or padded to it."""
        length = sum(cell_len(segment.text) for segment in segments)
        if length > width:
            last = segments[-1]
            room = max(width - (length - cell_len(last.text)) - 1, 0)
            segments = [*segments[:-1], Segment(set_cell_size(last.text, room) + "…", last.style)]
        return Strip(segments).crop_extend(0, width, None).apply_style(base)

    def _look(self) -> Look:
        """This widget's styles, resolved once until the CSS or focus changes them: asking
        for them per line costs more than drawing the line."""
        if self._styles is None:
            part = self.get_component_rich_style
            base = self.rich_style
            self._styles = Look(
                base=base,
                cursor=base + part("paper-list--cursor"),
                unread=part_style(self, "paper-list--unread"),
                read=part_style(self, "paper-list--read", floor=READ_CONTRAST),
                star=part_style(self, "paper-list--star"),
                code=part_style(self, "paper-list--code"),
                note=part_style(self, "paper-list--note"),
            )
        return self._styles

    def notify_style_update(self) -> None:
        self._styles = None
        self._strips.clear()
        super().notify_style_update()
