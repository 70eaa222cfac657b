"""Benchmark: the weight-evolution GIF drawn by figgen against matplotlib's FuncAnimation + PillowWriter.

Both draw 36 frames of the 2 x 5 weight sheet (seismic, symmetric scale, 800 x 360 pixels, a caption
with training size and accuracy) from the same weights, one snapshot per training size. Prints the
time of each, the GIF sizes raw and after ``gifsicle -O3`` (when gifsicle is installed; this script
installs nothing), and the ratios. Targets: figgen at least 10x faster, and figgen's GIF at most half
the bytes of matplotlib's GIF after gifsicle -O3.

Run: ``python bench/bench_render.py [--out DIR] [--frames N]``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SIZE_PX = (800, 360)


def training_sizes(count: int) -> list[int]:
    """1, 2, … 10, then geometric steps up to 1,000 (``count`` sizes in all, at least 11)."""
    tail = np.unique(np.round(np.geomspace(11, 1000, max(count - 10, 1))).astype(int))
    return list(range(1, 11)) + [int(v) for v in tail]


def load_weights(count: int):
    """Weights of real training runs at ``count`` increasing sizes (1000 examples, 200 steps), batched."""
    from figgen.data import load_dataset
    from figgen.training import sweep_training_sizes

    data = load_dataset("sample")
    x, y = data.train(1000)
    xt, yt = data.test(1000)
    sizes = training_sizes(count)
    sweep = sweep_training_sizes(x, y, xt, yt, sizes, learning_rate=0.1, steps=200)
    source = "figgen.training.sweep_training_sizes"
    return sizes, np.asarray(sweep.weights), np.asarray(sweep.accuracy), source


def caption(size: int, accuracy: float) -> str:
    return f"training size {size:,} · test accuracy {accuracy:.3f}"


def run_figgen(path: Path, sizes, weights, accuracy, levels: int) -> float:
    from figgen.draw import symmetric_limit, weights_frame
    from figgen.writers import write_animation

    start = time.perf_counter()
    limit = symmetric_limit(weights)
    frames = (
        weights_frame(W, "light", "docs", limit=limit, size=SIZE_PX, caption=caption(n, a), levels=levels)
        for W, n, a in zip(weights, sizes, accuracy, strict=True)
    )
    write_animation(path, frames, "gif", durations_ms=100, hold_last_ms=0)
    return time.perf_counter() - start


def run_matplotlib(path: Path, sizes, weights, accuracy) -> float:
    """The usual way: one figure, imshow per panel, FuncAnimation redraws it, PillowWriter saves."""
    start = time.perf_counter()
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter

    limit = float(np.abs(weights).max())
    fig, axes = plt.subplots(2, 5, figsize=(8, 3.6), dpi=100)
    images = []
    for i, ax in enumerate(axes.flat):
        images.append(ax.imshow(weights[0][:, i].reshape(28, 28), cmap="seismic", vmin=-limit, vmax=limit))
        ax.set_title(str(i))
        ax.set_xticks([])
        ax.set_yticks([])
    text = fig.suptitle("", y=0.06, fontsize=11)

    def update(k):
        for i, image in enumerate(images):
            image.set_data(weights[k][:, i].reshape(28, 28))
        text.set_text(caption(sizes[k], accuracy[k]))
        return [*images, text]

    animation = FuncAnimation(fig, update, frames=len(weights), blit=False)
    animation.save(path, writer=PillowWriter(fps=10))
    plt.close(fig)
    return time.perf_counter() - start


def gifsicle_size(path: Path) -> int | None:
    exe = shutil.which("gifsicle")
    if exe is None:
        return None
    out = path.with_name(path.stem + "-O3.gif")
    subprocess.run([exe, "-O3", str(path), "-o", str(out)], check=True)
    return out.stat().st_size


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the GIFs in this folder")
    parser.add_argument("--frames", type=int, default=36)
    args = parser.parse_args(argv)
    out = args.out or Path(tempfile.mkdtemp(prefix="figgen-bench-"))
    out.mkdir(parents=True, exist_ok=True)

    sizes, weights, accuracy, source = load_weights(args.frames)
    print(f"weights: {len(sizes)} training sizes {sizes[0]}..{sizes[-1]} from {source}")
    from figgen.draw import ANIMATION_LEVELS, SHEET_LEVELS

    run_figgen(out / "warmup.gif", sizes[:2], weights[:2], accuracy[:2], ANIMATION_LEVELS)  # imports, fonts
    t_fig = run_figgen(out / "figgen.gif", sizes, weights, accuracy, ANIMATION_LEVELS)
    run_figgen(out / "figgen-fine.gif", sizes, weights, accuracy, SHEET_LEVELS)
    t_mpl = run_matplotlib(out / "matplotlib.gif", sizes, weights, accuracy)
    b_fig, b_mpl = (out / "figgen.gif").stat().st_size, (out / "matplotlib.gif").stat().st_size
    o_fig, o_mpl = gifsicle_size(out / "figgen.gif"), gifsicle_size(out / "matplotlib.gif")

    print(
        f"figgen:     {t_fig:7.3f} s  {b_fig:>10,} bytes"
        + (f"  ({o_fig:,} after gifsicle -O3)" if o_fig else "")
    )
    print(
        f"matplotlib: {t_mpl:7.3f} s  {b_mpl:>10,} bytes"
        + (f"  ({o_mpl:,} after gifsicle -O3)" if o_mpl else "")
    )
    speed = t_mpl / t_fig
    verdict = {True: "met", False: "NOT met"}
    print(f"speed: figgen is {speed:.1f}x faster (target >= 10x: {verdict[speed >= 10]})")
    if o_mpl is None:
        print("gifsicle not found: comparing raw sizes (install gifsicle for the -O3 comparison)")
        ratio = b_fig / b_mpl
        print(f"size: figgen/matplotlib raw = {ratio:.3f} (target <= 0.5: {verdict[ratio <= 0.5]})")
    else:
        ratio = b_fig / o_mpl
        print(f"size: figgen raw / matplotlib -O3 = {ratio:.3f} (target <= 0.5: {verdict[ratio <= 0.5]})")
        print(f"      figgen -O3 / matplotlib -O3 = {o_fig / o_mpl:.3f}")
        print(f"      figgen raw / matplotlib raw = {b_fig / b_mpl:.3f}")
    fine = (out / "figgen-fine.gif").stat().st_size
    share = f", {fine / o_mpl:.3f} of matplotlib -O3" if o_mpl else ""
    print(f"(figgen draws {ANIMATION_LEVELS} colour levels; at the still default of {SHEET_LEVELS} levels")
    print(f" its GIF is {fine:,} bytes{share})")
    print(f"files in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
