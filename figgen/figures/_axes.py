"""Small matplotlib helpers shared by the figure builders: theme colours, figure shape, log-axis ticks."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from figgen.draw.theme import Preset


def rgb(colour: Sequence[int]) -> tuple[float, float, float]:
    """A theme colour (0-255 channels) as matplotlib's 0-1 floats."""
    return tuple(c / 255 for c in colour[:3])


def aspect(preset: Preset, value: float) -> float | None:
    """Slides fill their fixed 16:9 canvas; docs take the given height-to-width ratio."""
    return None if preset.height else value


def points(preset: Preset, size: float) -> float:
    """A marker or line size in points that looks the same in every preset (scaled like its fonts)."""
    return size * preset.scale * 100 / preset.dpi


def plain_log_ticks(axis, low: float, high: float) -> None:
    """Label a log-scaled matplotlib axis (``ax.yaxis``) with plain 1-2-3-5 numbers in [low, high]."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    decades = range(int(np.floor(np.log10(low))), int(np.ceil(np.log10(high))) + 1)
    ticks = [m * 10.0**e for e in decades for m in (1, 2, 3, 5) if low <= m * 10.0**e <= high]
    axis.set_major_locator(FixedLocator(ticks))
    axis.set_major_formatter(FuncFormatter(lambda x, _: f"{x:g}"))
    axis.set_minor_locator(NullLocator())


def log_floor(values: Sequence[float], fallback: float) -> float:
    """The smallest positive value (what a log axis can show), or ``fallback`` when there is none.

    A loss can underflow to exactly 0 with a very large learning rate; a log axis starting at 0 is undefined.
    """
    positive = [v for v in values if v > 0]
    return min(positive) if positive else fallback
