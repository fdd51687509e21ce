"""Hostile dump files: each lands as the right papers or is refused in one line, library intact."""

from __future__ import annotations

import codecs
import gzip
import os
import random
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from factories import HEADER, PAPERS, dump_text
from hostile import digest, integrity, paper_titles, reader_tables

from importers import MAX_BYTES
from importers.hf_text import LINE_MAX

TITLES = [title for title, _ in PAPERS]
EARLIER = list(TITLES)  # what the stocked library already holds
ACCENTED = "Café Résumé: Naïve Attention for Señor Models"
SMART = "Sparse “Quoted” Lanterns — Two Bits"


@dataclass(frozen=True)
class Rejected:
    """Refused: stderr is one line naming the file (and line) with this problem."""

    problem: str
    line: int | None = None


@dataclass(frozen=True)
class Imported:
    """Accepted: these titles are new, and each listed abstract holds the given pieces."""

    new_titles: tuple[str, ...] = ()
    abstract_holds: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warning: str | None = None


Make = Callable[[Path, Path], Path]


def text_file(name: str, text: str, encoding: str = "utf-8", newline: str = "\n") -> Make:
    def make(folder: Path, db: Path) -> Path:
        path = folder / name
        path.write_bytes(text.replace("\n", newline).encode(encoding))
        return path

    return make


def bytes_file(name: str, data: Callable[[], bytes]) -> Make:
    def make(folder: Path, db: Path) -> Path:
        path = folder / name
        path.write_bytes(data())
        return path

    return make


def sqlite_copy(folder: Path, db: Path) -> Path:
    path = folder / "library-copy.txt"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    return path


def the_library_itself(folder: Path, db: Path) -> Path:
    return db


def sparse_over_cap(folder: Path, db: Path) -> Path:
    """Over the size cap without using the disk: a sparse file (all zeros if it were read)."""
    path = folder / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_BYTES + 1)
    return path


def long_single_line(folder: Path, db: Path) -> Path:
    """A page header, one title, then a 100 MB line (written in pieces, never held whole)."""
    path = folder / "one-line.txt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("\n\n".join([*HEADER, TITLES[0], ""]))
        piece = "long " * 200_000
        for _ in range(100):
            handle.write(piece)
        handle.write("\n")
    return path


def fifo(folder: Path, db: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def missing(folder: Path, db: Path) -> Path:
    return folder / "no-such-dump.txt"


def nul_after_head(folder: Path, db: Path) -> Path:
    """A valid dump with one NUL byte past the 8 KiB a sniffer reads."""
    many = [
        (f"Padding Paper {i} on Sparse Kernels", PAPERS[0][1] + f" Run {i}.") for i in range(60)
    ]
    data = dump_text(many).encode()
    path = folder / "late-nul.txt"
    path.write_bytes(data[:9000] + b"\x00" + data[9000:])
    return path


def random_bytes(seed: int, nul: bool) -> Callable[[], bytes]:
    def data() -> bytes:
        raw = random.Random(seed).randbytes(4096)
        return raw if nul else raw.replace(b"\x00", b"\x01")

    return data


def with_abstract(index: int, abstract: str) -> list[tuple[str, str]]:
    papers = list(PAPERS)
    papers[index] = (TITLES[index] + " Revisited", abstract)
    return papers


HEADER_LINE_OF_FIRST_TITLE = 2 * len(HEADER) + 1  # blank-separated layout
LAST_TITLE_LINE = HEADER_LINE_OF_FIRST_TITLE + 2 * 2 * (len(PAPERS) - 1)
SPLIT_ABSTRACT = (
    "An abstract pasted with odd separators: a form feed\fthen a line separator\u2028"
    "then a paragraph separator\u2029then a next-line\x85then a vertical tab\vand the end, "
    "which must all stay one abstract of one paper rather than split the paper in two."
)

CASES: dict[str, tuple[Make, tuple[str, ...], Rejected | Imported]] = {
    "empty": (text_file("empty.txt", ""), (), Rejected("empty")),
    "whitespace-only": (text_file("blank.txt", " \n\t\n\r\n  \f\n"), (), Rejected("empty")),
    "png": (
        bytes_file("picture.txt", lambda: b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        (),
        Rejected("binary"),
    ),
    "pdf": (
        bytes_file("paper.txt", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj"),
        (),
        Rejected("binary"),
    ),
    "gzip": (
        bytes_file("dump.txt.gz", lambda: gzip.compress(dump_text().encode())),
        (),
        Rejected("binary"),
    ),
    "sqlite-file": (sqlite_copy, (), Rejected("binary")),
    "the-library-itself": (the_library_itself, (), Rejected("is the library, not a dump file")),
    "random-bytes-with-nul": (
        bytes_file("noise.txt", random_bytes(1, nul=True)),
        (),
        Rejected("binary"),
    ),
    "random-bytes-no-nul": (bytes_file("noise2.txt", random_bytes(2, nul=False)), (), Rejected("")),
    "nul-after-8k": (nul_after_head, (), Rejected("binary")),
    "html-page": (
        text_file(
            "page.txt",
            "<!DOCTYPE html>\n<html><head><title>Daily Papers</title></head>\n"
            "<body><h3>Sparse Lanterns</h3><p>We present ...</p></body></html>\n",
        ),
        (),
        Rejected("HTML page"),
    ),
    "json-garbage": (text_file("api.txt", '{"papers": [1, 2'), (), Rejected("JSON")),
    "headers-only": (
        text_file("headers.txt", "\n\n".join(HEADER) + "\n"),
        (),
        Rejected("no papers"),
    ),
    "utf16-no-bom": (
        text_file("wide.txt", dump_text(), encoding="utf-16-le"),
        (),
        Rejected("binary"),
    ),
    "forced-utf8-on-cp1252": (
        text_file("forced.txt", dump_text([(ACCENTED, PAPERS[0][1])]), encoding="cp1252"),
        ("--encoding", "utf-8"),
        Rejected("not valid utf-8 text at byte", None),
    ),
    "unknown-encoding": (
        text_file("enc.txt", dump_text()),
        ("--encoding", "klingon"),
        Rejected("unknown encoding"),
    ),
    "one-megabyte-title": (
        text_file("big-title.txt", dump_text([("Huge " + "x" * 2**20, PAPERS[0][1]), *PAPERS[1:]])),
        (),
        Rejected(f"longer than {LINE_MAX:,} characters", HEADER_LINE_OF_FIRST_TITLE),
    ),
    "hundred-megabyte-line": (
        long_single_line,
        (),
        Rejected(f"longer than {LINE_MAX:,} characters", HEADER_LINE_OF_FIRST_TITLE + 2),
    ),
    "over-size-cap": (sparse_over_cap, (), Rejected(f"over the {MAX_BYTES // 2**20} MB limit")),
    "named-pipe": (fifo, (), Rejected("not a regular file")),
    "missing-file": (missing, (), Rejected("No such file")),
    "cp1252": (
        text_file(
            "smart.txt", dump_text([(ACCENTED, PAPERS[0][1]), (SMART, PAPERS[1][1])]), "cp1252"
        ),
        (),
        Imported((ACCENTED, SMART), warning="read as cp1252"),
    ),
    "latin-1": (
        text_file("latin.txt", dump_text([(ACCENTED + " \x81", PAPERS[0][1])]), "latin-1"),
        (),
        Imported((ACCENTED,), warning="read as latin-1"),
    ),
    "latin-1-forced": (
        text_file("latin2.txt", dump_text([(ACCENTED, PAPERS[0][1])]), "latin-1"),
        ("--encoding", "latin-1"),
        Imported((ACCENTED,)),
    ),
    "utf16-forced": (
        text_file("wide2.txt", dump_text([(ACCENTED, PAPERS[0][1])]), encoding="utf-16-le"),
        ("--encoding", "utf-16-le"),
        Imported((ACCENTED,)),
    ),
    "utf16-le-bom": (
        text_file("le.txt", dump_text([(ACCENTED, PAPERS[0][1])]), "utf-16"),
        (),
        Imported((ACCENTED,)),
    ),
    "utf16-be-bom": (
        bytes_file(
            "be.txt",
            lambda: codecs.BOM_UTF16_BE + dump_text([(ACCENTED, PAPERS[0][1])]).encode("utf-16-be"),
        ),
        (),
        Imported((ACCENTED,)),
    ),
    "utf8-bom": (
        text_file("bom.txt", dump_text([(ACCENTED, PAPERS[0][1])]), "utf-8-sig"),
        (),
        Imported((ACCENTED,)),
    ),
    "crlf": (
        text_file("crlf.txt", dump_text(with_abstract(0, PAPERS[0][1])), newline="\r\n"),
        (),
        Imported((TITLES[0] + " Revisited",)),
    ),
    "lone-cr": (
        text_file("cr.txt", dump_text(with_abstract(1, PAPERS[1][1])), newline="\r"),
        (),
        Imported((TITLES[1] + " Revisited",)),
    ),
    "mixed-endings": (
        text_file(
            "mixed.txt",
            dump_text(with_abstract(2, PAPERS[2][1])).replace("\n\n", "\r\n\r"),
            newline="\n",
        ),
        (),
        Imported((TITLES[2] + " Revisited",)),
    ),
    "separators-inside-abstract": (
        text_file("separators.txt", dump_text(with_abstract(3, SPLIT_ABSTRACT))),
        (),
        Imported(
            (TITLES[3] + " Revisited",),
            {
                TITLES[3] + " Revisited": (
                    "a form feed",
                    "then a vertical tab",
                    "split the paper in two.",
                )
            },
        ),
    ),
    "truncated-mid-abstract": (
        text_file("cut.txt", dump_text(with_abstract(3, PAPERS[3][1]))[:-60]),
        (),
        Imported(
            (TITLES[3] + " Revisited",),
            {TITLES[3] + " Revisited": ("A mixture-of-experts",)},
            warning="the file ends inside this abstract",
        ),
    ),
    "truncated-after-title": (
        text_file(
            "cut2.txt", dump_text(with_abstract(3, PAPERS[3][1])).rsplit("\n\n", 1)[0] + "\n"
        ),
        (),
        Imported(
            (TITLES[3] + " Revisited",), warning=f":{LAST_TITLE_LINE}: title with no abstract"
        ),
    ),
    "truncated-mid-character": (
        bytes_file("cut3.txt", lambda: dump_text([(ACCENTED, PAPERS[0][1] + " é")]).encode()[:-2]),
        (),
        Imported((ACCENTED,), warning="the incomplete character is dropped"),
    ),
    "two-titles-in-a-row": (
        text_file(
            "twice.txt",
            "\n\n".join(
                [*HEADER, "A Title Whose Abstract Went Missing", TITLES[0] + " Again", PAPERS[0][1]]
            )
            + "\n",
        ),
        (),
        Imported(
            ("A Title Whose Abstract Went Missing", TITLES[0] + " Again"),
            warning="title with no abstract",
        ),
    ),
}


@pytest.mark.parametrize("case", CASES)
def test_hostile_file(case: str, stocked: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A hostile file imports as the right papers, or is refused in one line with exit 1; either
    way the reader's library keeps everything it had and passes integrity_check."""
    make, options, expected = CASES[case]
    folder = tmp_path / "dumps"
    folder.mkdir()
    path = make(folder, stocked)
    before = digest(stocked)
    state_before = reader_tables(stocked)

    result = run_cli("import", *options, str(path))

    assert integrity(stocked) == "ok"
    assert reader_tables(stocked) == state_before
    if isinstance(expected, Rejected):
        assert result.exit_code == 1, result.output
        errors = result.stderr.splitlines()
        assert len(errors) == 1, errors
        where = f"{path}:{expected.line}: " if expected.line else f"{path}: "
        assert errors[0].startswith(f"papershelf: rejected {where}"), errors[0]
        assert expected.problem in errors[0]
        assert digest(stocked) == before
        return
    assert result.exit_code == 0, result.stderr
    titles = paper_titles(stocked)
    assert titles[: len(EARLIER)] == EARLIER
    assert sorted(titles[len(EARLIER) :]) == sorted(expected.new_titles)
    abstracts = dict(zip(titles, paper_abstracts(stocked), strict=True))
    for title, pieces in expected.abstract_holds.items():
        for piece in pieces:
            assert piece in abstracts[title]
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    if expected.warning is None:
        assert warnings == []
    else:
        assert any(expected.warning in w and str(path) in w for w in warnings), warnings


def paper_abstracts(db: Path) -> list[str]:
    conn = sqlite3.connect(db)
    try:
        return [a for (a,) in conn.execute("SELECT abstract FROM papers ORDER BY pk")]
    finally:
        conn.close()
