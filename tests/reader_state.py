"""The reader's own work in a library, read back for comparing libraries in tests."""

from __future__ import annotations

from papershelf.library import Library


def reader_rows(lib: Library) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the reader's tables, timestamps included: what undo must restore exactly."""
    queries = {
        "state": "SELECT * FROM state ORDER BY paper",
        "paper_topics": "SELECT * FROM paper_topics ORDER BY paper, slug",
        "lists": "SELECT * FROM lists ORDER BY id",
        "list_items": "SELECT * FROM list_items ORDER BY list, paper",
        "not_interested": "SELECT * FROM not_interested ORDER BY paper",
    }
    return {table: lib.conn.execute(sql).fetchall() for table, sql in queries.items()}


def reader_state(lib: Library) -> dict[str, dict[str, object]]:
    """By paper id: read time, star, note, topic choices and lists; papers left alone omitted."""
    result: dict[str, dict[str, object]] = {}

    def paper(pid: str) -> dict[str, object]:
        return result.setdefault(
            pid,
            {
                "read_at": None,
                "starred": False,
                "note": "",
                "manual": [],
                "removed": [],
                "lists": [],
            },
        )

    for pid, read_at, starred, note in lib.conn.execute(
        "SELECT p.id, s.read_at, s.starred, s.note FROM state s JOIN papers p ON p.pk = s.paper"
    ):
        if read_at or starred or note:
            paper(pid).update(read_at=read_at, starred=bool(starred), note=note)
    for pid, slug, origin in lib.conn.execute(
        """SELECT p.id, pt.slug, pt.origin FROM paper_topics pt JOIN papers p ON p.pk = pt.paper
           WHERE pt.origin != 'auto' ORDER BY pt.slug"""
    ):
        paper(pid)[origin].append(slug)  # type: ignore[attr-defined]
    for pid, name in lib.conn.execute(
        """SELECT p.id, l.name FROM list_items li JOIN papers p ON p.pk = li.paper
           JOIN lists l ON l.id = li.list ORDER BY l.name"""
    ):
        paper(pid)["lists"].append(name)  # type: ignore[attr-defined]
    return result


def list_names(lib: Library) -> list[str]:
    return [name for (name,) in lib.conn.execute("SELECT name FROM lists ORDER BY name")]
