"""Settings that persist (theme, layout, remapped keys), the help screen and quitting."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest
from rich.console import Console
from tui_helpers import settle

from papershelf.config import Settings, SettingsError, load_settings, save_settings
from papershelf.library import Library
from papershelf.paths import app_config_path
from papershelf.query import Query
from papershelf.search import Search
from tui.commands import BY_ACTION
from tui.screens.help import HelpScreen


def test_settings_survive_a_round_trip(tmp_path):
    """What is saved is what is loaded, whatever characters a value holds."""
    path = tmp_path / "config.toml"
    odd = 'quote " back \\ tab \t bell \x07 del \x7f é'
    settings = Settings(theme=odd, layout="below", keys={"toggle_read": "x", "odd key": "y"})
    save_settings(settings, path)
    assert load_settings(path) == settings


def test_missing_or_wrong_settings_fall_back_to_defaults(tmp_path):
    """No file, an unknown layout or a wrongly typed key means the default for it."""
    assert load_settings(tmp_path / "absent.toml") == Settings()
    path = tmp_path / "config.toml"
    path.write_text('layout = "sideways"\ntheme = 3\n[keys]\nquit = 1\n', encoding="utf-8")
    assert load_settings(path) == Settings()


def test_a_broken_settings_file_is_named_in_the_error(tmp_path):
    """Invalid TOML raises SettingsError naming the file."""
    path = tmp_path / "config.toml"
    path.write_text("theme = \n", encoding="utf-8")
    with pytest.raises(SettingsError, match=r"config\.toml"):
        load_settings(path)


async def test_a_broken_settings_file_warns_and_the_app_starts(make_app):
    """The app still opens with defaults and says which file it could not read."""
    app_config_path().parent.mkdir(parents=True, exist_ok=True)
    app_config_path().write_text("theme = = \n", encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        message, severity = app.notes[0]
        assert severity == "warning" and str(app_config_path()) in message


async def test_the_chosen_theme_is_remembered(make_app):
    """A theme picked in the app is written to the settings and used next time."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await settle(pilot)
    assert tomllib.loads(app_config_path().read_text(encoding="utf-8"))["theme"] == "nord"
    assert make_app().theme == "nord"


async def test_d_cycles_the_detail_layout_and_it_is_remembered(make_app):
    """d moves the detail pane (right, below, hidden) and the choice persists."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.screen.has_class("-right")
        await pilot.press("d")
        assert app.screen.has_class("-right")
        await pilot.press("d")
        assert app.screen.has_class("-below")
        await pilot.press("d")
        assert app.screen.has_class("-hidden")
        assert not app.screen.query_one("#detail").display
    assert load_settings(app_config_path()).layout == "hidden"
    again = make_app()
    async with again.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert again.screen.has_class("-hidden")


async def test_keys_remapped_in_the_settings_are_used_and_shown(make_app, library):
    """`toggle_read = "X"` in [keys] makes X mark papers read, and help shows X."""
    save_settings(Settings(keys={"toggle_read": "X"}), app_config_path())
    with Library(library) as lib:
        pk = Search(lib).run(Query())[0]
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("X")
        await settle(pilot)
        with Library(library) as lib:
            assert lib.paper(pk).read
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        table = app.screen.table()
        console = Console(width=200, record=True)
        console.print(table)
        help_text = BY_ACTION["toggle_read"].help
        row = next(line for line in console.export_text().splitlines() if help_text in line)
        assert row.split()[0] == "X"


async def test_help_opens_with_question_mark_or_f1_and_lists_every_command(make_app):
    """? and F1 open the key table generated from the command table; Esc closes it."""
    from tui.commands import COMMANDS

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        for key in ("question_mark", "f1"):
            await pilot.press(key)
            assert isinstance(app.screen, HelpScreen)
            console = Console(width=200, record=True)
            console.print(app.screen.table())
            text = console.export_text()
            assert all(command.title in text for command in COMMANDS)
            await pilot.press("escape")
            assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(make_app):
    """q leaves the app."""
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.parametrize(("own", "expected"), [(None, "120"), ("30", "30")])
def test_the_app_paints_up_to_120_frames_a_second(own: str | None, expected: str) -> None:
    """Results wait less for their frame at 120 fps than at Textual's 60; a reader's own
    TEXTUAL_FPS wins. Textual reads it when first imported, so a fresh process shows it."""
    env = {k: v for k, v in os.environ.items() if k != "TEXTUAL_FPS"}
    if own is not None:
        env["TEXTUAL_FPS"] = own
    code = "import tui.app; from textual import constants; print(constants.MAX_FPS)"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == expected
