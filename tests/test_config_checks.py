"""Settings that say when they are wrong: one line naming the file, the line and the closest
valid value; the wrong setting alone falls back to its default."""

from __future__ import annotations

from click.testing import CliRunner

from papershelf.cli import cli
from papershelf.config import DEFAULT_THEME, Settings, checked_settings, load_settings
from papershelf.paths import app_config_path


def test_an_unknown_theme_and_layout_are_named_with_their_line_and_closest_value(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text(
        'inbox = "/papers"\ntheme = "grubvox"\nlayout = "rigth"\nsidebar = "shown"\n',
        encoding="utf-8",
    )
    settings, problems = checked_settings(path)
    assert problems == (
        f"{path}:2: unknown theme 'grubvox'; did you mean 'gruvbox'?",
        f"{path}:3: unknown layout 'rigth'; did you mean 'right'?",
    )
    assert (settings.theme, settings.layout) == (DEFAULT_THEME, "auto")
    assert (settings.inbox, settings.sidebar) == ("/papers", "shown")


def test_a_key_problem_is_placed_on_its_line_in_the_keys_table(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('theme = "nord"\n\n[keys]\ntoggle_star = "S"\nbad = "y"\n', encoding="utf-8")
    settings, problems = checked_settings(path, lambda keys: {"bad": "wrong"})
    assert problems == (f"{path}:5: wrong",)
    assert dict(settings.keys) == {"toggle_star": "S"}
    assert settings.theme == "nord"


def test_config_refuses_an_unknown_theme_and_keeps_the_file(tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["config", "theme", "nord"]).exit_code == 0
    before = app_config_path().read_bytes()
    result = runner.invoke(cli, ["config", "theme", "nosuchtheme"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert str(app_config_path()) in line and "unknown theme 'nosuchtheme'" in line
    assert "did you mean" in line
    assert app_config_path().read_bytes() == before
    assert load_settings(app_config_path()) == Settings(theme="nord")


def test_config_sets_the_sidebar():
    runner = CliRunner()
    assert runner.invoke(cli, ["config", "sidebar", "hidden"]).output == "sidebar = hidden\n"
    assert load_settings(app_config_path()).sidebar == "hidden"
    assert runner.invoke(cli, ["config", "sidebar", "hiden"]).exit_code == 1
