"""The reader's current view as an immutable value.

A `Query` is free text plus filters. It parses from and prints to the same little
language the search box and the CLI accept (`topic:quantization is:unread kv cache`),
builds new views with small verbs (`q.in_topic("peft").unread()`), and describes itself
for the header (`unread · Quantization · "kv cache"`), all without a database or a UI.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

ReadState = Literal["all", "unread", "read"]


@dataclass(frozen=True, slots=True)
class Query:
    text: str = ""
    topics: tuple[str, ...] = ()
    state: ReadState = "all"
    starred: bool = False
    has_code: bool = False
    list_name: str | None = None
    no_topic: bool = False

    @classmethod
    def parse(cls, source: str) -> Query:
        """Read the search-box language; unknown `key:value` words stay free text."""
        try:
            words = shlex.split(source)
        except ValueError:
            words = source.split()
        query = cls()
        free: list[str] = []
        for word in words:
            key, sep, value = word.partition(":")
            key = key.lower()
            if not sep or not value:
                free.append(word)
            elif key == "topic":
                query = query.in_topic(value.lower())
            elif key == "is" and value.lower() in ("read", "unread"):
                query = replace(query, state=value.lower())  # type: ignore[arg-type]
            elif key == "is" and value.lower() == "starred":
                query = replace(query, starred=True)
            elif key == "has" and value.lower() == "code":
                query = replace(query, has_code=True)
            elif key == "no" and value.lower() == "topic":
                query = replace(query, no_topic=True)
            elif key == "list":
                query = replace(query, list_name=value)
            else:
                free.append(word)
        return replace(query, text=" ".join(free))

    def __str__(self) -> str:
        parts = [f"topic:{slug}" for slug in self.topics]
        if self.no_topic:
            parts.append("no:topic")
        if self.state != "all":
            parts.append(f"is:{self.state}")
        if self.starred:
            parts.append("is:starred")
        if self.has_code:
            parts.append("has:code")
        if self.list_name:
            parts.append(f"list:{shlex.quote(self.list_name)}")
        if self.text:
            parts.append(self.text)
        return " ".join(parts)

    def matching(self, text: str) -> Query:
        return replace(self, text=" ".join(text.split()))

    def in_topic(self, slug: str) -> Query:
        if slug in self.topics:
            return self
        return replace(self, topics=(*self.topics, slug), no_topic=False)

    def without_topic(self, slug: str) -> Query:
        return replace(self, topics=tuple(t for t in self.topics if t != slug))

    def toggle_topic(self, slug: str) -> Query:
        return self.without_topic(slug) if slug in self.topics else self.in_topic(slug)

    def untopiced(self) -> Query:
        return replace(self, topics=(), no_topic=True)

    def with_state(self, state: ReadState) -> Query:
        return replace(self, state=state)

    def only_starred(self, starred: bool = True) -> Query:
        return replace(self, starred=starred)

    def with_code(self, has_code: bool = True) -> Query:
        return replace(self, has_code=has_code)

    def in_list(self, name: str | None) -> Query:
        return replace(self, list_name=name)

    def cleared(self) -> Query:
        """Every filter off; the search text stays, since clearing it is its own step."""
        return Query(text=self.text)

    @property
    def is_filtered(self) -> bool:
        return self != Query()

    def describe(self, topic_names: Mapping[str, str] | None = None) -> str:
        names = topic_names or {}
        parts: list[str] = []
        if self.state != "all":
            parts.append(self.state)
        if self.starred:
            parts.append("starred")
        if self.has_code:
            parts.append("with code")
        if self.list_name:
            parts.append(f"list {self.list_name}")
        if self.no_topic:
            parts.append("no topic")
        parts.extend(names.get(slug, slug) for slug in self.topics)
        if self.text:
            parts.append(f'"{self.text}"')
        return " · ".join(parts) if parts else "all papers"
