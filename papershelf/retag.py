"""Re-applying the topic rules to the whole library after the taxonomy changed.

Only automatic assignments are rewritten. A reader's manual choices (added topics and
removed automatic ones) are separate rows that the tagger never replaces, so they
survive every retag.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from papershelf import facets
from papershelf.library import Library
from papershelf.topics import Tagger

BATCH = 5000


@dataclass(frozen=True, slots=True)
class RetagSummary:
    papers: int
    changed: int
    added: dict[str, int]
    removed: dict[str, int]


def retag(
    lib: Library, tagger: Tagger, on_progress: Callable[[int, int], None] | None = None
) -> RetagSummary:
    """Tag every paper afresh in one transaction; returns what changed per topic."""
    total = lib.count()
    added: Counter[str] = Counter()
    removed: Counter[str] = Counter()
    changed = done = 0
    with lib.write() as conn:
        last = 0
        while batch := conn.execute(
            "SELECT pk, title, abstract FROM papers WHERE pk > ? ORDER BY pk LIMIT ?",
            (last, BATCH),
        ).fetchall():
            last = batch[-1][0]
            current: dict[int, set[str]] = {pk: set() for pk, _, _ in batch}
            chosen: dict[int, set[str]] = {pk: set() for pk, _, _ in batch}
            for pk, slug, origin in conn.execute(
                "SELECT paper, slug, origin FROM paper_topics WHERE paper BETWEEN ? AND ?",
                (batch[0][0], last),
            ):
                (current if origin == "auto" else chosen)[pk].add(slug)
            rows = []
            for pk, title, abstract in batch:
                # The reader's own row for a topic stands in for the tagger's, so a topic
                # the reader added or removed is no change of the rules.
                fresh = set(tagger.tag(title, abstract)) - chosen[pk]
                if fresh != current[pk]:
                    changed += 1
                    added.update(fresh - current[pk])
                    removed.update(current[pk] - fresh)
                rows.extend((pk, slug) for slug in fresh)
            conn.execute(
                "DELETE FROM paper_topics WHERE origin = 'auto' AND paper BETWEEN ? AND ?",
                (batch[0][0], last),
            )
            conn.executemany(
                "INSERT OR IGNORE INTO paper_topics(paper, slug, origin) VALUES (?, ?, 'auto')",
                rows,
            )
            done += len(batch)
            if on_progress:
                on_progress(done, total)
        facets.rebuild(conn)
    return RetagSummary(total, changed, dict(added), dict(removed))
