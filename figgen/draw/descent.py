"""Frames of gradient descent on y = x²: one panel per learning rate, a ball stepping down the parabola.

The paths come from :func:`figgen.analysis.gradient_descent_path`; the frames are drawn with Pillow and
numpy, the static part of each panel once, so dozens of frames cost little more than one.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence

import numpy as np
from matplotlib.ticker import MaxNLocator
from PIL import Image, ImageDraw

from figgen.analysis import learning_rate_verdict
from figgen.draw._pixels import blank, paint
from figgen.draw.text import draw_text, text_size
from figgen.themes import Preset, Theme

SUPERSAMPLE = 4  # shapes are drawn on a 4× mask and averaged down: anti-aliased edges
COVERAGE_LEVELS = 5  # edge coverage in quarters: overlapping shapes keep frames in one 255-colour GIF palette
ZOOM_CAP = 20.0  # a diverging panel widens its x-range up to 20 |x0|; beyond that the ball is off the chart


def _paint(image: Image.Image, colour, clip, *, lines=(), discs=()) -> None:
    """Paint anti-aliased polylines [(points, width)] and discs [(x, y, r)] in ``colour``, inside ``clip``."""
    boxes = [
        (
            min(x for x, _ in pts) - w,
            min(y for _, y in pts) - w,
            max(x for x, _ in pts) + w,
            max(y for _, y in pts) + w,
        )
        for pts, w in lines
    ]
    boxes += [(x - r, y - r, x + r, y + r) for x, y, r in discs]
    if not boxes:
        return
    x0 = max(clip[0], math.floor(min(b[0] for b in boxes)) - 1)
    y0 = max(clip[1], math.floor(min(b[1] for b in boxes)) - 1)
    x1 = min(clip[2], math.ceil(max(b[2] for b in boxes)) + 1)
    y1 = min(clip[3], math.ceil(max(b[3] for b in boxes)) + 1)
    if x1 <= x0 or y1 <= y0:
        return
    s = SUPERSAMPLE
    mask = Image.new("L", ((x1 - x0) * s, (y1 - y0) * s), 0)
    draw = ImageDraw.Draw(mask)
    for pts, width in lines:
        draw.line(
            [((x - x0) * s, (y - y0) * s) for x, y in pts], fill=255, width=round(width * s), joint="curve"
        )
    for x, y, r in discs:
        draw.ellipse(((x - x0 - r) * s, (y - y0 - r) * s, (x - x0 + r) * s, (y - y0 + r) * s), fill=255)
    paint(image, colour, (x0, y0), mask.reduce(s), COVERAGE_LEVELS)


def half_range(path: np.ndarray) -> float:
    """Half-width of a panel's x-range: every position reached, up to ``ZOOM_CAP`` |x0|, plus 10% (and
    1.1 for a ball that starts at the minimum)."""
    return 1.1 * (min(float(np.max(np.abs(path))), ZOOM_CAP * abs(float(path[0]))) or 1.0)


def _x_text(x: float) -> str:
    """x for a caption: fixed point while readable, else scientific."""
    return f"{x:.3f}" if x == 0 or 1e-3 <= abs(x) < 1e4 else f"{x:.2e}"


def descent_frames(
    paths: Sequence[np.ndarray], learning_rates: Sequence[float], theme: Theme, preset: Preset
) -> Iterator[np.ndarray]:
    """Frames of gradient descent on y = x², one panel per path, step t of every path on frame t.

    Each panel shows the parabola, the trail of earlier steps and the ball at step t, over an x-range
    that holds every position its path reaches (a diverging one is widened up to ``ZOOM_CAP`` |x0|,
    past which an arrow marks the ball as off the chart). Static parts are drawn once.
    """
    width, height = preset.width, preset.height or round(preset.width * 0.5)
    fs = preset.font_size
    margin, gap = preset.px(10), preset.px(18)
    halo = {"outline": theme.outline}
    ball_r, dot_r, line_w = preset.px(6.5), preset.px(2.5), preset.px(1.5)
    head_h = text_size("Ag", round(fs * 1.15))[1] + preset.px(8)
    title_h = 2 * text_size("Ag", fs)[1] + preset.px(6)
    tick_h = text_size("0", round(fs * 0.85))[1] + preset.px(8)
    caption_h = text_size("Ag", fs)[1] + preset.px(6)
    panel_w = (width - 2 * margin - (len(paths) - 1) * gap) // len(paths)
    top = margin + head_h + title_h
    bottom = height - margin - caption_h - tick_h
    pad = ball_r + preset.px(3)
    base = Image.fromarray(blank(theme, width, height))
    x0 = float(paths[0][0])
    draw_text(
        base,
        (width / 2, margin),
        f"Gradient descent on y = x², from x = {x0:g}",
        round(fs * 1.15),
        theme.foreground,
        anchor="ma",
        bold=True,
        **halo,
    )
    panels = []
    for k, (path, rate) in enumerate(zip(paths, learning_rates, strict=True)):
        verdict = learning_rate_verdict(path)
        colour = theme.mistake if "large" in verdict else theme.accent if "small" in verdict else theme.good
        left = margin + k * (panel_w + gap)
        box = (left, top, left + panel_w, bottom)
        half = half_range(path)

        def to_px(x, y, box=box, half=half):
            u = box[0] + pad + (x + half) / (2 * half) * (box[2] - box[0] - 2 * pad)
            v = box[3] - pad - y / (half * half) * (box[3] - box[1] - 2 * pad)
            return u, v

        draw_text(
            base,
            (left + panel_w / 2, margin + head_h),
            f"learning rate {rate:g}",
            fs,
            theme.foreground,
            anchor="ma",
            **halo,
        )
        draw_text(
            base,
            (left + panel_w / 2, margin + head_h + title_h / 2),
            verdict,
            fs,
            colour,
            anchor="ma",
            bold=True,
            **halo,
        )
        axis_y = box[3]
        _paint(
            base,
            theme.muted,
            (0, 0, width, height),
            lines=[([(box[0], axis_y), (box[2], axis_y)], preset.px(1))],
        )
        for tick in MaxNLocator(nbins=4, symmetric=True).tick_values(-half, half):
            if abs(tick) <= half:
                u, _ = to_px(tick, 0)
                _paint(
                    base,
                    theme.muted,
                    (0, 0, width, height),
                    lines=[([(u, axis_y), (u, axis_y + preset.px(4))], preset.px(1))],
                )
                draw_text(
                    base,
                    (u, axis_y + preset.px(6)),
                    f"{tick:g}",
                    round(fs * 0.85),
                    theme.foreground,
                    anchor="ma",
                    **halo,
                )
        xs = np.linspace(-half, half, 301)
        _paint(base, theme.muted, box, lines=[([to_px(x, x * x) for x in xs], preset.px(2))])
        panels.append((path, colour, box, half, to_px))
    steps = max(len(p) for p in paths)
    for t in range(steps):
        for path, colour, box, half, to_px in panels:  # the trail grows on the base: drawn once per step
            if 0 < t < len(path) and abs(path[t]) <= half and abs(path[t - 1]) <= half:
                a, b = to_px(path[t - 1], path[t - 1] ** 2), to_px(path[t], path[t] ** 2)
                _paint(base, colour, box, lines=[([a, b], line_w)], discs=[(*a, dot_r), (*b, dot_r)])
        frame = base.copy()
        for path, colour, box, half, to_px in panels:
            step = min(t, len(path) - 1)
            x = path[step]
            if abs(x) <= half:
                _paint(frame, colour, box, discs=[(*to_px(x, x * x), ball_r)])
            else:
                _off_chart(frame, colour, box, x > 0, ball_r, fs, theme)
            draw_text(
                frame,
                ((box[0] + box[2]) / 2, height - margin),
                f"step {step}   x = {_x_text(x)}",
                fs,
                theme.foreground,
                anchor="md",
                **halo,
            )
        yield np.asarray(frame)


def _off_chart(frame: Image.Image, colour, box, right: bool, size: float, fs: int, theme: Theme) -> None:
    """An arrow at the panel's upper edge pointing where the ball went, with "off the chart"."""
    sign = 1 if right else -1
    tip = (box[2] - size if right else box[0] + size, box[1] + size * 2)
    back = (tip[0] - sign * size * 2.5, tip[1])
    barbs = [(tip[0] - sign * size, tip[1] + d) for d in (-size, size)]
    width = max(2.0, size / 2.5)
    _paint(frame, colour, box, lines=[([back, tip], width), ([barbs[0], tip, barbs[1]], width)])
    draw_text(
        frame,
        (back[0] - sign * size * 0.5, tip[1]),
        "off the chart",
        round(fs * 0.85),
        colour,
        anchor="rm" if right else "lm",
        outline=theme.outline,
    )
