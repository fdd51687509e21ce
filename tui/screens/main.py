"""The main screen: search box, facets, paper list and detail.

The screen owns the state (the filters, the search text, the results, the highlighted
paper) and binds it down into the widgets; the widgets post small messages back up.
Reads for the list run on the app's connection; searches, imports and exports run in
thread workers on connections of their own, so typing never waits for the database.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
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
from papershelf.export import markdown
from papershelf.library import Library, LibraryError
from papershelf.links import safe_url
from papershelf.models import DumpError, Link, Paper
from papershelf.query import Query
from papershelf.search import Search
from papershelf.shelf import Shelf, open_shelf
from tui.clipboard import copy_text
from tui.commands import bindings
from tui.messages import LayoutChosen, ShowState, ToggleStarred, ToggleTopic, ToggleUntopiced
from tui.screens.export_dialog import ExportDialog, ExportRequest
from tui.screens.help import HelpScreen
from tui.screens.import_dialog import ImportDialog
from tui.screens.link_picker import LinkChoice, LinkPicker
from tui.screens.topic_editor import TopicChange, TopicEditor
from tui.view import Results, combine
from tui.widgets.facets import Facets
from tui.widgets.import_progress import ImportProgress, ImportState
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList
from tui.widgets.search_box import SearchBox

WIDE = 120
NARROW = 100
NEXT_STATE = {"all": "unread", "unread": "read", "read": "all"}


class MainScreen(Screen[None]):
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

    @property
    def paper_pk(self) -> int | None:
        return self.query_one(PaperList).highlighted

    def load_paper(self, pk: int | None) -> None:
        try:
            self.paper = self.shelf.lib.paper(pk) if pk is not None else None
        except LibraryError:
            self.paper = None

    @on(PaperList.Highlighted)
    def highlighted(self, event: PaperList.Highlighted) -> None:
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
                pks = self.searcher.run(view)
                counts = self.searcher.counts(view, pks)
                untopiced = len(self.searcher.run(view.untopiced()))
            except LibraryError as error:
                self.app.notify(f"Search failed: {error}", severity="error", markup=False)
                return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_results, Results(view, pks, counts, untopiced))

    @work(thread=True, exclusive=True, group="jump", exit_on_error=False)
    def find_unread(self, pks: list[int] | tuple[int, ...], start: int) -> None:
        """The next unread paper after `start`, wrapping round, read in chunks of rows."""
        order = [*range(start + 1, len(pks)), *range(0, start + 1)]
        for first in range(0, len(order), 500):
            if get_current_worker().is_cancelled:
                return
            positions = order[first : first + 500]
            with self.search_lock:
                rows = {row.pk: row for row in self.searcher.lib.rows([pks[i] for i in positions])}
            for index in positions:
                row = rows.get(pks[index])
                if row is not None and not row.read:
                    self.app.call_from_thread(self.jump_to, index)
                    return
        self.app.notify("No unread paper in this view.", markup=False)

    def jump_to(self, index: int) -> None:
        self.query_one(PaperList).move_to(index)

    @work(thread=True, group="import", exit_on_error=False)
    def run_import(self, path: Path) -> None:
        """Import on a connection of its own, reporting progress as papers are read."""
        estimate = max(path.stat().st_size // 1500, 1)
        self.app.call_from_thread(setattr, self, "importing", ImportState(path, 0, estimate))

        def progress(papers: int) -> None:
            self.app.call_from_thread(
                setattr, self, "importing", ImportState(path, papers, estimate)
            )

        try:
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
        path = request.path.resolve()
        try:
            with Library(self.db_path) as lib:
                papers = lib.papers(results.pks)
            text = markdown(
                papers,
                description=results.query.describe(self.topic_names),
                topic_names=self.topic_names,
                exported_on=self.today(),
                group_by_topic=request.group_by_topic,
            )
            path.write_text(text, encoding="utf-8")
        except (OSError, LibraryError) as error:
            self.app.notify(f"Export failed: {error}", severity="error", markup=False)
            return
        n = len(papers)
        self.app.notify(f"Exported {n} paper{'s' * (n != 1)} to {path}", markup=False)

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

    def current_paper(self) -> Paper | None:
        if self.paper is None:
            self.app.notify("No paper is highlighted.", severity="warning", markup=False)
        return self.paper

    def writable(self) -> bool:
        if self.importing is not None:
            self.app.notify(
                "An import is running; try again when it finishes.",
                severity="warning",
                markup=False,
            )
        return self.importing is None

    def change(self, write: Callable[[Library], object], done: str | None = None) -> None:
        """Run one library write on the app's connection, then refresh what it changed."""
        try:
            write(self.shelf.lib)
        except LibraryError as error:
            self.app.notify(str(error), severity="error", markup=False)
            return
        self.refresh_results()
        if done:
            self.app.notify(done, markup=False)

    def action_toggle_read(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is not None and pk is not None and self.writable():
            self.change(lambda lib: lib.set_read([pk], not paper.read))

    def action_toggle_star(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is not None and pk is not None and self.writable():
            self.change(lambda lib: lib.set_starred([pk], not paper.starred))

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

    def action_copy_code(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        url = safe_url(paper.code_url or "")
        if url is None:
            self.app.notify("This paper has no code link.", severity="warning", markup=False)
            return
        self.copy(url, "code link")

    def copy(self, url: str, what: str) -> None:
        result = copy_text(url, self.app)
        if result.method == "clipboard":
            self.app.notify(f"Copied the {what} to the clipboard: {url}", markup=False)
        elif result.method == "osc52":
            self.app.notify(f"Copied the {what} through the terminal (OSC 52): {url}", markup=False)
        else:
            self.app.notify(result.message, severity="error", markup=False)

    def open_in_browser(self, link: Link) -> None:
        url = safe_url(link.url)
        if url is None:
            self.app.notify("Not an http(s) link; not opened.", severity="error", markup=False)
            return
        self.browser(url)
        self.app.notify(f"Opened {url}", markup=False)

    def action_pick_link(self, verb: str = "copy") -> None:
        paper = self.current_paper()
        if paper is None:
            return
        if not paper.links:
            self.app.notify("This paper has no links.", severity="warning", markup=False)
            return
        self.app.push_screen(
            LinkPicker(paper.title, paper.links, "open" if verb == "open" else "copy"),
            self.link_chosen,
        )

    def link_chosen(self, choice: LinkChoice | None) -> None:
        if choice is None:
            return
        if choice.verb == "open":
            self.open_in_browser(choice.link)
        elif (url := safe_url(choice.link.url)) is not None:
            self.copy(url, f"link {choice.number}")

    def action_open_link(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        code = next((link for link in paper.links if link.kind == "code"), None)
        if code is not None:
            self.open_in_browser(code)
        else:
            self.action_pick_link("open")

    def action_edit_topics(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is None or pk is None or not self.writable():
            return

        def apply(change: TopicChange | None) -> None:
            if change is None:
                return
            name = self.topic_names.get(change.slug, change.slug)
            if change.add:
                self.change(lambda lib: lib.tag(pk, add=[change.slug]), f"Added topic {name}.")
            else:
                self.change(lambda lib: lib.tag(pk, remove=[change.slug]), f"Removed topic {name}.")

        self.app.push_screen(TopicEditor(paper.title, paper.topics, self.topic_names), apply)

    def default_export_name(self, results: Results) -> str:
        words = re.findall(r"[a-z0-9]+", results.query.describe(self.topic_names).casefold())
        slug = "-".join(words)[:40].strip("-") or "papers"
        return f"papershelf-{slug}-{self.today().isoformat()}.md"

    def action_export(self) -> None:
        results = self.results
        if results is None:
            return
        description = results.query.describe(self.topic_names)
        dialog = ExportDialog(self.default_export_name(results), len(results.pks), description)

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
