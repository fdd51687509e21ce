"""The installed app in an 80x24 terminal: the footer still offers Help and Quit."""

from __future__ import annotations

from pathlib import Path

from test_tmux import Terminal, app_env, footer, papershelf, shows_app, terminal

from papershelf.sample import sample_files

__all__ = ["terminal"]  # a fixture; each test gets its own tmux server


def test_an_80x24_terminal_shows_help_and_quit(
    terminal: Terminal, tmp_path: Path, papershelf_script: Path
) -> None:
    db = tmp_path / "sample.db"
    papershelf(papershelf_script, db, "import", *map(str, sample_files()))
    terminal.start([str(papershelf_script), "--db", str(db)], app_env())
    terminal.tmux_command("resize-window", "-t", "app", "-x", "80", "-y", "24")
    terminal.wait_for(shows_app, "the app")
    screen = terminal.wait_settled()
    assert len(screen.splitlines()) == 24, screen
    bottom = footer(screen)
    assert "Help" in bottom and "Quit" in bottom, screen
    terminal.press("?")
    terminal.wait_for(lambda shown: "What it does" in shown, "the help screen")
    terminal.press("Escape")
    terminal.wait_for(lambda shown: "What it does" not in shown, "the help screen closed")
    terminal.press("q")
    status, output = terminal.wait_exit()
    assert status == 0, output


def test_quitting_the_demo_prints_a_next_step(terminal: Terminal, papershelf_script: Path) -> None:
    terminal.start([str(papershelf_script), "demo"], app_env())
    terminal.wait_for(shows_app, "the app")
    terminal.wait_settled()
    terminal.press("q")
    status, output = terminal.wait_exit()
    assert status == 0, output
    assert "papershelf fetch" in output and "papershelf import PATH" in output
