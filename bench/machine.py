"""Where and when a benchmark ran, and how its repeated timings are summarised.

Timings on a shared 2-core VM swing with the load other jobs put on it, so every result
records the load average and a fixed CPU check (`sum(range(1000))`) next to the figures.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import statistics
import timeit
from datetime import UTC, datetime
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def speed_check_us() -> float:
    """Microseconds of CPU for `sum(range(1000))`: a yardstick for this machine's speed."""
    return min(timeit.repeat("sum(range(1000))", number=2000, repeat=5)) / 2000 * 1e6


def describe() -> dict[str, object]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": cpu_model(),
        "load": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "check_us": round(speed_check_us(), 1),
    }


def percentile(values: list[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary(values: list[float]) -> dict[str, float]:
    """Median, 95th percentile and maximum of repeated timings, and how many there were."""
    return {
        "median": statistics.median(values),
        "p95": percentile(values, 0.95),
        "max": max(values),
        "n": len(values),
    }
