"""Text from dumps is data: titles that look like markup or escapes are shown as typed."""

from __future__ import annotations

import sqlite3

from factories import write_dump
from textual.widgets import Input
from tui_helpers import RecordingApp, detail_text, list_lines, settle

from papershelf.shelf import open_shelf
from tui.screens.export_dialog import ExportDialog
from tui.screens.link_picker import LinkPicker
from tui.screens.topic_editor import TopicEditor
from tui.widgets.paper_list import PaperList

PAYLOADS = [
    (
        "Attention [/] is [bold]all[/bold] you need",
        "Markup in an abstract: [red]red[/red] and [/]. Code: https://github.com/evil-lab/close.",
    ),
    (
        "[@click=app.quit]Click[/] to Retrieve Better",
        "A click action [@click=app.quit]quit[/] hidden in the abstract, with no links at all.",
    ),
    (
        "[link=file:///etc/passwd]x[/link] Leaks Secrets in Transformers",
        "Only https://github.com/evil-lab/link is a link; file:///etc/passwd is not one.",
    ),
]
RAW_TITLE = "Clipboard \x1b]52;c;aGVsbG8=\x07Hijack \u202eevil\u202c via Escape [b]Sequences"
SHOWN_RAW = "Clipboard Hijack evil via Escape [b]Sequences"


def hostile_library(tmp_path) -> tuple[str, list[str]]:
    """A library of payload titles, one written raw as an older library could hold it."""
    db = tmp_path / "hostile.db"
    dump = write_dump(tmp_path, "hostile.txt", papers=PAYLOADS)
    with open_shelf(db) as shelf:
        assert shelf.import_file(dump).new == len(PAYLOADS)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE papers SET title = ? WHERE pk = 1", (RAW_TITLE,))
    conn.close()
    return str(db), [SHOWN_RAW, *(title for title, _ in PAYLOADS[1:])]


async def test_payload_titles_render_literally_and_navigate(tmp_path):
    """Every payload title appears character for character in the list and the detail."""
    db, titles = hostile_library(tmp_path)
    app = RecordingApp(db)
    async with app.run_test(size=(220, 30)) as pilot:
        await settle(pilot)
        shown = list_lines(app)
        for index, title in enumerate(titles):
            assert shown[index].endswith(title)
            assert "\x1b" not in shown[index] and "\u202e" not in shown[index]
            assert detail_text(app).startswith(title)
            await pilot.press("j")
        await pilot.press("home")
        assert "[red]red[/red] and [/]" in detail_text(app)
        assert app.is_running


async def test_clicking_a_click_action_title_does_nothing_but_select(tmp_path):
    """A title holding `[@click=app.quit]` is just text: clicking it selects the row."""
    db, titles = hostile_library(tmp_path)
    app = RecordingApp(db)
    async with app.run_test(size=(220, 30)) as pilot:
        await settle(pilot)
        await pilot.click(PaperList, offset=(12, 2))
        await pilot.click(PaperList, offset=(12, 2))
        await settle(pilot)
        assert app.is_running
        assert detail_text(app).startswith(titles[1])


async def test_payloads_in_search_dialogs_and_notifications_stay_text(tmp_path):
    """Markup typed in the search, shown in dialogs or notified is never interpreted."""
    db, _ = hostile_library(tmp_path)
    app = RecordingApp(db)
    bad = tmp_path / "[bold]x[@click=app.quit] [link=file:x]\x1b[31m.txt"
    bad.write_text("not a dump at all\n", encoding="utf-8")
    async with app.run_test(size=(220, 30)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"[/]", "enter")
        await settle(pilot)
        assert app.screen.sub_title.startswith('"[/]" — ')
        await pilot.press("escape", "escape", "t")
        assert isinstance(app.screen, TopicEditor)
        await pilot.press("escape", "l")
        assert isinstance(app.screen, LinkPicker)
        await pilot.press("1")
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("escape", "i")
        app.screen.query_one(Input).value = str(bad)
        await pilot.press("enter")
        await settle(pilot)
        assert app.notes[-1][1] == "error" and str(bad) in app.notes[-1][0]
        assert app.is_running
