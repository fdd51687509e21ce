"""Synthetic dumps in the real page layouts, drawn from the real dumps' word statistics.

Benchmarks need libraries of 10k to 1M papers, far more than the real dumps hold, and
no dump text may live in the repository. So the statistics are taken from
../shared/dumps when the generator runs: a word-bigram chain over real titles and one
over real abstract sentences, plus the real length mix. Every synthetic paper also gets
an invented method name (as real papers do), so the vocabulary grows with the library
the way a real one does. About a quarter of the abstracts end with a code link (in the
spellings the real dumps use), and a few percent of papers appear twice: again in a
later file, or with the title's spacing and case changed (a near-duplicate).

    python -m bench.synth --papers 100k --out bench/data/100k
"""

from __future__ import annotations

import argparse
import bisect
import random
import re
import string
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

import importers

DUMPS = Path(__file__).resolve().parents[1].parent / "shared" / "dumps"
PER_FILE = 10_000
DUPLICATE_RATE = 0.02
CODE_RATE = 0.25
POOL_SENTENCES = 60_000
START, END = "\x02", "\x03"
HEADER = ["new", "Get trending papers in your email inbox!", "Subscribe", "Daily Papers"]
SIGNATURE = "by AK and the research community"
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
SYLLABLES = [a + b for a in "bcdfghjklmnprstvwxz" for b in "aeiou"] + ["qu", "th", "sh", "ch"]
SUFFIXES = ["", "", "", "Net", "Former", "LM", "-2", "GPT", "Diff", "Bench", "-X", "++"]
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")


def invented(like: str, rng: random.Random) -> str:
    """A made-up word in the place of `like`: same capitalisation and punctuation."""
    core = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
    if like[:1].isupper():
        core = core.capitalize()
    head = like[0] if like[0] in "(\"'" else ""
    tail = like[-1] if like[-1] in ",.:;)?!\"'" else ""
    return head + core + tail


class Chain:
    """A word-bigram chain, smoothed so that it does not replay real text.

    A chain fitted to a thousand titles follows a rare word with the only word that ever
    followed it, so it would copy whole phrases of real titles into thousands of synthetic
    ones and make every real paper look ordinary. So the word after a rare one (seen at
    most RARE times in the real dumps), and one word in SMOOTHING anyway, is drawn by
    overall frequency instead; and a rare word is written as an invented word RENAME of
    the time, so the vocabulary grows with the library, as a real one does. Phrases of
    common words ("large language models") still recur, as they do in real libraries.
    """

    SMOOTHING = 0.3
    RARE = 2
    RENAME = 0.9

    def __init__(self, sequences: list[list[str]]) -> None:
        follow: dict[str, Counter[str]] = defaultdict(Counter)
        counts: Counter[str] = Counter()
        for words in sequences:
            counts.update(words)
            for a, b in zip([START, *words], [*words, END], strict=True):
                follow[a][b] += 1
        self.table: dict[str, tuple[list[str], list[int]]] = {
            word: (list(nexts), list(accumulate(nexts.values()))) for word, nexts in follow.items()
        }
        self.words = list(counts)
        self.weights = list(accumulate(counts.values()))
        self.rare = {word for word, n in counts.items() if n <= self.RARE}

    def walk(self, rng: random.Random, limit: int) -> list[str]:
        words: list[str] = []
        word = START
        while len(words) < limit:
            if word in self.rare or (word != START and rng.random() < self.SMOOTHING):
                word = self.words[bisect.bisect(self.weights, rng.random() * self.weights[-1])]
            else:
                choices, weights = self.table[word]
                word = choices[bisect.bisect(weights, rng.random() * weights[-1])]
                if word == END:
                    break
            rename = word in self.rare and rng.random() < self.RENAME
            words.append(invented(word, rng) if rename else word)
        return words


@dataclass
class WordModel:
    """What the generator knows about real dumps: chains and the length mix."""

    titles: Chain
    sentences: Chain
    title_lengths: list[int]
    abstract_lengths: list[int]

    @classmethod
    def from_dumps(cls, directory: Path = DUMPS) -> WordModel:
        titles: list[list[str]] = []
        sentences: list[list[str]] = []
        title_lengths: list[int] = []
        abstract_lengths: list[int] = []
        for path in sorted(directory.glob("*.txt")):
            for paper in importers.open_dump(path).papers():
                subtitle = paper.title.split(": ", 1)[-1]
                titles.append(subtitle.split())
                title_lengths.append(len(paper.title))
                abstract_lengths.append(len(paper.abstract))
                for sentence in SENTENCE_END.split(paper.abstract):
                    words = [w for w in sentence.split() if "http" not in w and "github" not in w]
                    if len(words) >= 4:
                        sentences.append(words)
        if not titles:
            raise SystemExit(f"no real dumps found in {directory}")
        return cls(Chain(titles), Chain(sentences), title_lengths, abstract_lengths)


class Generator:
    """Invented papers, deterministic for a seed."""

    def __init__(self, model: WordModel, seed: int = 0) -> None:
        self.model = model
        self.rng = random.Random(seed)
        self.pool = [self.sentence() for _ in range(POOL_SENTENCES)]
        self.keys: set[str] = set()

    def sentence(self) -> str:
        return " ".join(self.model.sentences.walk(self.rng, 45))

    def name(self) -> str:
        rng = self.rng
        core = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3)))
        if rng.random() < 0.3:
            core = core.upper()[: rng.randint(3, 5)]
        return core.capitalize() + rng.choice(SUFFIXES)

    def title(self, name: str) -> str:
        rng = self.rng
        while True:
            words = self.model.titles.walk(rng, 18)
            if rng.random() < 0.62:
                words = [name + ":", *words]
            title = " ".join(words)
            key = re.sub(r"\W+", "", title.lower())
            if 12 <= len(title) <= 220 and key not in self.keys:
                self.keys.add(key)
                return title

    def abstract(self, name: str) -> str:
        rng = self.rng
        target = rng.choice(self.model.abstract_lengths)
        first = rng.choice(self.pool)
        parts = [f"We present {name}, {first[:1].lower()}{first[1:]}"]
        size = len(parts[0])
        while size < target - 80:
            sentence = rng.choice(self.pool)
            if rng.random() < 0.15:
                sentence = sentence.replace(" the ", f" {name} ", 1)
            parts.append(sentence)
            size += len(sentence) + 1
        text = " ".join(parts)
        if len(text) < 160:
            text += " " + rng.choice(self.pool)
        if rng.random() < CODE_RATE:
            text += " " + self.code_link(name)
        return text

    def code_link(self, name: str) -> str:
        rng = self.rng
        user = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 10)))
        repo = f"https://github.com/{user}/{name}"
        style = rng.random()
        if style < 0.80:
            return f"Code is available at {repo}."
        if style < 0.85:
            return f"Code: url{{{repo}}}."
        if style < 0.90:
            return f"Our code is at github.com/{user}/{name}."
        if style < 0.95:
            return f"Code and models: {repo} and https://huface.online/{user}/{name}."
        return f"Project page: https://{user}.github.io/{name.lower()}/."

    def paper(self) -> tuple[str, str]:
        name = self.name()
        return self.title(name), self.abstract(name)


def near_duplicate(title: str, rng: random.Random) -> str:
    """The same title as another page spells it: spacing, case or punctuation changed."""
    choice = rng.random()
    if choice < 0.4 and ": " in title:
        return title.replace(": ", " - ", 1)
    if choice < 0.7:
        return title.lower()
    return title.replace(" ", "", 1)


def papers(n: int, seed: int = 0, model: WordModel | None = None) -> Iterator[tuple[str, str]]:
    """`n` paper records, a DUPLICATE_RATE share of them repeats of earlier ones."""
    generator = Generator(model or WordModel.from_dumps(), seed)
    rng = random.Random(seed + 1)
    recent: list[tuple[str, str]] = []
    for _ in range(n):
        if recent and rng.random() < DUPLICATE_RATE:
            title, abstract = rng.choice(recent)
            if rng.random() < 0.3:
                title = near_duplicate(title, rng)
            yield title, abstract
            continue
        record = generator.paper()
        if len(recent) < 20_000:
            recent.append(record)
        else:
            recent[rng.randrange(len(recent))] = record
        yield record


def page_lines(records: list[tuple[str, str]], number: int, rng: random.Random) -> list[str]:
    """One dump file in a real layout: blank-line pages with dates, or compact pasted text."""
    if number % 3 == 2:
        lines = [
            "Get trending papers in your email inbox once a day!",
            "Get trending papers in your email inbox!",
        ]
        flat = [line for record in records for line in record]
        return [*lines, "Subscribe" + flat[0], *flat[1:]]
    lines = [*HEADER, SIGNATURE]
    for start in range(0, len(records), 200):
        if start:
            lines.extend([*HEADER, SIGNATURE])
        if number % 3 == 1:
            lines.append(f"{rng.choice(MONTHS)} {rng.randint(1, 28)}")
        for title, abstract in records[start : start + 200]:
            lines.extend([title, abstract])
    return lines


def write_dumps(
    out: Path, n: int, *, seed: int = 0, per_file: int = PER_FILE, model: WordModel | None = None
) -> list[Path]:
    """Write `n` papers to `out` as files of `per_file` papers; returns the files in order."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 2)
    written: list[Path] = []
    stream = papers(n, seed, model)
    for number, start in enumerate(range(0, n, per_file)):
        records = [next(stream) for _ in range(min(per_file, n - start))]
        path = out / f"synth_{number:04d}.txt"
        separator = "\n" if number % 3 == 2 else "\n\n"
        path.write_text(separator.join(page_lines(records, number, rng)) + "\n", encoding="utf-8")
        written.append(path)
    return written


def parse_size(text: str) -> int:
    """`10k`, `1m`, `300` as a number of papers."""
    text = text.strip().lower()
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", default="10k", help="how many papers (10k, 100k, 1m)")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-file", type=int, default=PER_FILE)
    args = parser.parse_args()
    files = write_dumps(args.out, parse_size(args.papers), seed=args.seed, per_file=args.per_file)
    print(f"wrote {len(files)} files to {args.out}")


if __name__ == "__main__":
    main()
