"""What the main screen shows: the query it is built from and the results it produced.

The screen keeps two halves of the query apart: the filters chosen with keys and the
sidebar, and the text of the search box (which may hold filters too, such as
`is:starred`). `combine` joins them into the one `Query` the search runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from papershelf.query import Query
from papershelf.search import Counts
from papershelf.text import one_line


def combine(filters: Query, text: str) -> Query:
    """The view for the chosen filters plus what the search box says."""
    typed = Query.parse(text)
    topics = filters.topics + tuple(t for t in typed.topics if t not in filters.topics)
    return replace(
        filters,
        text=typed.text,
        topics=topics,
        state=typed.state if typed.state != "all" else filters.state,
        starred=filters.starred or typed.starred,
        has_code=filters.has_code or typed.has_code,
        list_name=typed.list_name or filters.list_name,
        no_topic=(filters.no_topic or typed.no_topic) and not topics,
    )


@dataclass(frozen=True, slots=True, eq=False)
class Results:
    """One finished search. Compared by identity, so a reactive holding it never compares
    a million pks; `untopiced` is how many papers `query.untopiced()` would show."""

    query: Query
    pks: Sequence[int] = ()
    counts: Counts = field(default_factory=lambda: Counts(0, {}, {}))
    untopiced: int = 0

    def describe(self, topic_names: Mapping[str, str]) -> str:
        """The header subtitle: `unread · Quantization · "kv cache" — 12 papers`; `2000+
        papers` when the text matched more papers than the search read."""
        n = len(self.pks)
        more = "+" if self.counts.capped else ""
        return one_line(f"{self.query.describe(topic_names)} — {n}{more} paper{'s' * (n != 1)}")
