"""What the tests of written files share: the temporary files a write leaves behind, a
library big enough that writing it out takes a while, and children that obey file modes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, NoReturn

import pytest
from children import synthetic_dump
from rendered import settle
from textual.pilot import Pilot
from textual.widgets import Input

from papershelf.shelf import open_shelf

TEMP_NAME = re.compile(r"^\..+\.papershelf-(\d+)-[0-9a-f]{8}\.tmp$")
"""The name `papershelf.files` gives a file it is writing (see there)."""

ROOT_FILE_ACCESS = "-dac_override,-dac_read_search"


def unavailable(reason: str) -> NoReturn:
    """Skip a test this machine cannot run; under CI=true, where it must run, fail it."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run this test", pytrace=False)
    pytest.skip(reason)


def temp_files(folder: Path, pid: int | None = None) -> list[str]:
    """The temporary files of papershelf writes in `folder` (of process `pid` only, if given)."""
    return sorted(
        name
        for name in os.listdir(folder)
        if (found := TEMP_NAME.match(name)) and (pid is None or found.group(1) == str(pid))
    )


def big_library(folder: Path, papers: int) -> Path:
    """A library of `papers` invented papers, a third of them read and some starred."""
    db = folder / "library.db"
    with open_shelf(db, topics_path=folder / "no-topics.toml") as shelf:
        shelf.import_file(synthetic_dump(folder / "big.txt", papers))
        shelf.lib.set_read(range(1, papers + 1, 3))
        shelf.lib.set_starred(range(1, papers + 1, 7))
    return db


def unprivileged(argv: list[str]) -> list[str]:
    """`argv` run so that file modes apply to it.

    The tests run as root, which ignores modes. Without the capabilities that let it
    (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) root is held to mode bits like anyone, and
    it still owns the files it made, so everything else the child needs stays usable.
    """
    if os.geteuid() != 0:
        return argv
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        unavailable("setpriv (util-linux) is needed to run a child without root's file access")
    prefix = [setpriv, "--bounding-set", ROOT_FILE_ACCESS]
    probe = subprocess.run([*prefix, "true"], capture_output=True)
    if probe.returncode != 0:
        unavailable(f"cannot drop root's file access here: {probe.stderr.decode().strip()}")
    return [*prefix, *argv]


async def export_in_app(pilot: Pilot[Any], target: Path) -> None:
    """Press `e` in the app, give `target`, and Enter twice (the second confirms an
    existing file), then let the export's worker finish."""
    await settle(pilot)
    await pilot.press("e")
    await pilot.pause()
    pilot.app.screen.query_one(Input).value = str(target)
    await pilot.press("enter", "enter")
    await settle(pilot)
