"""The one Markdown writer: reading lists for the CLI and the TUI.

The output is CommonMark with GitHub task-list items. Everything from a dump is escaped
so that a hostile title stays inert text: the only links in the file are the ones
written here, from URLs that passed `links.safe_url`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import date

from papershelf.filters import BY_NAME
from papershelf.links import safe_url
from papershelf.models import Paper
from papershelf.query import Query
from papershelf.text import one_line

INLINE = re.compile(
    r"[\\`*\[\]<~]"  # escapes, code, emphasis, links, autolinks and HTML, strikethrough
    r"|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])"  # an underscore inside a word emphasises nothing
    r"|&(?=#?[A-Za-z0-9]+;)"  # only what would read as an entity: `Pruning & Sparsity` stays
    r"|(?:^|(?<=\s))#"  # a heading's closing hashes
)
"""What CommonMark (and GitHub's strikethrough) would read as syntax inside a line: `(`,
`)`, `!`, `|`, `$`, `+`, `>` and `{}` mean nothing there once `[`, `]` and `<` are escaped."""
SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")
"""Every character a backslash may stand before in an export, this one's or an older
one's (which escaped all of these everywhere): what a restore unescapes."""
# What would start a list, heading, quote, heading underline or thematic break on a line.
BLOCK_MARKER = re.compile(r"^(\d{1,9})([.)])|^([-=#>+])")
URL = re.compile(r"(?:https?://|www\.)\S+|\burl\{[^}]*\}", re.IGNORECASE)
LISTS = BY_NAME["list"]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
SUMMARY_CHARS = 320


def escape(text: str) -> str:
    """Inline-safe text: control characters and newlines gone, Markdown syntax escaped
    where CommonMark would read it as syntax, and nowhere else (`\\(PEFT\\)` helped no one)."""
    return INLINE.sub(lambda match: "\\" + match[0], one_line(text))


def inert_line_start(line: str) -> str:
    """An escaped line that cannot open a nested list or underline the line above it."""
    return BLOCK_MARKER.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line, count=1)


def summary(abstract: str) -> str:
    """One or two opening sentences, without URLs (the links are listed separately)."""
    text = one_line(URL.sub("", abstract))
    sentences = SENTENCE_END.split(text)
    result = sentences[0] if sentences else ""
    if len(sentences) > 1 and len(result) + len(sentences[1]) < SUMMARY_CHARS:
        result = f"{result} {sentences[1]}"
    if len(result) > SUMMARY_CHARS:
        result = result[: SUMMARY_CHARS - 1].rsplit(" ", 1)[0] + "…"
    return result


def link(label: str, url: str) -> str | None:
    safe = safe_url(url)
    if safe is None:
        return None
    return f"[{escape(label)}](<{safe.replace('<', '%3C').replace('>', '%3E')}>)"


def note_lines(note: str) -> list[str]:
    """The reader's note as quoted lines under its paper, each escaped and inert."""
    body = note.strip("\n")
    if not body.strip():
        return []
    return [f"  > {inert_line_start(escape(line))}".rstrip() for line in body.splitlines()]


def entry(paper: Paper, topic_names: Mapping[str, str]) -> list[str]:
    box = "x" if paper.read else " "
    star = " ★" if paper.starred else ""
    lines = [f"- [{box}] **{escape(paper.title)}**{star}", *note_lines(paper.note)]
    code = paper.code_url
    ordered = sorted(paper.links, key=lambda lk: lk.url != code)
    rendered = [link(lk.kind if lk.url != code else "code", lk.url) for lk in ordered]
    shown = [r for r in rendered if r]
    if shown:
        lines.append(f"  Links: {' · '.join(shown)}")
    if paper.topics:
        names = (escape(topic_names.get(slug, slug)) for slug in paper.topics)
        lines.append(f"  Topics: {', '.join(names)}")
    text = summary(paper.abstract)
    if text:
        lines.append(f"  {inert_line_start(escape(text))}")
    return lines


def title(query: Query, topic_names: Mapping[str, str]) -> str:
    """The view of one reading list is titled by the list's name alone ("Reading list:
    reading-queue", not "list reading-queue"); any other view by its description."""
    if not query.text and not query.sort and len(query.terms) == 1:
        (term,) = query.terms
        if term.key == LISTS.key and not term.negated:
            return term.value
    return query.describe(topic_names)


def markdown(
    papers: Sequence[Paper],
    *,
    description: str,
    topic_names: Mapping[str, str],
    exported_on: date,
    group_by_topic: bool = False,
) -> str:
    """A reading list: heading with the filter and date, then one task item per paper."""
    out = [
        f"# Reading list: {escape(description)}",
        "",
        f"Exported by papershelf on {exported_on.isoformat()} · {len(papers)} papers, "
        f"{sum(p.read for p in papers)} read.",
        "",
    ]
    if not group_by_topic:
        for paper in papers:
            out.extend(entry(paper, topic_names))
        return "\n".join(out) + "\n"
    groups: dict[str, list[Paper]] = {}
    for paper in papers:
        groups.setdefault(paper.topics[0] if paper.topics else "", []).append(paper)
    order = [slug for slug in topic_names if slug in groups]
    if "" in groups:
        order.append("")
    order.extend(slug for slug in groups if slug not in order)
    for slug in order:
        out.append(f"## {escape(topic_names.get(slug, slug) or 'No topic')}")
        out.append("")
        for paper in groups[slug]:
            out.extend(entry(paper, topic_names))
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
