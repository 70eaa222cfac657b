"""The text's ``y = softmax(x · W + b)`` with its shapes drawn to scale: m × 784 · 784 × 10 + 10 → m × 10.

:func:`matrix_shapes_figure` draws :class:`figgen.analysis.pipeline.BatchShapes` in two kinds of view. Across
the top, the four arrays as blocks on one scale, one square a number of the same size along both axes, so x
is as long as W is tall and both are 78.4 times as long as W is wide: the real arrays (x's rows real
digits, W the run's weights), shrunk to fit. Around them, magnified views, each saying its magnification:
x's rows under x (the same 784 columns, the rows drawn taller) and the digits they are, folded back to 28 ×
28; one column of W as its 28 × 28 sheet; b, and b repeated down the m rows as the addition broadcasts it;
y's m rows of ten probabilities, each row's largest framed. Every image has a gid (``x``, ``W``, ``b``,
``y``, ``x-rows``, ``digit-0``, ``sheet``, ``b-row``, ``b-broadcast``, ``y-rows``) so a test reads what
it shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from figgen.analysis.pipeline import BatchShapes
from figgen.core.knobs import CLASSES, PIXELS, SIDE
from figgen.core.themes import Preset, Theme
from figgen.data import DIGITS
from figgen.draw.colormaps import symmetric_limit
from figgen.figures._canvas import canvas_figure, edge_colour, place_image, points, width_of, wrap
from figgen.figures.style import mpl_colour, themed


def _lines(text: str, px: float) -> float:
    """The height of ``text`` (its lines) at ``px`` pixels with the figures' line spacing."""
    return (text.count("\n") + 1) * 1.35 * px


@themed
def matrix_shapes_figure(
    shapes: BatchShapes,
    column: int,
    train_size: int,
    theme: Theme,
    preset: Preset,
    names: Sequence[str] = DIGITS,
) -> Figure:
    """The shapes of ``y = softmax(x · W + b)`` for ``shapes.m`` rows, W's ``column`` magnified as a sheet;
    ``train_size`` is the m of the text's training step (all its training rows at once)."""
    f = preset.font_size
    small, margin, gap = 0.85 * f, preset.px(12), 1.6 * f
    m = shapes.m
    muted, edge = mpl_colour(theme.muted), edge_colour(theme)
    title = f"y = softmax(x · W + b): (m × {PIXELS}) · ({PIXELS} × {CLASSES}) + {CLASSES} → m × {CLASSES}"
    zone = max(11 * f, 0.25 * preset.width)  # the magnified views' column, right of W
    softmax_w = width_of("→ softmax →", small) + 0.8 * f
    across = PIXELS + 3 * CLASSES  # squares along the top row: x, W, b and y
    u = (preset.width - 2 * margin - 2 * gap - softmax_w - zone) / across
    x_label = f"x: m × {PIXELS}, m = {m} digits here\n(the text's training feeds m = {train_size:,} at once)"
    w_label = f"W: {PIXELS} × {CLASSES}"
    head = 1.6 * 1.1 * f
    note = (
        f"Top row to scale: one square is one number, {{u:.2g}} px a side; x's {PIXELS} columns are as long "
        f"as W's {PIXELS} rows and {PIXELS / CLASSES:g} times W's {CLASSES} columns. Below and beside: "
        "magnified views."
    )
    sub = wrap(note.format(u=u), small, preset.width - 2 * margin)
    band = _lines(x_label, small) + 0.7 * f  # the labels above the blocks
    bottom = _lines(w_label, small) + 0.4 * f
    if preset.height:  # a slide: the height decides the scale when it is the tighter
        room = preset.height - 2 * margin - head - _lines(sub, small) - band - bottom
        u = min(u, room / PIXELS)
        sub = wrap(note.format(u=u), small, preset.width - 2 * margin)
    top = margin + head + _lines(sub, small) + band  # the blocks' top
    height = round(top + PIXELS * u + bottom + margin)
    fig, ax = canvas_figure(theme, preset, height)

    def label(x, y, text, ha="center", va="bottom", px=small, **kw):
        ax.text(x, y, text, ha=ha, va=va, fontsize=points(preset, px), linespacing=1.35, **kw)

    def dashed(points_xy):
        xs, ys = zip(*points_xy, strict=True)
        ax.plot(xs, ys, color=muted, linestyle=(0, (3, 2)), linewidth=preset.points(1))

    label(preset.width / 2, margin, title, va="top", px=1.1 * f)
    label(preset.width / 2, margin + head, sub, va="top")

    # --- the top row, to scale
    w_limit, b_limit = symmetric_limit(shapes.weights), symmetric_limit(shapes.bias)
    x0 = margin
    w0 = x0 + PIXELS * u + gap
    b0 = w0 + CLASSES * u + gap
    y0 = b0 + CLASSES * u + softmax_w
    level = top + m * u / 2
    blocks = [
        ("x", shapes.rows, (x0, top, PIXELS * u, m * u), "gray_r", 0.0, 1.0),
        ("W", shapes.weights, (w0, top, CLASSES * u, PIXELS * u), "seismic", -w_limit, w_limit),
        ("b", shapes.bias[None, :], (b0, top, CLASSES * u, u), "seismic", -b_limit, b_limit),
        ("y", shapes.probs, (y0, top, CLASSES * u, m * u), "gray_r", 0.0, 1.0),
    ]
    for gid, array, box, cmap, vmin, vmax in blocks:
        place_image(ax, array, box, cmap=cmap, vmin=vmin, vmax=vmax, edge=edge, gid=gid, smooth=True)
    label(x0, top - 0.6 * f, x_label, ha="left")
    label(w0 + CLASSES * u / 2, top + PIXELS * u + 0.3 * f, w_label, va="top")
    label(b0 + CLASSES * u / 2, top - 0.6 * f, f"b: {CLASSES}")
    label(y0 + CLASSES * u / 2, top - 0.6 * f, f"y: m × {CLASSES}")
    for x, symbol in ((x0 + PIXELS * u + gap / 2, "·"), (w0 + CLASSES * u + gap / 2, "+")):
        label(x, level, symbol, va="center", px=1.4 * f)
    label(b0 + CLASSES * u + softmax_w / 2, level, "→ softmax →", va="center")

    # --- x's rows magnified under x, and the digits they are
    y = top + m * u + 0.8 * f
    long = PIXELS * u  # x's length
    rows_title = wrap(
        f"x magnified: the same {PIXELS} columns, each row drawn {{r:.0f}} times taller", small, long
    )
    side = min(4 * SIDE, (long - (m - 1) * 0.5 * f) / m)
    digits_title = wrap(
        f"each row is a {SIDE} × {SIDE} digit, flattened: the {m} rows folded back", small, long
    )
    after = 2 * 0.2 * f + _lines(rows_title, small) + 0.4 * f + side + 0.2 * f + _lines("0", small)
    after += 0.2 * f + _lines(digits_title, small)
    r = max(2 * u, min(1.2 * f, (top + long - y - after) / m))
    place_image(
        ax, shapes.rows, (x0, y, PIXELS * u, m * r), cmap="gray_r", vmin=0, vmax=1, edge=edge, gid="x-rows"
    )
    dashed([(x0, top + m * u), (x0, y)])
    dashed([(x0 + PIXELS * u, top + m * u), (x0 + PIXELS * u, y)])
    y += m * r + 0.2 * f
    label(x0, y, rows_title.format(r=r / u), ha="left", va="top")
    y += _lines(rows_title, small) + 0.4 * f
    step = (PIXELS * u - side) / max(m - 1, 1) if m > 1 else 0
    for i in range(m):
        dx = x0 + i * step
        place_image(
            ax,
            shapes.rows[i].reshape(SIDE, SIDE),
            (dx, y, side, side),
            cmap="gray_r",
            vmin=0,
            vmax=1,
            edge=edge,
            gid=f"digit-{i}",
        )
        label(dx + side / 2, y + side + 0.2 * f, names[int(shapes.labels[i])], va="top")
    y += side + 0.2 * f + _lines("0", small) + 0.2 * f
    label(x0, y, digits_title, ha="left", va="top")

    # --- the magnified views right of W: b and its broadcast, y, one column of W as its sheet (in a column
    # of its own where there is the width: a slide)
    left = w0 + CLASSES * u + gap
    width = preset.width - margin - left
    two = width >= 2 * CLASSES * f + 4 * f
    col = (width - 1.5 * f) / 2 if two else width
    y = top + m * u + 1.2 * f
    b_title = wrap(f"b magnified (00×), then broadcast: repeated down the m = {m} rows", small, col)
    y_title = wrap(f"y magnified: each row's {CLASSES} probabilities, the largest framed", small, col)
    s_title = wrap(
        f"W[:, {column}] magnified: the {PIXELS} weights of {names[column]} as a {SIDE} × {SIDE} sheet",
        small,
        col,
    )
    stacked = (b_title, y_title) if two else (b_title, y_title, s_title)
    need = sum(_lines(t, small) + 0.2 * f for t in stacked) + (len(stacked) - 1) * 0.8 * f
    room = top + PIXELS * u - y - need
    spare = width_of(f"{m} ×", small) + 0.6 * f  # the broadcast's "8 ×"
    cell = min(1.3 * f, (col - spare) / CLASSES, room / (2 * m + 1.4 + (0 if two else CLASSES)))
    grid = CLASSES * cell
    b_title = b_title.replace("00×", f"{cell / u:.0f}×")
    if two:
        sx, sy = left + col + 1.5 * f, y
        label(sx, sy, s_title, ha="left", va="top")
        sy += _lines(s_title, small) + 0.2 * f
        sheet = min(col, top + PIXELS * u - sy)
        sheet_box = (sx, sy, sheet, sheet)
    label(left, y, b_title, ha="left", va="top")
    y += _lines(b_title, small) + 0.2 * f
    b_row = (left, y, grid, cell)
    place_image(
        ax, shapes.bias[None, :], b_row, cmap="seismic", vmin=-b_limit, vmax=b_limit, edge=edge, gid="b-row"
    )
    y += 1.4 * cell
    label(left + grid + 0.3 * f, y + m * cell / 2, f"{m} ×", ha="left", va="center")
    place_image(
        ax,
        shapes.broadcast,
        (left, y, grid, m * cell),
        cmap="seismic",
        vmin=-b_limit,
        vmax=b_limit,
        edge=edge,
        gid="b-broadcast",
    )
    y += m * cell + 0.8 * f
    label(left, y, y_title, ha="left", va="top")
    y += _lines(y_title, small) + 0.2 * f
    place_image(
        ax, shapes.probs, (left, y, grid, m * cell), cmap="gray_r", vmin=0, vmax=1, edge=edge, gid="y-rows"
    )
    frame = mpl_colour(theme.accent)
    for i, k in enumerate(np.argmax(shapes.probs, axis=1)):
        ax.add_patch(
            Rectangle(
                (left + k * cell, y + i * cell),
                cell,
                cell,
                facecolor="none",
                edgecolor=frame,
                linewidth=preset.points(2),
                gid=f"largest-{i}",
            )
        )
    if not two:
        y += m * cell + 0.8 * f
        label(left, y, s_title, ha="left", va="top")
        y += _lines(s_title, small) + 0.2 * f
        sheet_box = (left, y, grid, grid)
    place_image(
        ax,
        shapes.weights[:, column].reshape(SIDE, SIDE),
        sheet_box,
        cmap="seismic",
        vmin=-w_limit,
        vmax=w_limit,
        edge=edge,
        gid="sheet",
    )
    sx, sy, side_px, _ = sheet_box
    dashed([(w0 + (column + 0.5) * u, top + PIXELS * u / 2), (sx, sy + side_px / 2)])
    return fig
