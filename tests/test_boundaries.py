"""The architecture's boundaries hold: the core never loads Textual, importers never SQLite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(p.stem for p in (ROOT / "papershelf").glob("*.py") if p.stem != "__init__")
CORE_MODULES = [*(f"papershelf.{name}" for name in MODULES), "papershelf.cli", "importers"]


def loaded_after_import(module: str) -> set[str]:
    code = f"import sys, {module}; print('\\n'.join(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return set(out.stdout.split())


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_loads_no_textual(module: str) -> None:
    """Importing any core module (the CLI included) does not load Textual or Rich widgets."""
    loaded = loaded_after_import(module)
    assert not {name for name in loaded if name.split(".")[0] == "textual"}


def test_importers_touch_neither_sqlite_nor_the_library() -> None:
    """The importers package loads no SQLite and none of the core but papershelf.models."""
    loaded = loaded_after_import("importers")
    ours = {name for name in loaded if name.split(".")[0] == "papershelf"}
    assert "sqlite3" not in loaded and "sqlite_utils" not in loaded
    assert ours <= {"papershelf", "papershelf.models"}
