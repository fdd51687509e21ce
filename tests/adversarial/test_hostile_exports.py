"""Hostile "papershelf exports" given to `papershelf import`: restored inertly or refused.

A JSON backup or Markdown list from someone else is as untrusted as a dump: a JSON backup
may create papers, as inert as a dump's, and set the reader's state; neither kind may
crash or carry escapes in.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from hostile import digest, forbidden, integrity, paper_ids, paper_titles

HEAD = {"format": "papershelf-library", "version": 1}
Body = Callable[[list[str]], str]


def export(body: dict[str, object]) -> Body:
    return lambda ids: json.dumps({**HEAD, **body}).replace("ID0", ids[0])


REFUSED: dict[str, tuple[str, Body]] = {
    "no-papers": ("no list of papers", export({})),
    "papers-not-a-list": ("no list of papers", export({"papers": 5})),
    "lists-not-a-list": ("no list of papers", export({"papers": [], "lists": {"a": 1}})),
    "newer-version": ("newer papershelf", lambda ids: json.dumps({**HEAD, "version": 99})),
    "version-as-text": ("newer papershelf", lambda ids: json.dumps({**HEAD, "version": "1"})),
    "truncated-json": ("invalid JSON", lambda ids: json.dumps({**HEAD, "papers": []})[:-3]),
    "nested-too-deeply": (
        "nested too deeply",
        lambda ids: json.dumps(HEAD)[:-1] + ', "papers": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ),
    "not-utf8": ("not valid UTF-8", lambda ids: json.dumps(HEAD)[:-1] + ', "x": "\udcff"}'),
}
RESTORED: dict[str, Body] = {
    "junk-entries": export({"papers": [1, "x", None, {"id": 5}, {"id": None}, {}, []]}),
    "wrong-types": export(
        {
            "papers": [
                {
                    "id": "ID0",
                    "read_at": 12,
                    "starred": "yes",
                    "note": ["a"],
                    "manual_topics": "peft",
                }
            ]
        }
    ),
    "hostile-strings": export(
        {
            "papers": [
                {
                    "id": "ID0",
                    "note": "\x1b]52;c;SGk=\x07 [/] [@click=app.quit] \u202eevil \x9b31m",
                    "manual_topics": ["no-such-topic", "\x1b[2J"],
                    "removed_topics": 3,
                }
            ],
            "lists": [
                {"name": "\x1b[2J[bold]list\u202e", "papers": [{"id": "ID0"}, {"id": "zzz"}, 5]}
            ],
        }
    ),
    "huge-numbers": export({"papers": [{"id": "ID0", "starred": 10**100, "read_at": "9" * 5000}]}),
    "markdown-hostile": lambda ids: (
        "# Reading list: \x1b]52;c;SGk=\x07[/]\n\n"
        "- [x] **Sparse Lanterns: Quantizing Attention Heads to Two Bits** ★\n"
        "- [x] **\\[unknown\\] \x1b[2Jtitle**\n"
        "- [ ] **"
    ),
    "markdown-empty-list": lambda ids: "# Reading list: nothing\n\n",
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    return path


@pytest.mark.parametrize("case", REFUSED)
def test_hostile_export_is_refused_in_one_line(
    case: str, stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A malformed or hostile export is refused in one line naming it; nothing changes."""
    problem, body = REFUSED[case]
    path = write(tmp_path, f"{case}.json", body(paper_ids(stocked)))
    before = digest(stocked)
    result = run_cli("import", str(path))
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"papershelf: rejected {path}") and problem in line, line
    assert digest(stocked) == before


@pytest.mark.parametrize("case", RESTORED)
def test_hostile_export_restores_only_inert_state(
    case: str, stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """An odd but readable export restores what it can: no paper is added (none names
    an id and a title this library lacks), no control character is stored, every message
    is one line, the library stays consistent."""
    suffix = ".md" if case.startswith("markdown") else ".json"
    path = write(tmp_path, f"{case}{suffix}", RESTORED[case](paper_ids(stocked)))
    titles = paper_titles(stocked)
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert forbidden(result.output + result.stderr) == []
    assert paper_titles(stocked) == titles
    conn = sqlite3.connect(stocked)
    notes = "".join(note for (note,) in conn.execute("SELECT note FROM state"))
    names = "".join(name for (name,) in conn.execute("SELECT name FROM lists"))
    conn.close()
    assert forbidden(notes + names) == []
    assert integrity(stocked) == "ok"


def test_hostile_paper_in_an_export_is_created_inert(
    stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A paper the library lacks is created from the export with its escapes dropped,
    its unsafe links left out and a lying link host replaced by the URL's own."""
    entry = {
        "id": "2401.99999",
        "title": "A Paper \x1b]52;c;SGk=\x07Nobody \u202eHas [/]",
        "abstract": "Clear\x1b[2J\x1b[H screen \x9b31m and [@click=app.quit] text.",
        "authors": ["Eve \x1b[31mRed", 7],
        "upvotes": 10**30,
        "links": [
            {"url": "javascript:alert(1)", "kind": "code"},
            {"url": "https://example.org/repo", "kind": "weird", "host": "github.com"},
        ],
        "note": "\x1b[2Jnote",
        "starred": True,
    }
    path = write(tmp_path, "stranger.json", export({"papers": [entry]})(paper_ids(stocked)))
    titles = paper_titles(stocked)
    result = run_cli("import", str(path))
    assert result.exit_code == 0, result.stderr
    assert "1 paper (1 created, 0 merged, 0 kept)" in result.output
    assert forbidden(result.output + result.stderr) == []
    assert paper_titles(stocked) == [*titles, "A Paper Nobody Has [/]"]
    conn = sqlite3.connect(stocked)
    stored = conn.execute(
        "SELECT abstract, authors, upvotes FROM papers WHERE id = '2401.99999'"
    ).fetchone()
    links = conn.execute(
        "SELECT url, kind, host FROM links JOIN papers ON pk = paper WHERE id = '2401.99999'"
    ).fetchall()
    state = conn.execute(
        "SELECT note, starred FROM state JOIN papers ON pk = paper WHERE id = '2401.99999'"
    ).fetchone()
    conn.close()
    assert stored == ("Clear screen 31m and [@click=app.quit] text.", '["Eve Red"]', None)
    assert links == [("https://example.org/repo", "other", "example.org")]
    assert state == ("note", 1)
    assert integrity(stocked) == "ok"
