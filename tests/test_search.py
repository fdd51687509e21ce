"""Search: typo-tolerant, order-free, partial words, title hits first, filters in SQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import PAPERS, numbered_papers, write_dump

from papershelf.query import Query
from papershelf.search import Search
from papershelf.shelf import Shelf, open_shelf
from tui.view import Results

EXTRA = [
    (
        "Whispering Pines: Speech Recognition in Dense Forests",
        "We collect forest audio and fine-tune a speech recognition model. Unlike prior "
        "quantization work, we keep full precision.",
    ),
    (
        "Gardening Agents That Plan With Tools",
        "An LLM agent calls garden tools through an API and plans watering schedules. "
        "It beats a hand-written scheduler on three simulated gardens.",
    ),
]


@pytest.fixture
def shelf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Shelf]:
    monkeypatch.setenv("PAPERSHELF_HOME", str(tmp_path / "home"))
    opened = open_shelf(tmp_path / "library.db")
    opened.import_file(write_dump(tmp_path, "a.txt", papers=PAPERS + EXTRA))
    yield opened
    opened.close()


def titles(shelf: Shelf, text: str, **filters: object) -> list[str]:
    query = Query.parse(text)
    return [row.title for row in shelf.lib.rows(shelf.search.run(query))]


def test_typo_still_finds_the_paper(shelf: Shelf) -> None:
    """A misspelt word ("quantizng", "retreival") still finds the paper."""
    assert titles(shelf, "quantizng attention")[0].startswith("Sparse Lanterns")
    assert titles(shelf, "retreival fruit")[0].startswith("Orchard")


def test_word_order_and_partial_words(shelf: Shelf) -> None:
    """Words in any order and word beginnings match."""
    assert titles(shelf, "video coastline")[0].startswith("Tidal Diffusion")
    assert titles(shelf, "coast synth")[0].startswith("Tidal Diffusion")


def test_title_hit_ranks_above_abstract_hit(shelf: Shelf) -> None:
    """A paper with the word in its title ranks above one that only mentions it."""
    found = titles(shelf, "quantizing")
    assert found[0].startswith("Sparse Lanterns")
    assert any(t.startswith("Whispering Pines") for t in titles(shelf, "quantization"))
    assert titles(shelf, "quantization")[0].startswith("Sparse Lanterns")


def test_filters_narrow_the_view(shelf: Shelf) -> None:
    """is:read, is:starred and has:code keep only matching papers."""
    pk = shelf.search.run(Query.parse("orchard"))[0]
    shelf.lib.set_read([pk])
    assert titles(shelf, "is:read") == [shelf.lib.paper(pk).title]
    assert len(titles(shelf, "is:unread")) == 5
    assert titles(shelf, "has:code") == [PAPERS[0][0]]
    assert titles(shelf, "is:starred") == []


def test_topic_filter_and_counts(shelf: Shelf) -> None:
    """A topic filter keeps its papers, and the counts describe the view."""
    query = Query.parse("topic:quantization")
    pks = shelf.search.run(query)
    assert [r.title for r in shelf.lib.rows(pks)] == [PAPERS[0][0]]
    counts = shelf.search.counts(query, pks)
    assert counts.total == 1
    assert counts.topics["quantization"] == 1
    assert counts.states["all"] == 1


@pytest.mark.parametrize(
    "text", ["", "   ", "x" * 10_000, '"unbalanced', "a* OR NEAR(", "[/]\x1b[2J", "(.*)+?"]
)
def test_hostile_search_text_never_crashes(shelf: Shelf, text: str) -> None:
    """Any text typed or pasted into the search box gives results or none, never an error."""
    shelf.search.run(Query.parse(text))


def test_counts_say_when_a_text_matches_more_papers_than_were_read(
    shelf: Shelf, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A word in more papers than a search reads gives the newest ones and says the
    counts are a lower bound; a word in few papers gives them all, counts exact."""
    monkeypatch.setattr("papershelf.search.CANDIDATES", 2)
    search = Search(shelf.lib)
    common = Query.parse("model")
    pks = search.run(common)
    assert len(pks) == 2
    assert search.counts(common, pks).capped
    rare = Query.parse("whispering pines")
    assert not search.counts(rare, search.run(rare)).capped
    results = Results(common, pks, search.counts(common, pks))
    assert results.describe({}).endswith("— 2+ papers")


def test_a_text_the_clock_cut_off_is_read_in_whole_by_finish(tmp_path: Path) -> None:
    """A budget too short for a common word gives some of its papers and says so;
    `finish` reads them all with the command budget and the counts become exact, unless
    a newer keystroke stops it first."""
    with open_shelf(tmp_path / "library.db", topics_path=tmp_path / "none.toml") as shelf:
        shelf.import_file(write_dump(tmp_path, "many.txt", papers=numbered_papers(600)))
        query = Query.parse("lantern")
        search = Search(shelf.lib, budget=0.0)
        hurried = search.counts(query)
        assert hurried.hurried and hurried.capped and hurried.total < 600
        assert not search.finish("lantern", stop=lambda: True)
        assert search.counts(query).hurried
        assert search.finish("lantern")
        whole = search.counts(query)
        assert (whole.total, whole.capped, whole.hurried) == (600, False, False)
        assert not Search(shelf.lib).counts(query).hurried
