"""Child papershelf processes for the crash and concurrency tests, and how to watch them.

Progress is observed, never assumed from sleeping: a child is inside its import once it
holds the library's write lock, and it has read so far into its dump as /proc says.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

DEADLINE_SECONDS = 60.0
MARK = "PAPERSHELF_TEST_MARK"
"""An environment variable every process a test starts, and all they start, inherits."""


def synthetic_dump(path: Path, papers: int) -> Path:
    """A valid dump of `papers` invented papers, written line by line."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Subscribe\n\nDaily Papers\n\n")
        for i in range(papers):
            handle.write(f"Synthetic Benchmark Number {i} for Sparse Attention Kernels\n\n")
            handle.write(
                f"We study synthetic benchmark {i} and show that sparse attention kernels run "
                "faster on long inputs while keeping accuracy within a point of dense baselines "
                "on every task we tried.\n\n"
            )
    return path


def wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting: {what}")
        time.sleep(0.02)


def write_lock_held(db: Path) -> bool:
    """Whether another connection is inside a write transaction (probed without waiting)."""
    conn = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError:
        return True
    finally:
        conn.close()


def read_offset(pid: int, path: Path) -> int:
    """How far process `pid` has read into `path` (0 when it does not have it open)."""
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            if Path(os.readlink(fd)) == path:
                info = Path(f"/proc/{pid}/fdinfo/{fd.name}").read_text()
                return int(info.split("pos:")[1].split()[0])
        except OSError:
            continue
    return 0


def marked_processes(mark: str) -> list[int]:
    """Live processes (zombies are not) whose environment holds `MARK=mark`: a child
    started with it and everything it started, whoever their parent is by now."""
    needle = f"{MARK}={mark}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue  # it ended while we looked
        if state != "Z":
            found.append(int(entry.name))
    return found


def start_import(
    script: Path, db: Path, dump: Path, mark: str | None = None
) -> subprocess.Popen[bytes]:
    """`papershelf import DUMP` on DB; `mark` tags it and its children (`marked_processes`)."""
    env = {**os.environ, "PAPERSHELF_DB": str(db)}
    if mark is not None:
        env[MARK] = mark
    return subprocess.Popen(
        [str(script), "import", str(dump)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


@contextmanager
def write_lock(db: Path) -> Iterator[None]:
    """Hold the library's write lock the way an import does, from this process."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    finally:
        conn.execute("ROLLBACK")
        conn.close()
