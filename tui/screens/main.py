"""The main screen: search box, facets, paper list and detail.

The screen owns the state (the filters, the search text, the results, the highlighted
paper, the reading lists) and binds it down into the widgets; the widgets post small
messages back up. Reads for the list and every change the reader makes run on the
app's connection, the changes through one `Journal` so `z` can take them back;
searches, imports, the inbox and exports run in thread workers on connections of their
own, so typing never waits for the database.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import ClassVar

from textual import events, on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal
from textual.reactive import var
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input
from textual.worker import get_current_worker

from papershelf.config import LAYOUTS
from papershelf.filters import BY_NAME, LATEST, SORT_NAMES, QueryError, Term
from papershelf.inbox import Inbox
from papershelf.library import LibraryError
from papershelf.lists import ListSummary, summaries
from papershelf.models import Paper
from papershelf.query import Query
from papershelf.search import Search
from papershelf.shelf import Shelf
from papershelf.text import one_line
from papershelf.undo import Journal
from tui.commands import BY_ACTION, bindings, key_label, keys_of
from tui.jobs import next_unread, search_view
from tui.messages import LayoutChosen, ShowAll, SortBy, ToggleFilter
from tui.screens.file_actions import FileActions
from tui.screens.help import HelpScreen
from tui.screens.list_actions import ListActions
from tui.screens.list_dialog import stored_name
from tui.screens.paper_actions import PaperActions
from tui.screens.similar import SimilarActions
from tui.view import Results, combine
from tui.widgets.facets import Facets
from tui.widgets.import_progress import ImportProgress, ImportState
from tui.widgets.key_footer import KeyFooter
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList
from tui.widgets.search_box import SearchBox
from tui.widgets.title_bar import TitleBar

WIDE = 120
NARROW = 100
NEXT_STATE = {None: "unread", "unread": "read", "read": None}
STATE, STARRED, LISTS = BY_NAME["state"], BY_NAME["starred"], BY_NAME["list"]
IMPORTED = BY_NAME["imported"]
NEW = (Term(IMPORTED.key, LATEST), Term(STATE.key, "unread"))
"""The day's triage: what the latest import brought that is still unread."""
PROBLEM_AFTER_TYPING = 0.6
"""Seconds of no typing before a word that names no filter is said in a notification
(the header says it at once): `topic:q` on the way to `topic:quantization` is not one."""
NEIGHBOURS = 500
"""Papers looked at on each side when the paper under the cursor left the view."""
JUMP_AT_ONCE = 2000
"""Papers `n` looks through before answering; a longer search goes on in a worker."""
DETAIL_AFTER_TYPING = 0.15
"""Seconds of no typing before the detail pane shows the highlighted paper."""
WHOLE_AFTER_TYPING = 0.25
"""Seconds of no typing before a text the keystroke budget cut off is searched in whole."""


def freeze_what_lives() -> None:
    """Keep the objects of the started app out of every later garbage collection.

    A full collection walks every object the app holds and took 50-100 ms here: one every
    dozen keystrokes was the slowest tenth of them. Collected once first, so no garbage is
    frozen; `on_unmount` hands the objects back.
    """
    gc.collect()
    gc.freeze()


class MainScreen(PaperActions, ListActions, FileActions, SimilarActions, Screen[None]):
    CSS_PATH = Path(__file__).with_name("main.tcss")
    BINDINGS: ClassVar[list[BindingType]] = [
        *bindings("screen"),
        Binding("enter,down", "leave_search", show=False, priority=True),
    ]
    AUTO_FOCUS = "#papers"
    ESCAPE_TO_MINIMIZE = False

    filters: var[Query] = var(Query())
    search_text: var[str] = var("")
    view: var[Query] = var(Query(), init=False)
    results: var[Results | None] = var(None)
    paper: var[Paper | None] = var(None)
    lists: var[tuple[ListSummary, ...]] = var(())
    revision: var[int] = var(0)
    importing: var[ImportState | None] = var(None)
    detail_layout: var[str] = var("auto", init=False)
    sidebar: var[str] = var("auto", init=False)
    """`auto` shows the sidebar from NARROW columns up; `shown` and `hidden` at any width."""
    triage: var[bool | None] = var(None)
    """Whether reading, starring, listing or writing a note moves the cursor on: None
    follows the view (on when it shows unread papers only)."""
    sub_title: var[str | None] = var(None)
    """Shown by the TitleBar; a `var`, as all state here: the screen draws nothing of its
    own, and a repaint of the screen would redraw every widget on every keystroke."""

    def __init__(
        self,
        shelf: Shelf,
        searcher: Search,
        *,
        db_path: Path,
        inbox: Inbox,
        layout: str,
        sidebar: str,
        keymap: dict[str, str],
        settings_path: Path,
        today: Callable[[], date],
        browser: Callable[[str], object],
        fetch_at_start: bool = False,
    ) -> None:
        super().__init__()
        self.shelf = shelf
        self.journal = Journal(shelf.lib)
        self.searcher = searcher
        self.search_lock = threading.Lock()
        self.db_path = db_path
        self.inbox = inbox
        self.inbox_busy = False
        self.fetch_at_start = fetch_at_start
        self.held: list[Callable[[], None]] | None = None
        self.detail_timer: Timer | None = None
        self.whole_timer: Timer | None = None
        self.problem_timer: Timer | None = None
        self.keymap = keymap
        self.settings_path = settings_path
        self.today = today
        self.browser = browser
        self.topic_names = shelf.lib.topic_names()
        self.set_reactive(MainScreen.detail_layout, layout)
        self.set_reactive(MainScreen.sidebar, sidebar)

    def compose(self) -> ComposeResult:
        yield TitleBar().data_bind(description=MainScreen.sub_title)
        yield SearchBox(id="search")
        with Horizontal(id="body"):
            yield Facets(self.shelf.taxonomy.topics, keymap=self.keymap, id="facets").data_bind(
                MainScreen.results, MainScreen.lists
            )
            with Container(id="reading"):
                yield PaperList(self.shelf.lib.rows, welcome=self.welcome(), id="papers").data_bind(
                    MainScreen.results, MainScreen.revision
                )
                yield PaperDetail(self.topic_names, id="detail").data_bind(MainScreen.paper)
        yield ImportProgress().data_bind(state=MainScreen.importing)
        yield KeyFooter()

    def on_unmount(self) -> None:
        gc.unfreeze()

    def on_mount(self) -> None:
        self.apply_layout()
        self.load_lists()
        self.run_search(self.view)
        self.scan_inbox(quiet=True)
        if self.fetch_at_start:
            self.start_fetch(quiet=True)

    def welcome(self) -> tuple[str, ...]:
        """What an empty library shows: every way to bring papers in."""
        return (
            "The library is empty. To bring papers in:",
            "",
            f"  {self.key_for('import_file')}  import a Daily Papers page or a folder of them",
            "  drop dumps into the inbox folder (checked at start and with "
            f"{self.key_for('check_inbox')}):",
            f"     {one_line(str(self.inbox.directory))}",
            f"  {self.key_for('fetch')}  fetch Hugging Face Daily Papers",
            "  or from a shell: papershelf import PATH, papershelf fetch",
        )

    def key_for(self, action: str) -> str:
        """The first key of a command as the reader has it mapped, for hints."""
        keys = keys_of(BY_ACTION[action], self.keymap)
        return key_label(keys[0]) if keys else BY_ACTION[action].title

    # State ----------------------------------------------------------------------------

    def watch_filters(self) -> None:
        self.combine_view()

    def watch_search_text(self) -> None:
        self.combine_view()

    def combine_view(self) -> None:
        """The view for the filters and the search box; a word that names no filter
        keeps the last view and is said (the search text stays as typed)."""
        try:
            self.view = combine(self.filters, self.search_text)
        except QueryError as error:
            self.show_problem(str(error))

    def show_problem(self, problem: str) -> None:
        """In the header at once, in a notification once typing pauses."""
        self.sub_title = problem
        if self.problem_timer is not None:
            self.problem_timer.stop()
        self.problem_timer = self.set_timer(
            PROBLEM_AFTER_TYPING if self.query_one(SearchBox).has_focus else 0,
            lambda: self.say_problem(problem),
        )

    def say_problem(self, problem: str) -> None:
        self.problem_timer = None
        if self.sub_title == problem:
            self.app.notify(problem, severity="warning", markup=False)

    def watch_view(self, view: Query) -> None:
        self.stop_whole_timer()
        self.run_search(view)

    def show_results(self, results: Results) -> None:
        """Take a finished search, unless the reader has typed on since it started. If
        the keystroke budget cut its text off, search it in whole when typing pauses."""
        if results.query != self.view:
            return
        if self.results is None:
            self.call_after_refresh(freeze_what_lives)
        before, kept = self.results, self.paper_pk
        self.results = results
        if before is not None and kept is not None and before.query.text == results.query.text:
            self.keep_cursor(kept, before.pks, results.pks)
        self.sub_title = results.describe(self.topic_names)
        self.stop_whole_timer()
        if results.counts.hurried:
            self.whole_timer = self.set_timer(
                WHOLE_AFTER_TYPING, lambda: self.search_whole(results.query)
            )

    def keep_cursor(self, pk: int, before: Sequence[int], after: Sequence[int]) -> None:
        """After a change of filters or order, the paper under the cursor stays under it;
        if it left the view, its nearest neighbour that stayed (the one below first)."""
        papers = self.query_one(PaperList)
        if pk not in before:
            return
        if pk in after:
            papers.move_to_pk(pk)
            return
        present = set(after) if isinstance(after, list) else after
        index = before.index(pk)
        below = before[index + 1 : index + 1 + NEIGHBOURS]
        above = before[max(index - NEIGHBOURS, 0) : index][::-1]
        for near in (*below, *above):
            if near in present:
                papers.move_to_pk(near)
                return

    def search_whole(self, view: Query) -> None:
        self.whole_timer = None
        self.run_search(view, whole=True)

    def stop_whole_timer(self) -> None:
        if self.whole_timer is not None:
            self.whole_timer.stop()
            self.whole_timer = None

    def refresh_results(self) -> None:
        """The library changed: show fresh rows and lists now, fresh counts when they come."""
        self.revision += 1
        self.load_paper(self.paper_pk)
        self.load_lists()
        self.run_search(self.view)

    def load_paper(self, pk: int | None) -> None:
        try:
            self.paper = self.shelf.lib.paper(pk) if pk is not None else None
        except LibraryError:
            self.paper = None

    def load_lists(self) -> None:
        """The lists for the sidebar; a filter by a list that is gone (deleted, or its
        creation undone) is dropped."""
        try:
            self.lists = tuple(summaries(self.shelf.lib))
        except LibraryError as error:
            self.app.notify(str(error), severity="error", markup=False)
            return
        chosen = self.filters.value_of(LISTS)
        if chosen is not None and stored_name(chosen, self.list_names) is None:
            self.filters = self.filters.without_filter(LISTS)

    @property
    def paper_pk(self) -> int | None:
        """The paper under the cursor now: a key pressed right after a move must act on
        the new paper, even before the list's Highlighted message has reached us."""
        return self.query_one(PaperList).highlighted

    @on(PaperList.Highlighted)
    def highlight_changed(self, event: PaperList.Highlighted) -> None:
        """While the reader types, the detail pane waits for a pause in the typing: the
        list and the counts show every keystroke, the pane would only flicker past papers
        nobody reads. Actions never wait for it, they read the paper under the cursor."""
        if self.detail_timer is not None:
            self.detail_timer.stop()
            self.detail_timer = None
        if self.query_one(SearchBox).has_focus:
            self.detail_timer = self.set_timer(DETAIL_AFTER_TYPING, self.show_highlighted)
        else:
            self.load_paper(event.pk)

    def show_highlighted(self) -> None:
        self.detail_timer = None
        self.load_paper(self.paper_pk)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        """Leaving the search box shows the paper at once."""
        if isinstance(event.widget, SearchBox) and self.detail_timer is not None:
            self.detail_timer.stop()
            self.show_highlighted()

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        """Every keystroke restarts the detail pane's wait: a pause in the typing, not in
        the highlight, shows the paper (typing on often keeps the same first hit)."""
        self.search_text = event.value
        if self.detail_timer is not None:
            self.detail_timer.stop()
            self.detail_timer = self.set_timer(DETAIL_AFTER_TYPING, self.show_highlighted)

    @on(ToggleFilter)
    def toggle_filter(self, event: ToggleFilter) -> None:
        self.filters = self.filters.toggled(event.term)

    @on(ShowAll)
    def show_all(self) -> None:
        self.filters = self.filters.without_filter(STATE).without_filter(STARRED)

    @on(SortBy)
    def sort_by(self, event: SortBy) -> None:
        self.filters = self.filters.sorted_by(event.name)
        self.app.notify(f"Sorted {self.view.describe().rsplit(' · ', 1)[-1]}.", markup=False)

    # Layout ---------------------------------------------------------------------------

    def watch_detail_layout(self) -> None:
        self.apply_layout()

    def watch_sidebar(self) -> None:
        self.apply_layout()

    def on_resize(self) -> None:
        self.apply_layout()

    def apply_layout(self) -> None:
        layout = self.detail_layout
        if layout == "auto":
            layout = "right" if self.size.width >= WIDE else "below"
        for name in ("right", "below", "hidden"):
            self.set_class(layout == name, f"-{name}")
        narrow = self.size.width < NARROW
        self.set_class(narrow, "-narrow")
        self.set_class(
            self.sidebar == "hidden" or (self.sidebar == "auto" and narrow), "-no-sidebar"
        )
        if self.has_class("-no-sidebar") and isinstance(self.focused, Facets):
            self.set_focus(self.query_one(PaperList))

    # Workers --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, view: Query, *, whole: bool = False) -> None:
        """Search on the search connection; a newer search cancels this one's result.
        `whole` first reads again a text the keystroke budget cut off; a newer search
        stops that reading too."""
        worker = get_current_worker()
        with self.search_lock:
            if worker.is_cancelled:
                return
            try:
                if whole and not self.searcher.finish(view.text, lambda: worker.is_cancelled):
                    return
                results = search_view(self.searcher, view)
            except QueryError as error:
                if not worker.is_cancelled:
                    self.app.call_from_thread(self.show_problem, str(error))
                return
            except LibraryError as error:
                self.app.notify(f"Search failed: {error}", severity="error", markup=False)
                return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, results)

    @work(thread=True, exclusive=True, group="jump", exit_on_error=False)
    def find_unread(self, pks: Sequence[int], start: int, skip: int) -> None:
        """The rest of a long `n`: the keys pressed meanwhile wait in `held`."""
        worker = get_current_worker()
        index = None
        try:
            with self.search_lock:
                index = next_unread(
                    self.searcher.lib.rows,
                    pks,
                    start,
                    skip=skip,
                    cancelled=lambda: worker.is_cancelled,
                )
        finally:
            self.app.call_from_thread(self.jump_landed, index, pks)

    def jump_landed(self, index: int | None, pks: Sequence[int]) -> None:
        """Move to the paper `n` found (wherever it is now, if the list changed meanwhile),
        then run the keys that waited for it, in order."""
        papers = self.query_one(PaperList)
        if index is None:
            self.app.notify("No unread paper in this view.", markup=False)
        elif papers.pks is pks:
            papers.move_to(index)
        else:
            papers.move_to_pk(pks[index])
        held, self.held = self.held or [], None
        for action in held:
            action()

    # Actions (keys and titles come from the command table) ----------------------------

    def action_focus_search(self) -> None:
        """A priority key: the focus moves before the keys typed after `/` are read, so
        they land in the search box, however fast they come."""
        search = self.query_one(SearchBox)
        if search.has_focus:
            raise SkipAction()
        self.minimize()
        self.set_focus(search)

    def action_leave_search(self) -> None:
        """Enter or Down in the search box: into the list, before the next key is read."""
        if not self.query_one(SearchBox).has_focus:
            raise SkipAction()
        self.set_focus(self.query_one(PaperList))

    def action_back(self) -> None:
        """Esc: one level at a time, from the detail out to the filters."""
        papers = self.query_one(PaperList)
        if self.maximized is not None:
            self.minimize()
            self.set_focus(papers)
        elif self.focused is not papers:
            self.set_focus(papers)
        elif self.search_text:
            self.query_one(SearchBox).value = ""
        elif self.filters.is_filtered:
            self.filters = Query()

    @on(PaperList.Opened)
    def open_detail(self) -> None:
        detail = self.query_one(PaperDetail)
        if self.has_class("-hidden") or self.has_class("-narrow"):
            self.maximize(detail)
        self.set_focus(detail)

    def action_next_unread(self) -> None:
        """Looks through the next few thousand papers at once (a few small queries), so
        the cursor has moved before the next key is read; only a longer search goes on
        in a worker, and keys for the highlighted paper wait for it."""
        if self.held is not None:
            self.held.append(self.action_next_unread)
            return
        papers = self.query_one(PaperList)
        pks, start = papers.pks, papers.cursor
        if not pks:
            return
        index = next_unread(self.shelf.lib.rows, pks, start, limit=JUMP_AT_ONCE)
        if index is not None:
            papers.move_to(index)
        elif len(pks) > JUMP_AT_ONCE:
            self.held = []
            self.find_unread(pks, start, JUMP_AT_ONCE)
        else:
            self.app.notify("No unread paper in this view.", markup=False)

    def action_show_all(self) -> None:
        self.show_all()

    def action_cycle_unread(self) -> None:
        self.show_state(NEXT_STATE[self.filters.value_of(STATE)])

    def action_show_read(self) -> None:
        self.show_state("read")

    def show_state(self, state: str | None) -> None:
        without = self.filters.without_filter(STATE)
        self.filters = without if state is None else without.with_term(Term(STATE.key, state))

    def action_show_new(self) -> None:
        if all(term in self.filters.terms for term in NEW):
            self.filters = self.filters.without_filter(IMPORTED).without_filter(STATE)
        else:
            self.filters = self.filters.with_term(NEW[0]).with_term(NEW[1])

    def action_toggle_starred(self) -> None:
        self.filters = self.filters.toggled(Term(STARRED.key, STARRED.values[0]))

    def action_clear_filters(self) -> None:
        self.filters = self.filters.cleared().matching("")

    def action_cycle_sort(self) -> None:
        """The next order; relevance only matters, and is only offered, with text."""
        orders = [name for name in SORT_NAMES if name != "relevance" or self.view.text]
        current = self.view.order
        following = (
            orders[(orders.index(current) + 1) % len(orders)] if current in orders else orders[0]
        )
        self.post_message(SortBy(following))

    def action_toggle_triage(self) -> None:
        self.triage = not self.advancing
        self.app.notify(
            "Triage: Space, s, b and a note move to the next paper."
            if self.triage
            else "Triage off: the cursor stays after Space, s, b and a note.",
            markup=False,
        )

    @property
    def advancing(self) -> bool:
        """Whether the cursor moves on after a read mark, a star, a list or a note (see
        `triage`)."""
        if self.triage is not None:
            return self.triage
        return self.view.value_of(STATE) == "unread"

    def advance(self) -> None:
        if self.advancing:
            self.query_one(PaperList).action_cursor_down()

    def action_cycle_layout(self) -> None:
        layout = LAYOUTS[(LAYOUTS.index(self.detail_layout) + 1) % len(LAYOUTS)]
        self.detail_layout = layout
        self.app.notify(f"Detail layout: {layout}", markup=False)
        self.post_message(LayoutChosen(layout, self.sidebar))

    def action_toggle_sidebar(self) -> None:
        self.sidebar = "shown" if self.has_class("-no-sidebar") else "hidden"
        self.post_message(LayoutChosen(self.detail_layout, self.sidebar))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.keymap, self.settings_path))
