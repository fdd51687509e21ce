"""A URL too long for the detail pane is cut after a slash, dot or hyphen, never in the middle
of a word."""

from __future__ import annotations

from factories import write_dump
from tui_helpers import detail_text, settle

from papershelf.shelf import open_shelf
from tui.widgets.paper_detail import PaperDetail

URL = (
    "https://github.com/lantern-laboratory/sparse-lanterns-quantization-toolkit"
    "/tree/main/examples/two-bit-attention-heads"
)
PAPER = (
    "Sparse Lanterns: Two-Bit Attention Heads",
    f"We store attention heads in two bits. Code: {URL}. Perplexity stays within a point.",
)


async def test_a_long_url_breaks_between_its_parts(make_app, tmp_path):
    db = tmp_path / "url.db"
    with open_shelf(db) as shelf:
        shelf.import_file(write_dump(tmp_path, "url.txt", papers=[PAPER]))
    app = make_app(db)
    async with app.run_test(size=(80, 50)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(PaperDetail)
        assert URL in detail_text(app)
        lines = [detail.render_line(y).text.strip() for y in range(detail.size.height)]
    starts = [n for n, line in enumerate(lines) if line.startswith("https://")]
    assert len(starts) == 2, lines  # in the abstract and under Links
    for start in starts:
        joined, n = "", start
        while not (joined + lines[n]).startswith(URL):
            assert URL.startswith(joined + lines[n]) and lines[n][-1] in "/.-", lines[start : n + 1]
            joined, n = joined + lines[n], n + 1
        assert n > start, "the URL should not fit on one line here"
