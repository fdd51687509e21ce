"""Fetching Hugging Face from the app: `F` or the palette, a worker with the import
indicator, the `fetch_at_start` setting, and a failure that is a notification only.
The API is a real HTTP server on 127.0.0.1 (tests/test_fetch_server.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from adversarial.hostile import digest
from test_fetch_server import ApiServer, Reply, fixture_days
from textual.widgets import Static
from tui_helpers import detail_text, highlight, palette_offers, settle

from papershelf.config import Settings, save_settings
from papershelf.fetch import today_utc
from papershelf.library import Library
from papershelf.paths import app_config_path
from tui.widgets.import_progress import ImportProgress


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[ApiServer]:
    """Today's listing holds the three invented papers of 2024-11-20."""
    with ApiServer({today_utc().isoformat(): fixture_days()["2024-11-20"]}) as running:
        monkeypatch.setenv("HF_ENDPOINT", running.url)
        yield running


def fetched(db) -> list[tuple[str, int]]:
    with Library(db) as lib:
        return lib.conn.execute(
            "SELECT arxiv_id, upvotes FROM papers WHERE arxiv_id IS NOT NULL ORDER BY arxiv_id"
        ).fetchall()


async def test_f_fetches_the_new_days_with_an_indicator(make_app, library, tmp_path, server):
    """F shows which listing is being read while the API answers, then says what came in;
    the new paper's detail shows its authors and Hugging Face's counts."""
    today = today_utc().isoformat()
    server.replies = [
        Reply(body=json.dumps(server.days[today]).encode(), delay=0.6),
    ]
    app = make_app(inbox=tmp_path / "inbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await pilot.pause(0.3)
        indicator = app.screen.query_one(ImportProgress)
        assert indicator.display
        assert f"hf:{today}" in str(indicator.query_one("#import-label", Static).render())
        await settle(pilot)
        assert app.notes[-1] == (f"3 new papers from hf:{today}", "information")
        assert not indicator.display
        await pilot.press("slash", *"quiet gradients", "enter")
        await settle(pilot)
        await highlight(pilot, 0)
        await settle(pilot)
        shown = detail_text(app)
        assert "Quiet Gradients: Training Without the Noise" in shown
        assert "Ada Quill, Ben Marsh" in shown
        assert "42 upvotes · 310 GitHub stars · 4 comments" in shown
        assert "Keywords: gradient noise, variance reduction, optimizer" in shown
        await pilot.press("escape", "escape", "F")
        await settle(pilot)
        assert app.notes[-1] == ("Nothing new on Hugging Face (1 days looked at).", "information")
    assert fetched(library) == [("2411.10001", 42), ("2411.10002", 17), ("2411.10003", 8)]


async def test_the_palette_runs_the_fetch(make_app, library, tmp_path, server):
    app = make_app(inbox=tmp_path / "inbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"fetch daily")
        await palette_offers(pilot, "Fetch Daily Papers")
        await pilot.press("enter")
        await settle(pilot)
        assert app.said("3 new papers from hf:")
    assert len(fetched(library)) == 3


async def test_a_failed_fetch_is_a_notification_and_writes_nothing(
    make_app, library, tmp_path, server
):
    server.replies = [Reply(body=b"<html>maintenance</html>")]
    before = digest(library)
    app = make_app(inbox=tmp_path / "inbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await pilot.press("F")
        await settle(pilot)
        message, severity = app.notes[-1]
        assert severity == "error"
        assert message.startswith("Fetch failed: http://127.0.0.1:") and "invalid JSON" in message
        assert app.is_running
    assert digest(library) == before


async def test_fetch_at_start_when_the_setting_says_so(make_app, library, tmp_path, server):
    """Off by default: the app asks nothing of the API; on, it fetches as it starts."""
    app = make_app(inbox=tmp_path / "inbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
    assert server.requests == []
    with Library(library) as lib:
        before = lib.count()
    save_settings(Settings(fetch_at_start=True), app_config_path())
    app = make_app(inbox=tmp_path / "inbox")
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        assert app.said("3 new papers from hf:")
        assert len(app.screen.results.pks) == before + 3
    assert len(fetched(library)) == 3
