"""Exporting the view as Markdown and importing dump files from inside the app."""

from __future__ import annotations

from factories import PAPERS, write_dump
from textual.widgets import Input
from tui_helpers import settle

from papershelf.library import Library
from tui.screens.export_dialog import ExportDialog
from tui.screens.import_dialog import ImportDialog
from tui.widgets.import_progress import ImportProgress


async def test_e_exports_the_view_under_a_sensible_default_name(
    make_app, library, tmp_path, monkeypatch
):
    """e proposes a dated name for the view, writes the Markdown and reports the path."""
    monkeypatch.chdir(tmp_path)
    with Library(library) as lib:
        total = lib.count()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("space", "u", "e")
        await settle(pilot)
        assert isinstance(app.screen, ExportDialog)
        name = app.screen.query_one(Input).value
        assert name == "papershelf-unread-2026-03-15.md"
        await pilot.press("enter")
        await settle(pilot)
    written = tmp_path / name
    text = written.read_text(encoding="utf-8")
    assert text.startswith("# Reading list: unread\n")
    assert f"{total - 1} papers, 0 read." in text
    assert text.count("\n- [ ] **") == total - 1
    assert app.said(f"Exported {total - 1} papers to {written}")


async def test_export_asks_before_replacing_a_file(make_app, tmp_path, monkeypatch):
    """An existing file is replaced only after a second Enter."""
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "list.md"
    target.write_text("mine\n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(Input).value = "list.md"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert target.read_text(encoding="utf-8") == "mine\n"
        await pilot.press("enter")
        await settle(pilot)
    assert target.read_text(encoding="utf-8").startswith("# Reading list: all papers")


async def test_escape_cancels_the_export(make_app, tmp_path, monkeypatch):
    """Esc in the export dialog writes nothing."""
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("e", "escape")
        await settle(pilot)
        assert not isinstance(app.screen, ExportDialog)
    assert list(tmp_path.glob("*.md")) == []


async def test_i_imports_a_file_and_the_list_and_counts_refresh(make_app, library, tmp_path):
    """i imports the named dump; the new papers appear in the list, counts and header."""
    dump = write_dump(tmp_path, "new.txt", papers=PAPERS)
    with Library(library) as lib:
        before = lib.count()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one(Input).value = str(dump)
        await pilot.press("enter")
        await settle(pilot)
        after = before + len(PAPERS)
        assert app.screen.sub_title == f"all papers — {after} papers"
        assert app.screen.results.counts.states["unread"] == after
        assert not app.screen.query_one(ImportProgress).display
    with Library(library) as lib:
        assert lib.count() == after
    assert app.said(f"{len(PAPERS)} new")


async def test_the_import_shows_its_progress(make_app, tmp_path):
    """While a file is read the progress line names it and counts papers."""
    dump = write_dump(tmp_path, "progress.txt", papers=PAPERS)
    app = make_app()
    seen: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        progress = app.screen.query_one(ImportProgress)
        progress.watch(progress, "state", lambda s: seen.append(s and s.path.name), init=False)
        await pilot.press("i")
        app.screen.query_one(Input).value = str(dump)
        await pilot.press("enter")
        await settle(pilot)
    assert "progress.txt" in seen
    assert seen[-1] is None


async def test_a_rejected_file_is_an_error_notification(make_app, library, tmp_path):
    """A file that is not a dump is rejected with an error and the library is unchanged."""
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping: milk, eggs\n", encoding="utf-8")
    with Library(library) as lib:
        before = lib.count()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one(Input).value = str(notes)
        await pilot.press("enter")
        await settle(pilot)
        message, severity = app.notes[-1]
        assert severity == "error"
        assert message.startswith(f"Rejected {notes}")
    with Library(library) as lib:
        assert lib.count() == before


async def test_the_import_dialog_completes_paths(make_app, tmp_path):
    """Typing the start of a file name suggests the rest; Right accepts it."""
    write_dump(tmp_path, "daily-2026-03-11.txt", papers=PAPERS)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one(Input).value = f"{tmp_path}/dai"
        await settle(pilot)
        await pilot.press("right")
        assert app.screen.query_one(Input).value == f"{tmp_path}/daily-2026-03-11.txt"
