"""BibTeX for a view or a list, for readers who cite from papershelf.

One `@misc` entry per paper, in the arXiv style (`eprint`, `archiveprefix`) when the
arXiv id is known. Keys are built from the paper alone (first author's surname, year,
first title word, as Google Scholar does), so a paper keeps its key from one export to
the next; only papers whose keys would collide within one export get their id appended.

Dump text is never trusted as LaTeX: every special character is escaped, and braces
become `\\textbraceleft{}` rather than `\\{` because BibTeX counts backslashed braces
too, so one stray brace in a title would otherwise swallow the rest of the file.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from papershelf.links import safe_url
from papershelf.models import Paper
from papershelf.text import one_line

_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
_STOPWORDS = frozenset(
    ("a", "an", "the", "on", "of", "for", "in", "to", "with", "and", "or", "at", "by", "via")
)
_NEW_ARXIV = re.compile(r"(\d{2})(\d{2})\.\d{4,5}")
_OLD_ARXIV = re.compile(r"[a-z.-]+/(\d{2})\d{5}", re.IGNORECASE)
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9.:-]+")
_ARXIV_LINK = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)|huggingface\.co/papers)/(\d{4}\.\d{4,5})(?!\d)"
)
_YEAR = re.compile(r"(?:19|20)\d{2}(?!\d)")


def escape(text: str) -> str:
    return one_line(text).translate(_ESCAPES)


def ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.findall(r"[a-z0-9]+", folded.lower())


def arxiv_id(paper: Paper) -> str | None:
    """The paper's arXiv id, stored or named by its links (arxiv.org or Hugging Face's
    paper pages): text dumps carry no id field, but sometimes such a link. Links naming
    two ids may cite other work, so then neither is taken."""
    if paper.arxiv_id:
        return paper.arxiv_id
    named = {match.group(1) for link in paper.links if (match := _ARXIV_LINK.search(link.url))}
    return named.pop() if len(named) == 1 else None


def year(paper: Paper) -> str:
    """The year an arXiv id encodes, else the year of the paper's date label (the day
    Hugging Face featured it); a text dump without either states no year."""
    known = arxiv_id(paper) or ""
    if match := _NEW_ARXIV.fullmatch(known):
        return f"20{match.group(1)}"
    if match := _OLD_ARXIV.fullmatch(known):
        yy = int(match.group(1))
        return f"{1900 + yy if yy >= 91 else 2000 + yy}"
    if match := _YEAR.match(paper.date_label or ""):
        return match.group(0)
    return ""


def base_key(paper: Paper) -> str:
    """`surname` + year + first title word, as Google Scholar does; without an author the
    title word comes first (`shadowkv2024`), and without a year too the next title word
    that says something new is added (`shadowkvcache`, never `shadowkvkv`)."""
    words = [w for w in ascii_words(paper.title) if w not in _STOPWORDS] or ["paper"]
    surname = (ascii_words(paper.authors[0]) or [""])[-1] if paper.authors else ""
    when = year(paper)
    if surname:
        return f"{surname}{when}{words[0]}"
    if when:
        return f"{words[0]}{when}"
    second = next((w for w in words[1:] if w not in words[0]), "")
    return words[0] + second


def keys(papers: Sequence[Paper]) -> list[str]:
    """One unique key per paper; a colliding key gets the paper's id, which is unique."""
    bases = [base_key(p) for p in papers]
    counts = Counter(bases)
    return [
        base if counts[base] == 1 else f"{base}:{_KEY_UNSAFE.sub('-', paper.arxiv_id or paper.id)}"
        for base, paper in zip(bases, papers, strict=True)
    ]


def author_field(names: Sequence[str]) -> str:
    """Names joined by "and"; a name containing the word "and" is braced so it stays one."""
    out = []
    for name in names:
        escaped = escape(name)
        out.append(f"{{{escaped}}}" if re.search(r"\band\b", escaped, re.IGNORECASE) else escaped)
    return " and ".join(out)


def paper_url(paper: Paper) -> str | None:
    if known := arxiv_id(paper):
        return f"https://arxiv.org/abs/{known}"
    for kinds in (("paper", "project"), ("code",)):
        for link in paper.links:
            if link.kind in kinds and (url := safe_url(link.url)):
                return url
    return None


def entry(paper: Paper, key: str) -> str:
    fields = [("title", f"{{{escape(paper.title)}}}")]
    if paper.authors:
        fields.append(("author", author_field(paper.authors)))
    if when := year(paper):
        fields.append(("year", when))
    if eprint := arxiv_id(paper):
        fields.extend([("eprint", escape(eprint)), ("archiveprefix", "arXiv")])
    url = paper_url(paper)
    if url and "{" not in url and "}" not in url and "\\" not in url:
        fields.append(("url", url))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@misc{{{key},\n{body}}}\n"


def bibtex(papers: Sequence[Paper]) -> str:
    """The papers as BibTeX, in the order given, each paper once."""
    unique = list({p.id: p for p in papers}.values())
    return "\n".join(entry(p, k) for p, k in zip(unique, keys(unique), strict=True))
