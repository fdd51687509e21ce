"""Every figure of issue 6 for libraries of the given sizes, written to bench/RESULTS.md.

    python -m bench.run --sizes 10k,100k,1m

For each size: synthetic dumps (bench/data/SIZE, made by bench.synth if missing), a
library of the real dumps plus those (bench/out/lib-SIZE.db), then, in this order:
import end to end, plain re-import, ranking quality, `search --json` processes,
keystrokes (engine and the real app under Pilot), start-up and memory in a pty, size on
disk, and last the forced re-import (it adds provenance rows). Figures are kept per size
in bench/results.json, so running one size updates its rows and keeps the others;
`--reuse` keeps a size's library and import figures and measures the rest again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

from bench import cli_search, imports, keystrokes, machine, quality, startup, synth
from bench.report import write_results
from papershelf.shelf import open_shelf

HERE = Path(__file__).resolve().parent
DUMPS = HERE.parent.parent / "shared" / "dumps"


def ms(values: list[float]) -> dict[str, float]:
    return {k: (v if k == "n" else round(v * 1000, 1)) for k, v in machine.summary(values).items()}


def ensure_data(directory: Path, papers: int) -> Path:
    """Synthetic dumps of this size, generated again only when the size or generator changed
    (they are deterministic for the seed)."""
    stamp = directory / ".papers"
    source = hashlib.sha1(Path(synth.__file__).read_bytes()).hexdigest()[:12]
    if not (stamp.exists() and stamp.read_text() == f"{papers} {source}"):
        for old in directory.glob("*.txt"):
            old.unlink()
        synth.write_dumps(directory, papers)
        stamp.write_text(f"{papers} {source}")
    return directory


def run_size(
    label: str, papers: int, args: argparse.Namespace, before: dict[str, object]
) -> dict[str, object]:
    data = ensure_data(args.data / label, papers)
    db = args.out / f"lib-{label}.db"
    home = args.out / "home"
    cases = quality.load_cases()
    texts = [case.query for case in cases]
    figures: dict[str, object] = {"command": args.command}
    if args.reuse and db.exists() and "import" in before:
        figures.update((key, before[key]) for key in ("import", "reimport", "reimport_force"))
        figures["import_command"] = before.get("import_command", before.get("command"))
    else:
        print(f"[{label}] importing", file=sys.stderr)
        built = imports.build(db, home, DUMPS, data)
        plain = imports.reimport(db, home, data, built.papers, force=False)
        figures["import"] = import_figures(built)
        figures["reimport"] = import_figures(plain)
        figures["import_command"] = args.command
    print(f"[{label}] quality, search processes, keystrokes", file=sys.stderr)
    with open_shelf(db) as shelf:
        outcomes = quality.evaluate(shelf, cases)
    searches = cli_search.time_search(db, home, cli_search.QUERIES, args.repeats)
    engine = keystrokes.engine(db, texts)
    typed = keystrokes.tui(db, texts[: args.tui_queries], home / "settings.toml")
    print(f"[{label}] start-up, memory, disk", file=sys.stderr)
    starts = [startup.measure(db, home) for _ in range(args.repeats)]
    total, disk = imports.disk_per_thousand(db)
    if "reimport_force" not in figures:
        print(f"[{label}] forced re-import", file=sys.stderr)
        forced = imports.reimport(db, home, data, papers_of(figures), force=True)
        figures["reimport_force"] = import_figures(forced)
    figures.update(
        {
            "papers_in_library": total,
            "machine": machine.describe(),
            "quality": {
                "top1": quality.hit_rate(outcomes, 1),
                "top5": quality.hit_rate(outcomes, 5),
            },
            "search_process_ms": ms(searches),
            "keystroke_engine_ms": ms(engine),
            "keystroke_tui_ms": ms(typed),
            "startup_ms": ms([s.seconds for s in starts]),
            "rss_mb": max(s.rss_mb for s in starts),
            "rss_after_search_mb": max(s.rss_after_search_mb for s in starts),
            "disk_mb_per_1k": round(disk, 2),
        }
    )
    return figures


def papers_of(figures: dict[str, object]) -> int:
    found = figures["import"]
    assert isinstance(found, dict)
    return int(found["papers"])


def import_figures(run: imports.Run) -> dict[str, float]:
    return {
        "papers": run.papers,
        "new": run.new,
        "wall_s": round(run.wall, 2),
        "cpu_s": round(run.cpu, 2),
        "per_s": round(run.per_second),
        "per_cpu_s": round(run.per_cpu_second),
        "peak_rss_mb": round(run.peak_rss_mb),
    }


def real_quality(args: argparse.Namespace) -> dict[str, float]:
    db = args.out / "lib-real.db"
    imports.build(db, args.out / "home", DUMPS, DUMPS)
    with open_shelf(db) as shelf:
        outcomes = quality.evaluate(shelf, quality.load_cases())
    return {"top1": quality.hit_rate(outcomes, 1), "top5": quality.hit_rate(outcomes, 5)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 10k,100k,1m")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--tui-queries", type=int, default=10, help="queries typed in the app")
    parser.add_argument("--data", type=Path, default=HERE / "data")
    parser.add_argument("--out", type=Path, default=HERE / "out")
    parser.add_argument("--results", type=Path, default=HERE, help="where results go")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep an existing library and its import figures; measure only the rest",
    )
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ["PAPERSHELF_HOME"] = str(args.out / "home")
    results_json = args.results / "results.json"
    results = json.loads(results_json.read_text()) if results_json.exists() else {}
    results["real"] = real_quality(args)
    args.command = "python -m bench.run " + " ".join(sys.argv[1:] if argv is None else argv)
    sizes = results.setdefault("sizes", {})
    for label in args.sizes.split(","):
        sizes[label] = run_size(label, synth.parse_size(label), args, sizes.get(label, {}))
        results_json.write_text(json.dumps(results, indent=2) + "\n")
        write_results(results, args.results / "RESULTS.md")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
