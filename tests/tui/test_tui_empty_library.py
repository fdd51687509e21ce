"""An empty library says how to fill it, not only "No papers match this view."."""

from __future__ import annotations

from tui_helpers import settle

from papershelf.shelf import open_shelf
from tui.widgets.paper_list import PaperList


async def test_an_empty_library_offers_every_way_in(make_app, tmp_path):
    db = tmp_path / "empty.db"
    open_shelf(db).close()
    inbox = tmp_path / "inbox"
    app = make_app(db, inbox=inbox)
    async with app.run_test(size=(180, 36)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        shown = "\n".join(papers.render_line(y).text for y in range(papers.size.height))
    assert "No papers match" not in shown
    assert "i  import" in shown
    assert str(inbox) in shown
    assert "papershelf import PATH" in shown and "papershelf fetch" in shown


async def test_a_view_that_matches_nothing_still_says_so(make_app):
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"zzqqxxvv")
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        assert papers.render_line(0).text.strip() == "No papers match this view."
