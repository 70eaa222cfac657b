"""How one prediction is computed: the digit times each weight sheet, summed, plus b, through softmax.

:func:`prediction_pipeline_figure` draws :class:`figgen.analysis.pipeline.PredictionSteps` as a table of
ten rows, one per class: the sheet W[:, k], the product x × W[:, k] pixel by pixel (both on the weights'
diverging map, on one scale, zero white), the sum of the product's 784 numbers, + b[k], = the score z[k],
and the softmax probability as a bar; the largest (the prediction) is set apart by ✓ or ✗ and bold type,
never by colour alone. The numbers add up as printed: b and z are rounded to two places and the sum is
printed as their difference (within 0.01 of the exact sum). Each number's text and each image has a gid
(``sum-3``, ``bias-3``, ``score-3``, ``prob-3``, ``sheet-3``, ``product-3``): a test reads what it shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from figgen.analysis.pipeline import PredictionSteps
from figgen.core.knobs import SIDE
from figgen.core.themes import Preset, Theme
from figgen.data import DIGITS
from figgen.draw.colormaps import symmetric_limit
from figgen.figures._canvas import canvas_figure, edge_colour, place_image, points, signed, width_of, wrap
from figgen.figures.evaluation import probability_label
from figgen.figures.style import mpl_colour, themed


def shown_numbers(steps: PredictionSteps) -> tuple[list[str], list[str], list[str]]:
    """The sums, biases and scores as the figure prints them, rounded so that sum + b = z as printed."""
    bias = [round(float(v), 2) for v in steps.bias]
    scores = [round(float(v), 2) for v in steps.scores]
    sums = [signed(z - b) for z, b in zip(scores, bias, strict=True)]
    biases = [f"({signed(b)})" if signed(b).startswith("\u2212") else signed(b) for b in bias]
    return sums, biases, [signed(z) for z in scores]


def _column_widths(columns: Sequence[tuple[Sequence[str], float, float]]) -> list[float]:
    """Each column's width: its widest text (texts at their size in px) or its content, whichever is wider."""
    return [
        max([content, *(width_of(t, px) for text in texts for t in text.split("\n"))])
        for texts, px, content in columns
    ]


@themed
def prediction_pipeline_figure(
    steps: PredictionSteps,
    title: str,
    subtitle: str,
    theme: Theme,
    preset: Preset,
    names: Sequence[str] = DIGITS,
) -> Figure:
    """The ten rows of one prediction (see the module) under ``title`` and ``subtitle`` (data, split)."""
    f = preset.font_size
    small, pad, margin = 0.85 * f, 0.6 * f, preset.px(10)
    muted = mpl_colour(theme.muted)
    sub_lines = subtitle.count("\n") + 1 if subtitle else 0
    title_h = 1.6 * 1.1 * f + sub_lines * 1.4 * small
    header_h = 2 * 1.3 * small + 0.4 * f
    footer = [
        f"Sheets and products on one scale, ±{symmetric_limit(steps.weights):.2g}: red positive, blue "
        "negative, white zero.",
        "z[k] = the sum of the product's 784 numbers + b[k]; softmax makes the ten scores probabilities "
        "that sum to 1.",
    ]
    text = "\n".join(wrap(line, small, preset.width - 2 * margin) for line in footer)
    footer_h = (text.count("\n") + 1) * 1.4 * small + 0.6 * f
    row: float = 3 * f
    height = round(margin + title_h + header_h + 10 * row + footer_h + margin)
    fig, ax = canvas_figure(theme, preset, height)
    height = fig.canvas.get_width_height()[1]
    row = (height - 2 * margin - title_h - header_h - footer_h) / 10
    top = margin + title_h + header_h  # the first row's top
    side = 0.84 * row  # a sheet's side

    guess, label = steps.guess, steps.label
    sums, biases, scores = shown_numbers(steps)
    probs = [probability_label(p) for p in steps.probs]
    mark = "✓" if guess == label else "✗"
    probs[guess] = f"{probs[guess]} {mark}"
    digit = min(7.5 * f, 6 * row)
    headers = {
        "digit": "digit x\n784 pixels",
        "name": "k",
        "sheet": "sheet\nW[:, k]",
        "product": "product\nx × W[:, k]",
        "sum": "sum of\nproduct",
        "bias": "\nb[k]",
        "score": "score\nz[k]",
    }
    order = ["digit", "name", "sheet", "product", "sum", "bias", "score"]
    contents = {
        "digit": ([headers["digit"]], small, digit),
        "name": ([headers["name"], *names], f, 0),
        "sheet": ([headers["sheet"]], small, side),
        "product": ([headers["product"]], small, side),
        "sum": ([headers["sum"], *sums], small, 0),
        "bias": ([headers["bias"], *biases], small, 0),
        "score": ([headers["score"], *scores], small, 0),
    }
    widths = dict(zip(order, _column_widths([contents[k] for k in order]), strict=True))
    operator = {"name": 1.6 * f, "sheet": 0.5 * f, "product": 1.4 * f, "sum": 1.2 * f, "bias": 1.4 * f}
    operator["score"] = 1.4 * f
    x: float = margin
    left: dict[str, float] = {}
    for key in order:
        x += operator.get(key, 0)
        left[key] = x
        x += widths[key]
    value_w = width_of(f"0.00 {mark}", small, bold=True) + pad
    bar_x = x + 1.8 * f
    bar_w = preset.width - margin - value_w - bar_x

    # title and subtitle
    ax.text(preset.width / 2, margin, title, ha="center", va="top", fontsize=points(preset, 1.1 * f))
    if subtitle:
        ax.text(
            preset.width / 2,
            margin + 1.6 * 1.1 * f,
            subtitle,
            ha="center",
            va="top",
            fontsize=points(preset, small),
            linespacing=1.4,
        )
    # column headers
    head_y = top - 0.3 * f
    for key in order:
        ax.text(
            left[key] + widths[key] / 2,
            head_y,
            headers[key],
            ha="center",
            va="bottom",
            fontsize=points(preset, small),
            linespacing=1.3,
        )
    ax.text(
        bar_x,
        head_y,
        "softmax(z)\nprobability",
        ha="left",
        va="bottom",
        fontsize=points(preset, small),
        linespacing=1.3,
    )
    # the digit, once, level with the rows
    middle = top + 5 * row
    dx = left["digit"] + (widths["digit"] - digit) / 2
    place_image(
        ax,
        steps.image.reshape(SIDE, SIDE),
        (dx, middle - digit / 2, digit, digit),
        cmap="gray_r",
        vmin=0.0,
        vmax=1.0,
        edge=edge_colour(theme),
        gid="digit",
    )
    ax.text(
        dx + digit / 2,
        middle + digit / 2 + 0.4 * f,
        f"label {names[label]}",
        ha="center",
        va="top",
        fontsize=points(preset, small),
    )
    ax.text(
        left["name"] - operator["name"] / 2,
        middle,
        "×",
        ha="center",
        va="center",
        fontsize=points(preset, 1.6 * f),
    )
    limit = symmetric_limit(steps.weights)  # x is in [0, 1]: a product is its weight, faded or blanked
    right = guess == label
    chosen = mpl_colour(theme.good if right else theme.mistake)
    for k in range(10):
        y0 = top + k * row
        cy = y0 + row / 2
        if k == guess:  # the prediction's row, set apart behind its numbers (its ✓ or ✗ says more)
            ax.add_patch(
                Rectangle(
                    (left["name"] - 0.3 * f, y0 + 0.04 * row),
                    preset.width - margin - left["name"] + 0.3 * f,
                    0.92 * row,
                    facecolor=mpl_colour(theme.accent, 0.12),
                    edgecolor="none",
                )
            )
        weight = "bold" if k == guess else "normal"
        ax.text(
            left["name"] + widths["name"],
            cy,
            names[k],
            ha="right",
            va="center",
            fontsize=points(preset, f),
            fontweight=weight,
        )
        for key, image in (("sheet", steps.weights[:, k]), ("product", steps.products[k])):
            ix = left[key] + (widths[key] - side) / 2
            place_image(
                ax,
                image.reshape(SIDE, SIDE),
                (ix, cy - side / 2, side, side),
                cmap="seismic",
                vmin=-limit,
                vmax=limit,
                edge=edge_colour(theme),
                gid=f"{key}-{k}",
            )
        between = (left["sheet"] + widths["sheet"] + left["product"]) / 2
        symbols = [(between, "=")]
        symbols += [(left["bias"] - operator["bias"] / 2, "+"), (left["score"] - operator["score"] / 2, "=")]
        symbols += [(left["sum"] - operator["sum"] / 2, "→"), (bar_x - 0.9 * f, "→")]
        for sx, symbol in symbols:
            ink = mpl_colour(theme.foreground) if k == guess else muted  # muted fades on the band
            ax.text(sx, cy, symbol, ha="center", va="center", color=ink, fontsize=points(preset, small))
        for key, values in (("sum", sums), ("bias", biases), ("score", scores)):
            ax.text(
                left[key] + widths[key],
                cy,
                values[k],
                ha="right",
                va="center",
                fontsize=points(preset, small),
                fontweight=weight if key == "score" else "normal",
                gid=f"{key}-{k}",
            )
        p = float(steps.probs[k])
        bar = Rectangle(
            (bar_x, cy - 0.3 * row),
            max(p * bar_w, 0.0),
            0.6 * row,
            facecolor=chosen if k == guess else muted,
            edgecolor="none",
            hatch="//" if k == guess and not right else None,
        )
        ax.add_patch(bar)
        ax.text(
            bar_x + p * bar_w + 0.3 * f,
            cy,
            probs[k],
            ha="left",
            va="center",
            fontsize=points(preset, small),
            fontweight=weight,
            gid=f"prob-{k}",
        )
    ax.plot([bar_x, bar_x], [top, top + 10 * row], color=muted, linewidth=preset.points(1))
    ax.text(
        margin,
        top + 10 * row + 0.6 * f,
        text,
        ha="left",
        va="top",
        fontsize=points(preset, small),
        linespacing=1.4,
    )
    return fig
