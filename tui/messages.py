"""Intents that widgets and palette providers post up to the main screen.

They carry what the reader asked for, never a reference to another widget: the screen
decides what changes and binds the new state back down.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from papershelf.query import ReadState


@dataclass
class ShowState(Message):
    """Show papers in one reading state (all, unread or read)."""

    state: ReadState


@dataclass
class ToggleStarred(Message):
    """Show only starred papers, or stop doing so."""


@dataclass
class ToggleTopic(Message):
    """Add a topic to the filter, or take it off."""

    slug: str


@dataclass
class ToggleList(Message):
    """Show only the papers of a reading list, or all again (the same list twice)."""

    name: str


@dataclass
class ToggleUntopiced(Message):
    """Show only papers without a topic, or stop doing so."""


@dataclass
class LayoutChosen(Message):
    """The reader placed the detail pane; the app remembers it in the settings file."""

    layout: str
