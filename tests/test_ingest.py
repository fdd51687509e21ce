"""Importing dumps: dedupe, provenance, all-or-nothing, and the reader's work kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import PAPERS, dump_text, write_dump

from papershelf.models import DumpError
from papershelf.query import Query
from papershelf.shelf import Shelf, open_shelf


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shelf]:
    monkeypatch.setenv("PAPERSHELF_HOME", str(tmp_path / "home"))
    opened = open_shelf(tmp_path / "library.db")
    yield opened
    opened.close()


def content_hash(db: Path) -> list[tuple[object, ...]]:
    """Every row of every table, for byte-for-byte comparisons of library content."""
    conn = sqlite3.connect(db)
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'papers_fts%'"
        )
    ]
    rows = [(t, *row) for t in sorted(tables) for row in conn.execute(f"SELECT * FROM {t}")]
    conn.close()
    return sorted(rows, key=repr)


def test_import_reports_counts_and_stores_links_and_topics(shelf: Shelf, tmp_path: Path) -> None:
    """A dump's papers arrive with their code link, topics and source recorded."""
    summary = shelf.import_file(write_dump(tmp_path, "a.txt", date_label="Mar 14"))
    assert (summary.papers, summary.new, summary.known, summary.merged) == (4, 4, 0, 0)
    first = shelf.lib.paper(shelf.search.run(Query())[0])
    assert first.code_url == "https://github.com/lantern-lab/sparse-lanterns"
    assert "quantization" in first.topics
    assert first.date_label == "Mar 14"
    assert first.sources == (str(tmp_path / "a.txt"),)


def test_reimport_same_file_is_skipped(shelf: Shelf, tmp_path: Path) -> None:
    """Importing the same bytes again adds nothing and says it was already imported."""
    path = write_dump(tmp_path, "a.txt")
    shelf.import_file(path)
    again = shelf.import_file(path)
    assert again.skipped
    assert shelf.lib.count() == 4


def test_overlapping_dump_links_known_papers_to_both_sources(shelf: Shelf, tmp_path: Path) -> None:
    """A paper in two dumps is stored once and remembers both files."""
    shelf.import_file(write_dump(tmp_path, "a.txt", papers=PAPERS[:3]))
    summary = shelf.import_file(write_dump(tmp_path, "b.txt", papers=PAPERS[2:], layout="compact"))
    assert (summary.new, summary.known) == (1, 1)
    assert shelf.lib.count() == 4
    pk = shelf.search.run(Query.parse("coastline"))[0]
    assert len(shelf.lib.paper(pk).sources) == 2


def test_near_duplicate_title_is_merged(shelf: Shelf, tmp_path: Path) -> None:
    """A title differing only by a missing space or punctuation is merged, not duplicated."""
    shelf.import_file(write_dump(tmp_path, "a.txt", papers=PAPERS[:1]))
    title, abstract = PAPERS[0]
    variant = title.replace("Sparse Lanterns:", "SparseLanterns -")
    summary = shelf.import_file(write_dump(tmp_path, "b.txt", papers=[(variant, abstract)]))
    assert (summary.new, summary.merged) == (0, 1)
    assert shelf.lib.count() == 1


def test_force_reimport_never_touches_reader_state(shelf: Shelf, tmp_path: Path) -> None:
    """Read marks, stars, notes and manual topics survive a forced re-import."""
    path = write_dump(tmp_path, "a.txt")
    shelf.import_file(path)
    pk = shelf.search.run(Query.parse("orchard"))[0]
    shelf.lib.set_read([pk])
    shelf.lib.set_starred([pk])
    shelf.lib.set_note(pk, "compare with my own retriever")
    shelf.lib.tag(pk, add=["survey"], remove=["retrieval"])
    shelf.import_file(path, force=True)
    paper = shelf.lib.paper(pk)
    assert (paper.read, paper.starred, paper.note) == (True, True, "compare with my own retriever")
    assert "survey" in paper.topics
    assert "retrieval" not in paper.topics
    assert shelf.lib.count() == 4


def test_rejected_file_leaves_library_unchanged(shelf: Shelf, tmp_path: Path) -> None:
    """A file that is not a dump is refused with its name, and no row changes."""
    shelf.import_file(write_dump(tmp_path, "a.txt"))
    before = content_hash(shelf.lib.path)
    bad = tmp_path / "page.txt"
    bad.write_text("<!DOCTYPE html><html><body>Daily Papers</body></html>")
    with pytest.raises(DumpError, match=r"page\.txt"):
        shelf.import_file(bad)
    assert content_hash(shelf.lib.path) == before


def test_failure_mid_file_rolls_back_everything(shelf: Shelf, tmp_path: Path) -> None:
    """If a file fails half-way, none of its papers land (one transaction per file)."""
    many = [(f"Paper number {n} on quantized widgets", f"Abstract {n} " * 30) for n in range(5000)]
    path = write_dump(tmp_path, "big.txt", text=dump_text(many))
    seen = []

    def explode(done: int) -> None:
        seen.append(done)
        if done >= 2000:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        shelf.import_file(path, on_progress=explode)
    assert seen
    assert shelf.lib.count() == 0
    assert shelf.lib.conn.execute("SELECT count(*) FROM sources").fetchone()[0] == 0
    assert shelf.lib.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_latex_is_cleaned_for_display_and_search_but_raw_kept(shelf: Shelf, tmp_path: Path) -> None:
    """LaTeX leftovers are shown and searched cleaned, and the raw text is kept."""
    papers = [
        (
            "Textured Kronecker Adapters",
            r"We propose \textit{KronTex}, an adapter for 384\times384 images. It trains in "
            "an hour on one GPU and matches full fine-tuning on six benchmarks.",
        )
    ]
    shelf.import_file(write_dump(tmp_path, "a.txt", papers=papers))
    pk = shelf.search.run(Query.parse("krontex"))[0]
    paper = shelf.lib.paper(pk)
    assert "KronTex" in paper.abstract and "384×384" in paper.abstract
    assert r"\textit{KronTex}" in paper.abstract_raw
