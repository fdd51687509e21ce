"""Small frozen records that cross the boundaries between importers, library and UI.

Nothing here touches SQLite or Textual, so importers can depend on this module alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field


class DumpError(Exception):
    """A file that cannot be imported; the message is one line naming file and problem."""

    def __init__(self, path: str, problem: str, line: int | None = None) -> None:
        self.path = path
        self.problem = problem
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class ParsedPaper:
    """One paper as a dump states it: raw text, no cleaning, no links, no topics.

    `line` is the 1-based line of the title in the source file, so warnings and
    errors can point at it. `urls` are links the source gives outside the abstract
    (a JSON dump's githubRepo or projectPage); links inside the abstract are found
    later by `papershelf.links`. `upvotes`, `github_stars` and `comments` are counts
    Hugging Face gives at the moment of the dump, and `keywords` its AI keywords; a
    text dump has none of them.
    """

    title: str
    abstract: str
    line: int = 0
    date_label: str | None = None
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    published: str | None = None
    upvotes: int | None = None
    urls: tuple[str, ...] = ()
    github_stars: int | None = None
    comments: int | None = None
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Link:
    """A normalised URL found in a paper.

    `kind` is one of LINK_KINDS. `original` keeps the URL as written when it was
    rewritten to a canonical host (a mirror), so the reader can see both.
    """

    url: str
    kind: str
    host: str
    original: str | None = None


LINK_KINDS = ("code", "model", "dataset", "space", "collection", "paper", "project", "other")


@dataclass(frozen=True, slots=True)
class Source:
    """A dump file the library has imported."""

    id: int
    path: str
    sha256: str
    format: str
    imported_at: str
    papers: int


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper as the reader sees it: cleaned text plus the reader's own state."""

    id: str
    title: str
    abstract: str
    abstract_raw: str
    links: tuple[Link, ...] = ()
    topics: tuple[str, ...] = ()
    read: bool = False
    starred: bool = False
    note: str = ""
    sources: tuple[str, ...] = ()
    date_label: str | None = None
    arxiv_id: str | None = None
    authors: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    upvotes: int | None = None
    github_stars: int | None = None
    comments: int | None = None
    keywords: tuple[str, ...] = ()

    @property
    def code_url(self) -> str | None:
        """The first code link: what the copy key puts on the clipboard."""
        return next((link.url for link in self.links if link.kind == "code"), None)

    @property
    def counts(self) -> tuple[str, ...]:
        """What Hugging Face counted, in words, for `show` and the detail pane."""
        counts = (
            (self.upvotes, "upvote"),
            (self.github_stars, "GitHub star"),
            (self.comments, "comment"),
        )
        return tuple(f"{n:,} {word}{'s' * (n != 1)}" for n, word in counts if n is not None)


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What one imported file changed; printed by the CLI and notified by the TUI."""

    path: str
    format: str
    papers: int
    new: int
    known: int
    merged: int
    warnings: tuple[str, ...] = field(default=())
    skipped: bool = False

    @property
    def line(self) -> str:
        if self.skipped:
            return f"{self.path}: already imported, nothing to do"
        return (
            f"{self.path}: {self.papers} papers ({self.new} new, {self.known} already known, "
            f"{self.merged} merged), {len(self.warnings)} warnings"
        )
