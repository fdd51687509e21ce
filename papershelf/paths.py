"""Where papershelf keeps its files.

`PAPERSHELF_HOME` moves the data and config directories together (tests and demos use
it so they never touch the reader's real library); `PAPERSHELF_DB` or `--db` moves just
the library file.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "papershelf"


def data_dir() -> Path:
    home = os.environ.get("PAPERSHELF_HOME")
    if home:
        return Path(home) / "data"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    home = os.environ.get("PAPERSHELF_HOME")
    if home:
        return Path(home) / "config"
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    env = os.environ.get("PAPERSHELF_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "library.db"


def topics_config_path() -> Path:
    return config_dir() / "topics.toml"


def app_config_path() -> Path:
    return config_dir() / "config.toml"


def ensure_private_dir(path: Path) -> None:
    """Create a directory readable by its owner only: a library is the reader's own notes."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
