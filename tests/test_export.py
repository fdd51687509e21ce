"""Markdown export: valid CommonMark, deterministic, inert with hostile titles."""

from __future__ import annotations

from datetime import date

from markdown_it import MarkdownIt

from papershelf.export import markdown
from papershelf.models import Link, Paper

NAMES = {"quantization": "Quantization", "agents": "Agents & Tools"}


def paper(title: str, **kwargs: object) -> Paper:
    defaults: dict[str, object] = {
        "id": "abc123",
        "abstract": "First sentence here. Second one follows. A third is dropped.",
        "abstract_raw": "",
    }
    defaults.update(kwargs)
    return Paper(title=title, **defaults)  # type: ignore[arg-type]


def render(text: str) -> list:  # type: ignore[type-arg]
    return MarkdownIt("commonmark").parse(text)


def links_of(text: str) -> list[str]:
    hrefs = []
    for token in render(text):
        for child in token.children or []:
            if child.type == "link_open":
                hrefs.append(child.attrGet("href"))
    return hrefs


def test_entry_has_checkbox_code_link_first_topics_and_summary() -> None:
    """Each paper is a task item: read state, title, code link first, topics, short summary."""
    links = (
        Link("https://proj.github.io/", "project", "proj.github.io"),
        Link("https://github.com/o/r", "code", "github.com"),
    )
    text = markdown(
        [paper("Read one", read=True, links=links, topics=("quantization",)), paper("Unread")],
        description="unread · Quantization",
        topic_names=NAMES,
        exported_on=date(2026, 3, 14),
    )
    assert text.startswith("# Reading list: unread · Quantization\n")
    assert "2026-03-14" in text
    assert "- [x] **Read one**" in text and "- [ ] **Unread**" in text
    assert links_of(text) == ["https://github.com/o/r", "https://proj.github.io/"]
    assert "Topics: Quantization" in text
    assert "First sentence here. Second one follows." in text
    assert "A third is dropped" not in text


def test_hostile_title_stays_inert() -> None:
    """Markup, links, HTML and escapes in a title render as text, not structure."""
    evil = "[click](javascript:alert(1)) <img src=x onerror=1> **bold** # \x1b]52;c;AA\x07 | `x`"
    text = markdown(
        [paper(evil, abstract="See [here](file:///etc/passwd) and <script>x</script>.")],
        description="all papers",
        topic_names=NAMES,
        exported_on=date(2026, 3, 14),
    )
    tokens = render(text)
    kinds = {child.type for t in tokens for child in (t.children or [])} | {t.type for t in tokens}
    assert "html_inline" not in kinds and "html_block" not in kinds
    assert links_of(text) == []
    assert "\x1b" not in text
    items = [t for t in tokens if t.type == "list_item_open"]
    assert len(items) == 1


def test_group_by_topic_is_deterministic() -> None:
    """Grouping puts each paper under its first topic, in taxonomy order, 'No topic' last."""
    papers = [
        paper("A", topics=("agents",)),
        paper("B", topics=("quantization", "agents")),
        paper("C"),
    ]
    kwargs = {"description": "all papers", "topic_names": NAMES, "exported_on": date(2026, 1, 1)}
    text = markdown(papers, group_by_topic=True, **kwargs)  # type: ignore[arg-type]
    assert text == markdown(papers, group_by_topic=True, **kwargs)  # type: ignore[arg-type]
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## Quantization", "## Agents & Tools", "## No topic"]
