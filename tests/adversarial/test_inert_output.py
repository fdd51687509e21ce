"""Command-line output never carries a control sequence, C1 code or bidi override from data."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from factories import write_dump
from hostile import (
    DUMP_NAME,
    FORBIDDEN,
    LIST_NAME,
    PAYLOADS,
    TOPIC_NAME,
    build_hostile_library,
    forbidden,
    hostile_papers,
    paper_ids,
)

from papershelf.shelf import open_shelf
from papershelf.text import clean_latex, one_line


@pytest.fixture
def listed(hostile_db: Path, run_cli) -> Path:  # type: ignore[no-untyped-def]
    """The hostile library with a list the reader named by pasting a hostile string."""
    assert run_cli("list", "add", LIST_NAME.raw, paper_ids(hostile_db)[0]).exit_code == 0
    return hostile_db


COMMANDS = {
    "search": ["search", "--limit", "100"],
    "search-words": ["search", "payload", "--limit", "100"],
    "stats": ["stats"],
    "topics": ["topics"],
    "list-ls": ["list", "ls"],
    "list-show": ["list", "show", LIST_NAME.raw],
    "list-add": ["list", "add", LIST_NAME.raw, "ID"],
    "list-remove": ["list", "remove", LIST_NAME.raw, "ID"],
    "export": ["export"],
    "export-grouped": ["export", "--group-by-topic"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_listing_commands_print_data_inertly(listed: Path, run_cli, command: str) -> None:  # type: ignore[no-untyped-def]
    """Titles, topic names, list names and file names reach stdout with every control,
    C1 and bidi character removed."""
    paper = paper_ids(listed)[1]
    result = run_cli(*(paper if arg == "ID" else arg for arg in COMMANDS[command]))
    assert result.exit_code == 0, result.stderr
    out = result.stdout_bytes.decode("utf-8")
    assert forbidden(out) == []
    assert forbidden(result.stderr) == []


def test_show_prints_every_paper_inertly(hostile_db: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """`show` of each hostile paper prints title, topics, links, note and abstract inertly,
    markup-looking text literally."""
    shown = []
    for pid in paper_ids(hostile_db):
        result = run_cli("show", pid)
        assert result.exit_code == 0, result.stderr
        out = result.stdout_bytes.decode("utf-8")
        assert forbidden(out) == [], pid
        shown.append(out)
    everything = "\n".join(shown)
    for name, payload in PAYLOADS.items():
        assert payload.shown.split()[0] in everything, name
    assert TOPIC_NAME.shown in everything


@pytest.mark.parametrize("command", ["search", "show"])
def test_json_output_escapes_controls(hostile_db: Path, run_cli, command: str) -> None:  # type: ignore[no-untyped-def]
    """JSON output holds no raw control byte: it is data for programs, escaped as JSON."""
    args = (
        ["search", "--json", "--limit", "100"]
        if command == "search"
        else ["show", "--json", paper_ids(hostile_db)[1]]
    )
    result = run_cli(*args)
    assert result.exit_code == 0
    assert not any(b < 0x20 and b not in b"\n" for b in result.stdout_bytes)
    json.loads(result.stdout_bytes)


def test_installed_script_writes_no_escape_byte(hostile_db: Path, run_script_at) -> None:  # type: ignore[no-untyped-def]
    """The real `papershelf search` and `show` processes write no ESC, C1 or bidi bytes."""
    for args in (["search", "--limit", "100"], ["show", paper_ids(hostile_db)[1]], ["stats"]):
        result = run_script_at(hostile_db, *args)
        assert result.returncode == 0, result.stderr
        assert b"\x1b" not in result.stdout and b"\x1b" not in result.stderr
        assert forbidden(result.stdout.decode()) == []


def test_import_messages_name_a_hostile_file_inertly(db: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Summary, warning and rejection lines show a hostile file name without its controls."""
    good = build_hostile_library(tmp_path, db, Path(os.environ["PAPERSHELF_HOME"]))
    bad = tmp_path / "\x1b]52;c;SGk=\x07[b]\u202e.txt"
    bad.write_text("not a dump\n")
    result = run_cli("import", "--force", str(good), str(bad))
    assert result.exit_code == 1
    assert forbidden(result.output) == [] and forbidden(result.stderr) == []
    assert DUMP_NAME.shown in result.output
    assert FORBIDDEN.search(str(bad))


def test_import_stores_payloads_without_control_characters(db: Path, tmp_path: Path) -> None:
    """Imported titles, abstracts and links hold no control, C1 or bidi character, and
    markup-looking text is stored as typed."""
    dump = write_dump(tmp_path, "payloads.txt", papers=hostile_papers())
    with open_shelf(db, topics_path=tmp_path / "none.toml") as shelf:
        shelf.import_file(dump)
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT title, abstract FROM papers ORDER BY pk").fetchall()
    urls = [url for (url,) in conn.execute("SELECT url FROM links")]
    conn.close()
    for (title, abstract), payload in zip(rows, PAYLOADS.values(), strict=True):
        assert forbidden(title + abstract) == [], payload
        assert title.startswith(one_line(clean_latex(payload.shown)))
    assert urls and forbidden("".join(urls)) == []
