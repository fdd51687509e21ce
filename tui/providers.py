"""Command palette sources: every command of the table, every filter value and sort.

Hits are built from `Content`, never from markup: Textual's own `Matcher.highlight`
parses its argument as markup, so topic names from the reader's configuration are
highlighted here by offsets over literal text instead.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from papershelf.filters import FILTERS, SORTS, Term
from papershelf.text import one_line
from tui.commands import COMMANDS, Command, key_label, keys_of
from tui.messages import SortBy, ToggleFilter
from tui.screens.main import MainScreen


def highlight(matcher: Matcher, text: str) -> Content:
    """`text` shown literally, with the characters the query matched styled."""
    content = Content(text)
    score, offsets = matcher.fuzzy_search.match(matcher.query, text)
    if not score:
        return content
    for offset in offsets:
        content = content.stylize(matcher.match_style, offset, offset + 1)
    return content


class PaperCommands(Provider):
    """The command table in the palette, each hit with its key."""

    def runnable(self) -> list[tuple[Command, Callable[[], object]]]:
        if not isinstance(self.screen, MainScreen):
            return []
        found: list[tuple[Command, Callable[[], object]]] = []
        for command in COMMANDS:
            if not command.palette:
                continue
            target = self.app if command.scope == "app" else self.screen

            def run(target: object = target, action: str = command.action) -> object:
                return target.run_action(action)  # type: ignore[attr-defined]

            found.append((command, run))
        return found

    def display(self, command: Command, title: Content) -> Content:
        keymap = self.screen.keymap if isinstance(self.screen, MainScreen) else {}
        keys = " ".join(key_label(k) for k in keys_of(command, keymap))
        return Content.assemble(title, ("  " + keys, "$text-muted"))

    async def discover(self) -> Hits:
        for command, run in self.runnable():
            yield DiscoveryHit(
                self.display(command, Content(command.title)),
                run,
                text=command.title,
                help=command.help,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command, run in self.runnable():
            score = matcher.match(command.title)
            if score > 0:
                yield Hit(
                    score,
                    self.display(command, highlight(matcher, command.title)),
                    run,
                    text=command.title,
                    help=command.help,
                )


class FilterCommands(Provider):
    """`Topic: Quantization`, `List: to read`, `Imported: latest`, `Sort: by title`...:
    every palette entry of the filter table, with the library's values, and every sort.
    A filter turns on, or off again; a sort applies."""

    def entries(self) -> list[tuple[str, str, Callable[[], None]]]:
        """(label, help, run) for each filter value and each sort."""
        if not isinstance(self.screen, MainScreen):
            return []
        screen = self.screen
        found: list[tuple[str, str, Callable[[], None]]] = []
        for filter_ in FILTERS:
            if not filter_.palette:
                continue
            for value, label in filter_.choices(screen.shelf.lib.conn):
                term = Term(filter_.key, value)
                found.append(
                    (
                        f"{filter_.palette}: {one_line(label)}",
                        filter_.help + " Again: all papers.",
                        lambda term=term: screen.post_message(ToggleFilter(term)),
                    )
                )
        for sort in SORTS:
            found.append(
                (
                    f"Sort: {sort.describe}",
                    sort.help,
                    lambda name=sort.name: screen.post_message(SortBy(name)),
                )
            )
        return found

    async def discover(self) -> Hits:
        for label, help_text, run in self.entries():
            prefix, _, rest = label.partition(": ")
            yield DiscoveryHit(
                Content.assemble((prefix + ": ", "$text-muted"), Content(rest)),
                run,
                text=label,
                help=help_text,
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, run in self.entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, highlight(matcher, label), run, text=label, help=help_text)
