"""Frames from arrays: digit grids (titled, mistakes marked) and filmstrips of key frames.

Same conventions as :mod:`figgen.draw.panels`: uint8 RGB frames (RGBA for the transparent theme),
images coloured through lookup tables and enlarged by whole pixel blocks.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageDraw

from figgen.core.themes import Preset, Theme, get_preset, get_theme
from figgen.draw._pixels import SIDE, as_images, blank, border, put, text_kwargs, upscale
from figgen.draw.colormaps import colormap_lut, lut_indices
from figgen.draw.text import draw_text, fit_font_size, legible_size, text_size


def digit_grid(
    images: np.ndarray,
    titles: Sequence[str] | None,
    theme: Theme | str,
    preset: Preset | str,
    *,
    cols: int | None = None,
    marks: Sequence[bool] | None = None,
    sections: Sequence[tuple[str, int]] | None = None,
    title: str | None = None,
    cmap: str = "gray_r",
    scale: int | None = None,
    vmin: float = 0.0,
    vmax: float = 1.0,
) -> np.ndarray:
    """Digits (n, 784) with pixel values in [vmin, vmax] in a grid, each titled, the whole under ``title``.

    ``sections`` (``[(caption, count), ...]``) split the digits, in order, into groups that each start on a
    new row under their caption. ``cols`` defaults to the most columns, up to 8, whose titles stay legible
    (:func:`~figgen.draw.text.min_text_px`), or on a preset of fixed size (slides) to the legible count that
    makes the digits largest. ``scale`` is the whole-pixel enlargement (default: as large as the space
    allows, at most 8). A True in ``marks`` draws that digit's frame and title in the theme's mistake colour.
    Titles may have several lines; only in columns the caller forced do they shrink to fit. The frame is
    the preset's width, and its fixed height when it has one, otherwise as tall as the digits need; more
    digits than fit at one pixel per pixel make it larger.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    digits = as_images(images)
    n = len(digits)
    titles = list(titles) if titles is not None else [""] * n
    marks = list(marks) if marks is not None else [False] * n
    sections = [(caption, count) for caption, count in (sections or [("", n)]) if count]
    if len(titles) != n or len(marks) != n or sum(count for _, count in sections) != n:
        raise ValueError(
            f"{n} images but {len(titles)} titles, {len(marks)} marks and sections of {sections}"
        )
    if cols is not None and cols < 1:
        raise ValueError(f"cols must be at least 1, got {cols}")
    if cols is None:
        # Only as many columns as keep the titles legible (min_text_px): fewer, larger digits otherwise.
        stroke = preset.px(1) if theme.outline else 0
        widest = max((text_size(t, legible_size(preset), stroke=stroke)[0] for t in titles if t), default=0)
        legible = [c for c in range(1, max(n, 1) + 1) if _cell_width(preset, c) >= widest] or [1]
        cols = (
            max(c for c in [*legible, 1] if c <= 8)
            if not preset.height or scale
            else max(legible, key=lambda c: _fill(_grid(c, n, titles, sections, title, theme, preset, scale)))
        )
    g = _grid(min(cols, max(n, 1)), n, titles, sections, title, theme, preset, scale)
    width = max(preset.width, g["grid_w"] + 2 * g["margin"])
    height = max(preset.height or 0, g["grid_h"] + 2 * g["margin"])
    canvas = blank(theme, width, height)
    x0, y0 = (width - g["grid_w"]) // 2, (height - g["grid_h"]) // 2
    lut = colormap_lut(cmap)
    colours = lut[lut_indices(digits, len(lut), vmin, vmax)]
    p, cell_w, cell_h, gx, gy, mark_w = g["p"], g["cell_w"], g["cell_h"], g["gx"], g["gy"], g["mark_w"]
    texts = []  # (xy, text, size, colour, anchor)
    if title:
        texts.append(((width / 2, y0), title, g["title_font"], theme.foreground, "ma"))
    y, i = y0 + g["title_h"], 0
    for caption, count in sections:
        if caption:
            texts.append(((x0, y), caption, g["caption_font"], theme.muted, "la"))
            y += g["caption_h"]
        for k in range(count):
            cx = x0 + (k % g["cols"]) * (cell_w + gx)
            cy = y + (k // g["cols"]) * (cell_h + gy)
            x, top = cx + (cell_w - p) // 2, cy + g["label_h"] + mark_w
            put(canvas, x, top, upscale(colours[i], g["factor"]))
            border(
                canvas,
                x,
                top,
                p,
                p,
                *(theme.mistake, mark_w) if marks[i] else (theme.muted, max(1, preset.px(1) // 2)),
            )
            if titles[i]:
                colour = theme.text_ink(theme.mistake) if marks[i] else theme.foreground
                texts.append(((cx + cell_w / 2, cy), titles[i], g["font"], colour, "ma"))
            i += 1
        y += math.ceil(count / g["cols"]) * (cell_h + gy)
    image = Image.fromarray(canvas)
    draw = ImageDraw.Draw(image)
    for xy, text, size, colour, anchor in texts:
        draw_text(draw, xy, text, size, colour, anchor=anchor, **text_kwargs(theme))
    return np.array(image)


def _grid(cols, n, titles, sections, title, theme: Theme, preset: Preset, scale) -> dict:
    """The sizes of a digit grid with ``cols`` columns: the digits' enlargement and every gap and text."""
    margin, gx, gy = preset.px(10), preset.px(14), preset.px(10)
    mark_w = preset.px(3)
    stroke = preset.px(1) if theme.outline else 0
    rows = sum(math.ceil(count / cols) for _, count in sections)
    cell_w = _cell_width(preset, cols)
    # digit labels as small as stays legible: on a slide the digits, not their labels, should fill it;
    # only columns the caller forced can make them smaller
    font = fit_font_size([t for t in titles if t] or ["0"], legible_size(preset), cell_w, stroke=stroke)
    label_h = max((text_size(t, font, stroke=stroke)[1] for t in titles if t), default=0)
    label_h += preset.px(4) if label_h else 0
    title_font = round(preset.font_size * 1.2)
    title_h = text_size("Ag", title_font, stroke=stroke)[1] + preset.px(10) if title else 0
    captions = [c for c, _ in sections if c]
    caption_font = fit_font_size(
        captions or ["0"], preset.font_size, preset.width - 2 * margin, stroke=stroke
    )
    caption_h = text_size("Ag", caption_font, stroke=stroke)[1] + preset.px(6)
    fixed = title_h + len(captions) * caption_h + (rows - 1) * gy + rows * (label_h + 2 * mark_w)
    factor = scale or min(8, (cell_w - 2 * mark_w) // SIDE)
    if preset.height and not scale and rows:  # no rows (no digits to show): nothing to fit
        factor = min(factor, (preset.height - 2 * margin - fixed) // (rows * SIDE))
    factor = max(factor, 1)  # too many to fit at their smallest: the frame grows beyond the preset's size
    p = SIDE * factor
    cell_w = max(cell_w, p + 2 * mark_w) if not scale else max(p + 2 * mark_w, min(cell_w, p * 2))
    cell_h = label_h + p + 2 * mark_w
    grid_w = cols * cell_w + (cols - 1) * gx
    grid_h = fixed - rows * (label_h + 2 * mark_w) + rows * cell_h
    return {
        "cols": cols,
        "factor": factor,
        "p": p,
        "cell_w": cell_w,
        "cell_h": cell_h,
        "grid_w": grid_w,
        "grid_h": grid_h,
        "margin": margin,
        "gx": gx,
        "gy": gy,
        "mark_w": mark_w,
        "font": font,
        "label_h": label_h,
        "title_font": title_font,
        "title_h": title_h,
        "caption_font": caption_font,
        "caption_h": caption_h,
        "frame_h": preset.height or 0,
    }


def _fill(g: dict) -> tuple:
    """How well a grid fills a fixed-size frame, for ``max``: largest digits, then least overflow, then fewest
    columns."""
    return g["factor"], -max(0, g["grid_h"] + 2 * g["margin"] - g["frame_h"]), -g["cols"]


def _cell_width(preset: Preset, cols: int) -> int:
    """The width of one of ``cols`` columns of a digit grid (the gaps as in :func:`_grid`)."""
    return (preset.width - 2 * preset.px(10) - (cols - 1) * preset.px(14)) // cols


def filmstrip(
    frames: Sequence[np.ndarray],
    labels: Sequence[str],
    theme: Theme | str,
    preset: Preset | str,
    *,
    cols: int | None = None,
) -> np.ndarray:
    """Key frames of an animation side by side, each shrunk to fit and labelled below.

    All frames must have the same size. Frames are resampled (Lanczos) since thumbnails rarely
    land on whole pixel ratios; the strip is the preset's width and as tall as the frames need, or on a
    preset of fixed size (slides) exactly that size, with thumbnails as large as fit in it. ``cols``
    defaults to the most columns that keep the frames' own text at least ``MIN_TEXT_PX`` tall, or on a
    preset of fixed size to the count that makes the thumbnails largest.
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
    margin, gap = preset.px(10), preset.px(12)
    stroke = preset.px(1) if theme.outline else 0
    label_h = text_size("Ag", preset.font_size, stroke=stroke)[1] + preset.px(4)

    def thumb_width(c: int) -> int:
        """Thumbnail width with ``c`` columns: the preset's width shared, and on a slide its height too."""
        tw = _thumb_width(preset, c, margin, gap)
        if preset.height:
            rows = math.ceil(len(frames) / c)
            th = (preset.height - 2 * margin - (rows - 1) * gap - rows * label_h) // rows
            tw = min(tw, th * fw // fh)
        return max(1, tw)

    if cols is None:
        if preset.height:
            cols = max(range(1, len(frames) + 1), key=lambda c: (thumb_width(c), -c))
        else:
            fits = [
                c for c in range(1, len(frames) + 1) if thumb_width(c) / fw * preset.font_size >= MIN_TEXT_PX
            ]
            cols = max(fits, default=1)
    cols = max(1, min(cols, len(frames)))
    rows = math.ceil(len(frames) / cols)
    tw = thumb_width(cols)
    th = max(1, round(fh * tw / fw))
    font = fit_font_size([t for t in labels if t] or ["0"], preset.font_size, tw, stroke=stroke)
    cell_h = th + label_h
    height = max(2 * margin + rows * cell_h + (rows - 1) * gap, preset.height or 0)
    canvas = blank(theme, preset.width, height)
    grid_w = cols * tw + (cols - 1) * gap
    x0 = (preset.width - grid_w) // 2
    y0 = (height - (rows * cell_h + (rows - 1) * gap)) // 2
    mode = "RGBA" if theme.transparent else "RGB"
    spots = []
    for i, frame in enumerate(frames):
        x, y = x0 + (i % cols) * (tw + gap), y0 + (i // cols) * (cell_h + gap)
        thumb = np.asarray(Image.fromarray(frame).convert(mode).resize((tw, th), Image.Resampling.LANCZOS))
        canvas[y : y + th, x : x + tw] = thumb
        border(canvas, x, y, tw, th, theme.muted, 1)
        spots.append((x + tw / 2, y + th + preset.px(4)))
    image = Image.fromarray(canvas)
    draw = ImageDraw.Draw(image)
    for xy, text in zip(spots, labels, strict=True):
        draw_text(draw, xy, text, font, theme.foreground, anchor="ma", **text_kwargs(theme))
    return np.array(image)


MIN_TEXT_PX = 12  # the smallest text a thumbnail may shrink a frame's captions to


def _thumb_width(preset: Preset, cols: int, margin: int, gap: int) -> int:
    return (preset.width - 2 * margin - (cols - 1) * gap) // cols
