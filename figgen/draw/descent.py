"""Frames of gradient descent on y = x²: one panel per learning rate, a ball stepping down the parabola.

Every panel starts from the same view, the start marked, so the reader sees all balls leave the same place;
a panel whose ball climbs out of that view widens it, step by step, as far as the ball has gone (up to
``ZOOM_CAP`` times the start, past which an arrow marks the ball off the chart). The paths come from
:func:`figgen.analysis.gradient_descent_path`; the frames are drawn with Pillow and numpy, the static part
of each panel once, so dozens of frames cost little more than one. In the transparent theme every line and
dot gets the theme's halo, so the parabola stays visible on a slide of any colour.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import MaxNLocator
from PIL import Image, ImageDraw

from figgen.analysis import learning_rate_verdict
from figgen.draw._pixels import blank, paint
from figgen.draw.text import draw_text, text_size
from figgen.themes import Preset, Theme

SUPERSAMPLE = 4  # shapes are drawn on a 4× mask and averaged down: anti-aliased edges
COVERAGE_LEVELS = 5  # edge coverage in quarters: overlapping shapes keep frames in one 255-colour GIF palette
ZOOM_CAP = 20.0  # a view widens up to 20 |x0|; beyond that the ball is off the chart
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def readable(x: float) -> str:
    """A number as a person writes it on a slide: ``4.000``, ``−0.402``, ``4.6 × 10⁻¹²``, ``1.2 × 10⁵``."""
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e4:
        return f"{x:.3f}".replace("-", "−")
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa.replace('-', '−')} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def start_half(x0: float) -> float:
    """Half-width of every panel's first view: the start and 10% more (1.1 for a start at the minimum)."""
    return 1.1 * abs(float(x0)) or 1.1


def half_range(path: np.ndarray, step: int | None = None) -> float:
    """Half-width of a panel's view at ``step`` (default: the last): the start view, widened to every
    position reached so far plus 10%, at most ``ZOOM_CAP`` times the start."""
    reached = np.abs(path[: None if step is None else step + 1])
    cap = ZOOM_CAP * start_half(path[0])
    return min(max(start_half(path[0]), 1.1 * float(reached.max())), cap)


@dataclass
class _Panel:
    path: np.ndarray
    rate: float
    verdict: str
    colour: tuple[int, int, int]
    box: tuple[int, int, int, int]  # the plot area: left, top, right, bottom
    pad: float

    def half(self, step: int) -> float:
        return half_range(self.path, step)

    @property
    def widens(self) -> bool:
        return self.half(len(self.path) - 1) > self.half(0)

    def to_px(self, x: float, y: float, half: float) -> tuple[float, float]:
        left, top, right, bottom = self.box
        u = left + self.pad + (x + half) / (2 * half) * (right - left - 2 * self.pad)
        v = bottom - self.pad - y / (half * half) * (bottom - top - 2 * self.pad)
        return u, v


class _Painter:
    """Anti-aliased lines and discs in a theme: with the theme's halo under them when it has one."""

    def __init__(self, theme: Theme, preset: Preset):
        self.theme, self.halo = theme, (preset.px(1.5) if theme.outline else 0)

    def __call__(self, image: Image.Image, colour, clip, *, lines=(), discs=()) -> None:
        if self.halo:
            wide = [(pts, w + 2 * self.halo) for pts, w in lines]
            _paint(
                image,
                self.theme.outline,
                clip,
                lines=wide,
                discs=[(x, y, r + self.halo) for x, y, r in discs],
            )
        _paint(image, colour, clip, lines=lines, discs=discs)


def _paint(image: Image.Image, colour, clip, *, lines=(), discs=()) -> None:
    """Paint anti-aliased polylines [(points, width)] and discs [(x, y, r)] in ``colour``, inside ``clip``."""
    boxes = [
        (
            min(x for x, _ in p) - w,
            min(y for _, y in p) - w,
            max(x for x, _ in p) + w,
            max(y for _, y in p) + w,
        )
        for p, w in lines
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


def descent_frames(
    paths: Sequence[np.ndarray], learning_rates: Sequence[float], theme: Theme, preset: Preset
) -> Iterator[np.ndarray]:
    """Frames of gradient descent on y = x², one panel per path, step t of every path on frame t."""
    width, height = preset.width, preset.height or round(preset.width * 0.5)
    fs, small = preset.font_size, round(preset.font_size * 0.85)
    margin, gap = preset.px(10), preset.px(18)
    halo = {"outline": theme.outline}
    paint_ = _Painter(theme, preset)
    sizes = {"ball": preset.px(6.5), "dot": preset.px(2.5), "line": preset.px(1.5), "curve": preset.px(2)}
    head_h = text_size("Ag", round(fs * 1.15))[1] + preset.px(8)
    title_h = 2 * text_size("Ag", fs)[1] + preset.px(6)
    tick_h = text_size("0", small)[1] + preset.px(8)
    caption_h = text_size("Ag", fs)[1] + preset.px(6)
    panel_w = (width - 2 * margin - (len(paths) - 1) * gap) // len(paths)
    top, bottom = margin + head_h + title_h, height - margin - caption_h - tick_h
    base = Image.fromarray(blank(theme, width, height))
    x0 = float(paths[0][0])
    draw_text(
        base,
        (width / 2, margin),
        f"Gradient descent on y = x², every ball from x = {x0:g}",
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
        panel = _Panel(
            path, rate, verdict, colour, (left, top, left + panel_w, bottom), sizes["ball"] + preset.px(3)
        )
        centre = left + panel_w / 2
        draw_text(
            base,
            (centre, margin + head_h),
            f"learning rate {rate:g}",
            fs,
            theme.foreground,
            anchor="ma",
            **halo,
        )
        draw_text(
            base, (centre, margin + head_h + title_h / 2), verdict, fs, colour, anchor="ma", bold=True, **halo
        )
        if not panel.widens:
            _panel_view(base, panel, panel.half(0), theme, preset, paint_, sizes, small)
        panels.append(panel)
    steps = max(len(p) for p in paths)
    for t in range(steps):
        for panel in panels:  # the trail of a fixed view grows on the base: each segment drawn once
            if not panel.widens and 0 < t < len(panel.path):
                _trail(base, panel, t - 1, t, panel.half(0), paint_, sizes)
        frame = base.copy()
        for panel in panels:
            step = min(t, len(panel.path) - 1)
            half = panel.half(step)
            if panel.widens:  # a view that widens is drawn whole on every frame
                _panel_view(frame, panel, half, theme, preset, paint_, sizes, small)
                _trail(frame, panel, 0, step, half, paint_, sizes)
            x = panel.path[step]
            if abs(x) <= half:
                paint_(frame, panel.colour, panel.box, discs=[(*panel.to_px(x, x * x, half), sizes["ball"])])
            else:
                _off_chart(frame, panel.colour, panel.box, x > 0, sizes["ball"], small, paint_, theme)
            draw_text(
                frame,
                ((panel.box[0] + panel.box[2]) / 2, height - margin),
                f"step {step}   x = {readable(x)}",
                fs,
                theme.foreground,
                anchor="md",
                **halo,
            )
        yield np.asarray(frame)


def _panel_view(image, panel: _Panel, half: float, theme: Theme, preset: Preset, paint_, sizes, small: int):
    """A panel's axis, ticks, parabola and start mark for the view ``half``, over a clean background."""
    left, top, right, bottom = panel.box
    below = bottom + preset.px(6) + text_size("0", small)[1] + preset.px(2)
    image.paste(Image.fromarray(blank(theme, right - left, below - top)), (left, top))
    whole = (0, 0, image.width, image.height)
    paint_(image, theme.muted, whole, lines=[([(left, bottom), (right, bottom)], preset.px(1))])
    for tick in MaxNLocator(nbins=4, symmetric=True).tick_values(-half, half):
        if abs(tick) <= half:
            u, _ = panel.to_px(tick, 0, half)
            paint_(
                image, theme.muted, whole, lines=[([(u, bottom), (u, bottom + preset.px(4))], preset.px(1))]
            )
            draw_text(
                image,
                (u, bottom + preset.px(6)),
                f"{tick:g}",
                small,
                theme.foreground,
                anchor="ma",
                outline=theme.outline,
            )
    # the start: a ring where every ball begins, in the parabola's colour and under it (few colours to blend)
    sx, sy = panel.to_px(panel.path[0], panel.path[0] ** 2, half)
    ring = sizes["ball"] + preset.px(3)
    paint_(image, theme.muted, panel.box, discs=[(sx, sy, ring)])
    inside = theme.outline if theme.transparent else theme.background[:3]
    _paint(image, inside, panel.box, discs=[(sx, sy, ring - preset.px(2))])
    xs = np.linspace(-half, half, 301)
    paint_(image, theme.muted, panel.box, lines=[([panel.to_px(x, x * x, half) for x in xs], sizes["curve"])])
    if half <= 2 * start_half(panel.path[0]):  # far out, the start sits among the trail: the ring says it
        side = -1 if panel.path[0] >= 0 else 1
        draw_text(
            image,
            (sx + side * (ring + preset.px(4)), sy),
            "start",
            small,
            theme.muted,
            anchor="rm" if side < 0 else "lm",
            outline=theme.outline,
        )


def _trail(image, panel: _Panel, first: int, last: int, half: float, paint_, sizes) -> None:
    """The segments of the ball's path from step ``first`` to ``last`` that lie inside the view."""
    for t in range(first + 1, last + 1):
        a, b = panel.path[t - 1], panel.path[t]
        if abs(a) <= half and abs(b) <= half:
            pa, pb = panel.to_px(a, a * a, half), panel.to_px(b, b * b, half)
            paint_(
                image,
                panel.colour,
                panel.box,
                lines=[([pa, pb], sizes["line"])],
                discs=[(*pa, sizes["dot"]), (*pb, sizes["dot"])],
            )


def _off_chart(
    frame: Image.Image, colour, box, right: bool, size: float, fs: int, paint_, theme: Theme
) -> None:
    """An arrow at the panel's upper edge pointing where the ball went, with "off the chart"."""
    sign = 1 if right else -1
    tip = (box[2] - size if right else box[0] + size, box[1] + size * 2)
    back = (tip[0] - sign * size * 2.5, tip[1])
    barbs = [(tip[0] - sign * size, tip[1] + d) for d in (-size, size)]
    width = max(2.0, size / 2.5)
    paint_(frame, colour, box, lines=[([back, tip], width), ([barbs[0], tip, barbs[1]], width)])
    draw_text(
        frame,
        (back[0] - sign * size * 0.5, tip[1]),
        "off the chart",
        fs,
        colour,
        anchor="rm" if right else "lm",
        outline=theme.outline,
    )
