"""Frames from arrays: digit grids (titled, mistakes marked) and filmstrips of key frames.

Same conventions as :mod:`figgen.draw.panels`: uint8 RGB frames (RGBA for the transparent theme),
images coloured through lookup tables and enlarged by whole pixel blocks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from figgen.draw._pixels import SIDE, as_images, blank, border, put, text_kwargs, upscale
from figgen.draw.colormaps import colormap_lut, lut_indices
from figgen.draw.text import draw_text, fit_font_size, text_size
from figgen.themes import Preset, Theme, get_preset, get_theme


def digit_grid(
    images: np.ndarray,
    titles: Sequence[str] | None,
    theme: Theme | str,
    preset: Preset | str,
    *,
    cols: int,
    marks: Sequence[bool] | None = None,
    cmap: str = "gray_r",
    scale: int | None = None,
    vmin: float = 0.0,
    vmax: float = 1.0,
) -> np.ndarray:
    """Digits (n, 784) with pixel values in [vmin, vmax] in a grid of ``cols`` columns, titled.

    ``scale`` is the whole-pixel enlargement (default: as large as the preset's width allows, at
    most 8). A True in ``marks`` draws that digit's frame and title in the theme's mistake colour.
    Titles may have several lines and shrink to fit their cell. The frame is the preset's width,
    and its fixed height when it has one; otherwise as tall as the digits need.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    digits = as_images(images)
    n = len(digits)
    titles = list(titles) if titles is not None else [""] * n
    marks = list(marks) if marks is not None else [False] * n
    if len(titles) != n or len(marks) != n:
        raise ValueError(f"{n} images but {len(titles)} titles and {len(marks)} marks")
    if cols < 1:
        raise ValueError(f"cols must be at least 1, got {cols}")
    cols = min(cols, max(n, 1))
    rows = math.ceil(n / cols)
    margin, gx, gy = preset.px(10), preset.px(14), preset.px(10)
    mark_w = preset.px(3)
    stroke = preset.px(1) if theme.outline else 0
    cell_w = (preset.width - 2 * margin - (cols - 1) * gx) // cols
    font = fit_font_size([t for t in titles if t] or ["0"], preset.font_size, cell_w, stroke=stroke)
    title_h = max((text_size(t, font, stroke=stroke)[1] for t in titles if t), default=0)
    title_h += preset.px(4) if title_h else 0
    factor = scale or min(8, (cell_w - 2 * mark_w) // SIDE)
    if preset.height and not scale:
        fit = (preset.height - 2 * margin - (rows - 1) * gy - rows * (title_h + 2 * mark_w)) // (rows * SIDE)
        factor = min(factor, fit)
    factor = max(factor, 1)  # too many to fit at their smallest: the frame grows beyond the preset's size
    p = SIDE * factor
    cell_w = max(cell_w, p + 2 * mark_w) if not scale else max(p + 2 * mark_w, min(cell_w, p * 2))
    cell_h = title_h + p + 2 * mark_w
    grid_w, grid_h = cols * cell_w + (cols - 1) * gx, rows * cell_h + (rows - 1) * gy
    width = max(preset.width, grid_w + 2 * margin)
    height = max(preset.height or 0, grid_h + 2 * margin)
    canvas = blank(theme, width, height)
    x0, y0 = (width - grid_w) // 2, (height - grid_h) // 2
    lut = colormap_lut(cmap)
    colours = lut[lut_indices(digits, len(lut), vmin, vmax)]
    boxes = []
    for i in range(n):
        cx = x0 + (i % cols) * (cell_w + gx)
        cy = y0 + (i // cols) * (cell_h + gy)
        x, y = cx + (cell_w - p) // 2, cy + title_h + mark_w
        put(canvas, x, y, upscale(colours[i], factor))
        if marks[i]:
            border(canvas, x, y, p, p, theme.mistake, mark_w)
        else:
            border(canvas, x, y, p, p, theme.muted, max(1, preset.px(1) // 2))
        boxes.append((cx + cell_w / 2, cy))
    image = Image.fromarray(canvas)
    draw = ImageDraw.Draw(image)
    for (x, y), text, marked in zip(boxes, titles, marks, strict=True):
        if text:
            colour = theme.mistake if marked else theme.foreground
            draw_text(draw, (x, y), text, font, colour, anchor="ma", **text_kwargs(theme))
    return np.array(image)


def filmstrip(
    frames: Sequence[np.ndarray],
    labels: Sequence[str],
    theme: Theme | str,
    preset: Preset | str,
    *,
    cols: int = 3,
) -> np.ndarray:
    """Key frames of an animation side by side, each shrunk to fit and labelled below.

    All frames must have the same size. Frames are resampled (Lanczos) since thumbnails rarely
    land on whole pixel ratios; the strip is the preset's width and as tall as the frames need.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    if not frames:
        raise ValueError("a filmstrip needs at least one frame")
    if len(labels) != len(frames):
        raise ValueError(f"{len(frames)} frames but {len(labels)} labels")
    shapes = {f.shape[:2] for f in frames}
    if len(shapes) != 1:
        raise ValueError(f"filmstrip frames differ in size: {sorted(shapes)}")
    fh, fw = shapes.pop()
    cols = max(1, min(cols, len(frames)))
    rows = math.ceil(len(frames) / cols)
    margin, gap = preset.px(10), preset.px(12)
    stroke = preset.px(1) if theme.outline else 0
    tw = (preset.width - 2 * margin - (cols - 1) * gap) // cols
    th = max(1, round(fh * tw / fw))
    font = fit_font_size([t for t in labels if t] or ["0"], preset.font_size, tw, stroke=stroke)
    label_h = text_size("Ag", font, stroke=stroke)[1] + preset.px(4)
    cell_h = th + label_h
    height = 2 * margin + rows * cell_h + (rows - 1) * gap
    canvas = blank(theme, preset.width, height)
    grid_w = cols * tw + (cols - 1) * gap
    x0 = (preset.width - grid_w) // 2
    mode = "RGBA" if theme.transparent else "RGB"
    spots = []
    for i, frame in enumerate(frames):
        x, y = x0 + (i % cols) * (tw + gap), margin + (i // cols) * (cell_h + gap)
        thumb = np.asarray(Image.fromarray(frame).convert(mode).resize((tw, th), Image.Resampling.LANCZOS))
        canvas[y : y + th, x : x + tw] = thumb
        border(canvas, x, y, tw, th, theme.muted, 1)
        spots.append((x + tw / 2, y + th + preset.px(4)))
    image = Image.fromarray(canvas)
    draw = ImageDraw.Draw(image)
    for xy, text in zip(spots, labels, strict=True):
        draw_text(draw, xy, text, font, theme.foreground, anchor="ma", **text_kwargs(theme))
    return np.array(image)
