"""The reading app, built on Textual; nothing in `papershelf/` imports it.

Textual paints at most 60 frames a second, so a keystroke's results wait up to 16 ms
for the next frame: half of what a keystroke may take at 100k papers on a slow machine.
The app asks for 120. Textual reads `TEXTUAL_FPS` once, when it is first imported, so
this runs before any module here imports it; a reader's own setting wins.
"""

import os

os.environ.setdefault("TEXTUAL_FPS", "120")
