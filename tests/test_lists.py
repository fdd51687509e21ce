"""Named reading lists: create, rename, delete, membership and counts, in the core and the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from factories import PAPERS, write_dump
from reader_state import list_names

from papershelf.cli import cli
from papershelf.lists import (
    AddToList,
    CreateList,
    DeleteList,
    ListError,
    RemoveFromList,
    RenameList,
    members,
    summaries,
)
from papershelf.query import Query
from papershelf.shelf import Shelf, open_shelf
from papershelf.undo import apply

Run = Callable[..., Result]


@pytest.fixture
def shelf(tmp_path: Path) -> Iterator[Shelf]:
    opened = open_shelf(tmp_path / "library.db")
    opened.import_file(write_dump(tmp_path, "a.txt"))
    yield opened
    opened.close()


@pytest.fixture
def pks(shelf: Shelf) -> list[int]:
    return shelf.search.run(Query())


@pytest.fixture
def run(tmp_path: Path) -> Run:
    db = tmp_path / "cli.db"

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)

    invoke("import", str(write_dump(tmp_path, "dump.txt")))
    return invoke


def ids(run: Run) -> list[str]:
    return [p["id"] for p in json.loads(run("search", "--json", "--limit", "50").output)]


def test_create_rename_delete_and_names_ignore_case(shelf: Shelf) -> None:
    """Lists are created, renamed and deleted by name; "to read" and "To Read" are one list."""
    apply(shelf.lib, CreateList("To Read"))
    with pytest.raises(ListError, match="a list named 'To Read' already exists"):
        apply(shelf.lib, CreateList("to read"))
    apply(shelf.lib, CreateList("Later"))
    with pytest.raises(ListError, match="a list named 'Later' already exists"):
        apply(shelf.lib, RenameList("to read", "later"))
    apply(shelf.lib, RenameList("to read", "Must Read"))
    assert list_names(shelf.lib) == ["Later", "Must Read"]
    apply(shelf.lib, RenameList("must read", "MUST READ"))
    apply(shelf.lib, DeleteList("later"))
    assert list_names(shelf.lib) == ["MUST READ"]
    with pytest.raises(ListError, match="no list named 'Later'"):
        apply(shelf.lib, DeleteList("Later"))


def test_empty_and_overlong_names_are_refused(shelf: Shelf) -> None:
    """A blank name or one over 100 characters is refused with a reason."""
    with pytest.raises(ListError, match="a list needs a name"):
        apply(shelf.lib, CreateList(" \t"))
    with pytest.raises(ListError, match="at most 100 characters"):
        apply(shelf.lib, CreateList("x" * 101))


def test_add_and_remove_one_or_many_report_what_changed(shelf: Shelf, pks: list[int]) -> None:
    """Adding papers already in a list or removing absent ones counts only real changes."""
    assert apply(shelf.lib, AddToList("Queue", (pks[0],))).changed == 1
    entry = apply(shelf.lib, AddToList("queue", tuple(pks)))
    assert entry.changed == len(pks) - 1
    assert entry.description == f'added {len(pks) - 1} papers to list "queue"'
    assert members(shelf.lib, "QUEUE")[0] == pks[0]
    assert sorted(members(shelf.lib, "Queue")) == sorted(pks)
    assert apply(shelf.lib, RemoveFromList("Queue", (pks[0], pks[1], pks[0]))).changed == 2
    assert apply(shelf.lib, RemoveFromList("Queue", (pks[0],))).changed == 0
    assert sorted(members(shelf.lib, "Queue")) == sorted(pks[2:])
    assert shelf.lib.paper(pks[2]).lists == ("Queue",)
    assert shelf.lib.count() == len(PAPERS)


def test_summaries_count_papers_and_unread(shelf: Shelf, pks: list[int]) -> None:
    """Each list shows how many papers it holds and how many of them are unread."""
    apply(shelf.lib, AddToList("b list", tuple(pks[:3])))
    apply(shelf.lib, CreateList("A list"))
    shelf.lib.set_read([pks[0], pks[3]])
    assert [(s.name, s.papers, s.unread) for s in summaries(shelf.lib)] == [
        ("A list", 0, 0),
        ("b list", 3, 2),
    ]


def test_list_filter_finds_the_lists_papers(shelf: Shelf, pks: list[int]) -> None:
    """The `list:` filter of the search language finds exactly a list's papers, any case."""
    apply(shelf.lib, AddToList("Weekend Reads", (pks[1], pks[3])))
    found = shelf.search.run(Query.parse("list:'weekend reads'"))
    assert sorted(found) == [pks[1], pks[3]]


def test_cli_list_commands(run: Run) -> None:
    """create, add (by id and by query), ls, show, remove, rename and delete work end to end."""
    paper_ids = ids(run)
    assert run("list", "create", "Queue").output == 'created list "Queue"\n'
    result = run("list", "add", "queue", paper_ids[0], paper_ids[1])
    assert result.output == 'added 2 papers to list "queue" (0 already there)\n'
    result = run("list", "add", "Queue", "--query", "lantern")
    assert result.output == 'added 0 papers to list "Queue" (1 already there)\n'
    run("mark", "read", paper_ids[0])
    assert run("list").output == "     2 papers      1 unread  Queue\n"
    assert json.loads(run("list", "ls", "--json").output) == [
        {"name": "Queue", "papers": 2, "unread": 1}
    ]
    shown = run("list", "show", "Queue").output.splitlines()
    assert [line.split("  ")[1] for line in shown] == paper_ids[:2]
    assert shown[0].startswith("[x]") and shown[1].startswith("[ ]")
    assert run("list", "remove", "Queue", paper_ids[0]).output == (
        'removed 1 paper from list "Queue"\n'
    )
    assert run("list", "rename", "Queue", "Later").output == 'renamed list "Queue" to "Later"\n'
    assert run("list", "delete", "later").output == (
        'deleted list "later" (1 paper; the papers stay)\n'
    )
    assert run("list").output.startswith("no lists yet")


def test_cli_errors_are_one_line(run: Run) -> None:
    """An unknown list or a missing paper choice is one line and a nonzero exit."""
    result = run("list", "show", "Nope")
    assert result.exit_code == 1
    assert result.stderr == "papershelf: no list named 'Nope'; see `papershelf list ls`\n"
    result = run("list", "add", "Nope")
    assert result.exit_code == 2
    assert "name papers by id, or give --query" in result.stderr


def test_export_list_writes_only_its_papers(run: Run, tmp_path: Path) -> None:
    """`export --list NAME` writes the list as a Markdown reading list headed by its name."""
    paper_ids = ids(run)
    run("list", "add", "Picks", paper_ids[1], paper_ids[2])
    out = tmp_path / "picks.md"
    assert run("export", "--list", "Picks", "-o", str(out)).output == (f"wrote 2 papers to {out}\n")
    text = out.read_text()
    assert text.startswith("# Reading list: Picks\n")
    assert text.count("\n- [ ] **") == 2
    assert PAPERS[1][0] in text and PAPERS[0][0] not in text
