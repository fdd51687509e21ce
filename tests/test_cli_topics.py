"""Topic commands: listing with counts, manual tags that survive retagging, bad config."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from factories import write_dump

from papershelf.cli import cli


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAPERSHELF_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("PAPERSHELF_DB", raising=False)
    return tmp_path / "home"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def paper_topics(ref: str) -> list[str]:
    return json.loads(run("show", ref, "--json").output)["topics"]


def test_topics_lists_groups_with_counts(home: Path, tmp_path: Path) -> None:
    """`topics` shows areas and techniques with paper counts and the untagged count."""
    run("import", str(write_dump(tmp_path, "a.txt")))
    listing = json.loads(run("topics", "--json").output)
    counts = {row["slug"]: row["papers"] for row in listing["topics"]}
    assert counts["quantization"] == 1
    assert counts["retrieval"] == 1
    assert {row["group"] for row in listing["topics"]} == {"area", "technique"}
    text = run("topics").output
    assert text.startswith("Areas\n") and "Techniques\n" in text and "(no topic)" in text


def test_manual_topics_survive_retag_and_reimport(home: Path, tmp_path: Path) -> None:
    """+slug/-slug choices win over the tagger and survive retag and forced re-import."""
    dump = write_dump(tmp_path, "a.txt")
    run("import", str(dump))
    ref = json.loads(run("search", "orchard", "--json").output)[0]["id"]
    assert "retrieval" in paper_topics(ref)
    result = run("tag", ref, "+survey", "-retrieval")
    assert result.exit_code == 0
    assert paper_topics(ref) == [t for t in paper_topics(ref) if t != "retrieval"]
    assert "survey" in paper_topics(ref)
    assert "retagged 4 papers" in run("retag").output
    run("import", "--force", str(dump))
    topics = paper_topics(ref)
    assert "survey" in topics and "retrieval" not in topics


def test_retag_with_unchanged_rules_reports_no_change(home: Path, tmp_path: Path) -> None:
    """A paper whose topics the reader changed is no change of the rules: retagging with
    the same rules says "0 changed", the first time and every time after."""
    run("import", str(write_dump(tmp_path, "a.txt")))
    ref = json.loads(run("search", "orchard", "--json").output)[0]["id"]
    run("tag", ref, "+survey", "-retrieval")
    assert run("retag").output.splitlines()[0] == "retagged 4 papers: 0 changed"
    assert run("retag").output.splitlines() == ["retagged 4 papers: 0 changed"]
    assert "retrieval" not in paper_topics(ref)


def test_user_config_renames_and_retag_reports_changes(home: Path, tmp_path: Path) -> None:
    """A topics.toml that adds a topic is applied by retag, which reports what changed."""
    run("import", str(write_dump(tmp_path, "a.txt")))
    config = home / "config" / "topics.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        '[topics.fruit]\nname = "Fruit"\ngroup = "area"\nstrong = ["fruit catalogues"]\n'
    )
    output = run("retag").output
    assert "1 changed" in output and "fruit: +1 -0" in output
    ref = json.loads(run("search", "orchard", "--json").output)[0]["id"]
    assert "fruit" in paper_topics(ref)
    filtered = json.loads(run("search", "--topic", "fruit", "--json").output)
    assert [paper["id"] for paper in filtered] == [ref]


def test_invalid_config_names_file_and_line(home: Path, tmp_path: Path) -> None:
    """A broken topics.toml stops every command with one line naming the file and line."""
    config = home / "config" / "topics.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[topics.agents]\nname = "Agents"\nstrong = [unclosed\n')
    result = CliRunner().invoke(cli, ["retag"])
    assert result.exit_code == 1
    assert f"{config}:3" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_unknown_topic_and_bad_syntax_are_refused(home: Path, tmp_path: Path) -> None:
    """Tagging with an unknown slug or without +/- is a one-line error, exit 1."""
    run("import", str(write_dump(tmp_path, "a.txt")))
    ref = json.loads(run("search", "orchard", "--json").output)[0]["id"]
    unknown = CliRunner().invoke(cli, ["tag", ref, "+nonsense"])
    assert unknown.exit_code == 1 and "unknown topic 'nonsense'" in unknown.stderr
    bare = CliRunner().invoke(cli, ["tag", ref, "survey"])
    assert bare.exit_code == 1 and "+slug or -slug" in bare.stderr
