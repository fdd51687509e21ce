"""Files in and out of the library from the main screen: import, the inbox, export.

A mixin of the main screen. Each job runs in a thread worker on a connection of its
own, reports progress through the screen's `importing` state, and ends in a
notification; a rejected file is an error notification, never a crash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path

from textual import work
from textual.app import App

from papershelf.fetch import Fetched, FetchError
from papershelf.files import library_files
from papershelf.inbox import Inbox, InboxScan
from papershelf.library import LibraryError
from papershelf.models import DumpError
from papershelf.shelf import dump_files, open_shelf
from papershelf.text import one_line
from tui.jobs import export_name, export_view, fetch_new, fetched_message
from tui.screens.export_dialog import ExportDialog, ExportRequest
from tui.screens.import_dialog import ImportDialog
from tui.view import Results
from tui.widgets.import_progress import ImportState


def arrived(scan: InboxScan) -> str:
    """`3 new papers from a.txt, b.json`: what an inbox scan brought in."""
    n = scan.papers
    names = ", ".join(one_line(Path(summary.path).name) for summary in scan.imported)
    return f"{n} new paper{'s' * (n != 1)} from {names}"


class FileActions:
    """Needs from the screen: the library path, the inbox, the results, the import state,
    the date and topic names for export names, and a refresh."""

    app: App[None]
    db_path: Path
    inbox: Inbox
    inbox_busy: bool
    results: Results | None
    importing: ImportState | None
    topic_names: Mapping[str, str]
    today: Callable[[], date]
    writable: Callable[[], bool]
    refresh_results: Callable[[], None]

    def show_progress(self, path: Path, papers: int, estimate: int | None = None) -> None:
        """From a worker thread: the file being read and how far it got."""
        state = ImportState(path, papers, estimate)
        self.app.call_from_thread(setattr, self, "importing", state)

    def import_finished(self, changed: bool = True) -> None:
        self.importing = None
        if changed:
            self.refresh_results()

    # Import -----------------------------------------------------------------------------

    def action_import_file(self) -> None:
        if self.writable():
            self.app.push_screen(ImportDialog(), self.import_chosen)

    def import_chosen(self, path: Path | None) -> None:
        if path is not None:
            self.run_import(path)

    @work(thread=True, group="import", exit_on_error=False)
    def run_import(self, path: Path) -> None:
        """Import on a connection of its own, reporting progress as papers are read; a
        folder's dumps one after the other, as `papershelf import DIR` does."""
        try:
            for file in dump_files(path):
                self.import_one(file)
        except OSError as error:
            self.app.notify(f"Rejected {error}", severity="error", markup=False, timeout=10)
        finally:
            self.app.call_from_thread(self.import_finished)

    def import_one(self, path: Path) -> None:
        """One file, all or nothing; a rejected file is said and the next one is tried."""
        try:
            estimate = max(path.stat().st_size // 1500, 1)
            self.show_progress(path, 0, estimate)
            with open_shelf(self.db_path) as shelf:
                summary = shelf.import_file(
                    path, on_progress=lambda papers: self.show_progress(path, papers, estimate)
                )
        except (DumpError, LibraryError, OSError, ValueError) as error:
            self.app.notify(f"Rejected {error}", severity="error", markup=False, timeout=10)
        else:
            self.app.notify(summary.line, title="Imported", markup=False)

    # Inbox ------------------------------------------------------------------------------

    def action_check_inbox(self) -> None:
        if self.inbox_busy:
            self.app.notify("The inbox is being checked already.", markup=False)
        elif self.writable():
            self.scan_inbox(quiet=False)

    def scan_inbox(self, *, quiet: bool) -> None:
        """Start a scan; `quiet` (at start) says nothing when nothing arrived."""
        self.inbox_busy = True
        self.run_inbox_scan(quiet)

    @work(thread=True, group="inbox", exit_on_error=False)
    def run_inbox_scan(self, quiet: bool) -> None:
        """Import what is new in the inbox on a connection of its own."""
        folder = self.inbox.directory
        scan = InboxScan()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with open_shelf(self.db_path) as shelf:
                scan = self.inbox.scan(shelf, on_progress=self.show_progress)
        except (LibraryError, OSError) as error:
            self.app.notify(f"Cannot check the inbox {folder}: {error}", severity="error")
            return
        finally:
            self.app.call_from_thread(self.inbox_finished, bool(scan.imported))
        for problem in scan.problems:
            self.app.notify(problem, title="Inbox", severity="error", timeout=10)
        if scan.imported:
            self.app.notify(arrived(scan), title="Inbox", markup=False)
        elif not quiet and not scan.problems:
            self.app.notify(f"Nothing new in the inbox {folder}.", markup=False)

    def inbox_finished(self, changed: bool) -> None:
        self.inbox_busy = False
        self.import_finished(changed)

    # Fetch ------------------------------------------------------------------------------

    fetching = False

    def action_fetch(self) -> None:
        if self.fetching:
            self.app.notify("Hugging Face is being fetched already.", markup=False)
        elif self.writable():
            self.start_fetch(quiet=False)

    def start_fetch(self, *, quiet: bool) -> None:
        """Start a fetch; `quiet` (at start) says nothing when nothing was new."""
        self.fetching = True
        self.run_fetch(quiet)

    @work(thread=True, group="fetch", exit_on_error=False)
    def run_fetch(self, quiet: bool) -> None:
        """Fetch the days since the last fetch, showing each day's papers as they come."""
        fetched = Fetched()
        try:
            fetched = fetch_new(
                self.db_path, lambda name, papers: self.show_progress(Path(name), papers)
            )
        except (FetchError, DumpError, LibraryError) as error:
            self.app.notify(f"Fetch failed: {error}", severity="error", markup=False, timeout=10)
        else:
            if fetched.new or not quiet:
                self.app.notify(fetched_message(fetched), title="Hugging Face", markup=False)
        finally:
            self.app.call_from_thread(self.fetch_finished, fetched.new > 0)

    def fetch_finished(self, changed: bool) -> None:
        self.fetching = False
        self.import_finished(changed)

    # Export -----------------------------------------------------------------------------

    def action_export(self) -> None:
        results = self.results
        if results is None:
            return
        description = results.query.describe(self.topic_names)
        dialog = ExportDialog(
            export_name(description, self.today()),
            len(results.pks),
            description,
            library_files(self.db_path),
        )

        def write(request: ExportRequest | None) -> None:
            if request is not None:
                self.run_export(request, results)

        self.app.push_screen(dialog, write)

    @work(thread=True, group="export", exit_on_error=False)
    def run_export(self, request: ExportRequest, results: Results) -> None:
        target = request.path.resolve()
        try:
            n = export_view(
                self.db_path,
                results,
                target,
                topic_names=self.topic_names,
                today=self.today(),
                group_by_topic=request.group_by_topic,
            )
        except (OSError, LibraryError) as error:
            self.app.notify(f"Export failed: {error}", severity="error", markup=False)
            return
        self.app.notify(f"Exported {n} paper{'s' * (n != 1)} to {target}", markup=False)
