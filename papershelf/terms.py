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

_WORD = re.compile(r"[^\W_]+")
MAX_CORRECTIONS = 4
MIN_LENGTH = 4
"""Shorter words are not corrected: too many real words lie one edit away."""
MAX_EXPANSIONS = 16
"""A word matches at most this many title words that start with its stem (the commonest)."""
SHORT_EXPANSIONS = 6
"""A word of one to three letters, usually one still being typed, matches fewer."""
RANGE_LIMIT = 3000
"""Words read per prefix or typo lookup at most, so no keystroke reads a long range."""
COMMON = 5000
_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "er", "ed", "es", "e", "s")


def stem(word: str) -> str:
    """A crude stem, enough to see that "quantizing" in a title answers "quantization"."""
    if len(word) > 5:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                return word[: -len(suffix)]
    return word


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
    """Expansions and corrections of query words, cached until the library's content changes.

    FTS5 answers a prefix query (`"quantiz"*`) by merging the full lists of every word
    with that prefix before it can skip or stop, which costs tens of milliseconds for a
    common prefix in a large library. The same match as an OR of the few commonest whole
    words (`"quantization" OR "quantized" ...`) is evaluated lazily, so a query that wants
    only the newest few thousand papers stops early.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._cache: dict[str, tuple[str, ...]] = {}
        self._expansions: dict[str, tuple[tuple[str, ...], int]] = {}
        self._common: list[tuple[str, int]] | None = None
        self._generation = -1

    def forget(self, generation: int) -> None:
        """Drop what was cached before the content generation `generation`."""
        if generation != self._generation:
            self._cache.clear()
            self._expansions.clear()
            self._common = None
            self._generation = generation

    def expansions(self, word: str) -> tuple[str, ...]:
        """The word itself and the commonest title words starting with its stem."""
        return self._expand(word)[0]

    def frequency(self, word: str) -> int:
        """How many titles hold one of the word's expansions (an upper bound: a sum)."""
        return self._expand(word)[1]

    def _expand(self, word: str) -> tuple[tuple[str, ...], int]:
        found = self._expansions.get(word)
        if found is None:
            root = stem(word)
            rows = self.conn.execute(
                "SELECT term, papers FROM terms WHERE term >= ? AND term < ? LIMIT ?",
                (root, _after(root), RANGE_LIMIT),
            ).fetchall()
            if len(rows) == RANGE_LIMIT:
                # A prefix of a letter or two starts too many words to read them all; the
                # commonest of them are among the library's commonest words.
                rows.extend((t, n) for t, n in self.common() if t.startswith(root))
            keep = SHORT_EXPANSIONS if len(root) < 4 else MAX_EXPANSIONS
            best = sorted(set(rows), key=lambda row: -row[1])[:keep]
            found = (
                tuple(dict.fromkeys([word, *(term for term, _ in best)])),
                sum(n for _, n in best),
            )
            if len(self._expansions) > 4096:
                self._expansions.clear()
            self._expansions[word] = found
        return found

    def common(self) -> list[tuple[str, int]]:
        """The library's commonest title words with their paper counts (read once)."""
        if self._common is None:
            self._common = self.conn.execute(
                "SELECT term, papers FROM terms ORDER BY papers DESC LIMIT ?", (COMMON,)
            ).fetchall()
        return self._common

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
        from rapidfuzz import process  # only typos need it; start-up does not
        from rapidfuzz.distance import OSA

        limit = 1 if len(word) < 7 else 2
        lengths = (len(word) - limit, len(word) + limit)
        # Two edits rarely touch both ends of a long word, so its first and last three
        # letters each pick a small neighbourhood; a short word keeps two.
        ends = 2 if len(word) < 7 else 3
        head, tail = word[:ends], word[::-1][:ends]
        candidates = dict(
            self.conn.execute(
                "SELECT term, papers FROM terms WHERE term >= ? AND term < ? "
                "AND length(term) BETWEEN ? AND ? LIMIT ?",
                (head, _after(head), *lengths, RANGE_LIMIT),
            )
        )
        candidates.update(
            self.conn.execute(
                "SELECT term, papers FROM terms WHERE reversed >= ? AND reversed < ? "
                "AND length(term) BETWEEN ? AND ? LIMIT ?",
                (tail, _after(tail), *lengths, RANGE_LIMIT),
            )
        )
        close = process.extract(
            word, list(candidates), scorer=OSA.distance, score_cutoff=limit, limit=None
        )
        close.sort(key=lambda match: (match[1], -candidates[match[0]]))
        return tuple(term for term, _, _ in close[:MAX_CORRECTIONS])
