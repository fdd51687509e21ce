"""The main screen: search box, facets, paper list and detail.

The screen owns the state (the filters, the search text, the results, the highlighted
paper) and binds it down into the widgets; the widgets post small messages back up.
Reads for the list run on the app's connection; searches, imports and exports run in
thread workers on connections of their own, so typing never waits for the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Container, Horizontal
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Input
from textual.worker import get_current_worker

from papershelf.config import LAYOUTS
from papershelf.library import LibraryError
from papershelf.models import DumpError, Paper
from papershelf.query import Query
from papershelf.search import Search
from papershelf.shelf import Shelf, open_shelf
from tui.commands import bindings
from tui.jobs import export_name, export_view, next_unread, search_view
from tui.messages import LayoutChosen, ShowState, ToggleStarred, ToggleTopic, ToggleUntopiced
from tui.screens.export_dialog import ExportDialog, ExportRequest
from tui.screens.help import HelpScreen
from tui.screens.import_dialog import ImportDialog
from tui.screens.paper_actions import PaperActions
from tui.view import Results, combine
from tui.widgets.facets import Facets
from tui.widgets.import_progress import ImportProgress, ImportState
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList
from tui.widgets.search_box import SearchBox

WIDE = 120
NARROW = 100
NEXT_STATE = {"all": "unread", "unread": "read", "read": "all"}


class MainScreen(PaperActions, Screen[None]):
    CSS_PATH = Path(__file__).with_name("main.tcss")
    BINDINGS = bindings("screen")
    AUTO_FOCUS = "#papers"
    ESCAPE_TO_MINIMIZE = False

    filters: reactive[Query] = reactive(Query())
    search_text: reactive[str] = reactive("")
    view: reactive[Query] = reactive(Query(), init=False)
    results: reactive[Results | None] = reactive(None)
    paper: reactive[Paper | None] = reactive(None)
    revision: reactive[int] = reactive(0)
    importing: reactive[ImportState | None] = reactive(None)
    detail_layout: reactive[str] = reactive("auto", init=False)

    def __init__(
        self,
        shelf: Shelf,
        searcher: Search,
        *,
        db_path: Path,
        layout: str,
        keymap: dict[str, str],
        settings_path: Path,
        today: Callable[[], date],
        browser: Callable[[str], object],
    ) -> None:
        super().__init__()
        self.shelf = shelf
        self.searcher = searcher
        self.search_lock = threading.Lock()
        self.db_path = db_path
        self.keymap = keymap
        self.settings_path = settings_path
        self.today = today
        self.browser = browser
        self.topic_names = shelf.lib.topic_names()
        self.set_reactive(MainScreen.detail_layout, layout)

    def compose(self) -> ComposeResult:
        yield Header()
        yield SearchBox(id="search")
        with Horizontal(id="body"):
            yield Facets(self.shelf.taxonomy.topics, keymap=self.keymap, id="facets").data_bind(
                MainScreen.results
            )
            with Container(id="reading"):
                yield PaperList(self.shelf.lib.rows, id="papers").data_bind(
                    MainScreen.results, MainScreen.revision
                )
                yield PaperDetail(self.topic_names, id="detail").data_bind(MainScreen.paper)
        yield ImportProgress().data_bind(state=MainScreen.importing)
        yield Footer()

    def on_mount(self) -> None:
        self.apply_layout()
        self.run_search(self.view)

    # State ----------------------------------------------------------------------------

    def watch_filters(self) -> None:
        self.view = combine(self.filters, self.search_text)

    def watch_search_text(self) -> None:
        self.view = combine(self.filters, self.search_text)

    def watch_view(self, view: Query) -> None:
        self.run_search(view)

    def show_results(self, results: Results) -> None:
        """Take a finished search, unless the reader has typed on since it started."""
        if results.query != self.view:
            return
        self.results = results
        self.sub_title = results.describe(self.topic_names)

    def refresh_results(self) -> None:
        """The library changed: show fresh rows now and fresh counts when they come."""
        self.revision += 1
        self.load_paper(self.paper_pk)
        self.run_search(self.view)

    def load_paper(self, pk: int | None) -> None:
        try:
            self.paper = self.shelf.lib.paper(pk) if pk is not None else None
        except LibraryError:
            self.paper = None

    @property
    def paper_pk(self) -> int | None:
        """The paper under the cursor now: a key pressed right after a move must act on
        the new paper, even before the list's Highlighted message has reached us."""
        return self.query_one(PaperList).highlighted

    @on(PaperList.Highlighted)
    def highlight_changed(self, event: PaperList.Highlighted) -> None:
        self.load_paper(event.pk)

    @on(Input.Changed, "#search")
    def search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value

    @on(Input.Submitted, "#search")
    def search_submitted(self) -> None:
        self.query_one(PaperList).focus()

    @on(ShowState)
    def show_state(self, event: ShowState) -> None:
        filters = self.filters.with_state(event.state)
        self.filters = filters.only_starred(False) if event.state == "all" else filters

    @on(ToggleStarred)
    def toggle_starred_filter(self) -> None:
        self.filters = self.filters.only_starred(not self.filters.starred)

    @on(ToggleTopic)
    def toggle_topic(self, event: ToggleTopic) -> None:
        self.filters = self.filters.toggle_topic(event.slug)

    @on(ToggleUntopiced)
    def toggle_untopiced(self) -> None:
        if self.filters.no_topic:
            self.filters = replace(self.filters, no_topic=False)
        else:
            self.filters = self.filters.untopiced()

    # Layout ---------------------------------------------------------------------------

    def watch_detail_layout(self) -> None:
        self.apply_layout()

    def on_resize(self) -> None:
        self.apply_layout()

    def apply_layout(self) -> None:
        layout = self.detail_layout
        if layout == "auto":
            layout = "right" if self.size.width >= WIDE else "below"
        for name in ("right", "below", "hidden"):
            self.set_class(layout == name, f"-{name}")
        self.set_class(self.size.width < NARROW, "-narrow")

    # Workers --------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="search", exit_on_error=False)
    def run_search(self, view: Query) -> None:
        """Search on the search connection; a newer search cancels this one's result."""
        worker = get_current_worker()
        with self.search_lock:
            if worker.is_cancelled:
                return
            try:
                results = search_view(self.searcher, view)
            except LibraryError as error:
                self.app.notify(f"Search failed: {error}", severity="error", markup=False)
                return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, results)

    @work(thread=True, exclusive=True, group="jump", exit_on_error=False)
    def find_unread(self, pks: Sequence[int], start: int) -> None:
        worker = get_current_worker()
        with self.search_lock:
            index = next_unread(self.searcher.lib.rows, pks, start, lambda: worker.is_cancelled)
        if index is not None:
            self.app.call_from_thread(self.jump_to, index)
        elif not worker.is_cancelled:
            self.app.notify("No unread paper in this view.", markup=False)

    def jump_to(self, index: int) -> None:
        self.query_one(PaperList).move_to(index)

    @work(thread=True, group="import", exit_on_error=False)
    def run_import(self, path: Path) -> None:
        """Import on a connection of its own, reporting progress as papers are read."""

        estimate: int | None = None

        def progress(papers: int) -> None:
            state = ImportState(path, papers, estimate)
            self.app.call_from_thread(setattr, self, "importing", state)

        try:
            estimate = max(path.stat().st_size // 1500, 1)
            progress(0)
            with open_shelf(self.db_path) as shelf:
                summary = shelf.import_file(path, on_progress=progress)
        except (DumpError, LibraryError, OSError, ValueError) as error:
            self.app.notify(f"Rejected {error}", severity="error", markup=False, timeout=10)
        else:
            self.app.notify(summary.line, title="Imported", markup=False)
        finally:
            self.app.call_from_thread(self.import_finished)

    def import_finished(self) -> None:
        self.importing = None
        self.refresh_results()

    @work(thread=True, group="export", exit_on_error=False)
    def run_export(self, request: ExportRequest, results: Results) -> None:
        target = request.path.resolve()
        try:
            n = export_view(
                self.db_path,
                results,
                target,
                topic_names=self.topic_names,
                today=self.today(),
                group_by_topic=request.group_by_topic,
            )
        except (OSError, LibraryError) as error:
            self.app.notify(f"Export failed: {error}", severity="error", markup=False)
            return
        self.app.notify(f"Exported {n} paper{'s' * (n != 1)} to {target}", markup=False)

    # Actions (keys and titles come from the command table) ----------------------------

    def action_focus_search(self) -> None:
        self.minimize()
        self.query_one(SearchBox).focus()

    def action_back(self) -> None:
        """Esc: one level at a time, from the detail out to the filters."""
        papers = self.query_one(PaperList)
        if self.maximized is not None:
            self.minimize()
            self.call_after_refresh(papers.focus)
        elif not papers.has_focus:
            papers.focus()
        elif self.search_text:
            self.query_one(SearchBox).value = ""
        elif self.filters.is_filtered:
            self.filters = Query()

    @on(PaperList.Opened)
    def open_detail(self) -> None:
        detail = self.query_one(PaperDetail)
        if self.has_class("-hidden") or self.has_class("-narrow"):
            self.maximize(detail)
        detail.focus()

    def action_next_unread(self) -> None:
        papers = self.query_one(PaperList)
        if papers.pks:
            self.find_unread(papers.pks, papers.cursor)

    def action_show_all(self) -> None:
        self.filters = self.filters.with_state("all").only_starred(False)

    def action_cycle_unread(self) -> None:
        self.filters = self.filters.with_state(NEXT_STATE[self.filters.state])  # type: ignore[arg-type]

    def action_show_read(self) -> None:
        self.filters = self.filters.with_state("read")

    def action_toggle_starred(self) -> None:
        self.toggle_starred_filter()

    def action_clear_filters(self) -> None:
        self.filters = Query()

    def action_export(self) -> None:
        results = self.results
        if results is None:
            return
        description = results.query.describe(self.topic_names)
        dialog = ExportDialog(export_name(description, self.today()), len(results.pks), description)

        def write(request: ExportRequest | None) -> None:
            if request is not None:
                self.run_export(request, results)

        self.app.push_screen(dialog, write)

    def action_import_file(self) -> None:
        if self.writable():
            self.app.push_screen(ImportDialog(), self.import_chosen)

    def import_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.run_import(path)

    def action_cycle_layout(self) -> None:
        layout = LAYOUTS[(LAYOUTS.index(self.detail_layout) + 1) % len(LAYOUTS)]
        self.detail_layout = layout
        self.app.notify(f"Detail layout: {layout}", markup=False)
        self.post_message(LayoutChosen(layout))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.keymap, self.settings_path))
