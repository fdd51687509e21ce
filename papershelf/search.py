"""The one search path, shared by the TUI (as you type) and the CLI.

Filters narrow the candidates in SQL first. Free text then goes through FTS5: every
query word matches as a prefix, and a word the library has never seen is corrected to
its nearest known terms (rapidfuzz edit distance over the FTS vocabulary), so typos,
word order and partial words still find the paper. The FTS candidates are re-ranked
in Python: a paper whose title holds the words beats one that only mentions them in
its abstract, and fuzzy title similarity breaks ties.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from papershelf.library import Library
from papershelf.query import Query

WORD = re.compile(r"\w+", re.UNICODE)
SUFFIX = re.compile(
    r"(?:izations?|isations?|ations?|izing|ising|ized|ised|izes|ises|ize|ise|ing|ed|es|s)$"
)
CANDIDATES = 2000


@dataclass(frozen=True, slots=True)
class Counts:
    """Sidebar numbers for the current view (its filters but one facet at a time)."""

    total: int
    states: dict[str, int]
    topics: dict[str, int]


def words(text: str) -> list[str]:
    return [w.casefold() for w in WORD.findall(text)]


def stem(word: str) -> str:
    """A crude stem, enough to see that "quantizing" in a title answers "quantization"."""
    return SUFFIX.sub("", word) if len(word) > 5 else word


def filter_sql(query: Query, alias: str = "p") -> tuple[str, list[object]]:
    """The WHERE clause for a query's filters (not its text) over `papers AS alias`."""
    clauses: list[str] = []
    params: list[object] = []
    pk = f"{alias}.pk"
    for slug in query.topics:
        clauses.append(
            f"{pk} IN (SELECT paper FROM paper_topics WHERE slug = ? AND origin != 'removed')"
        )
        params.append(slug)
    if query.no_topic:
        clauses.append(f"{pk} NOT IN (SELECT paper FROM paper_topics WHERE origin != 'removed')")
    if query.state == "read":
        clauses.append(f"{pk} IN (SELECT paper FROM state WHERE read_at IS NOT NULL)")
    elif query.state == "unread":
        clauses.append(f"{pk} NOT IN (SELECT paper FROM state WHERE read_at IS NOT NULL)")
    if query.starred:
        clauses.append(f"{pk} IN (SELECT paper FROM state WHERE starred = 1)")
    if query.has_code:
        clauses.append(f"{alias}.code_url IS NOT NULL")
    if query.list_name is not None:
        clauses.append(
            f"{pk} IN (SELECT li.paper FROM list_items li JOIN lists l ON l.id = li.list "
            "WHERE l.name = ?)"
        )
        params.append(query.list_name)
    return (" AND ".join(clauses) or "1"), params


class Search:
    """Runs queries against one library; caches the term vocabulary for typo correction."""

    def __init__(self, lib: Library) -> None:
        self.lib = lib
        self._vocab: list[str] | None = None
        self._vocab_set: set[str] = set()
        self._vocab_size = -1

    def vocabulary(self) -> list[str]:
        size = self.lib.count()
        if self._vocab is None or size != self._vocab_size:
            self._vocab = [
                term
                for (term,) in self.lib.conn.execute("SELECT term FROM papers_vocab")
                if not term.isdigit()
            ]
            self._vocab_set = set(self._vocab)
            self._vocab_size = size
        return self._vocab

    def variants(self, word: str) -> list[str]:
        """FTS terms for one query word: itself as a prefix, plus close known terms."""
        vocab = self.vocabulary()
        root = stem(word)
        terms = [f'"{root}"*']
        if len(word) >= 4 and word not in self._vocab_set:
            cutoff = 1 if len(word) < 7 else 2
            for term, _, _ in process.extract(
                word, vocab, scorer=Levenshtein.distance, score_cutoff=cutoff, limit=8
            ):
                terms.append(f'"{term}"')
        return terms

    def match_expression(self, text: str, *, every: bool = True) -> str | None:
        groups = ["(" + " OR ".join(self.variants(w)) + ")" for w in words(text)]
        if not groups:
            return None
        return (" AND " if every else " OR ").join(groups)

    def run(self, query: Query, limit: int | None = None) -> list[int]:
        """The pks of the papers in the view, best first (or in library order without text)."""
        where, params = filter_sql(query)
        if not words(query.text):
            sql = f"SELECT pk FROM papers p WHERE {where} ORDER BY pk"
            if limit is not None:
                sql += f" LIMIT {int(limit)}"
            return [pk for (pk,) in self.lib.conn.execute(sql, params)]
        for every in (True, False):
            expression = self.match_expression(query.text, every=every)
            hits = self.lib.conn.execute(
                f"""SELECT p.pk, p.title, bm25(papers_fts, 10.0, 1.0) AS score
                    FROM papers_fts JOIN papers p ON p.pk = papers_fts.rowid
                    WHERE papers_fts MATCH ? AND {where}
                    ORDER BY score LIMIT {CANDIDATES}""",
                [expression, *params],
            ).fetchall()
            if hits:
                break
        ranked = self.rerank(query.text, hits)
        return ranked if limit is None else ranked[:limit]

    def rerank(self, text: str, hits: Sequence[tuple[int, str, float]]) -> list[int]:
        """Title matches first, then FTS relevance, with fuzzy title similarity as a nudge."""
        wanted = [stem(w) for w in words(text)]
        scored = []
        for position, (pk, title, _) in enumerate(hits):
            title_words = [stem(t) for t in words(title)]
            in_title = sum(
                any(t.startswith(w) or Levenshtein.distance(w, t) <= 1 for t in title_words)
                for w in wanted
            )
            similarity = fuzz.token_set_ratio(text, title, processor=str.casefold)
            scored.append((-in_title, -(similarity // 10), position, pk))
        scored.sort()
        return [pk for *_, pk in scored]

    def counts(self, query: Query, pks: Sequence[int] | None = None) -> Counts:
        """Counts for the sidebar: states within the topic filter, topics within the state."""
        conn = self.lib.conn
        if pks is None:
            pks = self.run(query)
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS view(pk INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM temp.view")
        conn.executemany("INSERT INTO temp.view VALUES (?)", ((pk,) for pk in pks))
        topics = dict(
            conn.execute(
                """SELECT slug, count(*) FROM paper_topics
                   WHERE origin != 'removed' AND paper IN (SELECT pk FROM temp.view)
                   GROUP BY slug"""
            ).fetchall()
        )
        base = self.run(query.with_state("all").only_starred(False)) if query.text else None
        where, params = filter_sql(query.with_state("all").only_starred(False))
        scope = "p.pk IN (SELECT value FROM json_each(?))" if base is not None else where
        scope_params: list[object] = [json_ints(base)] if base is not None else params
        total, read, starred = conn.execute(
            f"""SELECT count(*), count(s.read_at), coalesce(sum(s.starred), 0)
                FROM papers p LEFT JOIN state s ON s.paper = p.pk WHERE {scope}""",
            scope_params,
        ).fetchone()
        states = {"all": total, "unread": total - read, "read": read, "starred": starred}
        return Counts(total=len(pks), states=states, topics=topics)


def json_ints(values: Sequence[int] | None) -> str:
    return "[" + ",".join(str(v) for v in values or ()) + "]"
