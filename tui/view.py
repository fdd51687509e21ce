"""What the main screen shows: the query it is built from and the results it produced.

The screen keeps two halves of the query apart: the filters chosen with keys and the
sidebar, and the text of the search box (which may hold filters too, such as
`is:starred`). `combine` joins them into the one `Query` the search runs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from papershelf.query import Query
from papershelf.search import Counts
from papershelf.text import one_line


def combine(filters: Query, text: str) -> Query:
    """The view for the chosen filters plus what the search box says: each typed term
    joins the chosen ones (replacing a chosen value of a one-value filter), and a typed
    `sort:` wins. Raises QueryError for a word that names no filter."""
    typed = Query.parse(text)
    view = filters.matching(typed.text)
    for term in typed.terms:
        view = view.with_term(term)
    return view.sorted_by(typed.sort) if typed.sort else view


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
