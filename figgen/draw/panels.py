"""Frames from arrays: the 2x5 weight sheet, a colour bar, and the pixel helpers the grids share.

Every function returns a uint8 frame, (H, W, 3) RGB or (H, W, 4) RGBA for the transparent theme.
Images are coloured through lookup tables and enlarged by whole pixel blocks, never resampled, so
one weight is one crisp square. Sizes follow the preset; nothing here touches matplotlib figures.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import TypedDict

import numpy as np
from PIL import Image, ImageDraw

from figgen.core.knobs import CLASSES, PIXELS
from figgen.core.themes import Preset, Theme, get_preset, get_theme
from figgen.draw._pixels import SIDE, blank, border, put, text_kwargs, upscale
from figgen.draw.colormaps import colormap_lut, lut_indices, symmetric_limit
from figgen.draw.text import draw_text, fit_font_size, legible_size, text_size

SHEET_LEVELS = 201  # colours of a weight sheet's table; see weights_frame
#: Table size for animated sheets: 41 steps (about 5% of the scale each) keep the look of 201 while
#: GIFs shrink to half, as weights under 1/40 of the limit show as exact white.
ANIMATION_LEVELS = 41


# --- colour bar -----------------------------------------------------------------------------


def _tick_label(value: float) -> str:
    """A colour-bar tick: two significant digits, at most seven characters ("+0.59", "−0.094", "+6.3e−3")."""
    if value == 0:
        return "0"
    size = abs(value)
    if 0.01 <= size < 100:
        text = f"{size:.2g}"
    else:  # "0.0063" or "6.3e-03": a short power of ten keeps every label of an animation one width
        mantissa, power = f"{size:.1e}".split("e")
        text = f"{mantissa}e{int(power)}".replace("-", "\u2212")
    return ("+" if value > 0 else "\u2212") + text


def _tick_labels(limit: float) -> list[str]:
    """The tick labels of a colour bar from −limit to +limit, top first."""
    return [_tick_label(limit), _tick_label(0.0), _tick_label(-limit)]


def _colorbar_metrics(
    theme: Theme,
    preset: Preset,
    bar_width=None,
    label_width=None,
    font_size=None,
    limits: Sequence[float] = (),
):
    """Bar width, gap, tick-label width, tick font size and text halo of a colour bar.

    The labels are never shrunk: the font is the smallest legible one (:func:`legible_size`) unless given,
    and the default width holds "−0.88" or the widest label of any of ``limits``, whichever is wider.
    """
    bar_width = bar_width or preset.px(14)
    font_size = font_size or legible_size(preset)
    stroke = preset.px(1) if theme.outline else 0
    if not label_width:
        labels = ["\u22120.88", *(text for limit in limits for text in _tick_labels(limit))]
        label_width = max(text_size(text, font_size, stroke=stroke)[0] for text in labels)
    return bar_width, preset.px(5), label_width, font_size, stroke


def colorbar_width(theme: Theme | str, preset: Preset | str, limits: Sequence[float] = ()) -> int:
    """Pixel width of a default :func:`colorbar` (bar, gap and tick labels) whose labels may be any of
    ±``limits``."""
    bar_width, gap, label_width, _, _ = _colorbar_metrics(get_theme(theme), get_preset(preset), limits=limits)
    return bar_width + gap + label_width


def _bar_width(theme: Theme, preset: Preset, label_width: int) -> int:
    """Pixel width of a colour bar with ``label_width`` pixels of tick labels (0: no colour bar at all)."""
    if not label_width:
        return 0
    bar_width, gap, _, _, _ = _colorbar_metrics(theme, preset, label_width=label_width)
    return bar_width + gap + label_width


def colorbar(
    lut: np.ndarray | str,
    vmin: float,
    vmax: float,
    theme: Theme | str,
    preset: Preset | str,
    *,
    height: int,
    bar_width: int | None = None,
    label_width: int | None = None,
    font_size: int | None = None,
) -> np.ndarray:
    """A vertical colour bar ``height`` pixels tall: vmax at the top, ticks at vmin, centre, vmax.

    The bar samples the table directly, so with an odd-sized table and an odd number of rows the
    middle row is exactly the table's centre colour. ``label_width`` reserves room for the tick
    labels (default: enough for "−0.88" and for this bar's own labels); the labels keep their font size
    whatever their width, so that every frame of an animation has the same size of text on its bar.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    lut = colormap_lut(lut) if isinstance(lut, str) else lut
    bar_width, gap, label_width, font_size, stroke = _colorbar_metrics(
        theme, preset, bar_width, label_width, font_size, limits=(abs(vmin), abs(vmax))
    )
    if height < 3 + 2 * stroke:
        raise ValueError(f"a colour bar needs at least {3 + 2 * stroke} rows, got {height}")
    rows = height - 2 * stroke
    values = vmax - (np.arange(rows) / max(rows - 1, 1)) * (vmax - vmin)
    bar = lut[lut_indices(values, len(lut), vmin, vmax)][:, None, :]
    canvas = blank(theme, bar_width + gap + label_width, height)
    put(canvas, 0, stroke, np.broadcast_to(bar, (rows, bar_width, 3)))
    image = Image.fromarray(canvas)
    draw = ImageDraw.Draw(image)
    ticks = [(vmax, stroke), ((vmin + vmax) / 2, stroke + (rows - 1) / 2), (vmin, stroke + rows - 1)]
    labels = [_tick_label(v) for v, _ in ticks]
    for (_, y), text in zip(ticks, labels, strict=True):
        anchor = "la" if y == stroke else ("ld" if y == stroke + rows - 1 else "lm")
        draw_text(
            draw, (bar_width + gap, y), text, font_size, theme.foreground, anchor=anchor, **text_kwargs(theme)
        )
    return np.array(image)


# --- the 2 x 5 weight sheet -----------------------------------------------------------------


class _SheetLayout(TypedDict):
    """Where everything goes on a weight sheet (pixels; ``*_xy`` are text anchors, ``*_fs`` font sizes)."""

    factor: int  # the enlargement of a 28 x 28 panel
    panel: int  # a panel's side
    panels: list[tuple[int, int]]  # each panel's top-left corner, digits 0-9
    label_fs: int
    title_fs: int
    title_xy: tuple[float, int]
    caption_xy: tuple[float, int]
    colorbar_xy: tuple[int, int]
    colorbar_h: int
    border: int  # the panels' frame width


@functools.lru_cache(maxsize=32)
def _sheet_layout(
    theme: Theme,
    preset: Preset,
    size: tuple[int, int],
    has_title: bool,
    has_caption: bool,
    colorbar_w: int,
) -> _SheetLayout:
    """Positions of everything on a weight sheet of ``size``; depends only on what is present and on the
    colour bar's width (0: none)."""
    width, height = size
    fs = preset.font_size
    title_fs, label_fs = round(fs * 1.2), fs
    margin, gx, gy = preset.px(10), preset.px(12), preset.px(6)
    stroke = preset.px(1) if theme.outline else 0
    title_h = text_size("Ag", title_fs, stroke=stroke)[1] + preset.px(6) if has_title else 0
    caption_h = text_size("Ag", fs, stroke=stroke)[1] + preset.px(6) if has_caption else 0
    label_h = text_size("0", label_fs, stroke=stroke)[1] + preset.px(3)
    cb_w = preset.px(12) + colorbar_w if colorbar_w else 0
    avail_w = width - 2 * margin - cb_w
    avail_h = height - 2 * margin - title_h - caption_h
    factor = min((avail_w - 4 * gx) // (5 * SIDE), (avail_h - gy - 2 * label_h) // (2 * SIDE))
    if factor < 1:
        raise ValueError(f"a weight sheet does not fit in {width}x{height} pixels")
    p = SIDE * factor
    grid_w, grid_h = 5 * p + 4 * gx, 2 * (label_h + p) + gy
    x0 = (width - grid_w - cb_w) // 2
    # one layout rule with the charts: the title at the top margin, the sheets right below it (a slide's
    # spare height goes below the caption, not above the title)
    top = margin
    y0 = top + title_h
    panels = [(x0 + (k % 5) * (p + gx), y0 + (k // 5) * (label_h + p + gy) + label_h) for k in range(10)]
    # An odd number of colour-bar rows puts zero on one exact row.
    cb_height = 2 * p + gy + label_h - ((2 * p + gy + label_h) % 2 == 0)
    return {
        "factor": factor,
        "panel": p,
        "panels": panels,
        "label_fs": label_fs,
        "title_fs": title_fs,
        "title_xy": (width / 2, top),
        "caption_xy": (width / 2, y0 + grid_h + preset.px(6)),
        "colorbar_xy": (x0 + grid_w + preset.px(12), panels[0][1]),
        "colorbar_h": cb_height,
        "border": max(1, preset.px(1) // 2),
    }


@functools.lru_cache(maxsize=16)
def _sheet_base(
    theme: Theme,
    preset: Preset,
    size: tuple[int, int],
    has_title: bool,
    has_caption: bool,
    colorbar_limit: float | None,
    label_width: int,
    cmap: str,
    levels: int,
    labels: tuple[str, ...],
) -> np.ndarray:
    """Everything on a weight sheet that does not change from frame to frame, cached read-only."""
    layout = _sheet_layout(
        theme, preset, size, has_title, has_caption, _bar_width(theme, preset, label_width)
    )
    canvas = blank(theme, *size)
    p, line = layout["panel"], layout["border"]
    for x, y in layout["panels"]:
        border(canvas, x, y, p, p, theme.muted, line)
    if colorbar_limit is not None:
        bar = colorbar(
            colormap_lut(cmap, levels),
            -colorbar_limit,
            colorbar_limit,
            theme,
            preset,
            height=layout["colorbar_h"],
            label_width=label_width,
        )
        cx, cy = layout["colorbar_xy"]
        canvas[cy : cy + bar.shape[0], cx : cx + bar.shape[1]] = bar
    image = Image.fromarray(canvas)
    draw = ImageDraw.Draw(image)
    label_fs = fit_font_size(list(labels), layout["label_fs"], p + preset.px(10))  # "Ankle boot" fits a panel
    for (x, y), text in zip(layout["panels"], labels, strict=True):
        draw_text(
            draw,
            (x + p / 2, y - preset.px(3)),
            text,
            label_fs,
            theme.foreground,
            anchor="md",
            **text_kwargs(theme),
        )
    base = np.array(image)
    base.setflags(write=False)
    return base


def sheet_size(preset: Preset | str) -> tuple[int, int]:
    """Default pixel size of a weight sheet: 800 x 360 for docs, the full canvas for slides."""
    preset = get_preset(preset)
    return (preset.width, preset.height) if preset.height else (preset.width, round(preset.width * 0.45))


def weights_frame(
    W: np.ndarray,
    theme: Theme | str,
    preset: Preset | str,
    *,
    limit: float | None = None,
    title: str | None = None,
    caption: str | None = None,
    size: tuple[int, int] | None = None,
    colorbar: bool = True,
    cmap: str = "seismic",
    levels: int = SHEET_LEVELS,
    labels: Sequence[str] | None = None,
    colorbar_limits: Sequence[float] = (),
) -> np.ndarray:
    """The ten weight "cheat sheets" of W (784, 10) as a 2 x 5 sheet, panels labelled 0-9.

    Colours sit on one scale symmetric around zero for all ten panels, so zero is exactly the
    colormap's centre (white for seismic), positive red, negative blue. ``limit=None`` uses
    max |W| of this frame; pass one limit for every frame of an animation so colours compare
    across frames (weights beyond it take the end colours). ``levels`` is the (odd) size of the
    lookup table: 201 colours plus the text's few keep a sheet inside one exact 256-colour GIF
    palette, and an odd size puts zero on the centre entry. The layout depends only on the size,
    on which of title/caption/colour bar are present and on the room the colour bar's labels need, so
    frames of one animation line up: an animation whose frames have their own limits passes them all as
    ``colorbar_limits``, and every frame reserves the width of the widest label of the whole animation.
    """
    theme, preset = get_theme(theme), get_preset(preset)
    W = np.asarray(W)
    if W.shape != (PIXELS, CLASSES):
        raise ValueError(f"expected weights of shape (784, 10), got {W.shape}")
    width, height = size or sheet_size(preset)
    size = (int(width), int(height))
    limit = float(limit) if limit is not None else symmetric_limit(W)
    if not limit > 0:
        raise ValueError(f"colour limit must be positive, got {limit}")
    labels = tuple(labels) if labels is not None else tuple(str(k) for k in range(10))
    # Stages: layout, static layer (cached), panels through the table, per-frame text.
    label_w = _colorbar_metrics(theme, preset, limits=(limit, *colorbar_limits))[2] if colorbar else 0
    layout = _sheet_layout(
        theme, preset, size, bool(title), bool(caption), _bar_width(theme, preset, label_w)
    )
    canvas = _sheet_base(
        theme,
        preset,
        size,
        bool(title),
        bool(caption),
        limit if colorbar else None,
        label_w,
        cmap,
        levels,
        labels,
    ).copy()
    lut = colormap_lut(cmap, levels)
    colours = lut[lut_indices(W.T.reshape(CLASSES, SIDE, SIDE), len(lut), -limit, limit)]
    for k, (x, y) in enumerate(layout["panels"]):
        put(canvas, x, y, upscale(colours[k], layout["factor"]))
    if not (title or caption):
        return canvas
    image = Image.fromarray(canvas)
    draw = ImageDraw.Draw(image)
    if title:
        draw_text(
            draw,
            layout["title_xy"],
            title,
            layout["title_fs"],
            theme.foreground,
            anchor="ma",
            **text_kwargs(theme),
        )
    if caption:
        draw_text(
            draw,
            layout["caption_xy"],
            caption,
            preset.font_size,
            theme.foreground,
            anchor="ma",
            **text_kwargs(theme),
        )
    return np.array(image)
