"""Reading lists from the main screen: a paper's lists, a whole view, and the lists themselves.

A mixin of the main screen. Every change goes through the screen's `apply`, so it lands
in the one journal and `undo` takes it back, a deleted list with all its members too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from rich.text import Text
from textual.app import App

from papershelf.filters import BY_NAME, Term
from papershelf.lists import (
    AddToList,
    CreateList,
    DeleteList,
    ListSummary,
    RemoveFromList,
    RenameList,
    quoted,
)
from papershelf.models import Paper
from papershelf.query import Query
from papershelf.text import one_line
from papershelf.undo import Change, Entry
from tui.screens.list_dialog import ListDialog, Wanted, stored_name
from tui.screens.paper_actions import capital, on_highlighted
from tui.view import Results


class ListActions:
    """Needs from the screen: the lists, the filters, the results, the highlighted paper
    and the journal's `apply`."""

    app: App[None]
    lists: tuple[ListSummary, ...]
    filters: Query
    results: Results | None
    held: list[Callable[[], None]] | None
    paper_pk: int | None
    current_paper: Callable[[], Paper | None]
    writable: Callable[[], bool]
    view_pks: Callable[[], tuple[int, ...] | None]
    apply: Callable[[Change, Callable[[Entry], str] | None], Entry | None]
    topic_names: Mapping[str, str]
    key_for: Callable[[str], str]
    advance: Callable[[], None]
    last_list: str = ""
    """The list `b` last added a paper to: offered first next time (triage is b, Enter)."""

    @property
    def list_names(self) -> list[str]:
        return [summary.name for summary in self.lists]

    def ask_list(
        self,
        title: str,
        lines: Sequence[Text],
        then: Callable[[str], None],
        *,
        wanted: Wanted = "any",
        value: str = "",
        names: Sequence[str] | None = None,
    ) -> None:
        """Ask for a list name, then run `then` with it (nothing when the reader cancels)."""

        def chosen(name: str | None) -> None:
            if name is not None:
                then(name)

        known = self.list_names if names is None else names
        self.app.push_screen(ListDialog(title, lines, known, wanted=wanted, value=value), chosen)

    def view_line(self, pks: Sequence[int]) -> Text:
        n = len(pks)
        line = Text(f"{n} paper{'s' * (n != 1)} in this view: ")
        if self.results is not None:
            line.append(one_line(self.results.query.describe(self.topic_names)), style="bold")
        return line

    def filtered_list(self) -> str:
        """The list the view is filtered by, offered first by rename and delete."""
        return self.filters.value_of(BY_NAME["list"]) or ""

    # A paper, a view --------------------------------------------------------------------

    @on_highlighted
    def action_edit_lists(self) -> None:
        paper, pk = self.current_paper(), self.paper_pk
        if paper is None or pk is None or not self.writable():
            return
        now = Text("In lists: ")
        now.append(", ".join(one_line(name) for name in paper.lists) or "none")
        hint = Text(
            "A list it is in takes it out; any other name adds it (a new name creates it).",
            style="dim",
        )

        def chosen(name: str) -> None:
            member = stored_name(name, paper.lists)
            if member is not None:
                done = f"Removed from list {quoted(member)}."
                self.apply(RemoveFromList(member, (pk,)), lambda _: done)
            else:
                self.last_list = name
                self.add_to_list(name, (pk,))
            self.advance()

        title = Text(one_line(paper.title), style="bold")
        last = stored_name(self.last_list, self.list_names) or ""
        value = "" if stored_name(last, paper.lists) else last
        self.ask_list("Paper lists", [title, now, hint], chosen, value=value)

    def add_to_list(self, name: str, pks: tuple[int, ...], view: bool = False) -> None:
        new = stored_name(name, self.list_names) is None

        def done(entry: Entry) -> str:
            text = capital(entry.description)
            if view:
                text += f" (of {len(pks)} in this view)"
            return text + (", a new list." if new else ".")

        self.apply(AddToList(name, pks), done)

    def action_view_to_list(self) -> None:
        pks = self.view_pks()
        if pks is not None and self.writable():
            self.ask_list(
                "Add view to list",
                [self.view_line(pks)],
                lambda name: self.add_to_list(name, pks, view=True),
            )

    def action_view_from_list(self) -> None:
        pks = self.view_pks()
        if pks is None or not self.writable() or not self.some_lists():
            return

        def remove(name: str) -> None:
            self.apply(
                RemoveFromList(name, pks),
                lambda entry: f"{capital(entry.description)} (of {len(pks)} in this view).",
            )

        self.ask_list(
            "Remove view from list",
            [self.view_line(pks)],
            remove,
            wanted="existing",
            value=self.filtered_list(),
        )

    # The lists themselves ---------------------------------------------------------------

    def some_lists(self) -> bool:
        if not self.lists:
            self.app.notify("There are no reading lists yet.", severity="warning", markup=False)
        return bool(self.lists)

    def action_create_list(self) -> None:
        if self.writable():
            self.ask_list(
                "New list",
                [
                    Text(
                        f"An empty reading list; {self.key_for('edit_lists')} and "
                        f"{self.key_for('view_to_list')} add papers to it.",
                        style="dim",
                    )
                ],
                lambda name: self.apply(CreateList(name), lambda e: f"{capital(e.description)}."),
                wanted="new",
            )

    def action_rename_list(self) -> None:
        if not self.writable() or not self.some_lists():
            return

        def rename(old: str, new: str) -> None:
            shown = stored_name(old, [self.filtered_list()]) is not None
            if self.apply(RenameList(old, new), lambda e: f"{capital(e.description)}.") and shown:
                self.filters = self.filters.with_term(Term("list", new))

        def new_name(old: str) -> None:
            others = [name for name in self.list_names if name != old]
            self.ask_list(
                "Rename list",
                [Text("New name for ").append(quoted(old), style="bold")],
                lambda new: rename(old, new),
                wanted="new",
                value=old,
                names=others,
            )

        self.ask_list(
            "Rename list",
            [Text("Which list?")],
            new_name,
            wanted="existing",
            value=self.filtered_list(),
        )

    def action_delete_list(self) -> None:
        if not self.writable() or not self.some_lists():
            return
        hint = Text(
            f"Its papers stay in the library; {self.key_for('undo')} brings it back.",
            style="dim",
        )
        self.ask_list(
            "Delete list",
            [hint],
            lambda name: self.apply(DeleteList(name), lambda e: f"{capital(e.description)}."),
            wanted="existing",
            value=self.filtered_list(),
        )
