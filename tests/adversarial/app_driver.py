"""The real reading app, headless, marking papers one by one until it is killed.

Run as `python app_driver.py LIBRARY`: it opens the app on LIBRARY with Pilot, then for
each paper but the last presses Space (read) and `s` (star) and prints `ACK <paper id>`
once the app's own connection reads the change back, as the reader sees the row change. The
crash tests kill it with SIGKILL at random moments and check that every acknowledged
change is in the file.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tui.app import PapershelfApp
from tui.widgets.paper_list import PaperList

STATE = (
    "SELECT p.id, s.read_at IS NOT NULL, coalesce(s.starred, 0) FROM papers p "
    "JOIN state s ON s.paper = p.pk WHERE p.pk = ?"
)


async def drive(db: Path) -> None:
    app = PapershelfApp(db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("a")
        await app.workers.wait_for_complete()
        for _ in range(app.shelf.lib.count() - 1):
            pk = app.screen.query_one(PaperList).highlighted
            await pilot.press("space", "s")
            row = app.shelf.lib.conn.execute(STATE, (pk,)).fetchone()
            if row is not None and row[1] and row[2]:
                print(f"ACK {row[0]}", flush=True)
            await pilot.press("j")
        await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(drive(Path(sys.argv[1])))
