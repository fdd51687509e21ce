"""How well a title answers a query: the score that orders the head of each search tier.

Among papers whose title holds every query word, what tells the one the reader means from
the thousand others is how: the rare words count more than the common ones (inverse
document frequency over titles), whole words more than word beginnings or corrected
typos, and words that stand side by side in the title as they do in the query (a phrase
the reader remembers, in either order) earn a bonus. A title that says much else besides
loses a little. Fuzzy whole-string ratios cannot see any of this: every title containing
the words scores the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import log

EXACT, BEGINNING, CORRECTED = 1.0, 0.8, 0.7
"""What a query word earns for a title word equal to it, starting with its stem, or close."""
IN_ORDER, REVERSED = 0.6, 0.3
"""Bonus for two query words next to each other in the title, as a share of their weight."""
OTHER_WORD = 0.03
"""Cost of each title word that no query word matched."""


@dataclass(frozen=True, slots=True)
class Wanted:
    """One query word as the scorer needs it."""

    word: str
    root: str
    corrections: frozenset[str]
    weight: float


def weight(papers_with_word: int, papers: int) -> float:
    """Inverse document frequency: a word in few titles says more about which paper."""
    return log(1 + papers / (1 + papers_with_word))


def score(tokens: list[str], wanted: list[Wanted]) -> tuple[int, float]:
    """(query words the title holds, weighted score) for a title's index words, stop words
    dropped so that "Process-in-Memory" counts as side by side."""
    matched = 0
    total = 0.0
    positions: list[int] = []
    for want in wanted:
        best, at = 0.0, -1
        for index, token in enumerate(tokens):
            if token == want.word:
                value = EXACT
            elif token.startswith(want.root) or (len(token) >= 4 and want.word.startswith(token)):
                value = BEGINNING
            elif token in want.corrections:
                value = CORRECTED
            else:
                continue
            if value > best:
                best, at = value, index
                if value == EXACT:
                    break
        if best:
            matched += 1
            total += best * want.weight
        positions.append(at)
    for (a, pa), (b, pb) in zip(
        zip(wanted, positions, strict=True),
        zip(wanted[1:], positions[1:], strict=True),
        strict=False,
    ):
        if pa < 0 or pb < 0:
            continue
        if pb == pa + 1:
            total += IN_ORDER * min(a.weight, b.weight)
        elif pa == pb + 1:
            total += REVERSED * min(a.weight, b.weight)
    total -= OTHER_WORD * (len(tokens) - matched)
    return matched, total
