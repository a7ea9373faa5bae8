"""Time `catalogue check` on synthetic catalogues of 1,000 and 5,000 courses.

    make bench            (or: .venv/bin/python benchmarks/run.py [N ...])

Reports the wall time of the whole command, Python start-up included, best of three runs:
cold (no cache: CI, a fresh clone) and after editing one file (the cache holds the rest).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402

CATALOGUE = Path(sys.executable).with_name("catalogue")


def best_of(runs: int, command: list[str], cwd: Path, before) -> float:
    times = []
    for _ in range(runs):
        before()
        began = time.perf_counter()
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - began)
        if done.returncode != 0:
            sys.exit(f"{' '.join(command)} failed in {cwd}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return min(times)


def main(sizes: list[int]) -> None:
    command = [str(CATALOGUE), "check", "--today", "2026-12-01"]
    print(f"{'courses':>8} {'files':>6} {'cold (s)':>9} {'one edit (s)':>13}")
    for n in sizes:
        out = generate(n, HERE / "out" / str(n))
        files = sum(1 for _ in out.glob("*/*.yaml"))
        cache = out / ".cache"

        def cold():
            shutil.rmtree(cache, ignore_errors=True)

        cold_seconds = best_of(3, command, out, before=cold)
        edited = out / "courses" / "kursus-0.yaml"

        def one_edit():  # what a coordinator does between two checks
            edited.write_text(edited.read_text() + "\n", encoding="utf-8")

        warm_seconds = best_of(3, command, out, before=one_edit)
        print(f"{n:>8} {files:>6} {cold_seconds:>9.2f} {warm_seconds:>13.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
