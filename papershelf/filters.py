"""Every filter of a view and every sort order, declared once.

As `tui/commands.py` does for keys, this table is the one place a filter is written: its
query-language key and values (any of them negated with a leading `-`), the header text,
the CLI option, where its papers come from (a bitmap or an SQL query, in
`papershelf.facets`), its sidebar section and its palette prefix. The parser, the header,
the search's candidate set, the CLI options, the sidebar and the palette loop over it, so
a new facet is one entry here plus its source.
"""

from __future__ import annotations

import difflib
import re
import shlex
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

LATEST = "latest"
PLAIN_VALUE = re.compile(r"[\w.@+/-]+")


class QueryError(ValueError):
    """A word of a query that names no filter, value, topic, list or source."""


@dataclass(frozen=True, slots=True)
class Term:
    """One filter of a query as the reader writes it: `topic:peft`, `-is:starred`."""

    key: str
    value: str
    negated: bool = False

    def __str__(self) -> str:
        value = self.value if PLAIN_VALUE.fullmatch(self.value) else shlex.quote(self.value)
        return f"{'-' * self.negated}{self.key}:{value}"

    @property
    def positive(self) -> Term:
        return Term(self.key, self.value)


Choices = Callable[[sqlite3.Connection], list[tuple[str, str]]]
"""The values a filter takes from the library, each with the label a reader sees."""


def no_choices(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return []


def topic_choices(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return list(conn.execute("SELECT slug, name FROM topics ORDER BY grp, position"))


def list_choices(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return [(name, name) for (name,) in conn.execute("SELECT name FROM lists ORDER BY name")]


def import_days(conn: sqlite3.Connection) -> list[str]:
    """The days something was imported, newest first."""
    return [
        day
        for (day,) in conn.execute(
            "SELECT DISTINCT substr(imported_at, 1, 10) FROM sources ORDER BY 1 DESC"
        )
    ]


def import_choices(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    days = import_days(conn)
    return [(LATEST, "latest"), *((day, day) for day in days)] if days else []


def source_names(conn: sqlite3.Connection) -> dict[str, list[int]]:
    """Each imported file's name, with the ids of its imports."""
    names: dict[str, list[int]] = {}
    for source, path in conn.execute("SELECT id, path FROM sources ORDER BY id"):
        names.setdefault(re.split(r"[\\/]", path)[-1], []).append(source)
    return names


def source_choices(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return [(name, name) for name in source_names(conn)]


def labelled_as_stored(conn: sqlite3.Connection, sql: str) -> list[tuple[str, str]]:
    """Values a query reads, each its own label."""
    return [(value, value) for (value,) in conn.execute(sql)]


def author_choices(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return labelled_as_stored(
        conn,
        "SELECT DISTINCT a.value FROM papers p, json_each(p.authors) a "
        "WHERE p.authors IS NOT NULL ORDER BY 1",
    )


def date_choices(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return labelled_as_stored(
        conn,
        "SELECT DISTINCT date_label FROM paper_sources WHERE date_label IS NOT NULL "
        "ORDER BY date_label",
    )


@dataclass(frozen=True, slots=True)
class Filter:
    """One filter. `values` are its fixed values, each with a CLI flag in `flags`; a filter
    without fixed values takes them from the library (`choices`) and a CLI `option`.

    `describe` is the header text (`{}` is the value's label); a negated term reads
    `not ...`. `multiple`: several values narrow together (topics); otherwise a new value
    replaces the old. `section` and `palette` name its sidebar section and palette prefix
    (empty: none). `folded`: values compare without case, spaces or hyphens.
    """

    name: str
    key: str
    describe: str
    help: str
    values: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    option: str = ""
    choices: Choices = no_choices
    multiple: bool = False
    section: str = ""
    palette: str = ""
    folded: bool = False

    def covers(self, term: Term) -> bool:
        return term.key == self.key and (not self.values or term.value in self.values)


FILTERS: tuple[Filter, ...] = (
    Filter(
        "state",
        "is",
        "{}",
        "Only unread papers, or only read ones.",
        values=("unread", "read"),
        flags=("--unread", "--read"),
        section="Reading",
    ),
    Filter(
        "starred",
        "is",
        "starred",
        "Only starred papers.",
        values=("starred",),
        flags=("--starred",),
        section="Reading",
    ),
    Filter(
        "dismissed",
        "is",
        "not interested",
        "Only papers marked not interested (x); the unread view leaves them out.",
        values=("dismissed",),
        flags=("--dismissed",),
    ),
    Filter(
        "code",
        "has",
        "with code",
        "Only papers with a code link.",
        values=("code",),
        flags=("--has-code",),
    ),
    Filter(
        "link",
        "has",
        "with a link",
        "Only papers the dump gave any link for.",
        values=("link",),
        flags=("--has-link",),
    ),
    Filter(
        "note",
        "has",
        "with a note",
        "Only papers with a note.",
        values=("note",),
        flags=("--has-note",),
    ),
    Filter(
        "list",
        "list",
        "list {}",
        "Only papers in this reading list.",
        option="--list",
        choices=list_choices,
        section="Lists",
        palette="List",
        folded=True,
    ),
    Filter(
        "imported",
        "imported",
        "imported {}",
        "Only papers new in this import: latest, or its day (YYYY-MM-DD).",
        option="--imported",
        choices=import_choices,
        section="Imports",
        palette="Imported",
    ),
    Filter(
        "source",
        "source",
        "from {}",
        "Only papers found in this dump file (its name).",
        option="--source",
        choices=source_choices,
        palette="Source",
        folded=True,
    ),
    Filter(
        "date",
        "date",
        "dated {}",
        "Only papers under this date line of the dumps ('Mar 14').",
        option="--date",
        choices=date_choices,
        palette="Date",
        folded=True,
    ),
    Filter(
        "author",
        "author",
        "by {}",
        "Only papers by this author, as Hugging Face names them ('Ada Quill', ada-quill).",
        option="--author",
        choices=author_choices,
        palette="Author",
        folded=True,
    ),
    Filter(
        "topic",
        "topic",
        "{}",
        "Only papers with this topic (its slug); several narrow together.",
        option="--topic",
        choices=topic_choices,
        multiple=True,
        section="Topics",
        palette="Topic",
    ),
    Filter(
        "untopiced",
        "no",
        "no topic",
        "Only papers without any topic.",
        values=("topic",),
        flags=("--no-topic",),
        section="No topic",
    ),
)
BY_NAME = {f.name: f for f in FILTERS}
KEYS = tuple(dict.fromkeys(f.key for f in FILTERS))


@dataclass(frozen=True, slots=True)
class Sort:
    """One order of the results. `order` is the SQL ORDER BY over `papers` that gives it;
    the built-in orders (empty `order`) come from the import order and the ranking."""

    name: str
    describe: str
    help: str
    order: str = ""


SORTS: tuple[Sort, ...] = (
    Sort("relevance", "by relevance", "Best match first (the default for a text search)."),
    Sort("newest", "newest first", "Newest import first, then date line, then dump order."),
    Sort("oldest", "oldest first", "Oldest import first, in dump order."),
    Sort("title", "by title", "Alphabetical by title.", "title COLLATE NOCASE, pk"),
    Sort("upvotes", "by upvotes", "Most upvoted first.", "coalesce(upvotes, -1) DESC, pk"),
    Sort(
        "for-you",
        "for you",
        "Most like what you starred, listed and read, least like what you marked not "
        "interested; newest first until you have done any of it.",
    ),
)
SORT_NAMES = tuple(s.name for s in SORTS)
SORT_BY_NAME = {s.name: s for s in SORTS}


def closest(word: str, valid: Sequence[str]) -> str:
    """`; did you mean a, b?` for the valid words nearest `word` (or every one, if few)."""
    near = difflib.get_close_matches(word, valid, n=3, cutoff=0.5)
    if not near and len(valid) <= 6:
        near = list(valid)
    return f"; did you mean {', '.join(near)}?" if near else ""


def filter_for(term: Term) -> Filter:
    """The filter a term belongs to; a QueryError names the word and the nearest ones."""
    for candidate in FILTERS:
        if candidate.covers(term):
            return candidate
    word = str(term.positive)
    if term.key in KEYS:
        valid = [f"{f.key}:{v}" for f in FILTERS if f.key == term.key for v in f.values]
        raise QueryError(f"unknown filter {word!r}{closest(word, valid)}")
    raise QueryError(f"unknown filter key {term.key + ':'!r}{closest(term.key, [*KEYS, 'sort'])}")


def sort_named(name: str) -> Sort:
    if name not in SORT_BY_NAME:
        raise QueryError(f"unknown sort {name!r}{closest(name, SORT_NAMES)}")
    return SORT_BY_NAME[name]


def fold(value: str) -> str:
    return re.sub(r"[\s_-]+", "-", value.casefold()).strip("-")


def resolve(term: Term, filter_: Filter, choices: Sequence[str]) -> str:
    """The library's spelling of a term's value (`list:TO-READ` is the list `to read`);
    a QueryError names a value the library does not have, and the nearest it does."""
    if filter_.values or (filter_.name == "imported" and term.value == LATEST):
        return term.value
    if term.value in choices:
        return term.value
    if filter_.folded:
        wanted = fold(term.value)
        for choice in choices:
            if fold(choice) == wanted:
                return choice
    noun = {"topic": "topic", "list": "list", "source": "source", "imported": "import"}
    what = noun.get(filter_.name, filter_.name)
    raise QueryError(f"unknown {what} {str(term.positive)!r}{closest(term.value, choices)}")
