"""A frame of one training digit the model gets wrong beside a grid of test digits it gets wrong.

The text's ``display_compare(2)`` finds a training example the classifier gets wrong; this frame draws it
large, titled as the text titles it (``Prediction: p Label: l``), next to the test digits it gets wrong (a
:func:`~figgen.draw.grids.digit_grid`), all under a title. Same conventions as :mod:`figgen.draw.grids`:
uint8 RGB frames (RGBA for the transparent theme), digits enlarged by whole pixel blocks.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from figgen.core.themes import Preset, Theme, get_preset, get_theme
from figgen.draw._pixels import SIDE, as_images, blank, border, put, text_kwargs, upscale
from figgen.draw.colormaps import colormap_lut, lut_indices
from figgen.draw.grids import digit_grid
from figgen.draw.text import draw_text, fit_font_size, legible_size, text_size

#: The training digit's panel takes this share of the frame's width; the test grid the rest.
LEFT_SHARE = 0.36


def _fit(texts: Sequence[str], size: int, width: int, preset: Preset, stroke: int) -> int:
    """The largest font ≤ ``size`` at which every text fits ``width``, never below the legible size."""
    return max(fit_font_size(list(texts), size, width, stroke=stroke), legible_size(preset))


def mistake_frame(
    image: np.ndarray,
    lines: Sequence[str],
    test_images: np.ndarray,
    test_titles: Sequence[str],
    theme: Theme | str,
    preset: Preset | str,
    *,
    title: Sequence[str] = (),
    heading: str = "A training digit",
    test_heading: str = "Test digits it gets wrong",
    wrong: bool = True,
) -> np.ndarray:
    """One training digit (784 values in [0, 1]) framed as a mistake, ``lines`` beneath it (the first, its
    ``✗ Prediction: p Label: l``, in the mistake colour), beside ``test_images`` titled ``test_titles``, all
    marked as mistakes, under the ``title`` lines. ``wrong`` False draws the training digit as one got right
    (a model that gets every training example right): framed and its first line in the foreground colour.

    The frame is the preset's width, and on a preset of fixed height (slides) exactly its height, the
    training digit as large as its panel allows; its texts never shrink below the legible size.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    margin, gap, mark = preset.px(10), preset.px(8), preset.px(3)
    stroke = preset.px(1) if theme.outline else 0
    left_w = round(preset.width * LEFT_SHARE)
    title_font = _fit(title, round(preset.font_size * 1.2), preset.width - 2 * margin, preset, stroke)
    title_lines = [text_size(t, title_font, stroke=stroke)[1] for t in title]
    title_h = sum(title_lines) + (len(title_lines) * preset.px(4) + preset.px(6) if title else 0)
    inner = left_w - 2 * margin
    head_font = _fit([heading], preset.font_size, inner, preset, stroke)
    head_h = text_size(heading, head_font, stroke=stroke)[1] + preset.px(6)
    font = _fit(lines, preset.font_size, inner, preset, stroke)
    lines_h = sum(text_size(t, font, stroke=stroke)[1] + preset.px(3) for t in lines)
    factor = (inner - 2 * mark) // SIDE
    if preset.height:
        room = preset.height - 2 * margin - title_h - head_h - gap - lines_h - 2 * mark
        factor = min(factor, room // SIDE)
    factor = max(1, min(factor, 12))
    side = SIDE * factor
    left_h = 2 * margin + head_h + 2 * mark + side + gap + lines_h
    grid_preset = dataclasses.replace(
        preset,
        width=preset.width - left_w,
        height=(preset.height - title_h) if preset.height else None,
    )
    grid = digit_grid(
        test_images,
        list(test_titles),
        theme,
        grid_preset,
        marks=[True] * len(test_titles),
        sections=[(test_heading, len(test_titles))],
    )
    width = max(preset.width, left_w + grid.shape[1])
    height = max(preset.height or 0, title_h + max(left_h, grid.shape[0]))
    canvas = blank(theme, width, height)
    body = title_h + (height - title_h - max(left_h, grid.shape[0])) // 2
    canvas[body : body + grid.shape[0], left_w : left_w + grid.shape[1]] = grid
    top = body + (max(left_h, grid.shape[0]) - left_h) // 2 + margin
    lut = colormap_lut("gray_r")
    digit = lut[lut_indices(as_images(np.asarray(image)[None])[0], len(lut), 0.0, 1.0)]
    x = (left_w - side) // 2
    y = top + head_h + mark
    put(canvas, x, y, upscale(digit, factor))
    border(canvas, x, y, side, side, theme.mistake if wrong else theme.foreground, mark)
    picture = Image.fromarray(canvas)
    draw = ImageDraw.Draw(picture)
    style = text_kwargs(theme)
    ty = preset.px(6)
    for text, h in zip(title, title_lines, strict=True):
        draw_text(draw, (width / 2, ty), text, title_font, theme.foreground, anchor="ma", **style)
        ty += h + preset.px(4)
    draw_text(draw, (left_w / 2, top), heading, head_font, theme.muted, anchor="ma", **style)
    ly = y + side + mark + gap
    for i, text in enumerate(lines):
        colour = theme.text_ink(theme.mistake) if i == 0 and wrong else theme.foreground
        draw_text(draw, (left_w / 2, ly), text, font, colour, anchor="ma", **style)
        ly += text_size(text, font, stroke=stroke)[1] + preset.px(3)
    return np.array(picture)
