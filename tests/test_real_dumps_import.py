"""Integration over the real dumps in ../shared/dumps: counts, dedupe and provenance."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from papershelf.query import Query
from papershelf.shelf import Shelf, open_shelf

DUMPS = Path(__file__).resolve().parents[1].parent / "shared" / "dumps"
EXPECTED = [107, 197, 527, 97]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Shelf, list]]:
    if not DUMPS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DUMPS} is missing; CI must have ../shared/dumps beside the repo")
        pytest.skip(f"real dumps not found at {DUMPS}")
    home = tmp_path_factory.mktemp("home")
    previous = os.environ.get("PAPERSHELF_HOME")
    os.environ["PAPERSHELF_HOME"] = str(home)
    shelf = open_shelf(home / "library.db")
    summaries = [shelf.import_file(path) for path in sorted(DUMPS.glob("*.txt"))]
    yield shelf, summaries
    shelf.close()
    if previous is None:
        del os.environ["PAPERSHELF_HOME"]
    else:
        os.environ["PAPERSHELF_HOME"] = previous


def test_every_file_gives_its_papers_without_warnings(imported: tuple[Shelf, list]) -> None:
    """The four dumps give 107, 197, 527 and 97 papers, 928 records, with no warnings."""
    _, summaries = imported
    assert [s.papers for s in summaries] == EXPECTED
    assert sum(s.papers for s in summaries) == 928
    assert all(not s.warnings for s in summaries)


def test_papers_in_two_files_are_stored_once_with_both_sources(
    imported: tuple[Shelf, list],
) -> None:
    """916 distinct papers are stored; the 12 seen twice remember both files."""
    shelf, summaries = imported
    assert shelf.lib.count() == 916
    assert sum(s.new for s in summaries) == 916
    assert sum(s.known + s.merged for s in summaries) == 12
    twice = shelf.lib.conn.execute(
        "SELECT count(*) FROM (SELECT paper FROM paper_sources GROUP BY paper HAVING count(*) = 2)"
    ).fetchone()[0]
    assert twice == 12


def test_date_labels_and_reimport(imported: tuple[Shelf, list]) -> None:
    """Papers of a dated dump carry its date; importing all again adds nothing."""
    shelf, _ = imported
    labels = dict(
        shelf.lib.conn.execute(
            "SELECT s.path, max(ps.date_label) FROM paper_sources ps "
            "JOIN sources s ON s.id = ps.source GROUP BY s.path"
        ).fetchall()
    )
    by_name = {Path(path).name[:3]: label for path, label in labels.items()}
    assert by_name == {"000": None, "001": "Mar 14", "002": None, "003": "Mar 11"}
    again = [shelf.import_file(path, force=True) for path in sorted(DUMPS.glob("*.txt"))]
    assert sum(s.new for s in again) == 0
    assert shelf.lib.count() == 916


def test_search_finds_real_papers_with_a_typo(imported: tuple[Shelf, list]) -> None:
    """A typo in a common real-world term still finds papers about it."""
    shelf, _ = imported
    pks = shelf.search.run(Query.parse("quantizaton"), limit=10)
    rows = shelf.lib.rows(pks)
    assert len(rows) == 10
    assert sum("quantiz" in r.title.lower() for r in rows) >= 8
