"""Themes, presets and the matplotlib context that applies them.

A theme is colours, a preset is sizes; both are plain frozen data. The array renderer
(:mod:`figgen.draw.panels`) reads them directly and static matplotlib figures read them through
:func:`matplotlib_style`, so a dark slide deck and a light docs page come from the same recipe.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from figgen.errors import unknown

RGB = tuple[int, int, int]
RGBA = tuple[int, int, int, int]

#: Salt for matplotlib's SVG ids, fixed so that two saves of one figure give identical bytes.
SVG_HASHSALT = "figgen"


@dataclass(frozen=True)
class Theme:
    """Colours of one look; channels are 0-255 integers.

    ``background`` is RGBA: the transparent theme has alpha 0 there and renders RGBA frames; the
    others render RGB. ``outline`` (or None) is a halo drawn around text so it stays readable on
    any slide colour.
    """

    name: str
    background: RGBA
    foreground: RGB
    muted: RGB
    mistake: RGB
    good: RGB
    accent: RGB
    transparent: bool = False
    outline: RGB | None = None

    @property
    def channels(self) -> int:
        """Channels of the frames rendered in this theme: 4 when transparent, else 3."""
        return 4 if self.transparent else 3

    def fill(self, rgb: RGB) -> tuple[int, ...]:
        """A colour as a pixel value of this theme's frames (opaque RGBA when transparent)."""
        return (*rgb, 255) if self.transparent else tuple(rgb)

    @property
    def background_pixel(self) -> tuple[int, ...]:
        """The background as a pixel value of this theme's frames."""
        return self.background if self.transparent else self.background[:3]


@dataclass(frozen=True)
class Preset:
    """Sizes for one medium.

    ``width`` is the canvas width in pixels; ``height`` is a fixed canvas height (slides) or None
    when the content decides. ``font_size`` is the base text size in pixels, ``scale`` multiplies
    line widths and gaps, ``dpi`` converts pixels to inches for matplotlib stills.
    """

    name: str
    width: int
    height: int | None
    font_size: int
    scale: float
    dpi: int

    def px(self, value: float) -> int:
        """A length given for the docs preset, scaled to this preset and rounded to whole pixels."""
        return max(1, round(value * self.scale))


THEMES: dict[str, Theme] = {
    "light": Theme(
        name="light",
        background=(255, 255, 255, 255),
        foreground=(34, 34, 34),
        muted=(112, 112, 112),
        mistake=(214, 39, 40),
        good=(44, 160, 44),
        accent=(31, 119, 180),
    ),
    "dark": Theme(
        name="dark",
        background=(24, 26, 31, 255),
        foreground=(236, 236, 236),
        muted=(160, 164, 170),
        mistake=(255, 99, 99),
        good=(110, 220, 130),
        accent=(102, 178, 255),
    ),
    # Mid-dark gray text with a white halo reads on white and on dark slides alike; pixels with
    # alpha 0 keep a white colour so a viewer that ignores alpha shows a light page.
    "transparent": Theme(
        name="transparent",
        background=(255, 255, 255, 0),
        foreground=(72, 72, 72),
        muted=(110, 110, 110),
        mistake=(214, 39, 40),
        good=(44, 160, 44),
        accent=(31, 119, 180),
        transparent=True,
        outline=(255, 255, 255),
    ),
}

PRESETS: dict[str, Preset] = {
    "docs": Preset(name="docs", width=800, height=None, font_size=15, scale=1.0, dpi=100),
    "slides": Preset(name="slides", width=1920, height=1080, font_size=36, scale=2.4, dpi=200),
}


def _lookup(kind: str, name: str, table: dict):
    """Return ``table[name]`` or raise a FiggenError (a ValueError) with a close-match suggestion."""
    try:
        return table[name]
    except (KeyError, TypeError):
        raise unknown(kind, name, table) from None


def get_theme(name: str | Theme) -> Theme:
    """Return the theme called ``name`` (a Theme passes through); unknown names raise ValueError."""
    return name if isinstance(name, Theme) else _lookup("theme", name, THEMES)


def get_preset(name: str | Preset) -> Preset:
    """Return the preset called ``name`` (a Preset passes through); unknown names raise ValueError."""
    return name if isinstance(name, Preset) else _lookup("preset", name, PRESETS)


def _mpl_colour(rgb: tuple[int, ...], alpha: float | None = None) -> tuple[float, ...]:
    """A 0-255 colour as matplotlib's 0-1 floats."""
    rgba = [c / 255 for c in rgb[:3]]
    if alpha is not None:
        rgba.append(alpha)
    elif len(rgb) == 4:
        rgba.append(rgb[3] / 255)
    return tuple(rgba)


def rc_params(theme: Theme | str, preset: Preset | str) -> dict:
    """The matplotlib rcParams that give a figure this theme and preset.

    Font sizes convert the preset's pixel sizes to points at the preset's dpi, so a still and an
    array-rendered frame of the same preset show text of the same pixel height.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    points = preset.font_size * 72 / preset.dpi
    fg, muted = _mpl_colour(theme.foreground), _mpl_colour(theme.muted)
    face = _mpl_colour(theme.background)
    cycle = [theme.accent, theme.mistake, theme.good, (255, 127, 14), (148, 103, 189), (140, 86, 75)]
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
        "axes.prop_cycle": matplotlib.cycler(color=[_mpl_colour(c) for c in cycle]),
        "text.color": fg,
        "xtick.color": muted,
        "ytick.color": muted,
        "xtick.labelcolor": fg,
        "ytick.labelcolor": fg,
        "grid.color": muted,
        "grid.alpha": 0.35,
        "legend.facecolor": face,
        "legend.edgecolor": muted,
        "legend.labelcolor": fg,
        "lines.linewidth": 1.5 * preset.scale * 100 / preset.dpi,
        "axes.linewidth": 0.8 * preset.scale * 100 / preset.dpi,
        "image.interpolation": "nearest",
        "svg.hashsalt": SVG_HASHSALT,
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
    layout: str | None = "constrained",
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
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor(_mpl_colour(theme.background))
    if nrows is not None or ncols is not None:
        fig.subplots(nrows or 1, ncols or 1, squeeze=False, **subplot_kw)
        for ax in fig.axes:
            ax.set_facecolor(_mpl_colour(theme.background))
    return fig


def outline_text(fig: Figure, theme: Theme | str, preset: Preset | str) -> None:
    """Give every text of a figure the theme's halo (if it has one), as array-drawn text has.

    matplotlib's ``path.effects`` setting would outline lines and bars too, so only Text artists get it.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    if theme.outline is None:
        return
    from matplotlib import patheffects
    from matplotlib.text import Text

    halo = [
        patheffects.withStroke(
            linewidth=2.5 * preset.scale * 100 / preset.dpi, foreground=_mpl_colour(theme.outline)
        )
    ]
    for text in fig.findobj(Text):
        text.set_path_effects(halo)


def figure_to_array(fig: Figure) -> np.ndarray:
    """Render a figure with Agg to a uint8 frame: RGB, or RGBA when its background is not opaque."""
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    rgba = np.asarray(canvas.buffer_rgba())
    if rgba[..., 3].min() < 255:
        return rgba.copy()
    return np.ascontiguousarray(rgba[..., :3])
