"""A layout that degrades on purpose: the footer, the sidebar, the help table and the titles
at 80x24 and 120x36."""

from __future__ import annotations

import tomllib

from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static
from textual.widgets._footer import FooterKey
from tui_helpers import settle

from papershelf.paths import app_config_path
from tui.screens.help import HelpScreen
from tui.widgets.facets import Facets
from tui.widgets.key_footer import KeyFooter
from tui.widgets.paper_list import PaperList

SMALL, MEDIUM = (80, 24), (120, 36)


def painted(widget: Widget) -> list[str]:
    return [strip.text for strip in widget.render_lines(Region(0, 0, *widget.outer_size))]


def footer_actions(app) -> set[str]:
    """The footer keys drawn whole inside the terminal."""
    width = app.size.width
    return {
        key.action
        for key in app.screen.query_one(KeyFooter).query(FooterKey)
        if key.display and key.region.width and key.region.right <= width
    }


async def test_a_narrow_footer_keeps_help_and_quit(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert {"help", "quit", "focus_search", "toggle_read"} <= footer_actions(app)
        keys = [key for key in app.screen.query(FooterKey) if key.display]
        assert max(key.region.right for key in keys) <= SMALL[0]


async def test_a_wide_footer_shows_every_footer_key(make_app):
    app = make_app()
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot)
        assert {"help", "quit", "copy_code", "export", "toggle_star"} <= footer_actions(app)


async def test_the_sidebar_collapses_when_narrow_and_h_brings_it_back_next_time(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        assert not facets.display or facets.region.width == 0
        await pilot.press("h")
        await pilot.pause()
        assert facets.region.width > 0
    saved = tomllib.loads(app_config_path().read_text(encoding="utf-8"))
    assert saved["sidebar"] == "shown"
    again = make_app()
    async with again.run_test(size=SMALL) as pilot:
        await settle(pilot)
        assert again.screen.query_one(Facets).region.width > 0


async def test_h_hides_the_sidebar_at_any_width_and_the_focus_leaves_it(make_app):
    app = make_app()
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        facets.focus()
        await pilot.press("h")
        await pilot.pause()
        assert facets.region.width == 0
        assert isinstance(app.focused, PaperList)
        await pilot.press("h")
        await pilot.pause()
        assert facets.region.width > 0


async def test_the_help_table_wraps_instead_of_squeezing_what_it_does(make_app):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.query(Static).first()
        assert any("Search as you type; Enter or" in line for line in painted(table))


async def test_titles_get_room_at_120_columns(make_app):
    app = make_app()
    async with app.run_test(size=MEDIUM) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        lines = painted(papers)
        assert any("FP4 All the Way Down: Training Transformers…" in line for line in lines)
