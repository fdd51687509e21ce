"""A mistyped --db for a command that only reads says there is no library there, and
leaves no empty library behind."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from factories import PAPERS, write_dump

from papershelf.cli import cli

READ_ONLY = [
    ["stats"],
    ["search", "lantern"],
    ["show", "1"],
    ["export"],
    ["topics"],
    ["list", "ls"],
]


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
def test_a_read_only_command_on_a_missing_library_fails_and_creates_nothing(tmp_path, command):
    typo = tmp_path / "libary.db"
    result = CliRunner().invoke(cli, ["--db", str(typo), *command])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert str(typo) in line and "no library there" in line
    assert list(tmp_path.iterdir()) == []


def test_import_still_creates_the_library(tmp_path):
    dump = write_dump(tmp_path, "day.txt", papers=PAPERS)
    db = tmp_path / "new.db"
    assert CliRunner().invoke(cli, ["--db", str(db), "import", str(dump)]).exit_code == 0
    assert CliRunner().invoke(cli, ["--db", str(db), "stats"]).exit_code == 0
