"""`papershelf fetch` as a reader runs it: the installed script against a local API
server (`HF_ENDPOINT`), then what the library keeps of Hugging Face's facts, how fetched
papers and text dumps of the same papers merge, and the migration that made room.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from adversarial.hostile import digest
from test_fetch_server import FIXTURES, ApiServer, Reply

from papershelf import schema
from papershelf.fetch import Client, day, fetch, since_last
from papershelf.library import Library
from papershelf.query import Query
from papershelf.search import Search
from papershelf.shelf import open_shelf


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ApiServer]:
    with ApiServer() as running:
        monkeypatch.setenv("HF_ENDPOINT", running.url)
        yield running


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "library.db"


def run(script: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script), "--db", str(db), *args], capture_output=True, text=True, timeout=120
    )


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_fetch_imports_the_day_and_a_second_run_nothing_new(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    first = run(papershelf_script, db, "fetch", "--date", "2024-11-20")
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines() == [
        "hf:2024-11-20: 3 papers (3 new, 0 already known, 0 merged), 0 warnings",
        "fetched 1 listing: 3 papers, 3 new",
    ]
    assert server.requests[0][1] == {"date": "2024-11-20", "limit": "100", "p": "0"}
    before = digest(db)
    second = run(papershelf_script, db, "fetch", "--date", "2024-11-20")
    assert second.returncode == 0, second.stderr
    assert "hf:2024-11-20: already imported, nothing to do" in second.stdout
    assert "0 new" in second.stdout.splitlines()[-1]
    assert digest(db) == before


def test_the_library_keeps_what_the_api_says(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    assert run(papershelf_script, db, "fetch", "--date", "2024-11-20").returncode == 0
    (paper,) = rows(
        db,
        "SELECT arxiv_id, authors, upvotes, github_stars, comments, ai_keywords, date_label, "
        "published, code_url FROM papers WHERE arxiv_id = '2411.10001'",
    )
    assert paper == (
        "2411.10001",
        '["Ada Quill", "Ben Marsh"]',
        42,
        310,
        4,
        '["gradient noise", "variance reduction", "optimizer"]',
        "2024-11-20",
        "2024-11-18T17:02:11.000Z",
        "https://github.com/quill/quiet-gradients",
    )
    links = rows(db, "SELECT kind, url FROM links WHERE paper = 1 ORDER BY position")
    assert ("project", "https://quill.github.io/quiet") in links
    assert ("paper", "https://arxiv.org/abs/2411.10001") in links
    # A version suffix is not part of the id; a float count is a count.
    assert rows(db, "SELECT arxiv_id FROM papers WHERE title LIKE 'Paper Boats%'") == [
        ("2411.10002",)
    ]
    assert rows(db, "SELECT github_stars FROM papers WHERE arxiv_id = '2411.10003'") == [(12,)]


def test_show_prints_authors_day_upvotes_stars(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    assert run(papershelf_script, db, "fetch", "--date", "2024-11-20").returncode == 0
    shown = run(papershelf_script, db, "show", "2411.10001")
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert "authors: Ada Quill, Ben Marsh" in lines
    assert "featured: 2024-11-20" in lines
    assert "42 upvotes · 310 GitHub stars · 4 comments" in lines
    assert "keywords: gradient noise, variance reduction, optimizer" in lines
    as_json = json.loads(run(papershelf_script, db, "show", "2411.10002", "--json").stdout)
    assert (as_json["authors"], as_json["upvotes"], as_json["comments"]) == (
        ["Chloé Dubois"],
        17,
        0,
    )


def test_a_text_dump_of_fetched_papers_merges_and_changes_nothing(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    assert run(papershelf_script, db, "fetch", "--date", "2024-11-20").returncode == 0
    facts = "SELECT id, arxiv_id, authors, upvotes, github_stars, code_url, date_label FROM papers"
    before = rows(db, facts + " ORDER BY pk")
    imported = run(papershelf_script, db, "import", str(FIXTURES / "2024-11-20.txt"))
    assert imported.returncode == 0, imported.stderr
    assert "3 papers (0 new, 3 already known, 0 merged)" in imported.stdout
    assert rows(db, facts + " ORDER BY pk") == before
    assert rows(db, "SELECT count(*) FROM papers") == [(3,)]


def test_a_fetch_fills_in_papers_first_seen_in_a_text_dump(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    assert run(papershelf_script, db, "import", str(FIXTURES / "2024-11-20.txt")).returncode == 0
    text_ids = rows(db, "SELECT id FROM papers ORDER BY pk")
    assert run(papershelf_script, db, "mark", "read", text_ids[0][0]).returncode == 0
    assert run(papershelf_script, db, "mark", "star", text_ids[1][0]).returncode == 0
    state = rows(db, "SELECT * FROM state ORDER BY paper")

    fetched = run(papershelf_script, db, "fetch", "--date", "2024-11-20")
    assert fetched.returncode == 0, fetched.stderr
    assert "3 papers (0 new, 3 already known, 0 merged)" in fetched.stdout
    assert rows(db, "SELECT id FROM papers ORDER BY pk") == text_ids
    assert rows(db, "SELECT * FROM state ORDER BY paper") == state
    assert rows(db, "SELECT arxiv_id, authors, upvotes, github_stars FROM papers ORDER BY pk") == [
        ("2411.10001", '["Ada Quill", "Ben Marsh"]', 42, 310),
        ("2411.10002", '["Chloé Dubois"]', 17, None),
        ("2411.10003", '["Dmitri Olenko", "Ada Quill"]', 8, 12),
    ]
    assert rows(db, "SELECT url FROM links WHERE paper = 1 ORDER BY position") == [
        ("https://github.com/quill/quiet-gradients",),
        ("https://quill.github.io/quiet",),
        ("https://arxiv.org/abs/2411.10001",),
        ("https://huggingface.co/papers/2411.10001",),
    ]
    assert rows(db, "SELECT code_url FROM papers WHERE pk = 1") == [
        ("https://github.com/quill/quiet-gradients",)
    ]


def test_authors_and_ai_keywords_are_searchable(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    """Through the one search path: a text dump, then a fetch that adds the authors."""
    assert run(papershelf_script, db, "import", str(FIXTURES / "2024-11-20.txt")).returncode == 0
    assert run(papershelf_script, db, "fetch", "--date", "2024-11-20").returncode == 0
    with Library(db) as lib:
        search = Search(lib)
        found = {
            text: [lib.paper(pk).arxiv_id for pk in search.run(Query.parse(text))]
            for text in ("quill", "olenko", "variance reduction", "sparse rewards")
        }
    assert found == {
        "quill": ["2411.10003", "2411.10001"],
        "olenko": ["2411.10003"],
        "variance reduction": ["2411.10001"],
        "sparse rewards": ["2411.10002"],
    }


def test_counts_follow_the_newer_fetch(server: ApiServer, db: Path) -> None:
    """Upvotes, stars and comments are Hugging Face's, so a later fetch brings them up to
    date; the facts a paper had stay."""
    with open_shelf(db) as shelf:
        fetch(shelf, [day("2024-11-21")], Client(server.url))
        later = json.loads((FIXTURES / "2024-11-21.json").read_text())
        later[0]["paper"]["upvotes"] = 50
        later[0]["numComments"] = 9
        server.replies = [Reply(body=json.dumps(later).encode())]
        again = fetch(shelf, [day("2024-11-21")], Client(server.url))
        assert (again.new, again.imported[0].known) == (0, 2)
        paper = shelf.lib.paper(shelf.lib.find("2411.10004"))
    assert (paper.upvotes, paper.comments, paper.authors) == (50, 9, ("Eun-ji Park",))


def test_hf_papers_ls_json_imports_with_its_facts(db: Path, papershelf_script: Path) -> None:
    imported = run(papershelf_script, db, "import", str(FIXTURES / "hf_papers_ls.json"))
    assert imported.returncode == 0, imported.stderr
    assert rows(
        db,
        "SELECT arxiv_id, authors, upvotes, github_stars, comments, ai_keywords, date_label, "
        "code_url FROM papers",
    ) == [
        (
            "2411.10004",
            '["Eun-ji Park"]',
            5,
            77,
            2,
            '["self-verification", "decoding"]',
            "2024-11-21",
            "https://github.com/park/mirror-tokens",
        )
    ]


@pytest.mark.parametrize(
    ("reply", "problem"),
    [
        (Reply(body=b"[{not json"), "invalid JSON"),
        (Reply(403, b"forbidden"), "HTTP 403 Forbidden"),
        (Reply(body=b'{"papers": 3}'), "expected a list of papers"),
    ],
)
def test_a_bad_answer_is_one_line_exit_1_and_nothing_written(
    server: ApiServer, db: Path, papershelf_script: Path, reply: Reply, problem: str
) -> None:
    assert run(papershelf_script, db, "fetch", "--date", "2024-11-21").returncode == 0
    before = digest(db)
    server.replies = [reply]
    failed = run(papershelf_script, db, "fetch", "--date", "2024-11-20")
    assert failed.returncode == 1
    assert failed.stdout == ""
    (line,) = failed.stderr.splitlines()
    assert line.startswith("papershelf: http://127.0.0.1:") and problem in line
    assert digest(db) == before


def test_offline_is_one_line_exit_1(
    db: Path, papershelf_script: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ApiServer() as gone:
        monkeypatch.setenv("HF_ENDPOINT", gone.url)
    failed = run(papershelf_script, db, "fetch", "--date", "2024-11-20")
    assert failed.returncode == 1
    (line,) = failed.stderr.splitlines()
    assert "cannot reach it" in line and "offline?" in line


def test_an_empty_day_says_so_and_succeeds(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    done = run(papershelf_script, db, "fetch", "--date", "2024-11-24")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "hf:2024-11-24: no papers featured"


@pytest.mark.parametrize(
    "args",
    [
        ["--date", "2024-11-20", "--week", "2024-W47"],
        ["--date", "20 November"],
        ["--week", "2024-47"],
        ["--month", "2024-13"],
        ["--sort", "upvotes"],
    ],
)
def test_a_wrong_option_is_a_usage_error(
    server: ApiServer, db: Path, papershelf_script: Path, args: list[str]
) -> None:
    failed = run(papershelf_script, db, "fetch", *args)
    assert failed.returncode == 2 and server.requests == []


def test_no_option_fetches_the_days_since_the_last_fetch(server: ApiServer, db: Path) -> None:
    """From the last day fetched (again, as it may have grown) to today, at most 30."""
    with open_shelf(db) as shelf:
        assert [d.value for d in since_last(shelf.lib, date(2024, 11, 20))] == ["2024-11-20"]
        fetch(shelf, [day("2024-11-20")], Client(server.url))
        assert [d.name for d in since_last(shelf.lib, date(2024, 11, 22))] == [
            "hf:2024-11-20",
            "hf:2024-11-21",
            "hf:2024-11-22",
        ]
        month_later = since_last(shelf.lib, date(2025, 1, 31))
    assert len(month_later) == 30 and month_later[-1].value == "2025-01-31"


def test_no_option_on_a_first_fetch_asks_for_today(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    done = run(papershelf_script, db, "fetch")
    assert done.returncode == 0, done.stderr
    ((_, asked),) = server.requests
    assert abs((date.fromisoformat(asked["date"]) - date.today()).days) <= 1


def test_a_schema_1_library_is_migrated_and_its_authors_searchable(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library written before schema 2 keeps its papers; their stored authors enter the
    body index, and the index agrees with the table (FTS5's own check)."""
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    with Library(db) as old:
        old.conn.execute(
            "INSERT INTO papers(pk, id, title, title_key, abstract, authors, added_at) "
            "VALUES (1, 'x1', 'Folding Paper Cranes', 'folding paper cranes', 'We fold.', "
            "'[\"Hana Origami\"]', '2024-11-20T00:00:00Z')"
        )
        old.conn.execute("INSERT INTO papers_fts_abstracts(rowid, abstract) VALUES (1, 'We fold.')")
    monkeypatch.undo()
    with Library(db) as lib:
        version = lib.conn.execute("PRAGMA user_version").fetchone()[0]
        assert version == len(schema.MIGRATIONS)
        assert list(Search(lib).run(Query.parse("origami"))) == [1]
        lib.conn.execute(
            "INSERT INTO papers_fts_abstracts(papers_fts_abstracts, rank) "
            "VALUES ('integrity-check', 1)"
        )
        assert lib.paper(1).authors == ("Hana Origami",)
    assert (db.parent / "library.db.v1.bak").exists()


def test_a_terminal_sees_a_progress_bar(
    server: ApiServer, db: Path, papershelf_script: Path, require_tool
) -> None:
    """On a terminal (script(1) gives one) the fetch draws a bar naming the listing."""
    script = require_tool("script")
    command = f"{papershelf_script} --db {db} fetch --week 2024-W47"
    shown = subprocess.run(
        [script, "-qec", command, "/dev/null"], capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0, shown.stdout
    assert "hf:2024-W47 · 5 papers" in shown.stdout and "[####" in shown.stdout
    assert shown.stdout.rstrip().endswith("fetched 1 listing: 5 papers, 5 new")


def test_author_filter_and_upvotes_order(
    server: ApiServer, db: Path, papershelf_script: Path
) -> None:
    """`author:` is one entry of the filter table: the query word, --author, and a
    misspelt name refused with the nearest; --sort upvotes puts the most upvoted first."""
    assert run(papershelf_script, db, "fetch", "--week", "2024-W47").returncode == 0

    def ids(*args: str) -> list[str]:
        found = run(papershelf_script, db, "search", *args, "--json")
        assert found.returncode == 0, found.stderr
        return [paper["arxiv_id"] for paper in json.loads(found.stdout)]

    assert ids("author:ada-quill", "--sort", "upvotes") == ["2411.10001", "2411.10003"]
    assert ids("--author", "Dmitri Olenko") == ["2411.10003"]
    assert ids("--sort", "upvotes") == [
        "2411.10001",
        "2411.10005",
        "2411.10002",
        "2411.10003",
        "2411.10004",
    ]
    refused = run(papershelf_script, db, "search", "author:quill")
    assert refused.returncode == 1
    assert (
        refused.stderr.strip()
        == "papershelf: unknown author 'author:quill'; did you mean Ada Quill?"
    )
