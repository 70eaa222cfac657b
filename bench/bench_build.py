"""Benchmark of whole builds: a cold full build (empty cache and output) and a warm rebuild (nothing changed).

Runs ``figgen build`` in child processes, as a docs build would, and prints wall time and the child's peak
resident memory. ``--quick`` builds every recipe in its quick mode. Extra arguments go to ``figgen build``.

    python bench/bench_build.py [--quick] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed_build(out: Path, cache: Path, extra: list[str]) -> tuple[float, float, str]:
    """Run one build in a child process; return (seconds, peak MiB of that child, last output line)."""
    env = dict(os.environ, FIGGEN_CACHE=str(cache))
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "figgen", "build", "--out", str(out), *extra],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB; the max over children so far
    lines = done.stdout.strip().splitlines()
    return seconds, max(peak, before) / 1024, lines[-1] if lines else ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=1)
    args = parser.parse_args()
    extra = ["--jobs", str(args.jobs)] + (["--quick"] if args.quick else [])
    with tempfile.TemporaryDirectory() as tmp:
        out, cache = Path(tmp) / "output", Path(tmp) / "cache"
        cold, cold_mem, cold_line = timed_build(out, cache, extra)
        warm, _, warm_line = timed_build(out, cache, extra)
        restyle, _, _ = timed_build(out, cache, [*extra, "--theme", "dark"])
    print(f"figgen build benchmark ({'quick' if args.quick else 'full'} recipes, jobs={args.jobs})")
    print(f"  cold full build    {cold:8.2f} s   peak memory {cold_mem:7.0f} MiB   {cold_line}")
    verdict = "OK" if warm < 2 else "MISSED"
    print(f"  warm rebuild       {warm:8.2f} s   {verdict} (target < 2 s)   {warm_line}")
    print(f"  restyle (dark)     {restyle:8.2f} s   (cached training, every recipe redrawn)")
    print(f"  warm / cold        {warm / cold:8.3f}")


if __name__ == "__main__":
    main()
