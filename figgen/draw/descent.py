"""Frames of gradient descent on y = x²: one panel per learning rate, a ball stepping along the parabola.

Every panel keeps one view for the whole animation, the same in all panels (x within ``VIEW`` times the
start on either side), so what the reader sees is true without the numbers: a ball that moves away from the
minimum is drawn further from it on every frame, and all balls start at the same place. A ball that leaves
the view is pinned at the panel's top edge as an arrow pointing outwards, with its distance |x|.

Beneath each parabola a strip plots that distance against the step on a log scale, with the same range in
every panel, so growth and decay read at a glance even once a ball has left its view; a dashed line marks
the start. Above each panel are the words of :func:`figgen.analysis.descent.learning_rate_verdict` (by
:func:`figgen.core.regime.regime` of the run), and the panel's colour follows them, so colour is never the
only clue.

The frames are drawn with Pillow and numpy, the static part once and each trail segment once, so dozens of
frames cost little more than one. In the transparent theme every line and dot gets the theme's halo, so the
parabola stays visible on a slide of any colour.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np
from matplotlib.ticker import MaxNLocator
from PIL import Image, ImageDraw

from figgen.analysis.descent import learning_rate_verdict
from figgen.core.themes import Preset, Theme
from figgen.draw._pixels import blank, paint, text_kwargs
from figgen.draw.text import draw_text, text_size

SUPERSAMPLE = 4  # shapes are drawn on a 4× mask and averaged down: anti-aliased edges
COVERAGE_LEVELS = 5  # edge coverage in quarters: overlapping shapes keep frames in one 255-colour GIF palette
VIEW = 2.0  # every view spans ±2 |x0|: a diverging ball stays in sight a few steps before it leaves
DECADES = 6  # the distance strips span at most 6 powers of ten; beyond, a point is pinned at the edge
DOCS_ASPECT = 0.7  # height / width when the preset leaves the height free: parabolas above, strips below
_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def readable(x: float) -> str:
    """A number as a person writes it on a slide: ``4.000``, ``−0.402``, ``4.6 × 10⁻¹²``, ``1.2 × 10⁵``."""
    if x == 0:
        return "0"
    if 1e-3 <= abs(x) < 1e4:
        return f"{x:.3f}".replace("-", "−")
    mantissa, exponent = f"{x:.1e}".split("e")
    return f"{mantissa.replace('-', '−')} × 10{str(int(exponent)).translate(_SUPERSCRIPT)}"


def short(x: float) -> str:
    """A number in three significant digits for a label: ``69.8``, ``0.00495``, ``2.0 × 10²¹``."""
    if x == 0 or 1e-3 <= abs(x) < 1e4:
        return f"{x:.3g}".replace("-", "−")
    return readable(x)


def view_half(x0: float) -> float:
    """Half-width of every panel's view, fixed for the whole animation: ``VIEW`` |x0| (1 for x0 = 0)."""
    return VIEW * abs(float(x0)) or 1.0


def leaves_view(path: np.ndarray) -> int | None:
    """The first step at which the ball is outside the view of :func:`view_half`, or None."""
    outside = np.nonzero(np.abs(np.asarray(path, np.float64)) > view_half(path[0]))[0]
    return int(outside[0]) if len(outside) else None


def strip_range(paths: Sequence[np.ndarray]) -> tuple[int, int]:
    """Powers of ten (low, high) that every distance strip spans: from the largest distance reached (at
    least the start) down to the smallest, at most ``DECADES`` of them and at least two."""
    distances = np.abs(np.concatenate([np.asarray(p, np.float64) for p in paths]))
    start = abs(float(paths[0][0])) or 1.0
    positive = distances[(distances > 0) & np.isfinite(distances)]
    most = max(float(positive.max()) if len(positive) else start, start)
    # a quarter of a decade above the start at least, so the start line never runs along the strip's top
    high = min(math.ceil(math.log10(most)), math.ceil(math.log10(start) + 0.25 + DECADES - 2))
    high = max(high, math.ceil(math.log10(start) + 0.25))
    least = math.floor(math.log10(float(positive.min()))) if len(positive) else high - DECADES
    return max(min(least, high - 2), high - DECADES), high


def _power(k: int) -> str:
    """Ten to the ``k`` as a tick label: ``0.01``, ``0.1``, ``1``, ``10``, ``100``, ``10³``, ``10⁻³``."""
    if -2 <= k <= 2:
        return f"{10.0**k:g}"
    return "10" + str(k).translate(_SUPERSCRIPT)


@dataclass
class _Panel:
    path: np.ndarray
    rate: float
    verdict: str
    colour: tuple[int, int, int]
    box: tuple[int, int, int, int]  # the parabola's area: left, top, right, bottom (its axis)
    strip: tuple[int, int, int, int]  # the distance strip's area
    half: float
    pad: float
    strip_pad: float
    decades: tuple[int, int]
    start_label: tuple[tuple[float, float], str] | None = None  # where "start" goes, and its anchor

    def to_px(self, x: float, y: float) -> tuple[float, float]:
        left, top, right, bottom = self.box
        half = self.half
        u = left + self.pad + (x + half) / (2 * half) * (right - left - 2 * self.pad)
        v = bottom - self.pad - y / (half * half) * (bottom - top - 2 * self.pad)
        return u, v

    def strip_px(self, step: float, distance: float) -> tuple[float, float]:
        """Where a distance at a step is drawn in the strip; beyond its range, a little past the edge."""
        left, top, right, bottom = self.strip
        low, high = self.decades
        with np.errstate(divide="ignore"):
            power = float(np.log10(distance)) if distance > 0 else low - 1.0
        power = min(max(power, low - 1.0), high + 1.0)  # past the edge: the clip cuts the line there
        steps = max(len(self.path) - 1, 1)
        u = left + self.strip_pad + step / steps * (right - left - 2 * self.strip_pad)
        v = bottom - self.strip_pad - (power - low) / (high - low) * (bottom - top - 2 * self.strip_pad)
        return u, v

    @property
    def top(self) -> float:
        """The row of the parabola's ends, the top of the view."""
        return self.to_px(self.half, self.half**2)[1]


class _Painter:
    """Anti-aliased lines and discs in a theme: with the theme's halo under them when it has one."""

    def __init__(self, theme: Theme, preset: Preset):
        self.theme, self.halo = theme, (preset.px(1.5) if theme.outline else 0)

    def __call__(self, image: Image.Image, colour, clip, *, lines=(), discs=(), polygons=()) -> None:
        if self.halo:
            wide = [(pts, w + 2 * self.halo) for pts, w in lines]
            wide += [([*pts, pts[0]], 2 * self.halo) for pts in polygons]  # a polygon's halo: its rim
            _paint(
                image,
                self.theme.outline,
                clip,
                lines=wide,
                discs=[(x, y, r + self.halo) for x, y, r in discs],
                polygons=polygons,
            )
        _paint(image, colour, clip, lines=lines, discs=discs, polygons=polygons)


def _paint(image: Image.Image, colour, clip, *, lines=(), discs=(), polygons=()) -> None:
    """Paint anti-aliased polylines [(points, width)], discs [(x, y, r)] and filled polygons [points] in
    ``colour``, inside ``clip``."""
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
    boxes += [
        (min(x for x, _ in p), min(y for _, y in p), max(x for x, _ in p), max(y for _, y in p))
        for p in polygons
    ]
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
    for pts in polygons:
        draw.polygon([((x - x0) * s, (y - y0) * s) for x, y in pts], fill=255)
    paint(image, colour, (x0, y0), mask.reduce(s), COVERAGE_LEVELS)


def _colour(verdict: str, theme: Theme) -> tuple[int, int, int]:
    """A panel's colour from its verdict, so colour and words never disagree (a ball bouncing between ±x0
    is too large, though its distance, like a crawl's, never falls)."""
    if verdict.startswith("too large"):
        return theme.mistake
    return theme.accent if verdict.startswith("too small") or verdict.startswith("starts") else theme.good


def descent_frames(
    paths: Sequence[np.ndarray], learning_rates: Sequence[float], theme: Theme, preset: Preset
) -> Iterator[np.ndarray]:
    """Frames of gradient descent on y = x², one panel per path, step t of every path on frame t.

    The frames are ``preset.width`` wide and ``preset.height`` high (``DOCS_ASPECT`` of the width when the
    preset leaves the height free).
    """
    width = preset.width
    height = preset.height or 2 * round(width * DOCS_ASPECT / 2)  # even: video encoders need it
    fs, small, big = preset.font_size, round(preset.font_size * 0.85), round(preset.font_size * 1.15)
    margin, gap = preset.px(10), preset.px(18)
    halo = text_kwargs(theme)
    paint_ = _Painter(theme, preset)
    sizes = {
        "ball": preset.px(6.5),
        "dot": preset.px(2.5),
        "line": preset.px(1.5),
        "curve": preset.px(2),
        "point": preset.px(4.5),
    }
    line_h, small_h, big_h = text_size("Ag", fs)[1], text_size("Ag", small)[1], text_size("Ag", big)[1]
    decades = strip_range(paths)
    candidates = ["start", *(_power(k) for k in range(decades[0], decades[1] + 1))]
    gutter = max(text_size(text, small)[0] for text in candidates) + preset.px(8)

    # rows, top to bottom: title; rate and verdict; arrow band and parabola; ticks; x; strip title; strip;
    # step ticks. The parabola and the strip share what the text leaves, 60:40.
    band = small_h + preset.px(4)
    head = margin + big_h + preset.px(6) + 2 * line_h + preset.px(6)
    under_parabola = preset.px(6) + small_h + preset.px(2) + line_h + preset.px(10)
    strip_title = small_h + preset.px(6)
    under_strip = preset.px(4) + small_h + margin
    free = height - head - band - under_parabola - strip_title - under_strip
    parabola_h = round(free * 0.6)
    box_top = head + band
    axis = box_top + parabola_h
    strip_top = axis + under_parabola + strip_title
    strip_bottom = height - under_strip

    n = len(paths)
    left0 = margin + gutter
    panel_w = (width - left0 - margin - (n - 1) * gap) // n
    base = Image.fromarray(blank(theme, width, height))
    x0 = float(paths[0][0])
    draw_text(
        base,
        (width / 2, margin),
        f"Gradient descent on y = x², every ball from x = {x0:g}",
        big,
        theme.foreground,
        anchor="ma",
        bold=True,
        **halo,
    )
    draw_text(
        base,
        (left0 + (width - left0 - margin) / 2, axis + under_parabola),
        "distance |x| from the minimum, log scale",
        small,
        theme.foreground,
        anchor="ma",
        **halo,
    )
    panels = []
    for k, (path, rate) in enumerate(zip(paths, learning_rates, strict=True)):
        left = left0 + k * (panel_w + gap)
        panel = _Panel(
            path=np.asarray(path, np.float64),
            rate=rate,
            verdict=(verdict := learning_rate_verdict(path)),
            colour=_colour(verdict, theme),
            box=(left, box_top, left + panel_w, axis),
            strip=(left, strip_top, left + panel_w, strip_bottom),
            half=view_half(path[0]),
            pad=sizes["ball"] + preset.px(3),
            strip_pad=sizes["point"] + preset.px(3),
            decades=decades,
        )
        centre = left + panel_w / 2
        title_top = margin + big_h + preset.px(6)
        draw_text(
            base, (centre, title_top), f"learning rate {rate:g}", fs, theme.foreground, anchor="ma", **halo
        )
        draw_text(
            base,
            (centre, title_top + line_h),
            panel.verdict,
            fs,
            theme.text_ink(panel.colour),  # words in the panel's colour, at text contrast
            anchor="ma",
            bold=True,
            **halo,
        )
        _parabola(base, panel, theme, preset, paint_, sizes, small)
        labels = _strip_labels(panel, 1.1 * small_h) if k == 0 else ()
        _strip_axes(base, panel, theme, preset, paint_, labels, small)
        panels.append(panel)
    steps = max(len(p) for p in paths)
    for t in range(steps):
        for panel in panels:  # trails grow on the base: each segment drawn once
            if 0 < t < len(panel.path):
                _trail(base, panel, t, paint_, sizes)
        frame = base.copy()
        for panel in panels:
            step = min(t, len(panel.path) - 1)
            x = panel.path[step]
            if abs(x) <= panel.half:
                paint_(
                    frame,
                    panel.colour,
                    _around(panel.box, panel.pad),
                    discs=[(*panel.to_px(x, x * x), sizes["ball"])],
                )
            else:
                _edge_arrow(frame, panel, x, preset, paint_, small, theme)
            _strip_point(frame, panel, step, paint_, sizes)
            _start_label(frame, panel, theme, small)
            centre = (panel.box[0] + panel.box[2]) / 2
            draw_text(
                frame,
                (centre, axis + preset.px(6) + small_h + preset.px(2)),
                f"x = {readable(x)}",
                fs,
                theme.foreground,
                anchor="ma",
                **halo,
            )
            draw_text(
                frame,
                (centre, strip_bottom + preset.px(4)),
                f"step {step}",
                small,
                theme.foreground,
                anchor="ma",
                **halo,
            )
        yield np.asarray(frame)


def _around(box, margin: float) -> tuple[int, int, int, int]:
    """A box grown by ``margin`` on every side: room for a disc centred on its edge."""
    m = math.ceil(margin)
    return box[0] - m, box[1] - m, box[2] + m, box[3] + m


def _strip_labels(panel: _Panel, spacing: float) -> list[tuple[float, str]]:
    """The strips' y labels, (distance, text): the start, and the powers of ten at least ``spacing`` pixels
    from it and from each other (the larger first)."""
    start = abs(float(panel.path[0]))
    labels = [(start, "start")] if start > 0 else []
    low, high = panel.decades
    for k in range(high, low - 1, -1):
        v = panel.strip_px(0, 10.0**k)[1]
        if all(abs(v - panel.strip_px(0, d)[1]) >= spacing for d, _ in labels):
            labels.append((10.0**k, _power(k)))
    return labels


def _parabola(image, panel: _Panel, theme: Theme, preset: Preset, paint_, sizes, small: int) -> None:
    """A panel's axis, ticks, parabola and start ring, in its fixed view."""
    left, top, right, bottom = panel.box
    whole = (0, 0, image.width, image.height)
    paint_(image, theme.muted, whole, lines=[([(left, bottom), (right, bottom)], preset.px(1))])
    half = panel.half
    for tick in MaxNLocator(nbins=4, symmetric=True).tick_values(-half, half):
        if abs(tick) <= half * (1 + 1e-9):
            u, _ = panel.to_px(tick, 0)
            paint_(
                image, theme.muted, whole, lines=[([(u, bottom), (u, bottom + preset.px(4))], preset.px(1))]
            )
            draw_text(
                image,
                (u, bottom + preset.px(6)),
                f"{tick:g}".replace("-", "−"),
                small,
                theme.foreground,
                anchor="ma",
                outline=theme.outline,
            )
    # the start: a ring where every ball begins, in the parabola's colour and under it (few colours to blend)
    x0 = panel.path[0]
    sx, sy = panel.to_px(x0, x0**2)
    ring = sizes["ball"] + preset.px(3)
    clip = _around(panel.box, panel.pad)
    paint_(image, theme.muted, clip, discs=[(sx, sy, ring)])
    inside = theme.outline or theme.background[:3]  # the ring's hollow: the halo, or the page itself
    _paint(image, inside, clip, discs=[(sx, sy, ring - preset.px(2))])
    xs = np.linspace(-half, half, 301)
    paint_(image, theme.muted, clip, lines=[([panel.to_px(x, x * x) for x in xs], sizes["curve"])])
    if x0 != 0:  # the label, drawn on each frame over the trail (see _start_label), goes inside the bowl
        side = -1 if x0 > 0 else 1
        panel.start_label = ((sx + side * (ring + preset.px(4)), sy), "rm" if side < 0 else "lm")


def _start_label(frame, panel: _Panel, theme: Theme, small: int) -> None:
    """ "start" beside the start ring, cut out of any trail that crosses it (a halo of the background)."""
    if panel.start_label is not None:
        xy, anchor = panel.start_label
        ground = theme.outline if theme.outline else theme.background[:3]
        draw_text(frame, xy, "start", small, theme.muted, anchor=anchor, outline=ground)


def _strip_axes(image, panel: _Panel, theme: Theme, preset: Preset, paint_, labels, small: int) -> None:
    """A strip's axes, ticks at powers of ten and at its first and last step, the dashed start line, and
    the y ``labels`` (drawn left of the first strip only)."""
    left, top, right, bottom = panel.strip
    whole = (0, 0, image.width, image.height)
    thin = preset.px(1)
    paint_(image, theme.muted, whole, lines=[([(left, top), (left, bottom), (right, bottom)], thin)])
    low, high = panel.decades
    for k in range(low, high + 1):
        _, v = panel.strip_px(0, 10.0**k)
        paint_(image, theme.muted, whole, lines=[([(left - preset.px(4), v), (left, v)], thin)])
    start = abs(float(panel.path[0]))
    if start > 0:
        _, v = panel.strip_px(0, start)
        dash, space = preset.px(5), preset.px(4)
        dashes = [([(u, v), (min(u + dash, right), v)], thin) for u in range(left, right, dash + space)]
        paint_(image, theme.muted, whole, lines=dashes)
    for step in (0, len(panel.path) - 1):
        u, _ = panel.strip_px(step, 1.0)
        draw_text(
            image,
            (u, bottom + preset.px(4)),
            f"{step}",
            small,
            theme.muted,
            anchor="ma",
            outline=theme.outline,
        )
    for distance, text in labels:
        _, v = panel.strip_px(0, distance)
        draw_text(
            image,
            (left - preset.px(6), v),
            text,
            small,
            theme.muted if text == "start" else theme.foreground,
            anchor="rm",
            outline=theme.outline,
        )


def _trail(image, panel: _Panel, t: int, paint_, sizes) -> None:
    """The step from ``t - 1`` to ``t``: on the parabola (cut at the view's top) and in the strip."""
    a, b = panel.path[t - 1], panel.path[t]
    left, _, right, bottom = panel.box
    view = (left, math.floor(panel.top), right, bottom)
    if abs(a) <= panel.half or abs(b) <= panel.half:
        pa, pb = panel.to_px(a, a * a), panel.to_px(b, b * b)
        dots = [(*p, sizes["dot"]) for p, x in ((pa, a), (pb, b)) if abs(x) <= panel.half]
        paint_(
            image, panel.colour, _around(view, sizes["dot"]), lines=[([pa, pb], sizes["line"])], discs=dots
        )
    sa, sb = panel.strip_px(t - 1, abs(a)), panel.strip_px(t, abs(b))
    paint_(image, panel.colour, panel.strip, lines=[([sa, sb], sizes["line"])])


def _strip_point(frame, panel: _Panel, step: int, paint_, sizes) -> None:
    """The current distance in the strip: a dot, or past the strip's range a triangle at its edge pointing
    out, lower (or higher) than any dot can be."""
    u, v = panel.strip_px(step, abs(panel.path[step]))
    r, top, bottom = sizes["point"], panel.strip[1], panel.strip[3]
    if top + panel.strip_pad - 0.5 <= v <= bottom - panel.strip_pad + 0.5:
        paint_(frame, panel.colour, _around(panel.strip, r), discs=[(u, v, r)])
        return
    edge, out = (bottom - 1, 1) if v > bottom - panel.strip_pad else (top + 1, -1)
    back = edge - out * 1.7 * r
    paint_(
        frame,
        panel.colour,
        _around(panel.strip, r),
        polygons=[[(u - 1.3 * r, back), (u + 1.3 * r, back), (u, edge)]],
    )


def _edge_arrow(frame, panel: _Panel, x: float, preset: Preset, paint_, small: int, theme: Theme) -> None:
    """A ball outside the view: an arrow at the panel's top edge, on its side, pointing outwards, and |x|."""
    left, top, right, _ = panel.box
    sign = 1 if x > 0 else -1
    size = preset.px(5)
    v = top - (text_size("Ag", small)[1] + preset.px(4)) / 2  # the middle of the band above the view
    tip = (right if sign > 0 else left, v)
    back = (tip[0] - sign * size * 3, v)
    barbs = [(tip[0] - sign * size * 1.2, v + d) for d in (-size, size)]
    width = preset.px(2)
    paint_(
        frame,
        panel.colour,
        (0, 0, frame.width, frame.height),
        lines=[([back, tip], width), ([barbs[0], tip, barbs[1]], width)],
    )
    draw_text(
        frame,
        (back[0] - sign * preset.px(4), v),
        f"|x| = {short(abs(x))}",
        small,
        theme.text_ink(panel.colour),
        anchor="rm" if sign > 0 else "lm",
        bold=True,
        outline=theme.outline,
    )
