"""The importers package: opening, decoding and parsing Daily Papers text dumps."""

from __future__ import annotations

import codecs
import hashlib
import sqlite3
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers import FORMATS, MAX_BYTES, Dump, detect, hf_text, open_dump, parse_text
from papershelf.models import DumpError, ParsedPaper

FIXTURES = Path(__file__).parent / "fixtures" / "dumps"
SEPARATORS = "\x0c\x0b\x1c\x1d\x1e\x85\u2028\u2029"


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def write(tmp_path: Path, data: str | bytes, name: str = "dump.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def read(path: Path, encoding: str | None = None) -> tuple[Dump, list[ParsedPaper]]:
    dump = open_dump(path, encoding)
    return dump, list(dump.papers())


def cards(papers: list[ParsedPaper]) -> list[tuple[str, str, str | None]]:
    return [(p.title, p.abstract, p.date_label) for p in papers]


# Layouts


def test_blank_line_layout_yields_one_paper_per_card() -> None:
    """A page saved with blank lines between lines gives each title its abstract."""
    dump, papers = read(FIXTURES / "blank_lines.txt")
    assert dump.format == "hf_text"
    assert [p.line for p in papers] == [11, 15, 19]
    assert papers[1].title == "Café-Bench: Can Agents Order a Coffee Without Spilling It?"
    assert papers[1].abstract.startswith("Benchmarks for web agents")
    assert all(p.date_label is None for p in papers)
    assert dump.warnings == []


def test_date_lines_label_the_papers_after_them() -> None:
    """Each date line labels the papers that follow it, up to the next date line."""
    dump, papers = read(FIXTURES / "dated.txt")
    assert [p.date_label for p in papers] == ["Mar 14", "Mar 14", "Mar 13", "Mar 13"]
    assert papers[2].title == "A Survey of Surveys of Large Language Models"
    assert dump.warnings == []


def test_compact_layout_unglues_subscribe_from_the_first_title() -> None:
    """A page saved without blank lines, header run into the first title, still parses."""
    dump, papers = read(FIXTURES / "compact.txt")
    assert [p.title for p in papers] == [
        "Distilling Teapots: Small Models from Large Kettles",
        "Sparse Orchards: Pruning Trees in Mixture-of-Experts Routers",
        "Echoes: Self-Consistency for Speech Recognition",
    ]
    assert [p.line for p in papers] == [3, 5, 7]
    assert dump.warnings == []


def test_headerless_title_abstract_pairs_are_recognised(tmp_path: Path) -> None:
    """A copy of just the cards, without the page header, is still a dump."""
    body = fixture_text("compact.txt").split("\n", 2)[2].removeprefix("Subscribe")
    dump, papers = read(write(tmp_path, body))
    assert len(papers) == 3 and dump.warnings == []


def test_stray_blank_lines_and_trailing_whitespace_change_nothing(tmp_path: Path) -> None:
    """Extra blank lines and trailing spaces or tabs do not alter any paper."""
    base = fixture_text("dated.txt")
    messy = "\n\n\n" + base.replace("\n", " \t\n\n\n").replace("Mar 13", "  Mar 13\t")
    _, expected = read(write(tmp_path, base, "clean.txt"))
    dump, papers = read(write(tmp_path, messy, "messy.txt"))
    assert cards(papers) == cards(expected)
    assert dump.warnings == []


def test_text_is_kept_raw_apart_from_surrounding_whitespace() -> None:
    """LaTeX, control characters and odd spacing inside a line reach the library untouched."""
    abstract = "We bound $\\mathcal{O}(n^2)$ costs.\x07 See \\url{https://x.org/a}  twice. Done."
    papers, warnings = parse_text(f"Subscribe\n\n  A Raw Title  \n\n\t{abstract}   \n")
    assert cards(papers) == [("A Raw Title", abstract, None)]
    assert warnings == []


# Line endings and separators


@pytest.mark.parametrize("newline", ["\r\n", "\r", "mixed"], ids=["crlf", "lone-cr", "mixed"])
def test_line_endings_do_not_change_papers_or_line_numbers(tmp_path: Path, newline: str) -> None:
    """CRLF, lone CR and mixed endings give the same papers on the same lines as LF."""
    base = fixture_text("dated.txt") * 40  # > 64 KiB, so CRLF pairs straddle read chunks
    if newline == "mixed":
        lines = base.split("\n")
        # A lone CR is always followed by a CRLF-ended line, so no CR+LF pair forms by accident.
        variant = "".join(ln + ("\r\n", "\n", "\r")[i % 3] for i, ln in enumerate(lines))
    else:
        variant = base.replace("\n", newline)
    _, expected = read(write(tmp_path, base, "lf.txt"))
    _, papers = read(write(tmp_path, variant, "variant.txt"))
    assert papers == expected
    assert len(papers) == 160


def test_separator_characters_inside_an_abstract_do_not_split_it(tmp_path: Path) -> None:
    """Form feeds, U+2028/U+2029, NEL and \\x1c-\\x1e inside an abstract stay inside it."""
    base = fixture_text("blank_lines.txt")
    odd = base.replace("matter to the query. We", "matter to the query." + SEPARATORS + "We")
    _, expected = read(write(tmp_path, base, "plain.txt"))
    dump, papers = read(write(tmp_path, odd, "odd.txt"))
    assert [p.line for p in papers] == [p.line for p in expected]
    assert SEPARATORS in papers[0].abstract
    assert papers[1:] == expected[1:]
    assert dump.warnings == []


# Encodings


@pytest.mark.parametrize(
    ("bom", "codec", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    ],
    ids=["utf-8-sig", "utf-16-le", "utf-16-be"],
)
def test_byte_order_marks_are_honoured(
    tmp_path: Path, bom: bytes, codec: str, encoding: str
) -> None:
    """A file starting with a BOM is read in that encoding, the BOM kept out of the title."""
    base = fixture_text("blank_lines.txt")
    _, expected = read(write(tmp_path, base, "plain.txt"))
    dump, papers = read(write(tmp_path, bom + base.encode(codec), "bom.txt"))
    assert dump.encoding == encoding
    assert papers == expected
    assert dump.warnings == []


def test_cp1252_file_is_read_with_a_warning_naming_the_first_bad_byte(tmp_path: Path) -> None:
    """A Windows-1252 file imports with correct accents and one warning saying where."""
    base = fixture_text("blank_lines.txt")
    data = base.encode("cp1252")
    bad = next(i for i, b in enumerate(data) if b > 127)
    path = write(tmp_path, data)
    _, expected = read(write(tmp_path, base, "utf8.txt"))
    dump, papers = read(path)
    assert dump.encoding == "cp1252"
    assert papers == expected
    line = data[:bad].count(b"\n") + 1
    assert dump.warnings == [f"{path}: not valid UTF-8 at byte {bad} (line {line}); read as cp1252"]


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    """A file that is neither UTF-8 nor cp1252 still imports, as latin-1, with a warning."""
    data = fixture_text("compact.txt").replace("Teapots", "Tea\x81pots").encode("latin-1")
    dump, papers = read(write(tmp_path, data))
    assert dump.encoding == "latin-1"
    assert papers[0].title.startswith("Distilling Tea\x81pots")
    assert "read as latin-1" in dump.warnings[0]


def test_a_forced_encoding_is_used_without_fallback_or_warning(tmp_path: Path) -> None:
    """encoding= overrides detection; if the file is not in it, the error says where."""
    path = write(tmp_path, fixture_text("blank_lines.txt").encode("cp1252"))
    dump, papers = read(path, encoding="cp1252")
    assert dump.encoding == "cp1252" and dump.warnings == [] and len(papers) == 3
    with pytest.raises(DumpError, match=r"not valid ascii text at byte \d+ \(line 15\)"):
        open_dump(path, encoding="ascii")
    with pytest.raises(DumpError, match="unknown encoding 'klingon'"):
        open_dump(path, encoding="klingon")


def test_dump_reports_size_and_sha256_of_the_raw_bytes(tmp_path: Path) -> None:
    """The hash and size the library uses to skip re-imports are those of the file's bytes."""
    data = codecs.BOM_UTF8 + fixture_text("compact.txt").encode()
    dump = open_dump(write(tmp_path, data))
    assert dump.sha256 == hashlib.sha256(data).hexdigest()
    assert dump.size == len(data)


# Files that are refused


@pytest.mark.parametrize("data", [b"", b"  \n\n\t \r\n"], ids=["empty", "whitespace"])
def test_empty_files_are_refused(tmp_path: Path, data: bytes) -> None:
    """An empty or whitespace-only file is refused as empty."""
    path = write(tmp_path, data)
    with pytest.raises(DumpError) as caught:
        open_dump(path)
    assert str(caught.value) == f"{path}: empty file"


def test_binary_files_are_refused(tmp_path: Path) -> None:
    """PNGs, SQLite databases, NUL bytes and control-character soup are not text dumps."""
    db = tmp_path / "library.db"
    with sqlite3.connect(db) as conn:
        conn.execute("create table t (x)")
    conn.close()
    text = fixture_text("blank_lines.txt")
    samples = [
        db,
        write(tmp_path, b"\x89PNG\r\n\x1a\n" + b"Subscribe\n" * 50, "image.png"),
        write(tmp_path, text.encode() + b"\x00\x00", "nul.txt"),
        write(tmp_path, (text * 20).encode() + b"\x00", "late-nul.txt"),
        write(tmp_path, bytes(range(1, 9)) * 200 + b"Subscribe\n", "controls.txt"),
    ]
    for path in samples:
        with pytest.raises(DumpError, match=r"not a text dump \(binary data\)$"):
            open_dump(path)


def test_an_html_page_is_refused_with_advice(tmp_path: Path) -> None:
    """A page saved as HTML is refused with a hint to save it as text."""
    html = "<!DOCTYPE html>\n<html><head><title>Daily Papers</title></head><body>Subscribe</body>"
    with pytest.raises(DumpError, match="looks like an HTML page, not a text dump; save the page"):
        open_dump(write(tmp_path, html, "page.html"))


def test_files_over_the_size_limit_are_refused_before_reading(tmp_path: Path) -> None:
    """An oversized file is refused by its size alone (its NUL bytes are never looked at)."""
    path = tmp_path / "huge.txt"
    with path.open("wb") as f:
        f.truncate(MAX_BYTES + 1)
    with pytest.raises(DumpError) as caught:
        open_dump(path)
    assert str(caught.value) == f"{path}: file is 513 MB, over the 512 MB limit"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("Dear diary,\nToday I read nothing at all.\nTomorrow maybe.\n", "no page header"),
        ('[{"title": "A", "summary": "B"}]', "JSON that no importer recognises"),
        ("# Reading list\n\n- [A Paper](https://example.org)\n" + "Long prose. " * 40, "no page"),
    ],
    ids=["prose", "json", "markdown"],
)
def test_other_text_files_are_refused_with_a_reason(tmp_path: Path, text: str, why: str) -> None:
    """Text that is not a Daily Papers page is refused and the message says why."""
    with pytest.raises(DumpError, match=f"not a Hugging Face Daily Papers dump: {why}"):
        open_dump(write(tmp_path, text))


def test_missing_paths_and_directories_are_refused(tmp_path: Path) -> None:
    """A path that is not a readable file gives a one-line DumpError, not a traceback."""
    with pytest.raises(DumpError, match="No such file"):
        open_dump(tmp_path / "absent.txt")
    with pytest.raises(DumpError, match="is a directory"):
        open_dump(tmp_path)


def test_a_header_without_papers_is_an_error(tmp_path: Path) -> None:
    """A page header with no cards raises when parsed, so nothing empty gets imported."""
    dump = open_dump(write(tmp_path, "new\n\nSubscribe\n\nDaily Papers\n\nMar 14\n"))
    with pytest.raises(DumpError, match="no papers found"):
        list(dump.papers())


# Repairs with warnings


def test_a_last_title_without_abstract_is_kept_with_a_warning() -> None:
    """A cut-off last card keeps its title, an empty abstract and a warning with its line."""
    path = FIXTURES / "missing_last_abstract.txt"
    dump, papers = read(path)
    assert cards(papers)[-1] == ("Why Do Small Models Forget Arithmetic?", "", None)
    assert dump.warnings == [f"{path}:11: title with no abstract"]


def test_two_titles_in_a_row_keep_both_papers() -> None:
    """A title followed by another title becomes a paper with no abstract, and a warning."""
    path = FIXTURES / "two_titles_in_a_row.txt"
    dump, papers = read(path)
    assert [(p.title[:14], bool(p.abstract)) for p in papers] == [
        ("Lantern Attent", True),
        ("Origami Diffus", False),
        ("Tiny Recursive", True),
    ]
    assert dump.warnings == [f"{path}:11: title with no abstract"]


def test_short_or_unfinished_abstracts_still_follow_their_titles() -> None:
    """A one-sentence abstract, or one cut off mid-sentence, is not taken for a title."""
    cut = "Abstracts on the page are sometimes cut off in the middle of a long sentence " * 2
    text = f"Subscribe\nFirst Title\nWe show one thing.\nSecond Title\n{cut}\nThird Title\nOk."
    papers, warnings = parse_text(text)
    assert [p.abstract for p in papers] == ["We show one thing.", cut.strip(), "Ok."]
    assert warnings == []


def test_an_abstract_without_title_is_skipped_with_a_warning() -> None:
    """A copy that starts mid-card drops the orphan abstract and says so."""
    text = fixture_text("compact.txt").split("\n", 3)[3]  # starts at the first abstract
    papers, warnings = parse_text(text)
    assert [p.title[:6] for p in papers] == ["Sparse", "Echoes"]
    assert warnings == ["<text>:1: abstract with no title before it; skipped"]


def test_an_unknown_header_line_is_skipped_not_made_a_paper() -> None:
    """An unfamiliar line among the page header lines is dropped with a warning."""
    text = fixture_text("dated.txt").replace("Subscribe\n", "Subscribe\n\nTrending this week\n")
    papers, warnings = parse_text(text)
    assert len(papers) == 4
    assert warnings == ["<text>:7: unrecognised page header line; skipped"]


def test_concatenated_pages_parse_without_warnings() -> None:
    """Two saved pages in one file give both pages' papers, each with its own date."""
    text = fixture_text("dated.txt") + "\n" + fixture_text("blank_lines.txt")
    papers, warnings = parse_text(text)
    assert [p.date_label for p in papers] == ["Mar 14", "Mar 14", "Mar 13", "Mar 13"] + [None] * 3
    assert warnings == []


def test_a_line_too_long_for_a_title_is_not_taken_as_one() -> None:
    """A 5,000-character line where a title belongs is skipped, and parsing carries on."""
    junk = "word " * 1000
    text = fixture_text("dated.txt").replace("Mar 13\n", f"Mar 13\n\n{junk}\n")
    papers, warnings = parse_text(text)
    assert len(papers) == 4
    assert warnings == ["<text>:21: abstract with no title before it; skipped"]


def test_an_enormous_line_stops_the_import_naming_the_line(tmp_path: Path) -> None:
    """A single line over 200,000 characters raises a DumpError with its line number."""
    text = fixture_text("blank_lines.txt").replace("Why Do Small", "x" * 300_000)
    dump = open_dump(write(tmp_path, text))
    with pytest.raises(DumpError) as caught:
        list(dump.papers())
    assert str(caught.value) == (
        f"{dump.path}:19: line longer than 200,000 characters: not a title or an abstract"
    )


def test_a_huge_single_line_file_is_refused_in_little_memory(tmp_path: Path) -> None:
    """A 32 MB one-line file is refused without holding the line in memory."""
    path = write(tmp_path, b"Subscribe\n" + b"abcd " * (32 * 2**20 // 5))
    tracemalloc.start()
    try:
        dump = open_dump(path)
        with pytest.raises(DumpError, match=":2: line longer than"):
            list(dump.papers())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * 2**20


# Registry and helpers


def test_detect_and_registry_name_the_hf_text_format() -> None:
    """detect() returns the registered format object a file will be parsed with."""
    fmt = detect(FIXTURES / "compact.txt")
    assert fmt.name == "hf_text" and fmt in FORMATS


def test_dump_error_is_one_line_with_path_and_line() -> None:
    """DumpError renders as path:line: problem, or path: problem without a line."""
    assert str(DumpError("a.txt", "bad thing", 7)) == "a.txt:7: bad thing"
    assert str(DumpError("a.txt", "bad thing")) == "a.txt: bad thing"


def test_parse_text_rejects_unknown_format_names() -> None:
    """Asking for a format nobody registered is a programming error, named clearly."""
    with pytest.raises(ValueError, match="unknown dump format 'bibtex'"):
        parse_text("x", fmt="bibtex")


# Properties

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéßø", min_size=2, max_size=9)
TITLES = (
    st.lists(WORD, min_size=2, max_size=10)
    .map(lambda ws: " ".join(ws).capitalize())
    .filter(lambda t: hf_text.classify(t, False) == "title" and not t.startswith("Subscribe"))
)
SENTENCES = st.lists(WORD, min_size=3, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")
GAPS = st.sampled_from([" ", " ", " ", *SEPARATORS, " \x0c "])
GAP_LINES = ["\n", "\n\n", "\n\n\n", "\n \n"]
HEADERS = {
    "blank": ["new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers"],
    "dated": ["new", "Subscribe", "byAK and the research community"],
    "compact": ["Get trending papers in your email inbox once a day!"],
    "none": [],
}


@st.composite
def abstracts(draw: st.DrawFn) -> str:
    sentences = draw(st.lists(SENTENCES, min_size=2, max_size=4))
    text = sentences[0]
    for sentence in sentences[1:]:
        text += draw(GAPS) + sentence
    return text


@st.composite
def dumps(draw: st.DrawFn) -> tuple[str, list[tuple[str, str, str | None]]]:
    """A well-formed dump in a random layout, with the cards it should parse into."""
    layout = draw(st.sampled_from(sorted(HEADERS)))
    lines = list(HEADERS[layout])
    expected: list[tuple[str, str, str | None]] = []
    date = None
    for title, abstract in draw(st.lists(st.tuples(TITLES, abstracts()), min_size=1, max_size=4)):
        if draw(st.booleans()):
            date = draw(st.sampled_from(["Mar 14", "Mar 13", "Feb 2", "2024-12-30"]))
            lines.append(date)
        lines += [title, abstract]
        expected.append((title, abstract, date))
    if layout == "compact" and lines[1] == expected[0][0]:
        lines[1] = "Subscribe" + lines[1]
    text = ""
    for line in lines:
        text += line + draw(st.sampled_from(["", " ", "\t "])) + draw(st.sampled_from(GAP_LINES))
    return text, expected


@given(dumps())
def test_generated_dumps_parse_back_to_their_cards(
    case: tuple[str, list[tuple[str, str, str | None]]],
) -> None:
    """Any well-formed dump in any layout parses to exactly its cards, with no warnings."""
    text, expected = case
    papers, warnings = parse_text(text)
    assert cards(papers) == expected
    assert warnings == []


@given(dumps())
def test_generated_dumps_ignore_line_ending_style(
    case: tuple[str, list[tuple[str, str, str | None]]],
) -> None:
    """Converting a dump to CRLF or to lone CR changes no paper and no warning."""
    text, _ = case
    assert parse_text(text.replace("\n", "\r\n")) == parse_text(text)
    assert parse_text(text.replace("\n", "\r")) == parse_text(text)


@given(st.text(alphabet=st.characters(exclude_characters="\r")))
def test_any_text_ignores_line_ending_style(text: str) -> None:
    """Even for arbitrary text, CRLF and lone CR parse exactly like LF."""
    assert parse_text(text.replace("\n", "\r\n")) == parse_text(text)
    assert parse_text(text.replace("\n", "\r")) == parse_text(text)
