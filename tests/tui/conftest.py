"""Fixtures for the TUI tests: a copy of the bundled sample library and a recording app.

The sample is imported once per session and copied into each test's tmp_path, so every
test starts from the same library and can reopen it with a fresh connection to see what
the app really wrote. Clipboard tools are hidden, so a copy goes through OSC 52 and
lands in the app's own clipboard, where a test can read it (and the reader's real
clipboard is never touched).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import RecordingApp

from papershelf.sample import sample_files
from papershelf.shelf import open_shelf


@pytest.fixture(scope="session")
def sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample, imported once with the default topics."""
    folder = tmp_path_factory.mktemp("sample")
    db = folder / "sample.db"
    with open_shelf(db, topics_path=folder / "no-topics.toml") as shelf:
        for path in sample_files():
            shelf.import_file(path)
    return db


@pytest.fixture
def library(tmp_path: Path, sample_template: Path) -> Path:
    db = tmp_path / "library.db"
    shutil.copyfile(sample_template, db)
    return db


@pytest.fixture(autouse=True)
def no_system_clipboard(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)


@pytest.fixture
def make_app(library: Path) -> Callable[..., RecordingApp]:
    def make(db: Path | None = None, **kwargs: Any) -> RecordingApp:
        return RecordingApp(db or library, **kwargs)

    return make
