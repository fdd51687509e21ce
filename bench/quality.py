"""Ranking quality: do 30 hand-written queries put their target paper first, or in the top 5?

The targets are real papers of ../shared/dumps, named by file and 0-based index; the
queries (bench/queries.toml) carry typos, reordered and partial words, never a copied
title. Run against a library holding the real papers alone, or mixed into 100k or 1M
synthetic ones, the hit rates show whether ranking holds up as the library grows.

    python -m bench.quality --db LIBRARY [--misses]
"""

from __future__ import annotations

import argparse
import tomllib
from dataclasses import dataclass
from pathlib import Path

import importers
from papershelf.ingest import heading
from papershelf.query import Query
from papershelf.search import TYPING_BUDGET_S, Search
from papershelf.shelf import Shelf, open_shelf

HERE = Path(__file__).resolve().parent
QUERIES = HERE / "queries.toml"
DUMPS = HERE.parent.parent / "shared" / "dumps"


@dataclass(frozen=True, slots=True)
class Case:
    query: str
    file: str
    index: int
    kind: str


@dataclass(frozen=True, slots=True)
class Outcome:
    case: Case
    rank: int | None
    """1-based position of the target in the results, None when it is not in the top 50."""


def load_cases(path: Path = QUERIES) -> list[Case]:
    return [Case(**entry) for entry in tomllib.loads(path.read_text("utf-8"))["queries"]]


def target_keys(cases: list[Case], dumps: Path = DUMPS) -> dict[tuple[str, int], str]:
    """The title key of each target paper, read from the real dump at run time."""
    keys: dict[tuple[str, int], str] = {}
    for name in sorted({case.file for case in cases}):
        for index, paper in enumerate(importers.open_dump(dumps / name).papers()):
            head = heading(paper)
            if head is not None:
                keys[(name, index)] = head.key
    return keys


def evaluate(shelf: Shelf, cases: list[Case], dumps: Path = DUMPS) -> list[Outcome]:
    """Each query as the app runs it: under the typing budget, then searched in whole
    where that budget cut it off, as the app does once typing pauses. What the reader
    sees when they stop typing, and the same answer on a loaded machine as on an idle
    one."""
    keys = target_keys(cases, dumps)
    search = Search(shelf.lib, budget=TYPING_BUDGET_S)
    outcomes = []
    for case in cases:
        row = shelf.lib.conn.execute(
            "SELECT pk FROM papers WHERE title_key = ?", (keys[(case.file, case.index)],)
        ).fetchone()
        if row is None:
            raise SystemExit(f"{case.file}#{case.index} is not in the library; import the dumps")
        query = Query.parse(case.query)
        search.run(query)
        search.finish(query.text)
        found = list(search.run(query, limit=50))
        rank = found.index(row[0]) + 1 if row[0] in found else None
        outcomes.append(Outcome(case, rank))
    return outcomes


def hit_rate(outcomes: list[Outcome], within: int) -> float:
    return sum(o.rank is not None and o.rank <= within for o in outcomes) / len(outcomes)


def report(outcomes: list[Outcome], *, misses: bool = False) -> str:
    lines = [
        f"top-1 {hit_rate(outcomes, 1):.2f}  top-5 {hit_rate(outcomes, 5):.2f}  "
        f"({len(outcomes)} queries)"
    ]
    if misses:
        lines.extend(
            f"  rank {o.rank or '>50'}: {o.case.query!r} ({o.case.kind})"
            for o in outcomes
            if o.rank != 1
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--misses", action="store_true", help="list queries not ranked first")
    args = parser.parse_args()
    with open_shelf(args.db) as shelf:
        print(report(evaluate(shelf, load_cases()), misses=args.misses))


if __name__ == "__main__":
    main()
