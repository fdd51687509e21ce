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
toggle_read = "x"
```
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from papershelf.files import FileProblem, read_text, write_text

LAYOUTS = ("auto", "right", "below", "hidden")
SIDEBARS = ("auto", "shown", "hidden")
DEFAULT_THEME = "textual-dark"

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
    try:
        text = read_text(path)
        data = tomllib.loads(text) if text is not None else {}
    except FileProblem as error:
        raise SettingsError(str(error)) from None
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"{path}: cannot read the settings ({error})") from None
    except RecursionError:
        raise SettingsError(f"{path}: cannot read the settings (nested too deeply)") from None
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
