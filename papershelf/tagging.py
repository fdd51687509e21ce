"""Topic tagging for big imports, on a helper process, so it runs beside the rest of the import.

Tagging is pure Python and the largest single cost of importing a paper, while parsing,
cleaning and SQLite run in the importing process. For a big file a helper process tags
one batch while the importer prepares the next, which uses a second core. Small files
are tagged inline: starting the helper costs more than it saves below a few thousand
papers. The helper is started once per taxonomy and kept for the life of the process, so
a many-file import pays its start-up once.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from papershelf.topics import Tagger, Taxonomy

PARALLEL_BYTES = 8 * 1024 * 1024
"""Files at least this big (about 5,000 papers) are tagged by the helper process."""

_helpers: dict[Taxonomy, ProcessPoolExecutor] = {}
_tagger: Tagger | None = None

Items = list[tuple[str, str]]
Tags = list[tuple[str, ...]]


def _start(taxonomy: Taxonomy) -> None:
    global _tagger
    _tagger = Tagger(taxonomy)


def _tag(items: Items) -> Tags:
    assert _tagger is not None
    return [_tagger.tag(title, abstract) for title, abstract in items]


def helper(taxonomy: Taxonomy) -> ProcessPoolExecutor:
    """The helper process for a taxonomy (a fresh interpreter, safe to start from threads)."""
    if taxonomy not in _helpers:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        _helpers[taxonomy] = ProcessPoolExecutor(
            1, mp_context=context, initializer=_start, initargs=(taxonomy,)
        )
    return _helpers[taxonomy]


class Tagging:
    """Tags batches of (title, abstract), in the helper process when `parallel`."""

    def __init__(self, tagger: Tagger, *, parallel: bool) -> None:
        self.tagger = tagger
        self.parallel = parallel

    def submit(self, items: Items) -> Callable[[], Tags]:
        """Start tagging; the returned function waits for the tags, in the items' order."""
        if self.parallel and items:
            try:
                future: Future[Tags] = helper(self.tagger.taxonomy).submit(_tag, items)
            except (BrokenProcessPool, OSError, RuntimeError):
                _helpers.pop(self.tagger.taxonomy, None)
            else:
                return lambda: self._wait(future, items)
        return lambda: [self.tagger.tag(title, abstract) for title, abstract in items]

    def _wait(self, future: Future[Tags], items: Items) -> Tags:
        try:
            return future.result()
        except (BrokenProcessPool, OSError):
            _helpers.pop(self.tagger.taxonomy, None)
            return [self.tagger.tag(title, abstract) for title, abstract in items]
