"""Search as you type: time from a keystroke to the updated result list, facet counts included.

Two measurements over the same keystrokes (the ranking queries typed one character at a
time, the box cleared between queries):

- `tui`: the real app under Textual's Pilot (headless, 140x45). The clock runs from
  handing the key to the app's driver until the app renders the first screen update
  after its screen took the results for the box's new text (the search ran in its
  worker thread with counts, the list and facets were updated).
- `engine`: what the app's search worker does per keystroke (`tui.jobs.search_view`: run,
  counts, untopiced count) called directly, to separate engine time from UI time.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from papershelf.query import Query
from papershelf.search import TYPING_BUDGET_S, Search
from papershelf.shelf import open_shelf
from tui.app import PapershelfApp  # before Textual: the app sets its frame rate
from tui.jobs import search_view

KEYS = {" ": "space", "-": "minus"}
SIZE = (140, 45)


def engine(db: Path, texts: list[str]) -> list[float]:
    """Seconds per keystroke of run + counts + untopiced count on a fresh `Search`."""
    times: list[float] = []
    with open_shelf(db) as shelf:
        search = Search(shelf.lib, budget=TYPING_BUDGET_S)
        search.run(Query())
        for text in texts:
            for end in range(1, len(text) + 1):
                start = time.perf_counter()
                search_view(search, Query.parse(text[:end]))
                times.append(time.perf_counter() - start)
    return times


async def until(condition: Callable[[], object], timeout: float = 60.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not show the results in time")
        await asyncio.sleep(0.0005)


async def typed(db: Path, texts: list[str], settings: Path) -> list[float]:
    """Send each key as the terminal driver would, then wait for the paint that shows it.

    Pilot's own `press` waits for the whole process to look idle (at least 40 ms per key),
    so it cannot time a keystroke. Here the clock stops at the first screen update the
    app renders after the screen took the search results for the new text.
    """
    from textual import events

    from tui.screens.main import MainScreen
    from tui.view import Results
    from tui.widgets.paper_list import PaperList
    from tui.widgets.search_box import SearchBox

    times: list[float] = []
    painted: list[float] = [0.0]
    applied: list[float] = [0.0]
    app = PapershelfApp(db, settings_path=settings)
    display = app._display

    def paint(screen: object, renderable: object) -> None:
        display(screen, renderable)  # type: ignore[arg-type]
        if renderable is not None:
            painted.append(time.perf_counter())

    app._display = paint  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: isinstance(app.screen, MainScreen) and app.screen.results)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        show_results = screen.show_results

        def show(results: Results) -> None:
            show_results(results)
            applied.append(time.perf_counter())

        screen.show_results = show  # type: ignore[method-assign]
        box = screen.query_one(SearchBox)
        papers = screen.query_one(PaperList)

        def showing(text: str) -> bool:
            results = screen.results
            return (
                screen.search_text == text
                and results is not None
                and results.query == screen.view
                and papers.results is results
            )

        for text in texts:
            box.value = ""
            await until(lambda: showing(""))
            box.focus()
            await pilot.pause()
            for end, char in enumerate(text, 1):
                start = time.perf_counter()
                app._driver.send_message(events.Key(KEYS.get(char, char), char))
                await until(lambda: showing(text[:end]))  # noqa: B023
                await until(lambda: painted[-1] > max(applied[-1], start))  # noqa: B023
                times.append(painted[-1] - start)
    return times


def tui(db: Path, texts: list[str], settings: Path) -> list[float]:
    """Seconds per keystroke in the real app, driven by Pilot."""
    return asyncio.run(typed(db, texts, settings))
