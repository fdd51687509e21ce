"""Hostile text and the checks every adversarial test makes of the library afterwards.

A payload is what a stranger can put into a dump; `shown` is what the reader must see
instead: the same characters with control sequences, C1 codes and bidi overrides gone,
and markup-looking brackets kept as plain text.
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path
from typing import NamedTuple


class Payload(NamedTuple):
    raw: str
    shown: str


PAYLOADS: dict[str, Payload] = {
    "markup-close": Payload("Closing [/] Tags", "Closing [/] Tags"),
    "markup-close-named": Payload("Stray [/bold] Closer", "Stray [/bold] Closer"),
    "markup-open": Payload("[bold]Loud[/bold] Titles", "[bold]Loud[/bold] Titles"),
    "click-action": Payload("[@click=app.quit]Quit[/] Here", "[@click=app.quit]Quit[/] Here"),
    "link-markup": Payload(
        "[link=file:///etc/passwd]x[/link] Leak", "[link=file:///etc/passwd]x[/link] Leak"
    ),
    "mask-token": Payload("Predicting [MASK] Tokens", "Predicting [MASK] Tokens"),
    "osc52-clipboard": Payload("Clip \x1b]52;c;SGk=\x07board", "Clip board"),
    "osc8-hyperlink": Payload(
        "See \x1b]8;;https://evil.example/\x1b\\this\x1b]8;;\x1b\\ link", "See this link"
    ),
    "csi-clear": Payload("Clear\x1b[2J\x1b[H Screen", "Clear Screen"),
    "c1-csi": Payload("Red \x9b31mText", "Red 31mText"),
    "bidi-override": Payload("Invoice \u202efdp.exe\u202c Names", "Invoice fdp.exe Names"),
    "bell-backspace": Payload("Bell\x07 and Back\x08space", "Bell and Backspace"),
    "carriage-return": Payload("Hidden\rOverwrite", "Hidden Overwrite"),
    "rich-emoji": Payload(":warning: Emoji :smile: Codes", ":warning: Emoji :smile: Codes"),
    "textual-variable": Payload("Theme $accent and $text Vars", "Theme $accent and $text Vars"),
}

# What must never reach a terminal from data: C0 controls but tab and newline, DEL, C1,
# and the bidi controls that reorder what the reader sees.
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def forbidden(text: str) -> list[str]:
    """The forbidden characters in `text`, named, so a failure says what leaked."""
    return [f"U+{ord(c):04X}" for c in FORBIDDEN.findall(text)]


def digest(db: Path) -> str:
    """A hash of the library's content: schema, version and every row of every table.

    Rows are compared as values (sorted), so two libraries with the same content agree
    whatever their page layout; FTS shadow tables are included, virtual tables are not
    (their rows come from the shadow tables and the content table).
    """
    conn = sqlite3.connect(db)
    try:
        h = hashlib.sha256()
        h.update(repr(conn.execute("PRAGMA user_version").fetchone()).encode())
        schema = conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        h.update(repr(schema).encode())
        for _, name, _, sql in schema:
            if _ != "table" or (sql or "").upper().startswith("CREATE VIRTUAL TABLE"):
                continue
            rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
            h.update(name.encode())
            for row in sorted(map(repr, rows)):
                h.update(row.encode())
        return h.hexdigest()
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return "\n".join(row[0] for row in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def reader_tables(db: Path) -> list[tuple[object, ...]]:
    """Every row of what the reader did: state, manual topics, list membership."""
    conn = sqlite3.connect(db)
    try:
        return [
            *conn.execute("SELECT * FROM state ORDER BY paper"),
            *conn.execute("SELECT * FROM paper_topics WHERE origin != 'auto' ORDER BY 1, 2"),
            *conn.execute("SELECT * FROM list_items ORDER BY 1, 2"),
        ]
    finally:
        conn.close()


def paper_column(db: Path, column: str) -> list[str]:
    """One column of every paper, in the order they were imported."""
    conn = sqlite3.connect(db)
    try:
        return [value for (value,) in conn.execute(f"SELECT {column} FROM papers ORDER BY pk")]
    finally:
        conn.close()


def paper_titles(db: Path) -> list[str]:
    return paper_column(db, "title")


def paper_ids(db: Path) -> list[str]:
    return paper_column(db, "id")


TOPIC_NAME = Payload(
    "[/] Topic \x1b]52;c;SGk=\x07[MASK] \u202eevil\u202c [@click=app.quit]q",
    "[/] Topic [MASK] evil [@click=app.quit]q",
)
TOPICS_TOML = """
[topics.hostile-topic]
name = "[/] Topic \\u001b]52;c;SGk=\\u0007[MASK] \\u202eevil\\u202c [@click=app.quit]q"
group = "area"
title = ["paper"]
"""
# A file name may hold anything but "/" and NUL.
DUMP_NAME = Payload("[bold]dump\x1b[2J \u202eevil[b].txt", "[bold]dump evil[b].txt")
LIST_NAME = Payload(
    "[link=file:///etc/passwd]list\x1b]8;;x\x07[/link]", "[link=file:///etc/passwd]list[/link]"
)
RAW_URL = "https://github.com/evil/repo\x1b]52;c;SGk=\x07"
NOTE = "note [/] \x1b[2J\x9b31m\u202e"
RAW_ABSTRACT = " | ".join(payload.raw for payload in PAYLOADS.values())


def hostile_papers() -> list[tuple[str, str]]:
    """One paper per payload, in PAYLOADS order (a CR would split a line, so it is a space)."""
    return [
        (
            f"{payload.raw.replace(chr(13), ' ')} Paper {index}",
            f"An abstract about payload {index}: {payload.raw.replace(chr(13), ' ')}. It goes "
            "on long enough to be read as an abstract, with a code link at "
            f"https://github.com/lab/repo-{index} and nothing else of note.",
        )
        for index, payload in enumerate(PAYLOADS.values())
    ]


def build_hostile_library(folder: Path, db: Path, home: Path) -> Path:
    """A library holding every payload: imported from a hostile-named dump (so sanitized
    once), with hostile topic names in the reader's topics.toml, then with titles, one
    abstract, one link, a note and a list name written raw, as an older papershelf that
    did not sanitize could have left them. Paper pk N has title `PAYLOADS[N-1].raw + " Raw"`.
    Returns the dump's path."""
    from factories import write_dump

    from papershelf.shelf import open_shelf

    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "topics.toml").write_text(TOPICS_TOML, encoding="utf-8")
    dump = write_dump(folder, DUMP_NAME.raw, papers=hostile_papers())
    with open_shelf(db, topics_path=config / "topics.toml") as shelf:
        shelf.import_file(dump)
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "UPDATE papers SET title = ? || ' Raw' WHERE pk = ?",
            [(payload.raw, pk) for pk, payload in enumerate(PAYLOADS.values(), 1)],
        )
        conn.execute("UPDATE papers SET abstract = ? WHERE pk = 2", (RAW_ABSTRACT,))
        conn.execute("UPDATE links SET url = ? WHERE paper = 3 AND position = 0", (RAW_URL,))
        conn.execute(
            "INSERT OR REPLACE INTO state(paper, note, updated_at) VALUES (4, ?, 'x')", (NOTE,)
        )
        conn.execute("INSERT INTO lists(name, created_at) VALUES (?, 'x')", (LIST_NAME.raw,))
        conn.execute("INSERT INTO list_items(list, paper, added_at) SELECT id, 1, 'x' FROM lists")
    conn.close()
    return dump
