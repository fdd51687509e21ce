"""Whatever is typed or pasted into a search, it answers without crashing or writing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile import PAYLOADS, digest, forbidden
from rendered import screen_text, settle
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from papershelf.filters import QueryError
from papershelf.query import Query
from papershelf.shelf import open_shelf
from tui.app import PapershelfApp

INPUTS = {
    "empty": "",
    "spaces": "   \t  ",
    "ten-kb-one-word": "x" * 10_240,
    "ten-kb-words": "lantern " * 1_280,
    "two-thousand-words": " ".join(f"w{i}" for i in range(2_000)),
    "accented-5k": "é" * 5_000,
    "fts-quote": '"',
    "fts-unterminated": '"unterminated phrase',
    "fts-operators": "a AND OR NOT b",
    "fts-near": "NEAR(attention heads, 3)",
    "fts-column": "title:lantern",
    "fts-column-set": "{title abstract}:lantern",
    "fts-caret": "^lantern",
    "fts-star": "*",
    "fts-prefix": "lant*",
    "fts-minus": "-lantern",
    "regex-metacharacters": r".*+?()[]{}|\^$",
    "regex-catastrophic": "(a+)+$" + "a" * 40,
    "sql-injection": "'; DROP TABLE papers; --",
    "sql-comment": "lantern /* x */ --",
    "percent-underscore": "%_%",
    "backslashes": "\\\\\\",
    "nul": "lantern\x00heads",
    "lone-surrogate": "\ud800",
    "bidi": "\u202elantern",
    "zero-width": "lan\u200btern",
    "emoji": "😀" * 100,
    "combining": "a\u0301" * 100,
    "fullwidth": "ＬＡＮＴＥＲＮ",
    "filter-empty-topic": "topic:",
    "filter-empty-is": "is:",
    "filter-unknown": "is:bogus has:nothing no:thing",
    "filter-unterminated-list": 'list:"unterminated',
    "filter-markup-topic": "topic:[/]",
    "filter-huge-list": "list:" + "x" * 10_000,
    "number-overflow": "1e9999 99999999999999999999999",
    **{f"payload-{name}": payload.raw for name, payload in PAYLOADS.items()},
}


REFUSED = {
    *("fts-column", "filter-unknown", "filter-markup-topic"),
    *("filter-huge-list", "filter-unterminated-list"),
}
"""Inputs with a `key:value` word that names no filter, topic or list: refused in one line."""


@pytest.mark.parametrize("text", INPUTS.values(), ids=INPUTS)
def test_search_engine_survives_any_query(text: str, stocked: Path, tmp_path: Path) -> None:
    """The search and the sidebar counts answer any query with a list of papers, or refuse
    a word that names no filter with one line naming it; the library is left unchanged."""
    before = digest(stocked)
    name = next(key for key, value in INPUTS.items() if value == text)
    with open_shelf(stocked, topics_path=tmp_path / "none.toml") as shelf:
        try:
            query = Query.parse(text)
            found = shelf.search.run(query)
        except QueryError as error:
            assert name in REFUSED, error
            assert "\n" not in str(error) and str(error).startswith("unknown ")
        else:
            assert name not in REFUSED
            counts = shelf.search.counts(query, found)
            assert all(isinstance(pk, int) for pk in found)
            assert counts.total == len(found)
            assert query.describe() is not None
    assert digest(stocked) == before


# What an argv can carry: no NUL, no lone surrogate.
ARGV_SAFE = {k: v for k, v in INPUTS.items() if "\x00" not in v and "\ud800" not in v}


@pytest.mark.parametrize("text", ARGV_SAFE.values(), ids=ARGV_SAFE)
def test_cli_search_survives_any_query(text: str, stocked: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """`papershelf search QUERY` exits 0 for any query and prints nothing unsafe; a word
    that names no filter exits 1 with one line naming it."""
    name = next(key for key, value in ARGV_SAFE.items() if value == text)
    result = run_cli("search", "--", text)
    if name in REFUSED:
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("papershelf: unknown ")
        assert result.stderr.count("\n") == 1
    else:
        assert result.exit_code == 0, result.stderr
    assert forbidden(result.output + result.stderr) == []


PASTED = {
    "markup": "[/] [bold]x[/bold] [@click=app.quit] [link=file:///etc/passwd]x[/link] [MASK]",
    "fts-and-regex": '"NEAR(a* ^b) .*+?()[]{}|\\^$',
    "ten-kb": "lantern " * 1_280,
}
ESCAPES = "\x1b]52;c;SGk=\x07\x1b[2J\x9b31m\u202elantern"


async def paste_and_search(app: PapershelfApp, pilot: Pilot[None], text: str) -> None:
    """Paste `text` into an emptied search box and wait for its results."""
    await pilot.press("slash")
    box = app.screen.query_one("#search", Input)
    box.value = ""
    box.post_message(events.Paste(text))
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


async def test_search_box_takes_pasted_hostile_text(stocked: Path) -> None:
    """Pasting markup, search syntax or 10 KB into the app's search box runs a search and
    describes it literally in the header, with nothing unsafe on screen."""
    app = PapershelfApp(stocked)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        for name, text in PASTED.items():
            await paste_and_search(app, pilot, text)
            assert app.is_running, name
            assert app.screen.sub_title.endswith(("papers", "paper")), name
            assert forbidden(screen_text(app)) == [], name
            if name == "markup":
                assert app.screen.sub_title.startswith(f'"{text}" — ')


async def test_search_box_drops_pasted_control_characters(stocked: Path) -> None:
    """Pasted escape sequences, C1 codes and bidi overrides never reach the screen."""
    app = PapershelfApp(stocked)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await settle(pilot)
        await paste_and_search(app, pilot, ESCAPES)
        assert forbidden(str(app.screen.sub_title)) == []
        assert forbidden(screen_text(app)) == []
