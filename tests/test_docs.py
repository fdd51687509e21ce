"""The README documents every command, and its test line is the one CI runs."""

from __future__ import annotations

from pathlib import Path

from papershelf.cli import cli

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_in_the_readme() -> None:
    """Each `papershelf` subcommand appears in README's command table."""
    missing = [name for name in cli.commands if f"`papershelf {name}" not in README]
    assert missing == []


def test_every_command_has_help() -> None:
    """Every command explains itself in --help."""
    assert all(command.help for command in cli.commands.values())


def test_ci_runs_the_readme_test_line() -> None:
    """.ci/run takes its test command from README, so the two cannot drift apart."""
    lines = [line for line in README.splitlines() if line.startswith("python3 -m venv")]
    assert len(lines) == 2
    assert lines[0].endswith("papershelf demo")
    assert lines[1].endswith("pytest")
    assert "grep -m1 -E '^python3 -m venv .* pytest' README.md" in (ROOT / ".ci/run").read_text()
