"""Wrong settings in the app: each falls back to its default and is said in a notification;
the settings that are right still apply."""

from __future__ import annotations

import pytest
from textual.app import App
from tui_helpers import settle

from papershelf.config import THEMES
from papershelf.paths import app_config_path
from tui.commands import keymap_problems


def write_settings(text: str) -> None:
    app_config_path().parent.mkdir(parents=True, exist_ok=True)
    app_config_path().write_text(text, encoding="utf-8")


def test_the_core_knows_every_builtin_theme():
    """The core names Textual's themes without importing Textual: the lists must agree."""
    assert sorted(THEMES) == sorted(App().available_themes)


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (
            'toggle_raed = "X"',
            "unknown command 'toggle_raed' in [keys]; did you mean 'toggle_read'?",
        ),
        ('toggle_read = "j"', "'j' already runs Down (cursor_down)"),
        ('toggle_star = "ctrl+q"', "'ctrl+q' quits the app"),
        ('toggle_star = "X,c"', "'c' already runs Copy code link (copy_code)"),
    ],
)
def test_keymap_problems_name_the_wrong_entries(entry, said):
    action, key = (part.strip().strip('"') for part in entry.split("="))
    assert said in keymap_problems({action: key, "show_all": "A"})[action]
    assert "show_all" not in keymap_problems({action: key, "show_all": "A"})


def test_a_key_given_up_by_its_command_may_be_taken():
    """Moving not_interested off x frees x for toggle_read."""
    assert keymap_problems({"toggle_read": "x", "not_interested": "X"}) == {}


async def test_a_clashing_key_is_refused_and_the_app_keeps_the_default(make_app):
    """`toggle_read = "j"` would stop Space marking and take Read out of the footer: it is
    refused, j still moves down, Space still marks, and the notification names the line."""
    write_settings('theme = "nord"\n[keys]\ntoggle_star = "X"\ntoggle_read = "j"\n')
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == "nord"
        assert app.said(f"{app_config_path()}:4: 'j' already runs Down (cursor_down)")
        papers = app.screen.query_one("#papers")
        await pilot.press("j")
        assert papers.cursor == 1
        await pilot.press("space")
        await settle(pilot)
        assert app.screen.paper.read
        await pilot.press("X")
        await settle(pilot)
        assert app.screen.paper.starred


async def test_an_unknown_theme_falls_back_and_is_said(make_app):
    write_settings('theme = "nosuchtheme"\nlayout = "below"\n')
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert app.screen.has_class("-below")
        message, severity = app.notes[0]
        assert severity == "warning"
        assert message.startswith(f"{app_config_path()}:1: unknown theme 'nosuchtheme'")


async def test_a_reserved_key_does_not_quit(make_app):
    write_settings('[keys]\ntoggle_star = "ctrl+q"\n')
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.said(":2: 'ctrl+q' quits the app")
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.paper.starred


async def test_a_config_with_problems_is_never_rewritten(make_app):
    """Changing the layout in the app while config.toml has a problem keeps the reader's
    file byte for byte (saving would write defaults over it) and says why."""
    text = 'theme = "grubvox"\nlayout = "below"\n[keys]\ntoggle_raed = "X"\n'
    write_settings(text)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.said("Not saved to")
    assert app_config_path().read_text(encoding="utf-8") == text
