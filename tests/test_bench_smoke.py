"""The benchmark scripts run end to end at a tiny size, and ranking finds the real papers.

Benchmarks are not tests: nothing here asserts a timing. These runs keep bench/ from
rotting, and pin the ranking quality the benchmark measured on the 916 real papers.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from papershelf.sample import sample_files

ROOT = Path(__file__).resolve().parents[1]
DUMPS = ROOT.parent / "shared" / "dumps"
TOP5_ON_REAL_PAPERS = 1.00
"""What bench/quality.py measured on the 916 real papers; the test allows a small margin."""


@pytest.fixture(autouse=True)
def real_dumps() -> None:
    if not DUMPS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DUMPS} is missing; CI must have ../shared/dumps beside the repo")
        pytest.skip(f"real dumps not found at {DUMPS}")


def bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_bench_run_fills_every_figure_at_a_tiny_size(tmp_path: Path) -> None:
    """`python -m bench.run` at 300 synthetic papers measures every figure and writes them."""
    bench(
        *("bench.run", "--sizes", "300", "--repeats", "1", "--tui-queries", "1"),
        *("--data", str(tmp_path / "data"), "--out", str(tmp_path / "out")),
        *("--results", str(tmp_path)),
    )
    figures = json.loads((tmp_path / "results.json").read_text())["sizes"]["300"]
    assert figures["import"]["papers"] == 300
    assert figures["papers_in_library"] == 916 + figures["import"]["new"]
    assert figures["reimport"]["new"] == 0
    assert figures["reimport_force"]["new"] == 0
    assert figures["keystroke_tui_ms"]["n"] > 10
    assert figures["keystroke_engine_ms"]["n"] > 100
    assert figures["rss_mb"] > 0
    assert figures["quality"]["top5"] >= TOP5_ON_REAL_PAPERS - 0.1
    table = (tmp_path / "RESULTS.md").read_text()
    assert "| ranking: top-1 / top-5" in table
    assert " | - |" not in table


def test_ranking_puts_real_targets_in_the_top_five(tmp_path: Path, papershelf_script: Path) -> None:
    """At least 90% of the 30 hand-written queries find their real paper in the top 5."""
    db = tmp_path / "real.db"
    subprocess.run([papershelf_script, "--db", db, "import", DUMPS], check=True, timeout=300)
    found = re.search(r"top-5 (\d\.\d\d)", bench("bench.quality", "--db", str(db)))
    assert found is not None
    assert float(found.group(1)) >= TOP5_ON_REAL_PAPERS - 0.1


def test_sql_floor_times_each_write_of_an_imported_library(
    tmp_path: Path, papershelf_script: Path
) -> None:
    """`python -m bench.sql_floor` rewrites a library's rows and says what SQLite costs."""
    db = tmp_path / "sample.db"
    subprocess.run(
        [papershelf_script, "--db", db, "import", *sample_files()], check=True, timeout=300
    )
    out = bench("bench.sql_floor", "--db", str(db))
    assert re.search(r"^40 papers: \d+ us a paper of SQLite writes \(papers \d+, ", out), out
    assert "fts" in out and "papers/s with no Python work" in out
