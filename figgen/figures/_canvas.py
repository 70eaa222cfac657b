"""A figure laid out in pixels: one invisible axes over the whole figure whose data units are the figure's
pixels (y down), for diagrams that place images, blocks and texts exactly (the prediction pipeline, the
matrix shapes) rather than in a grid of charts."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from figgen.core.themes import Preset, Theme
from figgen.draw.text import text_size
from figgen.figures.style import mpl_colour, new_figure


def canvas_figure(theme: Theme, preset: Preset, height: int) -> tuple[Figure, Axes]:
    """A figure as wide as the preset and ``height`` pixels tall (a slide's own height when it has one),
    and its pixel axes: x from 0 at the left, y from 0 at the top, axis lines and ticks hidden."""
    height = preset.height or height
    fig = new_figure(theme, preset, aspect=height / preset.width, layout=None)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_xlim(0, preset.width)
    ax.set_ylim(height, 0)
    ax.set_autoscale_on(False)
    ax.set_axis_off()
    return fig, ax


def points(preset: Preset, px: float) -> float:
    """A font size given in pixels, in matplotlib's points at the preset's dpi."""
    return px * 72 / preset.dpi


def width_of(text: str, px: float, bold: bool = False) -> int:
    """How wide ``text`` is at ``px`` pixels (DejaVu Sans, matplotlib's font too)."""
    return text_size(text, max(1, round(px)), bold=bold)[0]


def place_image(
    ax: Axes,
    image: np.ndarray,
    box: tuple[float, float, float, float],
    *,
    cmap: str,
    vmin: float,
    vmax: float,
    edge,
    gid: str | None = None,
    smooth: bool = False,
    linewidth: float = 1.0,
):
    """Draw ``image`` into the pixel box (x, y, width, height), framed in ``edge``; ``smooth`` averages cells
    smaller than a pixel instead of dropping them."""
    x, y, w, h = box
    shown = ax.imshow(
        image,
        extent=(x, x + w, y + h, y),
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        interpolation="antialiased" if smooth else "nearest",
        aspect="auto",
    )
    if gid:
        shown.set_gid(gid)
    ax.add_patch(Rectangle((x, y), w, h, facecolor="none", edgecolor=edge, linewidth=linewidth))
    return shown


def signed(value: float, decimals: int = 2) -> str:
    """A number with a true minus sign (−0.25), as the figures print it."""
    shown = round(float(value), decimals) + 0.0  # + 0.0: no "−0.00"
    return f"{shown:.{decimals}f}".replace("-", "\u2212")


def edge_colour(theme: Theme):
    """The frame around an image: the theme's muted colour."""
    return mpl_colour(theme.muted)


def wrap(text: str, px: float, width: float) -> str:
    """``text`` broken into lines at spaces so that each line at ``px`` pixels is at most ``width`` wide."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and width_of(f"{lines[-1]} {word}", px) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)
