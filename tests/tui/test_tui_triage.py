"""A reader's day on the real dumps, imported one file a day: what is new, triaged in about
one key a paper, from the app and from the command line."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from tui_helpers import RecordingApp, settle

from papershelf.cli import cli
from papershelf.lists import AddToList, members
from papershelf.query import Query
from papershelf.shelf import open_shelf
from papershelf.undo import apply
from tui.widgets.facets import Facets
from tui.widgets.paper_list import PaperList

DUMPS = Path(__file__).resolve().parents[2].parent / "shared" / "dumps"
STAR_AT = {3, 17, 30, 52, 71}
LIST_AT = {8, 25, 44, 60, 85}
"""Positions, in the day's new papers, of those the reader stars or puts on the list."""


@pytest.fixture(scope="module")
def daily_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The four real dumps, one imported each day, and a "to read" list from before."""
    files = sorted(DUMPS.glob("*.txt"))
    if len(files) != 4:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DUMPS} must hold the four real dumps in CI")
        pytest.skip(f"real dumps not found at {DUMPS}")
    folder = tmp_path_factory.mktemp("daily")
    db = folder / "library.db"
    with open_shelf(db, topics_path=folder / "none.toml") as shelf:
        for day, path in enumerate(files, start=11):
            shelf.import_file(path)
            with shelf.lib.write() as conn:
                conn.execute(
                    "UPDATE sources SET imported_at = ? WHERE id = (SELECT max(id) FROM sources)",
                    (f"2026-03-{day}T07:30:00Z",),
                )
        apply(shelf.lib, AddToList("to read", (shelf.search.run(Query.parse("sort:oldest"))[0],)))
    return db


@pytest.fixture
def daily(daily_template: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "library.db"
    source = sqlite3.connect(daily_template)
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    target.close()
    return copy


def new_in_last_file(db: Path) -> list[str]:
    """The ids of the papers the last file brought, read straight from the tables."""
    conn = sqlite3.connect(db)
    try:
        return [
            paper_id
            for (paper_id,) in conn.execute(
                "SELECT p.id FROM papers p WHERE (SELECT min(source) FROM paper_sources "
                "WHERE paper = p.pk) = (SELECT max(id) FROM sources) ORDER BY p.pk"
            )
        ]
    finally:
        conn.close()


def test_search_imported_latest_is_exactly_the_last_files_new_papers(daily: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(daily), "search", "imported:latest", "--json", "--limit", "5000"]
    )
    assert result.exit_code == 0, result.stderr
    found = [paper["id"] for paper in json.loads(result.stdout)]
    expected = new_in_last_file(daily)
    assert len(expected) == 90
    assert found == expected


def test_mark_read_by_query_spares_the_starred(daily: Path) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--db", str(daily), *args])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    starred = new_in_last_file(daily)[:2]
    run("mark", "star", *starred)
    said = run("mark", "read", "--query", "imported:latest -is:starred")
    assert said == "marked 88 of 88 papers read\n"
    left = json.loads(run("search", "imported:latest", "is:unread", "--json"))
    assert sorted(paper["id"] for paper in left) == sorted(starred)


async def test_imports_section_lists_each_day_newest_first_with_counts(daily: Path) -> None:
    conn = sqlite3.connect(daily)
    new = [n for (n,) in conn.execute("SELECT new FROM sources ORDER BY id DESC")]
    conn.close()
    app = RecordingApp(daily)
    async with app.run_test(size=(140, 60)) as pilot:
        await settle(pilot)
        facets = app.screen.query_one(Facets)
        days = [entry for entry in facets.entry_ids if entry.startswith("imported:")]
        assert days == [f"imported:2026-03-{day}" for day in (14, 13, 12, 11)]
        counts = [facets.prompt(day).split()[-1] for day in days]
        assert counts == [f"{n}/{n}" for n in new]
        assert facets.prompt(days[0]).split()[-1] == "90/90"


async def test_a_90_paper_triage_takes_at_most_1_1_keys_a_paper(daily: Path) -> None:
    """N shows the day's new papers; Space reads and moves on, s stars and moves on, b
    offers the list used last (Enter adds it) and moves on: about one key a paper."""
    app = RecordingApp(daily)
    keys = 0
    async with app.run_test(size=(140, 45)) as pilot:

        async def press(*sequence: str) -> None:
            nonlocal keys
            for key in sequence:
                keys += 1
                await pilot.press(key)
                await settle(pilot)

        await settle(pilot)
        await press("N")
        papers = app.screen.query_one(PaperList)
        day = list(papers.pks)
        assert len(day) == 90
        first_list = True
        for position, pk in enumerate(day):
            assert papers.highlighted == pk, position
            if position in STAR_AT:
                await press("s")
            elif position in LIST_AT and first_list:
                await press("b", "t", "right", "enter")
                first_list = False
            elif position in LIST_AT:
                await press("b", "enter")
            else:
                await press("space")
        await settle(pilot)
    assert keys == 1 + 90 + 3 + 4, keys
    assert keys <= 1.1 * 90
    with open_shelf(daily, topics_path=daily.parent / "none.toml") as shelf:

        def state(text: str) -> set[int]:
            return set(shelf.search.run(Query.parse(text)))

        kept = {day[i] for i in STAR_AT | LIST_AT}
        assert state("imported:latest is:unread") == kept
        assert state("imported:latest is:starred") == {day[i] for i in STAR_AT}
        assert {day[i] for i in LIST_AT} <= set(members(shelf.lib, "to read"))
