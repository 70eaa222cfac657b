"""Drawing frames from arrays: weight sheets, digit grids, filmstrips, gradient-descent frames and text.

Frames are uint8 RGB arrays (RGBA in the transparent theme), coloured through lookup tables, enlarged by
whole pixel blocks and lettered with Pillow: no matplotlib figure is drawn per frame. Themes and presets
are data from :mod:`figgen.core.themes`; matplotlib figures live in :mod:`figgen.figures`.
"""

from figgen.draw._pixels import blank, upscale
from figgen.draw.colormaps import LUT_SIZE, apply_lut, colormap_lut, lut_indices, symmetric_limit
from figgen.draw.console import console_frames, console_still
from figgen.draw.descent import descent_frames
from figgen.draw.grids import digit_grid, filmstrip
from figgen.draw.mistake import mistake_frame
from figgen.draw.panels import ANIMATION_LEVELS, SHEET_LEVELS, colorbar, sheet_size, weights_frame
from figgen.draw.text import draw_text, fit_font_size, get_font, text_size

__all__ = [
    "ANIMATION_LEVELS",
    "LUT_SIZE",
    "SHEET_LEVELS",
    "apply_lut",
    "blank",
    "colorbar",
    "colormap_lut",
    "console_frames",
    "console_still",
    "descent_frames",
    "digit_grid",
    "draw_text",
    "filmstrip",
    "fit_font_size",
    "get_font",
    "lut_indices",
    "mistake_frame",
    "sheet_size",
    "symmetric_limit",
    "text_size",
    "upscale",
    "weights_frame",
]
