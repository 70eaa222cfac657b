"""Colormap lookup tables taken from matplotlib, and exact value-to-colour mapping.

The weight sheets read "white = 0, red = hit, blue = miss", so zero must land exactly on the
colormap's centre. A 256-entry table has no centre entry (matplotlib's own seismic gives
(255, 253, 253) at 0.5, not white), so tables here default to an ODD size, 255 entries: entry 127
is the colormap evaluated at exactly 0.5, and :func:`apply_lut` maps the midpoint of
``[vmin, vmax]`` to index ``(n - 1) / 2`` exactly.
"""

from __future__ import annotations

import functools

import matplotlib
import numpy as np

from figgen.core.errors import FiggenError, suggest

#: Default table size: odd, so that a symmetric scale has a centre entry.
LUT_SIZE = 255


@functools.lru_cache(maxsize=64)
def _cached_lut(name: str, n: int) -> np.ndarray:
    """Build and freeze one lookup table; see :func:`colormap_lut`."""
    try:
        cmap = matplotlib.colormaps[name]
    except KeyError:
        raise FiggenError(f"unknown colormap {name!r}{suggest(name, matplotlib.colormaps)}") from None
    # resampled(n) evaluates the colormap's own definition at n evenly spaced points (0 and 1
    # included), rather than picking from its default 256-entry table.
    rgba = cmap.resampled(n)(np.arange(n))
    lut = np.rint(rgba[:, :3] * 255).astype(np.uint8)
    lut.setflags(write=False)
    return lut


def colormap_lut(name: str, n: int = LUT_SIZE) -> np.ndarray:
    """An (n, 3) uint8 RGB lookup table sampled from matplotlib's colormap ``name``.

    Entry i is the colormap at ``i / (n - 1)``. With the default odd n the centre entry is the
    colormap's exact midpoint colour (white for seismic and bwr). The array is read-only and cached.
    """
    if n < 2:
        raise ValueError(f"a lookup table needs at least 2 entries, got {n}")
    return _cached_lut(name, int(n))


def lut_indices(values: np.ndarray, n: int, vmin: float, vmax: float) -> np.ndarray:
    """Indices into an n-entry table for ``values`` on the scale ``[vmin, vmax]``, clipped.

    Uses round-to-nearest, so with an odd n the midpoint of the scale maps to ``(n - 1) / 2``.
    NaN maps to the centre entry.
    """
    if not vmax > vmin:
        raise ValueError(f"empty colour scale: vmin={vmin} vmax={vmax}")
    scaled = (np.asarray(values, dtype=np.float64) - vmin) * ((n - 1) / (vmax - vmin))
    scaled = np.nan_to_num(scaled, nan=(n - 1) / 2)
    return np.clip(np.rint(scaled), 0, n - 1).astype(np.intp)


def apply_lut(values: np.ndarray, lut: np.ndarray | str, vmin: float, vmax: float) -> np.ndarray:
    """Map a float array to uint8 RGB through ``lut`` (a table or a colormap name).

    Output has shape ``values.shape + (3,)``; values outside the scale take the end colours.
    """
    if isinstance(lut, str):
        lut = colormap_lut(lut)
    return lut[lut_indices(values, len(lut), vmin, vmax)]


def symmetric_limit(weights: np.ndarray) -> float:
    """The half-width of a scale symmetric around zero that holds every weight: max |w|.

    Always > 0 (1.0 when every weight is zero or the array is empty); NaN and inf are ignored.
    """
    w = np.asarray(weights, dtype=np.float64)
    w = np.abs(w[np.isfinite(w)])
    limit = float(w.max()) if w.size else 0.0
    return limit if limit > 0 else 1.0
