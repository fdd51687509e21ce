"""The one search path, shared by the TUI (as you type) and the CLI.

Built to answer every keystroke within a few tens of milliseconds at a million papers:

- Filters (topics, read state, stars, code, lists) are bitmaps held in memory
  (`papershelf.facets`), so narrowing a view and counting every facet of it are a few
  big-integer operations, and a view without search text is handed out as a lazy
  `PkView` instead of a list of a million pks.
- Free text goes through two FTS5 indexes. Every query word matches as a prefix, plus the
  title words closest to it when no title word starts with it (`papershelf.terms`), so
  typos, word order and partial words still find the paper. Papers whose title holds
  every word come first; papers whose abstract does come next; only if neither finds
  anything does a paper need just some of the words.
- Each tier takes at most `CANDIDATES` papers. When a title tier has more (a word typed
  so far that is common), FTS5's bm25 picks the best of them within a time budget, else
  the newest are kept; the abstract tier keeps the newest. So the cost of a keystroke is
  bounded whatever the library size, and the ranking of a specific query is not.
- Candidates are re-ranked in Python: title tier before abstract tier, more query words
  in the title first, then fuzzy title similarity in coarse steps, then bm25 order.
"""

from __future__ import annotations

import sqlite3
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, utils

from papershelf import bitmaps
from papershelf.bitmaps import PkView
from papershelf.facets import FacetCache, Facets
from papershelf.library import Library
from papershelf.query import Query
from papershelf.terms import Vocabulary, words

CANDIDATES = 2000
RANK_BUDGET_S = 0.025
"""How long bm25 may spend choosing the best of a title tier too large to take whole."""
ABSTRACT_PREFIX_MIN = 4
"""Shorter words match abstracts only exactly: a prefix like "mo" names most abstracts."""
_SUFFIXES = (
    *("izations", "ization", "isations", "isation", "ations", "ation", "izing", "ising"),
    *("ized", "ised", "izes", "ises", "ize", "ise", "ing", "ed", "es", "s"),
)


@dataclass(frozen=True, slots=True)
class Counts:
    """Sidebar numbers for the current view (its filters but one facet at a time)."""

    total: int
    states: dict[str, int]
    topics: dict[str, int]


@dataclass(frozen=True, slots=True)
class Matches:
    """The papers a text matches, best first, and the same papers as a bitmap."""

    ranked: list[int]
    bits: int


def stem(word: str) -> str:
    """A crude stem, enough to see that "quantizing" in a title answers "quantization"."""
    if len(word) > 5:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[: -len(suffix)]
    return word


def json_ints(values: Sequence[int]) -> str:
    return "[" + ",".join(map(str, values)) + "]"


class Search:
    """Runs queries against one library connection; keeps its filters and recent texts hot.

    Not thread-safe: give each thread its own `Search` on its own `Library`, or serialise.
    """

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self.facets = FacetCache(lib.conn)
        self.vocabulary = Vocabulary(lib.conn)
        self._matches: OrderedDict[str, Matches] = OrderedDict()
        self._generation = -1
        self._last: tuple[Sequence[int], int] | None = None

    # Views ------------------------------------------------------------------------------

    def run(self, query: Query, limit: int | None = None) -> Sequence[int]:
        """The pks of the papers in the view, best first (or in library order without text).

        Without text the result is a `PkView` (a lazy sequence over a bitmap); with text a
        list of at most a few thousand pks.
        """
        facets = self._current()
        allowed = self.allowed(query, facets)
        pks: Sequence[int]
        if not words(query.text):
            pks, bits = PkView(allowed), allowed
        else:
            matches = self.matches(query.text)
            bits = matches.bits & allowed
            if bits == matches.bits:
                pks = list(matches.ranked)
            else:
                data = bitmaps.to_bytes(bits)
                pks = [pk for pk in matches.ranked if bitmaps.contains(data, pk)]
        self._last = (pks, bits)
        return pks if limit is None else pks[:limit]

    def count(self, query: Query) -> int:
        """How many papers `run(query)` would give, without building the result."""
        facets = self._current()
        allowed = self.allowed(query, facets)
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
        scope = self.allowed(query.with_state("all").only_starred(False), facets)
        if words(query.text):
            scope &= self.matches(query.text).bits
        total = scope.bit_count()
        read = (scope & facets.read).bit_count()
        states = {
            "all": total,
            "unread": total - read,
            "read": read,
            "starred": (scope & facets.starred).bit_count(),
        }
        return Counts(total=len(pks), states=states, topics=topics)

    def _current(self) -> Facets:
        facets = self.facets.current()
        generation = self.facets.generation
        if generation != self._generation:
            self._matches.clear()
            self.vocabulary.forget(generation)
            self._generation = generation
        return facets

    def allowed(self, query: Query, facets: Facets) -> int:
        """The bitmap of papers that pass the query's filters (not its text)."""
        bits = facets.papers
        for slug in query.topics:
            bits &= facets.topics.get(slug, 0)
        if query.no_topic:
            bits &= ~facets.any_topic
        if query.state == "read":
            bits &= facets.read
        elif query.state == "unread":
            bits &= ~facets.read
        if query.starred:
            bits &= facets.starred
        if query.has_code:
            bits &= facets.code
        if query.list_name is not None:
            bits &= self.facets.reading_list(query.list_name)
        return bits

    # Text -------------------------------------------------------------------------------

    def matches(self, text: str) -> Matches:
        """The papers matching a text, ranked; the last few texts are kept."""
        key = " ".join(words(text))
        found = self._matches.get(key)
        if found is None:
            found = self._search(key.split())
            self._matches[key] = found
            if len(self._matches) > 16:
                self._matches.popitem(last=False)
        else:
            self._matches.move_to_end(key)
        return found

    def variants(self, word: str, *, abstract: bool = False) -> list[str]:
        """FTS terms for one query word: its stem as a prefix, plus close title words."""
        root = stem(word)
        exact = abstract and len(root) < ABSTRACT_PREFIX_MIN
        terms = [f'"{word}"' if exact else f'"{root}"*']
        terms.extend(f'"{term}"' for term in self.vocabulary.corrections(word))
        return terms

    def expression(self, query_words: list[str], *, abstract: bool, every: bool) -> str:
        groups = ["(" + " OR ".join(self.variants(w, abstract=abstract)) + ")" for w in query_words]
        return (" AND " if every else " OR ").join(groups)

    def _search(self, query_words: list[str]) -> Matches:
        tiers: list[list[int]] = []
        taken: set[int] = set()
        for every in (True, False):
            titles = self._titles(self.expression(query_words, abstract=False, every=every))
            taken.update(titles)
            room = CANDIDATES - len(titles)
            abstracts: list[int] = []
            if room > 0:
                expression = self.expression(query_words, abstract=True, every=every)
                abstracts = [
                    pk
                    for (pk,) in self.lib.conn.execute(
                        "SELECT rowid FROM papers_fts_abstracts WHERE papers_fts_abstracts "
                        "MATCH ? ORDER BY rowid DESC LIMIT ?",
                        (expression, CANDIDATES),
                    )
                    if pk not in taken
                ][:room]
            tiers = [titles, abstracts]
            if titles or abstracts or len(query_words) == 1:
                break
        ranked = self.rank(query_words, tiers)
        return Matches(ranked, bitmaps.from_pks(ranked))

    def _titles(self, expression: str) -> list[int]:
        """Title matches, best first by bm25, or the newest if ranking runs out of time."""
        conn = self.lib.conn
        sql = "SELECT rowid FROM papers_fts_titles WHERE papers_fts_titles MATCH ? ORDER BY "
        deadline = time.perf_counter() + RANK_BUDGET_S
        conn.set_progress_handler(lambda: time.perf_counter() > deadline, 1000)
        try:
            rows = conn.execute(sql + "rank LIMIT ?", (expression, CANDIDATES)).fetchall()
        except sqlite3.OperationalError:
            rows = conn.execute(sql + "rowid DESC LIMIT ?", (expression, CANDIDATES)).fetchall()
        finally:
            conn.set_progress_handler(None, 0)
        return [pk for (pk,) in rows]

    def rank(self, query_words: list[str], tiers: list[list[int]]) -> list[int]:
        """Title tier first; then more query words in the title, closer title, FTS order."""
        every = [pk for tier in tiers for pk in tier]
        if not every:
            return []
        titles = dict(
            self.lib.conn.execute(
                "SELECT pk, title FROM papers WHERE pk IN (SELECT value FROM json_each(?))",
                (json_ints(every),),
            )
        )
        text = " ".join(query_words)
        roots = [stem(w) for w in query_words]
        corrected = {term for w in query_words for term in self.vocabulary.corrections(w)}
        scored = []
        for tier_number, tier in enumerate(tiers):
            for position, pk in enumerate(tier):
                title = titles.get(pk, "")
                in_title = len(roots)
                if tier_number:
                    title_words = words(title)
                    in_title = sum(
                        any(t.startswith(root) or t in corrected for t in title_words)
                        for root in roots
                    )
                similarity = fuzz.token_set_ratio(text, title, processor=utils.default_process)
                scored.append((tier_number, -in_title, -(similarity // 10), position, pk))
        scored.sort()
        return [pk for *_, pk in scored]
