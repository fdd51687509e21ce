"""The app's own settings: theme, detail layout and key remapping, in a small TOML file.

The reader may edit the file by hand; the app rewrites it when the theme or layout
changes. It holds only flat strings, booleans and integers plus one `[keys]` table of
strings, so `tomllib` reads it and the few lines below write it: no TOML dependency.

```toml
theme = "nord"
layout = "auto"      # auto, right, below or hidden
sidebar = "auto"     # auto (hidden below 100 columns), shown or hidden
inbox = "~/papers"   # folder scanned for new dumps (default: the data directory's inbox)
fetch_at_start = true  # fetch Hugging Face's new days when the app starts

[keys]               # command name = keys, comma separated (see the README key table)
toggle_read = "X"
```
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from papershelf.files import FileProblem, read_text, write_text

LAYOUTS = ("auto", "right", "below", "hidden")
SIDEBARS = ("auto", "shown", "hidden")
DEFAULT_THEME = "textual-dark"
THEMES = (
    "ansi-dark",
    "ansi-light",
    "atom-one-dark",
    "atom-one-light",
    "catppuccin-frappe",
    "catppuccin-latte",
    "catppuccin-macchiato",
    "catppuccin-mocha",
    "dracula",
    "flexoki",
    "gruvbox",
    "monokai",
    "nord",
    "rose-pine",
    "rose-pine-dawn",
    "rose-pine-moon",
    "solarized-dark",
    "solarized-light",
    "textual-dark",
    "textual-light",
    "tokyo-night",
)
"""Textual's built-in themes, named here because the core never imports Textual (a TUI
test checks the list against the app's)."""
CHOICES: Mapping[str, Sequence[str]] = {"theme": THEMES, "layout": LAYOUTS, "sidebar": SIDEBARS}

KeyCheck = Callable[[Mapping[str, str]], Mapping[str, str]]

Scalar = str | bool | int


class SettingsError(Exception):
    """The settings file cannot be read; the message is one line naming the file."""


@dataclass(frozen=True, slots=True)
class Settings:
    theme: str = DEFAULT_THEME
    layout: str = "auto"
    sidebar: str = "auto"
    keys: Mapping[str, str] = field(default_factory=dict)
    inbox: str = ""
    fetch_at_start: bool = False

    def with_theme(self, theme: str) -> Settings:
        return replace(self, theme=theme)

    def with_layout(self, layout: str) -> Settings:
        return replace(self, layout=layout if layout in LAYOUTS else "auto")

    def with_sidebar(self, sidebar: str) -> Settings:
        return replace(self, sidebar=sidebar if sidebar in SIDEBARS else "auto")

    def with_inbox(self, inbox: str) -> Settings:
        return replace(self, inbox=inbox)

    def with_fetch_at_start(self, fetch_at_start: bool) -> Settings:
        return replace(self, fetch_at_start=fetch_at_start)


def load_settings(path: Path) -> Settings:
    """Settings from `path`; a missing file or a missing or wrong-typed key means the default."""
    return settings_from(read_table(path)[1])


def checked_settings(
    path: Path, check_keys: KeyCheck = lambda keys: {}
) -> tuple[Settings, tuple[str, ...]]:
    """Settings from `path` with each wrong value replaced by its default, and one line
    per wrong value naming the file, its line and the closest valid value. A wrong value
    spoils only its own setting: the app starts with the rest as the reader wrote them.

    `check_keys` judges the `[keys]` table ({command: problem}); it lives with the
    command table, which the core cannot import.
    """
    text, data = read_table(path)
    settings = settings_from(data)
    problems: list[str] = []
    for name, choices in CHOICES.items():
        value = data.get(name)
        if value is not None and value not in choices:
            problems.append(f"{path}:{line_of(text, '', name)}: {choice_problem(name, value)}")
            settings = replace(settings, **{name: getattr(Settings(), name)})
    wrong = check_keys(settings.keys)
    problems.extend(f"{path}:{line_of(text, 'keys', k)}: {problem}" for k, problem in wrong.items())
    keys = {k: v for k, v in settings.keys.items() if k not in wrong}
    return replace(settings, keys=keys), tuple(problems)


def choice_problem(name: str, value: object, choices: Sequence[str] | None = None) -> str:
    """Why `value` is no `name`, with the valid value closest to it (difflib)."""
    valid = choices or CHOICES[name]
    return f"unknown {name} {str(value)!r}; did you mean {closest(str(value), valid)!r}?"


def closest(value: str, valid: Sequence[str]) -> str:
    return (get_close_matches(value, valid, n=1, cutoff=0) or valid)[0]


def line_of(text: str, table: str, key: str) -> int:
    """The line where `key` is set in `table` ("" for the top level); 0 when not found."""
    current = ""
    assignment = re.compile(
        rf"""\s*(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')\s*="""
    )
    for number, line in enumerate(text.splitlines(), 1):
        header = re.match(r"\s*\[([^\]]*)\]", line)
        if header:
            current = header.group(1).strip()
        elif current == table and assignment.match(line):
            return number
    return 0


def read_table(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and its TOML table; an absent file is an empty one."""
    try:
        text = read_text(path) or ""
        return text, tomllib.loads(text)
    except FileProblem as error:
        raise SettingsError(str(error)) from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: cannot read the settings ({error})") from None
    except RecursionError:
        raise SettingsError(f"{path}: cannot read the settings (nested too deeply)") from None


def settings_from(data: Mapping[str, Any]) -> Settings:
    theme = data.get("theme")
    layout = data.get("layout")
    sidebar = data.get("sidebar")
    keys = data.get("keys")
    inbox = data.get("inbox")
    return Settings(
        theme=theme if isinstance(theme, str) and theme else DEFAULT_THEME,
        layout=layout if layout in LAYOUTS else "auto",
        sidebar=sidebar if sidebar in SIDEBARS else "auto",
        keys=(
            {k: v for k, v in keys.items() if isinstance(v, str) and v}
            if isinstance(keys, dict)
            else {}
        ),
        inbox=inbox if isinstance(inbox, str) else "",
        fetch_at_start=data.get("fetch_at_start") is True,
    )


def save_settings(settings: Settings, path: Path) -> None:
    """Write the settings whole (see `papershelf.files`); raises OSError (a `FileProblem`
    naming the file) when the config directory is not writable or the path is no file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    values: dict[str, Scalar] = {"theme": settings.theme, "layout": settings.layout}
    if settings.sidebar != "auto":
        values["sidebar"] = settings.sidebar
    if settings.inbox:
        values["inbox"] = settings.inbox
    if settings.fetch_at_start:
        values["fetch_at_start"] = True
    write_text(path, [dumps(values, {"keys": settings.keys})], what="the settings")


def dumps(values: Mapping[str, Scalar], tables: Mapping[str, Mapping[str, Any]]) -> str:
    """TOML for top-level scalars followed by tables of scalars (empty tables are left out)."""
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in values.items()]
    for name, table in tables.items():
        if table:
            lines.extend(["", f"[{toml_key(name)}]"])
            lines.extend(f"{toml_key(k)} = {toml_value(v)}" for k, v in table.items())
    return "\n".join(lines) + "\n"


def toml_key(key: str) -> str:
    if key and all(c.isascii() and (c.isalnum() or c in "_-") for c in key):
        return key
    return toml_value(key)


def toml_value(value: Scalar) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    escaped = []
    for char in value:
        if char in '"\\':
            escaped.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'
