"""Exports, backups and settings written to a disk that fills up part-way (a real tmpfs).

The reader's previous file must survive byte for byte, no temporary file may be left
taking the space, the message is one line naming the file, and the library is untouched.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hostile import digest, integrity
from rendered import notifications
from writes import big_library, export_in_app, temp_files

from tui.app import PapershelfApp

PAPERS = 3_000
"""Enough that every export format and the backup outgrow the disk's last `ROOM` bytes."""
ROOM = 200_000

OLD = b"# The reader's previous list\n\n- [x] **A paper read last week**\n"


@pytest.fixture(scope="module")
def big_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return big_library(tmp_path_factory.mktemp("full-disk"), PAPERS)


@pytest.fixture
def big(db: Path, big_template: Path) -> Path:
    db.parent.mkdir(mode=0o700)
    shutil.copyfile(big_template, db)
    return db


def free_bytes(folder: Path) -> int:
    info = os.statvfs(folder)
    return info.f_bavail * info.f_frsize


@pytest.mark.parametrize("fmt", ["markdown", "json", "bibtex"])
def test_export_on_a_full_disk_keeps_the_old_file(
    fmt: str, big: Path, small_filesystem: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """`export -o` of more than the disk holds exits 1 with one line, and the file it was
    to replace is still the reader's, with the disk's space given back."""
    target = small_filesystem / f"list.{fmt}"
    target.write_bytes(OLD)
    fill(small_filesystem, leave=ROOM)
    free, before = free_bytes(small_filesystem), digest(big)
    result = run_cli("export", "--format", fmt, "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"papershelf: {target}: cannot write the export (No space left on device)\n"
    )
    assert result.stdout == ""
    assert target.read_bytes() == OLD
    assert temp_files(small_filesystem) == []
    assert free_bytes(small_filesystem) == free
    assert digest(big) == before


def test_backup_on_a_full_disk_leaves_no_file(big: Path, small_filesystem: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A backup bigger than the disk exits 1 with one line and leaves nothing behind, so
    a retry on a roomier disk is not refused as 'already exists'."""
    target = small_filesystem / "copy.db"
    fill(small_filesystem, leave=ROOM)
    free, before = free_bytes(small_filesystem), digest(big)
    result = run_cli("backup", str(target))
    assert result.exit_code == 1
    assert result.stderr == (
        f"papershelf: {target}: cannot write the backup (database or disk is full)\n"
    )
    assert os.listdir(small_filesystem) == ["filler"]
    assert free_bytes(small_filesystem) == free
    assert integrity(big) == "ok" and digest(big) == before


def fill(folder: Path, leave: int = 0) -> None:
    """Take the free space of the filesystem at `folder`, all but about `leave` bytes."""
    with (folder / "filler").open("wb") as handle:
        try:
            while free_bytes(folder) > leave:
                handle.write(b"\0" * min(65536, free_bytes(folder) - leave))
                handle.flush()
        except OSError:
            pass


def test_settings_on_a_full_disk_keep_the_old_file(
    small_filesystem: Path, monkeypatch: pytest.MonkeyPatch, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """`papershelf config` on a full disk says so in one line and keeps the reader's
    settings file as it was, comments included."""
    monkeypatch.setenv("PAPERSHELF_HOME", str(small_filesystem))
    settings = small_filesystem / "config" / "config.toml"
    settings.parent.mkdir()
    mine = b'theme = "nord"  # chosen by hand\nlayout = "below"\n'
    settings.write_bytes(mine)
    fill(small_filesystem)
    result = run_cli("config", "theme", "dracula")
    assert result.exit_code == 1
    assert result.stderr == (
        f"papershelf: {settings}: cannot write the settings (No space left on device)\n"
    )
    assert settings.read_bytes() == mine
    assert temp_files(settings.parent) == []


async def test_app_export_on_a_full_disk_is_a_notification(
    big: Path, small_filesystem: Path
) -> None:
    """The app's export to a full disk ends in an error notification naming the file, and
    the old file is intact."""
    target = small_filesystem / "list.md"
    target.write_bytes(OLD)
    fill(small_filesystem, leave=ROOM)
    app = PapershelfApp(big)
    async with app.run_test(size=(120, 36)) as pilot:
        await export_in_app(pilot, target)
        said = notifications(app)
        assert f"Export failed: {target}: cannot write the export (No space left on device)" in (
            said
        ), said
    assert target.read_bytes() == OLD
    assert temp_files(small_filesystem) == []
    assert integrity(big) == "ok"
