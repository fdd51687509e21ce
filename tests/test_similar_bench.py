"""bench/recommend.py runs end to end on the 916 real papers, and papershelf's "for you"
and "similar" stay ahead of both anchors on the simulated readers, as measured."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DUMPS = ROOT.parent / "shared" / "dumps"


def test_recommend_bench_ranks_papershelf_above_both_anchors(tmp_path: Path) -> None:
    if not DUMPS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DUMPS} is missing; CI must have ../shared/dumps beside the repo")
        pytest.skip(f"real dumps not found at {DUMPS}")
    done = subprocess.run(
        [sys.executable, "-m", "bench.recommend", "--sizes", "real", "--out", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    found = json.loads((tmp_path / "recommend-real.json").read_text())["real"]
    assert found["papers"] == 916 and found["labelled"] == 156 and found["readers"] == 65
    ours = found["quality"]["papershelf"]
    for name, anchor in found["quality"].items():
        if name != "papershelf":
            assert ours["for_you_p10"] > anchor["for_you_p10"], name
            assert ours["for_you_p50"] > anchor["for_you_p50"], name
            assert ours["similar_p10"] > anchor["similar_p10"], name
    assert found["speed"]["similar_ms"]["n"] == 30
