"""Fixtures for the adversarial suite: the CLI bound to a library, and a library with history.

`stocked` is a library a reader has used: one dump imported, papers read, starred,
noted and tagged. Hostile cases run against it and then check that nothing of it was
lost. `hostile_db` holds every payload of `hostile.PAYLOADS` (see there).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from factories import write_dump
from hostile import TOPICS_TOML, build_hostile_library
from writes import unavailable

from papershelf.cli import cli
from papershelf.shelf import open_shelf

Cli = Callable[..., Result]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "data" / "library.db"


@pytest.fixture
def run_cli(db: Path) -> Cli:
    """`papershelf --db DB ARGS...` in this process; an unexpected exception fails the test."""

    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", str(db), *args], catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def stocked_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The stocked library, built once; each test gets its own copy."""
    folder = tmp_path_factory.mktemp("stocked")
    db = folder / "library.db"
    with open_shelf(db, topics_path=folder / "no-topics.toml") as shelf:
        shelf.import_file(write_dump(folder, "earlier.txt"))
        first, second, third, fourth = range(1, 5)
        shelf.lib.set_read([first, second])
        shelf.lib.set_starred([second, third])
        shelf.lib.set_note(third, "reread section 4")
        shelf.lib.tag(fourth, add=["quantization"], remove=["language-models"])
    return db


@pytest.fixture
def stocked(db: Path, stocked_template: Path) -> Path:
    """A library with one imported dump and the reader's work on every one of its papers."""
    db.parent.mkdir(mode=0o700)
    shutil.copyfile(stocked_template, db)
    db.chmod(0o600)
    return db


@pytest.fixture
def run_script_at(papershelf_script: Path) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """The installed console script on library DB in a child process, output as bytes."""

    def run(db: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
        env = {**os.environ, "PAPERSHELF_DB": str(db)}
        return subprocess.run(
            [str(papershelf_script), *args], capture_output=True, env=env, timeout=timeout
        )

    return run


@pytest.fixture(scope="session")
def hostile_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile library (see `hostile.build_hostile_library`), built once."""
    folder = tmp_path_factory.mktemp("hostile")
    db = folder / "library.db"
    build_hostile_library(folder, db, folder / "home")
    return db


@pytest.fixture
def hostile_db(db: Path, hostile_template: Path) -> Path:
    """A copy of the hostile library, with its hostile topics.toml in this test's home."""
    config = Path(os.environ["PAPERSHELF_HOME"]) / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "topics.toml").write_text(TOPICS_TOML, encoding="utf-8")
    db.parent.mkdir(mode=0o700)
    shutil.copyfile(hostile_template, db)
    return db


@pytest.fixture
def small_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB tmpfs of our own (root only): a disk that really fills up. Skipped where
    nothing can be mounted, but never under CI=true."""
    mount = shutil.which("mount")
    if os.geteuid() != 0 or mount is None:
        unavailable("mounting a small filesystem needs root and mount(8)")
    folder = tmp_path / "small"
    folder.mkdir()
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(folder)], capture_output=True
    )
    if done.returncode != 0:
        unavailable(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)
