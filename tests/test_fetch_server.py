"""`papershelf.fetch` against a real HTTP server on 127.0.0.1 that answers like the
daily_papers API: pages, errors, 429 with Retry-After, a 500 then success, a slow
answer, invalid JSON, an empty day. The server lives here; the CLI and app tests
import it. Every fault must leave the library exactly as it was.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from adversarial.hostile import digest

from papershelf.fetch import (
    Client,
    FetchError,
    Listing,
    day,
    days,
    fetch,
    month,
    retry_after,
    week,
)
from papershelf.models import DumpError
from papershelf.shelf import Shelf, open_shelf

FIXTURES = Path(__file__).parent / "fixtures" / "hf_api"


def fixture_days() -> dict[str, list[object]]:
    """The invented days the server knows, by date."""
    return {path.stem: json.loads(path.read_text()) for path in FIXTURES.glob("2024-*.json")}


@dataclass
class Reply:
    """A scripted answer, served before the server's own."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class ApiServer:
    """`/api/daily_papers` over the fixture days: `date`, `week` or `month` chooses the
    papers, `limit` and `p` the page; `replies` are served first, one per request."""

    def __init__(self, known: dict[str, list[object]] | None = None) -> None:
        self.days = fixture_days() if known is None else known
        self.replies: list[Reply] = []
        self.requests: list[tuple[float, dict[str, str]]] = []
        self.ignore_pages = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                server.requests.append((time.monotonic(), query))
                reply = server.reply(parts.path, query)
                time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    self.wfile.write(reply.body)
                except OSError:
                    pass  # the client gave up waiting

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def papers(self, query: dict[str, str]) -> list[object]:
        if "date" in query:
            return self.days.get(query["date"], [])
        chosen = []
        for key, entries in sorted(self.days.items()):
            when = date.fromisoformat(key)
            iso = when.isocalendar()
            if query.get("week") == f"{iso.year}-W{iso.week:02d}" or query.get("month") == key[:7]:
                chosen.extend(entries)
        return chosen

    def reply(self, path: str, query: dict[str, str]) -> Reply:
        if self.replies:
            return self.replies.pop(0)
        if path != "/api/daily_papers":
            return Reply(404, b'{"error": "not found"}')
        entries = self.papers(query)
        limit = int(query.get("limit", 50))
        page = 0 if self.ignore_pages else int(query.get("p", 0))
        body = json.dumps(entries[page * limit : (page + 1) * limit]).encode()
        return Reply(body=body, headers={"Content-Type": "application/json"})

    def __enter__(self) -> ApiServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[ApiServer]:
    with ApiServer() as running:
        yield running


@pytest.fixture
def shelf(tmp_path: Path) -> Iterator[Shelf]:
    with open_shelf(tmp_path / "library.db") as opened:
        yield opened


def quick(server: ApiServer, **options: float) -> Client:
    """A client whose waits are short, so retries cost milliseconds."""
    settings: dict[str, float] = {"timeout": 2.0, "tries": 3, "backoff": 0.01, "max_wait": 0.5}
    settings.update(options)
    return Client(server.url, **settings)  # type: ignore[arg-type]


def titles(shelf: Shelf) -> list[str]:
    return [row[0] for row in shelf.lib.conn.execute("SELECT title FROM papers ORDER BY title")]


def refused(shelf: Shelf, server: ApiServer, listings: list[Listing], client: Client) -> str:
    """Run a fetch that must fail; the library must be untouched. Returns the error."""
    before = digest(shelf.lib.path)
    with pytest.raises(FetchError) as caught:
        fetch(shelf, listings, client)
    message = str(caught.value)
    assert "\n" not in message
    assert digest(shelf.lib.path) == before
    return message


def test_a_day_is_read_page_by_page_until_a_short_page(server: ApiServer, shelf: Shelf) -> None:
    fetched = fetch(shelf, [day("2024-11-20")], quick(server, page_size=2))
    assert [q["p"] for _, q in server.requests] == ["0", "1"]
    assert {q["limit"] for _, q in server.requests} == {"2"}
    assert fetched.imported[0].path == "hf:2024-11-20"
    assert (fetched.imported[0].papers, fetched.new) == (3, 3)
    assert titles(shelf) == [
        "Paper Boats: Floating Agents on Sparse Rewards",
        "Quiet Gradients: Training Without the Noise",
        "Tiny Lanterns for Long Contexts",
    ]
    sources = shelf.lib.conn.execute("SELECT path, format, papers FROM sources").fetchall()
    assert sources == [("hf:2024-11-20", "hf_json", 3)]


def test_a_second_fetch_of_the_same_day_imports_nothing(server: ApiServer, shelf: Shelf) -> None:
    fetch(shelf, [day("2024-11-20")], quick(server))
    before = digest(shelf.lib.path)
    again = fetch(shelf, [day("2024-11-20")], quick(server))
    assert again.new == 0 and again.imported[0].skipped
    assert digest(shelf.lib.path) == before


def test_sort_trending_is_asked_of_the_api(server: ApiServer, shelf: Shelf) -> None:
    fetch(shelf, [day("2024-11-21")], quick(server), sort="trending")
    assert server.requests[0][1] == {
        "date": "2024-11-21",
        "limit": "100",
        "p": "0",
        "sort": "trending",
    }


def test_a_week_and_a_month_are_one_listing_each(server: ApiServer, shelf: Shelf) -> None:
    fetched = fetch(shelf, [week("2024-W47")], quick(server))
    assert (fetched.imported[0].path, fetched.new) == ("hf:2024-W47", 5)
    again = fetch(shelf, [month("2024-11")], quick(server))
    assert (again.imported[0].path, again.new, again.imported[0].known) == ("hf:2024-11", 0, 5)


def test_an_empty_day_is_reported_and_writes_nothing(server: ApiServer, shelf: Shelf) -> None:
    before = digest(shelf.lib.path)
    fetched = fetch(shelf, [day("2024-11-23")], quick(server))
    assert fetched.imported == () and fetched.lines == ["hf:2024-11-23: no papers featured"]
    assert digest(shelf.lib.path) == before


def test_429_waits_as_long_as_retry_after_says(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(429, b"slow down", {"Retry-After": "1"})]
    fetched = fetch(shelf, [day("2024-11-21")], quick(server, max_wait=5.0))
    (first, _), (second, _) = server.requests
    assert second - first >= 0.9
    assert fetched.new == 2


def test_a_long_retry_after_is_cut_to_the_longest_wait(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(429, b"", {"Retry-After": "3600"})]
    fetched = fetch(shelf, [day("2024-11-21")], quick(server, max_wait=0.05))
    (first, _), (second, _) = server.requests
    assert second - first < 30
    assert fetched.new == 2


def test_429_every_time_gives_up_with_one_line(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(429, b"", {"Retry-After": "0"}) for _ in range(3)]
    message = refused(shelf, server, [day("2024-11-20")], quick(server))
    assert "HTTP 429" in message and "gave up after 3 tries" in message
    assert len(server.requests) == 3


def test_a_500_then_success_imports_the_day(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(500, b"oops"), Reply(502, b"gateway")]
    fetched = fetch(shelf, [day("2024-11-20")], quick(server))
    assert len(server.requests) == 3 and fetched.new == 3


def test_500_every_time_writes_nothing(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(503, b"down") for _ in range(3)]
    message = refused(shelf, server, [day("2024-11-20")], quick(server))
    assert "HTTP 503" in message and "daily_papers" in message


def test_a_slow_answer_times_out(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(body=b"[]", delay=1.0) for _ in range(2)]
    message = refused(shelf, server, [day("2024-11-20")], quick(server, timeout=0.2, tries=2))
    assert "no answer within 0.2 s" in message


def test_invalid_json_is_refused_at_once(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(body=b'[{"paper": {"title": "Cut off')]
    message = refused(shelf, server, [day("2024-11-20")], quick(server))
    assert "invalid JSON" in message and len(server.requests) == 1


def test_json_that_is_not_a_list_is_refused(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(body=b'{"error": "Invalid date"}')]
    message = refused(shelf, server, [day("2024-11-20")], quick(server))
    assert "expected a list of papers, got dict" in message


def test_an_http_error_is_not_retried(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(404, b"no such page")]
    message = refused(shelf, server, [day("2024-11-20")], quick(server))
    assert "HTTP 404" in message and len(server.requests) == 1


def test_offline_says_so_in_one_line(shelf: Shelf) -> None:
    with ApiServer() as gone:
        url = gone.url
    before = digest(shelf.lib.path)
    with pytest.raises(FetchError, match=r"cannot reach it .*offline") as caught:
        fetch(shelf, [day("2024-11-20")], Client(url, tries=1))
    assert "\n" not in str(caught.value) and digest(shelf.lib.path) == before


def test_a_failure_on_a_later_day_writes_no_earlier_day(server: ApiServer, shelf: Shelf) -> None:
    """Every listing is downloaded before the first is imported."""
    server.replies = [Reply(body=json.dumps(server.days["2024-11-20"]).encode())]
    server.replies += [Reply(500, b"") for _ in range(3)]
    listings = days(date(2024, 11, 20), date(2024, 11, 21))
    refused(shelf, server, listings, quick(server))


def test_entries_no_importer_can_read_write_nothing(server: ApiServer, shelf: Shelf) -> None:
    server.replies = [Reply(body=b'[{"paper": {"title": ""}}, 3]')]
    before = digest(shelf.lib.path)
    with pytest.raises(DumpError, match="hf:2024-11-20") as caught:
        fetch(shelf, [day("2024-11-20")], quick(server))
    assert "\n" not in str(caught.value) and digest(shelf.lib.path) == before


def test_a_server_that_ignores_the_page_is_read_once(server: ApiServer, shelf: Shelf) -> None:
    server.ignore_pages = True
    fetched = fetch(shelf, [day("2024-11-20")], quick(server, page_size=3))
    assert len(server.requests) == 2 and fetched.new == 3


def test_retry_after_is_seconds_or_a_date() -> None:
    now = datetime(2024, 11, 20, 12, 0, tzinfo=UTC).timestamp()
    assert retry_after("7", now) == 7.0
    assert retry_after("Wed, 20 Nov 2024 12:00:30 GMT", now) == 30.0
    assert retry_after("Wed, 20 Nov 2024 11:00:00 GMT", now) == 0.0
    assert retry_after("soon", now) is None and retry_after(None, now) is None
