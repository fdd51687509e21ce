"""Command palette sources: every command of the table, a filter for every topic and list.

Hits are built from `Content`, never from markup: Textual's own `Matcher.highlight`
parses its argument as markup, so topic names from the reader's configuration are
highlighted here by offsets over literal text instead.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content

from papershelf.text import one_line
from tui.commands import COMMANDS, Command, key_label, keys_of
from tui.messages import ToggleList, ToggleTopic
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


class TopicFilters(Provider):
    """`Topic: Quantization` toggles that topic in the view's filter."""

    def topics(self) -> list[tuple[str, str]]:
        if not isinstance(self.screen, MainScreen):
            return []
        return [(t.slug, one_line(t.name)) for t in self.screen.shelf.taxonomy.topics]

    def toggle(self, slug: str) -> Callable[[], None]:
        return lambda: self.screen.post_message(ToggleTopic(slug))

    async def discover(self) -> Hits:
        for slug, name in self.topics():
            yield DiscoveryHit(
                Content.assemble(("Topic: ", "$text-muted"), Content(name)),
                self.toggle(slug),
                text=f"Topic: {name}",
                help="Show only papers with this topic, or all again.",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for slug, name in self.topics():
            label = f"Topic: {name}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, label),
                    self.toggle(slug),
                    text=label,
                    help="Show only papers with this topic, or all again.",
                )


class ListFilters(Provider):
    """`List: to read` shows that reading list, or all papers again."""

    def names(self) -> list[str]:
        if not isinstance(self.screen, MainScreen):
            return []
        return self.screen.list_names

    def toggle(self, name: str) -> Callable[[], None]:
        return lambda: self.screen.post_message(ToggleList(name))

    async def discover(self) -> Hits:
        for name in self.names():
            yield DiscoveryHit(
                Content.assemble(("List: ", "$text-muted"), Content(one_line(name))),
                self.toggle(name),
                text=f"List: {one_line(name)}",
                help="Show only the papers of this reading list, or all again.",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name in self.names():
            label = f"List: {one_line(name)}"
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    highlight(matcher, label),
                    self.toggle(name),
                    text=label,
                    help="Show only the papers of this reading list, or all again.",
                )
