"""How matplotlib figures get a theme and a preset: rcParams, a styled Figure, the text halo.

Figure builders are decorated with :func:`themed`: it builds the figure under the theme's and preset's
rcParams (restored after) and gives its texts the theme's halo, so no caller wraps a builder in anything.
Saving a figure reads a few rcParams again (facecolor, transparency, font embedding): the output layer saves
inside :func:`matplotlib_style` for that.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.rcsetup import cycler  # matplotlib.cycler at run time, but typed only here

from figgen.core.themes import Preset, Theme, get_preset, get_theme

#: A colour as matplotlib takes it: 0-1 floats, RGB or RGBA.
MplColour = tuple[float, float, float] | tuple[float, float, float, float]


def mpl_colour(rgb: tuple[int, ...], alpha: float | None = None) -> MplColour:
    """A theme colour (0-255 channels, RGB or RGBA) as matplotlib's 0-1 floats; ``alpha`` sets the alpha."""
    r, g, b = (c / 255 for c in rgb[:3])
    if alpha is not None:
        return r, g, b, alpha
    if len(rgb) == 4:
        return r, g, b, rgb[3] / 255
    return r, g, b


def rc_params(theme: Theme | str, preset: Preset | str) -> dict:
    """The matplotlib rcParams that give a figure this theme and preset.

    Font sizes convert the preset's pixel sizes to points at the preset's dpi, so a still and an
    array-rendered frame of the same preset show text of the same pixel height.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    points = preset.font_size * 72 / preset.dpi
    fg, muted = mpl_colour(theme.foreground), mpl_colour(theme.muted)
    face = mpl_colour(theme.background)
    cycle = theme.series
    return {
        "font.family": "DejaVu Sans",
        "font.size": points,
        "axes.titlesize": points * 1.1,
        "axes.labelsize": points,
        "xtick.labelsize": points * 0.9,
        "ytick.labelsize": points * 0.9,
        "legend.fontsize": points * 0.9,
        "figure.titlesize": points * 1.25,
        "figure.dpi": preset.dpi,
        "savefig.dpi": preset.dpi,
        "figure.facecolor": face,
        "savefig.facecolor": "auto",
        "savefig.transparent": theme.transparent,
        "axes.facecolor": face,
        "axes.edgecolor": muted,
        "axes.labelcolor": fg,
        "axes.titlecolor": fg,
        "axes.prop_cycle": cycler(color=[mpl_colour(c) for c in cycle]),
        "text.color": fg,
        "xtick.color": muted,
        "ytick.color": muted,
        "xtick.labelcolor": fg,
        "ytick.labelcolor": fg,
        "grid.color": muted,
        "grid.alpha": 0.35,
        "legend.facecolor": face,
        "legend.framealpha": None if theme.transparent else 0.8,  # see-through: no light patch on a slide
        "legend.edgecolor": muted,
        "legend.labelcolor": fg,
        "lines.linewidth": preset.points(1.5),
        "axes.linewidth": preset.points(0.8),
        "image.interpolation": "nearest",
        "svg.fonttype": "path",
        "pdf.fonttype": 42,
    }


@contextmanager
def matplotlib_style(theme: Theme | str, preset: Preset | str) -> Iterator[dict]:
    """Apply a theme and preset to matplotlib inside a ``with`` block, restoring rcParams after.

    Build and draw the figure inside the block: matplotlib reads most styling when artists are
    created. Yields the dict of rcParams applied.
    """
    params = rc_params(theme, preset)
    with matplotlib.rc_context(params):
        yield params


def new_figure(
    theme: Theme | str,
    preset: Preset | str,
    *,
    aspect: float | None = 0.6,
    nrows: int | None = None,
    ncols: int | None = None,
    layout: Literal["constrained", "compressed", "tight"] | None = "constrained",
    **subplot_kw,
) -> Figure:
    """A matplotlib Figure (Agg canvas, no pyplot) as wide as the preset, coloured by the theme.

    The height is ``width * aspect``; ``aspect=None`` takes the preset's fixed height (slides) or
    0.6. With ``nrows``/``ncols`` the figure also gets that grid of axes (``fig.axes``); extra
    keywords go to ``Figure.subplots``. ``layout`` defaults to "constrained" so axis labels are never
    clipped at the figure edge. Create it inside :func:`matplotlib_style` so fonts and tick
    colours follow the theme too.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    if aspect is None:
        height = preset.height if preset.height else round(preset.width * 0.6)
    else:
        height = round(preset.width * aspect)
    fig = Figure(figsize=(preset.width / preset.dpi, height / preset.dpi), dpi=preset.dpi, layout=layout)
    if layout == "constrained":  # room around titles and labels that grows with the preset (a slide's edge)
        pad = preset.px(10) / preset.dpi
        constrained_layout(fig).set(w_pad=pad, h_pad=pad)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor(mpl_colour(theme.background))
    if nrows is not None or ncols is not None:
        fig.subplots(nrows or 1, ncols or 1, squeeze=False, **subplot_kw)
        for ax in fig.axes:
            ax.set_facecolor(mpl_colour(theme.background))
    return fig


def constrained_layout(fig: Figure) -> ConstrainedLayoutEngine:
    """The figure's constrained layout engine, to set its pads or its rectangle; a figure laid out otherwise
    is a TypeError."""
    engine = fig.get_layout_engine()
    if not isinstance(engine, ConstrainedLayoutEngine):
        raise TypeError(f"the figure has no constrained layout (its layout engine: {engine!r})")
    return engine


def agg_canvas(fig: Figure) -> FigureCanvasAgg:
    """The figure's Agg canvas (:func:`new_figure` gives it one), attached now if it has another."""
    return fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)


def outline(fig: Figure, theme: Theme | str, preset: Preset | str) -> None:
    """Give a figure's texts and data marks the theme's halo (if it has one), as array-drawn frames have.

    On a slide of any colour, a blue line or a grey curve can vanish into the background: every text, data
    line, bar and dot gets a thin outline in the halo colour. Grid lines and axes do not: they are meant
    to recede.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    if theme.outline is None:
        return
    from matplotlib import patheffects
    from matplotlib.collections import PathCollection
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    halo = mpl_colour(theme.outline)
    for text in fig.findobj(Text):
        text.set_path_effects([patheffects.withStroke(linewidth=preset.points(2.5), foreground=halo)])
    for ax in fig.axes:
        for line in ax.get_lines():
            width = line.get_linewidth() + preset.points(1)
            line.set_path_effects([patheffects.withStroke(linewidth=width, foreground=halo)])
        dots = [c for c in ax.collections if isinstance(c, PathCollection)]
        bars = [
            p
            for p in ax.patches
            if isinstance(p, Rectangle) and matplotlib.colors.to_rgba(p.get_facecolor())[3] > 0
        ]
        for mark in dots + bars:
            mark.set_edgecolor(halo)
            mark.set_linewidth(preset.points(1))


def legible_text(fig: Figure, theme: Theme | str) -> None:
    """Give every text drawn in a data colour (a label in its line's colour, a ✓ in the colour of right) the
    text's contrast, 4.5:1 against the page (:meth:`Theme.text_ink`): data colours need only 3:1.

    Texts in other colours (the foreground, white on a dark cell) are left as their builder chose them."""
    from matplotlib.text import Text

    theme = get_theme(theme)
    data = {tuple(c) for c in (theme.good, theme.mistake, *theme.series)}
    for text in fig.findobj(Text):
        rgba = text.get_color()
        r, g, b = (round(255 * c) for c in matplotlib.colors.to_rgb(rgba))
        rgb = (r, g, b)
        if rgb in data:
            alpha = matplotlib.colors.to_rgba(rgba)[3]
            text.set_color(mpl_colour(theme.text_ink(rgb), alpha))


def figure_to_array(fig: Figure) -> np.ndarray:
    """Render a figure with Agg to a uint8 frame: RGB, or RGBA when its background is not opaque."""
    canvas = agg_canvas(fig)
    canvas.draw()
    return canvas_pixels(canvas)


def canvas_pixels(canvas) -> np.ndarray:
    """An Agg canvas's pixels as they stand (no redraw), a uint8 frame of their own: RGB, or RGBA when its
    background is not opaque."""
    rgba = np.asarray(canvas.buffer_rgba())
    if rgba[..., 3].min() < 255:
        return rgba.copy()
    return np.ascontiguousarray(rgba[..., :3])


def themed(builder: Callable[..., Figure]) -> Callable[..., Figure]:
    """Decorate a figure builder taking ``theme`` and ``preset`` arguments: it runs inside
    :func:`matplotlib_style` of them, and the figure it returns gets legible text (:func:`legible_text`)
    and the theme's halo (:func:`outline`)."""
    signature = inspect.signature(builder)

    @functools.wraps(builder)
    def build(*args, **kwargs) -> Figure:
        bound = signature.bind(*args, **kwargs)
        theme = bound.arguments["theme"] = get_theme(bound.arguments["theme"])  # names are fine too
        preset = bound.arguments["preset"] = get_preset(bound.arguments["preset"])
        with matplotlib_style(theme, preset):
            fig = builder(*bound.args, **bound.kwargs)
        legible_text(fig, theme)
        outline(fig, theme, preset)
        return fig

    return build


def aspect(preset: Preset, value: float) -> float | None:
    """Slides fill their fixed 16:9 canvas; docs take the given height-to-width ratio."""
    return None if preset.height else value
