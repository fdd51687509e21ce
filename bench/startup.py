"""App start to first painted list, and the app's resident memory, in a real pseudo-terminal.

`papershelf --db LIB` runs in a pty of 140x45 cells, as in a terminal emulator. The clock
runs from spawning the process until the terminal output (escape sequences stripped)
holds both the first paper's title and the header's "N papers" count, which the app
draws once the first search has filled the list. Resident memory (VmRSS) is read when
the list is painted and again after a few searches typed into the pty.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import termios
import time
from dataclasses import dataclass
from pathlib import Path

from bench.imports import environment, papershelf_script
from papershelf.library import Library
from papershelf.query import Query
from papershelf.search import Search

ROWS, COLUMNS = 45, 140
ESCAPE = re.compile(rb"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
TYPED = ("/quantized kv cache", "\x7f" * 18, "diffusion video", "\x7f" * 15, "is:unread lora")
"""Typed after the first paint: `/` focuses the search box, DEL is backspace."""


@dataclass(frozen=True, slots=True)
class Startup:
    seconds: float
    rss_mb: float
    rss_after_search_mb: float


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def markers(db: Path) -> tuple[bytes, bytes]:
    """What the painted list shows: the start of its first title (the newest import's
    first paper), and the header count."""
    with Library(db) as lib:
        first = Search(lib).run(Query())[0]
        title = lib.rows([first])[0].title
        count = lib.count()
    return title[:16].encode(), f"{count} papers".encode()


def drain(fd: int, seconds: float) -> bytes:
    """Read what the app writes for a while (it blocks if nobody reads the pty)."""
    output = b""
    deadline = time.perf_counter() + seconds
    while (left := deadline - time.perf_counter()) > 0:
        ready, _, _ = select.select([fd], [], [], left)
        if ready:
            try:
                output += os.read(fd, 65536)
            except OSError:
                break
    return output


def measure(db: Path, home: Path, timeout: float = 60.0) -> Startup:
    title, count = markers(db)
    env = {**environment(home), "TERM": "xterm-256color", "COLUMNS": str(COLUMNS)}
    start = time.perf_counter()
    pid, fd = os.forkpty()
    if pid == 0:
        os.execve(papershelf_script(), [papershelf_script(), "--db", str(db)], env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    screen = b""
    try:
        while True:
            if time.perf_counter() - start > timeout:
                raise TimeoutError("the app did not paint its list in time")
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                screen += os.read(fd, 65536)
                text = ESCAPE.sub(b"", screen)
                if title in text and count in text:
                    break
        seconds = time.perf_counter() - start
        painted = rss_mb(pid)
        for text in TYPED:
            for char in text:
                os.write(fd, char.encode())
                drain(fd, 0.05)
            drain(fd, 1.0)
        searched = rss_mb(pid)
        os.write(fd, b"\x1b")
        drain(fd, 0.3)
        os.write(fd, b"q")
        drain(fd, 1.0)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    return Startup(seconds, painted, searched)
