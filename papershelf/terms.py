"""Words as the search index sees them, and typo correction against the library's title words.

`words` splits text the way FTS5's unicode61 tokenizer does (letters and digits, case and
diacritics folded), so a query word and an indexed word compare equal. The importer counts
every title word into the `terms` table; a misspelt query word is corrected by reading
only the terms that share its first two or last two letters (two index range scans) and
measuring edit distance on those, which stays under a few milliseconds at a million
papers where scanning the whole vocabulary would not.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections.abc import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

_WORD = re.compile(r"[^\W_]+")
MAX_CORRECTIONS = 4
MIN_LENGTH = 4
"""Shorter words are not corrected: too many real words lie one edit away."""


def words(text: str) -> list[str]:
    """Index words of a text: lower case, no diacritics, split at anything not alphanumeric."""
    text = text.lower()
    if not text.isascii():
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    return _WORD.findall(text)


def upsert(conn: sqlite3.Connection, counts: Iterable[tuple[str, int]]) -> None:
    """Add papers-per-word counts of newly imported titles to the `terms` table.

    Numbers are left out: typo correction never proposes one.
    """
    conn.executemany(
        "INSERT INTO terms(term, papers, reversed) VALUES (?, ?, ?) "
        "ON CONFLICT(term) DO UPDATE SET papers = papers + excluded.papers",
        ((term, n, term[::-1]) for term, n in counts if not term.isdigit()),
    )


def _after(prefix: str) -> str:
    """The smallest string greater than every string starting with `prefix`."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


class Vocabulary:
    """Corrections for query words, cached until the library's content changes."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._cache: dict[str, tuple[str, ...]] = {}
        self._generation = -1

    def forget(self, generation: int) -> None:
        """Drop cached corrections made before the content generation `generation`."""
        if generation != self._generation:
            self._cache.clear()
            self._generation = generation

    def known_prefix(self, word: str) -> bool:
        """Whether some title word starts with `word` (then it is typed, not misspelt)."""
        row = self.conn.execute(
            "SELECT term FROM terms WHERE term >= ? ORDER BY term LIMIT 1", (word,)
        ).fetchone()
        return row is not None and row[0].startswith(word)

    def corrections(self, word: str) -> tuple[str, ...]:
        """The closest title words to a word no title word starts with (best first)."""
        if word in self._cache:
            return self._cache[word]
        found: tuple[str, ...] = ()
        if len(word) >= MIN_LENGTH and not word.isdigit() and not self.known_prefix(word):
            found = self._nearest(word)
        if len(self._cache) > 4096:
            self._cache.clear()
        self._cache[word] = found
        return found

    def _nearest(self, word: str) -> tuple[str, ...]:
        limit = 1 if len(word) < 7 else 2
        lengths = (len(word) - limit, len(word) + limit)
        head, tail = word[:2], word[::-1][:2]
        candidates = dict(
            self.conn.execute(
                "SELECT term, papers FROM terms WHERE term >= ? AND term < ? "
                "AND length(term) BETWEEN ? AND ?",
                (head, _after(head), *lengths),
            )
        )
        candidates.update(
            self.conn.execute(
                "SELECT term, papers FROM terms WHERE reversed >= ? AND reversed < ? "
                "AND length(term) BETWEEN ? AND ?",
                (tail, _after(tail), *lengths),
            )
        )
        close = process.extract(
            word, list(candidates), scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        close.sort(key=lambda match: (match[1], -candidates[match[0]]))
        return tuple(term for term, _, _ in close[:MAX_CORRECTIONS])
