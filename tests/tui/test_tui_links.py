"""Copying and opening links: the code link, the link picker, the browser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from textual.widgets import Static
from tui_helpers import detail_text, highlight, settle

from papershelf.library import Library
from papershelf.models import Paper
from papershelf.query import Query
from papershelf.search import Search
from tui.screens.link_picker import LinkPicker


def first(db: Path, wanted: Callable[[Paper], bool]) -> tuple[int, Paper]:
    """The list position and paper of the first paper in library order that fits."""
    with Library(db) as lib:
        for index, pk in enumerate(Search(lib).run(Query())):
            paper = lib.paper(pk)
            if wanted(paper):
                return index, paper
    raise AssertionError("the sample has no such paper")


async def test_c_copies_the_code_link_and_says_how(make_app, library):
    """c puts the code link on the clipboard and the notification names it and the route."""
    index, paper = first(library, lambda p: p.code_url is not None)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        await pilot.press("c")
        assert app.clipboard == paper.code_url
        message, severity = app.notes[-1]
        assert severity == "information"
        assert "code link" in message and "OSC 52" in message and paper.code_url in message


async def test_c_on_a_paper_without_code_says_so(make_app, library):
    """A paper with no code link gets a warning and the clipboard is left alone."""
    index, _ = first(library, lambda p: p.code_url is None)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        await pilot.press("c")
        assert app.clipboard == ""
        assert app.notes[-1] == ("This paper has no code link.", "warning")


async def test_the_detail_numbers_links_and_names_mirror_hosts(make_app, library):
    """Links are numbered, and one written on a mirror shows the mirror it came from."""
    index, paper = first(library, lambda p: any(link.original for link in p.links))
    mirrored = next(link for link in paper.links if link.original)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        text = detail_text(app)
        assert " 1 " in text and mirrored.url in text
        assert "(via " in text and mirrored.original in text


async def test_a_digit_in_the_link_picker_copies_that_link(make_app, library):
    """l lists the links; pressing 2 copies the second one."""
    index, paper = first(library, lambda p: len(p.links) >= 2)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        await pilot.press("l")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("2")
        await pilot.pause()
        assert not isinstance(app.screen, LinkPicker)
        assert app.clipboard == paper.links[1].url
        assert app.said("link 2")


async def test_o_opens_the_code_link_in_the_browser(make_app, library):
    """o hands the paper's code link to the browser."""
    index, paper = first(library, lambda p: p.code_url is not None)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        await pilot.press("o")
        assert app.opened == [paper.code_url]


async def test_o_without_code_lets_the_reader_choose_a_link(make_app, library):
    """With no code link, o opens the picker and its o opens the highlighted link."""
    index, paper = first(library, lambda p: p.code_url is None and len(p.links) > 0)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        await pilot.press("o")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("o")
        await pilot.pause()
        assert app.opened == [paper.links[0].url]


async def test_a_paper_without_links_offers_title_searches(make_app, library):
    """l and o on a paper the dump gave no link offer its title searched on arXiv and on
    Hugging Face Papers, labelled as searches, with the title quoted into the URL."""
    index, paper = first(library, lambda p: not p.links)
    words = quote(paper.title, safe="")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        await pilot.press("l")
        assert isinstance(app.screen, LinkPicker)
        shown = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "search for this title" in shown
        assert [link.kind for link in app.screen.links] == ["search", "search"]
        await pilot.press("escape", "o")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("down", "o")
        await pilot.pause()
        assert app.opened == [f"https://huggingface.co/papers?q={words}"]
        await pilot.press("l", "1")
        await pilot.pause()
        assert app.clipboard == f"https://arxiv.org/search/?searchtype=title&query={words}"
