"""The reader's work survives every re-import, in any order, and no paper is ever doubled."""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from factories import HEADER, PAPERS, dump_text, write_dump
from hostile import integrity, reader_tables
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import importers
from papershelf.ingest import ingest
from papershelf.library import Library
from papershelf.shelf import open_shelf
from papershelf.text import title_key
from papershelf.topics import Tagger, load_taxonomy

POOL = [
    *PAPERS,
    (
        "Paper Cranes: Folding Tokens into Fewer Layers",
        "We fold the token stream of a language model into fewer layers by sharing weights "
        "across depth, and recover the quality of the unfolded model with a short distillation.",
    ),
]
# Spellings of each title that name the same paper (same title key).
VARIANTS = [
    lambda t: t,
    lambda t: t.upper(),
    lambda t: t.replace(":", " -").replace(" ", "  "),
]
SLUGS = ("quantization", "peft", "language-models")


def paper_ids(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [pid for (pid,) in conn.execute("SELECT id FROM papers ORDER BY pk")]
    finally:
        conn.close()


@pytest.mark.parametrize(
    "variant",
    ["same-file-forced", "compact-layout", "crlf", "shouted-titles", "respaced-titles", "subset"],
)
def test_reimport_keeps_reads_stars_notes_topics_and_lists(
    stocked: Path, tmp_path: Path, run_cli, variant: str
) -> None:  # type: ignore[no-untyped-def]
    """Re-importing the same papers in another shape leaves every read mark, star, note,
    manual topic and list membership exactly as it was, and adds no paper."""
    assert run_cli("list", "add", "to-read", *paper_ids(stocked)[::2]).exit_code == 0
    before = reader_tables(stocked)
    papers = {
        "same-file-forced": PAPERS,
        "compact-layout": PAPERS,
        "crlf": PAPERS,
        "shouted-titles": [(t.upper(), a) for t, a in PAPERS],
        "respaced-titles": [(t.replace(" ", "  ").replace(":", " -"), a) for t, a in PAPERS],
        "subset": PAPERS[1:3],
    }[variant]
    text = dump_text(papers, layout="compact" if variant == "compact-layout" else "blank")
    if variant == "crlf":
        text = text.replace("\n", "\r\n")
    name = "earlier.txt" if variant == "same-file-forced" else f"{variant}.txt"
    path = tmp_path / name
    path.write_bytes(text.encode())
    result = run_cli("import", "--force", str(path))
    assert result.exit_code == 0, result.stderr
    assert reader_tables(stocked) == before
    assert json.loads(run_cli("stats", "--json").output)["papers"] == len(PAPERS)
    assert integrity(stocked) == "ok"


# The property: any sequence of imports and reader actions ------------------------------


@dataclass
class Model:
    """What the library must hold: the papers imported so far and the reader's state."""

    keys: set[str] = field(default_factory=set)
    read: dict[str, bool] = field(default_factory=dict)
    starred: dict[str, bool] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    topics: dict[str, dict[str, str]] = field(default_factory=dict)


def key_of(index: int) -> str:
    return title_key(POOL[index][0])


imports = st.tuples(
    st.just("import"),
    st.lists(
        st.tuples(st.integers(0, len(POOL) - 1), st.integers(0, len(VARIANTS) - 1)),
        min_size=1,
        max_size=len(POOL),
    ),
    st.sampled_from(["blank", "compact"]),
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.booleans(),
)
actions = st.tuples(
    st.sampled_from(["read", "unread", "star", "unstar", "note", "add", "remove"]),
    st.integers(0, len(POOL) - 1),
    st.sampled_from(SLUGS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
)
operations = st.lists(st.one_of(imports, actions), min_size=1, max_size=12)


@pytest.fixture(scope="module")
def empty_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("empty")
    with open_shelf(folder / "library.db", topics_path=folder / "none.toml"):
        pass
    return folder / "library.db"


@pytest.fixture(scope="module")
def tagger() -> Tagger:
    return Tagger(load_taxonomy(None))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_any_order_of_imports_and_marks_loses_nothing(
    empty_template: Path, tagger: Tagger, ops: list[tuple]
) -> None:  # type: ignore[type-arg]
    """Whatever the order of imports, re-imports and reader actions, every paper is stored
    once and holds exactly the state the reader last gave it."""
    with tempfile.TemporaryDirectory() as workdir:
        db = Path(workdir) / "library.db"
        shutil.copyfile(empty_template, db)
        model = Model()
        with Library(db) as lib:
            for number, op in enumerate(ops):
                if op[0] == "import":
                    _, chosen, layout, newline, force = op
                    papers = [
                        (VARIANTS[v](POOL[i][0]), POOL[i][1]) for i, v in dict(chosen).items()
                    ]
                    path = Path(workdir) / f"dump-{number}.txt"
                    path.write_bytes(
                        dump_text(papers, layout=layout).replace("\n", newline).encode()
                    )
                    ingest(lib, importers.open_dump(path), tagger, force=force)
                    model.keys |= {key_of(i) for i, _ in chosen}
                else:
                    apply_action(lib, model, op)
                check(lib, model)
        assert integrity(db) == "ok"


def pk_of(lib: Library, key: str) -> int | None:
    row = lib.conn.execute("SELECT pk FROM papers WHERE title_key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def apply_action(lib: Library, model: Model, op: tuple) -> None:  # type: ignore[type-arg]
    action, index, slug, note = op
    key = key_of(index)
    pk = pk_of(lib, key)
    if pk is None:
        return
    if action in ("read", "unread"):
        lib.set_read([pk], action == "read")
        model.read[key] = action == "read"
    elif action in ("star", "unstar"):
        lib.set_starred([pk], action == "star")
        model.starred[key] = action == "star"
    elif action == "note":
        lib.set_note(pk, note)
        model.notes[key] = note
    else:
        lib.tag(pk, **{action: [slug]})
        model.topics.setdefault(key, {})[slug] = "manual" if action == "add" else "removed"


def check(lib: Library, model: Model) -> None:
    stored = [k for (k,) in lib.conn.execute("SELECT title_key FROM papers")]
    assert sorted(stored) == sorted(model.keys)
    for key in model.keys:
        pk = pk_of(lib, key)
        assert pk is not None
        paper = lib.paper(pk)
        assert paper.read == model.read.get(key, False)
        assert paper.starred == model.starred.get(key, False)
        assert paper.note == model.notes.get(key, "")
        chosen = dict(
            lib.conn.execute(
                "SELECT slug, origin FROM paper_topics WHERE paper = ? AND origin != 'auto'", (pk,)
            ).fetchall()
        )
        assert chosen == model.topics.get(key, {})


# parse(crlf(x)) == parse(x) -----------------------------------------------------------

LINES = st.one_of(
    st.sampled_from([*HEADER, "Mar 14", "", " ", "\t"]),
    st.sampled_from([t for t, _ in POOL]),
    st.sampled_from([a for _, a in POOL]),
    st.text(
        alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"),
        max_size=300,
    ),
)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(LINES, max_size=30), final_newline=st.booleans())
def test_line_endings_never_change_what_is_parsed(lines: list[str], final_newline: bool) -> None:
    """A dump parses to the same papers and warnings with LF, CRLF or lone-CR line ends."""
    text = "\n".join(lines) + ("\n" if final_newline else "")
    expected = importers.parse_text(text)
    assert importers.parse_text(text.replace("\n", "\r\n")) == expected
    assert importers.parse_text(text.replace("\n", "\r")) == expected


def test_reimport_of_a_file_with_new_papers_adds_only_those(
    stocked: Path, tmp_path: Path, run_cli
) -> None:  # type: ignore[no-untyped-def]
    """A dump holding the known papers and one new one adds exactly the new one."""
    before = reader_tables(stocked)
    path = write_dump(tmp_path, "more.txt", papers=[*PAPERS, POOL[-1]])
    result = run_cli("import", str(path))
    assert "1 new, 4 already known" in result.output
    assert reader_tables(stocked) == before
