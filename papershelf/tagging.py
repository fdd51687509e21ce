"""Topic tagging for big imports, on a helper process, so it runs beside the rest of the import.

Tagging is pure Python and the largest single cost of importing a paper, while parsing,
cleaning and SQLite run in the importing process. For a big file a helper process tags
one batch while the importer prepares the next, which uses a second core (100,000
synthetic papers: 23.5 s with the helper, 25.9 s without, on two cores shared with the
FTS thread; `python -m bench.helper`, bench/RESULTS.md). Small files are tagged inline:
starting the helper costs more than it saves below a few thousand papers, and no real
dump is that big. The helper is started once per taxonomy and kept for the life of the process, so a
many-file import pays its start-up once.

The helper dies with its parent. It is one plain child process that reads batches from
its stdin, a pipe whose write end only the parent holds (Python's pipes are not
inherited by other children): when the parent exits or is killed, the kernel closes that
end, the helper reads end-of-file and exits. Nothing else is started: multiprocessing's
forkserver and resource tracker, and a worker blocked on a queue it held both ends of,
outlived a `kill -9` of the import by hours. The helper ignores Ctrl-C (the terminal
sends it to the whole process group; the parent decides what it means), and a helper
that fails in any way is dropped and its batches are tagged inline.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import suppress

from papershelf.topics import Tagger, Taxonomy

PARALLEL_BYTES = 8 * 1024 * 1024
"""Files at least this big (about 5,000 papers) are tagged by the helper process."""
SERVE = "from papershelf.tagging import serve; serve()"

Items = list[tuple[str, str]]
Tags = list[tuple[str, ...]]


class HelperGone(Exception):
    """The helper process ended or cannot be reached; its batches are tagged inline."""


class Helper:
    """One helper process and the batches sent to it, answered in the order they were sent."""

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVE], stdin=subprocess.PIPE, stdout=subprocess.PIPE
        )
        self.pending: deque[Future[Tags]] = deque()
        self.lock = threading.Lock()
        self.gone = False
        self.submit_object(taxonomy)
        threading.Thread(target=self.receive, name="papershelf-tagging", daemon=True).start()

    def submit(self, items: Items) -> Future[Tags]:
        future: Future[Tags] = Future()
        with self.lock:
            if self.gone:
                raise HelperGone
            self.pending.append(future)
            self.submit_object(items)
        return future

    def submit_object(self, value: object) -> None:
        stdin = self.process.stdin
        assert stdin is not None
        try:
            pickle.dump(value, stdin, protocol=pickle.HIGHEST_PROTOCOL)
            stdin.flush()
        except OSError:
            self.gone = True
            self.fail_pending()
            raise HelperGone from None

    def receive(self) -> None:
        """Hand each answer to the oldest waiting batch, until the helper goes."""
        stdout = self.process.stdout
        assert stdout is not None
        try:
            while True:
                tags = pickle.load(stdout)
                self.pending.popleft().set_result(tags)
        except Exception:  # end of file, a broken pipe, a garbled answer: all mean gone
            with self.lock:
                self.gone = True
                with suppress(OSError):
                    self.process.stdin.close()  # type: ignore[union-attr]  # so it ends, too
            self.fail_pending()

    def fail_pending(self) -> None:
        while self.pending:
            try:
                future = self.pending.popleft()
            except IndexError:
                return
            future.set_exception(HelperGone())


_helpers: dict[Taxonomy, Helper] = {}
_starting = threading.Lock()


def helper(taxonomy: Taxonomy) -> Helper:
    """The helper process for a taxonomy, started on first use (from any thread)."""
    with _starting:
        if taxonomy not in _helpers:
            _helpers[taxonomy] = Helper(taxonomy)
        return _helpers[taxonomy]


def serve() -> None:
    """The helper's main loop: a taxonomy, then batches, until its input ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    try:
        tagger = Tagger(pickle.load(source))
        while True:
            items: Items = pickle.load(source)
            tags = [tagger.tag(title, abstract) for title, abstract in items]
            pickle.dump(tags, sink, protocol=pickle.HIGHEST_PROTOCOL)
            sink.flush()
    except EOFError:
        return
    except BrokenPipeError:
        os._exit(0)  # the parent is gone; flushing stdout again at exit would only complain


class Tagging:
    """Tags batches of (title, abstract), in the helper process when `parallel`."""

    def __init__(self, tagger: Tagger, *, parallel: bool) -> None:
        self.tagger = tagger
        self.parallel = parallel

    def submit(self, items: Items) -> Callable[[], Tags]:
        """Start tagging; the returned function waits for the tags, in the items' order."""
        if self.parallel and items:
            try:
                future = helper(self.tagger.taxonomy).submit(items)
            except (HelperGone, OSError):
                self.drop_helper()
            else:
                return lambda: self.wait(future, items)
        return lambda: self.inline(items)

    def wait(self, future: Future[Tags], items: Items) -> Tags:
        try:
            return future.result()
        except HelperGone:
            self.drop_helper()
            return self.inline(items)

    def inline(self, items: Items) -> Tags:
        return [self.tagger.tag(title, abstract) for title, abstract in items]

    def drop_helper(self) -> None:
        """Tag the rest of this import inline; the next import starts a fresh helper."""
        self.parallel = False
        with _starting:
            gone = _helpers.get(self.tagger.taxonomy)
            if gone is not None and gone.gone:
                del _helpers[self.tagger.taxonomy]
