"""What a dump's bytes say before any format looks at them: size, binary or text, encoding, hash.

Every format gets the same checks and the same one-line errors. The whole file is read
once here, so a file that would fail half-way through decoding is refused (or read as
cp1252, with a warning) before a single paper reaches the library, and the hash the
library uses to skip re-imports comes from the same pass.
"""

from __future__ import annotations

import codecs
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

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
_HTML_TAGS = ("<!doctype html", "<html", "<head", "<body", "<meta", "<div")


@dataclass(frozen=True, slots=True)
class TextFile:
    """A file known to be non-empty text in `encoding`; `head` is its decoded start."""

    encoding: str
    sha256: str
    size: int
    head: str
    warnings: tuple[str, ...]
    errors: str = "strict"


def inspect(path: Path, encoding: str | None, max_bytes: int) -> TextFile:
    """Check the file and choose its encoding; `encoding` forces one and disables fallback."""
    name = str(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DumpError(name, "is a directory, not a dump file")
        if not path.is_file():  # a pipe or a device would block or never end
            raise DumpError(name, "not a regular file")
        if size > max_bytes:
            megabytes = math.ceil(size / 2**20)
            raise DumpError(name, f"file is {megabytes} MB, over the {max_bytes // 2**20} MB limit")
        with path.open("rb") as f:
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
        digest, failure, has_text = _read_through(path, chosen, check_nul=not wide)
        warnings: tuple[str, ...] = ()
        errors = "strict"
        if failure is not None and failure.endswith(_CUT):
            # A download cut mid-character: reading the whole file as cp1252 would garble
            # every non-ASCII title in it, so only the incomplete character goes.
            errors = "ignore"
            warnings = (f"{name}: {failure}; the incomplete character is dropped",)
        elif failure is not None and encoding is None and chosen == "utf-8":
            chosen = "cp1252" if _decodes(path, "cp1252") else "latin-1"
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
    return TextFile(chosen, digest, size, text, warnings, errors)


def _looks_binary(head: bytes) -> bool:
    if head.startswith(_MAGIC) or b"\x00" in head:
        return True
    return len(head.translate(None, _NOT_CONTROL)) * 10 > len(head)


def _looks_html(text: str) -> bool:
    lead = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    return lead.startswith("<") and any(tag in lead for tag in _HTML_TAGS)


def _read_through(path: Path, encoding: str, check_nul: bool) -> tuple[str, str | None, bool]:
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
    with path.open("rb") as f:
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


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    with path.open("rb") as f:
        try:
            while chunk := f.read(_CHUNK):
                decoder.decode(chunk)
        except UnicodeDecodeError:
            return False
    return True
