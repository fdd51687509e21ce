"""Dump files in, ParsedPaper records and warnings out: detection plus one module per format.

Opening a dump (`open_dump`) does every check that needs only bytes, so a file is refused
before the library starts a transaction; parsing (`Dump.papers`) streams, so a large
dump never sits in memory as a list. Nothing here touches SQLite or imports Textual.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, TextIO

from importers import hf_json, hf_text, textfile
from importers.textfile import HEAD_BYTES, FileState
from papershelf.models import DumpError, ParsedPaper

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "Dump",
    "Format",
    "detect",
    "open_dump",
    "parse_text",
    "register",
    "text_dump",
]


class Format(Protocol):
    """One dump format: recognises its own files and parses them into papers."""

    name: str

    def sniff(self, head: str) -> bool: ...

    def parse(self, stream: TextIO, warn: Callable[[int, str], None]) -> Iterator[ParsedPaper]: ...


MAX_BYTES = 512 * 1024 * 1024  # bigger files are refused on their size, before any byte is read
FORMATS: list[Format] = []


def register(fmt: Format) -> Format:
    """Add a format to the registry; earlier formats are sniffed first."""
    FORMATS.append(fmt)
    return fmt


register(hf_text.FORMAT)
register(hf_json.FORMAT)


def _format(name: str) -> Format:
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    known = ", ".join(fmt.name for fmt in FORMATS)
    raise ValueError(f"unknown dump format {name!r} (known: {known})")


@dataclass(slots=True)
class Dump:
    """An opened, validated, not-yet-parsed dump file, or a dump held in memory (`text`,
    a listing fetched from Hugging Face), which `path` then only names.

    `warnings` starts with what opening found (an encoding fallback) and gains one
    "path:line: message" entry per repair as `papers()` is iterated; each iteration
    starts the parse warnings afresh. A file's `state` is what opening saw: parsing
    refuses the file if it is no longer those bytes (see `textfile.reading`).
    """

    path: str
    format: str
    encoding: str
    sha256: str
    size: int
    warnings: list[str] = field(default_factory=list)
    opening_warnings: tuple[str, ...] = field(default=(), repr=False)
    errors: str = "strict"
    text: str | None = field(default=None, repr=False)
    state: FileState | None = field(default=None, repr=False)

    @property
    def origin(self) -> str:
        """The source as the library records it: a file's absolute path, or the name."""
        return self.path if self.text is not None else str(Path(self.path).resolve())

    def open(self) -> AbstractContextManager[TextIO]:
        if self.text is not None:
            return io.StringIO(self.text, newline=None)
        assert self.state is not None, "a file dump is made by open_dump"
        return textfile.reading(
            Path(self.path), self.state, self.sha256, self.encoding, self.errors
        )

    def papers(self) -> Iterator[ParsedPaper]:
        """Stream the papers; raises DumpError part-way on structure no repair can fix."""
        self.warnings[:] = self.opening_warnings
        fmt = _format(self.format)

        def warn(line: int, message: str) -> None:
            self.warnings.append(f"{self.path}:{line}: {message}")

        count = 0
        try:
            with self.open() as stream:
                for paper in fmt.parse(stream, warn):
                    count += 1
                    yield paper
        except DumpError as e:
            raise DumpError(self.path, e.problem, e.line) from None
        except OSError as e:
            raise DumpError(self.path, e.strerror or str(e)) from None
        if count == 0:
            raise DumpError(self.path, "no papers found (only page header lines)")


def open_dump(path: str | Path, encoding: str | None = None) -> Dump:
    """Check a file and pick its format; raises DumpError with a one-line reason."""
    shown = str(path)
    checked = textfile.inspect(Path(path), encoding, MAX_BYTES)
    fmt = next((fmt for fmt in FORMATS if fmt.sniff(checked.head)), None)
    if fmt is None:
        raise DumpError(shown, f"not a Hugging Face Daily Papers dump: {_why_not(checked.head)}")
    return Dump(
        path=shown,
        format=fmt.name,
        encoding=checked.encoding,
        sha256=checked.sha256,
        size=checked.size,
        warnings=list(checked.warnings),
        opening_warnings=checked.warnings,
        errors=checked.errors,
        state=checked.state,
    )


def text_dump(name: str, text: str) -> Dump:
    """A dump held in memory, checked like a file; `name` stands for its path."""
    fmt = next((fmt for fmt in FORMATS if fmt.sniff(text[:HEAD_BYTES])), None)
    if fmt is None:
        raise DumpError(name, f"not a Hugging Face Daily Papers dump: {_why_not(text)}")
    data = text.encode("utf-8")
    return Dump(
        path=name,
        format=fmt.name,
        encoding="utf-8",
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        text=text,
    )


def detect(path: str | Path) -> Format:
    """The format a file would be imported as; raises DumpError like open_dump."""
    return _format(open_dump(path).format)


def parse_text(text: str, fmt: str = "hf_text") -> tuple[list[ParsedPaper], list[str]]:
    """Parse an in-memory dump exactly as a file would be parsed, for tests and previews."""
    warnings: list[str] = []

    def warn(line: int, message: str) -> None:
        warnings.append(f"<text>:{line}: {message}")

    papers = list(_format(fmt).parse(io.StringIO(text, newline=None), warn))
    return papers, warnings


def _why_not(head: str) -> str:
    first = head.lstrip("\ufeff \t\r\n")[:1]
    if first in ("{", "["):
        return "JSON that no importer recognises"
    return f"no page header and no title followed by an abstract in the first {HEAD_BYTES} bytes"
