"""More like this and "for you" on a real library file: neighbours, explaining words,
the reader's signals, the stored word counts, and "not interested"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from factories import dump_text, write_dump
from reader_state import reader_rows

from papershelf import similar
from papershelf.cli import cli
from papershelf.query import Query
from papershelf.shelf import Shelf, open_shelf
from papershelf.similar import BLOCK_PAPERS, NO_SIGNAL, Recommender, update
from papershelf.undo import Journal, MarkRead, NotInterested, Star

QUANTIZATION = [
    (
        "Brass Weights: Four-Bit Quantization of Language Model Weights",
        "Brass Weights applies post-training quantization to language model weights, "
        "keeping four bits per weight with a learned rounding grid and small perplexity loss.",
    ),
    (
        "Grid Rounding for Low-Bit Quantization of Transformers",
        "A rounding grid learned per channel makes low-bit quantization of transformer "
        "weights nearly lossless; four bits per weight keep perplexity close to full precision.",
    ),
    (
        "Outlier Channels Break Weight Quantization",
        "Outlier channels dominate the error of weight quantization; splitting them before "
        "rounding keeps three-bit and four-bit language model weights accurate.",
    ),
    (
        "Mixed-Precision Quantization by Channel Sensitivity",
        "Channel sensitivity decides how many bits each weight channel receives in "
        "mixed-precision quantization, with a rounding grid shared across layers.",
    ),
]
RETRIEVAL = [
    (
        "Harbor: Dense Retrieval for Shipping Manifests",
        "Harbor trains a dense retriever over shipping manifests and answers questions with "
        "retrieval-augmented generation, citing the retrieved passages.",
    ),
    (
        "Retrieved Passages Ground Question Answering",
        "Grounding answers in retrieved passages from a dense retriever reduces hallucinated "
        "citations in retrieval-augmented question answering.",
    ),
    (
        "Reranking Retrieved Passages with Citation Feedback",
        "Citation feedback trains a reranker over passages from a dense retriever, so "
        "retrieval-augmented generation cites the passages that answer the question.",
    ),
]
VIDEO = [
    (
        "Glacier Diffusion: Video Synthesis of Melting Ice",
        "A latent video diffusion model synthesises melting glacier footage frame by frame "
        "with temporal attention across frames.",
    ),
    (
        "Temporal Attention for Long Video Diffusion",
        "Temporal attention across frames lets a latent video diffusion model synthesise "
        "minute-long footage without flicker.",
    ),
    (
        "Frame Interpolation with Latent Video Diffusion",
        "Latent video diffusion fills the frames between two keyframes; temporal attention "
        "keeps the synthesised footage smooth.",
    ),
]
PAPERS = QUANTIZATION + RETRIEVAL + VIDEO


@pytest.fixture
def shelf(tmp_path: Path) -> Iterator[Shelf]:
    opened = open_shelf(tmp_path / "library.db")
    opened.import_file(write_dump(tmp_path, "papers.txt", papers=PAPERS))
    yield opened
    opened.close()


def pk_of(shelf: Shelf, title: str) -> int:
    return shelf.lib.conn.execute("SELECT pk FROM papers WHERE title = ?", (title,)).fetchone()[0]


def titles(shelf: Shelf, pks: list[int]) -> list[str]:
    return [row.title for row in shelf.lib.rows(pks)]


def test_similar_gives_the_papers_on_the_same_subject_with_the_words_they_share(
    shelf: Shelf,
) -> None:
    """The nearest papers to a quantization paper are the other quantization papers, each
    explained by words both abstracts hold."""
    matches = Recommender(shelf.lib).similar(pk_of(shelf, QUANTIZATION[0][0]), limit=3)
    assert set(titles(shelf, [m.pk for m in matches])) == {t for t, _ in QUANTIZATION[1:]}
    assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)
    for match in matches:
        paper = shelf.lib.paper(match.pk)
        assert match.terms
        for term in match.terms:
            assert term in (paper.title + " " + paper.abstract).lower().replace("-", " ")
            assert term in (QUANTIZATION[0][0] + " " + QUANTIZATION[0][1]).lower()


def test_word_counts_are_stored_once_then_only_new_papers_are_counted(
    shelf: Shelf, tmp_path: Path
) -> None:
    """The first use counts every paper and stores it; later uses count only what arrived,
    and the stored blocks fold into one."""
    assert update(shelf.lib) == len(PAPERS)
    assert update(shelf.lib) == 0
    pebble = ("Pebble Quantization", "Pebble rounds language model weights to two bits.")
    shelf.import_file(write_dump(tmp_path, "more.txt", papers=[pebble]))
    assert update(shelf.lib) == 1
    assert shelf.lib.conn.execute("SELECT count(*) FROM vector_blocks").fetchone()[0] == 1
    fresh = Recommender(shelf.lib)
    near = fresh.similar(pk_of(shelf, "Pebble Quantization"), limit=1)
    assert near and "quantization" in near[0].terms


def test_for_you_puts_papers_like_the_starred_ones_first(shelf: Shelf) -> None:
    """Two starred quantization papers pull the other two to the top of the unread view;
    the starred papers themselves go to the end."""
    journal = Journal(shelf.lib)
    starred = [pk_of(shelf, t) for t, _ in QUANTIZATION[:2]]
    journal.apply(Star(tuple(starred)))
    ranked = shelf.search.run(Query.parse("sort:for-you"))
    assert set(titles(shelf, list(ranked[:2]))) == {t for t, _ in QUANTIZATION[2:]}
    assert list(ranked[-2:]) == [pk for pk in ranked if pk in starred]
    reasons = shelf.search.recommender.reasons(ranked[0])
    assert reasons and any("quantization" in word or "weight" in word for word in reasons)


def test_not_interested_pushes_like_papers_down_and_a_star_reranks_at_once(shelf: Shelf) -> None:
    """Marking a video paper not interested sinks the other video papers below the rest;
    starring a retrieval paper then brings retrieval papers up in the same `Search`."""
    journal = Journal(shelf.lib)
    journal.apply(NotInterested((pk_of(shelf, VIDEO[0][0]),)))
    ranked = list(shelf.search.run(Query.parse("is:unread sort:for-you")))
    assert set(titles(shelf, ranked[-2:])) == {t for t, _ in VIDEO[1:]}
    journal.apply(Star((pk_of(shelf, RETRIEVAL[0][0]),)))
    ranked = list(shelf.search.run(Query.parse("is:unread sort:for-you")))
    assert set(titles(shelf, ranked[:2])) == {t for t, _ in RETRIEVAL[1:]}


def test_without_a_signal_for_you_is_newest_first(shelf: Shelf) -> None:
    newest = list(shelf.search.run(Query.parse("sort:newest")))
    assert list(shelf.search.run(Query.parse("sort:for-you"))) == newest
    assert not shelf.search.recommender.has_signal()
    Journal(shelf.lib).apply(MarkRead((newest[0],)))
    assert shelf.search.recommender.has_signal()


def test_not_interested_leaves_the_unread_view_and_undo_takes_it_back(shelf: Shelf) -> None:
    """A paper marked not interested is out of is:unread and its count, listed by
    is:dismissed, and undo restores the reader's rows exactly."""
    journal = Journal(shelf.lib)
    before = reader_rows(shelf.lib)
    pk = pk_of(shelf, RETRIEVAL[1][0])
    entry = journal.apply(NotInterested((pk,)))
    assert entry.description == "marked 1 paper not interested"
    assert pk not in shelf.search.run(Query.parse("is:unread"))
    assert list(shelf.search.run(Query.parse("is:dismissed"))) == [pk]
    counts = shelf.search.counts(Query())
    assert counts.states["unread"] == len(PAPERS) - 1
    assert journal.apply(NotInterested((pk,))).changed == 0
    journal.undo()
    assert reader_rows(shelf.lib) == before
    assert pk in shelf.search.run(Query.parse("is:unread"))


def test_stats_counts_unread_as_the_unread_view_does(shelf: Shelf) -> None:
    """`papershelf stats` leaves papers marked not interested out of its unread count,
    as the sidebar and `is:unread` do, and counts them on their own."""
    Journal(shelf.lib).apply(NotInterested((pk_of(shelf, RETRIEVAL[1][0]),)))
    result = CliRunner().invoke(cli, ["--db", str(shelf.lib.path), "stats", "--json"])
    figures = json.loads(result.output)
    unread_view = len(shelf.search.run(Query.parse("is:unread")))
    assert (figures["unread"], figures["not_interested"]) == (unread_view, 1)
    assert figures["unread"] == len(PAPERS) - 1
    line = CliRunner().invoke(cli, ["--db", str(shelf.lib.path), "stats"]).output.splitlines()[0]
    assert line.endswith(", 1 not interested")


def test_an_empty_library_has_no_neighbours_and_ranks_nothing(tmp_path: Path) -> None:
    with open_shelf(tmp_path / "empty.db") as empty:
        assert list(empty.search.run(Query.parse("sort:for-you"))) == []
        assert empty.search.recommender.similar(1) == []


@pytest.fixture
def run(shelf: Shelf) -> Iterator[object]:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", str(shelf.lib.path), *args])

    yield invoke


def test_cli_similar_prints_neighbours_with_shared_words(run, shelf: Shelf) -> None:  # type: ignore[no-untyped-def]
    ref = shelf.lib.paper(pk_of(shelf, VIDEO[1][0])).id
    result = run("similar", ref, "--limit", "2", "--json")
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    assert {f["title"] for f in found} == {VIDEO[0][0], VIDEO[2][0]}
    assert set(found[0]) == {"id", "title", "score", "terms", "read", "starred"}
    assert "video diffusion" in found[0]["terms"]
    text = run("similar", ref, "--limit", "1")
    assert text.exit_code == 0 and len(text.output.splitlines()) == 1
    assert found[0]["id"] in text.output and ", ".join(found[0]["terms"]) in text.output


def test_cli_similar_refuses_an_unknown_id_and_a_zero_limit(run) -> None:  # type: ignore[no-untyped-def]
    unknown = run("similar", "nosuchpaper")
    assert unknown.exit_code == 1 and "no paper with id 'nosuchpaper'" in unknown.output
    assert run("similar", "x", "--limit", "0").exit_code == 2


def test_cli_for_you_says_when_it_has_no_signal_and_marks_not_interested(  # type: ignore[no-untyped-def]
    run, shelf: Shelf
) -> None:
    plain = run("search", "--sort", "for-you")
    assert plain.exit_code == 0 and NO_SIGNAL in plain.output
    ref = shelf.lib.paper(pk_of(shelf, QUANTIZATION[0][0])).id
    marked = run("mark", "not-interested", ref)
    assert marked.exit_code == 0 and "marked 1 of 1" in marked.output
    ranked = run("search", "--sort", "for-you", "--unread", "--json")
    assert NO_SIGNAL not in ranked.output
    assert ref not in ranked.output
    assert run("mark", "interested", ref).exit_code == 0
    assert ref in run("search", "--unread").output


@pytest.mark.parametrize("block_papers", [BLOCK_PAPERS, 1])
def test_a_paper_counted_before_its_abstract_came_is_counted_again(
    shelf: Shelf, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block_papers: int
) -> None:
    """A dump that ends on a title gives a paper without abstract; once a later dump
    brings the abstract, the next use counts that paper again (once, whether or not the
    blocks were folded together) and its neighbours follow."""
    monkeypatch.setattr(similar, "BLOCK_PAPERS", block_papers)
    title = "Copper Weights"
    bare = dump_text(VIDEO[:1]) + "\n" + title + "\n"
    shelf.import_file(write_dump(tmp_path, "bare.txt", bare))
    assert shelf.lib.paper(pk_of(shelf, title)).abstract == ""
    update(shelf.lib)
    abstract = "Copper applies post-training quantization to language model weights, four bits."
    shelf.import_file(write_dump(tmp_path, "full.txt", papers=[(title, abstract)]))
    assert update(shelf.lib) == 1
    assert update(shelf.lib) == 0
    near = Recommender(shelf.lib).similar(pk_of(shelf, title), limit=3)
    assert {t for t, _ in QUANTIZATION} >= set(titles(shelf, [m.pk for m in near]))


def test_a_json_export_carries_not_interested_into_a_fresh_library(
    run, shelf: Shelf, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """Exported as JSON and restored into an empty library, a "not interested" mark is
    there again with its time, so the paper stays out of the unread view."""
    pk = pk_of(shelf, VIDEO[2][0])
    Journal(shelf.lib).apply(NotInterested((pk,)))
    (stamp,) = shelf.lib.conn.execute("SELECT at FROM not_interested").fetchone()
    backup = tmp_path / "backup.json"
    assert run("export", "--format", "json", "-o", str(backup)).exit_code == 0
    fresh = tmp_path / "fresh.db"
    restored = CliRunner().invoke(cli, ["--db", str(fresh), "import", str(backup)])
    assert restored.exit_code == 0, restored.output
    with open_shelf(fresh) as other:
        rows = other.lib.conn.execute(
            "SELECT p.title, n.at FROM not_interested n JOIN papers p ON p.pk = n.paper"
        ).fetchall()
        assert rows == [(VIDEO[2][0], stamp)]
        unread = titles(other, list(other.search.run(Query.parse("is:unread"))))
        assert VIDEO[2][0] not in unread and len(unread) == len(PAPERS) - 1
