"""Hugging Face Daily Papers API responses saved as JSON.

The API returns a list of entries, each with a `paper` object (`id`, `title`, `summary`,
`authors: [{name}]`, `publishedAt`, `upvotes`, and where present `githubRepo`,
`githubStars`, `projectPage`, `ai_keywords` and `submittedOnDailyAt`) beside the entry's
own `publishedAt` (the day it was featured) and `numComments`; a saved response may also
sit under a key (`{"papers": [...]}`), and a bare list of paper objects is read the same
way. `hf papers ls --format json` writes the same facts flat, in snake case
(`published_at`, `submitted_at`, `github_repo`, `comments`, ...), so each fact is looked
up under both spellings. The arXiv id becomes the paper's arXiv id and gives its
arxiv.org and huggingface.co/papers links.

The whole document is parsed at once (API pages are small), but the entries are
walked with `raw_decode` so each paper's `line` is the line its entry starts on, like
the text format's. Summaries keep arXiv's hard line wraps, which are layout, not
content, so they are joined into one line here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from papershelf.models import DumpError, ParsedPaper

ARXIV_ID = re.compile(r"(?:\d{4}\.\d{4,5}|[a-z][a-z.-]*/\d{7})(?:v\d+)?", re.IGNORECASE)
ARXIV_LINKS = ("https://arxiv.org/abs/", "https://huggingface.co/papers/")
"""What an arXiv id gives a paper: its arxiv.org and huggingface.co/papers links."""
_ENTRY = re.compile(r'"paper"\s*:\s*\{')
_PAPER_FIELDS = (re.compile(r'"summary"\s*:'), re.compile(r'"published_?[aA]t"\s*:'))
_PAPERSHELF = re.compile(r'"format"\s*:\s*"papershelf-')
_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\n\r]*")
_REPO = ("githubRepo", "github_repo")
_PROJECT = ("projectPage", "project_page")


def sniff(head: str) -> bool:
    """JSON holding `"paper": {` entries, or paper objects with a summary and a date."""
    text = head.lstrip("\ufeff \t\r\n")
    if not text.startswith(("[", "{")) or _PAPERSHELF.search(text):
        return False
    return bool(_ENTRY.search(text)) or all(p.search(text) for p in _PAPER_FIELDS)


def _skip(text: str, pos: int) -> int:
    match = _SPACE.match(text, pos)
    return match.end() if match else pos


def _items(text: str, pos: int) -> Iterator[tuple[object, int, Any]]:
    """(key or index, start offset, value) for each item of the array or object at `pos`."""
    opening = text[pos]
    closing = "]" if opening == "[" else "}"
    pos = _skip(text, pos + 1)
    index = 0
    while text[pos] != closing:
        key: object = index
        if opening == "{":
            key, pos = _DECODER.raw_decode(text, pos)
            pos = _skip(text, pos)
            if text[pos] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, pos)
            pos = _skip(text, pos + 1)
        start = pos
        value, pos = _DECODER.raw_decode(text, pos)
        yield key, start, value
        index += 1
        pos = _skip(text, pos)
        if text[pos] == ",":
            pos = _skip(text, pos + 1)
        elif text[pos] != closing:
            raise json.JSONDecodeError(f"Expecting ',' or '{closing}'", text, pos)


def _is_entry(value: object) -> bool:
    return isinstance(value, dict) and (isinstance(value.get("paper"), dict) or "title" in value)


def _entries(text: str) -> Iterator[tuple[int, Any]]:
    """(start offset, entry) of each entry, from a top-level list or the first list of them."""
    pos = _skip(text, 0)
    if text[pos] == "[":
        for _, start, value in _items(text, pos):
            yield start, value
        return
    for _, start, value in _items(text, pos):
        if isinstance(value, list) and value and all(_is_entry(v) for v in value):
            for _, item_start, item in _items(text, start):
                yield item_start, item
            return


def _text(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _authors(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = (_text(a.get("name") if isinstance(a, dict) else a) for a in value)
    return tuple(name for name in names if name)


def _keywords(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(word for word in map(_text, value) if word))


def _count(value: object) -> int | None:
    """A non-negative whole number; the API writes some counts as floats (`12.0`)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and not value.is_integer():
        return None
    return int(value) if value >= 0 else None


def _fact(sources: tuple[dict[str, Any], ...], *names: str) -> object:
    """The first value given under any of `names`, looked up in each object in turn."""
    for source in sources:
        for name in names:
            value = source.get(name)
            if value is not None and value != "":
                return value
    return None


def _day(value: object) -> str | None:
    return value[:10] if isinstance(value, str) and value else None


def _paper(
    entry: dict[str, Any], line: int, warn: Callable[[int, str], None]
) -> ParsedPaper | None:
    paper = entry["paper"] if isinstance(entry.get("paper"), dict) else entry
    both = (paper, entry)
    title = _text(_fact(both, "title"))
    if not title:
        warn(line, "entry without a title; skipped")
        return None
    abstract = _text(_fact(both, "summary"))
    if not abstract:
        warn(line, "entry without a summary")
    raw_id = paper.get("id")
    arxiv_id = raw_id.strip() if isinstance(raw_id, str) else None
    if arxiv_id is not None and not ARXIV_ID.fullmatch(arxiv_id):
        warn(line, f"id {arxiv_id!r} is not an arXiv id; kept without one")
        arxiv_id = None
    if arxiv_id is not None:
        arxiv_id = re.sub(r"v\d+$", "", arxiv_id)
    urls = [_fact(both, *names) for names in (_REPO, _PROJECT)]
    if arxiv_id is not None:
        urls += [prefix + arxiv_id for prefix in ARXIV_LINKS]
    published = _fact(both, "publishedAt", "published_at")
    # The entry's `publishedAt` is the day it was featured, the paper's the arXiv date.
    featured = _fact((paper,), "submittedOnDailyAt") or _fact(
        (entry,), "submitted_at", "publishedAt", "published_at"
    )
    return ParsedPaper(
        title=title,
        abstract=abstract,
        line=line,
        date_label=_day(featured),
        arxiv_id=arxiv_id,
        authors=_authors(_fact(both, "authors")),
        published=published if isinstance(published, str) else None,
        upvotes=_count(_fact(both, "upvotes")),
        urls=tuple(u.strip() for u in urls if isinstance(u, str) and u.strip()),
        github_stars=_count(_fact(both, "githubStars", "github_stars")),
        comments=_count(_fact((entry, paper), "numComments", "comments")),
        keywords=_keywords(_fact(both, "ai_keywords", "aiKeywords")),
    )


def parse(stream: TextIO, warn: Callable[[int, str], None]) -> Iterator[ParsedPaper]:
    """Yield one paper per entry; an entry without a title is skipped with a warning."""
    name = str(getattr(stream, "name", "<text>"))
    text = stream.read().lstrip("\ufeff")
    line, counted, entries = 1, 0, 0
    try:
        for start, entry in _entries(text):
            line += text.count("\n", counted, start)
            counted, entries = start, entries + 1
            if not isinstance(entry, dict):
                warn(line, "entry is not a JSON object; skipped")
                continue
            paper = _paper(entry, line, warn)
            if paper is not None:
                yield paper
    except json.JSONDecodeError as error:
        raise DumpError(name, f"invalid JSON: {error.msg}", error.lineno) from None
    except IndexError:
        raise DumpError(name, "invalid JSON: the document ends too early") from None
    except RecursionError:
        raise DumpError(name, "invalid JSON: nested too deeply", line) from None
    if not entries:
        raise DumpError(name, "no list of paper entries in the JSON")


class HfJson:
    """The hf_json format as the importer registry sees it."""

    name = "hf_json"

    def sniff(self, head: str) -> bool:
        return sniff(head)

    def parse(self, stream: TextIO, warn: Callable[[int, str], None]) -> Iterator[ParsedPaper]:
        return parse(stream, warn)


FORMAT = HfJson()
