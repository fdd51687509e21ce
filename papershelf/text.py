"""Text from dumps made safe to show and pleasant to read.

Every function here runs once per paper on import (up to a million papers), so each
one has a fast path that returns its input untouched when there is nothing to do.

`sanitize` is the safety rule: dump text reaches a terminal, so control characters,
escape sequences and bidi overrides must never survive. `clean_latex` is cosmetic:
abstracts scraped from arXiv keep LaTeX leftovers (`\\textit{X}`, `$x^2$`, `\\%`,
`url{...}`, words tied with `~`) that read badly and defeat search.
"""

from __future__ import annotations

import re
import unicodedata

_LINE_BREAKS = "\v\f\r\x85\u2028\u2029"
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROPPED = [c for c in range(0x20) if chr(c) not in "\n\t" + _LINE_BREAKS]
_DROPPED += [0x7F, *(c for c in range(0x80, 0xA0) if chr(c) not in _LINE_BREAKS)]
_SANITIZE = {c: None for c in _DROPPED} | {ord(c): None for c in _BIDI}
_SANITIZE |= {ord(c): "\n" for c in _LINE_BREAKS}
_ASCII_DROP = bytes(c for c in _DROPPED if c < 0x80)
# A whole CSI or OSC sequence is dropped so no parameter digits are left behind; any other
# ESC simply disappears with the translate table.
_ESCAPE_SEQUENCE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?")


def sanitize(s: str) -> str:
    """Text safe to print in a terminal, line breaks normalised to `\\n`.

    Used at import and again at render, so text from an older library is safe too.
    """
    if "\x1b" in s:
        s = _ESCAPE_SEQUENCE.sub("", s)
    if "\r\n" in s:
        s = s.replace("\r\n", "\n")
    if s.isascii() and "\r" not in s and "\v" not in s and "\f" not in s:
        # bytes.translate is many times faster than str.translate on long ASCII text.
        raw = s.encode("ascii")
        kept = raw.translate(None, _ASCII_DROP)
        return s if len(kept) == len(raw) else kept.decode("ascii")
    return s.translate(_SANITIZE)


# Emoji sequences are drawn one cell wide, two, or one glyph per part, depending on the
# terminal, while Rich measures them as one glyph: a title holding one shifted every cell
# after it. Without the variation selectors and the joiners between pictographs each part
# is an ordinary character that every terminal and Rich measure alike.
_EMOJI_JOINS = re.compile("[\ufe0e\ufe0f]|\u200d(?=[\u2600-\u27bf\U0001f000-\U0001faff])")


def one_line(s: str) -> str:
    """Sanitized text on a single line, for titles and list rows, in characters whose
    width every terminal agrees on (see `_EMOJI_JOINS`)."""
    s = " ".join(sanitize(s).split())
    return s if s.isascii() else _EMOJI_JOINS.sub("", s)


def title_key(title: str) -> str:
    """The dedupe key of a title: case, punctuation, spacing and width do not matter.

    Callers pass the cleaned title (`clean_latex`), so `\\textit{X}` and `X` agree.
    The library hashes this into paper ids, so changing it changes ids.
    """
    if title.isascii():
        return title.lower().encode("ascii").translate(None, _ASCII_NOT_ALNUM).decode("ascii")
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", title).casefold())


_NOT_ALNUM = re.compile(r"[\W_]+")
_ASCII_NOT_ALNUM = bytes(c for c in range(128) if not chr(c).isalnum())

_GREEK_NAMES = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
    "tau upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
)
_GREEK_LETTERS = "αβγδεζηθικλμνξπρστυφχψωΓΔΘΛΞΠΣΥΦΨΩ"
_SYMBOLS = {
    **dict(zip(_GREEK_NAMES.split(), _GREEK_LETTERS, strict=True)),
    "varepsilon": "ε",
    "vartheta": "ϑ",
    "varphi": "φ",
    "varrho": "ϱ",
    "varsigma": "ς",
    "ell": "ℓ",
    "times": "×",
    "cdot": "·",
    "circ": "∘",
    "deg": "°",
    "pm": "±",
    "mp": "∓",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "∼",
    "simeq": "≃",
    "equiv": "≡",
    "propto": "∝",
    "ll": "≪",
    "gg": "≫",
    "rightarrow": "→",
    "to": "→",
    "leftarrow": "←",
    "gets": "←",
    "leftrightarrow": "↔",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "Leftrightarrow": "⇔",
    "mapsto": "↦",
    "uparrow": "↑",
    "downarrow": "↓",
    "infty": "∞",
    "partial": "∂",
    "nabla": "∇",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "sqrt": "√",
    "in": "∈",
    "notin": "∉",
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "∪",
    "cap": "∩",
    "forall": "∀",
    "exists": "∃",
    "emptyset": "∅",
    "top": "⊤",
    "dagger": "†",
    "star": "⋆",
    "ldots": "…",
    "dots": "…",
    "cdots": "…",
    "langle": "⟨",
    "rangle": "⟩",
    "mid": "|",
    "vert": "|",
    "textasciitilde": "~",
    "textbar": "|",
    "eg": "e.g.",
    "ie": "i.e.",
    "etal": "et al.",
    "etc": "etc.",
    "vs": "vs.",
    "wrt": "w.r.t.",
    "cf": "cf.",
    "quad": " ",
    "qquad": " ",
    "break": " ",
    "newline": " ",
    "linebreak": " ",
    "par": " ",
    "hfill": " ",
}
# Commands whose argument is the text itself: drop the command, keep what follows.
_WRAPPER_NAMES = (
    "textit textbf textrm textsf texttt textsc textup textnormal textmd emph underline "
    "mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathnormal boldsymbol bm "
    "text mbox hbox operatorname footnote url left right big Big bigg Bigg"
)
_WRAPPERS = frozenset(_WRAPPER_NAMES.split())
# Same, written without their backslash (the scraper that made the dumps ate it).
_BARE_WRAPPERS = ("url{", "text{", "textit{", "textbf{", "texttt{", "emph{", "mathrm{", "mathbf{")
_ESCAPED = {
    "%": "%",
    "&": "&",
    "_": "_",
    "#": "#",
    "$": "$",
    "{": "{",
    "}": "}",
    ",": " ",
    ";": " ",
    ":": " ",
    " ": " ",
    "\\": " ",
    "!": "",
    "(": "",
    ")": "",
    "[": "",
    "]": "",
}
_ACCENTS = {
    '"': "\u0308",
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
}

# One pass over the text: every alternative starts with one of a few characters, so the
# regex engine skips everything else at C speed.
_LATEX = re.compile(
    r"""
    [\\$_^{}~]
    (?:
      (?<=\\)(?P<accent>["'`^~=.])\{?(?P<letter>[A-Za-z])\}?
    | (?<=\\)(?P<command>[A-Za-z]+)\*?(?:(?<=eg|ie|al|tc|vs|rt|cf)\.)?
    | (?<=\\)(?P<escaped>[\s\S])
    | (?<=\$)(?P<math>(?!\d[\d,.]*\s)(?=\S)(?P<math_body>[^$\n]{1,80}?)(?<=[^\s\\])\$)
    | (?<=\$)(?P<dollar>)(?!\d)
    | (?<=[_^])(?P<script>\{[^{}\\]*\})
    | (?<=\{)(?P<empty>\})
    | (?<=[{}])(?P<brace>)
    | (?<=[A-Za-z]~)(?P<tie>)(?=\S)
    | (?<=[A-Za-z]~)(?P<tie_end>)
    )
    """,
    re.VERBOSE,
)
_BARE_WRAPPER = re.compile(
    r"(?<![A-Za-z\\])(?:" + "|".join(w[:-1] for w in _BARE_WRAPPERS) + r")(?=\{)"
)
# `https://x.io/{here}`: the link text of an `\href` whose backslash and braces were lost.
_HREF_TEXT = re.compile(r"(https?://[^\s{}]+)\{[^{}]*\}")
# `sim50%`: a `\sim` that lost its backslash in front of a percentage.
_APPROX = re.compile(r"sim(?<![A-Za-z]sim)(?=\d+(?:\.\d+)?\\?%)")
_SPACES = re.compile(r"  +")


def _replace(m: re.Match[str]) -> str:
    kind = m.lastgroup
    if kind == "letter":
        return unicodedata.normalize("NFC", m["letter"] + _ACCENTS[m["accent"]])
    if kind == "command":
        name = m["command"]
        if name in _WRAPPERS:
            return " " if name == "footnote" else ""
        text = _SYMBOLS.get(name, name)
        if m[0].endswith(".") and not text.endswith("."):
            text += "."
        return text
    if kind == "escaped":
        return _ESCAPED.get(m["escaped"], m["escaped"])
    if kind == "math":
        return _LATEX.sub(_replace, m["math_body"])
    if kind in ("script", "empty"):
        return m[0]
    if kind == "tie":
        return " "
    return ""


def clean_latex(s: str) -> str:
    """The shown and searched form of a title or abstract, LaTeX leftovers rewritten.

    Never raises: unknown commands lose their backslash, unbalanced braces vanish, and a
    `$` followed by a digit is taken for money and kept.
    """
    if "\\" not in s and "$" not in s and "{" not in s and "}" not in s and "~" not in s:
        return s
    if "{" in s:
        if any(wrapper in s for wrapper in _BARE_WRAPPERS):
            s = _BARE_WRAPPER.sub("", s)
        if "://" in s:
            s = _HREF_TEXT.sub(r"\1", s)
    if "sim" in s:
        s = _APPROX.sub("~", s)
    s = _LATEX.sub(_replace, s)
    if "  " in s:
        s = _SPACES.sub(" ", s)
    return s
