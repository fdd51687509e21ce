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
from collections.abc import Iterable, Iterator
from urllib.parse import quote

from papershelf.models import Link

CODE_HOSTS = frozenset(
    [
        "github.com",
        "gist.github.com",
        "gitlab.com",
        "bitbucket.org",
        "gitee.com",
        "codeberg.org",
        "sourceforge.net",
        "pypi.org",
    ]
)
PAPER_HOSTS = frozenset(
    [
        "arxiv.org",
        "openreview.net",
        "aclanthology.org",
        "doi.org",
        "dl.acm.org",
        "proceedings.mlr.press",
        "proceedings.neurips.cc",
        "papers.nips.cc",
        "ieeexplore.ieee.org",
    ]
)
SHORTENERS = frozenset(
    [
        "goo.gl",
        "bit.ly",
        "tinyurl.com",
        "aka.ms",
        "ibm.biz",
        "t.co",
        "ow.ly",
        "is.gd",
        "buff.ly",
        "rb.gy",
        "cutt.ly",
        "t.ly",
        "tiny.cc",
        "s.id",
        "shorturl.at",
        "lnkd.in",
        "dub.sh",
        "git.io",
    ]
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
    [
        "docs",
        "blog",
        "learn",
        "models",
        "organizations",
        "tasks",
        "pricing",
        "join",
        "login",
        "settings",
    ]
)
_MODELSCOPE_KINDS = {"models": "model", "datasets": "dataset", "studios": "space"}

# Top-level domains a scheme-less `domain.tld/path` may end in; a bare word with a dot
# and no path (`Node.js`, `bdsp.io`) is too ambiguous to be a link.
_BARE_TLDS = frozenset(("com", "org", "net", "io", "ai", "co", "cn", "edu", "dev", "online", "app"))
# A URL body runs to whitespace or a character URLs never contain unescaped; braces
# stop it too, because in these dumps they are LaTeX groups, never part of a URL.
_BODY = re.compile(r"""[^\s<>"{}\\|^`]*""")
_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
_BEFORE_BARE = frozenset("@/:._")
_HOST_ONLY = re.compile(r"(?:[A-Za-z][A-Za-z0-9+.-]*://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.")
_TRAILING = frozenset(".,;:!?'\"*")
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_UNSAFE_ASCII = re.compile(r"""[\x00-\x20\x7f\\<>"`]""")
# RFC 3986, appendix B, with the authority required.
_URL_PARTS = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)([^?#]*)(?:\?([^#]*))?(?:#(.*))?")
_HOST_PORT = re.compile(r"([^:]*)(?::(\d{1,5}))?")
_VALID_HOST = re.compile(
    r"(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})"
    r"|(?:\d{1,3}\.){3}\d{1,3}"
)
_ENCODED = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
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
    parts = _parts(url)
    return None if parts is None else _unsplit(*parts)


_Parts = tuple[str, str, int | None, str, str | None, str | None]


def _parts(url: str) -> _Parts | None:
    """(scheme, host, port, path, query, fragment) of a safe URL, normalised; else None."""
    if not url or len(url) > MAX_URL or _UNSAFE_ASCII.search(url):
        return None
    if not url.isascii() and any(unicodedata.category(c)[0] in "CZ" for c in url):
        return None
    parts = _URL_PARTS.fullmatch(url)
    if parts is None:
        return None
    scheme, netloc, path, query, fragment = parts.groups()
    scheme = scheme.lower()
    host_port = _HOST_PORT.fullmatch(netloc)
    if scheme not in ("http", "https") or host_port is None:
        return None
    host = host_port[1].lower().rstrip(".")
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").lower()
        except UnicodeError:
            return None
    if not _VALID_HOST.fullmatch(host):
        return None
    port = int(host_port[2]) if host_port[2] else None
    if port is not None and port > 65535:
        return None
    if not _ENCODED.fullmatch(url):
        path = quote(path, safe=_PATH_SAFE)
        query = None if query is None else quote(query, safe=_QUERY_SAFE)
        fragment = None if fragment is None else quote(fragment, safe=_QUERY_SAFE)
    return scheme, host, port, path, query, fragment


def _unsplit(
    scheme: str, host: str, port: int | None, path: str, query: str | None, fragment: str | None
) -> str:
    url = f"{scheme}://{host}" if port is None else f"{scheme}://{host}:{port}"
    url += path
    if query is not None:
        url += "?" + query
    if fragment is not None:
        url += "#" + fragment
    return url


def extract_links(text: str) -> tuple[Link, ...]:
    """Every safe link of an abstract, in order of appearance, each canonical URL once."""
    if "/" not in text and "www." not in text:
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
    written = _parts(link.original) if link.original else None
    if written and written[1] != link.host:
        return f"{link.host} (via {written[1]})"
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


def _next_anchor(text: str, pos: int) -> tuple[int, int, bool]:
    """(start, body start, whether scheme-less) of the next possible URL, or (-1, -1, False).

    Only http(s) schemes are looked at, since `safe_url` refuses any other; a scheme glued
    to the word before it (`availableathttps://`) starts at its `http`. Scheme-less URLs
    are `www.` or a bare `domain.tld/`; their start is found by the caller.
    """
    while True:
        scheme = text.find("://", pos)
        www = text.find("www.", pos)
        first = min(scheme, www) if scheme != -1 and www != -1 else max(scheme, www)
        slash = text.find("/", pos)
        while slash != -1 and (first == -1 or slash < first):
            dot = text.rfind(".", max(pos, slash - 8), slash)
            if dot > pos and text[dot + 1 : slash].lower() in _BARE_TLDS:
                return dot, dot + 1, True
            slash = text.find("/", slash + 1)
        if first == -1:
            return -1, -1, False
        if first == www:
            return www, www + 4, True
        head = text[max(0, scheme - 5) : scheme].lower()
        if head.endswith("https"):
            return scheme - 5, scheme + 3, False
        if head.endswith("http"):
            return scheme - 4, scheme + 3, False
        pos = scheme + 3


def _candidates(text: str) -> Iterator[str]:
    """The raw URL strings of a text, repaired but not yet validated."""
    pos = 0
    while True:
        start, body, bare = _next_anchor(text, pos)
        if start == -1:
            return
        pos = body
        if bare:
            while start > 0 and text[start - 1] in _HOST_CHARS:
                start -= 1
            if start > 0 and (text[start - 1] in _BEFORE_BARE or text[start - 1].isalnum()):
                continue
            while start < body and text[start] in ".-":
                start += 1
        end = _rejoin(text, start, _BODY.match(text, body).end())
        pos = end
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
    parts = _parts(raw if "://" in raw else "https://" + raw)
    if parts is None:
        return None
    _, host, port, path, query, fragment = parts
    bare = host.removeprefix("www.")
    original = None
    if bare in MIRRORS:
        original = _unsplit(*parts)
        bare = MIRRORS[bare]
    if bare not in KNOWN_HOSTS:
        url = _unsplit(*parts)
        return Link(url=url, kind=_kind(host, path), host=host)
    path = path.rstrip("/")
    if bare in CODE_HOSTS and path.endswith(".git") and path.count("/") == 2:
        path = path.removesuffix(".git")
    url = _unsplit("https", bare, port, path, query, fragment)
    return Link(url=url, kind=_kind(bare, path), host=bare, original=original)


def _kind(host: str, path: str) -> str:
    segments = [part for part in path.split("/") if part]
    if host.removeprefix("www.") in SHORTENERS:
        return "other"
    if (
        host in CODE_HOSTS
        or host.startswith(("git.", "gitlab."))
        or host.endswith(".sourceforge.net")
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
