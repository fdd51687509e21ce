"""The default tagger against hand labels of real papers (tests/labels/topics.toml).

Bars: micro precision >= 0.85 and recall >= 0.75 over the labelled topics (development and
held-out labels together), and at least
95% of the distinct real papers get a topic. bench/topic_quality.py prints the per-topic
figures behind these numbers.
"""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import pytest

import importers
from papershelf.topics import Tagger, load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
DUMPS = ROOT / ".." / "shared" / "dumps"
LABELS = ROOT / "tests" / "labels" / "topics.toml"

MIN_PRECISION = 0.85
MIN_RECALL = 0.75
MIN_COVERAGE = 0.95

Papers = dict[str, list[tuple[str, str]]]


@pytest.fixture(scope="module")
def dumps() -> Papers:
    if not DUMPS.is_dir():
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"real dumps missing from {DUMPS.resolve()} and CI is set", pytrace=False)
        pytest.skip(f"real dumps not present at {DUMPS.resolve()} (outside CI)")
    return {
        path.name: [(paper.title, paper.abstract) for paper in importers.open_dump(path).papers()]
        for path in sorted(DUMPS.glob("*.txt"))
    }


@pytest.fixture(scope="module")
def labels() -> dict[tuple[str, int], set[str]]:
    data = tomllib.loads(LABELS.read_text(encoding="utf-8"))
    return {
        (name, int(index)): set(slugs)
        for table in ("papers", "holdout")
        for name, papers in data[table].items()
        for index, slugs in papers.items()
    }


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy())


def test_labels_name_real_papers_and_default_topics(
    dumps: Papers, labels: dict[tuple[str, int], set[str]]
) -> None:
    """Every label points at an existing paper and uses slugs of the default taxonomy."""
    slugs = set(load_taxonomy().slugs)
    for (name, index), truth in labels.items():
        assert name in dumps and 0 <= index < len(dumps[name]), (name, index)
        assert truth <= slugs, (name, index, truth - slugs)
    assert len(labels) >= 150
    assert {name for name, _ in labels} == set(dumps)


def test_tagger_agrees_with_hand_labels(
    tagger: Tagger, dumps: Papers, labels: dict[tuple[str, int], set[str]]
) -> None:
    """Topics the tagger assigns are mostly right (precision) and mostly complete (recall)."""
    hits = predicted = expected = 0
    for (name, index), truth in labels.items():
        got = set(tagger.tag(*dumps[name][index]))
        hits += len(got & truth)
        predicted += len(got)
        expected += len(truth)
    precision, recall = hits / predicted, hits / expected
    assert precision >= MIN_PRECISION, f"micro precision {precision:.3f} < {MIN_PRECISION}"
    assert recall >= MIN_RECALL, f"micro recall {recall:.3f} < {MIN_RECALL}"


def test_almost_every_real_paper_gets_a_topic(tagger: Tagger, dumps: Papers) -> None:
    """At least 95% of the distinct papers in the real dumps land in some facet."""
    distinct: dict[str, tuple[str, str]] = {}
    for papers in dumps.values():
        for title, abstract in papers:
            distinct.setdefault(re.sub(r"\W+", "", title.casefold()), (title, abstract))
    assert len(distinct) == 916
    tagged = sum(1 for paper in distinct.values() if tagger.tag(*paper))
    coverage = tagged / len(distinct)
    assert coverage >= MIN_COVERAGE, f"{tagged}/{len(distinct)} papers have a topic"
