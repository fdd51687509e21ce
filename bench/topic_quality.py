"""Topic tagger quality against the hand labels, plus its speed on the real dumps.

Usage: python bench/topic_quality.py [--papers N] [--misses]

Prints per-topic precision/recall/support on tests/labels/topics.toml (development and
held-out labels together), micro figures for each set and both, the
share of distinct real papers that get at least one topic, and microseconds per paper over
the real papers repeated to N (100,000 by default). `--misses` lists each labelled paper the
tagger disagrees with (file, index, missing and extra slugs) for reading it again.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
import tomllib
from pathlib import Path

import importers
from papershelf.topics import Tagger, load_taxonomy

ROOT = Path(__file__).resolve().parents[1]
DUMPS = ROOT / ".." / "shared" / "dumps"
LABELS = ROOT / "tests" / "labels" / "topics.toml"

Papers = dict[str, list[tuple[str, str]]]
Labels = dict[tuple[str, int], set[str]]


def read_dumps() -> Papers:
    """(title, abstract) of every paper, by dump file name, in importer order."""
    return {
        path.name: [(p.title, p.abstract) for p in importers.open_dump(path).papers()]
        for path in sorted(DUMPS.glob("*.txt"))
    }


def read_labels(table: str) -> Labels:
    """One table of the labels file: "papers" (development) or "holdout"."""
    data = tomllib.loads(LABELS.read_text(encoding="utf-8"))
    return {
        (name, int(index)): set(slugs)
        for name, papers in data[table].items()
        for index, slugs in papers.items()
    }


def distinct(dumps: Papers) -> list[tuple[str, str]]:
    """One entry per paper, the way the library dedupes titles (case and punctuation folded)."""
    seen: dict[str, tuple[str, str]] = {}
    for papers in dumps.values():
        for title, abstract in papers:
            seen.setdefault(re.sub(r"\W+", "", title.casefold()), (title, abstract))
    return list(seen.values())


def micro(tagger: Tagger, dumps: Papers, labels: Labels, name: str) -> None:
    hits = predicted = expected = 0
    for (file, index), truth in labels.items():
        got = set(tagger.tag(*dumps[file][index]))
        hits, predicted, expected = (
            hits + len(got & truth),
            predicted + len(got),
            expected + len(truth),
        )
    print(
        f"{name:<9} micro precision {hits / predicted:.3f}  recall {hits / expected:.3f}"
        f"  ({len(labels)} papers, {expected} labels, {predicted} predicted)"
    )


def quality(tagger: Tagger, dumps: Papers, labels: Labels, misses: bool) -> None:
    slugs = tagger.taxonomy.slugs
    tp = dict.fromkeys(slugs, 0)
    fp = dict.fromkeys(slugs, 0)
    fn = dict.fromkeys(slugs, 0)
    for (name, index), truth in sorted(labels.items()):
        got = set(tagger.tag(*dumps[name][index]))
        for slug in got & truth:
            tp[slug] += 1
        for slug in got - truth:
            fp[slug] += 1
        for slug in truth - got:
            fn[slug] += 1
        if misses and got != truth:
            missing = " ".join(sorted(truth - got)) or "-"
            extra = " ".join(sorted(got - truth)) or "-"
            print(f"{name} {index:>3}  missing: {missing:<40} extra: {extra}")
    print(
        f"{'topic':<20} {'precision':>9} {'recall':>7} {'support':>7} {'tp':>4} {'fp':>4} {'fn':>4}"
    )
    for slug in slugs:
        predicted, support = tp[slug] + fp[slug], tp[slug] + fn[slug]
        shown_precision = f"{tp[slug] / predicted:.2f}" if predicted else "-"
        shown_recall = f"{tp[slug] / support:.2f}" if support else "-"
        print(
            f"{slug:<20} {shown_precision:>9} {shown_recall:>7} {support:>7}"
            f" {tp[slug]:>4} {fp[slug]:>4} {fn[slug]:>4}"
        )
    all_tp, all_fp, all_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision, recall = all_tp / (all_tp + all_fp), all_tp / (all_tp + all_fn)
    f1 = 2 * precision * recall / (precision + recall)
    print(
        f"all       micro precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}"
        f"  ({len(labels)} papers, {all_tp + all_fn} labels, {all_tp + all_fp} predicted)"
    )


def coverage(tagger: Tagger, papers: list[tuple[str, str]]) -> None:
    tagged = [tagger.tag(title, abstract) for title, abstract in papers]
    some = sum(1 for topics in tagged if topics)
    per_paper = sum(len(topics) for topics in tagged) / len(papers)
    print(
        f"coverage: {some}/{len(papers)} distinct papers have a topic ({some / len(papers):.1%}),"
        f" {per_paper:.2f} topics per paper"
    )


def speed(tagger: Tagger, dumps: Papers, count: int) -> None:
    """Tagger time per paper, as wall and CPU time (CPU time ignores a busy machine's waits).

    `sum(range(1000))` timed the same way lets readers scale the figure to their machine.
    """
    papers = [paper for papers in dumps.values() for paper in papers]
    corpus = (papers * (count // len(papers) + 1))[:count]
    tag = tagger.tag
    wall, cpu = time.perf_counter(), time.process_time()
    for title, abstract in corpus:
        tag(title, abstract)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    check = time.process_time()
    for _ in range(2000):
        sum(range(1000))
    check = (time.process_time() - check) / 2000
    print(
        f"speed: {cpu / count * 1e6:.1f} us/paper CPU, {wall / count * 1e6:.1f} us wall,"
        f" over {count:,} papers ({count / cpu:,.0f} papers/s of CPU);"
        f" machine check: sum(range(1000)) takes {check * 1e6:.1f} us CPU"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=100_000, help="papers for the speed run")
    parser.add_argument("--misses", action="store_true", help="list disagreements")
    args = parser.parse_args()
    if not DUMPS.is_dir():
        print(f"no dumps at {DUMPS}", file=sys.stderr)
        return 1
    start = time.perf_counter()
    tagger = Tagger(load_taxonomy())
    built = time.perf_counter() - start
    dumps = read_dumps()
    development, holdout = read_labels("papers"), read_labels("holdout")
    quality(tagger, dumps, development | holdout, args.misses)
    micro(tagger, dumps, development, "dev")
    micro(tagger, dumps, holdout, "holdout")
    coverage(tagger, distinct(dumps))
    print(f"taxonomy load + tagger build: {built * 1e3:.0f} ms")
    speed(tagger, dumps, args.papers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
