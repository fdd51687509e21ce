"""Quality and speed of "more like this" and "for you" (papershelf/similar.py), with
arxiv-sanity's tf-idf + LinearSVC and plain tf-idf cosine measured on the same readers.

Usage: python -m bench.recommend [--sizes real,100k] [--seeds 5] [--queries 60]

Readers are simulated from the hand topic labels (tests/labels/topics.toml, 156 real
papers): for each topic with at least MIN_TOPIC labelled papers and each seed, the reader
stars a random half of them, and the rest of the library is ranked. Only labelled papers
can be judged, so precision@10 and @50 are taken over the labelled papers in ranking
order (the starred ones left out): the share that carry the topic. "Similar" ranks the
library against one labelled paper and takes precision@10, over the labelled papers, of
sharing at least one of its labels. Sizes: `real` is the 916 real papers alone; `100k`
adds 100k synthetic papers (bench/synth.py) to them, imported after, so the labelled
papers are the oldest.

The anchors follow arxiv-sanity-lite: tf-idf of title and abstract (unigrams and
bigrams, English stop words, sublinear tf, at most 10,000 features, min_df 5, max_df
0.5) and a LinearSVC (balanced classes, C=0.1) fitted with the starred papers against
every other paper (for "similar", the one paper against every other); and plain tf-idf
cosine (scikit-learn's defaults), to the mean of the starred papers. papershelf ranks
with its own stored counts, as the app does.

Speed, papershelf only, on the real library file: counting every paper's words from
nothing (what the first use pays), loading the stored counts into a model (what every
new process pays), "similar" with the model loaded, "for you" after a star (the app's
search of the unread view sorted for you), and `papershelf similar ID` as a process.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

import importers
from bench import imports, machine, run, synth
from bench.topic_quality import DUMPS, read_labels
from papershelf.ingest import heading
from papershelf.library import Library
from papershelf.query import Query
from papershelf.search import Search
from papershelf.similar import Model, Signals, combine, stored_blocks, update
from papershelf.undo import Star, apply, revert

HERE = Path(__file__).resolve().parent
MIN_TOPIC = 10
SPEED_RUNS = 30

Scorer = Callable[[Sequence[int]], np.ndarray]
"""Scores of every row of the library for a reader who starred these rows."""


def library(label: str, out: Path, data: Path) -> Path:
    """The benchmark library of a size, built once: the real dumps, then synthetic ones."""
    db = out / f"rec-{label}.db"
    if not db.exists():
        home = out / "home"
        if label == "real":
            imports.cli(db, home, "import", str(DUMPS))
        else:
            synthetic = run.ensure_data(data / label, synth.parse_size(label))
            imports.build(db, home, DUMPS, synthetic)
    return db


def labelled_rows(lib: Library, pks: np.ndarray) -> dict[int, set[str]]:
    """Row of each hand-labelled paper in the model, with its topics (found by title key,
    the way the importer dedupes)."""
    labels = read_labels("papers") | read_labels("holdout")
    papers = {p.name: list(importers.open_dump(p).papers()) for p in sorted(DUMPS.glob("*.txt"))}
    rows: dict[int, set[str]] = {}
    for (name, index), topics in labels.items():
        head = heading(papers[name][index])
        found = (
            head
            and lib.conn.execute(
                "SELECT pk FROM papers WHERE title_key = ?", (head.key,)
            ).fetchone()
        )
        if found:
            at = int(np.searchsorted(pks, found[0]))
            rows[at] = rows.get(at, set()) | topics
    return rows


def precision(scores: np.ndarray, rows: list[int], good: Callable[[int], bool], k: int) -> float:
    """The share of the `k` best scored of `rows` that are good."""
    ranked = sorted(rows, key=lambda r: -scores[r])[:k]
    return sum(good(r) for r in ranked) / len(ranked)


def readers(labels: dict[int, set[str]], seeds: int) -> list[tuple[str, list[int]]]:
    """(topic, starred rows) of every simulated reader."""
    by_topic: dict[str, list[int]] = {}
    for row, topics in sorted(labels.items()):
        for topic in topics:
            by_topic.setdefault(topic, []).append(row)
    found = []
    for topic, rows in sorted(by_topic.items()):
        if len(rows) >= MIN_TOPIC:
            for seed in range(seeds):
                shuffled = rows[:]
                random.Random(seed).shuffle(shuffled)
                found.append((topic, shuffled[: len(rows) // 2]))
    return found


def for_you_quality(
    score: Scorer, labels: dict[int, set[str]], simulated: list[tuple[str, list[int]]]
) -> tuple[float, float]:
    at10, at50 = [], []
    for topic, starred in simulated:
        scores = score(starred)
        rest = [r for r in labels if r not in set(starred)]
        relevant = {r for r in rest if topic in labels[r]}
        at10.append(precision(scores, rest, relevant.__contains__, 10))
        at50.append(precision(scores, rest, relevant.__contains__, 50))
    return statistics.mean(at10), statistics.mean(at50)


def similar_quality(score: Scorer, labels: dict[int, set[str]], queries: list[int]) -> float:
    found = []
    for query in queries:
        scores = score([query])
        rest = [r for r in labels if r != query]
        relevant = {r for r in rest if labels[r] & labels[query]}
        found.append(precision(scores, rest, relevant.__contains__, 10))
    return statistics.mean(found)


def anchors(texts: list[str]) -> dict[str, tuple[Scorer, Scorer]]:
    """(for-you scorer, similar scorer) of arxiv-sanity and of plain tf-idf cosine."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.svm import LinearSVC

    sanity = TfidfVectorizer(
        strip_accents="unicode",
        lowercase=True,
        analyzer="word",
        stop_words="english",
        token_pattern=r"(?u)\b[a-zA-Z_][a-zA-Z0-9_]+\b",
        ngram_range=(1, 2),
        max_features=10_000,
        norm="l2",
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=True,
        max_df=0.5,
        min_df=5,
    ).fit_transform(texts)
    plain = TfidfVectorizer().fit_transform(texts)

    def svm(starred: Sequence[int]) -> np.ndarray:
        wanted = np.zeros(sanity.shape[0])
        wanted[list(starred)] = 1
        fitted = LinearSVC(class_weight="balanced", max_iter=10_000, tol=1e-6, C=0.1)
        return fitted.fit(sanity, wanted).decision_function(sanity)

    def cosine(starred: Sequence[int]) -> np.ndarray:
        centre = np.asarray(plain[list(starred)].mean(axis=0)).ravel()
        return plain @ centre

    return {
        "arxiv-sanity (tf-idf + LinearSVC)": (svm, svm),
        "plain tf-idf cosine": (cosine, cosine),
    }


def ours(model: Model) -> tuple[Scorer, Scorer]:
    def for_you(starred: Sequence[int]) -> np.ndarray:
        weights = model.weights(Signals(liked=tuple(int(model.pks[r]) for r in starred)))
        assert weights is not None
        return model.matrix @ weights

    def similar(rows: Sequence[int]) -> np.ndarray:
        return model.matrix @ model.dense(rows[0])

    return for_you, similar


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def milliseconds(values: list[float]) -> dict[str, float]:
    return {k: (v if k == "n" else round(v * 1e3, 1)) for k, v in machine.summary(values).items()}


def speed(db: Path, out: Path, model: Model) -> dict[str, object]:
    """Warm "similar", "for you" after each of ten stars, and the CLI as a process."""
    rng = random.Random(7)
    with Library(db) as lib:
        search = Search(lib)
        search.recommender.model()
        picks = [int(model.pks[rng.randrange(len(model.pks))]) for _ in range(SPEED_RUNS)]
        similar = [timed(lambda pk=pk: search.recommender.similar(pk, 10)) for pk in picks]
        view = Query.parse("is:unread sort:for-you")
        entries, for_you = [], []
        for pk in picks[:10]:
            entries.append(apply(lib, Star((pk,))))
            for_you.append(timed(lambda: search.run(view)))
        for entry in reversed(entries):
            revert(lib, entry)
        ref = lib.conn.execute("SELECT id FROM papers WHERE pk = ?", (picks[0],)).fetchone()[0]
    process = [imports.cli(db, out / "home", "similar", ref)[0].wall for _ in range(3)]
    return {
        "similar_ms": milliseconds(similar),
        "for_you_ms": milliseconds(for_you),
        "cli_similar_s": round(statistics.median(process), 2),
    }


def measure(label: str, args: argparse.Namespace) -> dict[str, object]:
    db = library(label, args.out, args.data)
    with Library(db) as lib:
        lib.conn.execute("DELETE FROM vector_blocks")
        counted = timed(lambda: update(lib))
        blocks = [b for _, b in stored_blocks(lib.conn)]
        stored = lib.conn.execute(
            "SELECT sum(length(pks) + length(offsets) + length(ids) + length(counts) "
            "+ length(words) + length(bare)) FROM vector_blocks"
        ).fetchone()[0]
        start = time.perf_counter()
        model = Model(combine([b for _, b in stored_blocks(lib.conn)]))
        loaded = time.perf_counter() - start
        labels = labelled_rows(lib, model.pks)
        texts = [
            f"{title} {abstract}"
            for _, title, abstract in lib.conn.execute(
                "SELECT pk, title, abstract FROM papers ORDER BY pk"
            )
        ]
    papers = len(model.pks)
    assert len(texts) == papers, "every paper has a vector"
    simulated = readers(labels, args.seeds)
    queries = sorted(r for r, topics in labels.items() if topics)
    if len(queries) > args.queries:
        queries = sorted(random.Random(3).sample(queries, args.queries))
    quality = {}
    for name, (for_you, similar) in {"papershelf": ours(model), **anchors(texts)}.items():
        start = time.perf_counter()
        at10, at50 = for_you_quality(for_you, labels, simulated)
        spent = (time.perf_counter() - start) / len(simulated)
        quality[name] = {
            "for_you_p10": round(at10, 3),
            "for_you_p50": round(at50, 3),
            "similar_p10": round(similar_quality(similar, labels, queries), 3),
            "per_reader_s": round(spent, 3),
        }
    matrix = model.matrix
    return {
        "papers": papers,
        "labelled": len(labels),
        "readers": len(simulated),
        "similar_queries": len(queries),
        "quality": quality,
        "count_s": round(counted, 1),
        "load_s": round(loaded, 2),
        "stored_mb_per_1k": round(stored / 1e6 / papers * 1000, 3),
        "memory_mb_per_1k": round(
            (matrix.data.nbytes + matrix.indices.nbytes + matrix.indptr.nbytes)
            / 1e6
            / papers
            * 1000,
            3,
        ),
        "blocks": len(blocks),
        "speed": speed(db, args.out, model),
        "machine": machine.describe(),
    }


def report(label: str, found: dict[str, object]) -> None:
    print(
        f"\n{label}: {found['papers']:,} papers, {found['labelled']} labelled, "
        f"{found['readers']} readers, {found['similar_queries']} similar queries"
    )
    print(f"{'method':<36} {'for you p@10':>12} {'p@50':>6} {'similar p@10':>12} {'s/reader':>9}")
    for name, row in found["quality"].items():  # type: ignore[attr-defined]
        print(
            f"{name:<36} {row['for_you_p10']:>12.3f} {row['for_you_p50']:>6.3f}"
            f" {row['similar_p10']:>12.3f} {row['per_reader_s']:>9.3f}"
        )
    print(json.dumps({k: v for k, v in found.items() if k != "quality"}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="real,100k")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--queries", type=int, default=60, help="labelled papers asked 'similar'")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    args = parser.parse_args()
    if not DUMPS.is_dir():
        print(f"no dumps at {DUMPS}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    results = {}
    for label in args.sizes.split(","):
        results[label] = measure(label, args)
        report(label, results[label])
    (args.out / f"recommend-{args.sizes.replace(',', '-')}.json").write_text(
        json.dumps(results, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
