"""Hugging Face Daily Papers straight from the API, into the library like a dump.

A fetch names listings: a day (`date=2024-11-20`), an ISO week (`week=2024-W47`) or a
month (`month=2024-11`), each read from `{HF_ENDPOINT}/api/daily_papers` page by page
(`p`, `limit`) until a short page. Each listing becomes one dump held in memory, named
`hf:2024-11-20`, and goes through the importer registry (`importers.hf_json` reads it)
and the one ingest path: all or nothing, deduplicated against text dumps by title and
arXiv id, recorded as a source of that name. A listing whose exact bytes were imported
before is skipped, so a second fetch of an unchanged day imports nothing.

Every listing is downloaded and parsed before the first is written, so a failure (no
network, an HTTP error, a response that is not a list of papers) writes nothing. 429 and
5xx answers and timeouts are retried with doubling waits; a 429's Retry-After is
honoured up to `Client.max_wait`. The waits are parameters, so tests keep them short.

Only the standard library's urllib is used: one GET of a small JSON page at a time
needs no HTTP dependency. It and the importers are loaded on first use, as the app
imports this module at start and most starts fetch nothing.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from papershelf import __version__
from papershelf.library import Library
from papershelf.models import ImportSummary
from papershelf.shelf import Shelf

if TYPE_CHECKING:
    from importers import Dump

ENDPOINT_ENV = "HF_ENDPOINT"
DEFAULT_ENDPOINT = "https://huggingface.co"
PAGE_SIZE = 100
MAX_PAGES = 100
"""A listing longer than this many pages is cut: a server that ignores `p` stops here."""
MAX_DAYS = 30
"""A fetch with no listing named goes back at most this many days."""
MAX_BYTES = 64 * 1024 * 1024
PREFIX = "hf:"
WEEK = re.compile(r"\d{4}-W(0[1-9]|[1-4]\d|5[0-3])")
MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")
SORTS = ("publishedAt", "trending")

Progress = Callable[[str, int], None]
"""Called with a listing's name and how many papers of it were read so far."""


class FetchError(Exception):
    """A listing could not be fetched; the message is one line naming it and the problem."""


@dataclass(frozen=True, slots=True)
class Listing:
    """One query of the daily papers API: `kind` is date, week or month."""

    kind: str
    value: str

    @property
    def name(self) -> str:
        """The name the library records it under, as it would a dump's path."""
        return PREFIX + self.value


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a day like 2024-11-20") from None


def day(value: str) -> Listing:
    """The listing of one day; raises ValueError on anything but a day like 2024-11-20."""
    return Listing("date", parse_day(value).isoformat())


def week(value: str) -> Listing:
    if not WEEK.fullmatch(value):
        raise ValueError(f"{value!r} is not an ISO week like 2024-W47")
    return Listing("week", value)


def month(value: str) -> Listing:
    if not MONTH.fullmatch(value):
        raise ValueError(f"{value!r} is not a month like 2024-11")
    return Listing("month", value)


def days(first: date, last: date) -> list[Listing]:
    return [day((first + timedelta(n)).isoformat()) for n in range((last - first).days + 1)]


def last_fetched(lib: Library) -> date | None:
    """The latest day a fetch imported papers of (empty days leave no trace)."""
    row = lib.conn.execute(
        "SELECT max(substr(path, 4)) FROM sources WHERE path GLOB "
        "'hf:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'"
    ).fetchone()
    return date.fromisoformat(row[0]) if row[0] else None


def since_last(lib: Library, today: date) -> list[Listing]:
    """The days from the last fetched one (again: it may have grown) to today, at most
    `MAX_DAYS`; only today on a first fetch."""
    start = last_fetched(lib) or today
    return days(max(start, today - timedelta(MAX_DAYS - 1)), today)


def endpoint() -> str:
    """The Hub's base URL: `HF_ENDPOINT` as huggingface_hub reads it, else huggingface.co."""
    return (os.environ.get(ENDPOINT_ENV) or DEFAULT_ENDPOINT).rstrip("/")


def retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header: a number of seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    import email.utils

    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(when.timestamp() - now, 0.0)


@dataclass(frozen=True, slots=True)
class Client:
    """GETs pages of the API with a timeout, retrying 429, 5xx and timeouts.

    Waits double from `backoff`; a Retry-After longer than `max_wait` is cut to it, so
    a server asking for an hour does not freeze the fetch.
    """

    base: str
    timeout: float = 20.0
    tries: int = 4
    backoff: float = 1.0
    max_wait: float = 30.0
    page_size: int = PAGE_SIZE

    def url(self, listing: Listing, page: int, sort: str | None) -> str:
        import urllib.parse

        query = {listing.kind: listing.value, "limit": self.page_size, "p": page}
        if sort:
            query["sort"] = sort
        return f"{self.base}/api/daily_papers?{urllib.parse.urlencode(query)}"

    def get(self, url: str) -> bytes:
        """The body of a 200 answer; raises FetchError with the last problem."""
        import http.client
        import urllib.error
        import urllib.request

        request = urllib.request.Request(
            url, headers={"Accept": "application/json", "User-Agent": f"papershelf/{__version__}"}
        )
        wait = self.backoff
        for attempt in range(1, self.tries + 1):
            pause = wait
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body: bytes = response.read(MAX_BYTES + 1)
                if len(body) > MAX_BYTES:
                    raise FetchError(f"{url}: answer larger than {MAX_BYTES // 2**20} MiB")
                return body
            except urllib.error.HTTPError as error:
                problem = f"HTTP {error.code} {error.reason}"
                if error.code != 429 and error.code < 500:
                    raise FetchError(f"{url}: {problem}") from None
                asked = retry_after(error.headers.get("Retry-After"), time.time())
                pause = wait if asked is None else asked
            except TimeoutError:
                problem = f"no answer within {self.timeout:g} s"
            except http.client.HTTPException as error:
                problem = f"the answer broke off ({type(error).__name__})"
            except urllib.error.URLError as error:
                if not isinstance(error.reason, TimeoutError):
                    reason = getattr(error.reason, "strerror", None) or error.reason
                    raise FetchError(f"{url}: cannot reach it ({reason}); offline?") from None
                problem = f"no answer within {self.timeout:g} s"
            except OSError as error:
                raise FetchError(f"{url}: connection failed ({error.strerror or error})") from None
            if attempt < self.tries:
                time.sleep(min(pause, self.max_wait))
                wait *= 2
        raise FetchError(f"{url}: {problem} (gave up after {self.tries} tries)")

    def entries(
        self, listing: Listing, sort: str | None = None, on_progress: Progress | None = None
    ) -> list[object]:
        """Every entry of a listing, page after page until a short one."""
        found: list[object] = []
        previous: bytes | None = None
        if on_progress:
            on_progress(listing.name, 0)
        for page in range(MAX_PAGES):
            url = self.url(listing, page, sort)
            body = self.get(url)
            if body == previous:
                break  # the server ignores `p`: this page was read already
            previous = body
            try:
                items = json.loads(body)
            except (UnicodeDecodeError, json.JSONDecodeError) as error:
                raise FetchError(f"{url}: invalid JSON ({error})") from None
            if not isinstance(items, list):
                raise FetchError(f"{url}: expected a list of papers, got {type(items).__name__}")
            found.extend(items)
            if on_progress:
                on_progress(listing.name, len(found))
            if len(items) < self.page_size:
                break
        return found


@dataclass(frozen=True, slots=True)
class Fetched:
    """What a fetch brought in: one summary per listing with papers, the empty ones."""

    imported: tuple[ImportSummary, ...] = ()
    empty: tuple[str, ...] = ()

    @property
    def new(self) -> int:
        return sum(s.new for s in self.imported)

    @property
    def lines(self) -> list[str]:
        return [s.line for s in self.imported] + [f"{n}: no papers featured" for n in self.empty]


def download(
    client: Client,
    listings: Iterable[Listing],
    sort: str | None = None,
    on_progress: Progress | None = None,
) -> tuple[list[Dump], list[str]]:
    """Each listing as a checked dump (parsed once, so a bad entry fails here, before
    anything is written), and the names of the listings without papers."""
    import importers

    dumps: list[Dump] = []
    empty: list[str] = []
    for listing in listings:
        entries = client.entries(listing, sort, on_progress)
        if not entries:
            empty.append(listing.name)
            continue
        text = json.dumps(entries, ensure_ascii=False, indent=1)
        dump = importers.text_dump(listing.name, text)
        for _ in dump.papers():
            pass
        dumps.append(dump)
    return dumps, empty


def fetch(
    shelf: Shelf,
    listings: Iterable[Listing],
    client: Client,
    *,
    sort: str | None = None,
    on_progress: Progress | None = None,
) -> Fetched:
    """Download every listing, then import each through the one ingest path.

    Raises FetchError (nothing written), DumpError (an answer no importer can read;
    nothing written) or the library's errors.
    """
    from papershelf.ingest import ingest

    dumps, empty = download(client, listings, sort, on_progress)
    imported = []
    for dump in dumps:

        def step(papers: int, name: str = dump.path) -> None:
            if on_progress:
                on_progress(name, papers)

        imported.append(ingest(shelf.lib, dump, shelf.tagger, on_progress=step))
    return Fetched(tuple(imported), tuple(empty))


def today_utc() -> date:
    """Hugging Face's days are UTC days."""
    return datetime.now(UTC).date()
