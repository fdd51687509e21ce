"""The import dialog takes a folder as the CLI does: it imports the folder's dumps, and
completing a folder's path stops at the folder."""

from __future__ import annotations

from factories import numbered_papers, write_dump
from textual.widgets import Input, Static
from tui_helpers import settle

from papershelf.library import Library
from tui.screens.import_dialog import ImportDialog


async def enter_in_dialog(pilot, path) -> None:
    """i, the path typed in the dialog, Enter."""
    await settle(pilot)
    await pilot.press("i")
    pilot.app.screen.query_one(Input).value = str(path)
    await pilot.press("enter")


async def test_i_imports_every_dump_of_a_folder(make_app, library, tmp_path):
    folder = tmp_path / "drop"
    folder.mkdir()
    write_dump(folder, "a.txt", papers=numbered_papers(2, "lantern"))
    write_dump(folder, "b.txt", papers=numbered_papers(3, "harbour"))
    (folder / "notes.pdf").write_bytes(b"%PDF")
    with Library(library) as lib:
        before = lib.count()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await enter_in_dialog(pilot, folder)
        await settle(pilot)
        assert not isinstance(app.screen, ImportDialog)
        assert app.screen.sub_title == f"all papers — {before + 5} papers"
    with Library(library) as lib:
        assert lib.count() == before + 5
    assert app.said("2 new") and app.said("3 new")


async def test_a_folder_without_dumps_is_said_in_the_dialog(make_app, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await enter_in_dialog(pilot, empty)
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        problem = str(app.screen.query_one("#import-problem", Static).render())
        assert "No dump files" in problem and str(empty) in problem


async def test_completion_stops_at_the_folder(make_app, tmp_path):
    """`drop` completes to `drop/`, and `drop/` is not completed on to its first file."""
    folder = tmp_path / "drop"
    folder.mkdir()
    write_dump(folder, "a.txt", papers=numbered_papers(1))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        field = app.screen.query_one(Input)
        field.value = f"{tmp_path}/dr"
        await settle(pilot)
        await pilot.press("right")
        assert field.value == f"{folder}/"
        await settle(pilot)
        await pilot.press("right")
        assert field.value == f"{folder}/"
