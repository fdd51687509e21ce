"""What SQLite alone costs per imported paper: the floor under the import rate.

Copies an imported library's rows, already built, into a new library with the same
schema, the way the importer writes them (one transaction, `executemany` in batches,
foreign keys off, FTS filled by `INSERT ... SELECT`), and times each kind of write.
No parsing, cleaning, tagging or dedupe runs, so an import can never be faster than
this on the same machine; the gap between the two is what Python costs.

    python -m bench.sql_floor --db bench/out/lib-100k.db
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from papershelf.ingest import (
    BATCH,
    FTS_ABSTRACTS,
    FTS_TITLES,
    IMPORT_CACHE_KIB,
    INSERT_PAPERS,
    PAPER_COLUMNS,
)
from papershelf.library import Library, marks

COPIED = {
    "papers": f"SELECT {PAPER_COLUMNS} FROM papers ORDER BY pk",
    "links": "SELECT paper, position, url, kind, host, original FROM links",
    "paper_topics": "SELECT paper, slug, origin FROM paper_topics WHERE origin = 'auto'",
    "paper_sources": (
        "SELECT paper, 1, min(line), date_label FROM paper_sources GROUP BY paper ORDER BY paper"
    ),
    "terms": "SELECT term, papers, reversed FROM terms",
}


@dataclass(frozen=True, slots=True)
class Floor:
    """Microseconds of wall time per paper for each kind of write, and in all."""

    papers: int
    us_per_paper: dict[str, float]

    @property
    def total(self) -> float:
        return sum(self.us_per_paper.values())


def rows_of(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return {table: conn.execute(sql).fetchall() for table, sql in COPIED.items()}


def write(target: Path, rows: dict[str, list[tuple[object, ...]]]) -> Floor:
    """Write the rows into a new library at `target`, timing each step."""
    Library(target).close()
    conn = sqlite3.connect(target, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute(
        "INSERT INTO sources(id, path, sha256, format, encoding, size, imported_at) "
        "VALUES (1, 'floor', '', 'floor', 'utf-8', 0, '')"
    )
    last = len(rows["papers"])

    def many(sql: str, values: list[tuple[object, ...]]) -> None:
        for first in range(0, len(values), BATCH):
            conn.executemany(sql, values[first : first + BATCH])

    def links_and_topics() -> None:
        many(f"INSERT INTO links VALUES ({marks(6)})", rows["links"])
        many(f"INSERT INTO paper_topics VALUES ({marks(3)})", rows["paper_topics"])

    def fts() -> None:
        conn.execute(FTS_TITLES, (1, last))
        conn.execute(FTS_ABSTRACTS, (1, last))

    steps: dict[str, Callable[[], object]] = {
        "papers": lambda: many(INSERT_PAPERS, rows["papers"]),
        "links and topics": links_and_topics,
        "provenance": lambda: many(
            f"INSERT INTO paper_sources VALUES ({marks(4)})", rows["paper_sources"]
        ),
        "fts": fts,
        "terms": lambda: many(f"INSERT INTO terms VALUES ({marks(3)})", rows["terms"]),
        "commit": lambda: conn.execute("COMMIT"),
    }
    times: dict[str, float] = {}
    for name, step in steps.items():
        start = time.perf_counter()
        step()
        times[name] = time.perf_counter() - start
    conn.close()
    n = max(len(rows["papers"]), 1)
    return Floor(n, {name: seconds / n * 1e6 for name, seconds in times.items()})


def measure(db: Path) -> Floor:
    rows = rows_of(db)
    with tempfile.TemporaryDirectory() as folder:
        return write(Path(folder) / "floor.db", rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="an imported library")
    args = parser.parse_args(argv)
    floor = measure(args.db)
    parts = ", ".join(f"{name} {us:.0f}" for name, us in floor.us_per_paper.items())
    print(f"{floor.papers} papers: {floor.total:.0f} us a paper of SQLite writes ({parts})")
    print(f"so at most {1e6 / floor.total:,.0f} papers/s with no Python work at all")


if __name__ == "__main__":
    main()
