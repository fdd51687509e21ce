"""Filters and orders in the app: the cursor keeps its paper, sorts by key and palette,
and a word that names no filter is said while the text stays as typed."""

from __future__ import annotations

from tui_helpers import palette_offers, settle

from papershelf.library import Library
from papershelf.query import Query
from papershelf.search import Search
from tui.widgets.facets import Facets
from tui.widgets.paper_list import PaperList
from tui.widgets.search_box import SearchBox

SIZE = (140, 45)


def view(db, text: str) -> list[int]:
    with Library(db) as lib:
        return list(Search(lib).run(Query.parse(text)))


async def test_the_cursor_keeps_its_paper_across_filter_and_sort_changes(make_app, library):
    """A paper still in view stays under the cursor whatever the filter or order; one that
    left gives its place to the nearest paper below it that stayed."""
    everything = view(library, "")
    unread_after = set(view(library, "is:unread"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        await pilot.press(*"jjjjj")
        pk = papers.highlighted
        assert pk == everything[5]
        await pilot.press("S")
        await settle(pilot)
        assert "oldest first" in app.screen.sub_title
        assert papers.highlighted == pk and papers.cursor == view(library, "sort:oldest").index(pk)
        await pilot.press("S")
        await settle(pilot)
        assert "by title" in app.screen.sub_title
        assert papers.highlighted == pk
        await pilot.press("space", "u")
        await settle(pilot)
        assert pk not in unread_after - {pk} and app.screen.view.describe().startswith("unread")
        by_title = view(library, "sort:title")
        below = by_title[by_title.index(pk) + 1 :]
        assert papers.highlighted == next(p for p in below if p in unread_after)


async def test_an_unknown_word_is_said_and_the_text_stays(make_app, library):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"topic:quant")
        await settle(pilot)
        await pilot.pause(0.8)
        box = app.screen.query_one(SearchBox)
        assert box.value == "topic:quant"
        assert app.notes[-1] == (
            "unknown topic 'topic:quant'; did you mean quantization, agents?",
            "warning",
        )
        assert app.screen.sub_title.startswith("unknown topic 'topic:quant'")
        await pilot.press(*"ization")
        await settle(pilot)
        assert app.screen.sub_title.startswith("Quantization — ")


async def test_the_palette_offers_imports_sorts_and_negations_stay_typed(make_app, library):
    """`Imported: latest` and `Sort: by title` come from the filter table; a negation
    typed in the box narrows the sidebar's counts."""
    latest = view(library, "imported:latest")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"imported: latest")
        await palette_offers(pilot, "Imported: latest")
        await pilot.press("enter")
        await settle(pilot)
        assert list(app.screen.query_one(PaperList).pks) == latest
        facets = app.screen.query_one(Facets)
        newest_day = next(e for e in facets.entry_ids if e.startswith("imported:"))
        assert facets.prompt(newest_day).startswith("✓ ")
        await pilot.press("ctrl+p", *"sort: by title")
        await palette_offers(pilot, "Sort: by title")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.view.sort == "title"
        await pilot.press("slash", *"-is:starred")
        await settle(pilot)
        assert str(app.screen.view) == "imported:latest -is:starred sort:title"


async def test_triage_mode_follows_the_unread_view_and_can_be_turned_off(make_app, library):
    """In the unread view s moves on; with triage off from the palette it stays put; in
    the all-papers view it stays put by default."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        first = papers.highlighted
        await pilot.press("s")
        await settle(pilot)
        assert papers.highlighted == first
        await pilot.press("u")
        await settle(pilot)
        unread = list(papers.pks)
        at = papers.cursor
        await pilot.press("s")
        await settle(pilot)
        assert papers.highlighted == unread[at + 1]
        await pilot.press("ctrl+p", *"triage mode")
        await palette_offers(pilot, "Triage mode")
        await pilot.press("enter")
        await settle(pilot)
        assert app.notes[-1][0].startswith("Triage off")
        here = papers.highlighted
        await pilot.press("s")
        await settle(pilot)
        assert papers.highlighted == here
