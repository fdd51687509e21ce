"""Every file papershelf writes, except the library itself: written whole or not at all.

A file is written to a temporary file beside its target (the same folder, so the rename
is atomic), synced to disk, renamed over the target, and then the folder is synced so
the rename itself survives a power cut. Whoever reads the target, during the write or
after a crash, a `kill -9` or a full disk, finds the old file or the new one, never a mix.

A target is judged by `os.stat` alone and never opened: opening a FIFO blocks until a
reader comes, and opening then closing the library would drop every POSIX lock SQLite
holds on it in this process (see `Library._check_file`). Refused: the library and the
files SQLite keeps beside it (by path and by inode, so symlinks and hard links are
caught), directories, FIFOs, devices and anything else that is not a regular file. A
symlink to a regular file is written through: the file it names is replaced, the link
stays.

A temporary file is named `.NAME.papershelf-PID-RANDOM.tmp`, so it is hidden, matches no
dump suffix, and says who wrote it; one left by a process that no longer runs (killed
mid-write) is removed by the next write of the same target.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

TEMP_MARK = ".papershelf-"
TEMP_SUFFIX = ".tmp"
NAME_BYTES_KEPT = 96
"""Of the target's name in its temporary file's, so the temporary name fits in 255 bytes."""

SQLITE_FILES = {
    "": "the library",
    "-wal": "the library's write-ahead log",
    "-shm": "the library's shared-memory index",
    "-journal": "the library's rollback journal",
}


class FileProblem(OSError):
    """A file papershelf refuses or fails to read or write; `str()` is the one line
    `PATH: problem` a reader sees, and `strerror` the problem alone."""

    def __init__(self, path: str | Path, problem: str, code: int = 0) -> None:
        super().__init__(code, problem, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def library_files(db: Path) -> dict[Path, str]:
    """The library and the files SQLite keeps beside it, each with what to call it."""
    return {db.with_name(db.name + suffix): what for suffix, what in SQLITE_FILES.items()}


def kind_problem(mode: int) -> str | None:
    """Why a file of this mode cannot be read or written as a whole file, if it cannot."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a directory, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "not a regular file"


def refusal(
    target: Path, protect: dict[Path, str] | None = None, *, replace: bool = True
) -> str | None:
    """Why papershelf must not write `target`, judged by stat alone; None when it may.

    `protect` names files never to be written (the library's, see `library_files`);
    without `replace`, an existing target is refused too.
    """
    real = Path(os.path.realpath(target))
    try:
        found: os.stat_result | None = real.stat()
    except FileNotFoundError:
        found = None
    except OSError as error:
        return f"cannot write ({error.strerror})"
    if found is not None:
        problem = kind_problem(found.st_mode)
        if problem:
            return problem
        if not replace:
            return "already exists; choose another name"
    what = protected(real, found, protect or {})
    return f"is {what}; choose another name" if what else None


def library_file(path: Path, db: Path) -> str | None:
    """What `path` is when it is the library `db` or a file SQLite keeps beside it, judged
    by stat alone (a dump picked by mistake must not be opened: see the module doc)."""
    try:
        found: os.stat_result | None = path.stat()
    except OSError:
        found = None
    return protected(Path(os.path.realpath(path)), found, library_files(db))


def protected(real: Path, found: os.stat_result | None, protect: dict[Path, str]) -> str | None:
    """What `real` (a resolved path; `found` its stat) is among `protect`, by path or inode."""
    for path, what in protect.items():
        if os.path.realpath(path) == str(real) or (found is not None and same_file(path, found)):
            return what
    return None


def same_file(path: Path, found: os.stat_result) -> bool:
    try:
        other = path.stat()
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (found.st_dev, found.st_ino)


@contextmanager
def atomic_write(
    target: str | Path,
    *,
    protect: dict[Path, str] | None = None,
    private: bool = False,
    replace: bool = True,
    what: str = "the file",
) -> Iterator[BinaryIO]:
    """A fresh temporary file beside `target`, open for writing (its `name` is its path,
    for a writer such as SQLite that opens it by name), that becomes the target
    when the block ends without an exception and is removed when it does not.

    A new file gets 0666 less the umask, an existing one keeps its mode; a `private` file
    is 0600 whatever was there. Raises `FileProblem` for a refused target and for any
    failure to write (a full disk, no permission), naming `what` was being written.
    """
    given = Path(target).expanduser()
    problem = refusal(given, protect, replace=replace)
    if problem:
        raise FileProblem(given, problem)
    real = Path(os.path.realpath(given))
    remove_stale_temps(real)
    temp = real.with_name(f".{short_name(real)}{TEMP_MARK}{os.getpid()}-")
    temp = temp.with_name(temp.name + secrets.token_hex(4) + TEMP_SUFFIX)
    try:
        handle = open(temp, "xb")  # noqa: SIM115  (closed below, after the caller's block)
    except OSError as error:
        raise FileProblem(given, f"cannot write {what} ({error.strerror})", error.errno) from None
    try:
        with handle:
            keep_mode(handle.fileno(), real, private)
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        publish(temp, real, given, replace)
        sync_folder(real.parent)
    except BaseException as error:
        with suppress(FileNotFoundError):
            temp.unlink()
        if isinstance(error, OSError) and not isinstance(error, FileProblem):
            problem = f"cannot write {what} ({error.strerror or error})"
            raise FileProblem(given, problem, error.errno or 0) from None
        raise


def write_text(
    target: str | Path,
    pieces: Iterable[str],
    *,
    protect: dict[Path, str] | None = None,
    what: str = "the file",
) -> None:
    """Text (UTF-8) made of `pieces`, which are produced as they are written."""
    with atomic_write(target, protect=protect, what=what) as handle:
        for piece in pieces:
            handle.write(piece.encode("utf-8"))


def keep_mode(fd: int, target: Path, private: bool) -> None:
    if private:
        os.fchmod(fd, 0o600)
        return
    with suppress(FileNotFoundError):
        os.fchmod(fd, stat.S_IMODE(target.stat().st_mode))


def publish(temp: Path, target: Path, given: Path, replace: bool) -> None:
    """Move the finished file into place; without `replace`, never over an existing file."""
    if replace:
        os.replace(temp, target)
        return
    exists = FileProblem(given, "already exists; choose another name")
    try:
        os.link(temp, target)  # fails if the target appeared meanwhile: no race
    except FileExistsError:
        raise exists from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        if target.exists():  # a filesystem without hard links (FAT): check, then rename
            raise exists from None
        os.rename(temp, target)
        return
    temp.unlink()


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable; a filesystem that cannot sync folders is let be."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.EOPNOTSUPP):
            raise
    finally:
        os.close(fd)


def short_name(target: Path) -> str:
    return os.fsdecode(os.fsencode(target.name)[:NAME_BYTES_KEPT])


def remove_stale_temps(target: Path) -> None:
    """Remove the temporary files of `target` whose writer no longer runs."""
    prefix = f".{short_name(target)}{TEMP_MARK}"
    try:
        names = os.listdir(target.parent)
    except OSError:
        return  # creating the temporary file will say what is wrong
    for name in names:
        if not (name.startswith(prefix) and name.endswith(TEMP_SUFFIX)):
            continue
        pid = name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and not running(int(pid)):
            with suppress(OSError):
                os.unlink(target.parent / name)


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # it runs, as another user
    return True


def read_text(path: Path) -> str | None:
    """A small UTF-8 file the reader edits (settings, topics), or None when there is none.

    Raises `FileProblem` when it is not a regular file, cannot be read, or is not UTF-8.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except OSError as error:
        raise FileProblem(path, f"cannot read ({error.strerror})", error.errno) from None
    problem = kind_problem(mode)
    if problem:
        raise FileProblem(path, problem)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FileProblem(path, f"cannot read ({error.strerror})", error.errno) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileProblem(path, f"not UTF-8 text (line {line})") from None
