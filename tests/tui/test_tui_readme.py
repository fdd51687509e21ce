"""The README's key table is the command table, so the two can never disagree."""

from __future__ import annotations

from pathlib import Path

from tui.commands import COMMANDS, key_table

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_key_table() -> str:
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Keys\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def test_readme_key_table_is_generated_from_the_command_table():
    """README.md's `## Keys` table equals the one generated from the command table."""
    expected = key_table()
    assert readme_key_table() == expected, (
        "README.md's key table is out of date; replace it with:\n\n" + expected
    )


def test_every_command_has_keys_a_title_and_plain_help():
    """Each command has keys or a place in the palette, a title, and help without markup
    brackets (the palette renders help as markup)."""
    for command in COMMANDS:
        assert command.keys or command.palette
        assert command.title and command.help.endswith(".")
        assert "[" not in command.help and "]" not in command.help
    assert len({command.action for command in COMMANDS}) == len(COMMANDS)


def test_no_key_runs_two_commands():
    """A default key belongs to one command only."""
    keys = [key for command in COMMANDS for key in command.keys.split(",") if key]
    assert len(keys) == len(set(keys))
