"""Files papershelf reads besides dumps, and folders it imports from, that cannot be read.

A settings or topics file nested past Python's stack, not UTF-8, unreadable (mode 000),
a FIFO or a folder; an import folder with mode 000; a backup whose list has a blank
name. Each is one line naming the file and the problem, exit 1, never a traceback, and
the library is exactly as it was.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from factories import write_dump
from hostile import digest
from rendered import notifications, settle
from writes import unprivileged

from tui.app import PapershelfApp

Spoil = Callable[[Path], None]


def nested(path: Path) -> None:
    path.write_text("a = " + "[" * 5_000 + "]" * 5_000 + "\n")


def not_utf8(path: Path) -> None:
    path.write_bytes(b'theme = "nord"\n# caf\xe9\n')


def unreadable(path: Path) -> None:
    path.write_text('theme = "nord"\n')
    path.chmod(0o000)


def fifo(path: Path) -> None:
    os.mkfifo(path)


def folder(path: Path) -> None:
    path.mkdir()


SPOILS: dict[str, tuple[Spoil, str]] = {
    "nested": (nested, "nested too deeply"),
    "not-utf8": (not_utf8, "not UTF-8 text (line 2)"),
    "unreadable": (unreadable, "cannot read (Permission denied)"),
    "fifo": (fifo, "is a named pipe (FIFO), not a regular file"),
    "folder": (folder, "is a directory, not a file"),
}

COMMANDS = {
    "config": ("config.toml", ["config"]),
    "watch": ("config.toml", ["import", "--watch"]),
    "stats": ("topics.toml", ["stats"]),
    "app": ("topics.toml", []),
}
"""Commands that read each file: `import --watch` reads config.toml for the inbox, and
the app (no command) stops before its first frame when topics.toml is unusable."""


@pytest.mark.parametrize("spoil", SPOILS)
@pytest.mark.parametrize("command", COMMANDS)
def test_unreadable_settings_file_is_one_line(
    command: str, spoil: str, stocked: Path, papershelf_script: Path
) -> None:
    """A command that reads the file stops with one line naming it and saying what is
    wrong with it, exit 1."""
    name, args = COMMANDS[command]
    path = Path(os.environ["PAPERSHELF_HOME"]) / "config" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    make, problem = SPOILS[spoil]
    make(path)
    before = digest(stocked)
    env = {**os.environ, "PAPERSHELF_DB": str(stocked)}
    argv = unprivileged([str(papershelf_script), *args])
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr[-2000:]
    assert lines[0].startswith(f"papershelf: {path}: ") and problem in lines[0], lines
    assert digest(stocked) == before


async def test_app_with_a_nested_settings_file_warns_and_opens(stocked: Path) -> None:
    """The app opens with its defaults and says in one notification what is wrong."""
    path = Path(os.environ["PAPERSHELF_HOME"]) / "config" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    nested(path)
    app = PapershelfApp(stocked)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert notifications(app) == [f"{path}: cannot read the settings (nested too deeply)"]


def test_import_from_a_folder_it_cannot_read_is_one_line(
    stocked: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    """`papershelf import DIR` with DIR mode 000: one line naming the folder, exit 1,
    nothing imported."""
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    write_dump(dumps, "new.txt", papers=[("A Paper Nobody Could Read", "x " * 100)])
    dumps.chmod(0o000)
    before = digest(stocked)
    env = {**os.environ, "PAPERSHELF_DB": str(stocked)}
    try:
        done = subprocess.run(
            unprivileged([str(papershelf_script), "import", str(dumps)]),
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        dumps.chmod(0o755)
    assert done.returncode == 1
    assert done.stderr == f"papershelf: {dumps}: cannot read the folder (Permission denied)\n"
    assert digest(stocked) == before


def test_backup_with_a_blank_list_name_names_the_file(
    stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A JSON backup whose list has a blank name is refused whole, in one line that says
    which file; none of its other state is applied."""
    backup = tmp_path / "backup.json"
    assert run_cli("export", "--format", "json", "-o", str(backup)).exit_code == 0
    data = json.loads(backup.read_text())
    data["papers"][0]["starred"] = not data["papers"][0].get("starred")
    data["lists"] = [{"name": " \t ", "papers": [{"id": data["papers"][0]["id"]}]}]
    backup.write_text(json.dumps(data))
    before = digest(stocked)
    result = run_cli("import", str(backup))
    assert result.exit_code == 1
    assert result.stderr == f"papershelf: rejected {backup}: a list needs a name\n"
    assert digest(stocked) == before
