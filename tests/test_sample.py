"""The bundled sample library: three invented dumps, one per real page layout."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

import importers
import papershelf
from papershelf.sample import SAMPLE_DIR, sample_files

DATED = "2026-03-14.txt"
UNDATED = "2026-03-11.txt"
COMPACT = "compact.txt"
EXPECTED_PAPERS = {DATED: 15, UNDATED: 13, COMPACT: 16}
DISTINCT_PAPERS = 40
DUPLICATES = 4

BLANK_SEPARATED_HEADERS = {
    DATED: [
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "byAK and the research community",
        "Mar 14",
    ],
    UNDATED: [
        "new",
        "Get trending papers in your email inbox!",
        "Subscribe",
        "Daily Papers",
        "by AK and the research community",
    ],
}
COMPACT_HEADER = [
    "Get trending papers in your email inbox once a day!",
    "Get trending papers in your email inbox!",
]
DATE_LINE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}")


def _lines(name: str) -> list[str]:
    return (SAMPLE_DIR / name).read_text(encoding="utf-8").split("\n")


def _cards(name: str) -> list[tuple[str, str]]:
    """(title, abstract) pairs read straight from the layout the file claims."""
    if name == COMPACT:
        lines = _lines(name)[len(COMPACT_HEADER) :]
        lines[0] = lines[0].removeprefix("Subscribe")
    else:
        lines = [line for line in _lines(name) if line][len(BLANK_SEPARATED_HEADERS[name]) :]
    return list(zip(lines[0::2], lines[1::2], strict=True))


def _normalised(title: str) -> str:
    return "".join(ch for ch in title.casefold() if ch.isalnum())


def _titles_by_key() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for name in EXPECTED_PAPERS:
        for title, _ in _cards(name):
            found[_normalised(title)].append((name, title))
    return found


def _all_abstracts() -> str:
    return "\n".join(abstract for name in EXPECTED_PAPERS for _, abstract in _cards(name))


def test_sample_files_are_the_three_bundled_dumps_in_name_order() -> None:
    """The sample is three dump files inside the installed package, listed in name order."""
    files = sample_files()
    assert [path.name for path in files] == [UNDATED, DATED, COMPACT]
    assert all(path.parent == SAMPLE_DIR and path.is_file() for path in files)
    assert Path(papershelf.__file__).parent / "sample" == SAMPLE_DIR


@pytest.mark.parametrize("name", list(EXPECTED_PAPERS))
def test_sample_file_is_utf8_text_ending_like_a_saved_page(name: str) -> None:
    """Each sample file decodes as strict UTF-8 and, like a saved page, has no final newline."""
    data = (SAMPLE_DIR / name).read_bytes()
    data.decode("utf-8")
    assert not data.endswith(b"\n")
    assert b"\r" not in data


def test_sample_contains_non_ascii_text() -> None:
    """Accents and Greek letters appear, so the sample shows Unicode surviving import."""
    text = "".join((SAMPLE_DIR / name).read_text(encoding="utf-8") for name in EXPECTED_PAPERS)
    assert "Écoute" in text
    assert "μP" in text
    assert "λ" in text


@pytest.mark.parametrize("name", [DATED, UNDATED])
def test_blank_separated_sample_has_its_header_and_a_blank_line_between_every_line(
    name: str,
) -> None:
    """The dated and undated samples open with the real page header and alternate text/blank."""
    lines = _lines(name)
    header = BLANK_SEPARATED_HEADERS[name]
    assert lines[0 : 2 * len(header) : 2] == header
    assert all(line for line in lines[0::2])
    assert not any(lines[1::2])
    assert len(_cards(name)) == EXPECTED_PAPERS[name]


def test_dated_sample_has_one_date_line_and_undated_sample_has_none() -> None:
    """Only the 2026-03-14 sample carries a date line ("Mar 14"), right after the header."""
    assert [line for line in _lines(DATED) if DATE_LINE.fullmatch(line)] == ["Mar 14"]
    assert not [line for line in _lines(UNDATED) if DATE_LINE.fullmatch(line)]


def test_compact_sample_has_no_blank_lines_and_subscribe_glued_to_the_first_title() -> None:
    """The compact sample has no blank line and its first title follows "Subscribe" directly."""
    lines = _lines(COMPACT)
    assert lines[: len(COMPACT_HEADER)] == COMPACT_HEADER
    assert all(line.strip() for line in lines)
    first = lines[len(COMPACT_HEADER)]
    assert first.startswith("Subscribe") and first[len("Subscribe")].isupper()
    assert len(_cards(COMPACT)) == EXPECTED_PAPERS[COMPACT]


def test_sample_holds_forty_distinct_papers_by_normalised_title() -> None:
    """Across the three files the sample holds 40 distinct papers once titles are normalised."""
    assert len(_titles_by_key()) == DISTINCT_PAPERS
    assert sum(EXPECTED_PAPERS.values()) == DISTINCT_PAPERS + DUPLICATES


def test_sample_repeats_four_papers_across_files_one_with_a_differently_written_title() -> None:
    """Four papers appear in two files each, and some repeats differ only in spacing or case."""
    repeats = [entries for entries in _titles_by_key().values() if len(entries) > 1]
    assert len(repeats) == DUPLICATES
    assert all(len({name for name, _ in entries}) == 2 for entries in repeats)
    near = [entries for entries in repeats if len({title for _, title in entries}) == 2]
    assert len(near) == 2


@pytest.mark.parametrize(
    "written",
    [
        "https://github.com/",
        "url{http://github.com/",
        " github.com/",
        "www.github.com/",
        "http://www.github.com/",
        "(https://github.com/",
        "https://github. com/",
        "https://gitlab.com/",
        "https://huface.online/",
        "https://huggingface.co/datasets/",
        "https://huggingface.co/spaces/",
        "/{https://papershelf-sample.github.io/",
    ],
)
def test_sample_shows_each_way_dumps_write_links(written: str) -> None:
    """Each link spelling met in real dumps occurs in some sample abstract."""
    assert written in _all_abstracts()


def test_sample_has_code_links_in_about_half_its_papers() -> None:
    """22 of the 40 distinct papers point at a code repository (GitHub or GitLab)."""
    code = re.compile(r"(?:github\.\s?com|gitlab\.com)/")
    with_code = {
        _normalised(title)
        for name in EXPECTED_PAPERS
        for title, abstract in _cards(name)
        if code.search(abstract)
    }
    assert len(with_code) == 22


@pytest.mark.parametrize(
    "written", ["[MASK]", "[CLS]", "[/INST]", "&", "`__call__`", "**", r"\textit{", r"\times"]
)
def test_sample_text_contains_markup_look_alikes(written: str) -> None:
    """Brackets, Markdown and LaTeX leftovers appear so the UI's plain-text rendering is shown."""
    text = "\n".join(f"{t}\n{a}" for name in EXPECTED_PAPERS for t, a in _cards(name))
    assert written in text


@pytest.mark.parametrize("name", list(EXPECTED_PAPERS))
def test_importer_reads_each_sample_file_without_warnings(name: str) -> None:
    """The importer opens every sample file and reads all its papers with no repairs."""
    dump = importers.open_dump(SAMPLE_DIR / name)
    papers = list(dump.papers())
    assert dump.format == "hf_text"
    assert dump.warnings == []
    assert [(p.title, p.abstract) for p in papers] == _cards(name)
    expected_date = "Mar 14" if name == DATED else None
    assert {p.date_label for p in papers} == {expected_date}
