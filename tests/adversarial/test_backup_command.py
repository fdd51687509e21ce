"""`papershelf backup FILE`: a consistent private copy, whatever else is running."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

import pytest
from children import start_import, synthetic_dump, wait_for, write_lock, write_lock_held
from factories import write_dump
from hostile import digest, integrity
from rendered import settle

from tui.app import PapershelfApp


def test_backup_is_a_private_working_library(stocked: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The copy is 0600, passes integrity_check, holds every row, and opens as a library."""
    copy = tmp_path / "copy.db"
    result = run_cli("backup", str(copy))
    assert result.exit_code == 0, result.stderr
    assert result.output == f"backed up 4 papers to {copy}\n"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert integrity(copy) == "ok"
    assert digest(copy) == digest(stocked)
    stats = json.loads(run_cli("--db", str(copy), "stats", "--json").output)
    assert (stats["papers"], stats["read"], stats["starred"]) == (4, 2, 2)


def test_backup_during_an_import_is_a_consistent_snapshot(
    stocked: Path, tmp_path: Path, papershelf_script: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A backup taken while another process imports holds the library as it was before the
    import or after it, never half of it, and passes integrity_check."""
    before = digest(stocked)
    child = start_import(papershelf_script, stocked, synthetic_dump(tmp_path / "big.txt", 3_000))
    wait_for(lambda: write_lock_held(stocked) or child.poll() is not None, "the import")
    copy = tmp_path / "during.db"
    result = run_cli("backup", str(copy))
    _, err = child.communicate(timeout=120)
    assert child.returncode == 0, err
    assert result.exit_code == 0, result.stderr
    assert integrity(copy) == "ok"
    assert digest(copy) in (before, digest(stocked))


async def test_backup_while_the_app_is_open_holds_its_writes(
    stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """With the reading app open on the library, a backup holds what the app just wrote."""
    copy = tmp_path / "open.db"
    app = PapershelfApp(stocked)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        await pilot.press("end", "space")
        await settle(pilot)
        result = run_cli("backup", str(copy))
        assert result.exit_code == 0, result.stderr
    assert integrity(copy) == "ok"
    conn = sqlite3.connect(copy)
    assert conn.execute("SELECT count(*) FROM state WHERE read_at IS NOT NULL").fetchone() == (3,)
    conn.close()


def test_backup_does_not_wait_for_a_writer(stocked: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A backup is a reader: it is taken while another process holds the write lock."""
    copy = tmp_path / "locked.db"
    with write_lock(stocked):
        result = run_cli("backup", str(copy))
    assert result.exit_code == 0, result.stderr
    assert digest(copy) == digest(stocked)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("existing.db", "already exists; choose another name"),
        ("notes.txt", "already exists; choose another name"),
        ("LIBRARY", "already exists; choose another name"),
        ("missing-folder/copy.db", "cannot write the backup (No such file or directory)"),
    ],
    ids=["existing-backup", "existing-other-file", "the-library-itself", "missing-folder"],
)
def test_backup_refuses_to_overwrite_or_guess(
    stocked: Path, tmp_path: Path, run_cli, target: str, problem: str
) -> None:  # type: ignore[no-untyped-def]
    """An existing target (even the library itself) is refused in one line with exit 1 and
    left as it was; so is a target in a folder that does not exist."""
    (tmp_path / "existing.db").write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    (tmp_path / "notes.txt").write_text("keep me\n")
    path = stocked if target == "LIBRARY" else tmp_path / target
    before = {p: file_hash(p) for p in (tmp_path / "existing.db", tmp_path / "notes.txt", stocked)}
    library = digest(stocked)
    result = run_cli("backup", str(path))
    assert result.exit_code == 1
    assert result.stderr == f"papershelf: {path}: {problem}\n"
    assert {p: file_hash(p) for p in before} == before
    assert digest(stocked) == library


def test_backup_of_a_missing_library_creates_nothing(db: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Backing up a library that does not exist says so, and creates neither file."""
    result = run_cli("backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    assert result.stderr == f"papershelf: {db}: no library here to back up\n"
    assert not db.exists() and not (tmp_path / "copy.db").exists()


def test_restored_backup_keeps_the_readers_work(stocked: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A backup, used as the library, has every read mark, star, note and topic choice."""
    copy = tmp_path / "copy.db"
    assert run_cli("backup", str(copy)).exit_code == 0
    assert (
        run_cli(
            "import",
            str(write_dump(tmp_path, "later.txt", papers=[("Later Paper on Kernels", "q" * 200)])),
        ).exit_code
        == 0
    )
    rows = "SELECT * FROM state ORDER BY paper"
    conn = sqlite3.connect(copy)
    assert conn.execute(rows).fetchall() == sqlite3.connect(stocked).execute(rows).fetchall()
    assert conn.execute("SELECT count(*) FROM papers").fetchone() == (4,)
    conn.close()
