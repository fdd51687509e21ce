"""Keys that arrive together (a paste, fast typing over SSH) act as if typed one by one."""

from __future__ import annotations

from tui_helpers import burst, settle

from papershelf.library import Library
from papershelf.query import Query
from papershelf.search import Search
from tui.screens.topic_editor import TopicEditor
from tui.widgets.paper_list import PaperList
from tui.widgets.search_box import SearchBox


def view(db) -> tuple[list[int], list[str]]:
    with Library(db) as lib:
        pks = list(Search(lib).run(Query()))
        return pks, [row.title for row in lib.rows(pks)]


async def test_letters_right_after_slash_are_typed_into_the_search_box(make_app, library):
    """`/quantization` arriving in one burst is a search, not list commands (`t`, `u`, `n`)."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "/quantization")
        assert app.screen.query_one(SearchBox).value == "quantization"
        assert isinstance(app.focused, SearchBox)
        assert app.screen.sub_title.startswith('"quantization" — ')
        assert app.notes == []
    with Library(library) as lib:
        assert lib.stats()["read"] == 0


async def test_keys_after_enter_in_the_search_box_go_to_the_list(make_app, library):
    """`/kv cache⏎j ` in one burst searches, moves to the second hit and marks it read."""
    with Library(library) as lib:
        hits = list(Search(lib).run(Query.parse("kv cache")))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "/kv cache")
        await burst(pilot, "\rj ")
        assert app.screen.query_one(SearchBox).value == "kv cache"
        assert isinstance(app.focused, PaperList)
    with Library(library) as lib:
        assert [pk for pk in hits if lib.paper(pk).read] == [hits[1]]


async def test_keys_after_escape_in_the_search_box_go_to_the_list(make_app, library):
    """Esc and `s` in one burst, in the search box, star the highlighted paper and type
    no `s`."""
    with Library(library) as lib:
        first = Search(lib).run(Query.parse("adapter"))[0]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "/adapter")
        await burst(pilot, "\x1bs")
        assert app.screen.query_one(SearchBox).value == "adapter"
    with Library(library) as lib:
        assert lib.paper(first).starred


async def test_a_slash_typed_in_the_search_box_is_text(make_app):
    """`/` while searching is part of the search text."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"a/b")
        assert app.screen.query_one(SearchBox).value == "a/b"


async def test_a_key_after_n_acts_on_the_paper_n_lands_on(make_app, library):
    """`n` then `t` in one burst opens the topic editor for the next unread paper, the one
    the detail shows."""
    pks, titles = view(library)
    with Library(library) as lib:
        lib.set_read(pks[1:3])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "nt")
        assert isinstance(app.screen, TopicEditor)
        assert app.screen_stack[-2].paper.title == titles[3]
        assert app.screen.paper_title == titles[3]


async def test_space_after_n_marks_the_paper_n_lands_on(make_app, library):
    """`n` then Space in one burst marks the next unread paper read, not the one before."""
    pks, _ = view(library)
    with Library(library) as lib:
        lib.set_read(pks[1:3])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "n ")
    with Library(library) as lib:
        assert [pk for pk in pks[:5] if lib.paper(pk).read] == pks[1:4]


async def test_keys_wait_for_a_long_next_unread_search(make_app, library, monkeypatch):
    """When `n` has to look further than it does at once, `t` pressed after it still
    waits for the paper `n` finds."""
    monkeypatch.setattr("tui.screens.main.JUMP_AT_ONCE", 1)
    pks, titles = view(library)
    with Library(library) as lib:
        lib.set_read(pks[1:5])
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await burst(pilot, "nt")
        assert isinstance(app.screen, TopicEditor)
        assert app.screen.paper_title == titles[5]
        assert app.screen_stack[-2].paper.title == titles[5]
