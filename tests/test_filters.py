"""The filter table: every filter parses, prints, negates and narrows the same way, and
every word that names nothing is refused with the nearest words that do."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from papershelf.cli import cli
from papershelf.filters import FILTERS, SORTS, QueryError, Term
from papershelf.lists import AddToList
from papershelf.query import Query
from papershelf.sample import sample_files
from papershelf.shelf import Shelf, open_shelf
from papershelf.undo import MarkRead, Retopic, SetNote, Star, apply
from tui.view import combine

HF_API = Path(__file__).parent / "fixtures" / "hf_api"


@pytest.fixture
def shelf(tmp_path: Path) -> Iterator[Shelf]:
    """The bundled sample, one file a day, with a read mark, a star, a note and a list."""
    opened = open_shelf(tmp_path / "library.db", topics_path=tmp_path / "none.toml")
    for day, path in enumerate(sample_files(), start=1):
        opened.import_file(path)
        with opened.lib.write() as conn:
            conn.execute(
                "UPDATE sources SET imported_at = ? WHERE id = (SELECT max(id) FROM sources)",
                (f"2026-03-{day:02}T08:00:00Z",),
            )
    pks = list(opened.search.run(Query()))
    apply(opened.lib, MarkRead(tuple(pks[:3])))
    apply(opened.lib, Star((pks[1], pks[4])))
    apply(opened.lib, SetNote(pks[5], "Compare with the orchard baseline."))
    apply(opened.lib, AddToList("to read", (pks[2], pks[6])))
    for slug in opened.lib.paper(pks[7]).topics:
        apply(opened.lib, Retopic((pks[7],), slug, add=False))
    yield opened
    opened.close()


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def every_term(shelf: Shelf) -> list[Term]:
    """One valid term of every filter of the table, values taken from the library (a
    filter the text dumps give no value for, such as authors, has none)."""
    terms = []
    for filter_ in FILTERS:
        if filter_.values:
            terms.extend(Term(filter_.key, value) for value in filter_.values)
        elif choices := shelf.search.facets.choices(filter_):
            terms.append(Term(filter_.key, choices[0][0]))
    return terms


def pks_of(shelf: Shelf, text: str) -> set[int]:
    return set(shelf.search.run(Query.parse(text)))


def test_every_term_prints_as_it_parses_negated_or_not(shelf: Shelf) -> None:
    """`str(Query.parse(x))` is `x` for every filter value, with `-` and quoting kept."""
    for term in every_term(shelf):
        for negated in (False, True):
            word = str(Term(term.key, term.value, negated))
            query = Query.parse(word)
            assert query.terms == (Term(term.key, term.value, negated),), word
            assert Query.parse(str(query)) == query
            assert query.describe().startswith("not " if negated else ""), word


STOCKED = {"state", "starred", "code", "link", "note", "list", "imported", "source", "date"}
STOCKED |= {"topic", "untopiced"}
"""The filters the fixture gives papers on both sides of (later entries may have none)."""


def test_every_filter_works_negated(shelf: Shelf) -> None:
    """A filter and its negation split the library: disjoint, and together every paper."""
    everything = pks_of(shelf, "")
    for term in every_term(shelf):
        kept, rest = pks_of(shelf, str(term)), pks_of(shelf, "-" + str(term))
        stocked = next(f.name for f in FILTERS if f.covers(term)) in STOCKED
        assert (kept and rest) or not stocked, f"{term} or its negation is empty in the fixture"
        assert not kept & rest, term
        assert kept | rest == everything, term


def test_negation_narrows_with_other_filters(shelf: Shelf) -> None:
    unread_not_starred = pks_of(shelf, "is:unread -is:starred")
    assert unread_not_starred == pks_of(shelf, "is:unread") - pks_of(shelf, "is:starred")
    assert pks_of(shelf, "-list:'to read'") == pks_of(shelf, "") - pks_of(shelf, "list:'to read'")


@pytest.mark.parametrize(
    ("text", "named", "suggested"),
    [
        ("is:foo", "'is:foo'", "is:unread"),
        ("has:pdf", "'has:pdf'", "has:code"),
        ("title:lantern", "'title:'", ""),
        ("sort:newst", "'newst'", "newest"),
        ("topic:quant", "'topic:quant'", "quantization"),
        ("list:to-rea", "'list:to-rea'", "to read"),
        ("source:nosuch.txt", "'source:nosuch.txt'", ""),
        ("imported:2020-01-01", "'imported:2020-01-01'", "2026-03-0"),
        ("date:'Mar 99'", "date:'Mar 99'", "Mar 14"),
        ("-is:starr", "'is:starr'", "is:starred"),
    ],
)
def test_unknown_words_name_themselves_and_the_closest(
    shelf: Shelf, text: str, named: str, suggested: str
) -> None:
    with pytest.raises(QueryError) as raised:
        shelf.search.run(Query.parse(text))
    message = str(raised.value)
    assert "\n" not in message
    assert named in message
    assert suggested in message


def test_the_cli_refuses_unknown_words_in_one_line(shelf: Shelf) -> None:
    db = shelf.lib.path
    for args in (
        ("search", "topic:quant"),
        ("search", "--list", "nosuch"),
        ("export", "--list", "nosuch"),
        ("search", "--", "-is:foo"),
        ("mark", "read", "--query", "imported:yesterday"),
    ):
        before = shelf.search.run(Query.parse("is:read"))
        result = run(db, *args)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("papershelf: unknown "), args
        assert result.stderr.count("\n") == 1, args
        assert list(shelf.search.run(Query.parse("is:read"))) == list(before)


def test_lists_sources_and_dates_match_without_case_or_spacing(shelf: Shelf) -> None:
    assert pks_of(shelf, "list:TO-READ") == pks_of(shelf, "list:'to read'")
    label = shelf.search.facets.choices(next(f for f in FILTERS if f.name == "date"))[0][0]
    folded = label.casefold().replace(" ", "-")
    assert pks_of(shelf, f"date:{folded}") == pks_of(shelf, str(Term("date", label)))


def test_imported_latest_is_the_newest_days_new_papers(shelf: Shelf) -> None:
    """Each day holds the papers first seen that day; `latest` is the newest day."""
    conn: sqlite3.Connection = shelf.lib.conn
    days = [day for (day,) in conn.execute("SELECT substr(imported_at, 1, 10) FROM sources")]
    seen: set[int] = set()
    for source, day in enumerate(days, start=1):
        rows = conn.execute("SELECT paper FROM paper_sources WHERE source = ?", (source,))
        papers = {pk for (pk,) in rows}
        assert pks_of(shelf, f"imported:{day}") == papers - seen
        seen |= papers
    assert pks_of(shelf, "imported:latest") == pks_of(shelf, f"imported:{days[-1]}")


def test_notes_are_searched_like_abstracts_and_follow_changes(shelf: Shelf) -> None:
    noted = pks_of(shelf, "has:note")
    assert len(noted) == 1
    assert pks_of(shelf, "orchard baseline") >= noted
    pk = noted.pop()
    apply(shelf.lib, SetNote(pk, "zygomorphic petals"))
    assert pks_of(shelf, "zygomorphic") == {pk}
    assert pk not in pks_of(shelf, "orchard baseline")
    apply(shelf.lib, SetNote(pk, ""))
    assert pks_of(shelf, "zygomorphic") == set()
    assert pks_of(shelf, "has:note") == set()


def test_sorts_order_the_view(shelf: Shelf) -> None:
    conn = shelf.lib.conn
    oldest = list(shelf.search.run(Query.parse("sort:oldest")))
    assert oldest == sorted(oldest)
    newest = list(shelf.search.run(Query()))
    last_day = set(shelf.search.run(Query.parse("imported:latest")))
    assert set(newest[: len(last_day)]) == last_day
    assert newest[: len(last_day)] == sorted(last_day)
    titles = [
        conn.execute("SELECT title FROM papers WHERE pk = ?", (pk,)).fetchone()[0].casefold()
        for pk in shelf.search.run(Query.parse("sort:title"))
    ]
    assert titles == sorted(titles)
    ranked = list(shelf.search.run(Query.parse("model")))
    by_title = list(shelf.search.run(Query.parse("model sort:title")))
    assert sorted(ranked) == sorted(by_title) and ranked != by_title
    assert {s.name for s in SORTS} >= {"relevance", "newest", "oldest", "title", "upvotes"}


def test_sort_upvotes_orders_hf_json_imports(tmp_path: Path) -> None:
    db = tmp_path / "library.db"
    files = sorted(HF_API.glob("2024-11-2?.json"))
    assert run(db, "import", *map(str, files)).exit_code == 0
    result = run(db, "search", "--sort", "upvotes", "--json")
    assert result.exit_code == 0, result.stderr
    upvotes = [paper["upvotes"] for paper in json.loads(result.stdout)]
    assert len(upvotes) == 5
    assert upvotes == sorted(upvotes, reverse=True)
    typed = run(db, "search", "sort:upvotes", "--json")
    assert typed.stdout == result.stdout


def test_combine_adds_typed_terms_to_chosen_ones() -> None:
    chosen = Query.parse("is:unread topic:peft")
    view = combine(chosen, "-is:starred is:read topic:quantization sort:title kv")
    assert str(view) == "topic:peft -is:starred is:read topic:quantization sort:title kv"
    with pytest.raises(QueryError):
        combine(chosen, "has:pdf")


def test_list_add_says_when_it_creates_the_list(shelf: Shelf) -> None:
    db = shelf.lib.path
    paper = shelf.lib.paper(shelf.search.run(Query())[0]).id
    created = run(db, "list", "add", "nosuch", paper)
    assert created.stdout == 'added 1 paper to list "nosuch" (0 already there, a new list)\n'
    again = run(db, "list", "add", "TO READ", paper)
    assert again.stdout.endswith("already there)\n")
