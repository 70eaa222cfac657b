"""Text on frames with Pillow, in the DejaVu Sans that ships with matplotlib.

Fonts are loaded once per (weight, size). Sizes are pixels (em height). Anchors are Pillow's
two-letter anchors (``"la"`` left/ascender, ``"mm"`` middle/middle, ``"ms"`` middle/baseline…).
"""

from __future__ import annotations

import functools
from pathlib import Path

import matplotlib
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from figgen.draw._pixels import paint


@functools.lru_cache(maxsize=4)
def font_path(bold: bool = False, mono: bool = False) -> Path:
    """Path of matplotlib's bundled DejaVu Sans (bold or regular; DejaVu Sans Mono when ``mono``) TTF file."""
    family = "DejaVuSansMono" if mono else "DejaVuSans"
    name = f"{family}-Bold.ttf" if bold else f"{family}.ttf"
    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name
    if not path.is_file():  # an unusual matplotlib install: ask its font manager
        from matplotlib import font_manager

        prop = font_manager.FontProperties(
            family="DejaVu Sans Mono" if mono else "DejaVu Sans", weight="bold" if bold else "normal"
        )
        path = Path(font_manager.findfont(prop, fallback_to_default=True))
    return path


@functools.lru_cache(maxsize=64)
def get_font(size: int, bold: bool = False, mono: bool = False) -> ImageFont.FreeTypeFont:
    """The DejaVu Sans (``mono``: DejaVu Sans Mono) font at ``size`` pixels, loaded once and cached."""
    return ImageFont.truetype(str(font_path(bold, mono)), max(1, int(size)))


def text_size(
    text: str, size: int, *, bold: bool = False, stroke: int = 0, mono: bool = False
) -> tuple[int, int]:
    """Width and height in pixels of ``text`` drawn at ``size`` (multi-line text allowed).

    The height is the font's full line height (ascender to descender) per line, so labels of
    different glyphs line up when placed by these sizes.
    """
    font = get_font(size, bold, mono)
    lines = text.split("\n")
    width = max(int(np.ceil(font.getlength(line))) for line in lines) + 2 * stroke
    ascent, descent = font.getmetrics()
    spacing = _line_spacing(size)
    height = len(lines) * (ascent + descent) + (len(lines) - 1) * spacing + 2 * stroke
    return width, height


def ink_height(text: str, size: int, *, bold: bool = False) -> int:
    """Height in pixels of the glyphs' ink of one line of ``text`` at ``size``, from its top to its bottom.

    What a reader sees as the text's size: "Prediction" has no descender, so its ink is its ascenders' height.
    """
    box = get_font(size, bold).getbbox(text, anchor="ls")
    return max(0, int(box[3] - box[1]))


def min_text_px(preset) -> int:
    """The smallest ink height, in pixels, that text on ``preset`` may have: a capital's or a digit's.

    11 px on a page; a slide is read from the back of a room, so 10 px scaled with the preset, 24 px at
    1920 x 1080.
    """
    return max(11, round(10 * preset.scale))


def legible_size(preset, *, bold: bool = False) -> int:
    """The smallest font size at which a capital or a digit is :func:`min_text_px` tall on ``preset``."""
    size = 1
    while ink_height("H", size, bold=bold) < min_text_px(preset):
        size += 1
    return size


def _line_spacing(size: int) -> int:
    """Extra pixels between lines of multi-line text."""
    return max(1, round(size * 0.2))


def fit_font_size(
    texts: list[str], size: int, max_width: int, *, minimum: int = 8, bold: bool = False, stroke: int = 0
) -> int:
    """The largest size ≤ ``size`` (and ≥ ``minimum``) at which every text is at most ``max_width`` wide."""
    while size > minimum:
        widest = max((text_size(t, size, bold=bold, stroke=stroke)[0] for t in texts), default=0)
        if widest <= max_width:
            break
        size -= 1
    return size


def draw_text(
    target: Image.Image | ImageDraw.ImageDraw,
    xy: tuple[float, float],
    text: str,
    size: int,
    colour: tuple[int, ...],
    *,
    anchor: str = "la",
    bold: bool = False,
    outline: tuple[int, ...] | None = None,
    stroke: int | None = None,
    align: str = "center",
    mono: bool = False,
) -> None:
    """Draw ``text`` at ``xy`` (rounded to whole pixels) on a Pillow image with the given anchor.

    Edge smoothing is kept to :data:`COVERAGE_LEVELS` steps, so text adds only a handful of colours
    to a frame and animations fit one 256-colour GIF palette exactly. ``outline`` draws a halo of
    ``stroke`` pixels (default: about size/12) in that colour around the glyphs (transparent
    theme). Colours may be RGB or RGBA. An ImageDraw is accepted and drawn through its image.
    ``mono`` draws in DejaVu Sans Mono (a console's text).
    """
    image = target if isinstance(target, Image.Image) else target._image
    font = get_font(size, bold, mono)
    xy = (round(xy[0]), round(xy[1]))
    width = (stroke if stroke is not None else max(1, round(size / 12))) if outline is not None else 0
    multiline = "\n" in text
    opts: dict = {"font": font, "anchor": anchor}
    if multiline:
        opts.update(spacing=_line_spacing(size), align=align)
    probe = ImageDraw.Draw(image)
    box = (probe.multiline_textbbox if multiline else probe.textbbox)(xy, text, stroke_width=width, **opts)
    x0, y0 = max(0, int(box[0]) - 1), max(0, int(box[1]) - 1)
    x1, y1 = min(image.width, int(np.ceil(box[2])) + 1), min(image.height, int(np.ceil(box[3])) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    local = (xy[0] - x0, xy[1] - y0)
    layers = [(outline, width), (colour, 0)] if outline is not None else [(colour, 0)]
    for ink, stroke_width in layers:
        mask = Image.new("L", (x1 - x0, y1 - y0), 0)
        draw = ImageDraw.Draw(mask)
        (draw.multiline_text if multiline else draw.text)(
            local, text, fill=255, stroke_width=stroke_width, stroke_fill=255, **opts
        )
        paint(image, ink, (x0, y0), mask, COVERAGE_LEVELS)


#: Steps of text edge coverage (0 and full included).
COVERAGE_LEVELS = 8
