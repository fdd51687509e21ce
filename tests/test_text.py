"""Dump text is safe in a terminal, reads without LaTeX debris, and dedupes by title."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from importers import open_dump
from papershelf.text import clean_latex, one_line, sanitize, title_key

DUMPS = Path(__file__).resolve().parents[1] / ".." / "shared" / "dumps"
UNSAFE = {chr(c) for c in range(0x20) if chr(c) not in "\n\t"} | {chr(c) for c in range(0x7F, 0xA0)}
UNSAFE |= set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def test_sanitize_keeps_ordinary_text_unchanged() -> None:
    """Plain text, newlines, tabs and non-Latin letters pass through as they are."""
    text = "Tiny Models (TM) reach 90% on X/Y.\n\tSecond line: naïve, 東京, μ-law."
    assert sanitize(text) == text


def test_sanitize_drops_control_characters() -> None:
    """C0 controls other than newline and tab, DEL and C1 controls disappear."""
    assert sanitize("a\x00b\x07c\x08d\x7fe\x9bf\x90g") == "abcdefg"


def test_sanitize_drops_terminal_escape_sequences() -> None:
    """Colour codes, cursor moves and OSC hyperlinks cannot reach the terminal."""
    text = "\x1b[31mred\x1b[0m \x1b[2J\x1b]8;;http://evil.example\x07click\x1b]8;;\x07 \x1bcdone"
    assert sanitize(text) == "red click cdone"


def test_sanitize_drops_bidi_overrides() -> None:
    """Right-to-left overrides and isolates cannot reorder what the reader sees."""
    assert sanitize("abc\u202edcba\u202c \u2066x\u2069 \u200fy\u061c") == "abcdcba x y"


def test_sanitize_turns_every_line_break_into_newline() -> None:
    """CRLF, CR, form feed and Unicode line separators become plain newlines."""
    assert sanitize("a\r\nb\rc\fd\u2028e\u2029f\x85g") == "a\nb\nc\nd\ne\nf\ng"


@given(st.text())
def test_sanitize_never_lets_an_unsafe_character_through(text: str) -> None:
    """Whatever the input, the output holds no control, escape or bidi character."""
    assert not set(sanitize(text)) & UNSAFE


def test_one_line_collapses_all_whitespace() -> None:
    """Newlines, tabs, form feeds and line separators become single spaces."""
    assert one_line("  A\n title\t with\f\u2028 breaks \x1b[1m ") == "A title with breaks"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (r"we introduce \textit{DiffuseKronA}, a", "we introduce DiffuseKronA, a"),
        (r"\textbf{Bold} \emph{em} \texttt{tt} $\mathrm{rm}$", "Bold em tt rm"),
        (r"\textbf{Outer \textbf{Inner Words} (OIW)", "Outer Inner Words (OIW)"),
        (r"at 384\times384 resolution", "at 384×384 resolution"),
        (r"for $100\times$ faster", "for 100× faster"),
        (r"costs $x^2$ and $\alpha + \beta$", "costs x^2 and α + β"),
        (r"Model$\cdot$Net", "Model·Net"),
        (r"$\leq$ $\geq$ $\approx$ $\sim$ $\pm$ $\rightarrow$ $\infty$", "≤ ≥ ≈ ∼ ± → ∞"),
        (
            r"tasks (\eg prompts) and (\ie, GSM8K), \etal. claim",
            "tasks (e.g. prompts) and (i.e., GSM8K), et al. claim",
        ),
        (r"up to 50\% and 3\% faster", "up to 50% and 3% faster"),
        ("a Model~(M) tied to Task~Arithmetic", "a Model (M) tied to Task Arithmetic"),
        ("about ~20% and 1%~4% approximations", "about ~20% and 1%~4% approximations"),
        ("results on {GSM8K} and {MathQA}", "results on GSM8K and MathQA"),
        ("code at url{https://example.org/tool}.", "code at https://example.org/tool."),
        ("page https://x.example.io/{https://x.example.io/}.", "page https://x.example.io/."),
        ("page https://x.example.io/demo/{here}.", "page https://x.example.io/demo/."),
        (r"360{\deg} views with {\Lambda}-shaped masks", "360° views with Λ-shaped masks"),
        (r"Rozi\`ere and na\"ive", "Rozière and naïve"),
        (r"time \( O(n^2) \) only", "time O(n^2) only"),
        (r"by sim50\% overall", "by ~50% overall"),
        ("scale of 1/text{depth} here", "scale of 1/depth here"),
        (r"shift\&add and a\_b", "shift&add and a_b"),
        (r"5.18\times$ faster and 42.9%$ less", "5.18× faster and 42.9% less"),
    ],
)
def test_clean_latex_rewrites_latex_leftovers(raw: str, clean: str) -> None:
    """LaTeX commands, math delimiters, ties and stray braces read as plain text."""
    assert clean_latex(raw) == clean


def test_clean_latex_leaves_plain_text_alone() -> None:
    """Text without LaTeX markers is returned exactly as given."""
    text = "We train 7B models (90% fewer FLOPs) - see https://github.com/o/r_x. Done!"
    assert clean_latex(text) == text


def test_clean_latex_keeps_money_and_templates() -> None:
    """Dollar amounts and an empty `{}` placeholder are text, not LaTeX."""
    text = "a budget of $1,000 and $2 per run, prompts like 'a photo of a {}'"
    assert clean_latex(text) == text


def test_clean_latex_keeps_subscript_groups() -> None:
    """`G_{BP}` keeps its braces so the subscript stays readable."""
    assert clean_latex("bands G_{BP} and G_{RP}") == "bands G_{BP} and G_{RP}"


@given(st.text(alphabet=st.sampled_from("\\${}~_^%&a1 (xt.'\"`"), max_size=60) | st.text())
def test_clean_latex_never_raises(text: str) -> None:
    """Any input, however malformed, gives back a string."""
    assert isinstance(clean_latex(text), str)


def test_title_key_ignores_case_spacing_and_punctuation() -> None:
    """Titles that differ only in case, spaces and punctuation share one key."""
    assert title_key("Foo Bar: baz") == title_key("FooBar baz") == title_key("foo-bar baz.")


def test_title_key_folds_width_and_case_variants() -> None:
    """Full-width letters and German sharp s match their plain forms."""
    assert title_key("Ｌｏｒａ Straße") == title_key("LoRA strasse")


def test_title_key_keeps_letters_of_every_script() -> None:
    """Non-Latin titles keep their letters, so different titles stay different."""
    assert title_key("Модель μ-Law") == "модельμlaw"
    assert title_key("Scaling Laws v2") != title_key("Scaling Laws v3")


def test_title_key_of_punctuation_only_is_empty() -> None:
    """A title with no letters or digits has no key, so the importer can reject it."""
    assert title_key(" -- : ?! ") == ""


def _real_papers() -> list:
    files = sorted(DUMPS.glob("*.txt")) if DUMPS.is_dir() else []
    if not files:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"real dumps missing from {DUMPS.resolve()} and CI is set")
        pytest.skip(f"real dumps not present at {DUMPS.resolve()} (outside CI)")
    return [paper for path in files for paper in open_dump(path).papers()]


def test_real_abstracts_keep_no_backslash_after_cleaning() -> None:
    """No title or abstract of the real dumps shows a LaTeX backslash once cleaned."""
    for paper in _real_papers():
        assert "\\" not in clean_latex(paper.title) + clean_latex(paper.abstract)
