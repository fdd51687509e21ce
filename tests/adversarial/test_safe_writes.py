"""Where papershelf will not write, and how it writes where it will.

`export -o` and `backup` refuse the library, the files SQLite keeps beside it (also
through a symlink or a hard link), folders, FIFOs and devices: one line, exit 1, the
target and the library exactly as they were, and a FIFO never opened (the command
returns at once instead of waiting for a reader). Where they do write, the file gets
the mode a reader expects and a symlink keeps pointing where it did.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile import digest, integrity
from textual.widgets import Static
from writes import export_in_app, temp_files, unprivileged

from tui.app import PapershelfApp
from tui.screens.export_dialog import ExportDialog

FAST_SECONDS = 20.0
"""A refused FIFO answers in well under this; an opened one would wait for ever."""


def make_target(kind: str, db: Path, folder: Path) -> tuple[Path, str]:
    """A target of `kind` and the problem papershelf must name for it."""
    if kind == "library":
        return db, "is the library; choose another name"
    if kind in ("wal", "shm"):
        what = {"wal": "write-ahead log", "shm": "shared-memory index"}[kind]
        return db.with_name(f"{db.name}-{kind}"), f"is the library's {what}; choose another name"
    if kind == "symlink-to-library":
        (folder / "list.md").symlink_to(db)
        return folder / "list.md", "is the library; choose another name"
    if kind == "hard-link-to-library":
        os.link(db, folder / "list.md")
        return folder / "list.md", "is the library; choose another name"
    if kind == "fifo":
        os.mkfifo(folder / "pipe")
        return folder / "pipe", "is a named pipe (FIFO), not a regular file"
    if kind == "directory":
        return folder, "is a directory, not a file"
    if kind == "device":
        return Path("/dev/null"), "is a device, not a regular file"
    raise AssertionError(kind)


KINDS = [
    "library",
    "wal",
    "shm",
    "symlink-to-library",
    "hard-link-to-library",
    "fifo",
    "directory",
    "device",
]


def snapshot(path: Path) -> tuple[int, int]:
    """What a target is, by stat alone: its type and identity. Its bytes are compared
    through SQLite (`digest`): reading the library with `open()` here would drop the
    locks of the connection this process holds on it."""
    info = path.lstat()
    return stat.S_IFMT(info.st_mode), info.st_ino


def run_fast(script: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAPERSHELF_DB": str(db)}
    began = time.monotonic()
    done = subprocess.run(
        [str(script), *args], capture_output=True, text=True, env=env, timeout=FAST_SECONDS
    )
    assert time.monotonic() - began < FAST_SECONDS
    return done


@pytest.fixture
def open_library(stocked: Path) -> Iterator[Path]:
    """The stocked library held open by another connection, as while the app runs, so
    its -wal and -shm files are there to be (not) written over."""
    conn = sqlite3.connect(stocked)
    conn.execute("SELECT count(*) FROM papers").fetchone()
    assert stocked.with_name(stocked.name + "-shm").exists()
    try:
        yield stocked
    finally:
        conn.close()


@pytest.mark.parametrize("fmt", ["markdown", "json", "bibtex"])
@pytest.mark.parametrize("kind", KINDS)
def test_export_refuses_what_is_not_a_file_of_its_own(
    kind: str, fmt: str, open_library: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """One line naming the target and the problem, exit 1, target and library untouched."""
    target, problem = make_target(kind, open_library, tmp_path)
    sidecars = [open_library.with_name(open_library.name + s) for s in ("-wal", "-shm")]
    before = [snapshot(p) for p in (target, open_library, *sidecars)]
    library = digest(open_library)
    done = run_fast(papershelf_script, open_library, "export", "--format", fmt, "-o", str(target))
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"papershelf: {target}: {problem}\n"
    assert done.stdout == ""
    assert [snapshot(p) for p in (target, open_library, *sidecars)] == before
    assert temp_files(target.parent if kind != "directory" else target) == []
    assert integrity(open_library) == "ok"
    assert digest(open_library) == library


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("directory", "is a directory, not a file"),
        ("fifo", "is a named pipe (FIFO), not a regular file"),
        ("device", "is a device, not a regular file"),
        ("symlink-to-library", "already exists; choose another name"),
        ("wal", "already exists; choose another name"),
    ],
)
def test_backup_refuses_what_is_not_a_new_file(
    kind: str, problem: str, open_library: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """`backup DIR` is one line and exit 1, not a usage error; so are a FIFO, a device
    and an existing file."""
    target, _ = make_target(kind, open_library, tmp_path)
    before = snapshot(target)
    library = digest(open_library)
    done = run_fast(papershelf_script, open_library, "backup", str(target))
    assert done.returncode == 1, done.stderr
    assert done.stderr == f"papershelf: {target}: {problem}\n"
    assert snapshot(target) == before
    assert digest(open_library) == library


def test_new_export_honours_the_umask(
    stocked: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """A new export is 0666 less the reader's umask, like any file their shell makes."""
    target = tmp_path / "list.md"
    env = {**os.environ, "PAPERSHELF_DB": str(stocked)}
    argv = ["sh", "-c", 'umask 027 && exec "$@"', "sh", str(papershelf_script), "export"]
    done = subprocess.run([*argv, "-o", str(target)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_replaced_export_keeps_its_mode_and_backup_is_private(
    stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """Replacing a file keeps the mode the reader gave it; a backup is 0600 whatever the
    umask, since it holds the reader's notes."""
    target = tmp_path / "list.md"
    target.write_text("old\n")
    target.chmod(0o604)
    assert run_cli("export", "-o", str(target)).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o604
    assert target.read_text().startswith("# Reading list")
    old_umask = os.umask(0)
    try:
        assert run_cli("backup", str(tmp_path / "copy.db")).exit_code == 0
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE((tmp_path / "copy.db").stat().st_mode) == 0o600


def test_export_through_a_symlink_replaces_the_file_it_names(
    stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A symlinked reading list stays a symlink; the file it points to gets the export."""
    real = tmp_path / "synced" / "reading.md"
    real.parent.mkdir()
    real.write_text("old\n")
    link = tmp_path / "reading.md"
    link.symlink_to(real)
    result = run_cli("export", "-o", str(link))
    assert result.exit_code == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real
    assert real.read_text().startswith("# Reading list")
    assert temp_files(tmp_path) == [] and temp_files(real.parent) == []


def dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_next_write_removes_what_a_killed_write_left(
    stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """The temporary file of a writer that no longer runs is removed by the next write of
    the same file; one of a writer still running is left alone."""
    target = tmp_path / "list.md"
    stale = tmp_path / f".list.md.papershelf-{dead_pid()}-0badc0de.tmp"
    live = tmp_path / f".list.md.papershelf-{os.getpid()}-0000beef.tmp"
    other = tmp_path / f".notes.md.papershelf-{dead_pid()}-12345678.tmp"
    for leftover in (stale, live, other):
        leftover.write_text("half a list")
    assert run_cli("export", "-o", str(target)).exit_code == 0
    assert not stale.exists()
    assert live.exists() and other.exists()


def test_export_into_a_folder_it_may_not_write_is_one_line(
    stocked: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """A folder without write permission: one line, exit 1, the old file as it was."""
    folder = tmp_path / "shared"
    folder.mkdir()
    target = folder / "list.md"
    target.write_text("old\n")
    folder.chmod(0o555)
    env = {**os.environ, "PAPERSHELF_DB": str(stocked)}
    try:
        done = subprocess.run(
            unprivileged([str(papershelf_script), "export", "-o", str(target)]),
            capture_output=True,
            text=True,
            env=env,
        )
    finally:
        folder.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr == f"papershelf: {target}: cannot write the export (Permission denied)\n"
    assert target.read_text() == "old\n"
    assert os.listdir(folder) == ["list.md"]


def dialog_problem(app: PapershelfApp) -> str:
    return str(app.screen.query_one("#export-problem", Static).render())


@pytest.mark.parametrize(
    ("kind", "problem"),
    [
        ("library", "is the library; choose another name."),
        ("wal", "is the library's write-ahead log; choose another name."),
        ("fifo", "is a named pipe (FIFO), not a regular file."),
        ("directory", "is a directory, not a file."),
    ],
)
async def test_app_export_dialog_refuses_the_library_and_non_files(
    kind: str, problem: str, open_library: Path, tmp_path: Path
) -> None:
    """The export dialog says why it will not write there and stays open for another
    name; nothing is written and the FIFO is never opened (the test would hang)."""
    target, _ = make_target(kind, open_library, tmp_path)
    before = snapshot(target)
    library = digest(open_library)
    app = PapershelfApp(open_library)
    async with app.run_test(size=(120, 36)) as pilot:
        await export_in_app(pilot, target)
        assert isinstance(app.screen, ExportDialog)
        assert dialog_problem(app) == f"{target}: {problem}"
    assert snapshot(target) == before
    assert digest(open_library) == library
