"""Copying a link to the system clipboard without ever writing to the app's terminal.

pyperclip's Linux backends run xclip, xsel or wl-copy with the caller's stderr, and
Textual draws the whole screen on stderr: a stale DISPLAY would print "Can't open
display" over the app, and the xclip daemon that keeps the selection alive would keep
the terminal as its stderr for the rest of its life. So pyperclip runs in a short child
process, in its own session, whose output goes nowhere, with the backend named
explicitly and a read-back to prove the copy landed. When that fails the text goes to
the terminal's own clipboard (OSC 52) through Textual, which most terminals honour.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.app import App

TIMEOUT_SECONDS = 3.0

_COPY_AND_VERIFY = """
import sys
import pyperclip
pyperclip.set_clipboard(sys.argv[1])
text = sys.stdin.buffer.read().decode("utf-8")
pyperclip.copy(text)
sys.exit(0 if pyperclip.paste() == text else 3)
"""


@dataclass(frozen=True)
class CopyResult:
    """How a copy went, for the notification the reader sees.

    `method` is "clipboard" (the system clipboard, read back and verified), "osc52"
    (handed to the terminal, which may or may not honour it) or "none" (no app to
    hand it to and no reachable system clipboard).
    """

    method: str
    message: str


def clipboard_backend() -> str | None:
    """The pyperclip backend that can reach this session's clipboard, if any.

    Chosen from the environment rather than by pyperclip's own probing, which picks
    xclip whenever DISPLAY is set and never says the display is gone.
    """
    if sys.platform == "darwin":
        return "pbcopy"
    if sys.platform == "win32":
        return "windows"
    if os.environ.get("WAYLAND_DISPLAY") and shutil.which("wl-copy") and shutil.which("wl-paste"):
        return "wl-clipboard"
    if os.environ.get("DISPLAY"):
        for tool in ("xclip", "xsel"):
            if shutil.which(tool):
                return tool
    return None


def copy_to_system(text: str, backend: str) -> bool:
    """Copy through pyperclip in a detached child; True only when the read-back matches."""
    try:
        child = subprocess.Popen(
            [sys.executable, "-c", _COPY_AND_VERIFY, backend],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        return False
    try:
        child.communicate(text.encode("utf-8"), timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)
        child.wait()
        return False
    return child.returncode == 0


def osc52_note() -> str:
    """What a reader must know about a copy sent with OSC 52: nothing comes back to say
    whether the terminal took it, and tmux drops it unless told to pass it on."""
    if os.environ.get("TMUX"):
        return "Under tmux it arrives only with `set -g set-clipboard on` in ~/.tmux.conf."
    return "It arrives if the terminal accepts OSC 52 (most do; some ask first)."


def copy_text(text: str, app: App[object] | None = None) -> CopyResult:
    """Put `text` on the system clipboard, else on the terminal's clipboard via `app`.

    Call it from the app's thread: the OSC 52 fallback writes through the app's driver.
    It blocks for the child's run, a fraction of a second, or TIMEOUT_SECONDS at worst
    when a display hangs.
    """
    backend = clipboard_backend()
    if backend is not None and copy_to_system(text, backend):
        return CopyResult("clipboard", f"Copied {text}")
    if app is not None:
        app.copy_to_clipboard(text)
        return CopyResult(
            "osc52", f"Sent to the terminal's clipboard (OSC 52): {text}. {osc52_note()}"
        )
    return CopyResult("none", f"Could not copy {text}: no clipboard is reachable")
