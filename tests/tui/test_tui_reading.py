"""Searching, moving through the list, reading state and backing out, driven by keys."""

from __future__ import annotations

from pathlib import Path

from factories import numbered_papers, write_dump
from tui_helpers import detail_text, list_lines, settle

from papershelf.library import Library
from papershelf.query import Query
from papershelf.search import Search
from papershelf.shelf import open_shelf
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList
from tui.widgets.search_box import SearchBox


def fresh(db: Path, query: Query | None = None) -> tuple[list[int], list[str]]:
    """The view's pks and titles as a new connection sees the library."""
    with Library(db) as lib:
        pks = Search(lib).run(query or Query())
        return pks, [row.title for row in lib.rows(pks)]


async def test_search_updates_list_and_subtitle_as_you_type(make_app, library):
    """Typing in the search box shows the matching papers and the count in the header."""
    pks, titles = fresh(library, Query.parse("kv cache"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kv cache")
        await settle(pilot)
        assert app.screen.sub_title == f'"kv cache" — {len(pks)} papers'
        assert titles[0][:40] in list_lines(app)[0]
        assert isinstance(app.focused, SearchBox)
        await pilot.press("enter")
        assert isinstance(app.focused, PaperList)


async def test_a_search_cut_off_while_typing_is_completed_after_a_pause(
    make_app, tmp_path, monkeypatch
):
    """When the keystroke budget cuts a common word off, the header says "+"; a pause in
    the typing searches it in whole, and the exact count and every paper appear."""
    monkeypatch.setattr("tui.app.TYPING_BUDGET_S", 0.0)
    db = tmp_path / "many.db"
    with open_shelf(db, topics_path=tmp_path / "none.toml") as shelf:
        shelf.import_file(write_dump(tmp_path, "many.txt", papers=numbered_papers(600)))
    app = make_app(db)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"lantern")
        await settle(pilot)
        assert app.screen.sub_title == '"lantern" — 600 papers'
        assert len(app.screen.query_one(PaperList).pks) == 600
        assert isinstance(app.focused, SearchBox)


async def test_down_in_the_search_box_moves_into_the_list(make_app):
    """Down, like Enter, leaves the search box for the list."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "k", "v", "down")
        assert isinstance(app.focused, PaperList)


async def test_the_latest_query_wins(make_app, library):
    """Typing fast and deleting shows the results of what the box finally says."""
    pks, _ = fresh(library, Query.parse("adapter"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"quant", *["backspace"] * 5, *"adapter")
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        assert papers.results is not None
        assert papers.results.query.text == "adapter"
        assert list(papers.pks) == pks


async def test_the_detail_waits_while_the_reader_types(make_app, library, monkeypatch):
    """While the reader types, the detail keeps its paper; leaving the box shows the
    first hit at once."""
    monkeypatch.setattr("tui.screens.main.DETAIL_AFTER_TYPING", 60.0)
    _, titles = fresh(library)
    _, hits = fresh(library, Query.parse("kv cache"))
    assert hits[0] != titles[0]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kv cache")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert hits[0][:40] in list_lines(app)[0]
        assert detail_text(app).startswith(titles[0])
        await pilot.press("enter")
        assert detail_text(app).startswith(hits[0])


async def test_the_detail_follows_a_search_once_typing_pauses(make_app, library):
    """A pause in the typing shows the first hit in the detail, the box keeping focus."""
    _, hits = fresh(library, Query.parse("kv cache"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"kv cache")
        await settle(pilot)
        assert isinstance(app.focused, SearchBox)
        assert detail_text(app).startswith(hits[0])


async def test_keys_move_the_highlight_and_the_detail_follows(make_app, library):
    """j/k and the arrows move the highlight; the detail shows the highlighted paper."""
    _, titles = fresh(library)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert detail_text(app).startswith(titles[0])
        await pilot.press("j")
        assert detail_text(app).startswith(titles[1])
        await pilot.press("down", "down")
        assert detail_text(app).startswith(titles[3])
        await pilot.press("k", "up")
        assert detail_text(app).startswith(titles[1])
        await pilot.press("end")
        assert detail_text(app).startswith(titles[-1])
        await pilot.press("home")
        assert detail_text(app).startswith(titles[0])


async def test_enter_opens_the_detail_and_escape_comes_back(make_app):
    """Enter puts the reader in the detail; Esc returns to the list."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert isinstance(app.focused, PaperDetail)
        await pilot.press("escape")
        assert isinstance(app.focused, PaperList)


async def test_on_a_small_terminal_the_detail_opens_full_screen(make_app):
    """At 80x24 Enter shows the detail maximised and Esc restores the three panes."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert isinstance(app.screen.maximized, PaperDetail)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.maximized is None
        assert isinstance(app.focused, PaperList)


async def test_escape_backs_out_one_level_at_a_time(make_app, library):
    """Esc leaves the search box, then clears the text, then clears the filters."""
    all_pks, _ = fresh(library)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("u", "slash", *"cache")
        await settle(pilot)
        assert app.screen.sub_title.startswith('unread · "cache"')
        await pilot.press("escape")
        assert isinstance(app.focused, PaperList)
        assert app.screen.query_one(SearchBox).value == "cache"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one(SearchBox).value == ""
        assert app.screen.sub_title == f"unread — {len(all_pks)} papers"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.sub_title == f"all papers — {len(all_pks)} papers"


async def test_space_marks_read_and_unread_in_the_library(make_app, library):
    """Space marks the highlighted paper read (stored), and Space again unread."""
    pks, _ = fresh(library)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert list_lines(app)[0].lstrip().startswith("●")
        await pilot.press("space")
        await settle(pilot)
        with Library(library) as lib:
            assert lib.paper(pks[0]).read
        assert not list_lines(app)[0].lstrip().startswith("●")
        assert "read · " in detail_text(app) and "unread" not in detail_text(app)
        await pilot.press("space")
        await settle(pilot)
        with Library(library) as lib:
            assert not lib.paper(pks[0]).read


async def test_s_stars_the_paper(make_app, library):
    """s stars the highlighted paper in the library and shows a star in its row."""
    pks, _ = fresh(library)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j", "s")
        await settle(pilot)
        with Library(library) as lib:
            assert lib.paper(pks[1]).starred
            assert not lib.paper(pks[0]).starred
        assert "★" in list_lines(app)[1]
        await pilot.press("s")
        await settle(pilot)
        with Library(library) as lib:
            assert not lib.paper(pks[1]).starred


async def test_n_jumps_to_the_next_unread_paper(make_app, library):
    """n skips the papers already read."""
    _, titles = fresh(library)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("j", "space", "j", "space", "home", "n")
        await settle(pilot)
        assert detail_text(app).startswith(titles[3])


async def test_reading_state_keys_filter_the_view(make_app, library):
    """u cycles unread, read and all; r shows read, a all, * starred papers."""
    all_pks, _ = fresh(library)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("space", "j", "s")
        await settle(pilot)
        n = len(all_pks)
        expected = [
            ("u", f"unread — {n - 1} papers"),
            ("u", "read — 1 paper"),
            ("u", f"all papers — {n} papers"),
            ("r", "read — 1 paper"),
            ("a", f"all papers — {n} papers"),
            ("asterisk", "starred — 1 paper"),
            ("asterisk", f"all papers — {n} papers"),
        ]
        for key, subtitle in expected:
            await pilot.press(key)
            await settle(pilot)
            assert app.screen.sub_title == subtitle, key


async def test_f_clears_the_filters_but_keeps_the_search_text(make_app):
    """f turns every filter off and leaves what was typed."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("u", "asterisk", "slash", *"cache", "enter", "f")
        await settle(pilot)
        assert app.screen.sub_title.startswith('"cache" — ')
        assert app.screen.query_one(SearchBox).value == "cache"


async def test_a_search_resizes_the_scroll_range_of_a_long_list(make_app, library):
    """Narrowing a list that still overflows the view scrolls over the new results only:
    its scrollbar spans them and End lands on the last one."""
    pks, titles = fresh(library, Query.parse("model"))
    app = make_app()
    async with app.run_test(size=(120, 14)) as pilot:
        await settle(pilot)
        papers = app.screen.query_one(PaperList)
        height = papers.scrollable_content_region.height
        assert len(fresh(library)[0]) > len(pks) > height
        await pilot.press("slash", *"model")
        await settle(pilot)
        assert papers.vertical_scrollbar.window_virtual_size == len(pks)
        assert papers.max_scroll_y == len(pks) - height
        await pilot.press("enter", "end")
        assert titles[-1][:40] in list_lines(app)[-1]
