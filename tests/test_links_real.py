"""The links of real abstracts in ../shared/dumps come out whole, canonical and classified.

Papers are named by (dump file, 0-based paper index) so no dump text enters the repo;
the pinned URLs are the ones a reader would click.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from importers import open_dump
from papershelf.links import code_url, extract_links, safe_url
from papershelf.models import ParsedPaper

DUMPS = Path(__file__).resolve().parents[1] / ".." / "shared" / "dumps"
F0 = "000_e31c09b5617a3787.txt"
F1 = "001_f73374cd8b8dc4ad.txt"
F2 = "002_7a2c8ac6f05c013f.txt"
F3 = "003_49df39bf7580dd97.txt"
HF = "https://huggingface.co/"

EXPECTED: dict[tuple[str, int], tuple[tuple[str, str], ...]] = {
    # No link at all.
    (F0, 0): (),
    # `https://x.github.io/{https://x.github.io/}`: one link.
    (F0, 2): (("https://diffusekrona.github.io/", "project"),),
    # Scheme-less `github.com/...`.
    (F0, 5): (("https://github.com/IST-DASLab/qmoe", "code"),),
    (F2, 473): (("https://github.com/marrlab/DinoBloom", "code"),),
    # A Hugging Face collection and a Bitbucket repository.
    (
        F0,
        24,
    ): (
        (HF + "collections/SurgeGlobal/open-bezoar-6620a24923e12127e9e2b9cc", "collection"),
        ("https://bitbucket.org/paladinanalytics/workspace/projects/OP", "code"),
    ),
    # `url{http://github.com/...}.`
    (F0, 25): (("https://github.com/czg1225/SlimSAM", "code"),),
    (F0, 50): (
        ("https://github.com/apple/corenet", "code"),
        (HF + "apple/OpenELM", "model"),
    ),
    # The dump writes the repository name with a space (`PETL AST`): cut at the space.
    (F0, 85): (("https://github.com/umbertocappellazzo/PETL", "code"),),
    # A Hugging Face organisation page.
    (F1, 9): ((HF + "RepoFusion", "other"),),
    (F1, 57): (
        (HF + "datasets/ifujisawa/procbench", "dataset"),
        ("https://github.com/ifujisawa/proc-bench", "code"),
    ),
    # Plain http on an unknown site stays http.
    (F1, 92): (("http://haonanqiu.com/projects/FreeNoise.html", "project"),),
    # `.../ReuseAndDiffuse/{here}.`
    (F1, 99): (("https://anonymous0x233.github.io/ReuseAndDiffuse/", "project"),),
    # `www.github.com/...` without a scheme.
    (F1, 160): (("https://github.com/devaansh100/CLIPTrans", "code"),),
    # URL shorteners.
    (F1, 168): (("http://tinyurl.com/kite-site", "other"),),
    (F1, 196): (("https://goo.gl/mRB3Au", "other"),),
    (F2, 272): (("https://ibm.biz/BdKhLa", "other"),),
    # huface.online mirror: model, collection, dataset, space.
    (F2, 2): ((HF + "LGAI-EXAONE/EXAONE-3.0-7.8B-Instruct", "model"),),
    (F2, 31): ((HF + "collections/zehui127", "collection"),),
    (F2, 199): ((HF + "datasets/uonlp/CulturaX", "dataset"),),
    (F2, 512): ((HF + "spaces/OpenGVLab/InternVL", "space"),),
    (F2, 450): ((HF + "collections/mesolitica/mallam-6577b59d1e0b436ae75f930f", "collection"),),
    # A site on www with a trailing slash kept as written.
    (F2, 3): (("https://www.tue-mps.org/eomt/", "project"),),
    # A GitHub tree URL ending in `, and`, then Gitee.
    (F2, 8): (
        ("https://github.com/huawei-noah/ghostnet/tree/master/tinynet_pytorch", "code"),
        ("https://gitee.com/mindspore/mindspore/tree/master/model_zoo/research/cv/tinynet", "code"),
    ),
    (F2, 28): (("https://www.nnsight.net", "project"),),
    # ModelScope.
    (F2, 30): (("https://modelscope.cn/models/damo/nlp_polylm_13b_text_generation", "model"),),
    # `here:https://...` glued to the word before.
    (F2, 39): (("https://github.com/yuhkalhic/SSMLoRA", "code"),),
    # `.git.` at the end.
    (F2, 87): (("https://github.com/leeruibin/MfM", "code"),),
    (F2, 101): (("https://github.com/zwtnju/PEFT", "code"),),
    # `...SMPLest-X).` and `(https://...).`
    (F2, 155): (("https://github.com/wqyin/SMPLest-X", "code"),),
    (F2, 207): (("https://github.com/YuchuanTian/RethinkTinyLM", "code"),),
    # `http://www.github.com/...`.
    (F2, 208): (("https://github.com/hitz-zentroa/whisper-lm", "code"),),
    # A URL followed by ` .`.
    (F2, 263): (("https://github.com/HazyResearch/TART", "code"),),
    (F2, 276): (
        (HF + "IDEA-CCNL/Ziya2-13B-Base", "model"),
        ("https://modelscope.cn/models/Fengshenbang/Ziya2-13B-Base/summary", "model"),
    ),
    # `https://github. com/...`: a stray space after the host's dot.
    (F2, 349): (("https://github.com/Reallm-Labs/InfiR", "code"),),
    # A trailing slash on a known host.
    (F2, 410): (("https://github.com/richermans/dasheng", "code"),),
    # `(https://...multimodal).` then a mirror link in parentheses.
    (F2, 423): (
        ("https://rank.opencompass.org.cn/leaderboard-multimodal", "project"),
        (HF + "BytedanceDouyinContent/SAIL-VL-2B", "model"),
    ),
    # `efficient- NLP-...`: a stray space after a hyphen.
    (F2, 437): (("https://github.com/xo28/efficient-NLP-multistage-training", "code"),),
    # Scheme-less `www.` site with a path.
    (F2, 490): (("https://www.powerinfer.ai/v2", "project"),),
    # A repository name that really ends in `-`, followed by `.`.
    (F3, 12): (("https://github.com/tjunlp-lab/Lexical-Unit-Decoding-LUD-", "code"),),
    (F3, 55): (
        ("https://haochen-rye.github.io/HNeRV", "project"),
        ("https://github.com/haochen-rye/HNeRV", "code"),
    ),
}

MIRRORED = {
    (F2, 2): "https://huface.online/LGAI-EXAONE/EXAONE-3.0-7.8B-Instruct",
    (F2, 199): "https://huface.online/datasets/uonlp/CulturaX",
    (F2, 512): "https://huface.online/spaces/OpenGVLab/InternVL",
}


@pytest.fixture(scope="module")
def papers() -> dict[str, list[ParsedPaper]]:
    files = sorted(DUMPS.glob("*.txt")) if DUMPS.is_dir() else []
    if not files:
        if os.environ.get("CI", "").lower() in ("true", "1"):
            pytest.fail(f"real dumps missing from {DUMPS.resolve()} and CI is set")
        pytest.skip(f"real dumps not present at {DUMPS.resolve()} (outside CI)")
    return {path.name: list(open_dump(path).papers()) for path in files}


@pytest.mark.parametrize("where", list(EXPECTED), ids=[f"{f[:3]}-{i}" for f, i in EXPECTED])
def test_real_abstract_gives_its_links(
    papers: dict[str, list[ParsedPaper]], where: tuple[str, int]
) -> None:
    """Each pinned real abstract yields exactly these links, kinds and order."""
    name, index = where
    links = extract_links(papers[name][index].abstract)
    assert tuple((link.url, link.kind) for link in links) == EXPECTED[where]


def test_real_mirror_links_keep_the_url_as_written(
    papers: dict[str, list[ParsedPaper]],
) -> None:
    """Links written on huface.online remember that form beside the canonical one."""
    for (name, index), original in MIRRORED.items():
        (link,) = extract_links(papers[name][index].abstract)
        assert link.original == original
        assert link.host == "huggingface.co"


def test_real_dumps_link_and_code_counts(papers: dict[str, list[ParsedPaper]]) -> None:
    """Of the 928 papers, 278 have a link and 227 a code link (288 links in all)."""
    all_links = [extract_links(paper.abstract) for file in papers.values() for paper in file]
    assert len(all_links) == 928
    assert sum(1 for links in all_links if links) == 278
    assert sum(1 for links in all_links if code_url(links)) == 227
    assert sum(len(links) for links in all_links) == 288


def test_real_links_are_safe_and_clean(papers: dict[str, list[ParsedPaper]]) -> None:
    """No real link carries LaTeX braces, trailing punctuation or fails the safety gate."""
    for file in papers.values():
        for paper in file:
            for link in extract_links(paper.abstract):
                assert safe_url(link.url) == link.url
                assert not set(link.url) & set("{} ")
                assert link.url[-1] not in ".,;:)'\""
