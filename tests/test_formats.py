"""Formats in and out: Hugging Face API JSON, JSON backups, Markdown lists, BibTeX.

Round trips compare the reader's whole state by paper id: library A exports, a fresh
library B imports the same dumps and then the export, and B must hold what A held.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from factories import PAPERS, write_dump
from reader_state import list_names, reader_rows, reader_state

from importers import open_dump
from papershelf.bibtex import bibtex
from papershelf.cli import cli
from papershelf.library import Library
from papershelf.lists import AddToList, CreateList
from papershelf.models import DumpError, Link, Paper
from papershelf.query import Query
from papershelf.shelf import open_shelf
from papershelf.transfer import Restore, read_plan
from papershelf.undo import Journal, MarkRead, Retopic, SetNote, Star, apply

DUMPS = Path(__file__).resolve().parents[1].parent / "shared" / "dumps"
REAL_DUMP = "000_e31c09b5617a3787.txt"

Run = Callable[..., Result]


def hf_entry(
    arxiv_id: str,
    title: str,
    summary: str,
    *,
    authors: tuple[str, ...] = ("Ada Quill", "Ben Marsh"),
    upvotes: int = 12,
    github: str | None = None,
    project: str | None = None,
) -> dict[str, object]:
    """One entry as the Daily Papers API gives it (invented content)."""
    paper: dict[str, object] = {
        "id": arxiv_id,
        "authors": [
            {"_id": f"a{i}", "name": name, "hidden": False} for i, name in enumerate(authors)
        ],
        "publishedAt": "2026-03-12T17:59:01.000Z",
        "submittedOnDailyAt": "2026-03-14T01:02:03.000Z",
        "title": title,
        "summary": summary,
        "upvotes": upvotes,
        "discussionId": "d1",
    }
    if github:
        paper["githubRepo"] = github
    if project:
        paper["projectPage"] = project
    return {
        "paper": paper,
        "publishedAt": "2026-03-14T01:02:03.000Z",
        "title": title,
        "numComments": 3,
    }


ENTRIES = [
    hf_entry(
        "2603.01234",
        "Sparse Lanterns: Quantizing Attention Heads to Two Bits",
        "We present Sparse Lanterns, a post-training quantization method\nthat stores attention "
        "heads in two bits.",
        github="https://github.com/lantern-lab/sparse-lanterns",
    ),
    hf_entry(
        "2603.05678",
        "Glasshouse: Transparent Agents for Greenhouse Control",
        "An agent controls greenhouse climate and explains each action in plain words.",
        authors=("Chloé Dubois",),
        project="https://glasshouse-agents.github.io/",
    ),
]


def write_json(directory: Path, name: str, data: object) -> Path:
    path = directory / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def runner(db: Path) -> Run:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)

    return invoke


def real_dump() -> Path:
    if not DUMPS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DUMPS} is missing; CI must have ../shared/dumps beside the repo")
        pytest.skip(f"real dumps not found at {DUMPS}")
    return DUMPS / REAL_DUMP


# Hugging Face API JSON -------------------------------------------------------------------


def test_hf_json_entries_become_papers_with_ids_authors_links_and_lines(tmp_path: Path) -> None:
    """Each API entry gives a paper with its arXiv id, authors, upvotes, links and entry line."""
    path = write_json(tmp_path, "daily.json", ENTRIES)
    dump = open_dump(path)
    assert dump.format == "hf_json"
    first, second = list(dump.papers())
    assert dump.warnings == []
    assert first.arxiv_id == "2603.01234"
    assert first.abstract.startswith(
        "We present Sparse Lanterns, a post-training quantization method that"
    )
    assert first.authors == ("Ada Quill", "Ben Marsh")
    assert (first.upvotes, first.published, first.date_label) == (
        12,
        "2026-03-12T17:59:01.000Z",
        "2026-03-14",
    )
    assert first.urls == (
        "https://github.com/lantern-lab/sparse-lanterns",
        "https://arxiv.org/abs/2603.01234",
        "https://huggingface.co/papers/2603.01234",
    )
    assert second.authors == ("Chloé Dubois",)
    assert second.urls[0] == "https://glasshouse-agents.github.io/"
    starts = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "  {"]
    assert [first.line, second.line] == starts


def test_hf_json_under_a_key_and_bare_paper_objects_read_the_same(tmp_path: Path) -> None:
    """Entries under a key, or paper objects without the entry wrapper, give the same papers."""
    plain = list(open_dump(write_json(tmp_path, "plain.json", ENTRIES)).papers())
    keyed = write_json(tmp_path, "keyed.json", {"date": "2026-03-14", "papers": ENTRIES})
    bare = write_json(tmp_path, "bare.json", [entry["paper"] for entry in ENTRIES])
    for path in (keyed, bare):
        papers = list(open_dump(path).papers())
        assert [(p.title, p.arxiv_id, p.urls, p.authors) for p in papers] == [
            (p.title, p.arxiv_id, p.urls, p.authors) for p in plain
        ]


def test_hf_json_odd_entries_warn_and_bad_json_is_refused(tmp_path: Path) -> None:
    """An entry without a title is skipped and a non-arXiv id dropped, each with a warning."""
    odd = [
        {"paper": {"id": "2603.00001", "summary": "No title here at all."}},
        hf_entry("not-an-id", "Kept Without An Id", "Its summary is here."),
        *ENTRIES,
    ]
    path = write_json(tmp_path, "odd.json", odd)
    dump = open_dump(path)
    papers = list(dump.papers())
    assert papers[0].title == "Kept Without An Id"
    assert papers[0].arxiv_id is None and papers[0].urls == ()
    starts = [n for n, line in enumerate(path.read_text().splitlines(), 1) if line == "  {"]
    assert dump.warnings == [
        f"{path}:{starts[0]}: entry without a title; skipped",
        f"{path}:{starts[1]}: id 'not-an-id' is not an arXiv id; kept without one",
    ]
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(ENTRIES, indent=2)[:-40], encoding="utf-8")
    with pytest.raises(DumpError, match=r"broken.json(:\d+)?: invalid JSON"):
        list(open_dump(broken).papers())


def test_hf_json_import_uses_the_arxiv_id_and_links(tmp_path: Path) -> None:
    """An imported API paper's id is its arXiv id, with arXiv, HF and code links."""
    with open_shelf(tmp_path / "library.db") as shelf:
        summary = shelf.import_file(write_json(tmp_path, "daily.json", ENTRIES))
        assert (summary.format, summary.new) == ("hf_json", 2)
        paper = shelf.lib.paper(shelf.lib.find("2603.01234"))
    assert paper.id == "2603.01234"
    assert paper.code_url == "https://github.com/lantern-lab/sparse-lanterns"
    urls = [link.url for link in paper.links]
    assert "https://arxiv.org/abs/2603.01234" in urls
    assert "https://huggingface.co/papers/2603.01234" in urls
    assert paper.authors == ("Ada Quill", "Ben Marsh")


@pytest.mark.parametrize("json_first", [False, True], ids=["text-then-json", "json-then-text"])
def test_same_paper_in_text_and_json_dumps_is_stored_once(tmp_path: Path, json_first: bool) -> None:
    """A paper in a text dump and in an API dump is one paper, with the API's links."""
    text = write_dump(tmp_path, "page.txt")
    retitled = dict(ENTRIES[0])
    retitled["paper"] = {
        **ENTRIES[0]["paper"],
        "title": "Sparse lanterns:  quantizing\nattention heads to two bits",
    }  # type: ignore[dict-item]
    api = write_json(tmp_path, "daily.json", [retitled])
    with open_shelf(tmp_path / "library.db") as shelf:
        for path in (api, text) if json_first else (text, api):
            shelf.import_file(path)
        assert shelf.lib.count() == len(PAPERS)
        paper = shelf.lib.paper(shelf.lib.find("2603.01234"))
    assert paper.arxiv_id == "2603.01234"
    urls = [link.url for link in paper.links]
    assert "https://arxiv.org/abs/2603.01234" in urls
    assert urls.count("https://github.com/lantern-lab/sparse-lanterns") == 1


def test_reimporting_a_json_dump_never_touches_reader_state(tmp_path: Path) -> None:
    """Forcing a re-import of an API dump leaves read marks, stars, notes and lists alone."""
    path = write_json(tmp_path, "daily.json", ENTRIES)
    with open_shelf(tmp_path / "library.db") as shelf:
        shelf.import_file(path)
        pks = shelf.search.run(Query())
        for change in (
            MarkRead(tuple(pks)),
            Star((pks[0],)),
            SetNote(pks[1], "good"),
            AddToList("L", (pks[0],)),
        ):
            apply(shelf.lib, change)
        before = reader_rows(shelf.lib)
        shelf.import_file(path, force=True)
        assert reader_rows(shelf.lib) == before


# JSON backups ----------------------------------------------------------------------------


def dumps_for_round_trip(tmp_path: Path) -> list[Path]:
    return [
        write_dump(tmp_path, "page.txt"),
        write_json(tmp_path, "daily.json", ENTRIES),
        real_dump(),
    ]


def work_on(lib: Library, pks: list[int]) -> None:
    """A reader's afternoon: read marks, stars, notes, topic choices and two lists."""
    journal = Journal(lib)
    journal.apply(MarkRead(tuple(pks[::7])))
    journal.apply(Star(tuple(pks[3::11])))
    journal.apply(SetNote(pks[5], 'Compare with "Orchard" — see § 3, {braces} and \\ too'))
    journal.apply(SetNote(pks[-1], "last one"))
    tagged = lib.paper(pks[0]).topics[0]
    journal.apply(Retopic((pks[0],), tagged, add=False))
    journal.apply(Retopic(tuple(pks[1:40:6]), "agents"))
    journal.apply(AddToList("Weekend", tuple(pks[2:60:9])))
    journal.apply(AddToList("Ünïcode & <list>", (pks[1], pks[-2])))
    journal.apply(CreateList("Empty for now"))


def test_json_backup_restores_the_whole_reader_state(tmp_path: Path) -> None:
    """A JSON export imported into a library with the same dumps reproduces every read mark,
    star, note, topic choice and list."""
    sources = dumps_for_round_trip(tmp_path)
    run_a, run_b = runner(tmp_path / "a.db"), runner(tmp_path / "b.db")
    run_a("import", *map(str, sources))
    with open_shelf(tmp_path / "a.db") as shelf:
        work_on(shelf.lib, shelf.search.run(Query()))
        expected = reader_state(shelf.lib)
        lists_a = list_names(shelf.lib)
        total = shelf.lib.count()
    backup = tmp_path / "backup.json"
    assert run_a("export", "--format", "json", "-o", str(backup)).output == (
        f"wrote {total} papers to {backup}\n"
    )
    run_b("import", *map(str, sources))
    result = run_b("import", str(backup))
    assert result.exit_code == 0
    assert f"{backup}: library export: {total} papers (0 created, " in result.output
    with Library(tmp_path / "b.db") as lib:
        assert reader_state(lib) == expected
        assert list_names(lib) == lists_a
        assert lib.count() == total
    again = run_b("import", str(backup))
    assert "state restored on 0 papers" in again.output


def test_json_backup_creates_the_papers_this_library_lacks(tmp_path: Path) -> None:
    """Papers of the backup that were never imported here are created, with their state."""
    run_a, run_b = runner(tmp_path / "a.db"), runner(tmp_path / "b.db")
    text, api = write_dump(tmp_path, "page.txt"), write_json(tmp_path, "daily.json", ENTRIES[1:])
    run_a("import", str(text), str(api))
    with open_shelf(tmp_path / "a.db") as shelf:
        apply(shelf.lib, MarkRead(tuple(shelf.search.run(Query()))))
    backup = tmp_path / "backup.json"
    run_a("export", "--format", "json", "-o", str(backup))
    run_b("import", str(text))
    result = run_b("import", str(backup))
    assert "5 papers (1 created, 4 merged, 0 kept), state restored on 5 papers" in result.output
    assert result.stderr == ""
    with open_shelf(tmp_path / "b.db") as shelf:
        assert shelf.lib.count() == len(PAPERS) + 1
        created = shelf.lib.paper(shelf.lib.find("2603.05678"))
    assert created.title == "Glasshouse: Transparent Agents for Greenhouse Control"
    assert created.read and created.authors == ("Chloé Dubois",)


def test_backup_papers_match_by_arxiv_id_then_title(tmp_path: Path) -> None:
    """A paper known here under another id is found by its arXiv id, or else by its title."""
    text, api = write_dump(tmp_path, "page.txt"), write_json(tmp_path, "daily.json", ENTRIES[:1])
    run_a, run_b = runner(tmp_path / "a.db"), runner(tmp_path / "b.db")
    run_a("import", str(text), str(api))  # A: hash ids, arXiv id filled in for one paper
    run_b("import", str(api), str(text))  # B: that paper's id is its arXiv id
    with open_shelf(tmp_path / "a.db") as shelf:
        apply(shelf.lib, Star(tuple(shelf.search.run(Query()))))
        ids_a = {
            shelf.lib.paper(pk).title: shelf.lib.paper(pk).id for pk in shelf.search.run(Query())
        }
    backup = tmp_path / "backup.json"
    run_a("export", "--format", "json", "-o", str(backup))
    run_b("import", str(backup))
    with open_shelf(tmp_path / "b.db") as shelf:
        papers = shelf.lib.papers(shelf.search.run(Query()))
    assert all(p.starred for p in papers)
    assert {p.title: p.id for p in papers}[PAPERS[0][0]] == "2603.01234" != ids_a[PAPERS[0][0]]


def test_a_restore_is_one_undoable_change(tmp_path: Path) -> None:
    """Undoing a restore puts the reader's tables back as they were before it."""
    run_a = runner(tmp_path / "a.db")
    text = write_dump(tmp_path, "page.txt")
    run_a("import", str(text))
    with open_shelf(tmp_path / "a.db") as shelf:
        pks = shelf.search.run(Query())
        for change in (MarkRead(tuple(pks)), SetNote(pks[0], "theirs"), AddToList("L", (pks[1],))):
            apply(shelf.lib, change)
    backup = tmp_path / "backup.json"
    run_a("export", "--format", "json", "-o", str(backup))
    with open_shelf(tmp_path / "b.db") as shelf:
        shelf.import_file(text)
        apply(shelf.lib, SetNote(shelf.search.run(Query())[0], "mine"))
        before = reader_rows(shelf.lib)
        journal = Journal(shelf.lib)
        entry = journal.apply(Restore(read_plan(shelf.lib, backup)))
        assert entry.changed == len(PAPERS)
        note = shelf.lib.paper(shelf.search.run(Query())[0]).note
        assert note == "mine\n--- note from backup.json ---\ntheirs"
        journal.undo()
        assert reader_rows(shelf.lib) == before


def test_a_library_export_is_not_mistaken_for_a_dump(tmp_path: Path) -> None:
    """The importer registry refuses a papershelf JSON export, so only the restore path reads it."""
    run_a = runner(tmp_path / "a.db")
    run_a("import", str(write_json(tmp_path, "daily.json", ENTRIES)))
    backup = tmp_path / "backup.json"
    run_a("export", "--format", "json", "-o", str(backup))
    with pytest.raises(DumpError, match="not a Hugging Face Daily Papers dump"):
        open_dump(backup)


# Markdown reading lists ------------------------------------------------------------------

HOSTILE = (
    "Brackets [x] and **stars**: <b>Tags</b> & $math$ \\ back_slash `ticks` #1 ~ | (a)!",
    "An abstract that is long enough to be read as an abstract by the parser, since it has "
    "several sentences. It talks about nothing in particular. It ends with a full stop.",
)


def test_markdown_list_comes_back_as_a_named_list_with_read_marks(tmp_path: Path) -> None:
    """An exported list imported elsewhere becomes that list; ticked boxes mark papers read,
    stars come back, and titles not in the library are reported."""
    page = write_dump(tmp_path, "page.txt", papers=[*PAPERS, HOSTILE])
    run_a, run_b = runner(tmp_path / "a.db"), runner(tmp_path / "b.db")
    run_a("import", str(page))
    with open_shelf(tmp_path / "a.db") as shelf:
        pks = shelf.search.run(Query())
        apply(shelf.lib, AddToList("Weekend", (pks[1], pks[2], pks[4])))
        apply(shelf.lib, MarkRead((pks[2], pks[4])))
        apply(shelf.lib, Star((pks[1],)))
        members_a = [shelf.lib.paper(pk).id for pk in (pks[1], pks[2], pks[4])]
    exported = tmp_path / "weekend.md"
    run_a("export", "--list", "Weekend", "-o", str(exported))
    with exported.open("a", encoding="utf-8") as handle:
        handle.write("- [x] **A Paper Nobody Imported \\*Yet\\***\n")
    run_b("import", str(page))
    with open_shelf(tmp_path / "b.db") as shelf:
        apply(shelf.lib, MarkRead((shelf.search.run(Query())[1],)))
    result = run_b("import", str(exported))
    assert result.exit_code == 0
    assert (
        f'{exported}: reading list "Weekend": 4 papers (3 merged, 0 kept, 1 not in the library), '
        "state restored on 3 papers"
    ) in result.output
    assert (
        f"warning: {exported}: not in the library: A Paper Nobody Imported *Yet*" in result.stderr
    )
    with open_shelf(tmp_path / "b.db") as shelf:
        assert list_names(shelf.lib) == ["Weekend"]
        papers = shelf.lib.papers(shelf.search.run(Query.parse("list:weekend")))
        assert {p.id: (p.read, p.starred) for p in papers} == {
            members_a[0]: (True, True),  # unticked, but read here already: never unmarked
            members_a[1]: (True, False),
            members_a[2]: (True, False),  # the hostile title, matched through its escapes
        }
        assert shelf.lib.count() == len(PAPERS) + 1


def test_markdown_of_a_filtered_view_names_the_list_after_the_view(tmp_path: Path) -> None:
    """A grouped export of a view that is not a list restores as a list named for the view."""
    page = write_dump(tmp_path, "page.txt")
    run_a, run_b = runner(tmp_path / "a.db"), runner(tmp_path / "b.db")
    run_a("import", str(page))
    out = tmp_path / "view.md"
    run_a("export", "--has-code", "--group-by-topic", "-o", str(out))
    run_b("import", str(page))
    assert run_b("import", str(out)).exit_code == 0
    with open_shelf(tmp_path / "b.db") as shelf:
        assert list_names(shelf.lib) == ["with code"]
        in_list = shelf.search.run(Query.parse("list:'with code'"))
        assert sorted(in_list) == sorted(shelf.search.run(Query.parse("has:code")))


# BibTeX ----------------------------------------------------------------------------------


def parse_bibtex(text: str) -> list[tuple[str, dict[str, str]]]:
    """A strict little reader: balanced braces, `@type{key, name = {value}, ...}`."""
    entries = []
    pos = 0
    while (start := text.find("@", pos)) != -1:
        assert text[pos:start].strip() == "", f"stray text before entry: {text[pos:start]!r}"
        match = re.compile(r"@(\w+)\{([^,\s{}]+),").match(text, start)
        assert match, f"bad entry head at {text[start : start + 40]!r}"
        pos = match.end()
        fields: dict[str, str] = {}
        while True:
            pos += len(text[pos:]) - len(text[pos:].lstrip())
            if text[pos] == "}":
                pos += 1
                break
            field = re.compile(r"(\w+) = \{").match(text, pos)
            assert field, f"bad field at {text[pos : pos + 40]!r}"
            depth, i = 1, field.end()
            while depth:
                assert i < len(text), "unbalanced braces"
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                i += 1
            assert field.group(1) not in fields
            fields[field.group(1)] = text[field.end() : i - 1]
            assert text[i] == ",", "a field must end with a comma"
            pos = i + 1
        entries.append((match.group(2), fields))
    assert text[pos:].strip() == ""
    return entries


def bib_paper(pid: str, title: str, **kwargs: object) -> Paper:
    return Paper(id=pid, title=title, abstract="", abstract_raw="", **kwargs)  # type: ignore[arg-type]


def test_bibtex_escapes_hostile_text_and_stays_balanced() -> None:
    """Titles and names full of LaTeX specials and stray braces still give well-formed entries."""
    papers = [
        bib_paper("abc123def456", "100% {Unbalanced} \\emph{x} $y$ & #1 _z_ ~ ^ }{ done"),
        bib_paper(
            "2603.01234",
            "Sparse Lanterns: Quantizing Attention Heads",
            arxiv_id="2603.01234",
            authors=("Ada Quill", "Sand and Stone Lab", "Zoë Ñandú"),
        ),
        bib_paper(
            "fedcba987654",
            "Glasshouse",
            links=(
                Link(
                    "https://glasshouse-agents.github.io/", "project", "glasshouse-agents.github.io"
                ),
            ),
        ),
    ]
    entries = parse_bibtex(bibtex(papers))
    assert len(entries) == 3
    hostile = entries[0][1]["title"]
    assert "\\%" in hostile and "\\textbraceleft{}" in hostile and "\\textbackslash{}" in hostile
    key, fields = entries[1]
    assert key == "quill2026sparse"
    assert fields["author"] == "Ada Quill and {Sand and Stone Lab} and Zoë Ñandú"
    assert (fields["year"], fields["eprint"], fields["archiveprefix"]) == (
        "2026",
        "2603.01234",
        "arXiv",
    )
    assert fields["url"] == "https://arxiv.org/abs/2603.01234"
    assert entries[2][1]["url"] == "https://glasshouse-agents.github.io/"


def test_bibtex_keys_are_unique_and_stable() -> None:
    """Keys are unique within an export, and a paper keeps its key when exported with others."""
    alone = bib_paper(
        "2603.01234", "Learning to Fold", arxiv_id="2603.01234", authors=("Ada Quill",)
    )
    twin = bib_paper(
        "2603.09999", "Learning Everything", arxiv_id="2603.09999", authors=("Bo Quill",)
    )
    other = bib_paper("aaaa11112222", "Orchard Retrieval")
    key_alone = parse_bibtex(bibtex([alone]))[0][0]
    assert key_alone == parse_bibtex(bibtex([other, alone]))[1][0] == "quill2026learning"
    keys = [key for key, _ in parse_bibtex(bibtex([alone, twin, other, alone]))]
    assert len(keys) == 3 == len(set(keys))
    assert keys[:2] == ["quill2026learning:2603.01234", "quill2026learning:2603.09999"]


def test_cli_exports_a_list_as_bibtex(tmp_path: Path) -> None:
    """`export --list NAME --format bibtex` writes one parseable entry per paper of the list."""
    run_a = runner(tmp_path / "a.db")
    run_a("import", str(write_dump(tmp_path, "page.txt", papers=[*PAPERS, HOSTILE])))
    run_a("import", str(write_json(tmp_path, "daily.json", ENTRIES)))
    ids = [p["id"] for p in json.loads(run_a("search", "--json", "--limit", "50").output)]
    run_a("list", "add", "Cite", *ids)
    result = run_a("export", "--list", "Cite", "--format", "bibtex")
    entries = parse_bibtex(result.output)
    assert len(entries) == len(ids) == len(PAPERS) + 2
    assert len({key for key, _ in entries}) == len(entries)
