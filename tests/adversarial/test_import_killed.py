"""`kill -9` of a big import at seeded random moments: all of the file or none of it, the
reader's work intact, and no helper process left behind.

The dump is big enough for topic tagging to run in the helper process
(`papershelf.tagging`), so a kill can land while the helper is starting, tagging, or
idle between batches, as well as while the file is hashed, parsed, or committed.
"""

from __future__ import annotations

import hashlib
import random
import shutil
import signal
import sqlite3
import time
from pathlib import Path

import pytest
from children import marked_processes, start_import
from factories import numbered_papers
from hostile import digest, integrity, reader_tables

from papershelf.tagging import PARALLEL_BYTES, Tagging, helper
from papershelf.topics import Tagger, load_taxonomy

SEED = 20_261_204
KILLS = 24
PAPERS = 4_600
VOCABULARY = (
    "sparse attention kernels quantization latent diffusion retrieval augmented generation "
    "benchmark accuracy baseline tokens routing experts speculative decoding alignment reward "
    "model reasoning chain agents tool use vision language multimodal video speech audio"
)
STOCKED_PAPERS = 4
CHILDREN_GONE_SECONDS = 5.0


def long_dump(path: Path) -> Path:
    """A dump over the helper's threshold in few papers (long abstracts), so a whole
    import takes about a second of CPU and the kills can be many."""
    rng = random.Random(SEED)
    words = VOCABULARY.split()
    with path.open("w", encoding="utf-8") as handle:
        handle.write("Subscribe\n\nDaily Papers\n\n")
        for n in range(PAPERS):
            abstract = " ".join(rng.choice(words) for _ in range(230))
            handle.write(f"Long Synthetic Study Number {n} of Kernels\n\n{abstract} {n}.\n\n")
    return path


def outcome(db: Path, sha256: str) -> tuple[int, int]:
    """Papers in the library, and how many times the dump is marked imported."""
    conn = sqlite3.connect(db)
    try:
        papers = conn.execute("SELECT count(*) FROM papers").fetchone()[0]
        marked = conn.execute("SELECT count(*) FROM sources WHERE sha256 = ?", (sha256,))
        return int(papers), int(marked.fetchone()[0])
    finally:
        conn.close()


def survivors(mark: str) -> list[str]:
    """The processes of a killed import still alive after the grace period, described."""
    deadline = time.monotonic() + CHILDREN_GONE_SECONDS
    while (alive := marked_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.05)
    described = []
    for pid in alive:
        try:
            described.append(
                Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            )
        except OSError:
            continue
    return described


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_import_killed_at_random_points(
    stocked: Path, tmp_path: Path, papershelf_script: Path
) -> None:
    dump = long_dump(tmp_path / "big.txt")
    assert dump.stat().st_size >= PARALLEL_BYTES, "too small for the tagging helper"
    sha256 = hashlib.sha256(dump.read_bytes()).hexdigest()
    before, state = digest(stocked), reader_tables(stocked)

    started = time.monotonic()
    whole = start_import(papershelf_script, tmp_path / "whole.db", dump)
    assert whole.wait(timeout=300) == 0
    whole.stderr.close()  # type: ignore[union-attr]
    duration = time.monotonic() - started

    rng = random.Random(SEED)
    mid_import = with_helper = 0
    for n in range(KILLS):
        db = tmp_path / f"killed-{n}.db"
        shutil.copyfile(stocked, db)
        mark = f"{tmp_path.name}-{n}"
        child = start_import(papershelf_script, db, dump, mark=mark)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        running = child.poll() is None
        mid_import += running
        with_helper += running and len(marked_processes(mark)) > 1
        child.send_signal(signal.SIGKILL)
        child.wait()
        child.stderr.close()  # type: ignore[union-attr]

        assert survivors(mark) == [], f"kill {n}: processes outlived the import"
        assert integrity(db) == "ok", f"kill {n}"
        papers, marked = outcome(db, sha256)
        if papers == STOCKED_PAPERS:
            assert marked == 0 and digest(db) == before, f"kill {n}: a trace of the import"
        else:
            assert (papers, marked) == (STOCKED_PAPERS + PAPERS, 1), f"kill {n}: part of the file"
        assert reader_tables(db) == state, f"kill {n}: the reader's work changed"
    assert mid_import >= KILLS // 2, f"only {mid_import} kills landed during the import"
    assert with_helper >= 3, f"only {with_helper} kills landed while the tagging helper ran"


def test_helper_killed_mid_import_is_replaced_by_inline_tagging() -> None:
    """A helper that dies (the OOM killer, a stray `kill`) costs speed, never tags: the
    batch it held and the rest are tagged in the importing process, and the next import
    starts a fresh helper."""
    tagger = Tagger(load_taxonomy())
    items = [(title, abstract) for title, abstract in numbered_papers(50, "quantization")]
    expected = [tagger.tag(title, abstract) for title, abstract in items]

    tagging = Tagging(tagger, parallel=True)
    assert tagging.submit(items)() == expected
    first = helper(tagger.taxonomy)
    waiting = tagging.submit(items)
    first.process.kill()
    first.process.wait()
    assert waiting() == expected and tagging.submit(items)() == expected
    assert not tagging.parallel

    fresh = Tagging(tagger, parallel=True)
    assert fresh.submit(items)() == expected
    assert helper(tagger.taxonomy) is not first and helper(tagger.taxonomy).process.poll() is None
