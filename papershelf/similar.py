"""Papers like a paper ("more like this"), and the reader's unread papers ranked "for you".

A paper is a tf-idf vector of the words and adjacent word pairs of its title (counted
twice) and abstract, function words left out; words found in a single paper are dropped,
since they can never make two papers alike. "Similar" is cosine similarity. "For you" is a
centroid ranking: the mean vector of the papers the reader starred or put in a list, plus
a little of the papers read, minus the papers marked not interested, each taken relative
to the library's mean vector so that words every paper uses count for nothing. A new star
changes only that sum, so the ranking follows the reader at once, with nothing to train.
On readers simulated from the hand topic labels this beats arxiv-sanity's tf-idf +
LinearSVC and plain tf-idf cosine (bench/recommend.py, bench/RESULTS.md).

Tokenising is the slow part, so word counts are stored in the library (`vector_blocks`,
schema 4): built on first use, then only papers new since are counted. Weights are
computed when the counts are loaded, so they follow the library as it grows. numpy and
scipy are imported here, on first use, so start-up and search never pay for them.
"""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from papershelf.library import Library
from papershelf.terms import words

if TYPE_CHECKING:
    import numpy as np

STOP = frozenset(
    """a an the of and or in on for to with by from as at is are be been being this that
    these those we our it its their which such can via into over under using based than
    then also both each more most other not no new two one while when where how what do
    does show shows propose proposes proposed present presents paper approach method
    methods results result model models work""".split()  # noqa: SIM905
)
TITLE_WEIGHT = 2
MIN_PAPERS = 2
"""A word in fewer papers cannot make two papers alike; dropping those saves a quarter of
the memory."""
COMMON = 0.8
"""How much of the library's mean vector each group of signals is measured against."""
WEIGHTS = {"liked": 1.0, "read": 0.3, "not_interested": -1.0}
"""Starred and listed papers pull, read papers pull a little, "not interested" pushes."""
FEEDBACK = 0.5
FEEDBACK_PAPERS = 10
"""Rocchio's pseudo-relevance feedback: the papers ranked best by the reader's signals
join them at half weight, so words those papers share with each other, which no starred
paper happened to use, count too. On the simulated readers it lifts precision@10 by
about two points (bench/RESULTS.md)."""
EXPLAIN = 3
NO_SIGNAL = "nothing starred, listed, read or marked not interested yet, so newest first"
BLOCK_PAPERS = 100_000
"""Rows per stored block at most, so no blob nears SQLite's size limit at a million."""


def features(title: str, abstract: str) -> dict[str, int]:
    """Counts of the words and adjacent word pairs of a paper, title words counted twice."""
    counts: dict[str, int] = {}
    for text, weight in ((title, TITLE_WEIGHT), (abstract, 1)):
        previous = ""
        for word in words(text):
            if word in STOP or len(word) < 2 or word.isdigit():
                previous = ""
                continue
            counts[word] = counts.get(word, 0) + weight
            if previous:
                pair = f"{previous} {word}"
                counts[pair] = counts.get(pair, 0) + weight
            previous = word
    return counts


@dataclass(frozen=True, slots=True)
class Match:
    """A paper near another, and the shared words that weigh most in the match."""

    pk: int
    score: float
    terms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Signals:
    """What the reader did that says what they like: paper keys by kind."""

    liked: tuple[int, ...] = ()
    read: tuple[int, ...] = ()
    not_interested: tuple[int, ...] = ()

    def all(self) -> set[int]:
        return {*self.liked, *self.read, *self.not_interested}


def signals(conn: sqlite3.Connection) -> Signals:
    def pks(sql: str) -> tuple[int, ...]:
        return tuple(pk for (pk,) in conn.execute(sql))

    return Signals(
        liked=pks("SELECT paper FROM state WHERE starred = 1 UNION SELECT paper FROM list_items"),
        read=pks("SELECT paper FROM state WHERE read_at IS NOT NULL AND starred = 0"),
        not_interested=pks("SELECT paper FROM not_interested"),
    )


@dataclass(frozen=True, slots=True)
class Block:
    """Word counts of some papers as stored: a CSR matrix's arrays, plus the words this
    block added to the vocabulary and the papers that had no abstract yet."""

    last: int
    pks: np.ndarray
    offsets: np.ndarray
    ids: np.ndarray
    counts: np.ndarray
    words: tuple[str, ...]
    bare: np.ndarray

    def __len__(self) -> int:
        return len(self.pks)


def _pack(array: np.ndarray) -> bytes:
    return zlib.compress(array.tobytes(), 1)


def _unpack(blob: bytes, dtype: str) -> np.ndarray:
    import numpy as np

    return np.frombuffer(zlib.decompress(blob), dtype=dtype)


def stored_blocks(conn: sqlite3.Connection) -> Iterator[tuple[int, Block]]:
    for block_id, last, pks, offsets, ids, counts, vocabulary, bare in conn.execute(
        "SELECT id, last, pks, offsets, ids, counts, words, bare FROM vector_blocks ORDER BY id"
    ):
        text = zlib.decompress(vocabulary).decode()
        yield (
            block_id,
            Block(
                last,
                _unpack(pks, "int64"),
                _unpack(offsets, "int64"),
                _unpack(ids, "uint32"),
                _unpack(counts, "uint8"),
                tuple(text.split("\n")) if text else (),
                _unpack(bare, "int64"),
            ),
        )


def combine(blocks: Sequence[Block]) -> Block:
    """One block holding the rows of several in pk order, a later row for a paper
    replacing an earlier one (a paper counted again once its abstract came)."""
    import numpy as np

    if len(blocks) == 1 and np.all(np.diff(blocks[0].pks) > 0):
        return blocks[0]
    pks = np.concatenate([np.zeros(0, "int64"), *(b.pks for b in blocks)])
    lengths = np.concatenate([np.zeros(0, "int64"), *(np.diff(b.offsets) for b in blocks)])
    ids = np.concatenate([np.zeros(0, "uint32"), *(b.ids for b in blocks)])
    counts = np.concatenate([np.zeros(0, "uint8"), *(b.counts for b in blocks)])
    bare = np.concatenate([np.zeros(0, bool), *(np.isin(b.pks, b.bare) for b in blocks)])
    starts = np.cumsum(lengths) - lengths
    # np.unique gives each pk's first index; over the reversed rows that is its last row.
    _, from_end = np.unique(pks[::-1], return_index=True)
    rows = len(pks) - 1 - from_end
    kept = lengths[rows]
    offsets = np.concatenate([[0], np.cumsum(kept)]).astype("int64")
    take = np.repeat(starts[rows] - offsets[:-1], kept) + np.arange(offsets[-1])
    return Block(
        max((b.last for b in blocks), default=0),
        pks[rows],
        offsets,
        ids[take],
        counts[take],
        tuple(w for b in blocks for w in b.words),
        pks[rows][bare[rows]],
    )


def count_papers(
    rows: Sequence[tuple[int, str, str]], vocabulary: dict[str, int], last: int
) -> Block:
    """A block of the given (pk, title, abstract) rows; words the vocabulary lacks are
    added to it and listed in the block."""
    import numpy as np

    first_new = len(vocabulary)
    ids: list[int] = []
    counts: list[int] = []
    offsets = [0]
    for _, title, abstract in rows:
        found = features(title, abstract)
        for word, n in found.items():
            ids.append(vocabulary.setdefault(word, len(vocabulary)))
            counts.append(min(n, 255))
        offsets.append(len(ids))
    added = tuple(w for w, i in vocabulary.items() if i >= first_new)
    return Block(
        last,
        np.array([pk for pk, _, _ in rows], "int64"),
        np.array(offsets, "int64"),
        np.array(ids, "uint32"),
        np.array(counts, "uint8"),
        added,
        np.array([pk for pk, _, abstract in rows if not abstract.strip()], "int64"),
    )


def _store(conn: sqlite3.Connection, block: Block, block_id: int | None = None) -> None:
    conn.execute(
        "INSERT OR REPLACE INTO vector_blocks(id, last, pks, offsets, ids, counts, words, bare) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            block_id,
            block.last,
            _pack(block.pks),
            _pack(block.offsets),
            _pack(block.ids),
            _pack(block.counts),
            zlib.compress("\n".join(block.words).encode(), 1),
            _pack(block.bare),
        ),
    )


def update(lib: Library) -> int:
    """Count the words of papers new since the stored blocks (and of papers whose
    abstract came since), store them, and return how many papers were counted.

    Counting runs outside any transaction, so imports and the reader's marks never wait
    for it; the write is short, and skipped if another process stored the same meanwhile.
    """
    conn = lib.conn
    bare = _bare(conn)
    rows: list[tuple[int, str, str]] = []
    for part in (bare[n : n + 500] for n in range(0, len(bare), 500)):
        rows.extend(
            conn.execute(
                f"SELECT pk, title, abstract FROM papers WHERE abstract != '' "
                f"AND pk IN ({','.join('?' * len(part))})",
                part,
            )
        )
    if not rows and not uncounted(conn):
        return 0  # read without unpacking the blocks: the common case costs two queries
    blocks = list(stored_blocks(conn))
    last = max((b.last for _, b in blocks), default=0)
    vocabulary = {w: i for i, w in enumerate(w for _, b in blocks for w in b.words)}
    written = 0
    while True:
        room = BLOCK_PAPERS - len(rows)
        new = conn.execute(
            "SELECT pk, title, abstract FROM papers WHERE pk > ? ORDER BY pk LIMIT ?", (last, room)
        ).fetchall()
        if not rows and not new:
            return written
        last = new[-1][0] if new else last
        block = count_papers(rows + new, vocabulary, last)
        with lib.write() as conn:
            seen = conn.execute("SELECT coalesce(max(id), 0) FROM vector_blocks").fetchone()[0]
            if seen != (blocks[-1][0] if blocks else 0):
                return written  # another process counted them meanwhile
            _store(conn, block)
            blocks.append((conn.execute("SELECT last_insert_rowid()").fetchone()[0], block))
            _compact(conn, blocks)
        written += len(block)
        rows = []
        if len(new) < room:
            return written


def _bare(conn: sqlite3.Connection) -> list[int]:
    """Papers whose latest counts were taken before their abstract came (a later block's
    row for a paper replaces an earlier one's)."""
    import numpy as np

    stored = conn.execute("SELECT bare FROM vector_blocks").fetchall()
    if not any(len(_unpack(blob, "int64")) for (blob,) in stored):
        return []
    pks, flags = [np.zeros(0, "int64")], [np.zeros(0, bool)]
    for block_pks, bare in conn.execute("SELECT pks, bare FROM vector_blocks ORDER BY id"):
        pks.append(_unpack(block_pks, "int64"))
        flags.append(np.isin(pks[-1], _unpack(bare, "int64")))
    every, flag = np.concatenate(pks), np.concatenate(flags)
    _, from_end = np.unique(every[::-1], return_index=True)
    latest = len(every) - 1 - from_end
    return [int(pk) for pk in every[latest][flag[latest]]]


def uncounted(conn: sqlite3.Connection) -> int:
    """How many papers are newer than the stored counts (a bound, cheap to ask)."""
    last = conn.execute("SELECT coalesce(max(last), 0) FROM vector_blocks").fetchone()[0]
    top = conn.execute("SELECT coalesce(max(pk), 0) FROM papers").fetchone()[0]
    return max(top - last, 0)


def _compact(conn: sqlite3.Connection, blocks: list[tuple[int, Block]]) -> None:
    """Fold the newest block into the one before while they hold BLOCK_PAPERS rows at
    most, so a library that grows import by import keeps a handful of blocks."""
    while len(blocks) > 1 and len(blocks[-1][1]) + len(blocks[-2][1]) <= BLOCK_PAPERS:
        (keep, older), (_, newer) = blocks[-2], blocks.pop()
        merged = combine([older, newer])
        conn.execute("DELETE FROM vector_blocks WHERE id > ?", (keep,))
        _store(conn, merged, keep)
        blocks[-1] = (keep, merged)


class Model:
    """Every counted paper's tf-idf vector, rows in pk order, each of length one."""

    def __init__(self, block: Block) -> None:
        import numpy as np
        from scipy.sparse import csr_matrix

        size, count = len(block.words), len(block)
        # numpy counts and gathers with native indices several times faster than uint32.
        ids = block.ids.astype(np.intp)
        papers = np.bincount(ids, minlength=size)
        idf = np.log((1 + count) / (1 + papers)) + 1
        idf[papers < MIN_PAPERS] = 0
        data = np.log(block.counts, dtype="float32")
        data += 1
        data *= idf.astype("float32")[ids]
        shape = (count, size)
        matrix = csr_matrix((data, block.ids.astype("int32"), block.offsets), shape=shape)
        matrix.eliminate_zeros()
        squares = csr_matrix((matrix.data**2, matrix.indices, matrix.indptr), shape=shape)
        norms = np.sqrt(squares @ np.ones(size, "float32"))
        norms[norms == 0] = 1
        matrix.data /= np.repeat(norms, np.diff(matrix.indptr))
        self.pks = block.pks
        self.matrix = matrix
        self.words = block.words
        self.mean = (np.ones(count, "float32") @ matrix) / max(count, 1)

    def rows(self, pks: Sequence[int]) -> np.ndarray:
        """The rows of the given papers that have one, in the order given."""
        import numpy as np

        wanted = np.asarray(pks, dtype="int64")
        at = np.minimum(np.searchsorted(self.pks, wanted), max(len(self.pks) - 1, 0))
        found = self.pks[at] == wanted if len(self.pks) else np.zeros(len(wanted), bool)
        return at[found]

    def dense(self, row: int) -> np.ndarray:
        import numpy as np

        vector = np.zeros(self.matrix.shape[1], "float32")
        start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        vector[self.matrix.indices[start:end]] = self.matrix.data[start:end]
        return vector

    def explain(self, row: int, weights: np.ndarray) -> tuple[str, ...]:
        """The words of a paper that add most to its score against `weights`."""
        import numpy as np

        start, end = self.matrix.indptr[row], self.matrix.indptr[row + 1]
        ids = self.matrix.indices[start:end]
        share = self.matrix.data[start:end] * weights[ids]
        best = np.argsort(-share, kind="stable")[:EXPLAIN]
        return tuple(self.words[ids[i]] for i in best if share[i] > 0)

    def similar(self, pk: int, limit: int) -> list[Match]:
        import numpy as np

        found = self.rows([pk])
        if not len(found) or limit <= 0:
            return []
        row = int(found[0])
        query = self.dense(row)
        scores = self.matrix @ query
        scores[row] = 0
        top = np.argpartition(-scores, min(limit, len(scores) - 1))[:limit]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [
            Match(int(self.pks[r]), float(scores[r]), self.explain(int(r), query))
            for r in top
            if scores[r] > 0
        ]

    def weights(self, reader: Signals) -> np.ndarray | None:
        """The direction "for you" scores along: each kind of signal's centred mean, then
        the feedback of the best ranked other papers; None without a signal it knows."""
        import numpy as np

        total = np.zeros(self.matrix.shape[1], "float32")
        known = False
        for kind, weight in WEIGHTS.items():
            rows = self.rows(getattr(reader, kind))
            if len(rows):
                total += weight * self.centred(rows)
                known = True
        if not known:
            return None
        scores = self.matrix @ total
        scores[self.rows(sorted(reader.all()))] = -np.inf
        best = min(FEEDBACK_PAPERS, int(np.isfinite(scores).sum()))
        if best:
            total += FEEDBACK * self.centred(np.argpartition(-scores, best - 1)[:best])
        return total

    def centred(self, rows: np.ndarray) -> np.ndarray:
        """The mean vector of some papers, less most of the library's mean vector."""
        import numpy as np

        return np.asarray(self.matrix[rows].mean(axis=0)).ravel() - COMMON * self.mean


class Recommender:
    """ "Similar" and "for you" over one library connection, its model reloaded when the
    library's content changes and its ranking when the reader's state does.

    Not thread-safe, like `Search`: one per thread, or serialised.
    """

    def __init__(self, lib: Library, *, count: bool = True) -> None:
        self.lib = lib
        self.count = count
        self._model: Model | None = None
        self._seen: dict[str, object] = {}
        self._signals = Signals()
        self._weights: np.ndarray | None = None
        self._scores: np.ndarray | None = None

    def model(self) -> Model:
        """The model of the library as it is now, counting new papers first if any (unless
        `count` is off: the app counts in a worker of its own, see `uncounted`); papers
        not counted yet are left out."""
        now: dict[str, object] = dict(self.lib.conn.execute("SELECT kind, n FROM changes"))
        now["blocks"] = self._blocks()
        if self._model is None or (now["content"], now["blocks"]) != (
            self._seen.get("content"),
            self._seen.get("blocks"),
        ):
            if self.count:
                update(self.lib)
                now["blocks"] = self._blocks()
            self._model = Model(combine([b for _, b in stored_blocks(self.lib.conn)]))
            self._seen = {}
        if now["reader"] != self._seen.get("reader"):
            self._signals = signals(self.lib.conn)
            self._weights = self._model.weights(self._signals)
            self._scores = None if self._weights is None else self._model.matrix @ self._weights
        self._seen = now
        return self._model

    def _blocks(self) -> tuple[int, ...]:
        """Which stored counts the model holds: any block written changes one of these
        (SQLite reads a blob's length from its header, not its bytes)."""
        return self.lib.conn.execute(
            "SELECT count(*), coalesce(max(last), 0), coalesce(sum(length(ids)), 0) "
            "FROM vector_blocks"
        ).fetchone()

    def similar(self, pk: int, limit: int = 10) -> list[Match]:
        """The papers nearest `pk`, best first, each with the shared words that weigh most."""
        return self.model().similar(pk, limit)

    def has_signal(self) -> bool:
        self.model()
        return self._weights is not None

    def rank(self, pks: Sequence[int]) -> list[int]:
        """`pks` (given newest first) best first for the reader; the papers that are the
        reader's own signals, and papers not counted yet, keep their order at the end.
        Without any signal the order is unchanged."""
        import numpy as np

        model = self.model()
        if self._scores is None:
            return list(pks)
        given = np.asarray(pks, dtype="int64")
        scores = np.full(len(given), -np.inf)
        at = np.minimum(np.searchsorted(model.pks, given), max(len(model.pks) - 1, 0))
        found = model.pks[at] == given if len(model.pks) else np.zeros(len(given), bool)
        scores[found] = self._scores[at[found]]
        scores[np.isin(given, list(self._signals.all()))] = -np.inf
        return [int(pk) for pk in given[np.argsort(-scores, kind="stable")]]

    def reasons(self, pk: int) -> tuple[str, ...]:
        """The words that put `pk` where "for you" ranks it (none without a signal)."""
        model = self.model()
        rows = model.rows([pk])
        if self._weights is None or not len(rows):
            return ()
        return model.explain(int(rows[0]), self._weights)
