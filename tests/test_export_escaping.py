"""The Markdown export escapes only what CommonMark would read as syntax, so titles read as
written in the raw file and render as written; a list's export is titled by its name."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from factories import PAPERS, write_dump
from markdown_it import MarkdownIt

from papershelf.cli import cli
from papershelf.export import escape, markdown
from papershelf.models import Paper

TITLES = [
    "Pruning & Sparsity for Parameter-Efficient Fine-Tuning (PEFT)",
    "C# and F# Code Models: 50% Faster! | A Study + Notes {v2} $5",
    "snake_case_names in Prompts > Camel Case",
    "Bold *claims* and _emphasis_ and `code`",
    "[Not a link](https://example.com) & &amp; entities <b>tags</b>",
    "~~Struck~~ Titles With Closing Hashes ##",
]


def rendered_title(text: str) -> str:
    """The plain text CommonMark makes of the first task item's bold title."""
    tokens = MarkdownIt("commonmark").parse(text)
    inline = next(t for t in tokens if t.type == "inline" and t.content.startswith("[ ]"))
    types = [t.type for t in inline.children or []]
    inside = (inline.children or [])[types.index("strong_open") + 1 : types.index("strong_close")]
    assert {t.type for t in inside} == {"text"}, inside
    return "".join(t.content for t in inside)


@pytest.mark.parametrize("title", TITLES)
def test_a_title_renders_as_written(title):
    paper = Paper(id="p1", title=title, abstract="", abstract_raw="")
    text = markdown([paper], description="all papers", topic_names={}, exported_on=date.today())
    assert rendered_title(text) == title


def test_punctuation_that_means_nothing_is_left_alone():
    assert escape("Pruning & Sparsity") == "Pruning & Sparsity"
    assert escape("Fine-Tuning (PEFT)!") == "Fine-Tuning (PEFT)!"
    assert escape("snake_case") == "snake_case"
    assert escape("a *b* [c] <d> &amp;") == r"a \*b\* \[c\] \<d> \&amp;"


def test_a_list_export_is_titled_by_the_list_name(tmp_path):
    db = str(tmp_path / "library.db")
    runner = CliRunner()
    dump = write_dump(tmp_path, "day.txt", papers=PAPERS)
    assert runner.invoke(cli, ["--db", db, "import", str(dump)]).exit_code == 0
    assert runner.invoke(cli, ["--db", db, "list", "create", "reading-queue"]).exit_code == 0
    result = runner.invoke(cli, ["--db", db, "export", "--list", "reading-queue"])
    assert result.output.splitlines()[0] == "# Reading list: reading-queue"
    unread = runner.invoke(cli, ["--db", db, "export", "--list", "reading-queue", "--unread"])
    assert unread.output.splitlines()[0] == "# Reading list: unread · list reading-queue"
