"""Actions on the highlighted paper: reading state, stars, links and topics.

A mixin of the main screen, kept apart because these actions share their own small
rules: they need a highlighted paper, they write through one helper that refreshes
what changed, they wait while an import holds the library, and every URL they copy or
open passes `safe_url` first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from textual.app import App

from papershelf.library import Library, LibraryError
from papershelf.links import safe_url
from papershelf.models import Link, Paper
from papershelf.shelf import Shelf
from tui.clipboard import copy_text
from tui.screens.link_picker import LinkChoice, LinkPicker
from tui.screens.topic_editor import TopicChange, TopicEditor
from tui.widgets.import_progress import ImportState


class PaperActions:
    """Needs from the screen: the pk under the cursor, the shelf, topic names, a browser,
    whether an import runs, and a way to refresh after a write."""

    app: App[None]
    shelf: Shelf
    topic_names: Mapping[str, str]
    browser: Callable[[str], object]
    importing: ImportState | None
    paper_pk: int | None
    refresh_results: Callable[[], None]

    def current_paper(self) -> Paper | None:
        """The paper under the cursor, read afresh so a toggle flips its stored state."""
        pk = self.paper_pk
        try:
            if pk is not None:
                return self.shelf.lib.paper(pk)
        except LibraryError:
            pass
        self.app.notify("No paper is highlighted.", severity="warning", markup=False)
        return None

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
