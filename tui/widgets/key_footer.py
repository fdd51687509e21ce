"""The footer, which drops all but the essential keys when the terminal is narrow.

Textual's footer lays its keys out in one row and cuts off whatever does not fit: at 80
columns that was Help and Quit, the two keys a new reader looks for. The keys that are
not essential (see `tui.commands.Command.essential`) carry a class the screen's
stylesheet hides below its narrow width.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from tui.commands import BY_ACTION

ESSENTIAL = frozenset(command.action for command in BY_ACTION.values() if command.essential)


class KeyFooter(Footer):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action not in ESSENTIAL:
                widget.add_class("-optional")
            yield widget
