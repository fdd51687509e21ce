""" "More like this", "not interested" and the words behind "for you".

`SimilarActions` is a mixin of the main screen: `x` marks the highlighted paper not
interested through the journal (so `z` takes it back), `m` opens `SimilarScreen` on it,
and while the view is sorted for you the detail pane says which words put the paper
where it is. `SimilarScreen` is a view of the papers nearest one paper, each with the
words they share, and the highlighted one in full beside them; Esc returns, `m` goes on
to the papers like the highlighted one.

Finding neighbours may first count the words of papers new to the library (all of them
on first use); that runs in a thread on a connection of its own, outside the search
lock, so typing goes on meanwhile. The model itself is the search connection's, shared
with the for-you order, and read under the search lock.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer, OptionList
from textual.widgets.option_list import Option

from papershelf.library import Library, LibraryError, PaperRow
from papershelf.models import Paper
from papershelf.query import Query
from papershelf.search import Search
from papershelf.shelf import Shelf
from papershelf.text import one_line
from papershelf.undo import Change, Entry, NotInterested
from tui.commands import bindings
from tui.screens.paper_actions import capital, on_highlighted
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.title_bar import TitleBar

if TYPE_CHECKING:
    from papershelf.similar import Match

NEAREST = 20
"""Papers the view lists."""
FOR_YOU = "for-you"


def nearest(db_path: Path, searcher: Search, lock: threading.Lock, pk: int) -> list[Match]:
    """The papers nearest `pk`: new papers counted first on a connection of this thread,
    then the shared model read under the search lock."""
    from papershelf.similar import update

    with Library(db_path) as lib:
        update(lib)
    with lock:
        return searcher.recommender.similar(pk, NEAREST)


class SimilarScreen(Screen[None]):
    """The papers most like one paper, best first, with the highlighted one in full."""

    CSS_PATH = Path(__file__).with_name("similar.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        b for b in bindings("screen") if b.action in ("back", "more_like_this")
    ]

    def __init__(
        self,
        paper: Paper,
        pk: int,
        find: Callable[[int], list[Match]],
        read: Callable[[int], Paper],
        rows: Callable[[list[int]], list[PaperRow]],
        topic_names: Mapping[str, str],
    ) -> None:
        super().__init__()
        self.paper = paper
        self.pk = pk
        self.find = find
        self.read = read
        self.rows = rows
        self.topic_names = topic_names
        self.matches: list[Match] = []

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with Horizontal(id="similar-body"):
            yield OptionList(Option("Looking for papers like this one…", disabled=True))
            yield PaperDetail(self.topic_names, id="similar-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(TitleBar).description = f"more like: {one_line(self.paper.title)}"
        self.query_one(OptionList).focus()
        self.look()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def look(self) -> None:
        try:
            found = self.find(self.pk)
        except LibraryError as error:
            self.app.call_from_thread(
                self.app.notify, f"More like this failed: {error}", severity="error", markup=False
            )
            return
        self.app.call_from_thread(self.show, found)

    def show(self, matches: list[Match]) -> None:
        self.matches = matches
        titles = {row.pk: row.title for row in self.rows([m.pk for m in matches])}
        options = self.query_one(OptionList)
        options.clear_options()
        if not matches:
            options.add_option(
                Option("No paper shares a word of weight with this one.", disabled=True)
            )
            return
        for match in matches:
            line = Text(f"{match.score:.2f} ", style="dim")
            line.append(one_line(titles.get(match.pk, "")))
            line.append("\n     " + ", ".join(one_line(term) for term in match.terms), "italic")
            options.add_option(Option(line, id=str(match.pk)))
        options.highlighted = 0

    @on(OptionList.OptionHighlighted)
    def highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is None:
            return
        pk = int(event.option.id)
        detail = self.query_one(PaperDetail)
        detail.reasons_label = "Shares"
        detail.reasons = next((m.terms for m in self.matches if m.pk == pk), ())
        try:
            detail.paper = self.read(pk)
        except LibraryError:
            detail.paper = None

    def chosen(self) -> int | None:
        options = self.query_one(OptionList)
        index = options.highlighted
        if index is None or not self.matches:
            return None
        return self.matches[index].pk

    def action_back(self) -> None:
        self.dismiss()

    def action_more_like_this(self) -> None:
        pk = self.chosen()
        if pk is not None:
            self.app.push_screen(
                SimilarScreen(self.read(pk), pk, self.find, self.read, self.rows, self.topic_names)
            )


class SimilarActions:
    """Needs from the screen: the shelf and its search, the search lock, the library
    path, the paper under the cursor, the view, and the journal's `apply`."""

    app: App[None]
    shelf: Shelf
    searcher: Search
    search_lock: threading.Lock
    db_path: Path
    paper_pk: int | None
    view: Query
    topic_names: Mapping[str, str]
    held: list[Callable[[], None]] | None
    apply: Callable[..., Entry | None]
    current_paper: Callable[[], Paper | None]
    query_one: Callable[..., object]
    run_worker: Callable[..., object]
    refresh_results: Callable[[], None]
    counting = False
    """Whether `count_words` runs now."""

    @on_highlighted
    def action_not_interested(self) -> None:
        pk = self.paper_pk
        if pk is None or self.current_paper() is None:
            return
        marked = self.shelf.lib.conn.execute(
            "SELECT 1 FROM not_interested WHERE paper = ?", (pk,)
        ).fetchone()
        change: Change = NotInterested((pk,), marked is None)
        self.apply(change, lambda entry: f"{capital(entry.description)}; z takes it back.")

    @on_highlighted
    def action_more_like_this(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is None or pk is None:
            return

        def find(of: int) -> list[Match]:
            return nearest(self.db_path, self.searcher, self.search_lock, of)

        self.app.push_screen(
            SimilarScreen(
                paper, pk, find, self.shelf.lib.paper, self.shelf.lib.rows, self.topic_names
            )
        )

    def watch_paper(self) -> None:
        self.explain()

    def watch_results(self) -> None:
        """A new ranking (after a star, say) moves the words behind the same paper too."""
        self.explain()

    def on_mount(self) -> None:
        """The search worker ranks with the counts stored; counting runs in `count_words`,
        outside the search lock, so typing never waits for it."""
        self.searcher.recommender.count = False

    def explain(self) -> None:
        """In the for-you order, the detail pane names the words that ranked the paper,
        and papers not counted yet are counted in the background."""
        from papershelf.similar import uncounted

        detail = self.query_one(PaperDetail)
        assert isinstance(detail, PaperDetail)
        detail.reasons_label = "For you"
        pk = self.paper_pk
        if self.view.order != FOR_YOU:
            detail.reasons = ()
            return
        if not self.counting and (missing := uncounted(self.shelf.lib.conn)):
            self.counting = True
            self.app.notify(
                f"Counting the words of {missing:,} papers for you (once; the list "
                "re-ranks when done).",
                markup=False,
            )
            self.count_words()
        if pk is not None:
            self.run_worker(
                lambda: self.find_reasons(pk), thread=True, group="reasons", exclusive=True
            )

    @work(thread=True, group="count", exit_on_error=False)
    def count_words(self) -> None:
        from papershelf.similar import update

        counted = 0
        try:
            with Library(self.db_path) as lib:
                counted = update(lib)
        except LibraryError as error:
            self.app.notify(f"Counting words failed: {error}", severity="error", markup=False)
        self.app.call_from_thread(self.words_counted, counted)

    def words_counted(self, counted: int) -> None:
        self.counting = False
        if counted:
            self.refresh_results()

    def find_reasons(self, pk: int) -> None:
        """The words, or why there are none: no signal yet, so the order is newest first."""
        from papershelf.similar import NO_SIGNAL

        with self.search_lock:
            recommender = self.searcher.recommender
            reasons = recommender.reasons(pk) if recommender.has_signal() else (NO_SIGNAL,)
        self.app.call_from_thread(self.show_reasons, pk, reasons)

    def show_reasons(self, pk: int, reasons: tuple[str, ...]) -> None:
        detail = self.query_one(PaperDetail)
        if self.paper_pk == pk and isinstance(detail, PaperDetail):
            detail.reasons = reasons
