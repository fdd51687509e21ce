"""Every payload shown by the reading app is literal text: the list, the detail, the facets,
the command palette, dialogs and notifications, with no control sequence on screen.

`tests/tui/test_tui_hostile.py` clicks the payloads and drives the dialogs; this module
sweeps the whole screen, for every payload, at every place a payload can be shown.
"""

from __future__ import annotations

from pathlib import Path

from hostile import DUMP_NAME, PAYLOADS, TOPIC_NAME, forbidden
from rendered import notifications, screen_text, settle
from textual.widgets import Input

from papershelf.text import one_line
from tui.app import PapershelfApp
from tui.widgets.paper_detail import PaperDetail

SIZE = (160, 48)


def detail_plain(app: PapershelfApp) -> str:
    """The detail pane's text, whitespace folded (it wraps and keeps abstract line breaks)."""
    return " ".join(app.screen.query_one(PaperDetail).text.plain.split())


async def test_list_detail_and_dialogs_show_every_payload_literally(hostile_db: Path) -> None:
    """Each hostile title appears literally in the list and, highlighted, in the detail; a
    raw abstract holding every payload, a raw link and a raw note are shown inertly in the
    detail (in its pane and full screen), the link picker, the topic editor and the export
    dialog; nothing on screen is ever a control, C1 or bidi character."""
    app = PapershelfApp(hostile_db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        screen = screen_text(app)
        assert forbidden(screen) == []
        for name, payload in PAYLOADS.items():
            assert f"{payload.shown} Raw" in screen, name
        for name, payload in PAYLOADS.items():
            assert detail_plain(app).startswith(f"{payload.shown} Raw"), name
            assert forbidden(detail_plain(app)) == [], name
            await pilot.press("down")
            await pilot.pause()
        await pilot.press("home", "down")  # pk 2: every payload in its abstract
        await settle(pilot)
        for name, payload in PAYLOADS.items():
            assert " ".join(payload.shown.split()) in detail_plain(app), name
        await pilot.press("enter")
        await settle(pilot)
        assert forbidden(screen_text(app)) == []
        await pilot.press("escape", "down")  # pk 3: its code link was stored raw
        await settle(pilot)
        for key in ("enter", "l", "t", "e"):
            await pilot.press(key)
            await settle(pilot)
            assert forbidden(screen_text(app)) == [], key
            await pilot.press("escape")
            await settle(pilot)
        assert app.is_running


async def test_facets_and_palette_show_a_hostile_topic_name_literally(hostile_db: Path) -> None:
    """A topic whose name holds markup and escapes is listed in the sidebar, offered by the
    command palette and described in the header as literal text, and choosing it works."""
    app = PapershelfApp(hostile_db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "[/] Topic [MASK]" in screen_text(app)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"Topic: [/]")
        await settle(pilot)
        palette = screen_text(app)
        assert forbidden(palette) == []
        assert "Topic: [/] Topic [MASK] evil" in palette
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running
        assert forbidden(screen_text(app)) == []
        assert TOPIC_NAME.shown in app.screen.sub_title
        assert forbidden(app.screen.sub_title) == []


async def test_import_notifications_name_a_hostile_file_literally(
    hostile_db: Path, tmp_path: Path
) -> None:
    """Importing a hostile-named file, good or bad, notifies with its name shown inertly."""
    good = hostile_db.parent / DUMP_NAME.raw
    good.write_text(
        "Subscribe\n\nA Paper With a Hostile File Name\n\n" + "An abstract. " * 20 + "\n"
    )
    bad = tmp_path / "\x1b]52;c;SGk=\x07[bold]bad\u202e.txt"
    bad.write_text("not a dump\n")
    app = PapershelfApp(hostile_db)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        for path in (good, bad):
            await pilot.press("i")
            await settle(pilot)
            app.screen.query_one(Input).value = str(path)
            await pilot.press("enter")
            await settle(pilot)
            assert forbidden(screen_text(app)) == [], one_line(str(path))
        assert app.is_running
        imported, rejected = notifications(app)
        assert DUMP_NAME.shown in imported and "1 new" in imported
        assert "[bold]bad.txt: not a Hugging Face Daily Papers dump" in rejected
        assert forbidden(imported + rejected) == []
