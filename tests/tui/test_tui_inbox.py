"""The inbox in the app: dumps dropped in the folder arrive at start and on `g`."""

from __future__ import annotations

from factories import PAPERS, write_dump
from tui_helpers import settle

from papershelf.config import Settings, save_settings
from papershelf.library import Library
from papershelf.paths import app_config_path, data_dir


def count(db) -> int:
    with Library(db) as lib:
        return lib.count()


async def test_dumps_in_the_inbox_are_imported_at_start(make_app, library, tmp_path):
    """A dump waiting in the inbox is imported when the app starts, and the app says so."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    write_dump(inbox, "monday.txt", papers=PAPERS)
    before = count(library)
    app = make_app(inbox=inbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        after = before + len(PAPERS)
        assert app.notes == [(f"{len(PAPERS)} new papers from monday.txt", "information")]
        assert app.screen.sub_title == f"all papers — {after} papers"
        assert app.screen.results.counts.states["unread"] == after
    assert count(library) == after


async def test_g_imports_what_arrived_since_and_says_when_nothing_did(make_app, library, tmp_path):
    """g imports a dump dropped in while the app runs; pressed again it says nothing is new."""
    inbox = tmp_path / "inbox"
    before = count(library)
    app = make_app(inbox=inbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.notes == []
        assert inbox.is_dir()
        write_dump(inbox, "tuesday.txt", papers=PAPERS[:2])
        await pilot.press("g")
        await settle(pilot)
        assert app.notes[-1] == ("2 new papers from tuesday.txt", "information")
        await pilot.press("g")
        await settle(pilot)
        assert app.notes[-1] == (f"Nothing new in the inbox {inbox}.", "information")
    assert count(library) == before + 2


async def test_a_file_the_inbox_cannot_import_is_an_error_notification(make_app, library, tmp_path):
    """A file in the inbox that is no dump gives an error notification; the rest arrives."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "shopping.txt").write_text("milk, eggs\n", encoding="utf-8")
    write_dump(inbox, "wednesday.txt", papers=PAPERS[:1])
    before = count(library)
    app = make_app(inbox=inbox)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        errors = [message for message, severity in app.notes if severity == "error"]
        assert len(errors) == 1 and "shopping.txt" in errors[0]
        assert ("1 new paper from wednesday.txt", "information") in app.notes
        assert app.is_running
    assert count(library) == before + 1


async def test_the_inbox_is_the_configured_folder_or_one_in_the_data_directory(make_app, tmp_path):
    """Without a setting the app checks `inbox` in the data directory (creating it); the
    `inbox` setting names another folder."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
    assert app.inbox.directory == data_dir() / "inbox"
    assert app.inbox.directory.is_dir()
    save_settings(Settings(inbox=str(tmp_path / "drop")), app_config_path())
    configured = make_app()
    async with configured.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
    assert configured.inbox.directory == tmp_path / "drop"
