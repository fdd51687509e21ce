"""What the topic-tagging helper process buys: `papershelf import` of the same dumps into
a fresh library, with the helper as shipped (files of PARALLEL_BYTES or more), with every
file tagged inline, and with every file sent to the helper; the modes take turns.

    python -m bench.helper ../shared/dumps bench/data/100k --repeats 3

CPU is counted for every process of an import, the helper included: this process makes
itself the subreaper of its children, so a helper that outlives the CLI for a moment is
reaped (and counted) here, and a helper that never ends would hang the benchmark.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import machine
from bench.imports import SUMMARY, environment
from papershelf.tagging import PARALLEL_BYTES

PR_SET_CHILD_SUBREAPER = 36
MODES = {
    "as shipped": PARALLEL_BYTES,
    "inline": 1 << 62,
    "helper always": 0,
}
CLI = "import sys, papershelf.ingest as i; i.PARALLEL_BYTES = int(sys.argv.pop(1)); " + (
    "from papershelf.cli import main; main()"
)
"""The CLI with the helper's threshold set first: files of at least that many bytes use it."""


def run(folder: Path, threshold: int, work: Path) -> tuple[float, float, float, int]:
    """One import of `folder` into a new library: wall seconds, CPU seconds of the
    importing process and of all processes, and papers."""
    db = work / "library.db"
    for old in work.glob("library.db*"):
        old.unlink()
    argv = [sys.executable, "-c", CLI, str(threshold)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [*argv, "--db", str(db), "import", str(folder)],
        capture_output=True,
        text=True,
        env=environment(work / "home"),
        check=False,
    )
    wall = time.perf_counter() - start
    importer = resource.getrusage(resource.RUSAGE_CHILDREN)
    reap_all()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"import of {folder} failed:\n{done.stderr}")
    found = SUMMARY.search(done.stdout)
    papers = int(found.group(3)) if found else 0
    return wall, cpu_between(before, importer), cpu_between(before, after), papers


def cpu_between(before: resource.struct_rusage, after: resource.struct_rusage) -> float:
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def reap_all() -> None:
    """Wait for every child, adopted ones too: a helper exits once its parent has."""
    while True:
        try:
            os.wait()
        except ChildProcessError:
            return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    print(machine.describe())
    with tempfile.TemporaryDirectory(prefix="bench-helper-") as scratch:
        work = Path(scratch)
        run(args.folders[0], PARALLEL_BYTES, work)  # untimed: compiles the modules once
        for folder in args.folders:
            times: dict[str, list[tuple[float, float, float]]] = {mode: [] for mode in MODES}
            papers = 0
            for _ in range(args.repeats):
                for mode, threshold in MODES.items():
                    wall, importer, total, papers = run(folder, threshold, work)
                    times[mode].append((wall, importer, total))
            print(f"{folder}: {papers} papers, median of {args.repeats}")
            for mode, runs in times.items():
                columns = zip(*runs, strict=True)
                wall, importer, total = (statistics.median(column) for column in columns)
                print(
                    f"  {mode:14} {wall:6.2f} s wall {papers / wall:8,.0f} papers/s   CPU: "
                    f"{importer:6.2f} s importer {total:6.2f} s all processes"
                )
    print("load after:", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
