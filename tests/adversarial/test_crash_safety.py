"""A killed import, a full disk and a read-only folder: a clear message and nothing lost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from pathlib import Path

import pytest
from children import (
    DEADLINE_SECONDS,
    read_offset,
    start_import,
    synthetic_dump,
    wait_for,
    write_lock_held,
)
from factories import write_dump
from hostile import digest, integrity

from papershelf.library import LibraryError
from papershelf.shelf import open_shelf


@pytest.mark.skipif(not Path("/proc/self/fdinfo").is_dir(), reason="needs Linux /proc")
def test_sigkill_mid_import_leaves_no_trace(
    stocked: Path, tmp_path: Path, papershelf_script: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """An import killed half-way through its file leaves none of its papers, the earlier
    library intact and consistent, and a library that imports normally afterwards."""
    dump = synthetic_dump(tmp_path / "big.txt", 40_000)
    before = digest(stocked)
    child = start_import(papershelf_script, stocked, dump)
    try:
        wait_for(lambda: write_lock_held(stocked), "the import to take the write lock")
        wait_for(lambda: read_offset(child.pid, dump) > 2**20, "the import to read 1 MiB")
        assert child.poll() is None, "the import finished before it could be killed"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL

    assert integrity(stocked) == "ok"
    assert digest(stocked) == before
    stats = run_cli("stats", "--json")
    assert stats.exit_code == 0 and '"papers": 4' in stats.output
    after = run_cli(
        "import",
        str(write_dump(tmp_path, "later.txt", papers=[("A Later Paper on Kernels", "x" * 200)])),
    )
    assert after.exit_code == 0
    assert integrity(stocked) == "ok"


def test_full_disk_by_page_limit_rolls_back(stocked: Path, tmp_path: Path) -> None:
    """When SQLite reports the disk full part-way, the import is refused in one line and
    rolled back whole (SQLite's own page limit makes the disk full for real)."""
    dump = synthetic_dump(tmp_path / "medium.txt", 3_000)
    before = digest(stocked)
    with open_shelf(stocked, topics_path=tmp_path / "none.toml") as shelf:
        pages = shelf.lib.conn.execute("PRAGMA page_count").fetchone()[0]
        shelf.lib.conn.execute(f"PRAGMA max_page_count = {pages + 20}")
        with pytest.raises(LibraryError) as refused:
            shelf.import_file(dump)
        assert shelf.lib.count() == 4
    message = str(refused.value)
    assert message.startswith(f"{stocked}: cannot write") and "full" in message
    assert "\n" not in message
    assert integrity(stocked) == "ok"
    assert digest(stocked) == before


def test_full_disk_for_real_is_one_line_and_nothing_lost(
    stocked: Path, small_filesystem: Path, tmp_path: Path, run_script_at
) -> None:  # type: ignore[no-untyped-def]
    """On a filesystem that runs out of space, `papershelf import` exits 1 with one line
    saying the disk is full, and the library holds exactly what it held before."""
    db = small_filesystem / "library.db"
    shutil.copyfile(stocked, db)
    before = digest(db)
    result = run_script_at(db, "import", str(synthetic_dump(tmp_path / "medium.txt", 3_000)))
    errors = result.stderr.decode().splitlines()
    assert result.returncode == 1, errors
    assert len(errors) == 1 and "full" in errors[0] and str(db) in errors[0], errors
    assert integrity(db) == "ok"
    assert digest(db) == before


def read_only_run(
    folder: Path, argv: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[bytes]:
    """Run `argv` with `folder` read-only: a private read-only bind mount when root (root
    ignores permissions), else plain permissions."""
    unshare = shutil.which("unshare")
    if os.geteuid() == 0:
        if unshare is None:
            pytest.skip("root needs unshare to make a folder read-only")
        script = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec "$@"'
        argv = [unshare, "-m", "sh", "-c", script, str(folder), *argv]
        return subprocess.run(argv, capture_output=True, env=env, timeout=DEADLINE_SECONDS)
    folder.chmod(0o500)
    try:
        return subprocess.run(argv, capture_output=True, env=env, timeout=DEADLINE_SECONDS)
    finally:
        folder.chmod(0o700)


@pytest.mark.parametrize(
    "command",
    [["import", "DUMP"], ["mark", "read", "1"], ["search", "lantern"], ["backup", "COPY"]],
    ids=["import", "mark", "search", "backup"],
)
def test_read_only_library_folder_is_one_clear_line(
    stocked: Path, tmp_path: Path, papershelf_script: Path, command: list[str]
) -> None:
    """With the library's folder read-only, every command says so in one line naming the
    folder, exits 1, and the library is unchanged."""
    dump = write_dump(tmp_path, "new.txt")
    argv = [str(papershelf_script)] + [
        {"DUMP": str(dump), "COPY": str(tmp_path / "copy.db")}.get(arg, arg) for arg in command
    ]
    before = digest(stocked)
    result = read_only_run(stocked.parent, argv, {**os.environ, "PAPERSHELF_DB": str(stocked)})
    errors = result.stderr.decode().splitlines()
    assert result.returncode == 1, errors
    assert errors == [
        f"papershelf: {stocked}: cannot open the library: its folder {stocked.parent} is read-only"
    ]
    assert digest(stocked) == before
    assert integrity(stocked) == "ok"


def test_new_library_in_read_only_folder_is_one_clear_line(
    tmp_path: Path, papershelf_script: Path
) -> None:
    """A library that cannot be created is reported in one line, with no traceback."""
    folder = tmp_path / "locked"
    folder.mkdir()
    db = folder / "deeper" / "library.db"
    argv = [str(papershelf_script), "import", str(write_dump(tmp_path, "a.txt"))]
    result = read_only_run(folder, argv, {**os.environ, "PAPERSHELF_DB": str(db)})
    errors = result.stderr.decode().splitlines()
    assert result.returncode == 1, errors
    assert len(errors) == 1 and errors[0].startswith(f"papershelf: {db}: cannot create the library")
    assert not (folder / "deeper").exists()
