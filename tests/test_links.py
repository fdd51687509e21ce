"""Links in abstracts are found whole, made canonical and safe, and classified."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papershelf.links import code_url, display_host, extract_links, links_from_urls, safe_url
from papershelf.models import LINK_KINDS, Link


def urls(text: str) -> list[str]:
    return [link.url for link in extract_links(text)]


def test_text_without_links_has_none() -> None:
    """An abstract with slashes and dotted words but no URL yields no link."""
    assert extract_links("Accuracy/latency trade-offs of Node.js and e.g. x.io models.") == ()


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("Code: https://github.com/acme/tool.", "https://github.com/acme/tool"),
        ("Code (https://github.com/acme/tool).", "https://github.com/acme/tool"),
        ("Code: https://github.com/acme/tool, and more", "https://github.com/acme/tool"),
        ("Code: https://github.com/acme/tool; more", "https://github.com/acme/tool"),
        ("Code: https://github.com/acme/tool: more", "https://github.com/acme/tool"),
        ('Code "https://github.com/acme/tool".', "https://github.com/acme/tool"),
        ("Code 'https://github.com/acme/tool'.", "https://github.com/acme/tool"),
        ("[see https://github.com/acme/tool]", "https://github.com/acme/tool"),
        ("Code https://github.com/acme/tool .", "https://github.com/acme/tool"),
        ("Code: https://github.com/acme/tool-v2-.", "https://github.com/acme/tool-v2-"),
        (
            "(wiki: https://en.wikipedia.org/wiki/Foo_(bar)).",
            "https://en.wikipedia.org/wiki/Foo_(bar)",
        ),
        ("Code is here:https://github.com/acme/tool.", "https://github.com/acme/tool"),
        ("Code is availableathttps://github.com/acme/tool", "https://github.com/acme/tool"),
        ("Code at https://github.com/acme/tool。", "https://github.com/acme/tool"),
    ],
)
def test_sentence_punctuation_and_brackets_are_not_part_of_the_url(text: str, url: str) -> None:
    """Trailing punctuation, quotes and unbalanced brackets are cut; balanced ones stay."""
    assert urls(text) == [url]


def test_latex_url_wrapper_is_unwrapped() -> None:
    """`url{...}` gives the URL inside, upgraded to https on a known host."""
    assert urls("Code is available at url{http://github.com/acme/Tool}.") == [
        "https://github.com/acme/Tool"
    ]


def test_url_repeated_in_braces_is_one_link() -> None:
    """`https://x.io/{https://x.io/}` is one project link, not two."""
    links = extract_links("Page: https://acme-lab.github.io/{https://acme-lab.github.io/}.")
    assert links == (Link("https://acme-lab.github.io/", "project", "acme-lab.github.io"),)


def test_href_text_in_braces_is_dropped() -> None:
    """The `{here}` left of an `\\href` does not become part of the URL."""
    assert urls("Project page https://acme.github.io/Demo/{here}.") == [
        "https://acme.github.io/Demo/"
    ]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("models are available at github.com/Acme-Lab/qtool.", "https://github.com/Acme-Lab/qtool"),
        ("code at www.github.com/acme/tool.", "https://github.com/acme/tool"),
        ("code at http://www.github.com/acme/tool.", "https://github.com/acme/tool"),
        ("visit www.acme-infer.ai/v2.", "https://www.acme-infer.ai/v2"),
        ("visit www.acme.org.", "https://www.acme.org"),
        ("weights: huggingface.co/acme/m-7b", "https://huggingface.co/acme/m-7b"),
    ],
)
def test_scheme_less_urls_get_https(text: str, url: str) -> None:
    """`github.com/...` and `www....` without a scheme become https links."""
    assert urls(text) == [url]


def test_bare_domain_without_path_is_not_a_link() -> None:
    """A dotted name with no path and no `www.` is prose, not a link."""
    assert extract_links("shared through the acme.io. Our LLaMA.cpp port works.") == ()


def test_email_address_is_not_a_link() -> None:
    """The domain of an e-mail address is not taken for a scheme-less URL."""
    assert extract_links("Contact someone@acme.com/ or team@acme.org for access.") == ()


def test_url_split_after_a_host_dot_is_rejoined() -> None:
    """`https://github. com/o/r` (a stray space in the host) is one GitHub link."""
    assert urls("Code at https://github. com/Acme-Labs/Infer.") == [
        "https://github.com/Acme-Labs/Infer"
    ]


def test_split_host_of_unknown_site_is_not_rejoined() -> None:
    """A sentence that ends in `https://example.` does not swallow the next word."""
    assert urls("See https://example. com/x is not a host we know.") == []


def test_url_split_after_a_hyphen_is_rejoined() -> None:
    """`.../efficient- NLP-training` (a line-break hyphen) is one repository name."""
    assert urls("Code: https://github.com/acme/efficient- NLP-training") == [
        "https://github.com/acme/efficient-NLP-training"
    ]


def test_mirror_host_is_rewritten_with_the_original_kept() -> None:
    """A huface.online link points at huggingface.co and remembers how it was written."""
    (link,) = extract_links("Model: https://huface.online/acme/Tiny-7B.")
    assert link == Link(
        url="https://huggingface.co/acme/Tiny-7B",
        kind="model",
        host="huggingface.co",
        original="https://huface.online/acme/Tiny-7B",
    )
    assert display_host(link) == "huggingface.co (via huface.online)"


def test_display_host_of_an_ordinary_link_is_its_host() -> None:
    """A link written on its canonical host shows just that host."""
    (link,) = extract_links("https://github.com/acme/tool")
    assert display_host(link) == "github.com"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://github.com/acme/tool", "code"),
        ("https://github.com/acme/tool/tree/main/sub", "code"),
        ("https://gist.github.com/acme/123abc", "code"),
        ("https://gitlab.com/acme/tool", "code"),
        ("https://bitbucket.org/acme/workspace/projects/X", "code"),
        ("https://gitee.com/acme/tool", "code"),
        ("https://codeberg.org/acme/tool", "code"),
        ("https://sourceforge.net/projects/tool", "code"),
        ("https://git.acme-uni.edu/lab/tool", "code"),
        ("https://gitlab.inria.fr/lab/tool", "code"),
        ("https://github.com", "other"),
        ("https://acme.github.io/tool", "project"),
        ("https://huggingface.co/acme/tool-7b", "model"),
        ("https://huggingface.co/datasets/acme/corpus", "dataset"),
        ("https://huggingface.co/spaces/acme/demo", "space"),
        ("https://huggingface.co/collections/acme/set-123", "collection"),
        ("https://huggingface.co/papers/2401.00001", "paper"),
        ("https://huggingface.co/acme", "other"),
        ("https://huggingface.co/docs/transformers", "other"),
        ("https://modelscope.cn/models/acme/tool", "model"),
        ("https://modelscope.cn/datasets/acme/corpus", "dataset"),
        ("https://arxiv.org/abs/2401.00001", "paper"),
        ("https://openreview.net/forum?id=abc", "paper"),
        ("https://goo.gl/AbCdE", "other"),
        ("https://bit.ly/abc", "other"),
        ("https://aka.ms/tool", "other"),
        ("https://git.io/abc", "other"),
        ("https://acme-lab.org/tool.html", "project"),
    ],
)
def test_links_are_classified_by_host_and_path(url: str, kind: str) -> None:
    """Code hosts, Hugging Face pages, papers, shorteners and sites get their kind."""
    (link,) = extract_links(f"See {url} for details.")
    assert link.kind == kind
    assert link.kind in LINK_KINDS


@pytest.mark.parametrize(
    ("text", "url"),
    [
        ("https://github.com/acme/tool.git.", "https://github.com/acme/tool"),
        ("https://github.com/acme/tool/", "https://github.com/acme/tool"),
        ("HTTPS://GitHub.com/Acme/Tool", "https://github.com/Acme/Tool"),
        ("http://arxiv.org/abs/2401.00001", "https://arxiv.org/abs/2401.00001"),
        ("http://acme-lab.org/page/", "http://acme-lab.org/page/"),
    ],
)
def test_known_hosts_get_one_canonical_form(text: str, url: str) -> None:
    """Known hosts are https, lower-case, no `.git` or trailing slash; other sites as written."""
    assert urls(text) == [url]


def test_links_keep_order_and_appear_once() -> None:
    """Links come in order of appearance; the same repository written twice is one link."""
    text = (
        "Data: https://huggingface.co/datasets/acme/c. Code: https://github.com/acme/t and "
        "github.com/acme/t/ and page https://acme.github.io/t."
    )
    assert urls(text) == [
        "https://huggingface.co/datasets/acme/c",
        "https://github.com/acme/t",
        "https://acme.github.io/t",
    ]


def test_code_url_is_the_first_code_link() -> None:
    """The copy-code key gets the first code-kind link, not a model or page before it."""
    links = extract_links(
        "Page https://acme.github.io/t, weights https://huggingface.co/acme/t, "
        "code https://gitlab.com/acme/t and https://github.com/acme/t."
    )
    assert code_url(links) == "https://gitlab.com/acme/t"
    assert code_url(extract_links("Page https://acme.github.io/t")) is None


def test_links_from_urls_are_canonical_too() -> None:
    """Links a dump gives as fields follow the same rules and drop what is unsafe."""
    links = links_from_urls(
        ["github.com/acme/t.git", "https://github.com/acme/t", "javascript:alert(1)", ""]
    )
    assert links == (Link("https://github.com/acme/t", "code", "github.com"),)


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "javascript://example.com/%0aalert(1)",
        "file:///etc/passwd",
        "data:text/html,<script>alert(1)</script>",
        "ftp://example.com/file",
        "https://",
        "https:///path",
        "https://localhost/x",
        "https://exa mple.com/",
        "https://example.com/a b",
        "https://example.com/\x1b[31m",
        "https://example.com/\u202eexe.txt",
        "https://github.com@evil.example/x",
        "https://evil.example\\@github.com/",
        "https://[::1]/x",
        "https://example.com:99999/",
        "https://-bad-.com/",
        "",
    ],
)
def test_safe_url_refuses_what_must_not_be_opened(url: str) -> None:
    """Other schemes, missing or odd hosts, spaces, controls and disguises are refused."""
    assert safe_url(url) is None


def test_safe_url_shows_look_alike_hosts_as_punycode() -> None:
    """A Cyrillic look-alike of github.com is shown in punycode, not as GitHub."""
    url = safe_url("https://gіthub.com/acme/tool")
    assert url is not None
    assert url.startswith("https://xn--")
    assert url.endswith(".com/acme/tool")


def test_look_alike_host_is_not_a_code_link() -> None:
    """A look-alike GitHub link found in an abstract is not offered as code."""
    (link,) = extract_links("Code at https://gіthub.com/acme/tool.")
    assert link.host.startswith("xn--")
    assert link.kind == "project"


def test_safe_url_percent_encodes_non_ascii_paths() -> None:
    """A path in another script becomes an ASCII URL a terminal can show safely."""
    assert safe_url("https://ja.wikipedia.org/wiki/東京") == (
        "https://ja.wikipedia.org/wiki/%E6%9D%B1%E4%BA%AC"
    )


def test_safe_url_keeps_ordinary_urls() -> None:
    """An ordinary https URL with query and fragment is accepted unchanged."""
    url = "https://example.org:8080/a/b-c_d.html?x=1&y=%20#top"
    assert safe_url(url) == url


def test_dangerous_schemes_in_text_are_never_links() -> None:
    """`javascript:` and `file:` URLs written in an abstract are not extracted."""
    text = "Try javascript://x.com/%0aalert(1) or file:///etc/passwd or ftp://a.org/x."
    assert extract_links(text) == ()


URL_PIECES = [*"hts:/.w{}()[]<>\"' \n~-_%?#@\\", "http", "https://", "www.", "github.", "com/"]
URL_PIECES += ["\x1b", "\u202e", "gіt", "東", ".io/", "huface.online/", "- ", ". ", "[::1]", ":80"]
URL_ALPHABET = st.sampled_from(URL_PIECES)


@given(st.lists(URL_ALPHABET, max_size=40).map("".join) | st.text())
def test_extract_links_never_raises_and_returns_only_safe_urls(text: str) -> None:
    """Whatever the abstract holds, every link found is already a safe, canonical URL."""
    for link in extract_links(text):
        assert safe_url(link.url) == link.url
        assert link.kind in LINK_KINDS
        assert link.original is None or safe_url(link.original) == link.original
