"""More like this (m), not interested (x) and the for-you order in the real app."""

from __future__ import annotations

from textual.widgets import OptionList
from tui_helpers import detail_text, settle

from papershelf.library import Library
from papershelf.query import Query
from papershelf.search import Search
from papershelf.undo import Star, apply
from tui.screens.main import MainScreen
from tui.screens.similar import SimilarScreen
from tui.widgets.paper_list import PaperList


def ranked(db, text: str) -> list[int]:
    with Library(db) as lib:
        return list(Search(lib).run(Query.parse(text)))


def not_interested(db) -> list[int]:
    with Library(db) as lib:
        return [pk for (pk,) in lib.conn.execute("SELECT paper FROM not_interested")]


async def test_m_lists_the_papers_like_the_highlighted_one_and_esc_returns(make_app, library):
    """m opens a view of the nearest papers, each with the words it shares; the detail
    beside it shows the highlighted one with those words; m goes on from there, and Esc
    goes back one view at a time to the list, cursor where it was."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        start = app.screen.query_one(PaperList).highlighted
        await pilot.press("m")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SimilarScreen) and screen.pk == start
        options = screen.query_one(OptionList)
        assert options.option_count == len(screen.matches) > 0
        assert start not in [m.pk for m in screen.matches]
        first = screen.matches[0]
        assert first.terms and ", ".join(first.terms) in str(options.get_option_at_index(0).prompt)
        shown = detail_text(app)
        assert f"Shares: {', '.join(first.terms)}" in shown
        with Library(library) as lib:
            assert lib.paper(first.pk).title in shown
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, SimilarScreen) and app.screen.pk == first.pk
        await pilot.press("escape")
        assert app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one(PaperList).highlighted == start


async def test_x_leaves_the_unread_view_and_z_takes_it_back(make_app, library):
    """In the unread view x hides the paper (stored, said), the cursor stays in the list,
    and z brings the paper back."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        pk = papers.highlighted
        count = len(papers.pks)
        await pilot.press("x")
        await settle(pilot)
        assert app.said("Marked 1 paper not interested; z takes it back.")
        assert not_interested(library) == [pk]
        assert pk not in papers.pks and len(papers.pks) == count - 1
        await pilot.press("z")
        await settle(pilot)
        assert not_interested(library) == []
        assert pk in papers.pks


async def test_for_you_ranks_by_the_stars_and_the_detail_names_the_words(make_app, library):
    """Sorted for you, the words are counted in the background (said); with no signal the
    detail says the order is newest first; after a star (s) the list is re-ranked as the
    core ranks it, and the detail names the words behind the highlighted paper's place."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.screen.filters = Query.parse("is:unread sort:for-you")
        await settle(pilot)
        assert app.said("Counting the words of")
        assert "For you: nothing starred, listed, read or marked not interested" in detail_text(app)
        assert list(app.screen.query_one(PaperList).pks) == ranked(library, "is:unread")
        starred = app.screen.query_one(PaperList).highlighted
        await pilot.press("s")
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        expected = ranked(library, "is:unread sort:for-you")
        assert list(papers.pks) == expected and expected[-1] == starred
        papers.move_to(0)
        await settle(pilot)
        with Library(library) as lib:
            reasons = Search(lib).recommender.reasons(expected[0])
        assert reasons and f"For you: {', '.join(reasons)}" in detail_text(app)


async def test_a_star_made_elsewhere_reranks_the_for_you_view(make_app, library):
    """The ranking reads the stars afresh: one made by the CLI shows after a refresh."""
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        app.screen.filters = Query.parse("sort:for-you")
        await settle(pilot)
        before = list(app.screen.query_one(PaperList).pks)
        with Library(library) as lib:
            apply(lib, Star((before[-1],)))
        app.screen.refresh_results()
        await settle(pilot)
        after = list(app.screen.query_one(PaperList).pks)
        assert after != before and after[-1] == before[-1]
