"""The command line: exit codes, one-line errors, JSON output, the rows it writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import write_dump

from papershelf import __version__
from papershelf.cli import cli


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PAPERSHELF_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PAPERSHELF_DB", raising=False)
    db = tmp_path / "library.db"

    def invoke(*args: str):  # type: ignore[no-untyped-def]
        return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)

    return invoke


def test_version() -> None:
    """--version prints the package version."""
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert __version__ in result.output


def test_import_prints_summary_and_search_json(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """import reports per-file and total counts; search --json gives the documented fields."""
    result = run("import", str(write_dump(tmp_path, "a.txt")))
    assert result.exit_code == 0
    assert "4 papers (4 new, 0 already known, 0 merged)" in result.output
    assert "imported 1 of 1 files" in result.output
    found = json.loads(run("search", "lantern", "--json").output)
    assert found[0]["code_url"] == "https://github.com/lantern-lab/sparse-lanterns"
    keys = {"id", "title", "abstract", "read", "starred", "topics", "code_url", "links", "sources"}
    assert keys <= set(found[0])
    assert found[0]["links"][0] == {
        "url": "https://github.com/lantern-lab/sparse-lanterns",
        "kind": "code",
        "host": "github.com",
        "original": None,
    }


def test_rejected_file_exits_1_with_one_line_naming_it(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A bad file among good ones is named on stderr, the good ones land, exit status is 1."""
    bad = tmp_path / "empty.txt"
    bad.write_text("")
    result = run("import", str(write_dump(tmp_path, "a.txt")), str(bad))
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if "rejected" in line]
    assert len(errors) == 1 and "empty.txt" in errors[0]
    assert len(json.loads(run("search", "--json", "--limit", "50").output)) == 4


def test_import_directory_and_glob(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Directories and globs expand to the dump files inside."""
    folder = tmp_path / "dumps"
    folder.mkdir()
    write_dump(folder, "one.txt")
    write_dump(folder, "two.txt", layout="compact")
    assert run("import", str(folder)).exit_code == 0
    again = run("import", str(folder / "*.txt")).output
    assert again.count("already imported, nothing to do") == 2
    stats = json.loads(run("stats", "--json").output)
    assert stats["papers"] == 4
    assert len(stats["sources"]) == 2


def test_mark_show_and_filters(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """mark changes state that show and the --read/--starred filters then reflect."""
    run("import", str(write_dump(tmp_path, "a.txt")))
    paper_id = json.loads(run("search", "orchard", "--json").output)[0]["id"]
    assert run("mark", "read", paper_id).output.strip() == "marked 1 of 1 papers read"
    assert run("mark", "star", paper_id).exit_code == 0
    shown = json.loads(run("show", paper_id, "--json").output)
    assert shown["read"] and shown["starred"]
    read = json.loads(run("search", "--read", "--json").output)
    assert [p["id"] for p in read] == [paper_id]
    assert len(json.loads(run("search", "--unread", "--json").output)) == 3
    stats = json.loads(run("stats", "--json").output)
    assert (stats["read"], stats["unread"], stats["starred"]) == (1, 3, 1)


def test_unknown_id_is_one_line_error(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """An unknown paper id is reported in one line with exit status 1."""
    run("import", str(write_dump(tmp_path, "a.txt")))
    result = run("mark", "read", "nosuchpaper")
    assert result.exit_code == 1
    assert result.stderr.strip() == "papershelf: no paper with id 'nosuchpaper'"


def test_export_writes_markdown_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """export -o writes the filtered view as a Markdown reading list."""
    run("import", str(write_dump(tmp_path, "a.txt")))
    out = tmp_path / "list.md"
    result = run("export", "--has-code", "-o", str(out))
    assert result.exit_code == 0 and "wrote 1 papers" in result.output
    text = out.read_text()
    assert text.startswith("# Reading list: with code")
    assert "- [ ] **Sparse Lanterns" in text


def test_library_that_is_not_sqlite_is_refused(tmp_path: Path) -> None:
    """A non-library file at --db is reported and left untouched."""
    db = tmp_path / "notes.txt"
    db.write_text("keep me")
    result = CliRunner().invoke(cli, ["--db", str(db), "stats"])
    assert result.exit_code == 1
    assert "not a papershelf library" in result.stderr
    assert db.read_text() == "keep me"


def test_db_from_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PAPERSHELF_DB chooses the library file when --db is not given."""
    monkeypatch.setenv("PAPERSHELF_HOME", str(tmp_path / "home"))
    db = tmp_path / "env.db"
    monkeypatch.setenv("PAPERSHELF_DB", str(db))
    result = CliRunner().invoke(cli, ["import", str(write_dump(tmp_path, "a.txt"))])
    assert result.exit_code == 0
    assert db.exists()
    assert not (tmp_path / "home" / "data" / "library.db").exists()
