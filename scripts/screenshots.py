"""Regenerate the README screenshots from the real app on the bundled sample library.

    python scripts/screenshots.py            # writes screenshots/*.svg
    python scripts/screenshots.py --out DIR  # somewhere else

Each scene drives the app with the keys a reader would press, at a fixed size, on a
fresh copy of the sample in a temporary PAPERSHELF_HOME (so the reader's own library
and settings are never touched), with the date fixed so export names do not change.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

SIZE = (120, 36)
TODAY = date(2026, 3, 15)
ROOT = Path(__file__).resolve().parents[1]

Scene = Callable[[Pilot[None]], Awaitable[None]]


async def settle(pilot: Pilot[None]) -> None:
    """Wait for searches and imports to land, and keep the text cursor still."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    await pilot.pause()


async def main_view(pilot: Pilot[None]) -> None:
    await pilot.press("j", "j", "space", "j", "s")


async def main_light(pilot: Pilot[None]) -> None:
    """The main view in a light theme, as `theme = "textual-light"` in the settings gives."""
    pilot.app.theme = "textual-light"
    await main_view(pilot)


async def search(pilot: Pilot[None]) -> None:
    await pilot.press("slash", *"kv cache", "enter")


async def topic(pilot: Pilot[None]) -> None:
    await pilot.press("u", "ctrl+p", *"topic quantization")
    await pilot.pause(0.5)
    await pilot.press("enter")


async def lists(pilot: Pilot[None]) -> None:
    for moves, name in ((0, "to read"), (2, "to read"), (1, "cite later"), (3, "to read")):
        await pilot.press(*["j"] * moves, "b", *name, "enter")
        await settle(pilot)
    await pilot.press("ctrl+p", *"list: to read")
    await pilot.pause(0.5)
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("j", "space", "k", "w", *"Compare with the ablation in table 3.", "ctrl+s")


async def help_screen(pilot: Pilot[None]) -> None:
    await pilot.press("question_mark")


async def export(pilot: Pilot[None]) -> None:
    await pilot.press("u", "e")


SCENES: dict[str, Scene] = {
    "main": main_view,
    "main-light": main_light,
    "search": search,
    "topic": topic,
    "lists": lists,
    "help": help_screen,
    "export": export,
}


def sample_library(home: Path) -> Path:
    from papershelf.paths import default_db_path
    from papershelf.sample import sample_files
    from papershelf.shelf import open_shelf

    db = default_db_path()
    with open_shelf(db) as shelf:
        for path in sample_files():
            shelf.import_file(path)
    return db


async def shoot(name: str, scene: Scene, db: Path, out: Path) -> Path:
    from tui.app import PapershelfApp

    app = PapershelfApp(db, today=lambda: TODAY, browser=lambda url: None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await scene(pilot)
        await settle(pilot)
        target = out / f"{name}.svg"
        app.save_screenshot(str(target))
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="papershelf-shots-") as home:
        os.environ["PAPERSHELF_HOME"] = home
        os.environ.pop("PAPERSHELF_DB", None)
        os.chdir(home)
        for name, scene in SCENES.items():
            db = sample_library(Path(home))
            print(asyncio.run(shoot(name, scene, db, args.out)))
            for leftover in Path(home).rglob("*.db*"):
                leftover.unlink()


if __name__ == "__main__":
    main()
