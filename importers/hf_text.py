"""Hugging Face Daily Papers pages saved as text ("Save as text" or select-all and paste).

The page is a header ("Subscribe", "Daily Papers", ...) followed by cards; a card is a
title line then an abstract line, with or without blank lines between them, and an
optional date line ("Mar 14") heads the cards after it. A saved page can also glue the
header onto the first title ("SubscribeSome Title").

Nothing in the text marks a line as a title, so the parser follows the page's structure:
after a title it expects an abstract, after an abstract a title, and it overrides that
expectation only when a line plainly does not fit (see `_prose_score`), with a warning.
One line is one title or one abstract; hard-wrapped text is not a layout the site makes.

Limits: a line over TITLE_MAX characters is never a title; a line over LINE_MAX
characters stops the import, because no page holds one and reading on would only
spend memory on something that is not a dump.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial
from itertools import pairwise
from typing import Literal, TextIO

from papershelf.models import DumpError, ParsedPaper

TITLE_MAX = 2_000
LINE_MAX = 200_000

# Header lines compared casefolded with spaces removed, so "byAK and ..." matches too.
_HEADER_KEYS = frozenset({"new", "subscribe", "dailypapers", "byakandtheresearchcommunity"})
_HEADER_PREFIX = "gettrendingpapers"  # "... in your email inbox!" and "... once a day!"
_HEADER_INITIALS = frozenset("nNsSdDbBgG")  # lets most titles skip the casefolding below
_GLUED = (
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
    "byAK and the research community",
)
_DATE = re.compile(
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t|tember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.? \d{1,2}(?:, \d{4})?"
    r"|\d{4}-\d{2}-\d{2}"
)
_SENTENCE_BREAK = re.compile(r"\.\s+[^\W\d_]")  # a full stop, space, then a letter


# What a line is; plain strings because Enum member access costs more than the hot loop can spare.
Kind = Literal["header", "date", "title", "abstract"]
HEADER: Kind = "header"
DATE: Kind = "date"
TITLE: Kind = "title"
ABSTRACT: Kind = "abstract"


def _is_header(text: str) -> bool:
    if len(text) > 60 or text[0] not in _HEADER_INITIALS:
        return False
    key = text.casefold().replace(" ", "")
    return key in _HEADER_KEYS or key.startswith(_HEADER_PREFIX)


def _unglue(text: str) -> str:
    """Drop header words a saved page ran into the first title."""
    while True:
        prefix = next((p for p in _GLUED if text.startswith(p) and len(text) > len(p)), None)
        if prefix is None:
            return text
        text = text[len(prefix) :].lstrip()


def _prose_score(text: str) -> int:
    """How much a line reads like an abstract rather than a title.

    Abstracts are long, hold several sentences and end with a full stop; titles are
    short and rarely end with one ("?" and "!" end titles often, so they count for
    nothing). Each signal alone misleads on some real line; their sum does not.
    """
    n = len(text)
    if n > TITLE_MAX:
        return 99
    score = (n >= 150) + (n >= 250) + 2 * (n >= 600) - (n < 120) + text.endswith(".")
    return score + min(2, len(_SENTENCE_BREAK.findall(text)))


def classify(text: str, expecting_abstract: bool) -> Kind:
    """What a stripped, non-blank line is, given what the structure expects next.

    The bar for breaking the expectation is high: after a title, any line that is
    long, ends with a full stop or reads as prose is its abstract; after an
    abstract, only a line that reads strongly as prose is not a title.
    """
    n = len(text)
    if n <= 60:
        if _is_header(text):
            return HEADER
        if n <= 20 and _DATE.fullmatch(text):
            return DATE
    if expecting_abstract:
        if n >= 150 or text[-1] == "." or _prose_score(text) > 0:
            return ABSTRACT
        return TITLE
    return TITLE if n < 120 or _prose_score(text) < 3 else ABSTRACT


def parse(stream: TextIO, warn: Callable[[int, str], None]) -> Iterator[ParsedPaper]:
    """Yield papers as the stream is read; `warn(line, message)` hears every repair."""
    name = getattr(stream, "name", "<text>")
    title: str | None = None  # the title waiting for its abstract
    title_line = 0
    date: str | None = None
    in_header = True  # no abstract yet since the start or the last page header line
    for lineno, raw in enumerate(iter(partial(stream.readline, LINE_MAX + 1), ""), 1):
        if len(raw) > LINE_MAX and raw[-1] != "\n":
            problem = f"line longer than {LINE_MAX:,} characters: not a title or an abstract"
            raise DumpError(str(name), problem, lineno)
        text = raw.strip()
        if not text:
            continue
        # The usual title and the usual abstract: length settles them (see `classify`).
        n = len(text)
        if title is not None and n >= 150:
            yield ParsedPaper(title, text, title_line, date)
            title = None
            in_header = False
            continue
        if title is None and 60 < n < 120 and not in_header:
            title, title_line = text, lineno
            continue
        if text[0] == "\ufeff":
            text = text.lstrip("\ufeff").strip()
            if not text:
                continue
        if in_header:
            text = _unglue(text)
        kind = classify(text, title is not None)
        if kind == TITLE and title is not None and not raw.endswith("\n"):
            # The file stops inside this line (a cut download): it is the abstract, cut short.
            warn(lineno, "the file ends inside this abstract; kept as far as it goes")
            kind = ABSTRACT
        if kind == ABSTRACT:
            if title is None:
                warn(lineno, "abstract with no title before it; skipped")
            else:
                yield ParsedPaper(title, text, title_line, date)
                title = None
                in_header = False
            continue
        if title is not None:
            if in_header and kind != TITLE:
                warn(title_line, "unrecognised page header line; skipped")
            else:
                warn(title_line, "title with no abstract")
                yield ParsedPaper(title, "", title_line, date)
            title = None
        if kind == HEADER:  # a page header starts a new page, whose date is not yet known
            in_header = True
            date = None
        elif kind == DATE:
            date = text
        else:
            title, title_line = text, lineno
    if title is not None:
        warn(title_line, "title with no abstract")
        yield ParsedPaper(title, "", title_line, date)


def sniff(head: str) -> bool:
    """A page header line, or mostly title-then-abstract lines, in the file's first 8 KiB."""
    lines = [ln.strip() for ln in head.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [ln.lstrip("\ufeff") for ln in lines if ln.strip("\ufeff")]
    if not lines or lines[0].startswith(("{", "[", "<", "#", "- ", "* ")):
        return False  # JSON, HTML or Markdown: another format's, even if prose follows
    if any(_is_header(ln) or _unglue(ln) != ln for ln in lines[:20]):
        return True
    pairs = sum(classify(a, False) == TITLE and _prose_score(b) >= 3 for a, b in pairwise(lines))
    return pairs >= 1 and 2 * pairs >= 0.6 * len(lines)


class HfText:
    """The hf_text format as the importer registry sees it."""

    name = "hf_text"

    def sniff(self, head: str) -> bool:
        return sniff(head)

    def parse(self, stream: TextIO, warn: Callable[[int, str], None]) -> Iterator[ParsedPaper]:
        return parse(stream, warn)


FORMAT = HfText()
