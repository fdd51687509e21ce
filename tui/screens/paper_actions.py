"""Actions on the highlighted paper and on the whole view, and undo.

A mixin of the main screen, kept apart because these actions share their own small
rules: they act on the paper the reader sees highlighted (waiting for a jump still
under way), every write goes through the screen's one `Journal` so `undo` can take it
back, they wait while an import holds the library, and every URL they copy or open
passes `safe_url` first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any, TypeVar

from textual.app import App

from papershelf.library import LibraryError
from papershelf.links import safe_url
from papershelf.models import Link, Paper
from papershelf.shelf import Shelf
from papershelf.undo import Change, Entry, Journal, MarkRead, Retopic, SetNote, Star
from tui.clipboard import copy_text, osc52_note
from tui.screens.link_picker import LinkChoice, LinkPicker, title_searches
from tui.screens.note_editor import NoteEditor
from tui.screens.topic_editor import TopicChange, TopicEditor
from tui.view import Results
from tui.widgets.import_progress import ImportState

Action = TypeVar("Action", bound=Callable[..., None])


def on_highlighted(action: Action) -> Action:
    """Run the action once the cursor is where the reader's keys put it.

    `n` may still be looking for the next unread paper in a long view; a key pressed
    after it (`n` then `t`) must act on the paper it lands on, so it waits until then.
    """

    @wraps(action)
    def run(self: Any, *args: Any) -> None:
        if self.held is not None:
            self.held.append(lambda: action(self, *args))
        else:
            action(self, *args)

    return run  # type: ignore[return-value]


def capital(description: str) -> str:
    """A change's description as the start of a notification: "Marked 3 papers read"."""
    return description[:1].upper() + description[1:]


class PaperActions:
    """Needs from the screen: the pk under the cursor, the results shown, the shelf and
    its journal, topic names, a browser, whether an import runs, and a refresh."""

    app: App[None]
    shelf: Shelf
    journal: Journal
    held: list[Callable[[], None]] | None
    topic_names: Mapping[str, str]
    browser: Callable[[str], object]
    importing: ImportState | None
    results: Results | None
    paper_pk: int | None
    refresh_results: Callable[[], None]
    advance: Callable[[], None]

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

    def apply(self, change: Change, done: Callable[[Entry], str] | None = None) -> Entry | None:
        """Write one change through the journal (so `undo` can take it back), then refresh."""
        if not self.writable():
            return None
        try:
            entry = self.journal.apply(change)
        except LibraryError as error:
            self.app.notify(str(error), severity="error", markup=False)
            return None
        self.refresh_results()
        if done is not None:
            self.app.notify(done(entry), markup=False)
        return entry

    def view_pks(self) -> tuple[int, ...] | None:
        """The papers of the view on screen, for a bulk action; None (said) when empty."""
        pks = tuple(self.results.pks) if self.results is not None else ()
        if not pks:
            self.app.notify("No papers in this view.", severity="warning", markup=False)
            return None
        return pks

    # Reading state ----------------------------------------------------------------------

    @on_highlighted
    def action_toggle_read(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is None or pk is None:
            return
        if self.apply(MarkRead((pk,), not paper.read)) and not paper.read:
            self.advance()

    @on_highlighted
    def action_toggle_star(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is not None and pk is not None and self.apply(Star((pk,), not paper.starred)):
            self.advance()

    def action_mark_view_read(self, read: bool = True) -> None:
        pks = self.view_pks()
        if pks is not None:
            self.apply(
                MarkRead(pks, read),
                lambda entry: f"{capital(entry.description)} (of {len(pks)} in this view).",
            )

    def action_mark_view_unread(self) -> None:
        self.action_mark_view_read(False)

    def action_undo(self) -> None:
        if not self.writable():
            return
        try:
            entry = self.journal.undo()
        except LibraryError as error:
            self.app.notify(str(error), severity="error", markup=False)
            return
        if entry is None:
            self.app.notify("Nothing to undo.", markup=False)
            return
        self.refresh_results()
        self.app.notify(f"Undone: {entry.description}.", markup=False)

    # Notes and topics -------------------------------------------------------------------

    @on_highlighted
    def action_edit_note(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is None or pk is None or not self.writable():
            return

        def save(note: str | None) -> None:
            if note is None or note == paper.note:
                return
            if self.apply(
                SetNote(pk, note), lambda _: "Saved the note." if note else "Cleared the note."
            ):
                self.advance()

        self.app.push_screen(NoteEditor(paper.title, paper.note), save)

    @on_highlighted
    def action_edit_topics(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is None or pk is None or not self.writable():
            return

        def apply(change: TopicChange | None) -> None:
            if change is None:
                return
            name = self.topic_names.get(change.slug, change.slug)
            done = f"Added topic {name}." if change.add else f"Removed topic {name}."
            self.apply(Retopic((pk,), change.slug, change.add, name), lambda _: done)

        self.app.push_screen(TopicEditor(paper.title, paper.topics, self.topic_names), apply)

    # Links ------------------------------------------------------------------------------

    @on_highlighted
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
            self.app.notify(
                f"Sent the {what} to the terminal's clipboard (OSC 52): {url}. {osc52_note()}",
                markup=False,
            )
        else:
            self.app.notify(result.message, severity="error", markup=False)

    def open_in_browser(self, link: Link) -> None:
        url = safe_url(link.url)
        if url is None:
            self.app.notify("Not an http(s) link; not opened.", severity="error", markup=False)
            return
        self.browser(url)
        self.app.notify(f"Opened {url}", markup=False)

    @on_highlighted
    def action_pick_link(self, verb: str = "copy") -> None:
        paper = self.current_paper()
        if paper is None:
            return
        searching = not paper.links
        links = title_searches(paper.title) if searching else paper.links
        self.app.push_screen(
            LinkPicker(paper.title, links, "open" if verb == "open" else "copy", searching),
            self.link_chosen,
        )

    def link_chosen(self, choice: LinkChoice | None) -> None:
        if choice is None:
            return
        if choice.verb == "open":
            self.open_in_browser(choice.link)
        elif (url := safe_url(choice.link.url)) is not None:
            self.copy(url, f"link {choice.number}")

    @on_highlighted
    def action_open_link(self) -> None:
        paper = self.current_paper()
        if paper is None:
            return
        code = next((link for link in paper.links if link.kind == "code"), None)
        if code is not None:
            self.open_in_browser(code)
        else:
            self.action_pick_link("open")
