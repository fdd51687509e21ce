"""Intents that widgets and palette providers post up to the main screen.

They carry what the reader asked for, never a reference to another widget: the screen
decides what changes and binds the new state back down.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from papershelf.filters import Term


@dataclass
class ToggleFilter(Message):
    """Add a filter term to the view, or take it off (the same term twice)."""

    term: Term


@dataclass
class ShowAll(Message):
    """Show read and unread papers, starred or not."""


@dataclass
class SortBy(Message):
    """Put the view in another order (a name from `papershelf.filters.SORTS`)."""

    name: str


@dataclass
class LayoutChosen(Message):
    """The reader placed the detail pane or showed or hid the sidebar; the app remembers
    both in the settings file."""

    layout: str
    sidebar: str
