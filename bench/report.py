"""bench/results.json as the figures table of bench/RESULTS.md.

Only the text between the two markers is rewritten; other sections of RESULTS.md (the
topic tagging results, the notes on what the figures mean) are left as they are. A file
without the markers gets the table appended under its own heading.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

BEGIN = "<!-- bench.run figures: generated, do not edit -->"
END = "<!-- end of bench.run figures -->"
HEADING = "## Performance at scale (issue 6)"

Figures = dict[str, object]


def _get(figures: Figures, *path: str) -> object:
    value: object = figures
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _timing(figures: Figures, key: str, unit: str = "ms") -> str:
    found = _get(figures, key)
    if not isinstance(found, dict):
        return "-"
    if unit == "s":
        return f"{found['median'] / 1000:.2f} / {found['p95'] / 1000:.2f} s"
    return f"{found['median']:.0f} / {found['p95']:.0f} ms"


def _rate(figures: Figures, key: str) -> str:
    found = _get(figures, key)
    if not isinstance(found, dict):
        return "-"
    return f"{found['per_s']:,}/s ({found['per_cpu_s']:,}/CPU-s)"


ROWS: list[tuple[str, str, str, Callable[[Figures], str]]] = [
    (
        "keystroke to updated list, real app under Pilot (median / p95)",
        "p95 <= 30 ms",
        "p95 <= 100 ms",
        lambda f: _timing(f, "keystroke_tui_ms"),
    ),
    (
        "search engine per keystroke: run + counts + untopiced count (median / p95)",
        "",
        "",
        lambda f: _timing(f, "keystroke_engine_ms"),
    ),
    (
        "`papershelf search QUERY --json`, whole process (median / p95)",
        "<= 0.5 s",
        "<= 1 s",
        lambda f: _timing(f, "search_process_ms", "s"),
    ),
    (
        "import end to end, `papershelf import DIR`: papers/s (per CPU-s of the CLI process)",
        ">= 20k/s",
        ">= 20k/s",
        lambda f: _rate(f, "import"),
    ),
    (
        "re-import of the imported dumps, plain (skipped by hash)",
        ">= 100k/s",
        ">= 100k/s",
        lambda f: _rate(f, "reimport"),
    ),
    (
        "re-import with `--force` (every paper re-read)",
        "",
        "",
        lambda f: _rate(f, "reimport_force"),
    ),
    (
        "app start to first painted list, pty (median / p95)",
        "<= 1 s",
        "<= 2 s",
        lambda f: _timing(f, "startup_ms", "s"),
    ),
    (
        "resident memory of the app: painted / after searching",
        "<= 300 MB",
        "<= 1.5 GB",
        lambda f: f"{_get(f, 'rss_mb'):.0f} / {_get(f, 'rss_after_search_mb'):.0f} MB",
    ),
    (
        "library on disk per 1,000 papers",
        "<= 4 MB",
        "<= 4 MB",
        lambda f: f"{_get(f, 'disk_mb_per_1k'):.2f} MB",
    ),
    (
        "ranking: top-1 / top-5 of 30 queries (916 real papers mixed in)",
        "no drop",
        "no drop",
        lambda f: f"{_get(f, 'quality', 'top1'):.2f} / {_get(f, 'quality', 'top5'):.2f}",
    ),
]


def table(results: Figures) -> str:
    sizes = results.get("sizes", {})
    assert isinstance(sizes, dict)
    labels = list(sizes)
    lines = [
        "| figure | target 100k | target 1M | " + " | ".join(labels) + " |",
        "|---|---|---|" + "---|" * len(labels),
    ]
    for name, small, large, cell in ROWS:
        cells = [cell(sizes[label]) for label in labels]
        lines.append(f"| {name} | {small} | {large} | " + " | ".join(cells) + " |")
    real = results.get("real")
    if isinstance(real, dict):
        lines.append("")
        lines.append(
            f"Ranking on the 916 real papers alone: top-1 {real['top1']:.2f}, "
            f"top-5 {real['top5']:.2f}."
        )
    lines.append("")
    for label in labels:
        figures = sizes[label]
        machine = _get(figures, "machine")
        assert isinstance(machine, dict)
        lines.append(
            f"- **{label}** ({_get(figures, 'papers_in_library'):,} papers): "
            f"`{_get(figures, 'command')}` (imports: `{_get(figures, 'import_command')}`); "
            f"{machine['date']}; {machine['cpus']} x "
            f"{machine['cpu']}; load average {machine['load']}; Python {machine['python']}, "
            f"SQLite {machine['sqlite']}; `sum(range(1000))` {machine['check_us']} µs."
        )
    return "\n".join(lines)


def write_results(results: Figures, path: Path) -> None:
    block = f"{BEGIN}\n{table(results)}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + ("\n\n" if text else "") + f"{HEADING}\n\n{block}\n"
    path.write_text(text, encoding="utf-8")
