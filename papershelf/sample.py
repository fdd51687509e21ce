"""The bundled sample library: invented papers in each real dump layout.

It lets a new user try the app before saving a dump of their own, and gives the
screenshots and snapshot tests a fixed library. The files ship as package data, so
they are found through importlib.resources wherever the package is installed.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

SAMPLE_DIR: Path = Path(str(files("papershelf") / "sample"))


def sample_files() -> list[Path]:
    """The sample dumps in name order, so every run imports them in the same order."""
    return sorted(SAMPLE_DIR.glob("*.txt"))
