"""The papershelf Textual app: opens the library, applies the settings, runs the main screen."""

from __future__ import annotations

import sys
import webbrowser
from collections.abc import Callable
from datetime import date
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.theme import Theme

from papershelf.config import Settings, SettingsError, checked_settings, save_settings
from papershelf.inbox import Inbox, settings_inbox
from papershelf.library import Library
from papershelf.paths import app_config_path
from papershelf.search import TYPING_BUDGET_S, Search
from papershelf.shelf import open_shelf
from papershelf.text import sanitize
from tui.commands import bindings, key_label, keymap_problems
from tui.messages import LayoutChosen
from tui.providers import FilterCommands, PaperCommands
from tui.screens.main import MainScreen

KEY_WRITE_WAIT_S = 1.0
"""A key that writes (read, star, note, lists) waits this long for another process's
import to commit, then says "library busy": the app's writes run on its UI thread."""


class PapershelfApp(App[None]):
    """Raises LibraryError (or TopicConfigError) on construction when the library cannot
    be opened, so the CLI can report it in one line before any screen is drawn.

    `today`, `browser` and `inbox` are parameters so tests can fix the date in export
    names, see which URL would have been opened and drop files into an inbox of their own.
    """

    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "papershelf"
    BINDINGS = bindings("app")
    COMMANDS = App.COMMANDS | {PaperCommands, FilterCommands}

    def __init__(
        self,
        db_path: str | Path,
        *,
        settings_path: Path | None = None,
        today: Callable[[], date] = date.today,
        browser: Callable[[str], object] = webbrowser.open,
        inbox: Path | None = None,
    ) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        self.settings_path = settings_path or app_config_path()
        self.settings_problems: tuple[str, ...] = ()
        try:
            self.settings, self.settings_problems = checked_settings(
                self.settings_path, keymap_problems
            )
        except SettingsError as error:
            self.settings, self.settings_problems = Settings(), (str(error),)
        self.today = today
        self.browser = browser
        self.inbox = Inbox(inbox or settings_inbox(self.settings))
        self.shelf = open_shelf(self.db_path)
        self.shelf.lib.wait_at_most(KEY_WRITE_WAIT_S)
        self.search_lib = Library(self.db_path)
        self.keymap = dict(self.settings.keys)
        self.set_keymap(self.keymap)
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self.theme_chosen)
        self.push_screen(self.main_screen())
        for problem in self.settings_problems:
            self.notify(problem, severity="warning", markup=False)

    def main_screen(self) -> MainScreen:
        """Pushed rather than returned by get_default_screen, which skips a screen's CSS_PATH."""
        return MainScreen(
            self.shelf,
            Search(self.search_lib, budget=TYPING_BUDGET_S),
            db_path=self.db_path,
            inbox=self.inbox,
            layout=self.settings.layout,
            sidebar=self.settings.sidebar,
            keymap=self.keymap,
            settings_path=self.settings_path,
            today=self.today,
            browser=self.browser,
            fetch_at_start=self.settings.fetch_at_start,
        )

    def on_unmount(self) -> None:
        self.shelf.close()
        self.search_lib.close()

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications quote file names, URLs and errors: never markup, never escapes."""
        super().notify(
            sanitize(message),
            title=sanitize(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def get_key_display(self, binding: Binding) -> str:
        return binding.key_display or key_label(binding.key)

    def theme_chosen(self, theme: Theme) -> None:
        self.remember(self.settings.with_theme(theme.name))

    def on_layout_chosen(self, event: LayoutChosen) -> None:
        self.remember(self.settings.with_layout(event.layout).with_sidebar(event.sidebar))

    def remember(self, settings: Settings) -> None:
        """Keep a setting for next time; a read-only config directory only warns.

        A config.toml that had problems when the app started is never rewritten: saving
        would put defaults over the reader's own lines. The choice holds until quitting.
        """
        self.settings = settings
        if self.settings_problems:
            self.notify(
                f"Not saved to {self.settings_path}: fix the problems it had at start first.",
                severity="warning",
                markup=False,
            )
            return
        try:
            save_settings(settings, self.settings_path)
        except OSError as error:
            self.notify(
                f"Cannot save settings to {self.settings_path}: {error.strerror}",
                severity="warning",
                markup=False,
            )


def run(db_path: Path) -> None:
    """Open the app on a library file; the CLI's entry point (`papershelf`, `papershelf demo`).

    An unhandled error ends the app with Textual's traceback on the screen and a return
    code of 1, which becomes the process's exit status, so a script or a test that runs
    `papershelf` sees the failure.
    """
    app = PapershelfApp(db_path)
    app.run()
    if app.return_code:
        sys.exit(app.return_code)
