"""Everything a front end needs, opened together: library, taxonomy, tagger and search.

The CLI and the TUI both open a `Shelf`, so they load the same topic configuration and
share one import path and one search path.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cached_property
from pathlib import Path

from papershelf.files import library_file
from papershelf.library import Library
from papershelf.models import DumpError, ImportSummary
from papershelf.paths import topics_config_path
from papershelf.search import Search
from papershelf.topics import Tagger, Taxonomy, load_taxonomy

IMPORTABLE = (".txt", ".json", ".md")
"""What a folder given to import contributes: dumps, and papershelf exports to restore."""


def dump_files(path: Path) -> list[Path]:
    """A file is itself; a folder is its importable files by name, so `papershelf import
    DIR` and the app's import dialog take the same ones. Raises OSError when the folder
    cannot be read."""
    if not path.is_dir():
        return [path]
    return [inside for inside in sorted(path.iterdir()) if inside.suffix in IMPORTABLE]


class Shelf:
    def __init__(self, lib: Library, taxonomy: Taxonomy) -> None:
        self.lib = lib
        self.taxonomy = taxonomy
        self.search = Search(lib)

    @cached_property
    def tagger(self) -> Tagger:
        """Built on first use: compiling the rules costs time that reading never needs."""
        return Tagger(self.taxonomy)

    def import_file(
        self,
        path: str | Path,
        *,
        force: bool = False,
        encoding: str | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> ImportSummary:
        """Open, parse and ingest one file; raises DumpError or LibraryError unchanged.

        The import machinery is loaded here, on first use: searching never needs it.
        """
        import importers
        from papershelf.ingest import ingest

        self.refuse_library_file(Path(path))
        dump = importers.open_dump(path, encoding=encoding)
        return ingest(self.lib, dump, self.tagger, force=force, on_progress=on_progress)

    def refuse_library_file(self, path: Path) -> None:
        """Raise DumpError, before the file is opened, when it is the library or its WAL."""
        what = library_file(path, self.lib.path)
        if what is not None:
            raise DumpError(str(path), f"is {what}, not a dump file")

    def close(self) -> None:
        self.lib.close()

    def __enter__(self) -> Shelf:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def sync_topics(lib: Library, taxonomy: Taxonomy) -> None:
    """Make the topics table match the taxonomy; assignments of vanished topics stay stored."""
    rows = [
        (topic.slug, topic.name, topic.group, position, topic.description)
        for position, topic in enumerate(taxonomy.topics)
    ]
    current = lib.conn.execute(
        "SELECT slug, name, grp, position, description FROM topics ORDER BY position"
    ).fetchall()
    if current == rows:
        return
    with lib.write() as conn:
        conn.execute("DELETE FROM topics")
        conn.executemany("INSERT INTO topics VALUES (?, ?, ?, ?, ?)", rows)


def open_shelf(db_path: str | Path, topics_path: Path | None = None) -> Shelf:
    taxonomy = load_taxonomy(topics_path or topics_config_path())
    lib = Library(db_path)
    try:
        sync_topics(lib, taxonomy)
    except BaseException:
        lib.close()
        raise
    return Shelf(lib, taxonomy)
