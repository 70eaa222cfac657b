"""The gradient_descent frames tell the truth with the numbers covered, read off the rendered pixels.

A reader who ignores every number must see the ball of a diverging rate move away from the minimum and
the balls of converging rates move towards it, frame after frame, all starting at the same place; and the
distance strip beneath must rise for the diverging rate and fall for the others. Each test finds what is
drawn (the axis, the parabola's lowest point, the ball, the strip's point) in the pixels alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from figgen.analysis import gradient_descent_path
from figgen.core.themes import get_preset, get_theme
from figgen.draw.descent import descent_frames, leaves_view

RATES = [0.02, 0.3, 0.9, 1.05]  # crawls, converges, overshoots yet converges, diverges
X0, STEPS = 4.0, 30


def _erode(mask: np.ndarray, side: int) -> np.ndarray:
    """Pixels whose whole ``side`` × ``side`` square (centred on them) is in ``mask``."""
    h = side // 2
    padded = np.pad(mask, h)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (side, side))
    return windows.all(axis=(-1, -2))


def _ink(frame: np.ndarray, background) -> np.ndarray:
    """Pixels that differ from the background: anything drawn."""
    if frame.shape[-1] == 4:
        return frame[..., 3] > 0
    return np.any(frame != np.asarray(background[:3], np.uint8), axis=-1)


def _exactly(frame: np.ndarray, colour) -> np.ndarray:
    """Pixels painted fully in ``colour`` (opaque)."""
    mask = np.all(frame[..., :3] == np.asarray(colour, np.uint8), axis=-1)
    return mask & (frame[..., 3] == 255) if frame.shape[-1] == 4 else mask


@dataclass
class _Panel:
    left: int
    right: int
    vertex: tuple[float, float]  # (row, column) of the parabola's lowest drawn point
    verdict_bottom: int  # the last row of the words above the view
    view_top: int  # the first row of the parabola (its arms' ends)
    colour: tuple[int, int, int]


@dataclass
class _Layout:
    scale: float  # the preset's: pixel sizes below are for docs, times this
    axis: int  # the parabolas' x-axis row
    strip_bottom: int  # the strips' step-axis row
    panels: list[_Panel]


def _side(scale: float, docs: int) -> int:
    """An odd square side: ``docs`` pixels in the docs preset, scaled like the drawing."""
    return 2 * round((docs - 1) / 2 * scale) + 1


def _layout(frame: np.ndarray, theme, colours, scale: float) -> _Layout:
    """The panels of frame 0, found in its pixels: the x-axis is the first row drawn across most of the
    width, its runs are the panels; the parabola's lowest point is the first ink above the axis at a
    panel's centre."""
    ink = _ink(frame, theme.background)
    width = frame.shape[1]
    long_rows = np.nonzero(ink.sum(axis=1) > 0.6 * width)[0]
    axis, strip_bottom = int(long_rows[0]), int(long_rows[-1])
    row = ink[axis]
    edges = np.flatnonzero(np.diff(np.concatenate([[0], row.astype(int), [0]])))
    runs = [(a, b) for a, b in zip(edges[::2], edges[1::2], strict=True) if b - a > 0.1 * width]
    assert len(runs) == len(colours), runs
    panels = []
    for (left, right), colour in zip(runs, colours, strict=True):
        centre = (left + right - 1) // 2
        column = ink[: axis - 1, centre - 1 : centre + 2].any(axis=1)
        bottom = int(np.nonzero(column)[0][-1])
        top = bottom
        while column[top - 1]:
            top -= 1
        mine = _exactly(frame, colour)[:, left:right]
        ball_rows = np.nonzero(_erode(mine[:axis], _side(scale, 7)).any(axis=1))[0]
        words = _exactly(frame, theme.text_ink(colour))[:, left:right]  # the verdict, at text contrast
        above = np.nonzero(words[: int(ball_rows[0]) - 12].any(axis=1))[0]  # the words above the view
        verdict_bottom = int(above[-1])
        below = np.nonzero(ink[verdict_bottom + 2 : axis, left:right].any(axis=1))[0]
        panels.append(
            _Panel(
                left,
                right,
                ((top + bottom) / 2, float(centre)),
                verdict_bottom,
                verdict_bottom + 2 + int(below[0]),
                colour,
            )
        )
    return _Layout(scale, axis, strip_bottom, panels)


def _ball(frame: np.ndarray, layout: _Layout, panel: _Panel) -> tuple[float, float] | None:
    """The centre (row, column) of the panel's ball: its colour eroded by a 7-pixel square (docs), which
    only a disc of radius 6.5 survives (not the trail's lines and dots, nor text); None when none is drawn."""
    mine = _exactly(frame[: layout.axis, panel.left : panel.right], panel.colour)
    rows, cols = np.nonzero(_erode(mine, _side(layout.scale, 7)))
    if not len(rows):
        return None
    return float(rows.mean()), float(cols.mean()) + panel.left


def _distance(frame, layout, panel) -> float | None:
    ball = _ball(frame, layout, panel)
    return None if ball is None else float(np.hypot(ball[0] - panel.vertex[0], ball[1] - panel.vertex[1]))


def _arrow_drawn(frame, panel: _Panel) -> bool:
    """Whether the panel's colour is drawn between its words and its view's top: the edge arrow."""
    band = frame[panel.verdict_bottom + 3 : panel.view_top - 2, panel.left : panel.right]
    return int(_exactly(band, panel.colour).sum()) > 20


def _strip_point(frame, layout: _Layout, panel: _Panel) -> tuple[float, float]:
    """The (row, column) of the strip's current point: the panel's colour below the parabola's axis, eroded
    by a 3-pixel square (docs), which the point survives and the strip's line does not."""
    top = layout.axis + 4
    mine = _exactly(frame[top : layout.strip_bottom + 2, panel.left : panel.right], panel.colour)
    rows, cols = np.nonzero(_erode(mine, _side(layout.scale, 3)))
    assert len(rows), "no point in the strip"
    return float(rows.mean()) + top, float(cols.mean()) + panel.left


def _render(theme_name="light", preset_name="docs", rates=RATES, x0=X0, steps=STEPS):
    theme, preset = get_theme(theme_name), get_preset(preset_name)
    paths = [gradient_descent_path(x0, r, steps) for r in rates]
    frames = list(descent_frames(paths, rates, theme, preset))
    colours = [_colour_of(theme, r) for r in rates]
    return paths, frames, _layout(frames[0], theme, colours, preset.scale)


def _colour_of(theme, rate: float):
    return {0.02: theme.accent, 0.3: theme.good, 0.9: theme.good, 1.05: theme.mistake}[rate]


@pytest.fixture(scope="module")
def light_docs():
    return _render()


def _distances(frames, layout, panel) -> list[float | None]:
    return [_distance(f, layout, panel) for f in frames]


@pytest.mark.parametrize("variant", [("light", "docs"), ("dark", "docs"), ("light", "slides")])
def test_the_ball_of_a_diverging_rate_is_drawn_further_from_the_minimum_every_frame(variant, light_docs):
    paths, frames, layout = light_docs if variant == ("light", "docs") else _render(*variant)
    panel, path = layout.panels[3], paths[3]
    leaves = leaves_view(path)
    assert leaves == 8  # 4 · 1.1⁸ = 8.57 > 8, the view's edge
    seen = _distances(frames, layout, panel)
    inside = seen[:leaves]
    assert all(d is not None for d in inside), inside
    assert np.all(np.diff(inside) > 1), inside  # grows, visibly, on every step
    for t in range(leaves, len(frames)):  # gone from the view: the arrow at the edge says so, every frame
        assert seen[t] is None and _arrow_drawn(frames[t], panel), t
    assert not any(_arrow_drawn(f, panel) for f in frames[:leaves])


@pytest.mark.parametrize("variant", [("light", "docs"), ("dark", "docs"), ("light", "slides")])
def test_the_balls_of_converging_rates_are_drawn_closer_to_the_minimum_every_frame(variant, light_docs):
    paths, frames, layout = light_docs if variant == ("light", "docs") else _render(*variant)
    near = 2.5 * get_preset(variant[1]).scale  # within a couple of pixels of the minimum, a ball may stay
    for panel in layout.panels[:3]:
        seen = _distances(frames, layout, panel)
        assert all(d is not None for d in seen), seen
        for t in range(1, len(seen)):
            assert seen[t] < seen[t - 1] or max(seen[t - 1], seen[t]) <= near, (panel.colour, t, seen)
        assert seen[-1] < 0.5 * seen[0]
        assert not any(_arrow_drawn(f, panel) for f in frames)


def test_every_ball_starts_at_the_same_place_in_its_panel(light_docs):
    _, frames, layout = light_docs
    offsets = []
    for panel in layout.panels:
        row, col = _ball(frames[0], layout, panel)
        offsets.append((row - panel.vertex[0], col - panel.vertex[1]))
    offsets = np.array(offsets)
    assert np.ptp(offsets, axis=0).max() <= 1.0, offsets
    assert offsets[0, 1] > 30 and offsets[0, 0] < -30  # up the right arm, well away from the minimum


@pytest.mark.parametrize("variant", [("light", "docs"), ("light", "slides")])
def test_the_distance_strip_rises_for_the_diverging_rate_and_falls_for_the_others(variant, light_docs):
    paths, frames, layout = light_docs if variant == ("light", "docs") else _render(*variant)
    for k, panel in enumerate(layout.panels):
        points = [_strip_point(f, layout, panel) for f in frames]
        rows, cols = np.array([p[0] for p in points]), np.array([p[1] for p in points])
        assert np.all(np.diff(cols) > 0)  # the point moves right, a step a frame
        if RATES[k] > 1:  # rises: rows go up the image
            assert np.all(np.diff(rows) <= 0.5) and rows[0] - rows[-1] > 10, rows
        else:
            assert np.all(np.diff(rows) >= -0.5) and rows[-1] - rows[0] > 5, rows
    firsts = [_strip_point(frames[0], layout, p)[0] for p in layout.panels]
    assert np.ptp(firsts) <= 1.0  # every strip starts at the same height: one range for all
