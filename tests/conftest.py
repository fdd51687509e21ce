"""Fixtures shared by every test layer: isolated user directories and real system tools.

Tests that need a system tool (tmux, Xvfb, xclip, script) skip with a reason on a
developer machine that lacks it, but fail in CI (`CI=true`), where `.ci/run` installs
them: a silently skipped end-to-end test would otherwise pass CI without running.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

STARTUP_SECONDS = 10.0


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    """Run `async def` tests (the reading app's, under Pilot) in a fresh event loop.

    This is all an async plugin would do here, without the extra dependency.
    """
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    names = pyfuncitem._fixtureinfo.argnames
    asyncio.run(pyfuncitem.obj(**{name: pyfuncitem.funcargs[name] for name in names}))
    return True


def require_tool(name: str) -> str:
    """The path of system tool `name`; skip the test without it, or fail under CI=true."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} is not installed (apt-get install tmux xvfb xclip xauth)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run every end-to-end test", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture(name="require_tool")
def require_tool_fixture() -> Callable[[str], str]:
    """`require_tool` for test modules, which cannot import conftest by name reliably."""
    return require_tool


@pytest.fixture(autouse=True)
def isolated_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test reads or writes the reader's real library or configuration."""
    monkeypatch.setenv("PAPERSHELF_HOME", str(tmp_path_factory.mktemp("papershelf-home")))
    monkeypatch.delenv("PAPERSHELF_DB", raising=False)


@pytest.fixture
def papershelf_script() -> Path:
    """The installed `papershelf` console script of the interpreter running the tests."""
    found = shutil.which("papershelf", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"no papershelf script beside {sys.executable}; run pip install -e .")
    return Path(found)


@pytest.fixture
def x_display(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A private virtual X server (Xvfb) as DISPLAY, with no Wayland to compete with it.

    Xvfb picks a free display number itself (-displayfd) and reports it only once it
    accepts connections, so there is no guessing and no polling.
    """
    xvfb = require_tool("Xvfb")
    read_end, write_end = os.pipe()
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-nolisten", "tcp", "-screen", "0", "640x480x24"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as reported:
            number = reported.readline().strip()
        if not number:
            pytest.fail(f"Xvfb exited with {server.wait(STARTUP_SECONDS)} before it was ready")
        display = f":{number}"
        monkeypatch.setenv("DISPLAY", display)
        monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
        yield display
    finally:
        server.terminate()
        server.wait(STARTUP_SECONDS)
