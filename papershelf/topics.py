"""Topic facets: the taxonomy a reader filters by, and the tagger that assigns it.

A topic is found from phrases (1 to 4 words) in a paper's title and abstract. Each phrase
sits in one of six lists, which say how much one mention of it is worth:

- ``strong``: decisive in the title; in the abstract one mention plus any other hint is
  enough ("knowledge distillation"), so a passing remark alone does not tag a paper.
- ``patterns``: one mention in the title is enough; in the abstract it takes three, or
  fewer together with other evidence ("distillation").
- ``weak``: hints ("teacher"); however many, they never tag a paper without stronger evidence.
- ``title``: words that mark the topic in a title but mean nothing in an abstract
  ("benchmark").
- ``ignore``: longer phrases that contain a pattern word but mean something else; they hide
  that word and count for nothing ("source code" hides "code").
- ``negative``: phrases that count against the topic ("vision-language" for text LLMs).

Matching ignores case, punctuation between words (hyphens too) and a plural "s", so
"fine-tuning" also finds "Fine tuning", "finetuning" and "fine-tunings". A pattern written
with capitals ("MoE", "ViT", "RAG") is an acronym and only matches with exactly that
capitalisation (plural "s" allowed), so the word "rag" or "moe" in running text does not
count. Where phrases overlap, the longest one wins: "vision-language model" is evidence for
Multimodal, not for Vision.

The defaults live in ``topics_default.toml``. A user's ``topics.toml`` uses the same format
and is merged over them::

    # drop topics you never want to see
    remove = ["survey", "model-merging"]

    # rename a topic and teach it more phrases (lists are added to the defaults)
    [topics.agents]
    name = "LLM Agents"
    strong = ["computer-use agent"]

    # start a topic's phrases from scratch
    [topics.code]
    replace = true
    strong = ["code generation", "program synthesis"]
    patterns = ["coding", "HumanEval"]

    # add a topic of your own
    [topics.robot-learning]
    name = "Robot Learning"
    group = "area"                 # "area" (what a paper is about) or "technique" (how)
    description = "imitation and reinforcement learning on real robots"
    strong = ["imitation learning", "sim-to-real"]
    patterns = ["robot", "manipulation"]
    ignore = ["image manipulation"]

Keys of a topic table: ``name``, ``group``, ``description``, ``replace`` and the six phrase
lists. A new topic needs a name and at least one phrase; its group defaults to "technique".
Topics keep the default order with new ones after their group. Mistakes raise
`TopicConfigError` naming the file and line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path
from typing import Any

from ahocorasick_rs import BytesAhoCorasick

from papershelf.files import FileProblem, read_text

GROUPS = ("area", "technique")
PHRASE_LISTS = ("strong", "patterns", "weak", "title", "ignore", "negative")
TOPIC_KEYS = ("name", "group", "description", "replace", *PHRASE_LISTS)
MAX_WORDS = 4

THRESHOLD = 6
"""Score a topic needs, in points; an abstract mention is worth the weight of its list."""
_BASE_WEIGHT = {"strong": 4, "patterns": 2, "title": 2, "weak": 1, "negative": -3}
TITLE_FACTOR = 3
"""A title mention counts three abstract mentions: titles name what a paper is about."""
ABSTRACT_CAP = 3
"""Repeating one phrase more than this often in an abstract adds nothing."""
WEAK_CAP = THRESHOLD // 2
"""All weak hints of a topic together stay below the threshold."""

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_STOPWORDS = frozenset(
    b"a an and are as at be by can for from has in is it of on or our that the this to was we "
    b"will with".split()
)
_FOLD = bytes(
    c + 32 if 65 <= c <= 90 else c if c >= 128 or chr(c).isalnum() else 32 for c in range(256)
)
"""Byte table: ASCII letters to lower case, ASCII punctuation to spaces, UTF-8 untouched."""
_RUNS = re.compile(rb"   *")
"""Two or more spaces, as a folded ", " leaves; spelt so ``re`` scans for a two-space literal."""


class TopicConfigError(ValueError):
    """A topics.toml that cannot be used; the message is one line naming file and line."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        self.path = path
        self.line = line
        self.problem = problem
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class Topic:
    """One facet of the sidebar and the phrases that find it (see the module docstring)."""

    slug: str
    name: str
    group: str
    description: str = ""
    strong: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """The topics in sidebar order: areas first, then techniques."""

    topics: tuple[Topic, ...]

    def __iter__(self) -> Iterator[Topic]:
        return iter(self.topics)

    def __len__(self) -> int:
        return len(self.topics)

    def __contains__(self, slug: object) -> bool:
        return any(topic.slug == slug for topic in self.topics)

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(topic.slug for topic in self.topics)

    def get(self, slug: str) -> Topic | None:
        return next((topic for topic in self.topics if topic.slug == slug), None)


def load_taxonomy(config_path: Path | None = None) -> Taxonomy:
    """The default taxonomy, merged with the user's topics.toml when one exists."""
    defaults = files("papershelf").joinpath("topics_default.toml").read_text(encoding="utf-8")
    topics = _merge({}, defaults, "papershelf/topics_default.toml")
    if config_path is not None:
        try:
            text = read_text(config_path)
        except FileProblem as error:
            raise TopicConfigError(str(config_path), None, str(error.strerror)) from None
        if text is not None:
            topics = _merge(topics, text, str(config_path))
    ordered = sorted(topics.values(), key=lambda topic: GROUPS.index(topic.group))
    return Taxonomy(tuple(ordered))


def _merge(topics: dict[str, Topic], text: str, path: str) -> dict[str, Topic]:
    """Apply one topics.toml to `topics` (kept in insertion order) and return the result."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _syntax_error(error, text, path) from None
    except RecursionError:
        raise TopicConfigError(path, None, "invalid TOML: nested too deeply") from None
    for key in data:
        if key not in ("remove", "topics"):
            line = _line_of(text, None, key)
            raise TopicConfigError(path, line, f"unknown key {key!r} (expected remove or topics)")
    merged = dict(topics)
    removals = data.get("remove", [])
    if not isinstance(removals, list) or not all(isinstance(s, str) for s in removals):
        raise TopicConfigError(
            path, _line_of(text, None, "remove"), "remove must be a list of slugs"
        )
    for slug in removals:
        if slug not in merged:
            line = _line_of(text, None, "remove", slug)
            raise TopicConfigError(path, line, f"cannot remove unknown topic {slug!r}")
        del merged[slug]
    tables = data.get("topics", {})
    if not isinstance(tables, dict):
        raise TopicConfigError(path, _line_of(text, None, "topics"), "topics must be a table")
    for slug, body in tables.items():
        merged[slug] = _topic_from_table(merged.get(slug), slug, body, text, path)
    return merged


def _topic_from_table(base: Topic | None, slug: str, body: Any, text: str, path: str) -> Topic:
    """Validate one [topics.<slug>] table and build the topic it describes."""

    def fail(problem: str, key: str | None = None, value: str | None = None) -> TopicConfigError:
        return TopicConfigError(path, _line_of(text, slug, key, value), problem)

    if not _SLUG.fullmatch(slug):
        raise fail(f"bad topic slug {slug!r}: use lower-case letters, digits and single hyphens")
    if not isinstance(body, dict):
        raise fail(f"topics.{slug} must be a table")
    for key in body:
        if key not in TOPIC_KEYS:
            raise fail(f"unknown key {key!r} in topics.{slug}", key)
    fields: dict[str, Any] = {}
    for key in ("name", "group", "description"):
        if key in body:
            value = body[key]
            if not isinstance(value, str) or (key != "description" and not value.strip()):
                raise fail(f"topics.{slug}.{key} must be a non-empty string", key)
            fields[key] = value.strip()
    if fields.get("group", GROUPS[0]) not in GROUPS:
        raise fail(f"topics.{slug}.group must be 'area' or 'technique'", "group")
    if not isinstance(body.get("replace", False), bool):
        raise fail(f"topics.{slug}.replace must be true or false", "replace")
    for key in PHRASE_LISTS:
        if key in body:
            fields[key] = _phrases(body[key], lambda p, v=None, k=key: fail(p, k, v), slug, key)
    if base is None:
        if "name" not in fields:
            raise fail(f"new topic {slug!r} needs a name")
        if not any(fields.get(key) for key in ("strong", "patterns", "title")):
            raise fail(f"new topic {slug!r} needs strong, patterns or title phrases")
        return Topic(slug=slug, group=fields.pop("group", "technique"), **fields)
    if not body.get("replace", False):
        for key in PHRASE_LISTS:
            if key in fields:
                fields[key] = getattr(base, key) + fields[key]
    elif not any(key in fields for key in PHRASE_LISTS):
        raise fail(f"topics.{slug} has replace = true but no phrases", "replace")
    else:
        fields = {**{key: () for key in PHRASE_LISTS}, **fields}
    return replace(base, **fields)


def _phrases(value: Any, fail: Any, slug: str, key: str) -> tuple[str, ...]:
    """Check a phrase list: strings of 1 to MAX_WORDS words."""
    if not isinstance(value, list):
        raise fail(f"topics.{slug}.{key} must be a list of phrases")
    for phrase in value:
        if not isinstance(phrase, str):
            raise fail(f"topics.{slug}.{key} must contain only strings")
        words = len(_words(phrase))
        if not 1 <= words <= MAX_WORDS:
            problem = f"pattern {phrase!r} in topics.{slug}.{key} has {words} words"
            raise fail(f"{problem}; a pattern needs 1 to {MAX_WORDS}", phrase)
    return tuple(value)


def _syntax_error(error: tomllib.TOMLDecodeError, text: str, path: str) -> TopicConfigError:
    """Turn tomllib's message (which carries the position in prose) into file:line form."""
    message = str(error)
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        problem = f"invalid TOML: {message[: found.start()]} (column {found.group(2)})"
        return TopicConfigError(path, int(found.group(1)), problem)
    problem = re.sub(r"\s*\(at end of document\)$", "", message)
    return TopicConfigError(path, text.count("\n") + 1, f"invalid TOML: {problem} at end of file")


def _line_of(text: str, slug: str | None, key: str | None, value: str | None = None) -> int | None:
    """1-based line of a topic's table, a key in it, or a string value, found in the text.

    tomllib reports positions only for syntax errors, so semantic errors look the place up.
    """
    lines = text.splitlines()
    start, end = 0, len(lines)
    if slug is not None:
        quoted = rf"""["']?{re.escape(slug)}["']?"""
        header = re.compile(rf"^\s*\[\s*topics\s*\.\s*{quoted}\s*\]")
        dotted = re.compile(rf"^\s*(?:topics\s*\.\s*)?{quoted}\s*[.=]")
        found = next((i for i, line in enumerate(lines) if header.match(line)), None)
        if found is None:
            found = next((i for i, line in enumerate(lines) if dotted.match(line)), None)
        if found is None:
            return None
        start = found
        end = next(
            (i for i in range(found + 1, len(lines)) if lines[i].lstrip().startswith("[")), end
        )
    if key is not None:
        assignment = re.compile(rf"""^\s*(?:[\w"'.-]+\.)?["']?{re.escape(key)}["']?\s*=""")
        hit = next((i for i in range(start, end) if assignment.match(lines[i])), None)
        if hit is not None:
            start = hit
    if value is not None:
        needles = (f'"{value}"', f"'{value}'")
        hit = next((i for i in range(start, end) if any(n in lines[i] for n in needles)), None)
        if hit is not None:
            start = hit
    return start + 1


def _words(text: str) -> list[bytes]:
    """Lower-case words as the tagger sees them: ASCII punctuation (hyphens too) separates."""
    return text.encode("utf-8", "replace").translate(_FOLD).split()


def _plural(word: bytes) -> bytes | None:
    """The plural of a phrase's last word, if it looks like a noun."""
    if word in _STOPWORDS or not word.decode().isalpha() or word.endswith(b"s") or len(word) < 2:
        return None
    if word.endswith(b"y") and word[-2:-1] not in b"aeiou":
        return word[:-1] + b"ies"
    if word.endswith((b"ch", b"sh", b"x", b"z")):
        return word + b"es"
    return word + b"s"


def _variants(phrase: str) -> list[tuple[bytes, ...]]:
    """The word sequences a phrase matches: as written, joined at hyphens, plural last word."""
    forms = [tuple(_words(phrase))]
    if re.search(r"\w-\w", phrase):
        forms.append(tuple(_words(" ".join(w.replace("-", "") for w in phrase.split()))))
    for form in list(forms):
        plural = _plural(form[-1])
        if plural is not None:
            forms.append((*form[:-1], plural))
    return list(dict.fromkeys(forms))


_SPACE = r"\x00-/:-@\[-`{-\x7f"
"""Regex class body of what _FOLD turns into spaces (ASCII but letters and digits).

Word characters are written as its negation: a class spelling out all of Unicode takes
20 ms to compile, once per acronym.
"""


def _acronym_regex(phrase: str) -> re.Pattern[str]:
    """Exact-case match of an acronym phrase, any punctuation between words, plural allowed."""
    parts = [re.escape(part) for part in re.findall(f"[^{_SPACE}]+", phrase)]
    parts[0] += f"(?<![^{_SPACE}]{parts[0]})"  # after the literal, so re can scan for it fast
    body = f"[{_SPACE}]+".join(parts)
    return re.compile(f"{body}s?(?![^{_SPACE}])")


def _contained(
    pid: int, forms: list[tuple[bytes, ...]], owners: dict[tuple[bytes, ...], set[int]]
) -> tuple[int, ...]:
    """Phrases whose words occur contiguously inside this one (the longest match wins)."""
    found: set[int] = set()
    for form in forms:
        for size in range(1, len(form)):
            for start in range(len(form) - size + 1):
                found |= owners.get(form[start : start + size], set())
    found.discard(pid)
    return tuple(sorted(found))


_Key = tuple[bytes, ...] | str
"""A phrase as the tagger keys it: its lower-case words, or the exact text of an acronym."""
_Uses = list[dict[int, set[str]]]
"""Per phrase id: topic index -> the lists the phrase is in for that topic."""


def _phrase_uses(taxonomy: Taxonomy) -> tuple[dict[_Key, int], _Uses]:
    """Number the distinct phrases and record which lists of which topics hold each."""
    keys: dict[_Key, int] = {}
    uses: _Uses = []
    for index, topic in enumerate(taxonomy):
        for kind in PHRASE_LISTS:
            for phrase in getattr(topic, kind):
                key = phrase if phrase != phrase.lower() else tuple(_words(phrase))
                pid = keys.setdefault(key, len(keys))
                if pid == len(uses):
                    uses.append({})
                uses[pid].setdefault(index, set()).add(kind)
    return keys, uses


def _phrase_forms(keys: dict[_Key, int], uses: _Uses) -> list[list[tuple[bytes, ...]]]:
    """The word sequences each phrase owns.

    A variant that is also listed as a phrase of its own ("scaling laws" beside "scaling
    law") belongs to that phrase; the variant's topics are added to it (in `uses`) unless
    that listing already says what the phrase means for them.
    """
    owner = {key: pid for key, pid in keys.items() if isinstance(key, tuple)}
    forms: list[list[tuple[bytes, ...]]] = [[] for _ in keys]
    for key, pid in keys.items():
        if isinstance(key, str):
            forms[pid] = _variants(key)
            continue
        for form in _variants(" ".join(word.decode() for word in key)):
            holder = owner.setdefault(form, pid)
            if holder == pid:
                forms[pid].append(form)
            else:
                for index, kinds in uses[pid].items():
                    uses[holder].setdefault(index, kinds)
    return forms


def _pass_through(uses: _Uses, subs: dict[int, tuple[int, ...]]) -> None:
    """An ignore-only phrase hides its words for its own topics, not for every topic.

    "retrieval-augmented generation" is ignored by Generation, but it is still strong
    evidence for Retrieval, whose phrase "retrieval-augmented" it contains.
    """
    for pid, contained in subs.items():
        if any(kinds != {"ignore"} for kinds in uses[pid].values()):
            continue
        for sub in contained:
            for index, kinds in uses[sub].items():
                uses[pid].setdefault(index, kinds)


class Tagger:
    """Assigns topic slugs to a paper; built once per taxonomy, then called per paper.

    Speed is the design constraint (a million papers at import time). Every word sequence a
    phrase matches becomes a needle, its words between single spaces (" language model "),
    in one Aho-Corasick automaton. A field is folded to lower-case words between single
    spaces, so one pass in C finds every occurrence of every phrase, overlapping ones too,
    whatever punctuation stood between the words. A sequence two phrases share is two
    needles, so needle number to phrase id is a list lookup; Python then only counts the
    matches, settles acronyms and overlaps, and adds up the points.
    """

    def __init__(self, taxonomy: Taxonomy) -> None:
        self.taxonomy = taxonomy
        self._slugs = taxonomy.slugs
        keys, uses = _phrase_uses(taxonomy)
        forms = _phrase_forms(keys, uses)
        self._acronyms = {pid: _acronym_regex(k) for k, pid in keys.items() if isinstance(k, str)}
        owners: dict[tuple[bytes, ...], set[int]] = {}
        for pid, pforms in enumerate(forms):
            for form in pforms:
                owners.setdefault(form, set()).add(pid)
        self._length = [len(pforms[0]) for pforms in forms]
        self._subs = {
            pid: subs
            for pid, pforms in enumerate(forms)
            if (subs := _contained(pid, pforms, owners))
        }
        _pass_through(uses, self._subs)
        self._settling = frozenset(self._acronyms) | frozenset(self._subs)
        self._title_uses = [self._weights(u, title=True) for u in uses]
        self._abstract_uses = [self._weights(u, title=False) for u in uses]
        needles = [
            (b" %s " % b" ".join(form), pid) for pid, pforms in enumerate(forms) for form in pforms
        ]
        self._automaton = BytesAhoCorasick([needle for needle, _ in needles])
        self._pids = [pid for _, pid in needles]

    @staticmethod
    def _weights(topics: dict[int, set[str]], *, title: bool) -> tuple[tuple[int, int, bool], ...]:
        """(topic index, points per occurrence, is weak) for one phrase in one field.

        A phrase in several lists of a topic counts as its strongest in that field:
        "benchmark" in both weak and title is a title word in titles, a hint elsewhere.
        """
        out = []
        for index, kinds in topics.items():
            counted = [kind for kind in kinds if kind != "ignore" and (title or kind != "title")]
            if not counted:
                continue
            kind = max(counted, key=lambda k: (_BASE_WEIGHT[k] > 0, abs(_BASE_WEIGHT[k])))
            points = _BASE_WEIGHT[kind]
            out.append((index, points * TITLE_FACTOR if title else points, kind == "weak"))
        return tuple(out)

    def tag(self, title: str, abstract: str) -> tuple[str, ...]:
        """Slugs of the topics the paper has enough evidence for, in taxonomy order."""
        points = self._points(title, abstract)
        slugs = self._slugs
        return tuple(slugs[index] for index in sorted(points) if points[index] >= THRESHOLD)

    def scores(self, title: str, abstract: str) -> dict[str, int]:
        """Every topic with evidence and its score (THRESHOLD or more means tagged)."""
        points = self._points(title, abstract)
        return {self._slugs[index]: points[index] for index in sorted(points) if points[index]}

    def _points(self, title: str, abstract: str) -> dict[int, int]:
        """Score per topic index, for the topics the paper mentions at all."""
        strong: dict[int, int] = {}
        weak: dict[int, int] = {}
        for text, uses, cap in (
            (title, self._title_uses, 1),
            (abstract, self._abstract_uses, ABSTRACT_CAP),
        ):
            for pid, count in self._counts(text).items():
                if count > 0:
                    if count > cap:
                        count = cap
                    for index, per, is_weak in uses[pid]:
                        if is_weak:
                            weak[index] = weak.get(index, 0) + per * count
                        else:
                            strong[index] = strong.get(index, 0) + per * count
        for index, hints in weak.items():
            strong[index] = strong.get(index, 0) + (hints if hints < WEAK_CAP else WEAK_CAP)
        return strong

    def _counts(self, text: str) -> dict[int, int]:
        """Occurrences of each phrase in one field, after longer phrases claimed their words."""
        folded = _RUNS.sub(b" ", b" %s " % text.encode("utf-8", "replace").translate(_FOLD))
        counts: dict[int, int] = {}
        pids = self._pids
        # a plain dict beats Counter here: its constructor costs more than these few matches
        for needle, _, _ in self._automaton.find_matches_as_indexes(folded, overlapping=True):
            pid = pids[needle]
            counts[pid] = counts.get(pid, 0) + 1
        if not self._settling.isdisjoint(counts):
            self._settle(counts, text)
        return counts

    def _settle(self, counts: dict[int, int], text: str) -> None:
        """Recount acronyms with their exact case, then let longer phrases claim their words."""
        for pid in self._acronyms.keys() & counts.keys():
            counts[pid] = len(self._acronyms[pid].findall(text))
        claiming = self._subs.keys() & counts.keys()
        for pid in sorted(claiming, key=self._length.__getitem__, reverse=True):
            if (claimed := counts[pid]) > 0:
                for sub in self._subs[pid]:
                    if sub in counts:
                        counts[sub] -= claimed
