"""Import, re-import and library size, measured from outside: the installed `papershelf` CLI.

The benchmark library first gets the four real dumps (untimed, so the ranking benchmark
can find its targets among the synthetic papers), then the synthetic dumps of one size
in one timed `papershelf import DIR` run: parse, dedupe, links, topics, FTS and commit,
process start-up included.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SUMMARY = re.compile(r"imported (\d+) of (\d+) files: (\d+) papers, (\d+) new")


@dataclass(frozen=True, slots=True)
class Run:
    """One timed CLI run: wall and CPU seconds, and the papers it reported."""

    wall: float
    cpu: float
    papers: int
    new: int
    peak_rss_mb: float

    @property
    def per_second(self) -> float:
        return self.papers / self.wall

    @property
    def per_cpu_second(self) -> float:
        return self.papers / self.cpu


def papershelf_script() -> str:
    found = shutil.which("papershelf", path=str(Path(sys.executable).parent))
    if found is None:
        raise SystemExit(f"no papershelf script beside {sys.executable}; pip install -e .")
    return found


def environment(home: Path) -> dict[str, str]:
    """The CLI's environment: a private PAPERSHELF_HOME, so no real config is read, and
    compiled modules cached (outside the repo) as an installed package has them, so no
    run pays for compiling the sources."""
    env = {**os.environ, "PAPERSHELF_HOME": str(home)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(home.parent / "pycache")
    return env


def cli(db: Path, home: Path, *args: str) -> tuple[Run, str]:
    """Run `papershelf --db DB ARGS` and measure it (CPU from the child's rusage)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [papershelf_script(), "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=environment(home),
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"papershelf {' '.join(args)} failed:\n{done.stderr}")
    found = SUMMARY.search(done.stdout)
    papers, new = (int(found.group(3)), int(found.group(4))) if found else (0, 0)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, papers, new, after.ru_maxrss / 1024), done.stdout


def disk_per_thousand(db: Path) -> tuple[int, float]:
    """(papers, MB on disk per 1,000 papers) after folding the WAL into the file."""
    conn = sqlite3.connect(db)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        papers = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
    finally:
        conn.close()
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return papers, size / 1e6 / papers * 1000


def build(db: Path, home: Path, dumps: Path, synthetic: Path) -> Run:
    """A fresh benchmark library: real dumps untimed, then the synthetic ones timed."""
    for old in db.parent.glob(db.name + "*"):
        old.unlink()
    db.parent.mkdir(parents=True, exist_ok=True)
    cli(db, home, "import", str(dumps))
    return cli(db, home, "import", str(synthetic))[0]


def reimport(db: Path, home: Path, synthetic: Path, papers: int, *, force: bool) -> Run:
    """Import the same `papers` synthetic papers again: skipped by hash, or re-read (--force).

    A skipped file reports no papers, so the rate is taken over the papers it holds.
    """
    run = cli(db, home, "import", *(["--force"] if force else []), str(synthetic))[0]
    return Run(run.wall, run.cpu, papers, run.new, run.peak_rss_mb)
