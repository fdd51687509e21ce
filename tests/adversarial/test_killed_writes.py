"""`papershelf export` and `papershelf backup` killed with SIGKILL at seeded random moments.

Each command runs as a real process on a library big enough that its write takes a
while. Most kills are aimed at the write itself: the test watches the folder for the
command's temporary file and kills after a random delay within the time a write takes;
the rest fall anywhere from the start. Where a kill landed is read from the folder, not
assumed: a temporary file of the killed process means it died mid-write. Whatever the
moment, the target holds the old file or a complete new one (a backup: nothing or a
complete library), the library is untouched, and the next run cleans up and succeeds.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hostile import digest, integrity
from writes import big_library, temp_files

PAPERS = 4_000
POINTS = 24
SEED = 20_261_111
FROM_START = 0.25
"""Share of the kills timed from the process's start rather than from its write."""


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_library(tmp_path_factory.mktemp("killed-writes"), PAPERS)


LAST_TITLE = f"Synthetic Benchmark Number {PAPERS - 1} for Sparse Attention Kernels"


def complete_markdown(data: bytes) -> bool:
    """Every paper's entry, the last one whole down to its abstract's final line."""
    text = data.decode("utf-8")
    entries = [line for line in text.splitlines() if line.startswith("- [")]
    return (
        len(entries) == PAPERS
        and LAST_TITLE in entries[-1]
        and text.endswith("on every task we tried.\n")
    )


def complete_json(data: bytes) -> bool:
    return len(json.loads(data)["papers"]) == PAPERS


def complete_bibtex(data: bytes) -> bool:
    text = data.decode("utf-8")
    entries = [line for line in text.splitlines() if line.startswith("@")]
    return len(entries) == PAPERS and text.endswith(f"{{{{{LAST_TITLE}}}}},\n}}\n")


@dataclass(frozen=True)
class Kind:
    argv: list[str]
    complete: Callable[[bytes], bool]


KINDS = {
    "markdown": Kind(["export", "--format", "markdown"], complete_markdown),
    "json": Kind(["export", "--format", "json"], complete_json),
    "bibtex": Kind(["export", "--format", "bibtex"], complete_bibtex),
}


@dataclass(frozen=True)
class Timing:
    """Of an uninterrupted run: seconds from its start to its temporary file, and how
    long that file lived (the write, until the rename)."""

    before_write: float
    write: float


def start(script: Path, db: Path, argv: list[str]) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PAPERSHELF_DB": str(db)}
    return subprocess.Popen(
        [str(script), *argv], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


def finish(child: subprocess.Popen[bytes]) -> None:
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err.decode()


def wait_for_write(child: subprocess.Popen[bytes], folder: Path) -> bool:
    """Wait until `child` has a temporary file in `folder` (True) or has ended (False)."""
    while child.poll() is None:
        if temp_files(folder, child.pid):
            return True
        time.sleep(0.0005)
    return False


def measure(
    script: Path, db: Path, argv: list[str], folder: Path, reset: Callable[[], None]
) -> Timing:
    """The shortest times of three runs, so a slow run (a cold start, a busy machine)
    does not stretch the aim past the write; `reset` puts the target back as the kills
    will find it, before each run and after the last."""
    runs = []
    for _ in range(3):
        reset()
        runs.append(measure_once(script, db, argv, folder))
    reset()
    return Timing(min(t.before_write for t in runs), min(t.write for t in runs))


def measure_once(script: Path, db: Path, argv: list[str], folder: Path) -> Timing:
    began = time.monotonic()
    child = start(script, db, argv)
    assert wait_for_write(child, folder), "the run ended before its write was seen"
    seen = time.monotonic()
    while temp_files(folder, child.pid):
        time.sleep(0.0005)
    renamed = time.monotonic()
    finish(child)
    return Timing(seen - began, renamed - seen)


def inode(path: Path) -> int | None:
    return path.stat().st_ino if path.exists() else None


def kill_at_random(
    script: Path, target: Path, db: Path, argv: list[str], timing: Timing, rng: random.Random
) -> str:
    """Run once and SIGKILL it at a random moment; say where the kill landed: before the
    write, mid-write (its temporary file is still there) or after (the target is new)."""
    was = inode(target)
    child = start(script, db, argv)
    if rng.random() < FROM_START:
        time.sleep(rng.uniform(0, timing.before_write + timing.write))
    elif wait_for_write(child, target.parent):
        time.sleep(rng.uniform(0, timing.write))
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    if temp_files(target.parent, child.pid):
        return "mid-write"
    return "before" if inode(target) == was else "after"


@pytest.mark.parametrize("kind", KINDS)
def test_export_killed_anywhere_leaves_old_file_or_whole_new_one(
    kind: str, library: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """An export killed at 24 random moments (most of them mid-write) leaves the reader's
    previous file byte for byte, or the complete new export; never a mix or a stub."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / f"reading.{kind}"
    argv = [*KINDS[kind].argv, "-o", str(target)]
    library_before = digest(library)
    timing = measure(
        papershelf_script,
        library,
        argv,
        folder,
        lambda: target.write_bytes(b"the reader's previous export\n"),
    )
    rng = random.Random(f"{SEED}-{kind}")
    landed: Counter[str] = Counter()
    for point in range(POINTS):
        before = target.read_bytes()
        where = kill_at_random(papershelf_script, target, library, argv, timing, rng)
        landed[where] += 1
        after = target.read_bytes()
        if where == "mid-write":
            assert after == before, f"kill {point} mid-write changed the file"
        else:
            assert after == before or KINDS[kind].complete(after), f"kill {point} ({where})"
        assert len(temp_files(folder)) <= 1, "stale temporary files pile up"
    print(f"{kind}: {dict(landed)} of {POINTS} kills")
    assert landed["mid-write"] >= POINTS // 3, landed
    finish(start(papershelf_script, library, argv))
    assert KINDS[kind].complete(target.read_bytes())
    assert os.listdir(folder) == [target.name], "the last run left files behind"
    assert integrity(library) == "ok"
    assert digest(library) == library_before


def papers_in(copy: Path) -> int:
    conn = sqlite3.connect(copy)
    try:
        return conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    finally:
        conn.close()


def clear(folder: Path, target: Path) -> None:
    """Remove a backup and the files SQLite made beside it when it was checked."""
    for name in os.listdir(folder):
        if name.startswith(target.name):
            (folder / name).unlink()


def test_backup_killed_anywhere_leaves_nothing_or_a_whole_library(
    library: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """A backup killed at 24 random moments leaves no file at the target, or a complete
    copy that passes integrity_check with every paper; the retry then works."""
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "copy.db"
    argv = ["backup", str(target)]
    library_before = digest(library)
    timing = measure(papershelf_script, library, argv, folder, lambda: clear(folder, target))
    rng = random.Random(f"{SEED}-backup")
    landed: Counter[str] = Counter()
    for point in range(POINTS):
        where = kill_at_random(papershelf_script, target, library, argv, timing, rng)
        landed[where] += 1
        if target.exists():
            assert integrity(target) == "ok", f"kill {point} ({where})"
            assert papers_in(target) == PAPERS
            assert digest(target) == library_before
            clear(folder, target)
        assert len(temp_files(folder)) <= 1, "stale temporary files pile up"
    print(f"backup: {dict(landed)} of {POINTS} kills")
    assert landed["mid-write"] >= POINTS // 3, landed
    finish(start(papershelf_script, library, argv))
    assert os.listdir(folder) == [target.name], "the last run left files behind"
    assert integrity(target) == "ok"
    assert digest(target) == library_before
    assert integrity(library) == "ok"
    assert digest(library) == library_before
