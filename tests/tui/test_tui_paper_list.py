"""The paper list stays light however many papers match: it fetches only rows in view."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App, ComposeResult
from tui_helpers import settle

from papershelf.library import PaperRow
from papershelf.query import Query
from tui.view import Results
from tui.widgets.paper_list import PaperList

RESULTS = 200_000


class ListApp(App[None]):
    """Just the list, over synthetic rows, counting every row it asks for."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[int] = []

    def fetch(self, pks: Sequence[int]) -> list[PaperRow]:
        self.fetched.extend(pks)
        return [
            PaperRow(pk, f"id{pk}", f"Paper number {pk}", pk % 3 == 0, False, False) for pk in pks
        ]

    def compose(self) -> ComposeResult:
        yield PaperList(self.fetch)


async def test_first_paint_of_200k_results_fetches_only_the_visible_rows():
    """Showing 200,000 results asks the library for the rows on screen and no more."""
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        papers.results = Results(Query(), range(RESULTS))
        await settle(pilot)
        height = papers.scrollable_content_region.height
        assert 0 < len(app.fetched) <= height
        assert papers.render_line(0).text.strip().endswith("Paper number 0")
        assert papers.virtual_size.height == RESULTS


async def test_jumping_to_the_end_fetches_one_more_screenful():
    """End shows the last paper after fetching about a screen of rows, not 200,000."""
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        papers.results = Results(Query(), range(RESULTS))
        await settle(pilot)
        papers.focus()
        before = len(app.fetched)
        await pilot.press("end")
        await settle(pilot)
        height = papers.scrollable_content_region.height
        assert len(app.fetched) - before <= height
        assert papers.highlighted == RESULTS - 1
        last = papers.render_line(height - 1).text.strip()
        assert last.endswith(f"Paper number {RESULTS - 1}")


async def test_scrolling_a_line_fetches_a_line():
    """Moving past the bottom edge fetches just the row that scrolls into view."""
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        papers.results = Results(Query(), range(RESULTS))
        await settle(pilot)
        papers.focus()
        height = papers.scrollable_content_region.height
        await pilot.press(*["down"] * (height - 1))
        await settle(pilot)
        before = len(app.fetched)
        await pilot.press("down")
        await settle(pilot)
        assert app.fetched[before:] == [height]


async def test_an_empty_view_says_so():
    """No results show a one-line explanation instead of a blank pane."""
    app = ListApp()
    async with app.run_test(size=(80, 24)) as pilot:
        papers = app.query_one(PaperList)
        papers.results = Results(Query(text="nothing"), [])
        await settle(pilot)
        assert papers.render_line(0).text.strip() == "No papers match this view."
        assert papers.highlighted is None
