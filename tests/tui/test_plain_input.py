"""Text boxes keep only printable text, whatever is typed or pasted into them."""

from __future__ import annotations

from textual import events
from textual.app import App, ComposeResult

from tui.widgets.plain_input import PlainInput, PlainTextArea

PASTE = "kv\x1b]52;c;SGk=\x07 cache\u202e\x9b31m\nsecond line"


class Boxes(App[None]):
    def compose(self) -> ComposeResult:
        yield PlainInput(id="one-line")
        yield PlainTextArea(id="note")


async def test_pasted_controls_are_dropped_from_a_one_line_box() -> None:
    """A paste keeps its printable text only, on one line."""
    app = Boxes()
    async with app.run_test() as pilot:
        box = app.query_one(PlainInput)
        box.focus()
        app.post_message(events.Paste(PASTE))
        await pilot.pause()
        assert box.value == "kv cache31m"


async def test_pasted_controls_are_dropped_from_a_note_but_lines_kept() -> None:
    """A pasted note loses escapes and bidi overrides but keeps its line breaks."""
    app = Boxes()
    async with app.run_test() as pilot:
        note = app.query_one(PlainTextArea)
        note.focus()
        app.post_message(events.Paste(PASTE))
        await pilot.pause()
        assert note.text == "kv cache31m\nsecond line"
