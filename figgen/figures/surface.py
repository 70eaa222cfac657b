"""The loss_surface figure: a slice of the real MNIST loss surface, the training path on it, still and frames.

The loss on the plane (:func:`figgen.analysis.surface.loss_surface`) is drawn as a colour map on a log
scale with contour lines; the path of gradient descent from θ = 0 to the trained weights is a line of dots,
its start a square and its end a star (shapes and words, not colour alone). The frames of the animation are
the same figure with the path drawn up to one more step each: the figure is laid out and its surface drawn
once, and each frame redraws only the path and the caption line over a copy of it.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from figgen.analysis.surface import LossSurface
from figgen.core.themes import Preset, Theme
from figgen.figures._axes import plain_log_ticks
from figgen.figures.style import agg_canvas, aspect, canvas_pixels, mpl_colour, new_figure, themed


def step_words(step: int) -> str:
    """A path point's name: the start before any update, else the step."""
    return "start, W = 0 and b = 0" if step < 0 else f"step {step:,}"


def describe_surface(surface: LossSurface, noun: str = "examples") -> str:
    """The slice's numbers in words, for the caption and the alt text."""
    gap = float(np.abs(surface.path_loss - surface.plane_loss).max())
    return (
        f"the plane through the trained weights that holds {surface.explained:.1%} of the path's spread, "
        f"the loss computed on {surface.examples:,} training {noun}: it falls from "
        f"{surface.path_loss[0]:.3f} (ln 10) at the start to {surface.path_loss[-1]:.3f} at step "
        f"{surface.steps[-1]:,}; on the slice the loss ranges from {surface.loss.min():.3f} to "
        f"{surface.loss.max():.3f}; the path's real loss and the slice's at its projection differ by at most "
        f"{gap:.3f}"
    )


@themed
def loss_surface_figure(
    surface: LossSurface, upto: int | None, theme: Theme, preset: Preset, title: str = ""
) -> Figure:
    """The slice with the path up to point ``upto`` (all of it when None), its start and end marked."""
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.72), nrows=1, ncols=1)
    ax = fig.axes[0]
    low, high = float(surface.loss.min()), float(surface.loss.max())
    # a loss that reaches 0 (a tiny training set learnt to the last digit) or a flat slice: a log scale
    # still needs a positive low below its high
    low = max(low, high * 1e-9, np.finfo(float).tiny)
    high = max(high, low * 1.1)
    mesh = ax.pcolormesh(
        surface.alphas,
        surface.betas,
        surface.loss,
        norm=LogNorm(low, high),
        cmap="viridis",
        shading="nearest",
        rasterized=True,
    )
    levels = np.geomspace(low * 1.02, high, 9)
    ax.contour(
        surface.alphas,
        surface.betas,
        surface.loss,
        levels=levels,
        colors=[mpl_colour((255, 255, 255))],
        linewidths=preset.points(0.6),
        alpha=0.6,
    )
    bar = fig.colorbar(mesh, ax=ax, shrink=0.9)
    bar.set_label("training loss (mean cross-entropy, log scale)")
    plain_log_ticks(bar.ax.yaxis, low, high)
    path_c = mpl_colour(theme.series[1])
    n = len(surface.steps) if upto is None else upto + 1
    (line,) = ax.plot(
        surface.path[:n, 0],
        surface.path[:n, 1],
        color=path_c,
        markersize=preset.points(3),
        linewidth=preset.points(1.8),
        marker="o",
        linestyle="-",
        label="gradient descent's path",
    )
    ax.plot(
        [surface.path[0, 0]],
        [surface.path[0, 1]],
        marker="s",
        color=path_c,
        markersize=preset.points(7),
        linestyle="none",
        label="start: W = 0, b = 0",
    )
    (head,) = ax.plot(
        [surface.path[n - 1, 0]],
        [surface.path[n - 1, 1]],
        marker="*",
        color=path_c,
        markersize=preset.points(11),
        linestyle="none",
        label=f"step {surface.steps[n - 1]:,}" if n < len(surface.steps) else "trained weights",
    )
    line.set_gid("path")
    head.set_gid("head")
    ax.set_xlabel("α: along the path's first principal direction")
    ax.set_ylabel("β: along its second (own scale)")
    ax.set_title(title or f"The loss on a slice through the trained weights ({surface.examples:,} examples)")
    ax.legend(loc="upper right")
    return fig


def loss_surface_frames(
    surface: LossSurface, theme: Theme, preset: Preset, title: str = ""
) -> Iterator[np.ndarray]:
    """One frame per point of the path: the still's figure with the path drawn up to that point.

    The figure is laid out and drawn whole once, with the path at its full length (so the layout holds
    every frame's legend); each frame then draws only the path and its head again over the saved picture.
    """
    fig = loss_surface_figure(surface, None, theme, preset, title)
    canvas = agg_canvas(fig)
    ax = fig.axes[0]
    line = next(a for a in ax.get_lines() if a.get_gid() == "path")
    head = next(a for a in ax.get_lines() if a.get_gid() == "head")
    legend = ax.get_legend()
    assert legend is not None  # the figure always has one
    label = legend.get_texts()[-1]
    line.set_visible(False)
    head.set_visible(False)
    label.set_text("")
    canvas.draw()
    fig.set_layout_engine("none")  # the layout of the first draw, for every frame
    background = canvas.copy_from_bbox(fig.bbox)
    line.set_visible(True)
    head.set_visible(True)
    for k in range(len(surface.steps)):
        canvas.restore_region(background)
        line.set_data(surface.path[: k + 1, 0], surface.path[: k + 1, 1])
        head.set_data([surface.path[k, 0]], [surface.path[k, 1]])
        label.set_text(step_words(int(surface.steps[k])) if k < len(surface.steps) - 1 else "trained weights")
        ax.draw_artist(line)
        ax.draw_artist(head)
        fig.draw_artist(label)
        yield canvas_pixels(canvas)
