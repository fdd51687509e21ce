"""Only plain http(s) links with a real host are ever stored, shown, copied or opened."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from factories import write_dump
from hostile import forbidden
from hypothesis import given, settings
from hypothesis import strategies as st

from papershelf.links import display_host, extract_links, links_from_urls, safe_url

REFUSED = {
    "javascript": "javascript:alert(document.cookie)",
    "javascript-mixed-case": "JaVaScRiPt:alert(1)",
    "javascript-slashes": "javascript://github.com/%0Aalert(1)",
    "vbscript": "vbscript:msgbox(1)",
    "file": "file:///etc/passwd",
    "file-host": "file://localhost/etc/passwd",
    "data-html": "data:text/html,<script>alert(1)</script>",
    "data-base64": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "ftp": "ftp://files.example.org/pub",
    "ssh": "ssh://git@github.com/a/b",
    "scheme-relative": "//github.com/a/b",
    "no-host": "https:///etc/passwd",
    "empty-host": "http://",
    "userinfo": "https://github.com@evil.example/a",
    "userinfo-password": "https://user:pass@github.com/a",
    "backslash-host": "https://evil.example\\@github.com/",
    "space": "https://github.com/a b",
    "tab": "https://github.com/a\tb",
    "newline": "https://github.com/a\nb",
    "cr": "https://github.com/a\rb",
    "nul": "https://github.com/a\x00b",
    "esc-csi": "https://github.com/a\x1b[2Jb",
    "osc52": "https://github.com/a\x1b]52;c;SGk=\x07",
    "c1": "https://github.com/a\x9b31m",
    "del": "https://github.com/a\x7f",
    "bidi-host": "https://git\u202ehub.com/a",
    "bidi-path": "https://github.com/\u202eexe.txt",
    "zero-width": "https://github.com/a\u200bb",
    "nbsp": "https://github.com/a\u00a0b",
    "ideographic-space": "https://github.com/a\u3000b",
    "quote": 'https://github.com/a"onmouseover="x',
    "angle": "https://github.com/<script>",
    "backtick": "https://github.com/`x`",
    "port-too-big": "https://github.com:99999/a",
    "underscore-host": "https://evil_host.example/",
    "bare-ipv6": "http://[::1]/admin",
    "too-long": "https://github.com/" + "a" * 3000,
    "empty": "",
}
LOOK_ALIKES = {
    "cyrillic-i": ("https://gіthub.com/lab/repo", "xn--gthub-n2e.com"),
    "cyrillic-apple": ("https://аррӏе.com/", "xn--80ak6aa92e.com"),
    "greek-omicron": ("https://gοogle.com/", "xn--gogle-rce.com"),
    "punycode-written": ("https://xn--80ak6aa92e.com/", "xn--80ak6aa92e.com"),
}
MIRRORS = {
    "huface.online": (
        "https://huface.online/datasets/org/set",
        "https://huggingface.co/datasets/org/set",
    ),
    "hf-mirror.com": ("https://hf-mirror.com/org/model", "https://huggingface.co/org/model"),
    "hf.co": ("https://hf.co/org/model", "https://huggingface.co/org/model"),
    "export.arxiv.org": (
        "https://export.arxiv.org/abs/2401.00001",
        "https://arxiv.org/abs/2401.00001",
    ),
}


@pytest.mark.parametrize("url", REFUSED.values(), ids=REFUSED)
def test_unsafe_url_is_refused(url: str) -> None:
    """No scheme but http(s), no missing host, userinfo, whitespace, control, bidi or
    quoting character gets through the gate."""
    assert safe_url(url) is None
    assert links_from_urls([url]) == () or all(
        safe_url(lk.url) == lk.url for lk in links_from_urls([url])
    )


@pytest.mark.parametrize("url", REFUSED.values(), ids=REFUSED)
def test_unsafe_url_in_an_abstract_yields_only_safe_links(url: str) -> None:
    """An abstract carrying an unsafe URL gives only links that pass the gate unchanged."""
    for link in extract_links(f"Code at {url} and more text.") + links_from_urls([url]):
        assert safe_url(link.url) == link.url
        assert link.url.startswith(("http://", "https://"))
        assert forbidden(link.url) == [] and " " not in link.url


@pytest.mark.parametrize(("url", "host"), LOOK_ALIKES.values(), ids=LOOK_ALIKES)
def test_look_alike_host_is_shown_as_punycode(url: str, host: str) -> None:
    """A host spelled with look-alike letters is shown in punycode, never as the host it mimics,
    and is never classified as a code host."""
    (link,) = extract_links(f"see {url} today")
    assert link.host == host and display_host(link) == host
    assert link.url.startswith(f"https://{host}/")
    assert link.kind != "code"


@pytest.mark.parametrize(("written", "canonical"), MIRRORS.values(), ids=MIRRORS)
def test_mirror_is_shown_as_what_it_is(written: str, canonical: str) -> None:
    """A mirror link opens the canonical host and is displayed naming the mirror it came from."""
    (link,) = extract_links(f"Data at {written}.")
    assert link.url == canonical and link.original == written
    mirror = written.split("/")[2]
    assert display_host(link) == f"{link.host} (via {mirror})"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_every_extracted_link_passes_the_gate(text: str) -> None:
    """From any text at all, every link found is an http(s) URL that passes the gate unchanged."""
    for link in extract_links("see https://" + text) + extract_links(text):
        assert safe_url(link.url) == link.url
        assert link.url.startswith(("http://", "https://"))
        assert forbidden(link.url) == []


def test_cli_shows_only_safe_links_and_names_mirrors(db: Path, tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """`papershelf show` lists only the safe links of a hostile abstract, each mirror with the
    address it was written as."""
    # Line breaks would split the abstract and a NUL makes the file binary; the rest go in.
    unsafe = " ".join(url for url in REFUSED.values() if not {"\n", "\r", "\x00"} & set(url))
    abstract = (
        f"Our code: https://github.com/lab/safe-repo. Mirror: https://huface.online/org/model. "
        f"Look-alike: https://gіthub.com/lab/repo. Unsafe: {unsafe}"
    )
    dump = write_dump(tmp_path, "links.txt", papers=[("Safe Links in Hostile Abstracts", abstract)])
    assert run_cli("import", str(dump)).exit_code == 0
    (found,) = json.loads(run_cli("search", "--json").output)
    urls = [link["url"] for link in found["links"]]
    assert all(safe_url(u) == u and u.startswith(("http://", "https://")) for u in urls)
    assert "https://github.com/lab/safe-repo" in urls
    assert found["code_url"] == "https://github.com/lab/safe-repo"
    shown = run_cli("show", found["id"]).output
    assert "https://huggingface.co/org/model (written as https://huface.online/org/model)" in shown
    assert "xn--gthub-n2e.com" in shown and "gіthub" not in shown.split("\n\n")[0]
