"""What the app says about a copy: a copy over OSC 52 is "sent", with how tmux passes it on,
and the link picker says what Enter does in plain English."""

from __future__ import annotations

from test_tui_links import first
from tui_helpers import highlight, settle

from tui.screens.link_picker import LinkPicker


async def copy_toast(app, library) -> tuple[str, str]:
    """What the toast says after c on the first paper with a code link, and that link."""
    index, paper = first(library, lambda p: p.code_url is not None)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        await pilot.press("c")
    return app.notes[-1][0], paper.code_url


async def test_under_tmux_the_copy_toast_says_what_was_sent_and_how_to_enable_it(
    make_app, library, monkeypatch
):
    monkeypatch.setenv("TMUX", "/tmp/tmux-1000/default,4242,0")
    message, url = await copy_toast(make_app(), library)
    assert message.startswith("Sent the code link to the terminal's clipboard (OSC 52)")
    assert url in message and "set -g set-clipboard on" in message


async def test_outside_tmux_the_toast_does_not_mention_tmux(make_app, library, monkeypatch):
    monkeypatch.delenv("TMUX", raising=False)
    message, _ = await copy_toast(make_app(), library)
    assert "OSC 52" in message and "tmux" not in message


async def test_the_link_picker_says_enter_copies_or_opens(make_app, library):
    index, _ = first(library, lambda p: p.code_url is None and len(p.links) > 0)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        await highlight(pilot, index)
        for key, said in (("l", "Enter copies"), ("o", "Enter opens")):
            await pilot.press(key)
            assert isinstance(app.screen, LinkPicker)
            subtitle = app.screen.query_one(".dialog").border_subtitle
            assert said in subtitle and "copys" not in subtitle
            await pilot.press("escape")
            await pilot.pause()
