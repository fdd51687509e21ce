"""A JSON export is a whole library: it restores into a fresh one and merges into another.

Libraries here are real SQLite files written through the CLI (`papershelf import`,
`export`) or the undo journal; the round trips run on the real dumps when they are there.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from factories import PAPERS, write_dump
from reader_state import list_names, reader_rows, reader_state

from papershelf.cli import cli
from papershelf.library import Library
from papershelf.lists import AddToList, CreateList
from papershelf.query import Query
from papershelf.shelf import open_shelf
from papershelf.transfer import VERSION, Restore, read_plan, summary
from papershelf.undo import Journal, MarkRead, Retopic, SetNote, Star, apply

DUMPS = Path(__file__).resolve().parents[1].parent / "shared" / "dumps"
FIXTURES = Path(__file__).parent / "fixtures" / "exports"
EARLIER_VERSIONS = {1: FIXTURES / "library_v1.json"}
"""A file of every format version papershelf wrote before this one, written by hand in
that version's exact shape (version 1: `git show 6c335cf:papershelf/transfer.py`)."""
NOTES = (
    'Compare with "Orchard": see § 3, {braces}, *stars*, [brackets] and a \\ backslash.',
    "- starts like a list item\n\n1. and a numbered line",
    "# not a heading > not a quote <b>not html</b> & `not code`",
)
NEWER, OLDER = "2999-01-01T00:00:00Z", "2000-01-01T00:00:00Z"
IDS = ("2603.04411", "5e2a9c41b7d0", "9f0c3b2a6d11")
"""The papers of the earlier-version files."""

Run = Callable[..., Result]


def runner(db: Path) -> Run:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)

    return invoke


def real_dumps() -> list[Path]:
    if not DUMPS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DUMPS} is missing; CI must have ../shared/dumps beside the repo")
        pytest.skip(f"real dumps not found at {DUMPS}")
    return sorted(DUMPS.glob("*.txt"))


def export_json(run: Run, path: Path, *view: str) -> dict[str, Any]:
    """Export a view to `path` and read it back without its export time."""
    assert run("export", *view, "--format", "json", "-o", str(path)).exit_code == 0
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data.pop("exported_at")
    return data


def the_measured_work(lib: Library) -> None:
    """The issue's measure: 100 read marks, 20 stars, 10 notes, 10 topic choices (5 added,
    5 removed) and 3 lists, made through the undo journal as the app makes them."""
    pks = sorted(pk for (pk,) in lib.conn.execute("SELECT pk FROM papers"))
    journal = Journal(lib)
    journal.apply(MarkRead(tuple(pks[:100])))
    journal.apply(Star(tuple(pks[90:110])))
    for n, pk in enumerate(pks[::91][:10]):
        journal.apply(SetNote(pk, f"{NOTES[n % len(NOTES)]} ({n})"))
    without = [pk for pk in pks[300:] if "agents" not in lib.paper(pk).topics][:5]
    journal.apply(Retopic(tuple(without), "agents"))
    tagged = [pk for pk in pks[400:] if lib.paper(pk).topics][:5]
    for pk in tagged:
        journal.apply(Retopic((pk,), lib.paper(pk).topics[0], add=False))
    journal.apply(AddToList("Weekend", tuple(pks[200:230])))
    journal.apply(AddToList("Ünïcode & <list>", (pks[3], pks[-1])))
    journal.apply(CreateList("Empty for now"))


def counts(lib: Library) -> dict[str, int]:
    """How much reader work a library holds, kind by kind."""
    state = reader_state(lib).values()
    return {
        "read": sum(bool(s["read_at"]) for s in state),
        "starred": sum(bool(s["starred"]) for s in state),
        "notes": sum(bool(s["note"]) for s in state),
        "manual": sum(len(s["manual"]) for s in state),  # type: ignore[arg-type]
        "removed": sum(len(s["removed"]) for s in state),  # type: ignore[arg-type]
        "lists": len(list_names(lib)),
        "papers in lists": sum(bool(s["lists"]) for s in state),
    }


MEASURED = {
    "read": 100,
    "starred": 20,
    "notes": 10,
    "manual": 5,
    "removed": 5,
    "lists": 3,
    "papers in lists": 32,
}


@pytest.fixture(scope="module")
def worked_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real dumps imported, with the measured reader work done on them."""
    folder = tmp_path_factory.mktemp("worked")
    db = folder / "a.db"
    assert runner(db)("import", *map(str, real_dumps())).exit_code == 0
    with open_shelf(db) as shelf:
        the_measured_work(shelf.lib)
    return db


def test_json_round_trip_of_the_real_dumps_gives_the_same_file(
    worked_library: Path, tmp_path: Path
) -> None:
    """library -> JSON -> fresh library -> JSON gives the same file but the export time,
    and the fresh library holds all the reader's work, searches and counts alike."""
    run_a, run_b = runner(worked_library), runner(tmp_path / "fresh.db")
    backup = tmp_path / "backup.json"
    first = export_json(run_a, backup)
    restored = run_b("import", str(backup))
    assert restored.exit_code == 0 and restored.stderr == ""
    with Library(worked_library) as lib:
        expected, work = reader_state(lib), counts(lib)
        total = lib.count()
    assert (total, work) == (916, MEASURED)
    assert restored.output.startswith(
        f"{backup}: library export: 916 papers (916 created, 0 merged, 0 kept), "
        f"state restored on {len(expected)} papers\n"
    )
    assert restored.output.endswith(
        "imported 1 of 1 files: 916 papers, 916 new, 0 already known, 0 merged\n"
    )
    assert export_json(run_b, tmp_path / "again.json") == first
    with Library(tmp_path / "fresh.db") as lib:
        assert reader_state(lib) == expected
        assert counts(lib) == MEASURED
    assert run_b("stats", "--json").output == run_a("stats", "--json").output
    for words in ("quantization", "agent benchmark", "diffusion video"):
        assert run_b("search", "--json", words).output == run_a("search", "--json", words).output
    again = run_b("import", str(backup))
    assert "916 papers (0 created, 0 merged, 916 kept), state restored on 0 papers" in again.output
    dumps = run_b("import", *map(str, real_dumps())).output
    assert dumps.count("already imported, nothing to do") == len(real_dumps())


def test_markdown_round_trip_restores_read_star_and_notes(
    worked_library: Path, tmp_path: Path
) -> None:
    """A Markdown reading list brings read marks, stars and notes (quoted, escaped) back to
    the papers of a library that imported the same dumps."""
    run_a, run_c = runner(worked_library), runner(tmp_path / "c.db")
    listing = tmp_path / "everything.md"
    assert run_a("export", "-o", str(listing)).exit_code == 0
    text = listing.read_text(encoding="utf-8")
    assert "  > \\- starts like a list item\n  >\n  > 1\\. and a numbered line (1)\n" in text
    run_c("import", *map(str, real_dumps()))
    restored = run_c("import", str(listing))
    assert restored.exit_code == 0 and restored.stderr == ""
    assert restored.output.startswith(f'{listing}: reading list "everything": 916 papers (')

    def marks(db: Path) -> dict[str, tuple[bool, bool, str]]:
        with open_shelf(db) as shelf:
            papers = shelf.lib.papers(sorted(shelf.search.run(Query())))
        return {p.id: (p.read, p.starred, p.note) for p in papers}

    expected = marks(worked_library)
    assert marks(tmp_path / "c.db") == expected
    read, starred, noted = (sum(bool(v[n]) for v in expected.values()) for n in range(3))
    assert (read, starred, noted) == (100, 20, 10)


def test_notes_show_in_show_and_show_json(tmp_path: Path) -> None:
    """`papershelf show` prints the note under the topics, each line aligned and inert;
    --json has it as stored (JSON escapes control characters)."""
    run = runner(tmp_path / "a.db")
    run("import", str(write_dump(tmp_path, "page.txt")))
    with open_shelf(tmp_path / "a.db") as shelf:
        pk = shelf.search.run(Query())[0]
        note = "first line\n\nsecond [b]line[/b] \x1b[2Jclean"
        apply(shelf.lib, SetNote(pk, note))
        pid = shelf.lib.paper(pk).id
    shown = run("show", pid).output
    assert "\nnote: first line\n\n      second [b]line[/b] clean\n" in shown
    printed = run("show", pid, "--json").output
    assert "\x1b" not in printed and json.loads(printed)["note"] == note


def test_a_hostile_note_stays_one_quoted_note_in_markdown(tmp_path: Path) -> None:
    """A note that looks like Markdown items, headings and quotes is written escaped under
    its paper and comes back exactly, without inventing items."""
    note = "- [x] **Fake Paper**\n# Heading\n> quoted\n1. numbered"
    page = write_dump(tmp_path, "page.txt")
    run_a, run_b = runner(tmp_path / "a.db"), runner(tmp_path / "b.db")
    run_a("import", str(page))
    with open_shelf(tmp_path / "a.db") as shelf:
        pk = shelf.search.run(Query())[0]
        apply(shelf.lib, SetNote(pk, note))
        title = shelf.lib.paper(pk).title
    listing = tmp_path / "list.md"
    run_a("export", "-o", str(listing))
    lines = listing.read_text(encoding="utf-8").splitlines()
    at = next(n for n, line in enumerate(lines) if title.split(":")[0] in line)
    assert lines[at + 1 : at + 5] == [
        "  > \\- \\[x\\] \\*\\*Fake Paper\\*\\*",
        "  > \\# Heading",
        "  > \\> quoted",
        "  > 1\\. numbered",
    ]
    run_b("import", str(page))
    result = run_b("import", str(listing))
    assert f"{len(PAPERS)} papers (" in result.output and result.stderr == ""
    with open_shelf(tmp_path / "b.db") as shelf:
        notes = [p.note for p in shelf.lib.papers(shelf.search.run(Query()))]
    assert [n for n in notes if n] == [note]


def backup_with(run: Run, path: Path, changes: dict[str, dict[str, Any]]) -> Path:
    """Export the whole library and rewrite some entries' fields, by paper title."""
    data = export_json(run, path)
    for entry in data["papers"]:
        entry.update(changes.get(entry["title"], {}))
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_merging_keeps_both_sides_and_undo_takes_it_back(tmp_path: Path) -> None:
    """Into a library with the same papers: the side that changed later gives the read mark
    and star, differing notes are both kept under a marker, a topic choice here stays,
    lists are united; one undo restores the reader's tables; a second import changes
    nothing."""
    page = write_dump(tmp_path, "page.txt")
    run_a, run_b = runner(tmp_path / "a.db"), runner(tmp_path / "b.db")
    for run in (run_a, run_b):
        run("import", str(page))
    titles = [title for title, _ in PAPERS]
    with open_shelf(tmp_path / "a.db") as shelf:
        p0, p1, p2, p3 = shelf.search.run(Query())
        for change in (
            Star((p0,)),
            MarkRead((p1,)),
            Retopic((p1,), "agents"),
            SetNote(p2, "theirs"),
            Retopic((p3,), "agents"),
            AddToList("Shared", (p0,)),
        ):
            apply(shelf.lib, change)
    with open_shelf(tmp_path / "b.db") as shelf:
        p0, p1, p2, p3 = shelf.search.run(Query())
        for change in (
            MarkRead((p0,)),
            Star((p1,)),
            Retopic((p1,), "agents", add=False),
            SetNote(p2, "mine"),
            AddToList("shared", (p1,)),
        ):
            apply(shelf.lib, change)
        backup = backup_with(
            run_a,
            tmp_path / "backup.json",
            {titles[0]: {"updated_at": NEWER}, titles[1]: {"updated_at": OLDER}},
        )
        before = reader_rows(shelf.lib)
        journal = Journal(shelf.lib)
        plan = read_plan(shelf.lib, backup)
        entry = journal.apply(Restore(plan))
        assert summary(plan, entry).line == (
            f"{backup}: library export: 4 papers (0 created, 3 merged, 1 kept), "
            "state restored on 3 papers"
        )
        papers = shelf.lib.papers((p0, p1, p2, p3))
        assert [(p.read, p.starred) for p in papers] == [
            (False, True),  # the backup changed later: its star, and no read mark
            (False, True),  # here changed later: kept, with here's removal of "agents"
            (False, False),
            (False, False),
        ]
        assert "agents" not in papers[1].topics and "agents" in papers[3].topics
        assert papers[2].note == "mine\n--- note from backup.json ---\ntheirs"
        assert papers[0].lists == papers[1].lists == ("shared",)
        journal.undo()
        assert reader_rows(shelf.lib) == before
    assert run_b("import", str(backup)).exit_code == 0
    again = run_b("import", str(backup))
    assert "(0 created, 0 merged, 4 kept), state restored on 0 papers" in again.output


def test_entries_for_one_paper_in_a_file_are_merged_not_overwritten(tmp_path: Path) -> None:
    """The same id twice, and the same title under another id, make one paper with every
    entry's star, read mark and note; lists naming any of its ids hold it."""
    abstract = "Tokens pool in tide-like cycles when a language model reads long documents."
    entries = [
        {"id": "2604.00001", "title": "Tide Pools of Tokens", "abstract": abstract,
         "starred": True, "note": "first", "updated_at": "2026-04-01T10:00:00Z"},
        {"id": "2604.00001", "title": "Tide Pools of Tokens", "abstract": abstract,
         "read_at": "2026-04-02T10:00:00Z", "note": "second",
         "updated_at": "2026-04-02T10:00:00Z"},
        {"id": "abcdef012345", "title": "Tide pools of  tokens", "note": "third"},
    ]  # fmt: skip
    backup = tmp_path / "repeats.json"
    backup.write_text(
        json.dumps(
            {
                "format": "papershelf-library",
                "version": VERSION,
                "exported_at": "2026-04-03T00:00:00Z",
                "sources": [],
                "papers": entries,
                "lists": [{"name": "Pools", "papers": [{"id": "abcdef012345"}]}],
            }
        ),
        encoding="utf-8",
    )
    run = runner(tmp_path / "a.db")
    result = run("import", str(backup))
    assert result.output.startswith(
        f"{backup}: library export: 3 papers (1 created, 0 merged, 0 kept, "
        "2 repeated in the file), state restored on 1 paper\n"
    )
    with Library(tmp_path / "a.db") as lib:
        assert reader_state(lib) == {
            "2604.00001": {
                "read_at": "2026-04-02T10:00:00Z",
                "starred": True,
                "note": "first\n--- note from repeats.json ---\nsecond\n"
                "--- note from repeats.json ---\nthird",
                "manual": [],
                "removed": [],
                "lists": ["Pools"],
            }
        }
        assert lib.count() == 1
        (updated,) = lib.conn.execute("SELECT updated_at FROM state").fetchone()
    assert updated == "2026-04-02T10:00:00Z"


def test_a_view_export_leaves_its_dumps_importable(tmp_path: Path) -> None:
    """A view's export names the dumps its papers came from without their sha256, so the
    library it is restored into still imports those dumps; a whole backup keeps it."""
    page = write_dump(tmp_path, "page.txt")
    run_a = runner(tmp_path / "a.db")
    run_a("import", str(page))
    with open_shelf(tmp_path / "a.db") as shelf:
        apply(shelf.lib, Star((shelf.search.run(Query())[0],)))
    view = export_json(run_a, tmp_path / "starred.json", "--starred")
    whole = export_json(run_a, tmp_path / "whole.json")
    assert [s["sha256"] for s in view["sources"]] == [None]
    assert [s["path"] for s in view["sources"]] == [s["path"] for s in whole["sources"]]
    assert whole["sources"][0]["sha256"] and len(view["papers"]) == 1
    run_b, run_c = runner(tmp_path / "b.db"), runner(tmp_path / "c.db")
    run_b("import", str(tmp_path / "starred.json"))
    later = run_b("import", str(page)).output
    assert f"{len(PAPERS)} papers ({len(PAPERS) - 1} new, 1 already known, 0 merged)" in later
    with open_shelf(tmp_path / "b.db") as shelf:
        (paper,) = shelf.lib.papers(shelf.search.run(Query.parse("is:starred")))
    assert paper.sources == (whole["sources"][0]["path"], str(page.resolve()))
    run_c("import", str(tmp_path / "whole.json"))
    assert "already imported, nothing to do" in run_c("import", str(page)).output


@pytest.mark.parametrize("version", sorted(EARLIER_VERSIONS))
def test_an_earlier_format_version_restores_into_a_fresh_library(
    version: int, tmp_path: Path
) -> None:
    """A file papershelf wrote in an earlier format creates its papers with their links,
    topics and facts, and restores the read mark, star, note, topic choices and lists."""
    run = runner(tmp_path / "a.db")
    path = EARLIER_VERSIONS[version]
    result = run("import", str(path))
    assert result.exit_code == 0 and result.stderr == ""
    assert result.output.startswith(
        f"{path}: library export: 3 papers (3 created, 0 merged, 0 kept), "
        "state restored on 2 papers\n"
    )
    with open_shelf(tmp_path / "a.db") as shelf:
        lantern, kelp, brine = (shelf.lib.paper(shelf.lib.find(pid)) for pid in IDS)
        found = shelf.search.run(Query.parse("lanternfish sonar"))
        assert [shelf.lib.paper(pk).id for pk in found] == ["2603.04411"]
        assert shelf.lib.stats()["with_code"] == 1
        assert list_names(shelf.lib) == ["Empty shelf", "Reef reading"]
        in_list = shelf.search.run(Query.parse("list:'Reef reading'"))
        assert sorted(shelf.lib.paper(pk).id for pk in in_list) == ["2603.04411", "5e2a9c41b7d0"]
    assert lantern.title == "Lanternfish: Two-Bit Quantization for Deep-Sea Sonar Models"
    assert (lantern.arxiv_id, lantern.authors, lantern.upvotes) == (
        "2603.04411",
        ("Ada Quill", "Bruno Marsh"),
        42,
    )
    assert lantern.code_url == "https://github.com/lanternfish-lab/lanternfish"
    assert [(lk.kind, lk.host) for lk in lantern.links] == [
        ("code", "github.com"),
        ("paper", "arxiv.org"),
    ]
    assert (lantern.read, lantern.starred, lantern.topics) == (True, True, ("quantization",))
    assert lantern.note == 'Try it on the reef recordings.\nCompare with "Kelp Forest Agents" § 3.'
    assert kelp.topics == ("reasoning", "agents") and not kelp.read
    assert (brine.topics, brine.links[0].kind, brine.date_label) == (
        ("data-benchmarks",),
        "project",
        "2026-03-12",
    )
    with Library(tmp_path / "a.db") as lib:
        assert reader_state(lib)["5e2a9c41b7d0"]["removed"] == ["language-models"]


@pytest.mark.parametrize("version", sorted(EARLIER_VERSIONS))
def test_an_earlier_format_version_merges_into_a_library_with_its_papers(
    version: int, tmp_path: Path
) -> None:
    """The papers of an earlier file, imported here from a dump under other ids, are found
    by title and take the file's state; none is created twice."""
    data = json.loads(EARLIER_VERSIONS[version].read_text(encoding="utf-8"))
    page = write_dump(
        tmp_path, "page.txt", papers=[(p["title"], p["abstract"]) for p in data["papers"]]
    )
    run = runner(tmp_path / "a.db")
    run("import", str(page))
    result = run("import", str(EARLIER_VERSIONS[version]))
    assert "3 papers (0 created, 2 merged, 1 kept), state restored on 2 papers" in result.output
    with open_shelf(tmp_path / "a.db") as shelf:
        assert shelf.lib.count() == 3
        papers = {p.title: p for p in shelf.lib.papers(shelf.search.run(Query()))}
    lantern = papers["Lanternfish: Two-Bit Quantization for Deep-Sea Sonar Models"]
    assert lantern.id not in IDS and (lantern.read, lantern.starred) == (True, True)
    assert "reasoning" in papers["Kelp Forest Agents: Planning Under Currents"].topics


def test_every_earlier_format_version_has_a_file_to_read() -> None:
    """Bumping the format version asks for a file in the version it replaces."""
    assert sorted(EARLIER_VERSIONS) == list(range(1, VERSION))
    for version, path in EARLIER_VERSIONS.items():
        assert json.loads(path.read_text(encoding="utf-8"))["version"] == version


def test_readme_names_every_key_the_export_writes(tmp_path: Path) -> None:
    """README's schema table names each key of the JSON export, so a new field is documented."""
    run = runner(tmp_path / "a.db")
    run("import", str(write_dump(tmp_path, "page.txt")))
    with open_shelf(tmp_path / "a.db") as shelf:
        apply(shelf.lib, AddToList("L", (shelf.search.run(Query())[0],)))
    data = export_json(run, tmp_path / "backup.json")
    keys: set[str] = {"exported_at"}
    stack: list[object] = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            keys.update(value)
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Backups\n", 1)[1].split("\n## ", 1)[0]
    assert len(keys) > 30
    assert sorted(key for key in keys if f"`{key}`" not in section) == []


def test_odd_sources_and_entries_are_cleaned_or_left_out(tmp_path: Path) -> None:
    """Dumps without a path, provenance pointing nowhere, unknown topics and entries without
    an id and a title are left out with a warning each; what is kept is cleaned."""
    backup = tmp_path / "odd.json"
    sources = [
        5,
        {"path": "\x1b[2J/dumps/a.txt", "imported_at": "2026-01-01T00:00:00Z", "sha256": "zz"},
        {"path": "", "imported_at": "2026-01-01T00:00:00Z"},
    ]
    places = [
        {"source": 1, "line": 3, "date_label": "\x1b[31mMay 2"},
        {"source": 2},
        {"source": 99},
        {"source": True},
    ]
    papers = [
        {"id": "2605.00001", "title": "Sandbar Signals", "sources": places},
        {"title": "An Entry Without An Id"},
        {"id": "not an id", "title": "Another One"},
    ]
    papers[0]["auto_topics"] = ["agents", "no-such-topic"]
    backup.write_text(
        json.dumps({"format": "papershelf-library", "version": 2, "sources": sources,
                    "papers": papers, "lists": []}),
        encoding="utf-8",
    )  # fmt: skip
    run = runner(tmp_path / "a.db")
    result = run("import", str(backup))
    assert result.exit_code == 0
    assert result.stdout.startswith(
        f"{backup}: library export: 3 papers (1 created, 0 merged, 0 kept, 2 unreadable), "
        "state restored on 0 papers\n"
    )
    assert result.stderr.splitlines() == [
        f"warning: {backup}: topic 'no-such-topic' is not in this taxonomy; left out",
        f"warning: {backup}: paper 2 has no usable id and title",
        f"warning: {backup}: paper 3 has no usable id and title",
    ]
    with Library(tmp_path / "a.db") as lib:
        paper = lib.paper(lib.find("2605.00001"))
        stored = lib.conn.execute(
            "SELECT s.path, s.sha256, ps.line, ps.date_label FROM sources s "
            "JOIN paper_sources ps ON ps.source = s.id"
        ).fetchall()
    assert (paper.topics, paper.sources) == (("agents",), ("/dumps/a.txt",))
    assert stored == [("/dumps/a.txt", "", 3, "May 2")]
