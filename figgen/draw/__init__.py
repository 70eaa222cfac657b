"""Drawing: frames from arrays (Pillow + lookup tables), themes, presets and matplotlib styling."""

from figgen.draw.colormaps import LUT_SIZE, apply_lut, colormap_lut, lut_indices, symmetric_limit
from figgen.draw.grids import digit_grid, filmstrip
from figgen.draw.panels import (
    ANIMATION_LEVELS,
    SHEET_LEVELS,
    blank,
    colorbar,
    sheet_size,
    upscale,
    weights_frame,
)
from figgen.draw.text import draw_text, fit_font_size, get_font, text_size
from figgen.draw.theme import (
    PRESETS,
    THEMES,
    Preset,
    Theme,
    figure_to_array,
    get_preset,
    get_theme,
    matplotlib_style,
    new_figure,
    outline_text,
    rc_params,
)

__all__ = [
    "ANIMATION_LEVELS",
    "SHEET_LEVELS",
    "LUT_SIZE",
    "PRESETS",
    "THEMES",
    "Preset",
    "Theme",
    "apply_lut",
    "blank",
    "colorbar",
    "colormap_lut",
    "digit_grid",
    "draw_text",
    "figure_to_array",
    "filmstrip",
    "fit_font_size",
    "get_font",
    "get_preset",
    "get_theme",
    "lut_indices",
    "matplotlib_style",
    "new_figure",
    "outline_text",
    "rc_params",
    "sheet_size",
    "symmetric_limit",
    "text_size",
    "upscale",
    "weights_frame",
]
