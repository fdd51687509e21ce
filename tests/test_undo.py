"""Undo: every state change can be taken back exactly, and bulk changes say what they did."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from factories import write_dump
from reader_state import reader_rows

from papershelf.library import LibraryError
from papershelf.lists import AddToList, DeleteList, RemoveFromList, RenameList
from papershelf.query import Query
from papershelf.shelf import Shelf, open_shelf
from papershelf.undo import Journal, MarkRead, Retopic, SetNote, Star


@pytest.fixture
def shelf(tmp_path: Path) -> Iterator[Shelf]:
    opened = open_shelf(tmp_path / "library.db")
    opened.import_file(write_dump(tmp_path, "a.txt"))
    yield opened
    opened.close()


@pytest.fixture
def pks(shelf: Shelf) -> list[int]:
    return shelf.search.run(Query())


def test_undo_of_a_read_mark_restores_the_rows_exactly(shelf: Shelf, pks: list[int]) -> None:
    """Marking a paper read and undoing it leaves the reader's tables as they were."""
    journal = Journal(shelf.lib)
    before = reader_rows(shelf.lib)
    entry = journal.apply(MarkRead((pks[0],)))
    assert entry.changed == 1 and entry.description == "marked 1 paper read"
    assert shelf.lib.paper(pks[0]).read
    assert journal.undo() == entry
    assert reader_rows(shelf.lib) == before
    assert not shelf.lib.paper(pks[0]).read


def test_bulk_change_counts_only_papers_it_changed_and_undo_keeps_old_times(
    shelf: Shelf, pks: list[int]
) -> None:
    """Marking a view read counts the papers that were unread; undo keeps earlier read times."""
    journal = Journal(shelf.lib)
    shelf.lib.set_read([pks[1]])
    before = reader_rows(shelf.lib)
    entry = journal.apply(MarkRead(tuple(pks)))
    assert entry.changed == len(pks) - 1
    assert entry.description == f"marked {len(pks) - 1} papers read"
    journal.undo()
    assert reader_rows(shelf.lib) == before
    assert [shelf.lib.paper(pk).read for pk in pks] == [pk == pks[1] for pk in pks]


def test_a_change_that_changes_nothing_is_not_kept(shelf: Shelf, pks: list[int]) -> None:
    """Unstarring unstarred papers reports zero and leaves nothing for undo to spend a key on."""
    journal = Journal(shelf.lib)
    entry = journal.apply(Star(tuple(pks), starred=False))
    assert entry.changed == 0 and len(journal) == 0
    assert journal.undo() is None


def test_topic_changes_undo_back_to_the_taggers_choice(shelf: Shelf, pks: list[int]) -> None:
    """Removing an automatic topic from many papers and undoing it restores the automatic topic."""
    journal = Journal(shelf.lib)
    before = reader_rows(shelf.lib)
    tagged = shelf.lib.paper(pks[0]).topics[0]
    removed = journal.apply(Retopic(tuple(pks), tagged, add=False))
    assert removed.changed == 1
    assert tagged not in shelf.lib.paper(pks[0]).topics
    added = journal.apply(Retopic(tuple(pks), "agents"))
    assert added.changed == len(pks)
    journal.undo()
    journal.undo()
    assert reader_rows(shelf.lib) == before
    assert tagged in shelf.lib.paper(pks[0]).topics


def test_unknown_topic_is_refused_and_nothing_is_kept(shelf: Shelf, pks: list[int]) -> None:
    """A topic the taxonomy lacks is a one-line error, and the journal stays empty."""
    journal = Journal(shelf.lib)
    with pytest.raises(LibraryError, match="unknown topic 'no-such-topic'"):
        journal.apply(Retopic((pks[0],), "no-such-topic"))
    assert len(journal) == 0


def test_mixed_changes_undo_newest_first_back_to_the_start(shelf: Shelf, pks: list[int]) -> None:
    """Stars, notes, reads and list changes undone newest first end where they began."""
    journal = Journal(shelf.lib)
    shelf.lib.set_read([pks[2]])
    start = reader_rows(shelf.lib)
    changes = [
        Star((pks[0], pks[1])),
        SetNote(pks[0], "read the appendix"),
        AddToList("Weekend", tuple(pks[:3])),
        MarkRead((pks[3],)),
        RemoveFromList("Weekend", (pks[1],)),
        RenameList("Weekend", "Sunday"),
        SetNote(pks[0], "read the appendix twice"),
    ]
    states = []
    for change in changes:
        states.append(reader_rows(shelf.lib))
        journal.apply(change)
    assert shelf.lib.paper(pks[0]).lists == ("Sunday",)
    for expected in reversed(states):
        journal.undo()
        assert reader_rows(shelf.lib) == expected
    assert reader_rows(shelf.lib) == start
    assert journal.undo() is None


def test_deleting_a_list_can_be_undone_with_its_members(shelf: Shelf, pks: list[int]) -> None:
    """A deleted list comes back with the same papers and the times they were added."""
    journal = Journal(shelf.lib)
    journal.apply(AddToList("Keep", tuple(pks[:2])))
    before = reader_rows(shelf.lib)
    entry = journal.apply(DeleteList("keep"))
    assert entry.changed == 2
    assert entry.description == 'deleted list "keep" (2 papers; the papers stay)'
    assert shelf.lib.count() == len(pks)
    journal.undo()
    assert reader_rows(shelf.lib) == before


def test_journal_keeps_only_the_last_changes(shelf: Shelf, pks: list[int]) -> None:
    """With a limit of two, only the two newest changes can be undone."""
    journal = Journal(shelf.lib, limit=2)
    for pk in pks[:3]:
        journal.apply(MarkRead((pk,)))
    assert journal.undo() is not None and journal.undo() is not None
    assert journal.undo() is None
    assert [shelf.lib.paper(pk).read for pk in pks[:3]] == [True, False, False]
