"""The real Daily Papers dumps in ../shared/dumps parse exactly as the pages show them.

Papers are identified by (file, index) and counts; no dump text is copied here.
"""

from __future__ import annotations

import os
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

from importers import Dump, open_dump
from papershelf.models import ParsedPaper

DUMPS = Path(__file__).resolve().parents[1] / ".." / "shared" / "dumps"
COUNTS = [107, 197, 527, 97]
DATE_LABELS = [None, "Mar 14", None, "Mar 11"]
FIRST_TITLE_LINES = [11, 11, 3, 11]
Parsed = list[tuple[Dump, list[ParsedPaper]]]


@pytest.fixture(scope="module")
def parsed() -> Parsed:
    files = sorted(DUMPS.glob("*.txt")) if DUMPS.is_dir() else []
    if not files:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"real dumps missing from {DUMPS.resolve()} and CI is set")
        pytest.skip(f"real dumps not present at {DUMPS.resolve()} (outside CI)")
    result = []
    for path in files:
        dump = open_dump(path)
        result.append((dump, list(dump.papers())))
    return result


def normalised(title: str) -> str:
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def test_each_real_dump_gives_the_papers_its_page_shows(parsed: Parsed) -> None:
    """Files 000..003 hold 107, 197, 527 and 97 papers: 928 in all."""
    assert [len(papers) for _, papers in parsed] == COUNTS
    assert sum(COUNTS) == 928


def test_real_dumps_share_twelve_papers(parsed: Parsed) -> None:
    """916 distinct titles: twelve papers appear in two files, none in more."""
    files_per_title = Counter(
        title for _, papers in parsed for title in {normalised(p.title) for p in papers}
    )
    assert len(files_per_title) == 916
    assert sorted(Counter(files_per_title.values()).items()) == [(1, 904), (2, 12)]


def test_real_dumps_carry_their_date_labels(parsed: Parsed) -> None:
    """Every paper in 001 is dated Mar 14, in 003 Mar 11, and the others have no date."""
    for (_, papers), label in zip(parsed, DATE_LABELS, strict=True):
        assert {p.date_label for p in papers} == {label}


def test_real_dumps_parse_cleanly_as_utf8_hf_text(parsed: Parsed) -> None:
    """The real dumps need no repair: no warnings, hf_text, UTF-8."""
    for dump, _ in parsed:
        assert (dump.format, dump.encoding, dump.warnings) == ("hf_text", "utf-8", [])


def test_every_real_paper_has_an_abstract_longer_than_its_title(parsed: Parsed) -> None:
    """No title was mistaken for an abstract or the other way round."""
    for dump, papers in parsed:
        for index, paper in enumerate(papers):
            assert paper.abstract, (dump.path, index)
            assert len(paper.abstract) > len(paper.title), (dump.path, index)


def test_real_papers_point_at_their_title_lines(parsed: Parsed) -> None:
    """Line numbers name the title's line, counting the header and blank lines."""
    assert [papers[0].line for _, papers in parsed] == FIRST_TITLE_LINES
    for _, papers in parsed:
        steps = {b.line - a.line for a, b in pairwise(papers)}
        assert steps <= {2, 4}
