"""What a dump's bytes say before any format looks at them: size, binary or text, encoding, hash.

Every format gets the same checks and the same one-line errors. The whole file is read
once here, so a file that would fail half-way through decoding is refused (or read as
cp1252, with a warning) before a single paper reaches the library, and the hash the
library uses to skip re-imports comes from the same pass.

The file is then read a second time to be parsed (`reading`), and that pass hashes the
bytes it hands to the parser. A file that changed between or during the passes (cut
short, grown, rewritten, replaced) shows a different hash, size, time or inode, and
is refused as a whole: the hash the library records is always that of the bytes it
parsed, so a dump imported while still being copied in is never half-imported and
then skipped as "already imported" once it is complete.

A file is judged by `stat` before it is opened, and opened without blocking: a FIFO or
a device is refused without waiting on it.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import math
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, TextIO

from papershelf.models import DumpError

HEAD_BYTES = 8192
_CHUNK = 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_MAGIC = (b"\x89PNG", b"SQLite format 3\x00", b"%PDF-", b"PK\x03\x04", b"\x1f\x8b", b"GIF8")
# Control bytes no text dump contains; tab, newlines, form feed and the \x1c-\x1e
# separators do turn up inside pasted abstracts, so they count as text.
_CONTROL = bytes(b for b in [*range(32), 127] if b not in (9, 10, 12, 13, 0x1C, 0x1D, 0x1E))
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
_CUT = "file ends inside a character"
CHANGED = "changed while it was being imported; nothing imported, try again"
_HTML_TAGS = ("<!doctype html", "<html", "<head", "<body", "<meta", "<div")


@dataclass(frozen=True, slots=True)
class FileState:
    """What `stat` says of a file's identity and version; any change means new bytes."""

    device: int
    inode: int
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, info: os.stat_result) -> FileState:
        return cls(info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file known to be non-empty text in `encoding`; `head` is its decoded start."""

    encoding: str
    sha256: str
    size: int
    head: str
    warnings: tuple[str, ...]
    state: FileState
    errors: str = "strict"


def inspect(path: Path, encoding: str | None, max_bytes: int) -> TextFile:
    """Check the file and choose its encoding; `encoding` forces one and disables fallback."""
    name = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise DumpError(name, "is a directory, not a dump file")
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
            raise DumpError(name, "not a regular file")
        size = info.st_size
        state = FileState.of(info)
        if size > max_bytes:
            megabytes = math.ceil(size / 2**20)
            raise DumpError(name, f"file is {megabytes} MB, over the {max_bytes // 2**20} MB limit")
        with _open(path, state) as f:
            head = f.read(HEAD_BYTES)
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                raise DumpError(name, f"unknown encoding {encoding!r}") from None
        chosen = encoding or next((enc for bom, enc in _BOMS if head.startswith(bom)), "utf-8")
        wide = codecs.lookup(chosen).name.startswith(("utf-16", "utf-32"))
        if not wide and _looks_binary(head):
            raise DumpError(name, "not a text dump (binary data)")
        digest, failure, has_text = _read_through(path, state, chosen, check_nul=not wide)
        warnings: tuple[str, ...] = ()
        errors = "strict"
        if failure is not None and failure.endswith(_CUT):
            # A download cut mid-character: reading the whole file as cp1252 would garble
            # every non-ASCII title in it, so only the incomplete character goes.
            errors = "ignore"
            warnings = (f"{name}: {failure}; the incomplete character is dropped",)
        elif failure is not None and encoding is None and chosen == "utf-8":
            chosen = "cp1252" if _decodes(path, state, "cp1252") else "latin-1"
            warnings = (f"{name}: not valid UTF-8 at {failure}; read as {chosen}",)
        elif failure is not None:
            raise DumpError(name, f"not valid {chosen} text at {failure}")
    except OSError as e:
        raise DumpError(name, e.strerror or str(e)) from None
    if not has_text:
        raise DumpError(name, "empty file")
    text = codecs.getincrementaldecoder(chosen)("replace").decode(head, final=size <= HEAD_BYTES)
    if _looks_html(text):
        raise DumpError(name, "looks like an HTML page, not a text dump; save the page as text")
    return TextFile(chosen, digest, size, text, warnings, state, errors)


@contextmanager
def reading(
    path: Path, state: FileState, sha256: str, encoding: str, errors: str
) -> Iterator[TextIO]:
    """The file as text for a parser, checked to be the very bytes `inspect` passed.

    When the block ends (or the parser fails), the rest of the file is hashed too and
    hash, size, time and inode are compared with what `inspect` saw; any difference
    raises DumpError(CHANGED). A decoding error means the same: `inspect` decoded every
    byte strictly.
    """
    with _open(path, state) as raw:
        hashed = _Hashed(raw, str(path))
        stream = io.TextIOWrapper(
            io.BufferedReader(hashed, _CHUNK), encoding=encoding, errors=errors, newline=None
        )
        try:
            yield stream
        except UnicodeDecodeError:
            raise DumpError(str(path), CHANGED) from None
        except (DumpError, OSError):
            if not hashed.unchanged(path, state, sha256):
                raise DumpError(str(path), CHANGED) from None
            raise
        if not hashed.unchanged(path, state, sha256):
            raise DumpError(str(path), CHANGED)


class _Hashed(io.RawIOBase):
    """A file read through to a parser, hashing every byte as it is handed on."""

    def __init__(self, raw: BinaryIO, name: str) -> None:
        super().__init__()
        self.raw = raw
        self.name = name
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        count = self.raw.readinto(buffer)  # type: ignore[attr-defined]
        self.digest.update(memoryview(buffer)[:count])
        return int(count)

    def unchanged(self, path: Path, state: FileState, sha256: str) -> bool:
        """Whether the whole file, read to its end now, is the one `inspect` hashed."""
        try:
            while chunk := self.raw.read(_CHUNK):
                self.digest.update(chunk)
            now = (FileState.of(os.fstat(self.raw.fileno())), FileState.of(path.stat()))
        except OSError:
            return False
        return now == (state, state) and self.digest.hexdigest() == sha256


def _open(path: Path, state: FileState) -> BinaryIO:
    """The file `state` describes, opened for reading; never blocks on a FIFO swapped in."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    handle = os.fdopen(fd, "rb", buffering=0)
    if FileState.of(os.fstat(fd)) != state:
        handle.close()
        raise DumpError(str(path), CHANGED)
    return handle  # type: ignore[return-value]


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_MAGIC) or b"\x00" in head:
        return True
    return len(head.translate(None, _NOT_CONTROL)) * 10 > len(head)


def _looks_html(text: str) -> bool:
    lead = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    return lead.startswith("<") and any(tag in lead for tag in _HTML_TAGS)


def _read_through(
    path: Path, state: FileState, encoding: str, check_nul: bool
) -> tuple[str, str | None, bool]:
    """Hash every byte and decode strictly in one streaming pass.

    Returns the sha256, where decoding first failed ("byte N (line L)") or None,
    and whether anything but whitespace was seen.
    """
    digest = hashlib.sha256()
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    failure: str | None = None
    has_text = False
    offset = 0
    line = 1
    with _open(path, state) as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
            if check_nul and b"\x00" in chunk:
                raise DumpError(str(path), "not a text dump (binary data)")
            if failure is None:
                pending = len(decoder.getstate()[0])
                try:
                    text = decoder.decode(chunk)
                    has_text = has_text or (bool(text) and not text.isspace())
                except UnicodeDecodeError as e:
                    at = max(e.start - pending, 0)
                    failure = f"byte {offset + at} (line {line + _count_lines(chunk[:at])})"
                    has_text = True  # an undecodable byte is content, whatever else is there
            line += _count_lines(chunk)
            offset += len(chunk)
    if failure is None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            failure = f"byte {offset} (line {line}): {_CUT}"
    return digest.hexdigest(), failure, has_text


def _count_lines(data: bytes) -> int:
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _decodes(path: Path, state: FileState, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with _open(path, state) as f:
        try:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    return True
