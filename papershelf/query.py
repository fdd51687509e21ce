"""The reader's current view as an immutable value.

A `Query` is free text, a tuple of filter terms and a sort order. It parses from and
prints to the same little language the search box and the CLI accept
(`topic:quantization -is:read sort:title kv cache`), builds new views with a few verbs,
and describes itself for the header (`unread · Quantization · "kv cache"`), all without a
database or a UI. Which keys and values exist is the filter table's business
(`papershelf.filters`): nothing here names a filter.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, replace

from papershelf.filters import SORTS, Filter, QueryError, Term, filter_for, sort_named

FILTER_WORD = re.compile(r"(-?)([A-Za-z]+):(?!//)(.+)", re.DOTALL)
"""`key:value` or `-key:value`; `https://...` stays text."""


@dataclass(frozen=True, slots=True)
class Query:
    text: str = ""
    terms: tuple[Term, ...] = ()
    sort: str = ""
    """A name from `filters.SORTS`; empty for the default (relevance with text, else
    newest)."""

    @classmethod
    def parse(cls, source: str) -> Query:
        """Read the search-box language. A `key:value` word must name a filter and, for a
        filter with fixed values, one of them: a QueryError says which word is wrong."""
        try:
            words = shlex.split(source)
        except ValueError:
            words = source.split()
        query = cls()
        free: list[str] = []
        for word in words:
            found = FILTER_WORD.fullmatch(word)
            if found is None:
                free.append(word)
                continue
            minus, key, value = found.groups()
            key = key.lower()
            if key == "sort" and not minus:
                query = query.sorted_by(sort_named(value.lower()).name)
                continue
            if filter_or_lowered(Term(key, value)).values:
                value = value.lower()
            query = query.with_term(Term(key, value, bool(minus)))
        return replace(query, text=" ".join(free))

    def __str__(self) -> str:
        parts = [str(term) for term in self.terms]
        if self.sort:
            parts.append(f"sort:{self.sort}")
        if self.text:
            parts.append(self.text)
        return " ".join(parts)

    def matching(self, text: str) -> Query:
        return replace(self, text=" ".join(text.split()))

    def with_term(self, term: Term) -> Query:
        """The view narrowed by a term; it replaces a term of the same filter unless the
        filter takes several values, and a term it contradicts (`is:starred` after
        `-is:starred`)."""
        filter_ = filter_for(term.positive)
        kept = tuple(
            old
            for old in self.terms
            if old.positive != term.positive
            and (filter_.multiple or filter_for(old.positive) is not filter_)
        )
        return replace(self, terms=(*kept, term))

    def without(self, term: Term) -> Query:
        """The view without a term (negated or not)."""
        return replace(self, terms=tuple(t for t in self.terms if t.positive != term.positive))

    def toggled(self, term: Term) -> Query:
        """Off if the view has exactly this term, else on."""
        return self.without(term) if term in self.terms else self.with_term(term)

    def without_filter(self, filter_: Filter) -> Query:
        return replace(
            self, terms=tuple(t for t in self.terms if filter_for(t.positive) is not filter_)
        )

    def value_of(self, filter_: Filter) -> str | None:
        """The value a single-valued filter has in this view, if it is on (not negated)."""
        for term in self.terms:
            if not term.negated and filter_for(term.positive) is filter_:
                return term.value
        return None

    def sorted_by(self, name: str) -> Query:
        return replace(self, sort=sort_named(name).name if name else "")

    @property
    def order(self) -> str:
        """The sort that applies: the chosen one, else relevance for text, else newest."""
        return self.sort or ("relevance" if self.text else "newest")

    def cleared(self) -> Query:
        """Every filter off; the search text and the order stay, since they are not filters."""
        return Query(text=self.text, sort=self.sort)

    @property
    def is_filtered(self) -> bool:
        return self != Query()

    def describe(self, labels: Mapping[str, str] | None = None) -> str:
        """`unread · not starred · Quantization · "kv cache" · by title`; `labels` names
        values by what the reader knows them as (a topic's name for its slug)."""
        names = labels or {}
        parts: list[str] = []
        for term in self.terms:
            text = filter_for(term.positive).describe.format(names.get(term.value, term.value))
            parts.append(f"not {text}" if term.negated else text)
        if self.text:
            parts.append(f'"{self.text}"')
        if self.sort:
            parts.append(next(s.describe for s in SORTS if s.name == self.sort))
        return " · ".join(parts) if parts else "all papers"


def filter_or_lowered(term: Term) -> Filter:
    """The filter of a typed term; fixed values are matched in any case (`is:Unread`)."""
    lowered = Term(term.key, term.value.lower())
    for candidate in (term.positive, lowered):
        try:
            return filter_for(candidate)
        except QueryError:
            continue
    return filter_for(term.positive)
