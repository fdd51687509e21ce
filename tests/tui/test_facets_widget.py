"""The sidebar by keyboard and mouse: the cursor skips headings, a click picks an entry,
and the highlight stays on its entry while the entries around it change."""

from __future__ import annotations

from textual.geometry import Region
from tui_helpers import settle

from papershelf.filters import Term
from papershelf.library import Library
from papershelf.lists import AddToList
from papershelf.query import Query
from papershelf.search import Search
from papershelf.undo import apply
from tui.widgets.facets import Facets

SIZE = (120, 36)


def painted(facets: Facets) -> list[str]:
    """The sidebar's lines as drawn on screen."""
    return [strip.text for strip in facets.render_lines(Region(0, 0, *facets.outer_size))]


def first_import(facets: Facets) -> str:
    return next(entry for entry in facets.entry_ids if entry.startswith("imported:"))


def first_topic(facets: Facets) -> str:
    return next(entry for entry in facets.entry_ids if entry.startswith("topic:"))


async def test_arrows_skip_headings_and_wrap_round(make_app):
    """Down starts on All, passes over headings, rules and hints, and Up from the first
    entry goes round to the last."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        facets.focus()
        await pilot.press("down")
        assert facets.highlighted_id == "all"
        await pilot.press("down", "down", "down", "down")
        assert facets.highlighted_id == first_import(facets)
        await pilot.press("down")
        assert facets.highlighted_id == first_topic(facets)
        await pilot.press("up", "up")
        assert facets.highlighted_id == "is:starred"
        await pilot.press("home", "up")
        assert facets.highlighted_id == "no:topic"
        await pilot.press("down")
        assert facets.highlighted_id == "all"


async def test_page_keys_land_on_entries_that_can_be_chosen(make_app):
    """PageUp and PageDown never leave the cursor on a heading, nor lose it at the top."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        facets.focus()
        await pilot.press("end", "pageup")
        assert facets.highlighted_id in facets.entry_ids
        await pilot.press("pageup", "pageup", "pageup")
        assert facets.highlighted_id == "all"
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert facets.highlighted_id == "no:topic"


async def test_enter_and_click_pick_the_entry(make_app, library):
    """Enter on Read shows the read papers, on All all of them; a click on a topic
    highlights and picks it."""
    with Library(library) as lib:
        topic_papers = len(Search(lib).run(Query.parse("topic:quantization")))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        facets.focus()
        facets.highlight("is:read")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.sub_title.startswith("read — ")
        facets.highlight("all")
        await pilot.press("enter")
        await settle(pilot)
        line = facets.prompts.index(facets.prompt("topic:quantization"))
        await pilot.click(Facets, offset=(4, 1 + line))
        await settle(pilot)
        assert facets.highlighted_id == "topic:quantization"
        assert app.screen.sub_title == f"Quantization — {topic_papers} papers"


async def test_clicking_a_heading_does_nothing(make_app):
    """A heading cannot be picked: clicking it leaves the view and the cursor alone."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        before = app.screen.sub_title
        await pilot.click(Facets, offset=(4, 1 + facets.prompts.index("Reading")))
        await settle(pilot)
        assert facets.highlighted is None
        assert app.screen.sub_title == before


async def test_highlight_stays_on_its_entry_when_a_list_appears(make_app, library):
    """Creating a list adds a sidebar line above the topics; the cursor stays on the topic."""
    with Library(library) as lib:
        apply(lib, AddToList("old list", (Search(lib).run(Query())[0],)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        facets.focus()
        facets.highlight("topic:quantization")
        line = facets.highlighted
        await pilot.press("b", *"new list", "enter")
        await settle(pilot)
        assert str(Term("list", "new list")) in facets.entry_ids
        assert facets.highlighted_id == "topic:quantization"
        assert facets.highlighted != line


async def test_names_are_shown_as_written(make_app, library):
    """A list name that looks like markup is drawn as typed, next to its counts."""
    with Library(library) as lib:
        first = Search(lib).run(Query())[0]
        apply(lib, AddToList("[b]bold[/b] \\[x]", (first,)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        lines = painted(app.screen.query_one(Facets))
        assert any(line.split() == ["[b]bold[/b]", "\\[x]", "1/1"] for line in lines)
