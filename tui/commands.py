"""The command table: every user action declared once, with its keys, title and help.

Bindings, the footer, the command palette, the help screen and the README key table
are all derived from `COMMANDS`, so a key is never written twice. The action name is
also the binding id, which is what a reader remaps in the `[keys]` table of the
settings file (`toggle_read = "X"`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding

from papershelf.config import closest

Scope = Literal["app", "screen", "list"]


@dataclass(frozen=True, slots=True)
class Command:
    """One user action. `scope` says which class handles it: the app, the main screen,
    or the paper list (movement keys belong to the focused list only).

    A command without keys is run from the command palette only. `priority` keys act
    the moment they are read, before keys that follow them in the same burst (a paste,
    fast typing over SSH) are handed to whichever widget has the focus: the keys that
    move the focus are priority keys, so the keys after them go where the focus went.
    `essential` footer keys are the ones a narrow footer keeps: a reader who sees only
    these can still search, mark, undo, find every other key and leave.
    """

    action: str
    keys: str
    title: str
    help: str
    scope: Scope = "screen"
    footer: bool = False
    palette: bool = True
    priority: bool = False
    essential: bool = False


COMMANDS: tuple[Command, ...] = (
    Command(
        "focus_search",
        "slash",
        "Search",
        "Search as you type; Enter or Down moves into the list.",
        footer=True,
        priority=True,
        essential=True,
    ),
    Command(
        "back",
        "escape",
        "Back",
        "Back out one level: detail, then search box, then the search text, then filters.",
        palette=False,
        priority=True,
    ),
    Command("cursor_down", "down,j", "Down", "Next paper.", scope="list", palette=False),
    Command("cursor_up", "up,k", "Up", "Previous paper.", scope="list", palette=False),
    Command("page_down", "pagedown", "Page down", "A page down.", scope="list", palette=False),
    Command("page_up", "pageup", "Page up", "A page up.", scope="list", palette=False),
    Command("first", "home", "First", "First paper.", scope="list", palette=False),
    Command("last", "end", "Last", "Last paper.", scope="list", palette=False),
    Command(
        "open_detail",
        "enter",
        "Open detail",
        "Read the whole abstract and links of the highlighted paper.",
        scope="list",
        palette=False,
    ),
    Command(
        "toggle_read",
        "space",
        "Read",
        "Mark the highlighted paper read, or unread again.",
        footer=True,
        essential=True,
    ),
    Command("toggle_star", "s", "Star", "Star the highlighted paper, or unstar it.", footer=True),
    Command("next_unread", "n", "Next unread", "Jump to the next unread paper in the list."),
    Command("show_all", "a", "All papers", "Show read and unread papers, starred or not."),
    Command(
        "cycle_unread",
        "u",
        "Unread only",
        "Show unread papers; press again for read papers, then all.",
    ),
    Command("show_read", "r", "Read only", "Show the papers already read."),
    Command(
        "show_new",
        "N",
        "New papers",
        "Show the unread papers of the latest import, the day's triage; again for all papers.",
    ),
    Command("toggle_starred", "asterisk", "Starred only", "Show starred papers, or all again."),
    Command(
        "copy_code",
        "c",
        "Copy code link",
        "Copy the paper's code link to the clipboard.",
        footer=True,
    ),
    Command(
        "pick_link",
        "l",
        "Links",
        "Choose one of the paper's links: a digit copies it, o opens it.",
    ),
    Command(
        "open_link",
        "o",
        "Open in browser",
        "Open the code link in the browser, or choose a link when there is none.",
    ),
    Command(
        "edit_topics",
        "t",
        "Paper topics",
        "Add or remove a topic of the highlighted paper, with completion.",
    ),
    Command(
        "edit_lists",
        "b",
        "Paper lists",
        "Add the highlighted paper to a reading list (a new name creates it), or take it out.",
    ),
    Command(
        "view_to_list",
        "v",
        "Add view to list",
        "Add every paper in this view to a reading list (a new name creates it).",
    ),
    Command(
        "view_from_list",
        "",
        "Remove view from list",
        "Take every paper in this view out of a reading list.",
    ),
    Command("create_list", "", "New list", "Create an empty reading list."),
    Command("rename_list", "", "Rename list", "Give a reading list another name."),
    Command(
        "delete_list",
        "",
        "Delete list",
        "Delete a reading list; its papers stay in the library.",
    ),
    Command("edit_note", "w", "Note", "Write or change the note of the highlighted paper."),
    Command(
        "not_interested",
        "x",
        "Not interested",
        "Leave the highlighted paper out of the unread view and rank papers like it lower "
        "for you; again to take it back.",
    ),
    Command(
        "more_like_this",
        "m",
        "More like this",
        "Show the papers most like the highlighted one, with the words they share; Esc returns.",
    ),
    Command("mark_view_read", "", "Mark view read", "Mark every paper in this view read."),
    Command("mark_view_unread", "", "Mark view unread", "Mark every paper in this view unread."),
    Command(
        "undo",
        "z",
        "Undo",
        "Take back the last change: read marks, stars, topics, notes, lists, bulk actions.",
        footer=True,
        essential=True,
    ),
    Command(
        "export",
        "e",
        "Export view",
        "Write the papers in view to a Markdown reading list.",
        footer=True,
    ),
    Command("import_file", "i", "Import file", "Import a dump file into the library."),
    Command(
        "check_inbox",
        "g",
        "Check inbox",
        "Import the dump files that arrived in the inbox folder (also done at start).",
    ),
    Command(
        "fetch",
        "F",
        "Fetch Daily Papers",
        "Import the Daily Papers of every day since the last fetch, at most 30 days "
        "(also at start with `fetch_at_start = true`).",
    ),
    Command("clear_filters", "f", "Clear filters", "Turn every filter off; the search text stays."),
    Command(
        "cycle_sort",
        "S",
        "Sort",
        "Next order: newest import first, oldest, title, upvotes (and relevance with text).",
    ),
    Command(
        "toggle_triage",
        "",
        "Triage mode",
        "Whether Space, s, b and a note move to the next paper (on by default in the unread view).",
    ),
    Command(
        "cycle_layout",
        "d",
        "Detail layout",
        "Place the details at the right, below, hidden, or by terminal width.",
    ),
    Command(
        "toggle_sidebar",
        "h",
        "Sidebar",
        "Hide the sidebar, or show it again (it starts hidden below 100 columns); remembered.",
    ),
    Command(
        "help",
        "question_mark,f1",
        "Help",
        "Show every key and what it does.",
        footer=True,
        essential=True,
    ),
    Command(
        "command_palette",
        "ctrl+p",
        "Commands",
        "Run any command, filter (topic, list, import, source, date) or sort, by name.",
        scope="app",
        palette=False,
        priority=True,
        essential=True,
    ),
    Command("quit", "q", "Quit", "Leave papershelf.", scope="app", footer=True, essential=True),
)

BY_ACTION: Mapping[str, Command] = {command.action: command for command in COMMANDS}

KEY_LABELS = {
    "slash": "/",
    "escape": "Esc",
    "down": "↓",
    "up": "↑",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "enter": "Enter",
    "space": "Space",
    "asterisk": "*",
    "question_mark": "?",
}


def key_label(key: str) -> str:
    """How a Textual key name is written for people: `question_mark` is `?`."""
    if key in KEY_LABELS:
        return KEY_LABELS[key]
    *mods, last = key.split("+")
    last = last.upper() if len(last) > 1 and last[0] == "f" and last[1:].isdigit() else last
    if mods:
        return "+".join([*(m.capitalize() for m in mods), last.upper()])
    return last


def keys_of(command: Command, keymap: Mapping[str, str] | None = None) -> list[str]:
    """The keys that run a command, the reader's remapping first (none: palette only)."""
    keys = (keymap or {}).get(command.action, command.keys)
    return [key.strip() for key in keys.split(",") if key.strip()]


RESERVED = {
    "ctrl+q": "quits the app",
    "ctrl+c": "copies the selected text",
    "ctrl+z": "suspends the app",
    "tab": "moves the focus",
    "shift+tab": "moves the focus back",
}
"""Keys Textual or the terminal already give a meaning that a remapping must not take."""


def keymap_problems(keymap: Mapping[str, str]) -> dict[str, str]:
    """What is wrong with each bad entry of the reader's `[keys]` table, by its name: an
    unknown command (with the closest name), a reserved key, or a key another command
    keeps (movement keys included). Good entries are left out."""
    problems: dict[str, str] = {}
    for action in keymap:
        if action not in BY_ACTION:
            problems[action] = (
                f"unknown command {action!r} in [keys]; "
                f"did you mean {closest(action, list(BY_ACTION))!r}?"
            )
            continue
        for key in keys_of(BY_ACTION[action], keymap):
            if key in RESERVED:
                problems[action] = f"{key!r} {RESERVED[key]}; choose another key for {action}"
                break
            other = next(
                (c for c in COMMANDS if c.action != action and key in keys_of(c, keymap)), None
            )
            if other is not None:
                problems[action] = (
                    f"{key!r} already runs {other.title} ({other.action}); "
                    f"choose another key for {action}, or remap {other.action} too"
                )
                break
    return problems


def bindings(scope: Scope) -> list[Binding]:
    """The Textual bindings for one scope, with the action name as the remappable id."""
    return [
        Binding(
            command.keys,
            command.action,
            command.title,
            show=command.footer,
            priority=command.priority,
            id=command.action,
        )
        for command in COMMANDS
        if command.scope == scope and command.keys
    ]


def key_table(commands: Iterable[Command] = COMMANDS) -> str:
    """The README's key table (Markdown), generated so it cannot drift from the app."""
    lines = ["| keys | command | what it does | name in `[keys]` |", "| --- | --- | --- | --- |"]
    for command in commands:
        keys = " ".join(f"`{key_label(key)}`" for key in keys_of(command)) or "palette"
        lines.append(f"| {keys} | {command.title} | {command.help} | `{command.action}` |")
    return "\n".join(lines)
