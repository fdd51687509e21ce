"""The one search path, shared by the TUI (as you type) and the CLI.

Built to answer every keystroke within a few tens of milliseconds at a million papers:

- Filters (topics, read state, stars, code, lists) are bitmaps held in memory
  (`papershelf.facets`), so narrowing a view and counting every facet of it are a few
  big-integer operations, and a view without search text is handed out as a lazy
  `PkView` instead of a list of a million pks.
- Free text goes through two FTS5 indexes, titles and abstracts. Each query word stands
  for the commonest title words starting with its stem, plus the title words closest to
  it when no title word starts with it (`papershelf.terms`), so typos, word order and
  partial words still find the paper. Papers whose title holds every word come first,
  then (for three words or more) titles that miss one word, then papers whose abstract
  or note holds every word; only if none finds anything does a paper need just some of the
  words. Stop words and lone letters (a word just begun) are dropped when other words
  remain.
- Each tier takes at most `CANDIDATES` papers, the newest first, and the tiers share a
  time budget for reading the indexes, short per keystroke and longer for a command (a
  common word typed so far can match most of a million papers). Later tiers run only
  while the earlier ones found few papers. So the cost of a keystroke is bounded whatever
  the library size, while a specific query, which matches few papers, gets all of them.
  A text the short budget cut off can be read again with the long one (`finish`), which
  the app does once typing pauses, so the answer it settles on is whole.
- The head of each tier is re-ranked in Python: more query words in the title first,
  then `papershelf.ranking.score` (rare words, whole words and words side by side as in
  the query count most), then newest first.
"""

from __future__ import annotations

import sqlite3
import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from papershelf import bitmaps
from papershelf.bitmaps import PkView, RangedView
from papershelf.facets import FacetCache, Facets
from papershelf.filters import FILTERS, SORT_BY_NAME, Term, filter_for, resolve
from papershelf.library import Library
from papershelf.query import Query
from papershelf.ranking import Wanted, score, weight
from papershelf.terms import Vocabulary, stem, words

if TYPE_CHECKING:
    from papershelf.similar import Recommender

CANDIDATES = 2000
"""Papers a tier of a text search takes at most (the newest, when more match)."""
RERANK = 200
"""Papers at the head of the first tier reordered by `ranking.score` (half that of others)."""
TITLE_CACHE = 20_000
TYPING_BUDGET_S = 0.02
"""How long the indexes may be read for one keystroke's text; what was found by then is
shown, and the next keystroke comes soon."""
COMMAND_BUDGET_S = 0.5
"""The same for a command (the CLI, exports): whole answers matter more than speed, but a
word in most of a million papers is still cut off."""
WHOLE_ORDER_FROM = 20_000
"""A view this large is put in a stored order by reading every paper in that order, not
by sorting its own pks in SQL."""
STOPWORDS = frozenset(
    {"a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it"}
    | {"its", "of", "on", "or", "our", "the", "to", "via", "we", "with"}
)


@dataclass(frozen=True, slots=True)
class Counts:
    """Sidebar numbers for the current view (its filters but one facet at a time)."""

    total: int
    states: dict[str, int]
    topics: dict[str, int]
    imports: tuple[tuple[str, int, int], ...] = ()
    """Each day of imports, newest first: (day, unread, all) of the papers it brought,
    whatever the view, as a feed list shows them."""
    capped: bool = False
    """A text matched more papers than were read (see `Matches.capped`): every number is
    a lower bound."""
    hurried: bool = False
    """See `Matches.hurried`."""


@dataclass(frozen=True, slots=True)
class Matches:
    """The papers a text matches, best first, and the same papers as a bitmap.

    `capped`: a tier stopped at `CANDIDATES` papers or at the time budget, so more papers
    match than these (the newest were kept). `hurried`: a budget shorter than
    `COMMAND_BUDGET_S` stopped it, so `Search.finish` would find more.
    """

    ranked: list[int]
    bits: int
    capped: bool = False
    hurried: bool = False


@dataclass(frozen=True, slots=True)
class Tier:
    """The papers one FTS query gave, newest first; `cut` when more would have matched,
    `hurried` when the clock cut it."""

    pks: list[int]
    cut: bool
    hurried: bool = False


def lone_letter(word: str) -> bool:
    """A single letter: the start of a word still being typed, which narrows nothing yet."""
    return len(word) == 1 and word.isalpha()


TITLES, ABSTRACTS, NOTES = "papers_fts_titles", "papers_fts_abstracts", "papers_fts_notes"
READING = tuple(f for f in FILTERS if f.section == "Reading")
"""The filters the sidebar's reading states count across (they count each other's papers)."""


def distinct(tiers: list[list[int]], limit: int) -> list[list[int]]:
    """Each paper in its first tier only, and `limit` papers in all."""
    seen: set[int] = set()
    kept: list[list[int]] = []
    for tier in tiers:
        fresh = [pk for pk in tier if pk not in seen][: limit - len(seen)]
        seen.update(fresh)
        kept.append(fresh)
    return kept


def json_ints(values: Sequence[int]) -> str:
    return "[" + ",".join(map(str, values)) + "]"


class Search:
    """Runs queries against one library connection; keeps its filters and recent texts hot.

    Not thread-safe: give each thread its own `Search` on its own `Library`, or serialise.
    """

    def __init__(self, lib: Library, *, budget: float = COMMAND_BUDGET_S) -> None:
        self.lib = lib
        self.budget = budget
        self.facets = FacetCache(lib.conn)
        self.vocabulary = Vocabulary(lib.conn)
        self._matches: OrderedDict[str, Matches] = OrderedDict()
        self._generation = (-1, -1)
        self._last: tuple[Sequence[int], int] | None = None
        self._title_words: dict[int, list[str]] = {}

    @cached_property
    def recommender(self) -> Recommender:
        """Neighbours and the for-you order on this connection, imported on first use:
        start-up never needs them."""
        from papershelf.similar import Recommender

        return Recommender(self.lib)

    # Views ------------------------------------------------------------------------------

    def run(self, query: Query, limit: int | None = None) -> Sequence[int]:
        """The pks of the papers in the view, in the view's order (`Query.order`).

        Without text the result is a lazy sequence over a bitmap (`PkView`, or newest
        first a `RangedView`); with text a list of at most a few thousand pks. A term
        naming a topic, list, source or import the library lacks raises QueryError.
        """
        facets = self._current()
        query = self.resolved(query)
        allowed = self.allowed(query, facets)
        pks: Sequence[int]
        if not words(query.text):
            bits = allowed
            pks = self.ordered(PkView(allowed), query.order)
        else:
            matches = self.matches(query.text)
            bits = matches.bits & allowed
            if bits == matches.bits:
                pks = list(matches.ranked)
            else:
                data = bitmaps.to_bytes(bits)
                pks = [pk for pk in matches.ranked if bitmaps.contains(data, pk)]
            if query.order != "relevance":
                pks = self.ordered(pks, query.order)
        self._last = (pks, bits)
        return pks if limit is None else pks[:limit]

    def ordered(self, pks: Sequence[int], order: str) -> Sequence[int]:
        """Papers in pk order (a view) or ranked (a text's) put in a sort's order."""
        if order == "oldest":
            return pks if isinstance(pks, PkView) else sorted(pks)
        if order == "for-you":
            return self.recommender.rank(self.ordered(pks, "newest"))
        ranges = [r for day in self.facets.imports() for r in day.ranges]
        if order in ("newest", "relevance"):
            if isinstance(pks, PkView):
                return RangedView(pks, ranges)
            place = {low: n for n, (low, _) in enumerate(ranges)}
            lows = sorted(place)

            def newest(pk: int) -> tuple[int, int]:
                at = bisect_right(lows, pk) - 1
                return (place[lows[at]] if at >= 0 else len(lows), pk)

            return sorted(pks, key=newest)
        sql = SORT_BY_NAME[order].order
        if isinstance(pks, PkView) and len(pks) > WHOLE_ORDER_FROM:
            rows = self.lib.conn.execute(f"SELECT pk FROM papers ORDER BY {sql}")
            return [pk for (pk,) in rows if pk in pks]
        return [
            pk
            for (pk,) in self.lib.conn.execute(
                f"SELECT pk FROM papers WHERE pk IN (SELECT value FROM json_each(?)) "
                f"ORDER BY {sql}",
                (json_ints(list(pks)),),
            )
        ]

    def resolved(self, query: Query) -> Query:
        """The query with each value as the library spells it; a QueryError names a
        topic, list, source, date or import the library does not have."""
        terms = []
        for term in query.terms:
            filter_ = filter_for(term.positive)
            if filter_.values:
                terms.append(term)
                continue
            choices = [value for value, _ in self.facets.choices(filter_)]
            terms.append(Term(term.key, resolve(term, filter_, choices), term.negated))
        return replace(query, terms=tuple(terms))

    def count(self, query: Query) -> int:
        """How many papers `run(query)` would give, without building the result."""
        facets = self._current()
        allowed = self.allowed(self.resolved(query), facets)
        if words(query.text):
            allowed &= self.matches(query.text).bits
        return allowed.bit_count()

    def counts(self, query: Query, pks: Sequence[int] | None = None) -> Counts:
        """Counts for the sidebar: topics within the view, states within its other filters."""
        if pks is None:
            pks = self.run(query)
        facets = self._current()
        if self._last is not None and self._last[0] is pks:
            bits = self._last[1]
        elif isinstance(pks, PkView):
            bits = pks.bits
        else:
            bits = bitmaps.from_pks(pks)
        topics = {
            slug: n
            for slug, members in facets.topics.items()
            if (n := (members & bits).bit_count())
        }
        scope = query
        for filter_ in READING:
            scope = scope.without_filter(filter_)
        scope_bits = self.allowed(self.resolved(scope), facets)
        capped = hurried = False
        if words(query.text):
            matches = self.matches(query.text)
            scope_bits &= matches.bits
            capped, hurried = matches.capped, matches.hurried
        total = scope_bits.bit_count()
        read = (scope_bits & facets.read).bit_count()
        states = {
            "all": total,
            "unread": (scope_bits & ~facets.read & ~facets.not_interested).bit_count(),
            "read": read,
            "starred": (scope_bits & facets.starred).bit_count(),
        }
        imports = tuple(
            (
                day.day,
                (day.bits & ~facets.read & ~facets.not_interested).bit_count(),
                day.bits.bit_count(),
            )
            for day in self.facets.imports()
        )
        return Counts(len(pks), states, topics, imports, capped=capped, hurried=hurried)

    def _current(self) -> Facets:
        facets = self.facets.current()
        generation = (self.facets.generation, self.facets.notes)
        if generation != self._generation:
            self._matches.clear()
            self._title_words.clear()
            self.vocabulary.forget(generation[0])
            self._generation = generation
        return facets

    def allowed(self, query: Query, facets: Facets) -> int:
        """The bitmap of papers that pass the query's filters (not its text); the query's
        values are the library's (see `resolved`)."""
        bits = facets.papers
        for term in query.terms:
            members = self.facets.members(filter_for(term.positive).name, term.value)
            bits = bits & ~members if term.negated else bits & members
        return bits

    # Text -------------------------------------------------------------------------------

    def matches(self, text: str) -> Matches:
        """The papers matching a text, ranked; the last few texts are kept."""
        key = self._key(text)
        found = self._matches.get(key)
        if found is None:
            found = self._search(key.split(), self.budget)
            self._keep(key, found)
        else:
            self._matches.move_to_end(key)
        return found

    def finish(self, text: str, stop: Callable[[], bool] = lambda: False) -> bool:
        """Read a text the budget cut off again, with `COMMAND_BUDGET_S`, so later views
        of it are whole. The app calls this once typing pauses; `stop` (checked while the
        indexes are read) gives up for a newer keystroke, and then False is returned."""
        key = self._key(text)
        self._current()
        if key not in self._matches or not self._matches[key].hurried:
            return True
        found = self._search(key.split(), max(self.budget, COMMAND_BUDGET_S), stop)
        if stop():
            return False
        self._keep(key, found)
        return True

    def _key(self, text: str) -> str:
        """The words of a text that search: stop words and lone letters go while others
        remain, so `the kv c` and `kv` share one answer."""
        query_words = words(text)
        kept = [w for w in query_words if w not in STOPWORDS and not lone_letter(w)]
        return " ".join(kept or query_words)

    def _keep(self, key: str, found: Matches) -> None:
        self._matches[key] = found
        self._matches.move_to_end(key)
        if len(self._matches) > 16:
            self._matches.popitem(last=False)

    def variants(self, word: str) -> tuple[str, ...]:
        """The index words one query word stands for: expansions, then corrections."""
        return self.vocabulary.expansions(word) + self.vocabulary.corrections(word)

    def group(self, word: str) -> str:
        """The FTS expression for one query word: any of the index words it stands for."""
        return "(" + " OR ".join(f'"{term}"' for term in self.variants(word)) + ")"

    def _search(
        self, kept: list[str], budget: float, stop: Callable[[], bool] = lambda: False
    ) -> Matches:
        """Tiers, each newest first: every word in the title; then, while fewer than
        `RERANK` papers are found, all words but one in the title (three words or more) and
        every word in the abstract; failing all, any word. All share one time budget."""
        groups = [self.group(w) for w in kept]
        deadline = time.perf_counter() + budget

        def newest(table: str, expression: str) -> Tier:
            found = self._newest(table, expression, deadline, stop)
            if table != ABSTRACTS:
                return found
            noted = self._newest(NOTES, expression, deadline, stop)
            if not noted.pks:
                return found
            pks = sorted({*found.pks, *noted.pks}, reverse=True)[:CANDIDATES]
            return Tier(pks, found.cut or noted.cut, found.hurried or noted.hurried)

        every = " AND ".join(groups)
        tiers = [newest(TITLES, every)]
        if len(groups) >= 3 and len(tiers[0].pks) < RERANK:
            most = " OR ".join(
                "(" + " AND ".join(g for j, g in enumerate(groups) if j != i) + ")"
                for i in range(len(groups))
            )
            tiers.append(newest(TITLES, most))
        if sum(len(tier.pks) for tier in tiers) < RERANK:
            tiers.append(newest(ABSTRACTS, every))
        if not any(tier.pks for tier in tiers) and len(groups) > 1:
            anything = " OR ".join(groups)
            tiers = [newest(TITLES, anything), newest(ABSTRACTS, anything)]
        taken = distinct([tier.pks for tier in tiers], CANDIDATES)
        found = set().union(*(tier.pks for tier in tiers))
        capped = any(tier.cut for tier in tiers) or sum(map(len, taken)) < len(found)
        hurried = budget < COMMAND_BUDGET_S and any(tier.hurried for tier in tiers)
        ranked = self.rank(kept, taken)
        return Matches(ranked, bitmaps.from_pks(ranked), capped, hurried)

    def _newest(
        self, table: str, expression: str, deadline: float, stop: Callable[[], bool]
    ) -> Tier:
        """Up to `CANDIDATES` matches, newest first, as many as can be read by `deadline`
        (or until `stop` says so)."""
        conn = self.lib.conn
        conn.set_progress_handler(lambda: time.perf_counter() > deadline or stop(), 2000)
        found: list[int] = []
        cut = False
        try:
            cursor = conn.execute(
                f"SELECT rowid FROM {table} WHERE {table} MATCH ? ORDER BY rowid DESC LIMIT ?",
                (expression, CANDIDATES),
            )
            while rows := cursor.fetchmany(64):
                found.extend(pk for (pk,) in rows)
                if len(rows) == 64 and time.perf_counter() > deadline:
                    cut = True
                    break
        except sqlite3.OperationalError as error:
            if "interrupt" not in str(error):
                raise
            cut = True
        finally:
            conn.set_progress_handler(None, 0)
        return Tier(found, cut or len(found) == CANDIDATES, hurried=cut)

    def rank(self, query_words: list[str], tiers: list[list[int]]) -> list[int]:
        """Title tier first. The head of each tier (`RERANK`) is reordered by how many query
        words their title holds, then by `ranking.score`; the rest stay newest first."""
        heads = [
            tier[: RERANK if number == 0 else RERANK // 2] for number, tier in enumerate(tiers)
        ]
        titles = self.title_words([pk for head in heads for pk in head])
        papers = self._current().papers.bit_count()
        wanted = [
            Wanted(
                word=w,
                root=stem(w),
                corrections=frozenset(self.vocabulary.corrections(w)),
                weight=weight(self.vocabulary.frequency(w), papers),
            )
            for w in query_words
        ]
        ranked: list[int] = []
        for tier, head in zip(tiers, heads, strict=True):
            scored = []
            for position, pk in enumerate(head):
                matched, value = score(titles.get(pk, []), wanted)
                scored.append((-matched, -value, position, pk))
            scored.sort()
            ranked.extend(pk for *_, pk in scored)
            ranked.extend(tier[len(head) :])
        return ranked

    def title_words(self, pks: list[int]) -> dict[int, list[str]]:
        """Index words of titles, stop words dropped; recent ones are kept, as consecutive
        keystrokes rank mostly the same papers."""
        cache = self._title_words
        missing = [pk for pk in pks if pk not in cache]
        if missing:
            if len(cache) + len(missing) > TITLE_CACHE:
                cache.clear()
            for pk, title in self.lib.conn.execute(
                "SELECT pk, title FROM papers WHERE pk IN (SELECT value FROM json_each(?))",
                (json_ints(missing),),
            ):
                cache[pk] = [w for w in words(title) if w not in STOPWORDS]
        return {pk: cache[pk] for pk in pks if pk in cache}
