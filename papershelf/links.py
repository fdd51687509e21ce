"""URLs found in abstracts, repaired, made safe, canonical and classified.

Abstracts are scraped text, so URLs arrive damaged: wrapped in LaTeX (`url{...}`,
`https://x.io/{https://x.io/}`, `https://x.io/{here}`), glued to sentence punctuation and
brackets, written without a scheme (`github.com/o/r`, `www.x.org`), split by a stray
space (`https://github. com/o/r`, `https://github.com/o/efficient- NLP`), or pointing at a
mirror (`huface.online`). A space inside a repository name (`.../PETL AST`) cannot be told
from prose and is left cut at the space.

Canonical form: https for the well-known hosts below and no `www.` on them; mirrors
rewritten to the host they mirror with `original` keeping the URL as written; a code
repository's `.git` suffix and a known host's trailing `/` dropped. Links are
deduplicated on this form, so `https://x.io/{https://x.io/}` is one link.

Kinds:
- code: github.com, gitlab.com, bitbucket.org, gitee.com, codeberg.org, sourceforge,
  pypi.org, and self-hosted `git.*` / `gitlab.*` hosts, when the URL has a path
  (a bare `https://github.com` is "other"). `*.github.io` pages are projects.
- model / dataset / space / collection / paper: huggingface.co/<org>/<name>,
  /datasets/..., /spaces/..., /collections/..., /papers/...; modelscope.cn likewise.
  A Hugging Face page that is none of these (an org page, docs, blog) is "other".
- paper: arxiv.org and a few paper archives (OpenReview, ACL Anthology, doi.org).
- other: URL shorteners (goo.gl, bit.ly, aka.ms, ...), whose target is unknown.
- project: every other http(s) site.

Safety: `safe_url` is the single gate; `extract_links` and `links_from_urls` only return
URLs it accepts, which the TUI relies on before opening or copying one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import quote, urlsplit, urlunsplit

from papershelf.models import Link

CODE_HOSTS = frozenset(
    "github.com gist.github.com gitlab.com bitbucket.org gitee.com codeberg.org "
    "sourceforge.net pypi.org".split()
)
PAPER_HOSTS = frozenset(
    "arxiv.org openreview.net aclanthology.org doi.org dl.acm.org proceedings.mlr.press "
    "proceedings.neurips.cc papers.nips.cc ieeexplore.ieee.org".split()
)
SHORTENERS = frozenset(
    "goo.gl bit.ly tinyurl.com aka.ms ibm.biz t.co ow.ly is.gd buff.ly rb.gy cutt.ly t.ly "
    "tiny.cc s.id shorturl.at lnkd.in dub.sh git.io".split()
)
MIRRORS = {
    "huface.online": "huggingface.co",
    "hf-mirror.com": "huggingface.co",
    "hf.co": "huggingface.co",
    "export.arxiv.org": "arxiv.org",
}
# Hosts whose canonical form is https without `www.`; also the hosts a URL split by a
# stray space may be rejoined into.
KNOWN_HOSTS = CODE_HOSTS | PAPER_HOSTS | {"huggingface.co", "modelscope.cn"} | MIRRORS.keys()
_HUGGING_FACE_KINDS = {
    "datasets": "dataset",
    "spaces": "space",
    "collections": "collection",
    "papers": "paper",
}
_HUGGING_FACE_PAGES = frozenset(
    "docs blog learn models organizations tasks pricing join login settings".split()
)
_MODELSCOPE_KINDS = {"models": "model", "datasets": "dataset", "studios": "space"}

# Where a URL may be: a scheme separator, `www.`, or a bare domain followed by a path.
_ANCHOR = re.compile(
    r"://|www\.|\.(?:com|org|net|io|ai|co|cn|edu|dev|online|app)/", re.IGNORECASE
)
# A URL body runs to whitespace or a character URLs never contain unescaped; braces
# stop it too, because in these dumps they are LaTeX groups, never part of a URL.
_BODY = re.compile(r"""[^\s<>"{}\\|^`]*""")
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_BEFORE_BARE = frozenset("@/:._")
# `availableathttps://...`: the scheme is the http(s) at the end of the glued word.
_GLUED_SCHEME = re.compile(r"https?\Z", re.IGNORECASE)
_HOST_ONLY = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.")
_TRAILING = frozenset(".,;:!?'\"*")
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_UNSAFE_ASCII = re.compile(r"""[\x00-\x20\x7f\\<>"`]""")
_VALID_HOST = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
    r"|(?:\d{1,3}\.){3}\d{1,3}"
)
_PATH_SAFE = "/%:@!$&'()*+,;=-._~"
_QUERY_SAFE = _PATH_SAFE + "?"
MAX_URL = 2048


def safe_url(url: str) -> str | None:
    """The URL normalised for opening or copying, or None when it must not be used.

    Only http(s) with a real host: no other scheme (`javascript:`, `file:`, `data:`),
    no whitespace, control or bidi characters, no backslash, no `user@` part (a classic
    way to disguise the real host). A non-ASCII host is shown as punycode, so a
    look-alike of a known host cannot pass for it; a non-ASCII path is percent-encoded.
    """
    if not url or len(url) > MAX_URL or _UNSAFE_ASCII.search(url):
        return None
    if not url.isascii() and any(unicodedata.category(c)[0] in "CZ" for c in url):
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or "@" in parts.netloc or "[" in parts.netloc:
        return None
    host = (parts.hostname or "").rstrip(".")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None
    if not _VALID_HOST.fullmatch(host):
        return None
    netloc = f"{host}:{port}" if port is not None else host
    path = quote(parts.path, safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    fragment = quote(parts.fragment, safe=_QUERY_SAFE)
    return urlunsplit((scheme, netloc, path, query, fragment))


def extract_links(text: str) -> tuple[Link, ...]:
    """Every safe link of an abstract, in order of appearance, each canonical URL once."""
    if not _ANCHOR.search(text):
        return ()
    return _unique(_link(raw) for raw in _candidates(text))


def links_from_urls(urls: Iterable[str]) -> tuple[Link, ...]:
    """Links a dump gives as separate fields (a repo, a project page), made canonical."""
    return _unique(_link(url.strip()) for url in urls)


def code_url(links: Iterable[Link]) -> str | None:
    """The first code link: what the reader copies to clone the paper's code."""
    return next((link.url for link in links if link.kind == "code"), None)


def display_host(link: Link) -> str:
    """The host to show beside a link, naming the mirror it was written as, if any."""
    if link.original:
        written = urlsplit(link.original).hostname
        if written and written != link.host:
            return f"{link.host} (via {written})"
    return link.host


def _unique(links: Iterable[Link | None]) -> tuple[Link, ...]:
    seen: set[str] = set()
    found = []
    for link in links:
        if link is None:
            continue
        key = link.url.rstrip("/")
        if key not in seen:
            seen.add(key)
            found.append(link)
    return tuple(found)


def _candidates(text: str) -> Iterable[str]:
    """The raw URL strings of a text, repaired but not yet validated."""
    done = 0
    for anchor in _ANCHOR.finditer(text):
        at = anchor.start()
        if at < done:
            continue
        if anchor[0] == "://":
            start = at
            while start > 0 and text[start - 1] in _SCHEME_CHARS:
                start -= 1
            while start < at and not text[start].isalpha():
                start += 1
            if start == at:
                continue
            glued = _GLUED_SCHEME.search(text, start, at)
            if glued:
                start = glued.start()
            body_from = at + 3
        else:
            start = at
            while start > 0 and text[start - 1] in _HOST_CHARS:
                start -= 1
            if start > 0 and (text[start - 1] in _BEFORE_BARE or text[start - 1].isalnum()):
                continue
            while start < at and text[start] in ".-":
                start += 1
            if start == at and anchor[0][0] == ".":
                continue
            body_from = at + len(anchor[0])
        end = _BODY.match(text, body_from).end()
        end = _rejoin(text, start, end)
        done = end
        # The only whitespace a candidate can hold is the stray space `_rejoin` bridged.
        raw = _trim(text[start:end].replace(" ", ""))
        if raw:
            yield raw


def _rejoin(text: str, start: int, end: int) -> int:
    """Where a URL really ends when a stray space split it."""
    if end + 1 >= len(text) or text[end] != " " or not text[end + 1].isalnum():
        return end
    raw = text[start:end]
    after = _BODY.match(text, end + 1).end()
    if raw.endswith(".") and _HOST_ONLY.fullmatch(raw):
        host = raw.split("://")[-1] + text[end + 1 : after].split("/")[0]
        host = host.lower().removeprefix("www.")
        if host in KNOWN_HOSTS:
            return after
    elif raw.endswith("-") and raw[-2:-1].isalnum() and "/" in raw.split("://")[-1]:
        return after
    return end


def _trim(raw: str) -> str:
    """The URL without the sentence punctuation and unbalanced brackets around it."""
    while raw:
        last = raw[-1]
        if last in _CLOSERS:
            if raw.count(_CLOSERS[last]) >= raw.count(last):
                break
        elif last not in _TRAILING and (
            last.isascii() or not unicodedata.category(last).startswith("P")
        ):
            break
        raw = raw[:-1]
    return raw


def _link(raw: str) -> Link | None:
    """The canonical, classified link for a raw URL, or None if it is unsafe."""
    written = raw if "://" in raw else "https://" + raw
    url = safe_url(written)
    if url is None:
        return None
    parts = urlsplit(url)
    host = parts.hostname or ""
    bare = host.removeprefix("www.")
    original = None
    if bare in MIRRORS:
        original, bare = url, MIRRORS[bare]
    if bare not in KNOWN_HOSTS:
        return Link(url=url, kind=_kind(host, parts.path), host=host)
    path = parts.path.rstrip("/")
    if bare in CODE_HOSTS and path.endswith(".git") and path.count("/") == 2:
        path = path[: -len(".git")]
    netloc = bare if parts.port is None else f"{bare}:{parts.port}"
    url = urlunsplit(("https", netloc, path, parts.query, parts.fragment))
    return Link(url=url, kind=_kind(bare, path), host=bare, original=original)


def _kind(host: str, path: str) -> str:
    segments = [part for part in path.split("/") if part]
    if host.removeprefix("www.") in SHORTENERS:
        return "other"
    if host in CODE_HOSTS or host.startswith(("git.", "gitlab.")) or host.endswith(
        ".sourceforge.net"
    ):
        return "code" if segments else "other"
    if host == "huggingface.co":
        return _hugging_face_kind(segments)
    if host == "modelscope.cn":
        kind = _MODELSCOPE_KINDS.get(segments[0]) if len(segments) > 1 else None
        return kind or "other"
    if host in PAPER_HOSTS:
        return "paper"
    return "project"


def _hugging_face_kind(segments: list[str]) -> str:
    if not segments or segments[0] in _HUGGING_FACE_PAGES:
        return "other"
    if segments[0] in _HUGGING_FACE_KINDS:
        return _HUGGING_FACE_KINDS[segments[0]] if len(segments) > 1 else "other"
    return "model" if len(segments) > 1 else "other"
