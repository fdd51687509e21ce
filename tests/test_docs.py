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


def test_readme_topics_example_is_valid(tmp_path: Path) -> None:
    """The topics.toml example in README loads and does what it says."""
    from papershelf.topics import load_taxonomy

    example = README.split("```toml\n", 1)[1].split("```", 1)[0]
    config = tmp_path / "topics.toml"
    config.write_text(example)
    taxonomy = load_taxonomy(config)
    assert "model-merging" not in taxonomy
    assert taxonomy.get("agents").name == "LLM Agents"  # type: ignore[union-attr]
    assert taxonomy.get("robot-learning").group == "area"  # type: ignore[union-attr]
