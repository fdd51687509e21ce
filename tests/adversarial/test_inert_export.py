"""Markdown export of hostile papers stays inert under a CommonMark parser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hostile import PAYLOADS
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from papershelf.export import markdown
from papershelf.links import safe_url
from papershelf.models import Link, Paper
from papershelf.text import one_line, title_key

MARKDOWN_ATTACKS = [
    "[click me](javascript:alert(1))",
    "[x](http://evil.example/ 'title')",
    "![pixel](https://evil.example/track.png)",
    "<https://evil.example/autolink>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- hidden -->",
    "<div>block</div>",
    "&lt;b&gt; &#60;script&#62; &amp;",
    "**bold** _em_ `code` ~~strike~~",
    "line one\n- [x] injected item\n\n# injected heading",
    "- starts like an item",
    "1. starts numbered",
    "1) starts numbered",
    "+ plus item",
    "* star item",
    "---",
    "===",
    "***",
    "> quoted",
    "    indented code",
    "```fence\ncode\n```",
    "~~~",
    "| a | b |\n|---|---|",
    "# heading",
    "[ref]: https://evil.example/ref",
    "[ref]",
    "trailing backslash \\",
    "two spaces hard break  \nnext",
    "\u2028- after a line separator",
    "\f=== after a form feed",
    "[MASK] [/] [bold]x[/bold] [@click=app.quit]",
]
TEXTS = MARKDOWN_ATTACKS + [payload.raw for payload in PAYLOADS.values()]
CODE = Link("https://github.com/lab/repo", "code", "github.com")
BAD_LINKS = (
    Link("javascript:alert(1)", "code", "github.com"),
    Link("https://evil.example/a b", "project", "evil.example"),
    Link("https://evil.example/)[x](javascript:alert(1)", "project", "evil.example"),
    Link("https://evil.example/<script>", "project", "evil.example"),
)


# The library stores only titles with a letter or digit in them (see `ingest.prepare`).
TITLES = st.text(min_size=1).filter(lambda t: bool(title_key(one_line(t))))


def tokens(text: str) -> list[Token]:
    def walk(found: list[Token]) -> list[Token]:
        out = []
        for token in found:
            out.append(token)
            out.extend(walk(token.children or []))
        return out

    return walk(MarkdownIt("commonmark").parse(text))


def check_inert(text: str, papers: list[Paper], groups: int = 0) -> None:
    """The CommonMark structure of an export: one task item per paper, one heading per
    section, no raw HTML, no images or code, and only the links papershelf wrote."""
    found = tokens(text)
    kinds = {t.type for t in found}
    assert not kinds & {"html_inline", "html_block", "image", "code_inline", "code_block", "fence"}
    assert not kinds & {"blockquote_open", "hr", "ordered_list_open", "table_open"}
    items = [t for t in found if t.type == "list_item_open"]
    assert len(items) == len(papers)
    assert {t.level for t in items} <= {1}
    assert sum(t.type == "heading_open" for t in found) == 1 + groups
    safe = {safe_url(link.url) for paper in papers for link in paper.links} - {None}
    written = {MarkdownIt("commonmark").normalizeLink(url) for url in safe if url}
    hrefs = {t.attrs["href"] for t in found if t.type == "link_open"}
    assert hrefs <= written
    titles = [
        "".join(c.content for c in found[i + 1 : found.index(close, i)] if c.type == "text")
        for i, t in enumerate(found)
        if t.type == "strong_open"
        for close in [next(c for c in found[i:] if c.type == "strong_close")]
    ]
    assert sorted(titles) == sorted(one_line(p.title) for p in papers)


def paper(number: int, title: str, abstract: str, links: tuple[Link, ...] = (CODE,)) -> Paper:
    return Paper(
        id=f"p{number}",
        title=title,
        abstract=abstract,
        abstract_raw=abstract,
        links=links,
        topics=("quantization",) if number % 2 else (),
    )


@pytest.mark.parametrize("text", TEXTS, ids=[f"attack-{i}" for i in range(len(TEXTS))])
@pytest.mark.parametrize("grouped", [False, True], ids=["flat", "grouped"])
def test_hostile_title_and_abstract_export_inertly(text: str, grouped: bool) -> None:
    """A hostile string as title, abstract, topic name and filter description exports as
    literal text inside its own list item."""
    papers = [
        paper(0, text, text),
        paper(
            1, f"Before {text} after", f"{text} An abstract. Second sentence.", (*BAD_LINKS, CODE)
        ),
        paper(2, "A Plain Title", "A plain abstract."),
    ]
    out = markdown(
        papers,
        description=text,
        topic_names={"quantization": text},
        exported_on=date(2026, 3, 15),
        group_by_topic=grouped,
    )
    check_inert(out, papers, groups=2 if grouped else 0)


@settings(max_examples=150, deadline=None)
@given(titles=st.lists(TITLES, min_size=1, max_size=4), abstract=st.text())
def test_any_text_exports_inertly(titles: list[str], abstract: str) -> None:
    """Whatever characters titles and abstracts hold, the export keeps its structure."""
    papers = [paper(n, title, abstract) for n, title in enumerate(titles)]
    out = markdown(papers, description=abstract, topic_names={}, exported_on=date(2026, 3, 15))
    check_inert(out, papers)


def test_cli_export_of_the_hostile_library_is_inert(
    hostile_db: Path, run_cli, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """`papershelf export -o FILE` of a library full of payloads writes an inert list."""
    target = tmp_path / "list.md"
    result = run_cli("export", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    found = tokens(target.read_text(encoding="utf-8"))
    assert not {t.type for t in found} & {"html_inline", "html_block", "image"}
    hrefs = {t.attrs["href"] for t in found if t.type == "link_open"}
    assert hrefs and all(str(h).startswith("https://github.com/lab/repo-") for h in hrefs)
    items = [t for t in found if t.type == "list_item_open"]
    assert len(items) == len(PAYLOADS) and {t.level for t in items} == {1}
