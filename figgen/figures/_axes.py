"""Axis helpers shared by the figure builders: plain numbers on log axes, and where such an axis can start."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


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
