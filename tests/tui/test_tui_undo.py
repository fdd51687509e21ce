"""Undo in the app: every change goes through one journal, and `z` takes back the last."""

from __future__ import annotations

from textual.command import CommandPalette
from tui_helpers import detail_text, list_lines, palette_offers, settle

from papershelf.library import Library
from papershelf.lists import AddToList, members, summaries
from papershelf.query import Query
from papershelf.search import Search
from papershelf.undo import apply
from tui.screens.note_editor import NoteEditor


def view(db) -> list[int]:
    with Library(db) as lib:
        return list(Search(lib).run(Query()))


def state(db, pk: int) -> tuple[bool, bool, tuple[str, ...], str]:
    """Read, starred, topics and note of a paper, as a new connection sees them."""
    with Library(db) as lib:
        paper = lib.paper(pk)
        return paper.read, paper.starred, paper.topics, paper.note


async def test_z_takes_back_read_star_and_topic_one_at_a_time(make_app, library):
    """Space, s and a topic, then z three times: each change is undone, newest first."""
    pk = view(library)[0]
    before = state(library, pk)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("space", "s", "t", *"distillation", "enter")
        await settle(pilot)
        read, starred, topics, _ = state(library, pk)
        assert (read, starred, set(topics)) == (True, True, {*before[2], "distillation"})
        await pilot.press("z")
        await settle(pilot)
        assert app.notes[-1] == ("Undone: added topic Distillation to 1 paper.", "information")
        assert state(library, pk) == (True, True, before[2], "")
        await pilot.press("z")
        await settle(pilot)
        assert app.notes[-1][0] == "Undone: starred 1 paper."
        assert "★" not in list_lines(app)[0]
        await pilot.press("z")
        await settle(pilot)
        assert app.notes[-1][0] == "Undone: marked 1 paper read."
        assert list_lines(app)[0].lstrip().startswith("●")
        await pilot.press("z")
        assert app.notes[-1][0] == "Nothing to undo."
    assert state(library, pk) == before


async def test_marking_the_view_read_says_how_many_and_z_takes_it_back(make_app, library):
    """Mark view read (from the palette) marks every paper in view, says how many it
    changed, and z makes them all unread again."""
    with Library(library) as lib:
        hits = list(Search(lib).run(Query.parse("adapter")))
        lib.set_read(hits[:1])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"adapter", "enter", "ctrl+p", *"mark view read")
        assert isinstance(app.screen, CommandPalette)
        await palette_offers(pilot, "mark view read")
        await pilot.press("enter")
        await settle(pilot)
        n = len(hits)
        assert app.notes[-1][0] == f"Marked {n - 1} papers read (of {n} in this view)."
        with Library(library) as lib:
            assert all(lib.paper(pk).read for pk in hits)
        assert app.screen.results.counts.states["unread"] == 0
        await pilot.press("z")
        await settle(pilot)
        assert app.notes[-1][0] == f"Undone: marked {n - 1} papers read."
    with Library(library) as lib:
        assert [pk for pk in hits if lib.paper(pk).read] == hits[:1]


async def test_w_writes_a_note_shown_in_the_detail_and_z_takes_it_back(make_app, library):
    """w opens the note editor; Ctrl+S keeps the note, the detail shows it, z removes it."""
    pk = view(library)[0]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("w")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"check [b]the[/b] ablation", "enter", *"table 3", "ctrl+s")
        await settle(pilot)
        note = "check [b]the[/b] ablation\ntable 3"
        assert state(library, pk)[3] == note
        assert app.notes[-1][0] == "Saved the note."
        assert "Note: check [b]the[/b] ablation\ntable 3" in detail_text(app)
        await pilot.press("w", *" and 4", "escape")
        await settle(pilot)
        assert state(library, pk)[3] == note
        await pilot.press("z")
        await settle(pilot)
        assert app.notes[-1][0] == "Undone: changed the note."
        assert "Note:" not in detail_text(app)
    assert state(library, pk)[3] == ""


async def test_z_brings_back_a_deleted_list_with_its_papers(make_app, library):
    """Deleting a list from the app and pressing z restores the list and its members."""
    pks = view(library)
    with Library(library) as lib:
        apply(lib, AddToList("keep", tuple(pks[:4])))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.screen.run_action("delete_list")
        await pilot.press(*"keep", "enter")
        await settle(pilot)
        with Library(library) as lib:
            assert summaries(lib) == []
        await pilot.press("z")
        await settle(pilot)
        assert app.notes[-1][0] == 'Undone: deleted list "keep" (4 papers; the papers stay).'
        assert app.screen.lists[0].papers == 4
    with Library(library) as lib:
        assert members(lib, "keep") == pks[:4]


async def test_undo_that_the_library_no_longer_allows_is_an_error_notification(make_app, library):
    """A list deleted in the app, then made again elsewhere under its name: z says it
    cannot undo, in one line, and both lists' papers are left as they are."""
    pks = view(library)
    with Library(library) as lib:
        apply(lib, AddToList("keep", tuple(pks[:2])))
        apply(lib, AddToList("other", tuple(pks[2:3])))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await app.screen.run_action("delete_list")
        await pilot.press(*"keep", "enter")
        await settle(pilot)
        with Library(library) as lib:
            apply(lib, AddToList("keep", (pks[5],)))
        await pilot.press("z")
        await settle(pilot)
        message, severity = app.notes[-1]
        assert severity == "error" and "cannot undo" in message
        assert app.is_running
    with Library(library) as lib:
        assert members(lib, "keep") == [pks[5]]
