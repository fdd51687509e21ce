"""BibTeX keys that read well, with a year and an eprint wherever the paper lets one be known."""

from __future__ import annotations

from papershelf.bibtex import base_key, bibtex
from papershelf.models import Link, Paper

TITLE = "ShadowKV: KV Cache in Shadows for High-Throughput Long-Context LLM Inference"


def paper(**fields: object) -> Paper:
    return Paper(id="a1b2c3d4e5f6", title=TITLE, abstract="", abstract_raw="", **fields)


def test_a_paper_known_only_by_its_title_gets_no_repeated_word():
    assert base_key(paper()) == "shadowkvcache"


def test_an_arxiv_link_gives_the_key_a_year_and_the_entry_an_eprint():
    hf = Link("https://huggingface.co/papers/2410.21465", "paper", "huggingface.co")
    text = bibtex([paper(links=(hf,))])
    assert text.startswith("@misc{shadowkv2024,\n")
    assert "  year = {2024},\n" in text
    assert "  eprint = {2410.21465},\n  archiveprefix = {arXiv},\n" in text
    assert "  url = {https://arxiv.org/abs/2410.21465},\n" in text


def test_an_arxiv_pdf_link_with_a_version_is_read_too():
    pdf = Link("https://arxiv.org/pdf/2410.21465v2.pdf", "paper", "arxiv.org")
    assert "eprint = {2410.21465}" in bibtex([paper(links=(pdf,))])


def test_the_featured_day_gives_a_year_when_no_arxiv_id_is_known():
    text = bibtex([paper(date_label="2025-03-11", authors=("Hanshi Sun", "Li-Wen Chang"))])
    assert text.startswith("@misc{sun2025shadowkv,\n")
    assert "eprint" not in text


def test_links_naming_two_arxiv_ids_give_no_eprint():
    """An abstract that links another paper besides its own cannot say which is which."""
    links = tuple(
        Link(f"https://arxiv.org/abs/{n}", "paper", "arxiv.org")
        for n in ("2410.21465", "2307.0001")
    )
    assert "eprint" not in bibtex([paper(links=links)])
