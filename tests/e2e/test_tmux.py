"""The installed `papershelf` script in a real terminal: tmux sends keys and reads the screen.

Every wait polls the screen against a deadline, so a slow machine only makes the tests
slower, and a failure shows the last screen the terminal displayed.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import signal
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from papershelf.sample import sample_files

pytestmark = pytest.mark.e2e

DUMPS = Path(__file__).resolve().parents[2].parent / "shared" / "dumps"
WIDTH, HEIGHT = 120, 40
DEADLINE_SECONDS = 30.0
POLL_SECONDS = 0.05
SETTLED_SECONDS = 0.3
QUERY = "quantization"

# default-size too: with no client attached, tmux may resize a window to it (80x24).
TMUX_CONFIG = f"""\
set -g default-size {WIDTH}x{HEIGHT}
set -g remain-on-exit on
set -g status off
set -g set-clipboard on
"""


@dataclass
class Terminal:
    """One tmux server of its own, running one command in a fixed-size window.

    The server is named (-L) rather than given a socket path, because a socket path
    under a deep temporary directory can exceed the 108 bytes a Unix socket allows.
    """

    tmux: str
    workdir: Path
    server: str = field(default_factory=lambda: f"papershelf-e2e-{uuid.uuid4().hex[:12]}")

    def tmux_command(self, *args: str) -> str:
        return subprocess.run(
            [self.tmux, "-u", "-L", self.server, *args],
            capture_output=True,
            text=True,
            check=True,
            timeout=DEADLINE_SECONDS,
        ).stdout

    def start(self, command: list[str], env: dict[str, str]) -> None:
        config = self.workdir / "tmux.conf"
        config.write_text(TMUX_CONFIG)
        settings = [arg for name, value in env.items() for arg in ("-e", f"{name}={value}")]
        recorded = ["sh", "-c", '"$@"; echo $? > "$0"', str(self.status_file), *command]
        self.tmux_command(
            "-f", str(config), "new-session", "-d", "-s", "app",
            "-x", str(WIDTH), "-y", str(HEIGHT), *settings, shlex.join(recorded),
        )  # fmt: skip

    def socket_path(self) -> Path:
        """The server's socket, which tmux leaves behind when the server is killed."""
        runtime = os.environ.get("TMUX_TMPDIR", "/tmp")
        return Path(runtime) / f"tmux-{os.getuid()}" / self.server

    @property
    def status_file(self) -> Path:
        """Where the pane's shell writes the command's exit status.

        tmux's own #{pane_dead_status} is sometimes never filled in for a command that
        exits quickly, so the status is recorded by the shell that runs the command.
        """
        return self.workdir / "exit-status"

    def screen(self) -> str:
        return self.tmux_command("capture-pane", "-p", "-t", "app")

    def history(self) -> str:
        """Everything the pane printed, scrolled-off lines included (a traceback is long)."""
        return self.tmux_command("capture-pane", "-p", "-t", "app", "-S", "-")

    def wait_for(self, shows: Callable[[str], bool], what: str) -> str:
        """The first screen for which `shows` holds; fails with the last screen at the deadline."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while True:
            screen = self.screen()
            if shows(screen):
                return screen
            if time.monotonic() > deadline:
                pytest.fail(f"the terminal never showed {what}; last screen:\n{screen}")
            time.sleep(POLL_SECONDS)

    def wait_settled(self) -> str:
        """The screen once it has stopped changing for SETTLED_SECONDS.

        A key pressed while the app still moves focus around would land on a widget a
        reader could not have seen focused yet; a person waits for the screen to settle.
        """
        deadline = time.monotonic() + DEADLINE_SECONDS
        screen, since = self.screen(), time.monotonic()
        while time.monotonic() - since < SETTLED_SECONDS:
            if time.monotonic() > deadline:
                pytest.fail(f"the screen never settled; last screen:\n{screen}")
            time.sleep(POLL_SECONDS)
            now = self.screen()
            if now != screen:
                screen, since = now, time.monotonic()
        return screen

    def pasted(self) -> str:
        """What the program last put on the terminal's clipboard with OSC 52 (tmux keeps it)."""
        result = subprocess.run(
            [self.tmux, "-L", self.server, "show-buffer"],
            capture_output=True,
            text=True,
            timeout=DEADLINE_SECONDS,
        )
        return result.stdout if result.returncode == 0 else ""

    def press(self, *keys: str) -> None:
        self.tmux_command("send-keys", "-t", "app", *keys)

    def type(self, text: str) -> None:
        self.tmux_command("send-keys", "-t", "app", "-l", text)

    def wait_exit(self) -> tuple[int, str]:
        """The command's exit status once it has exited, with all the pane printed."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not self.status_file.exists() or not self.status_file.read_text().strip():
            if time.monotonic() > deadline:
                pytest.fail(f"the app did not exit; last screen:\n{self.screen()}")
            time.sleep(POLL_SECONDS)
        return int(self.status_file.read_text()), self.history()


@pytest.fixture
def terminal(tmp_path: Path, require_tool: Callable[[str], str]) -> Iterator[Terminal]:
    """A private tmux server; at the end every process it ran is gone, even after a failure.

    Killing the server is not enough: `script` survives its pane's hangup and keeps
    the app running, so the pane's whole process tree is killed by id.
    """
    term = Terminal(require_tool("tmux"), tmp_path)
    yield term
    panes = subprocess.run(
        [term.tmux, "-L", term.server, "list-panes", "-a", "-F", "#{pane_pid}"],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.split()
    doomed = [pid for pane in panes for pid in process_tree(int(pane))]
    subprocess.run([term.tmux, "-L", term.server, "kill-server"], capture_output=True, timeout=10)
    term.socket_path().unlink(missing_ok=True)
    for pid in doomed:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def process_tree(root: int) -> list[int]:
    """`root` and all its descendants, children first."""
    listing = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout
    children: dict[int, list[int]] = {}
    for line in listing.splitlines():
        pid, parent = map(int, line.split())
        children.setdefault(parent, []).append(pid)
    tree: list[int] = []
    pending = [root]
    while pending:
        pid = pending.pop()
        tree.append(pid)
        pending.extend(children.get(pid, []))
    return tree[::-1]


def app_env() -> dict[str, str]:
    """What the app's pane needs: the test's private home and a UTF-8 locale."""
    return {"PAPERSHELF_HOME": os.environ["PAPERSHELF_HOME"], "LANG": "C.UTF-8"}


def papershelf(script: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(script), "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


def search_json(script: Path, db: Path, *args: str) -> list[dict[str, object]]:
    return json.loads(papershelf(script, db, "search", "--json", "--limit", "1000", *args).stdout)


def footer(screen: str) -> str:
    """The bottom line: Textual's footer, which lists the keys of the focused widget."""
    return screen.rstrip("\n").rsplit("\n", 1)[-1]


def ids_on(screen: str, ids: list[str]) -> list[str]:
    """Which of these paper ids the screen shows: the detail pane shows the highlighted one's."""
    return [paper_id for paper_id in ids if paper_id in screen]


def shows_app(screen: str) -> bool:
    return "papershelf" in screen.lower()


@pytest.fixture
def real_library(tmp_path: Path, papershelf_script: Path) -> Path:
    """A library built from the real dumps by the installed script, as a reader would."""
    if not DUMPS.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{DUMPS} is missing; CI must run the end-to-end tests on real dumps")
        pytest.skip(f"the shared dumps are not at {DUMPS}")
    db = tmp_path / "library.db"
    papershelf(papershelf_script, db, "import", str(DUMPS))
    return db


def test_marking_a_searched_paper_read_is_saved(
    terminal: Terminal, real_library: Path, papershelf_script: Path, tmp_path: Path
) -> None:
    """Searching with `/`, moving into the list and pressing Space marks that one paper read."""
    matches = [str(paper["id"]) for paper in search_json(papershelf_script, real_library, QUERY)]
    assert matches, f"no paper in the real dumps matches {QUERY!r}"
    first_id = matches[0]
    assert search_json(papershelf_script, real_library, "--read") == []

    terminal.start([str(papershelf_script), "--db", str(real_library)], app_env())
    terminal.wait_for(shows_app, "the app")
    list_footer = footer(terminal.wait_settled())
    terminal.press("/")
    search_footer = footer(
        terminal.wait_for(lambda screen: footer(screen) != list_footer, "the search box focused")
    )
    terminal.type(QUERY)
    terminal.wait_for(lambda screen: first_id in screen, f"the first result for {QUERY!r}")
    terminal.press("Enter")
    highlighted = terminal.wait_for(
        lambda screen: footer(screen) != search_footer and len(ids_on(screen, matches)) == 1,
        "the list focused, one paper's id in the detail",
    )
    (paper_id,) = ids_on(highlighted, matches)
    terminal.press("Space")
    terminal.wait_for(
        lambda screen: any(
            paper_id in line and "unread" not in line for line in screen.splitlines()
        ),
        f"paper {paper_id} marked read",
    )
    terminal.press("q")
    status, output = terminal.wait_exit()

    assert status == 0, output
    assert "Traceback" not in output
    assert [paper["id"] for paper in search_json(papershelf_script, real_library, "--read")] == [
        paper_id
    ]


def test_demo_opens_and_quits_cleanly(
    terminal: Terminal, papershelf_script: Path, tmp_path: Path
) -> None:
    """`papershelf demo` opens on the bundled sample, quits on `q` and leaves no files behind."""
    sample = tmp_path / "sample.db"
    papershelf(papershelf_script, sample, "import", *map(str, sample_files()))
    sample_ids = [str(paper["id"]) for paper in search_json(papershelf_script, sample)]
    scratch = tmp_path / "tmp"
    scratch.mkdir()

    terminal.start([str(papershelf_script), "demo"], app_env() | {"TMPDIR": str(scratch)})
    terminal.wait_for(lambda screen: bool(ids_on(screen, sample_ids)), "a sample paper's detail")
    terminal.wait_settled()
    terminal.press("q")
    status, output = terminal.wait_exit()

    assert status == 0, output
    assert "Traceback" not in output
    assert list(scratch.iterdir()) == []


HEADER = ["Get trending papers in your email inbox!", "Subscribe", "Daily Papers"]
ESCAPE_PAPERS = [
    (
        "Clipboard Heist \x1b]52;c;SGVsbG8=\x07 Lantern Tokens",
        "We study lantern tokens for sparse attention. The abstract tries to set the "
        "clipboard \x1b]52;c;SGVsbG8=\x07 from inside a terminal. Results improve by two points.",
    ),
    (
        "Screen Wiper \x1b[2J\x1b[H Beacon Retrieval",
        "Beacon retrieval finds passages by their beacons. The abstract tries to clear "
        "the screen \x1b[2J and move the cursor \x1b[10;10H away. Recall rises by a third.",
    ),
    (
        "Hidden Link \x1b]8;;https://evil.example/\x1b\\Harbour Models\x1b]8;;\x1b\\ Explained",
        "Harbour models dock small experts into a large model. We show that docking "
        "costs little memory. Accuracy matches the dense model at half the compute.",
    ),
    (
        "Eight Bit Control \x9b31m Compass Routing",
        "Compass routing steers tokens to experts by a learned compass \x9b2J heading. "
        "It balances load without auxiliary losses. Training is stable at scale.",
    ),
]
SHOWN_TITLE_WORDS = ["Clipboard Heist", "Lantern Tokens", "Screen Wiper", "Compass Routing"]


def test_escape_sequences_in_papers_never_reach_the_terminal(
    terminal: Terminal,
    papershelf_script: Path,
    tmp_path: Path,
    require_tool: Callable[[str], str],
) -> None:
    """Titles and abstracts carrying terminal escapes show as text and send no escape bytes."""
    script = require_tool("script")
    dump = tmp_path / "hostile.txt"
    dump_lines = [*HEADER, *(line for paper in ESCAPE_PAPERS for line in paper)]
    dump.write_text("\n".join(dump_lines) + "\n", encoding="utf-8")
    db = tmp_path / "hostile.db"
    papershelf(papershelf_script, db, "import", str(dump))
    ids = [str(paper["id"]) for paper in search_json(papershelf_script, db)]
    assert len(ids) == len(ESCAPE_PAPERS)
    raw_log = tmp_path / "terminal.raw"

    app = shlex.join([str(papershelf_script), "--db", str(db)])
    terminal.start([script, "-q", "-e", "-f", "-O", str(raw_log), "-c", app], app_env())
    terminal.wait_for(
        lambda screen: all(words in screen for words in SHOWN_TITLE_WORDS), "the papers' titles"
    )
    shown = set(ids_on(terminal.wait_settled(), ids))
    while len(shown) < len(ids):
        terminal.press("Down")
        screen = terminal.wait_for(
            lambda screen, seen=frozenset(shown): bool(set(ids_on(screen, ids)) - seen),
            "the next paper's detail",
        )
        shown |= set(ids_on(screen, ids))
    terminal.press("q")
    status, output = terminal.wait_exit()
    raw = raw_log.read_bytes()

    assert status == 0, output
    assert b"Lantern Tokens" in raw
    assert b"\x1b]52" not in raw
    assert b"\x1b[2J" not in raw
    assert re.search(rb"\x1b\]8;[^\x07\x1b]*;[^\x07\x1b]*evil", raw) is None
    assert b"\xc2\x9b" not in raw


CODE_URL = "https://github.com/lantern-lab/sparse-lanterns"
CODE_PAPER = (
    "Sparse Lanterns: Quantizing Attention Heads to Two Bits",
    "We present Sparse Lanterns, a post-training quantization method that stores attention "
    f"heads in two bits. Perplexity stays within one point of the full model. Code: {CODE_URL}.",
)


def one_paper_with_code(script: Path, tmp_path: Path) -> Path:
    """A library holding one invented paper whose abstract names its code repository."""
    dump = tmp_path / "code.txt"
    dump.write_text("\n".join([*HEADER, *CODE_PAPER]) + "\n", encoding="utf-8")
    db = tmp_path / "code.db"
    papershelf(script, db, "import", str(dump))
    (paper,) = search_json(script, db)
    assert paper["code_url"] == CODE_URL
    return db


def test_c_copies_the_code_link_to_the_desktop_clipboard(
    terminal: Terminal,
    papershelf_script: Path,
    tmp_path: Path,
    x_display: str,
    require_tool: Callable[[str], str],
) -> None:
    """With an X display, `c` puts the highlighted paper's code link on the desktop clipboard."""
    xclip = require_tool("xclip")
    db = one_paper_with_code(papershelf_script, tmp_path)

    env = app_env() | {"DISPLAY": x_display}
    terminal.start([str(papershelf_script), "--db", str(db)], env)
    terminal.wait_for(lambda screen: CODE_PAPER[0][:30] in screen, "the paper")
    terminal.wait_settled()
    terminal.press("c")

    def desktop_clipboard() -> str:
        return subprocess.run(
            [xclip, "-o", "-selection", "clipboard"],
            capture_output=True,
            text=True,
            timeout=DEADLINE_SECONDS,
        ).stdout

    terminal.wait_for(lambda _: desktop_clipboard() == CODE_URL, "the link on the X clipboard")
    terminal.press("q")
    status, output = terminal.wait_exit()

    assert status == 0, output
    assert desktop_clipboard() == CODE_URL
    assert terminal.pasted() == ""


@pytest.mark.parametrize("display", ["", ":99999"], ids=["no-display", "stale-display"])
def test_c_without_a_usable_display_copies_through_the_terminal(
    terminal: Terminal,
    papershelf_script: Path,
    tmp_path: Path,
    display: str,
    require_tool: Callable[[str], str],
) -> None:
    """With no display or a dead one, `c` hands the code link to the terminal (OSC 52),
    and no clipboard tool's complaint is printed over the app."""
    script = require_tool("script")
    if display:
        require_tool("xclip")
    db = one_paper_with_code(papershelf_script, tmp_path)
    raw_log = tmp_path / "terminal.raw"

    app = shlex.join([str(papershelf_script), "--db", str(db)])
    env = app_env() | {"DISPLAY": display, "WAYLAND_DISPLAY": ""}
    terminal.start([script, "-q", "-e", "-f", "-O", str(raw_log), "-c", app], env)
    terminal.wait_for(lambda screen: CODE_PAPER[0][:30] in screen, "the paper")
    terminal.wait_settled()
    terminal.press("c")
    terminal.wait_for(lambda screen: terminal.pasted() == CODE_URL, "the link on tmux's clipboard")
    terminal.press("q")
    status, output = terminal.wait_exit()

    assert status == 0, output
    assert b"Can't open display" not in raw_log.read_bytes()
