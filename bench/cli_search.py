"""`papershelf search QUERY --json`, timed as a whole process: start-up, search and output.

Each query runs several times after one warm-up run (so the page cache holds the
library, as it does for a reader who searches twice).
"""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from bench.imports import environment, papershelf_script

QUERIES = (
    "quantizaton kv cache",
    "diffusion video",
    "mixture of experts routing",
    "retreival augmented generation",
    "sparse attention long context",
    "lora",
    "topic:quantization is:unread llm",
    "has:code speculative decoding",
)


def time_search(db: Path, home: Path, queries: tuple[str, ...], repeats: int) -> list[float]:
    """Wall seconds of every timed run."""
    command = [papershelf_script(), "--db", str(db), "search"]
    times: list[float] = []
    for query in queries:
        argv = [*command, *query.split(), "--json"]
        subprocess.run(argv, env=environment(home), capture_output=True, check=True)
        for _ in range(repeats):
            start = time.perf_counter()
            subprocess.run(argv, env=environment(home), capture_output=True, check=True)
            times.append(time.perf_counter() - start)
    return times
