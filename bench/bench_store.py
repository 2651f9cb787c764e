"""The database after many edits of one assessment: its size, the save time, and how long pruning
holds the write lock. Goal: at most 30 MB after 10,000 edits, and pruning off the save path.

Every edit changes one answer of the shipped sample (a 17 KB answers text) and is saved as the app's
autosave does; all fall within a day, so pruning may thin none of them (the worst case for size). The
longest write transaction of pruning is timed around each of its transactions. There is no baseline to
run in the same process (the previous store kept a whole copy per edit: 17 KB x edits). Prints figures;
asserts nothing. Run: python bench/bench_store.py
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from pipia.answers import format as answers_mod
from pipia.files.resources import samples_dir
from pipia.store import Store
from pipia.store import assessments as store_assessments
from pipia.store.codec import encode
from pipia.store.database import checkpoint

EDITS = int(os.environ.get("PIPIA_BENCH_EDITS", "10000"))
GOAL_MB = 30


def main() -> None:
    answers = answers_mod.read(samples_dir() / "crossborder-ecommerce.yaml")[0]
    whole = len(encode(answers).encode("utf-8"))
    locks: list[float] = []
    delete = Store._delete_revisions

    def timed_delete(self: Store, *args: Any) -> int:
        started = time.perf_counter()
        try:
            return delete(self, *args)
        finally:
            locks.append(time.perf_counter() - started)

    Store._delete_revisions = timed_delete  # type: ignore[method-assign, assignment]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "pipia.db"
        saves: list[float] = []
        with Store(f"sqlite:///{path}") as store:
            current = store.create(answers)
            for i in range(EDITS):
                started = time.perf_counter()
                current = store.save(current.id, current.answers.with_value("dpo_contact", f"edit {i}"),
                                     current.revision)
                saves.append(time.perf_counter() - started)
            checkpoint(store._engine)
            size = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
            started = time.perf_counter()
            store._clock = lambda: store_assessments._utcnow() + store_assessments.KEEP_ALL * 40
            removed = store.prune()
            prune = time.perf_counter() - started
            after = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
    print(f"database after {EDITS:,} edits of one assessment ({whole / 1000:.0f} KB of answers): {size:5.1f} MB "
          f"(a whole copy per edit would be {EDITS * whole / 1e6:5.0f} MB)   goal <= {GOAL_MB} MB: "
          f"{'met' if size <= GOAL_MB else 'NOT met'}")
    print(f"save: median {statistics.median(saves) * 1000:.1f} ms, slowest {max(saves) * 1000:.0f} ms "
          f"(pruning runs after the save's transaction, every {store_assessments.PRUNE_EVERY} revisions)")
    print(f"pruning 40 days later: {removed:,} revisions removed in {prune:.2f} s; longest write lock "
          f"{max(locks, default=0) * 1000:.0f} ms; file {size:.1f} -> {after:.1f} MB (space given back)")


if __name__ == "__main__":
    main()
