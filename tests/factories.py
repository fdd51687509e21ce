"""Invented dumps for tests, written in the real page layouts."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

HEADER = [
    "new",
    "Get trending papers in your email inbox!",
    "Subscribe",
    "Daily Papers",
    "by AK and the research community",
]

PAPERS: list[tuple[str, str]] = [
    (
        "Sparse Lanterns: Quantizing Attention Heads to Two Bits",
        "We present Sparse Lanterns, a post-training quantization method that stores "
        "attention heads in two bits while keeping perplexity within one point of the "
        "full-precision model. Code is at https://github.com/lantern-lab/sparse-lanterns.",
    ),
    (
        "Orchard: Retrieval-Augmented Generation over Fruit Catalogues",
        "Orchard couples a dense retriever with a small language model to answer questions "
        "about produce catalogues. Retrieval-augmented generation cuts hallucinated prices "
        "by half on our new benchmark.",
    ),
    (
        "Tidal Diffusion for Coastline Video Synthesis",
        "We train a latent diffusion model that synthesises coastline videos from a single "
        "photograph. Project page: https://tidal-diffusion.github.io/.",
    ),
    (
        "Counting Sheep with Mixture-of-Experts Routers",
        "A mixture-of-experts language model learns to count objects when each expert "
        "specialises in a range of quantities; routing collapse is avoided with a balance loss.",
    ),
]


def dump_text(
    papers: Sequence[tuple[str, str]] = PAPERS,
    *,
    layout: str = "blank",
    date_label: str | None = None,
) -> str:
    """A dump in one of the real layouts: "blank" (blank-line separated) or "compact"."""
    if layout == "compact":
        lines = [
            "Get trending papers in your email inbox once a day!",
            "Get trending papers in your email inbox!",
        ]
        first, *rest = [line for title, abstract in papers for line in (title, abstract)]
        lines.append("Subscribe" + first)
        lines.extend(rest)
        return "\n".join(lines) + "\n"
    lines = list(HEADER)
    if date_label:
        lines.append(date_label)
    for title, abstract in papers:
        lines.extend([title, abstract])
    return "\n\n".join(lines) + "\n"


def write_dump(directory: Path, name: str, text: str | None = None, **kwargs: object) -> Path:
    path = directory / name
    path.write_text(text if text is not None else dump_text(**kwargs), encoding="utf-8")  # type: ignore[arg-type]
    return path


def numbered_papers(count: int, word: str = "lantern") -> list[tuple[str, str]]:
    """`count` distinct papers that all hold `word`, in title and abstract."""
    return [
        (
            f"{word.title()} Routing for Benchmark Suite {n}",
            f"A {word} model evaluated on benchmark suite number {n}.",
        )
        for n in range(count)
    ]
