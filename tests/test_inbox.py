"""The inbox: a folder of dumps imported once each, configured by file or `papershelf config`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import PAPERS, write_dump

from papershelf.cli import cli
from papershelf.config import Settings, load_settings, save_settings
from papershelf.inbox import Inbox, inbox_dir, scan
from papershelf.library import Library
from papershelf.paths import app_config_path, data_dir
from papershelf.shelf import Shelf, open_shelf

WAIT_SECONDS = 60.0

OTHER = [
    (
        "Quiet Gradients: Training Without Noise Spikes",
        "We smooth gradient noise spikes during pre-training with a tiny running estimate of the "
        "second moment, which removes loss spikes in every run we tried without slowing training.",
    )
]


@pytest.fixture
def shelf(tmp_path: Path) -> Iterator[Shelf]:
    opened = open_shelf(tmp_path / "library.db")
    yield opened
    opened.close()


def test_default_inbox_is_in_the_data_directory_and_config_moves_it(tmp_path: Path) -> None:
    """By default the inbox is `inbox` in the data directory; the `inbox` key moves it."""
    assert inbox_dir() == data_dir() / "inbox"
    save_settings(Settings(theme="nord").with_inbox(str(tmp_path / "drop")), app_config_path())
    assert inbox_dir() == tmp_path / "drop"


def test_scan_imports_only_files_not_imported_yet(shelf: Shelf, tmp_path: Path) -> None:
    """A scan imports new dumps; a file seen before, even renamed, is not imported again."""
    folder = tmp_path / "inbox"
    first = scan(shelf, folder)
    assert folder.is_dir() and first.imported == () and first.problems == ()
    write_dump(folder, "monday.txt")
    (folder / "notes.md").write_text("# not a dump\n")
    (folder / ".partial.txt").write_text("still copying")
    found = scan(shelf, folder)
    assert [Path(s.path).name for s in found.imported] == ["monday.txt"]
    assert found.papers == len(PAPERS)
    (folder / "monday-copy.txt").write_bytes((folder / "monday.txt").read_bytes())
    write_dump(folder, "tuesday.txt", papers=OTHER)
    later = scan(shelf, folder)
    assert [Path(s.path).name for s in later.imported] == ["tuesday.txt"]
    assert shelf.lib.count() == len(PAPERS) + 1


def test_an_inbox_reports_a_bad_file_once_and_retries_it_when_it_changes(
    shelf: Shelf, tmp_path: Path
) -> None:
    """A file that is not a dump is reported on the first scan only, until it is replaced."""
    inbox = Inbox(tmp_path)
    bad = tmp_path / "bad.txt"
    bad.write_text("Dear diary,\nnothing here.\n")
    assert len(inbox.scan(shelf).problems) == 1
    assert inbox.scan(shelf).problems == ()
    write_dump(tmp_path, "bad.txt")
    assert [s.new for s in inbox.scan(shelf).imported] == [len(PAPERS)]


def test_a_settled_scan_waits_for_a_file_to_stop_changing(shelf: Shelf, tmp_path: Path) -> None:
    """While watching, a new file is imported on the scan after the one that first saw it."""
    inbox = Inbox(tmp_path)
    inbox.scan(shelf)
    write_dump(tmp_path, "new.txt")
    assert inbox.scan(shelf, settle=True).imported == ()
    assert len(inbox.scan(shelf, settle=True).imported) == 1


def test_config_command_shows_and_sets_the_inbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`config inbox DIR` stores an absolute folder and keeps other settings; "" resets it."""
    save_settings(Settings(theme="nord", keys={"toggle_read": "x"}), app_config_path())
    run = CliRunner().invoke
    result = run(cli, ["config"])
    assert result.output.splitlines()[:3] == [
        f"inbox = {data_dir() / 'inbox'} (default)",
        "theme = nord",
        "layout = auto",
    ]
    monkeypatch.chdir(tmp_path)
    assert run(cli, ["config", "inbox", "drop"]).output == f"inbox = {tmp_path / 'drop'}\n"
    assert run(cli, ["config", "inbox"]).output == f"{tmp_path / 'drop'}\n"
    settings = load_settings(app_config_path())
    assert (settings.inbox, settings.theme, dict(settings.keys)) == (
        str(tmp_path / "drop"),
        "nord",
        {"toggle_read": "x"},
    )
    run(cli, ["config", "inbox", ""])
    assert inbox_dir() == data_dir() / "inbox"
    bad = run(cli, ["config", "layout", "sideways"])
    assert bad.exit_code == 1 and "unknown layout 'sideways'" in bad.stderr


def test_import_watch_imports_files_dropped_in_until_interrupted(
    tmp_path: Path, papershelf_script: Path
) -> None:
    """`import --watch DIR` imports what is there, then what arrives, and stops on Ctrl-C."""
    folder = tmp_path / "drop"
    folder.mkdir()
    write_dump(folder, "first.txt")
    db = tmp_path / "watched.db"
    env = {**os.environ, "PAPERSHELF_DB": str(db)}
    command = [str(papershelf_script), "import", "--watch", str(folder), "--interval", "0.2"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().startswith(f"watching {folder}")  # library is ready
        deadline = time.monotonic() + WAIT_SECONDS
        while count(db) < len(PAPERS):
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the first file was never imported"
            time.sleep(0.1)
        write_dump(folder, "second.json", text=json.dumps([hf_entry()]))
        while count(db) < len(PAPERS) + 1:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the dropped file was never imported"
            time.sleep(0.1)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=WAIT_SECONDS)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "second.json: 1 papers (1 new" in out
    assert out.rstrip().endswith("stopped watching")


def count(db: Path) -> int:
    with Library(db) as lib:
        return lib.count()


def hf_entry() -> dict[str, object]:
    return {
        "paper": {
            "id": "2603.04242",
            "title": "Kettle: Boiling Down Long Contexts",
            "summary": "Kettle compresses long contexts into short summaries the model attends to.",
            "authors": [{"name": "Ida Brook"}],
            "publishedAt": "2026-03-13T10:00:00.000Z",
            "upvotes": 4,
        }
    }
