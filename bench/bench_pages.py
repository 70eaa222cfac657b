"""Benchmark of the explorable pages in a real browser: their size, how soon each is ready and how fast it
answers ``figgenExplorable.set()``, each beside its target (issue 20).

The three explorables are built at their default sizes (explore_training's grid comes from the training
cache, ``$FIGGEN_CACHE`` or ``.figgen-cache``, and is trained first if it is not there) into a temporary
folder, and each page is opened in headless Chromium (the Debian package ``chromium``), warm as a reader's
browser is: opened once, then reloaded ``--repeat`` times, keeping the best of its ``data-ready-ms`` (from
the start of navigation to ``data-state="ready"``) and of a ``set()`` that changes every knob. Targets: each
page ready and answering in under a second; explore_training at most 2 MB, draw_digit and explore_descent
at most 150 KB each. A missed target is marked MISSED; the exit code is 0 regardless.

    python bench/bench_pages.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the tests' Chromium driver

# page: (size limit in bytes, a set() that changes every knob it has)
PAGES = {
    "explore_training": (2_000_000, "{TRAIN_SIZE: 1000, LEARNING_RATE: 1, STEP: 500}"),
    "draw_digit": (150_000, "{digit: 3, shift_x: 2, shift_y: -1}"),
    "explore_descent": (150_000, "{LEARNING_RATE: 0.9, X0: -3, STEP: 12}"),
}
READY = "!!document.documentElement && document.documentElement.dataset.state === 'ready'"


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="reloads of each page, best kept (3)")
    args = parser.parse_args()

    import figgen
    from tests._browser import CHROMIUM, Browser

    if CHROMIUM is None:
        sys.exit("bench_pages needs Chromium (Debian package 'chromium')")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        result = figgen.build(list(PAGES), out=out)
        if not result.ok:
            sys.exit(f"the explorables did not build: {result.failures}")
        print(f"explorable pages in Chromium (warm, best of {args.repeat} reloads)")
        print(f"  {'page':<18}{'bytes':>11}  {'limit':>9}        {'ready':>8}  {'set()':>8}   < 1000 ms")
        with Browser(Path(tmp) / "profile") as browser:
            for name, (limit, change) in PAGES.items():
                html = out / f"{name}.html"
                tab = browser.open(html.as_uri(), width=900, height=900)
                tab.wait_for(READY)
                ready, answered = [], []
                for _ in range(args.repeat):
                    # the old page marked, so the wait is for the new one (the old one was ready too)
                    tab.evaluate("document.documentElement.dataset.state = 'reloading'; location.reload()")
                    tab.wait_for(READY)
                    ready.append(tab.evaluate("Number(document.documentElement.dataset.readyMs)"))
                    answered.append(
                        tab.evaluate(
                            f"(function () {{ var t = performance.now(); figgenExplorable.set({change});"
                            " return performance.now() - t; })()"
                        )
                    )
                tab.close()
                size, best_ready, best_set = html.stat().st_size, min(ready), min(answered)
                print(
                    f"  {name:<18}{size:>11,}  {limit:>9,} {verdict(size <= limit):<6} {best_ready:>6.0f} ms"
                    f"  {best_set:>5.1f} ms   {verdict(best_ready < 1000 and best_set < 1000)}"
                )


if __name__ == "__main__":
    main()
