"""One dark and one light theme at the two sizes the layout is designed for (120x36 and
80x24): the colours, the collapsed sidebar and the narrow footer, as drawn.

Regenerate after an intended change of look with
`pytest tests/tui/test_tui_theme_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

import pytest
from tui_helpers import steady

from papershelf.config import Settings, save_settings
from papershelf.paths import app_config_path


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light"])
@pytest.mark.parametrize("size", [(120, 36), (80, 24)], ids=["120x36", "80x24"])
def test_theme_at_size(snap_compare, make_app, theme, size):
    save_settings(Settings(theme=theme), app_config_path())

    async def before(pilot):
        await steady(pilot)
        await pilot.press("j", "space", "j", "s")
        await steady(pilot)

    assert snap_compare(make_app(), terminal_size=size, run_before=before)
