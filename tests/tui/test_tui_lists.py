"""Reading lists in the app: a paper's lists, a whole view, the sidebar, the palette, export."""

from __future__ import annotations

from textual.command import CommandPalette
from textual.widgets import Input, Static
from tui_helpers import detail_text, palette_offers, settle

from papershelf.filters import Term
from papershelf.library import Library
from papershelf.lists import AddToList, members, summaries
from papershelf.query import Query
from papershelf.search import Search
from papershelf.undo import apply
from tui.messages import ToggleFilter
from tui.screens.export_dialog import ExportDialog
from tui.screens.list_dialog import ListDialog
from tui.widgets.facets import Facets


def view(db, query: Query | None = None) -> list[int]:
    with Library(db) as lib:
        return list(Search(lib).run(query or Query()))


def with_list(db, name: str, pks: list[int]) -> None:
    with Library(db) as lib:
        apply(lib, AddToList(name, tuple(pks)))


def stored_lists(db) -> dict[str, list[int]]:
    """Every list and its members, as a new connection reads them."""
    with Library(db) as lib:
        return {s.name: members(lib, s.name) for s in summaries(lib)}


def list_prompt(app, name: str) -> str:
    return app.screen.query_one(Facets).prompt(str(Term("list", name)))


async def test_b_adds_the_paper_to_a_new_list_shown_in_the_sidebar(make_app, library):
    """b and a new name create the list with the highlighted paper; the sidebar counts it
    and the detail names it."""
    pks = view(library)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert "  none yet · b adds" in app.screen.query_one(Facets).prompts
        await pilot.press("j", "b")
        assert isinstance(app.screen, ListDialog)
        await pilot.press(*"to read", "enter")
        await settle(pilot)
        assert app.notes[-1] == ('Added 1 paper to list "to read", a new list.', "information")
        assert list_prompt(app, "to read").split() == ["to", "read", "1/1"]
        assert "Lists: to read" in detail_text(app)
    assert stored_lists(library) == {"to read": [pks[1]]}


async def test_b_with_a_list_the_paper_is_in_takes_it_out(make_app, library):
    """Completing the name of a list the paper is in and Enter removes it from that list."""
    pks = view(library)
    with_list(library, "To Read", pks[:2])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("b", *"to")
        await settle(pilot)
        await pilot.press("right")
        assert app.screen.query_one(Input).value == "To Read"
        await pilot.press("enter")
        await settle(pilot)
        assert app.notes[-1] == ('Removed from list "To Read".', "information")
        assert list_prompt(app, "To Read").split()[-1] == "1/1"
    assert stored_lists(library) == {"To Read": [pks[1]]}


async def test_b_adds_to_an_existing_list_whatever_the_case_typed(make_app, library):
    """A name typed in another case means the list that exists, not a new one."""
    pks = view(library)
    with_list(library, "Later", pks[:1])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j", "b", *"LATER", "enter")
        await settle(pilot)
        assert app.notes[-1] == ('Added 1 paper to list "Later".', "information")
    assert stored_lists(library) == {"Later": pks[:2]}


async def test_choosing_a_list_in_the_sidebar_filters_the_view(make_app, library):
    """Enter on a list in the sidebar shows its papers; Enter again shows all."""
    pks = view(library)
    with_list(library, "later", [pks[3], pks[5]])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        facets.focus()
        facets.highlight("list:later")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title == "list later — 2 papers"
        assert list(app.screen.results.pks) == sorted([pks[3], pks[5]], key=pks.index)
        assert list_prompt(app, "later").startswith("✓ later")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title == f"all papers — {len(pks)} papers"


async def test_v_adds_every_paper_of_the_view_and_says_how_many(make_app, library):
    """v adds the papers of the search on screen to a list, saying how many it added."""
    hits = view(library, Query.parse("kv cache"))
    with_list(library, "serving", hits[:1])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kv cache", "enter", "v", *"serving", "enter")
        await settle(pilot)
        added = len(hits) - 1
        assert app.notes[-1][0] == (
            f'Added {added} paper{"s" * (added != 1)} to list "serving" '
            f"(of {len(hits)} in this view)."
        )
    assert sorted(stored_lists(library)["serving"]) == sorted(hits)


async def test_palette_creates_renames_and_deletes_lists(make_app, library):
    """New list, Rename list and Delete list from Ctrl+P; a view of the renamed list follows
    the new name, and deleting it shows all papers again."""
    pks = view(library)
    with_list(library, "old", pks[:3])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"new list")
        assert isinstance(app.screen, CommandPalette)
        await palette_offers(pilot, "new list")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ListDialog)
        await pilot.press(*"fresh", "enter")
        await settle(pilot)
        assert app.notes[-1] == ('Created list "fresh".', "information")
        app.screen.post_message(ToggleFilter(Term("list", "old")))
        await settle(pilot)
        await app.screen.run_action("rename_list")
        await settle(pilot)
        assert app.screen.query_one(Input).value == "old"
        await pilot.press("enter")
        await settle(pilot)
        app.screen.query_one(Input).value = "fresh"
        await pilot.press("enter")
        await settle(pilot)
        assert "already exists" in str(app.screen.query_one("#list-problem").render())
        app.screen.query_one(Input).value = "new"
        await pilot.press("enter")
        await settle(pilot)
        assert app.notes[-1] == ('Renamed list "old" to "new".', "information")
        assert app.screen.sub_title == "list new — 3 papers"
        await app.screen.run_action("delete_list")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.notes[-1] == ('Deleted list "new" (3 papers; the papers stay).', "information")
        assert app.screen.sub_title == f"all papers — {len(pks)} papers"
    assert stored_lists(library) == {"fresh": []}


async def test_exporting_a_list_view_writes_that_list(make_app, library, tmp_path, monkeypatch):
    """e on the view of a list writes that list's papers under a name that says so."""
    monkeypatch.chdir(tmp_path)
    pks = view(library)
    with_list(library, "to read", pks[2:4])
    with Library(library) as lib:
        titles = [row.title for row in lib.rows(pks[2:4])]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.screen.post_message(ToggleFilter(Term("list", "to read")))
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        name = app.screen.query_one(Input).value
        assert name == "papershelf-list-to-read-2026-03-15.md"
        await pilot.press("enter")
        await settle(pilot)
    text = (tmp_path / name).read_text(encoding="utf-8")
    assert text.startswith("# Reading list: to read\n")
    assert text.count("\n- [ ] **") == 2
    assert all(title in text for title in titles)


async def test_list_names_that_look_like_markup_are_shown_as_typed(make_app, library):
    """A list named like markup appears literally in the sidebar, the dialog, the palette
    and notifications, and clicking nothing quits the app."""
    name = "[@click=quit]x[/]"
    pks = view(library)
    with_list(library, name, pks[:1])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert list_prompt(app, name).split() == [name, "1/1"]
        await pilot.press("b")
        shown = [str(static.render()) for static in app.screen.query(Static)]
        assert f"In lists: {name}" in shown
        await pilot.press(*name, "enter")
        await settle(pilot)
        assert app.notes[-1][0] == f'Removed from list "{name}".'
        await pilot.press("ctrl+p", *"list: [@click")
        await palette_offers(pilot, "[@click")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title == f"list {name} — 0 papers"
        assert app.is_running
