"""The sidebar: reading states, reading lists and topics with counts.

States and topics count the papers of the current view; a list shows how many of its
papers are left to read and how many it holds (`3/12`), whatever the view.

A short list (a few dozen options), so a stock OptionList is the right tool here.
Every prompt is built as `Content` from parts, so a topic name from the reader's own
configuration is shown literally whatever characters it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from textual.content import Content
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from papershelf.lists import ListSummary
from papershelf.text import one_line
from tui.commands import BY_ACTION, key_label, keys_of
from tui.messages import ShowState, ToggleList, ToggleStarred, ToggleTopic, ToggleUntopiced
from tui.view import Results

HINTS_FROM = 22
GROUPS = (("area", "Areas"), ("technique", "Techniques"))
STATES = (
    ("all", "All", "show_all"),
    ("unread", "Unread", "cycle_unread"),
    ("read", "Read", "show_read"),
    ("starred", "Starred", "toggle_starred"),
)


class TopicLike(Protocol):
    slug: str
    name: str
    group: str


class Facets(OptionList):
    """Reads `results` and `lists` from the screen; posts ShowState, ToggleStarred,
    ToggleList, ToggleTopic and ToggleUntopiced when the reader picks an entry."""

    DEFAULT_CSS = Path(__file__).with_suffix(".tcss").read_text(encoding="utf-8")

    results: reactive[Results | None] = reactive(None)
    lists: reactive[tuple[ListSummary, ...]] = reactive(())

    def __init__(
        self,
        topics: Sequence[TopicLike],
        *,
        keymap: dict[str, str] | None = None,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.topics = tuple(topics)
        self.keymap = keymap or {}
        self._ids: list[str | None] = []

    def watch_results(self) -> None:
        self.rebuild()

    def watch_lists(self) -> None:
        self.rebuild()

    def on_resize(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        """Options for the current counts, keeping the highlight on the same entry.

        New counts only change the prompts, which repaints this list alone; removing
        and adding options would make the whole screen lay out again on every keystroke.
        """
        if self.results is None:
            return
        options = self.options_for(self.results)
        ids = [option.id if option else None for option in options]
        if ids == self._ids:
            for index, option in enumerate(o for o in options if o is not None):
                if self.get_option_at_index(index).prompt != option.prompt:
                    self.replace_option_prompt_at_index(index, option.prompt)
            return
        keep = None
        if self.highlighted is not None:
            keep = self.get_option_at_index(self.highlighted).id
        self.clear_options()
        self.add_options(options)
        self._ids = ids
        if keep is not None:
            try:
                self.highlighted = self.get_option_index(keep)
            except LookupError:
                self.highlighted = None

    def options_for(self, results: Results) -> list[Option | None]:
        query = results.query
        counts = results.counts
        width = max(self.scrollable_content_region.width - 2, 8)
        options: list[Option | None] = [Option(Content.styled("Reading", "bold"), disabled=True)]
        for state, label, action in STATES:
            active = query.starred if state == "starred" else query.state == state
            if state == "all":
                active = query.state == "all" and not query.starred
            key = key_label(keys_of(BY_ACTION[action], self.keymap)[0])
            options.append(
                Option(
                    self.line(label, counts.states.get(state, 0), width, active, key),
                    id=f"state:{state}",
                )
            )
        options.append(None)
        options.extend(self.list_options(query.list_name, width))
        for group, heading in GROUPS:
            options.append(None)
            options.append(Option(Content.styled(heading, "bold"), disabled=True))
            for topic in self.topics:
                if topic.group != group:
                    continue
                options.append(
                    Option(
                        self.line(
                            one_line(topic.name),
                            counts.topics.get(topic.slug, 0),
                            width,
                            topic.slug in query.topics,
                        ),
                        id=f"topic:{topic.slug}",
                    )
                )
        options.append(None)
        options.append(
            Option(self.line("No topic", results.untopiced, width, query.no_topic), id="no-topic")
        )
        return options

    def list_options(self, chosen: str | None, width: int) -> list[Option | None]:
        """`Lists  unread/all`, then one entry per list, or a hint when there is none."""
        legend = "unread/all"
        pad = " " * max(width - len("Lists") - len(legend), 1)
        heading = Content.assemble(("Lists", "bold"), pad, (legend, "$text-muted"))
        options: list[Option | None] = [Option(heading, disabled=True)]
        wanted = (chosen or "").casefold()
        for summary in self.lists:
            name = one_line(summary.name)
            count = f"{summary.unread}/{summary.papers}"
            options.append(
                Option(
                    self.line(
                        name, count, width, name.casefold() == wanted, muted=not summary.papers
                    ),
                    id=f"list:{summary.name}",
                )
            )
        if not self.lists:
            key = key_label((keys_of(BY_ACTION["edit_lists"], self.keymap) or ["palette"])[0])
            options.append(
                Option(Content.styled(f"  none yet · {key} adds", "$text-muted"), disabled=True)
            )
        return options

    @staticmethod
    def line(
        label: str,
        count: int | str,
        width: int,
        active: bool,
        key: str | None = None,
        *,
        muted: bool | None = None,
    ) -> Content:
        """`✓ Unread [u]      30`: mark, label, key hint (when there is room), count."""
        hint = f" [{key}]" if key and width >= HINTS_FROM else ""
        number = str(count)
        if muted is None:
            muted = count == 0
        room = width - 2 - len(hint) - len(number) - 1
        if len(label) > room:
            label = label[: max(room - 1, 1)].rstrip() + "…"
        pad = " " * max(width - 2 - len(label) - len(hint) - len(number), 1)
        return Content.assemble(
            ("✓ " if active else "  ", "$accent"),
            (label, "bold" if active else ""),
            (hint, "$text-muted"),
            pad,
            (number, "$text-muted" if muted else ""),
        )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id or ""
        kind, _, value = chosen.partition(":")
        if chosen == "state:starred":
            self.post_message(ToggleStarred())
        elif kind == "state" and value in ("all", "unread", "read"):
            self.post_message(ShowState(value))  # type: ignore[arg-type]
        elif kind == "topic":
            self.post_message(ToggleTopic(value))
        elif kind == "list":
            self.post_message(ToggleList(value))
        elif chosen == "no-topic":
            self.post_message(ToggleUntopiced())
