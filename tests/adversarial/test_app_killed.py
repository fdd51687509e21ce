"""The reading app killed with SIGKILL at random moments while the reader marks papers.

Every change the app showed the reader before the kill is in the file afterwards, and
the file is sound. The app is the real one, headless (see `app_driver.py`), in a process
of its own so that it can be killed like a terminal closed without warning.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from children import synthetic_dump
from hostile import integrity
from reader_state import reader_state

from papershelf.library import Library
from papershelf.shelf import open_shelf

DRIVER = Path(__file__).with_name("app_driver.py")
KILLS = 20
SEED = 20261204


@pytest.fixture(scope="module")
def fresh_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("killed-app")
    db = folder / "library.db"
    with open_shelf(db, topics_path=folder / "no-topics.toml") as shelf:
        shelf.import_file(synthetic_dump(folder / "dump.txt", 400))
    return db


def marked(db: Path) -> set[str]:
    """The papers both read and starred, as the driver marks them."""
    with Library(db) as lib:
        return {
            pid for pid, state in reader_state(lib).items() if state["read_at"] and state["starred"]
        }


def run_until_killed(db: Path, delay: float) -> list[str]:
    """Start the app, let it mark papers for `delay` seconds after its first one, kill it;
    the ids it acknowledged."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    acked: list[str] = []
    first = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("ACK "):
                acked.append(line.split()[1])
                first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert first.wait(60), "the app never acknowledged a change"
        time.sleep(delay)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    reader.join(10)
    return acked


def test_every_change_the_app_showed_survives_a_kill(fresh_template: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    changes = 0
    for point in range(KILLS):
        db = tmp_path / f"kill{point}" / "library.db"
        db.parent.mkdir()
        db.write_bytes(fresh_template.read_bytes())
        acked = run_until_killed(db, rng.uniform(0.0, 1.5))
        assert integrity(db) == "ok", f"kill point {point}"
        lost = set(acked) - marked(db)
        assert not lost, f"kill point {point}: {len(lost)} acknowledged changes lost"
        changes += len(acked)
    assert changes > KILLS, "the kills all landed before the app changed anything"
