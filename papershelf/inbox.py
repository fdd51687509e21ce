"""The inbox: a folder the reader drops dumps into, imported whenever it is scanned.

The TUI scans it at start and on a key; `papershelf import --watch` scans it every few
seconds. A file is imported once: the library skips a file whose sha256 it has seen,
and an `Inbox` also remembers each file's size and modification time, so a poll of an
unchanged folder costs one `stat` per file rather than hashing every dump again.

Only dumps (`.txt`, `.json`) are taken. A papershelf export dropped here is not
restored: restoring is a deliberate act, and doing it on every scan would re-apply old
read marks over the reader's newer choices.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from papershelf.config import Settings, load_settings
from papershelf.library import LibraryBusy
from papershelf.models import DumpError, ImportSummary
from papershelf.paths import app_config_path, data_dir
from papershelf.shelf import Shelf

SUFFIXES = (".txt", ".json")
POLL_SECONDS = 3.0


def inbox_dir(config_path: Path | None = None) -> Path:
    """The configured inbox (config key `inbox`), else `inbox` in the data directory."""
    return settings_inbox(load_settings(config_path or app_config_path()))


def settings_inbox(settings: Settings) -> Path:
    """The inbox named by settings already loaded (the TUI holds them)."""
    return Path(settings.inbox).expanduser() if settings.inbox else data_dir() / "inbox"


@dataclass(frozen=True, slots=True)
class InboxScan:
    """What one scan brought in, and one line for each file it could not import."""

    imported: tuple[ImportSummary, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def papers(self) -> int:
        return sum(s.new for s in self.imported)


Signature = tuple[int, int]


class Inbox:
    """One folder; remembers the files it has dealt with by size and modification time."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._done: dict[Path, Signature] = {}
        self._last: dict[Path, Signature] = {}

    def files(self) -> list[tuple[Path, Signature]]:
        """The dumps in the folder now, by name; hidden and partial files are left alone."""
        found = []
        try:
            entries = sorted(self.directory.iterdir())
        except FileNotFoundError:
            return []
        for path in entries:
            if path.name.startswith(".") or path.suffix.lower() not in SUFFIXES:
                continue
            try:
                info = path.stat()
            except OSError:
                continue
            if path.is_file():
                found.append((path, (info.st_size, info.st_mtime_ns)))
        return found

    def scan(
        self,
        shelf: Shelf,
        *,
        settle: bool = False,
        on_progress: Callable[[Path, int], None] | None = None,
    ) -> InboxScan:
        """Import the files not dealt with yet.

        With `settle`, a file is taken only once it looks the same as at the previous
        scan, so a dump still being copied in is not imported half-written.
        `on_progress(path, papers)` hears of each file as it is read (the TUI shows it).
        """
        imported: list[ImportSummary] = []
        problems: list[str] = []
        report = on_progress or (lambda path, papers: None)
        for path, signature in self.files():
            if self._done.get(path) == signature:
                continue
            previous, self._last[path] = self._last.get(path), signature
            if settle and previous != signature:
                continue
            try:
                report(path, 0)
                summary = shelf.import_file(
                    path, on_progress=lambda papers, path=path: report(path, papers)
                )
            except LibraryBusy as error:
                problems.append(f"{error}; will try again")
                continue
            except DumpError as error:
                problems.append(str(error))
            else:
                if not summary.skipped:
                    imported.append(summary)
            self._done[path] = signature
        return InboxScan(tuple(imported), tuple(problems))

    def watch(
        self,
        shelf: Shelf,
        report: Callable[[InboxScan], None],
        interval: float = POLL_SECONDS,
    ) -> None:
        """Scan now, then every `interval` seconds until interrupted (Ctrl-C)."""
        report(self.scan(shelf))
        while True:
            time.sleep(interval)
            report(self.scan(shelf, settle=True))


def scan(shelf: Shelf, directory: Path | None = None) -> InboxScan:
    """Import what is new in the inbox (created if missing, so the reader can find it)."""
    folder = directory or inbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return Inbox(folder).scan(shelf)
