"""Snapshots of the real app on the bundled sample: fixed size, date and cursor.

Update after an intended change of look with `pytest tests/tui --snapshot-update`, and
look at the report before committing.
"""

from __future__ import annotations

from pathlib import Path

from tui_helpers import steady

from papershelf.filters import Term
from papershelf.library import Library
from papershelf.lists import AddToList
from papershelf.query import Query
from papershelf.search import Search
from papershelf.undo import apply
from tui.messages import ToggleFilter

SIZE = (120, 36)


def test_main_screen(snap_compare, make_app):
    """The three panes on the sample, with a paper read and one starred."""

    async def before(pilot):
        await steady(pilot)
        await pilot.press("j", "space", "j", "s")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=before)


def test_main_screen_small_terminal(snap_compare, make_app):
    """At 80x24 the detail sits below the list and the sidebar narrows."""
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=steady)


def test_search(snap_compare, make_app):
    """Typing a search shows the ranked matches, their counts and the header subtitle."""

    async def before(pilot):
        await steady(pilot)
        await pilot.press("slash", *"kv cache")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=before)


def test_topic_filter(snap_compare, make_app):
    """Unread papers in one topic, with the facet ticked in the sidebar."""

    async def before(pilot):
        await steady(pilot)
        await pilot.press("u")
        pilot.app.screen.post_message(ToggleFilter(Term("topic", "quantization")))
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=before)


def test_help_screen(snap_compare, make_app):
    """The key table generated from the command table, and where to remap keys."""

    async def before(pilot):
        await steady(pilot)
        await pilot.press("question_mark")
        await steady(pilot)

    # The note names the settings file: a path of fixed length keeps the table's height,
    # and so its scrollbar, the same wherever the test runs.
    app = make_app(settings_path=Path("/home/reader/.config/papershelf/config.toml"))
    assert snap_compare(app, terminal_size=SIZE, run_before=before)


def test_export_dialog(snap_compare, make_app):
    """The export dialog with its dated default file name."""

    async def before(pilot):
        await steady(pilot)
        await pilot.press("u", "e")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=before)


def test_reading_list_view(snap_compare, make_app, library):
    """The view of one reading list, the lists in the sidebar with unread/all counts."""
    with Library(library) as lib:
        pks = Search(lib).run(Query())
        apply(lib, AddToList("to read", (pks[4], pks[9], pks[2])))
        apply(lib, AddToList("cite later", (pks[0],)))
        lib.set_read([pks[9]])

    async def before(pilot):
        await steady(pilot)
        pilot.app.screen.post_message(ToggleFilter(Term("list", "to read")))
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=before)
