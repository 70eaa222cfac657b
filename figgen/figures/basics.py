"""The text's first figures: a digit, the flattened data, one-hot labels, softmax and cross-entropy.

Each builder takes numbers a recipe computed (see :mod:`figgen.analysis`) with a theme and a preset and
returns a matplotlib Figure in them. Gradient descent on y = x² is an animation: :mod:`figgen.draw.descent`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.patches import Rectangle

from figgen.analysis.worked import truncate
from figgen.core.knobs import SIDE
from figgen.core.themes import Preset, Theme, ink_on
from figgen.figures.style import aspect, mpl_colour, new_figure, themed

DIGITS = tuple(str(k) for k in range(10))


@themed
def digit_figure(image: np.ndarray, title: str, theme: Theme, preset: Preset):
    """One 28×28 digit in gray_r with the text's title, as ``display_digit`` shows it."""
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.6), nrows=1, ncols=1)
    ax = fig.axes[0]
    ax.imshow(np.reshape(image, (SIDE, SIDE)), cmap="gray_r", vmin=0.0, vmax=1.0)
    ax.set_title(title)
    return fig


@themed
def flat_digits_figure(rows: np.ndarray, start: int, theme: Theme, preset: Preset):
    """Digits flattened to rows of 784 pixels and stacked, as ``display_mult_flat`` shows them."""
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.55), nrows=1, ncols=1)
    ax = fig.axes[0]
    n = len(rows)
    extent = (-0.5, rows.shape[1] - 0.5, start + n - 0.5, start - 0.5)
    # Several pixels share one screen pixel: average them rather than drop rows (no moiré).
    im = ax.imshow(rows, cmap="gray_r", vmin=0.0, vmax=1.0, extent=extent, interpolation="auto")
    ax.set_xlabel(f"pixel (0–{rows.shape[1] - 1})")
    ax.set_ylabel("example")
    ax.set_title(f"{n:,} training digits, one row of {rows.shape[1]} pixel intensities each")
    fig.colorbar(im, ax=ax, label="intensity", shrink=0.8)
    return fig


@themed
def one_hot_figure(
    image: np.ndarray,
    index: int,
    vector: np.ndarray,
    theme: Theme,
    preset: Preset,
    names: Sequence[str] = DIGITS,
):
    """A digit beside its label as a one-hot vector: ten labelled cells holding 0 or 1.

    On a page the vector lies under its title, a row of ten cells; on a 16:9 slide it stands beside the
    digit as a column, so both fill the slide.
    """
    standing = preset.height is not None
    height: float | None = None if standing else 0.34  # standing: the slide's own height
    ratios = [1.5, 1] if standing else [1, 2.8]
    fig = new_figure(theme, preset, aspect=height, nrows=1, ncols=2, width_ratios=ratios)
    left, right = fig.axes
    label = int(np.argmax(vector))
    left.imshow(np.reshape(image, (SIDE, SIDE)), cmap="gray_r", vmin=0.0, vmax=1.0)
    left.set_title(f"Example: {index} Label: {names[label]}")
    left.set_xticks([])
    left.set_yticks([])
    on, fg, edge = mpl_colour(theme.accent), mpl_colour(theme.foreground), mpl_colour(theme.muted)
    n = len(vector)
    for k, value in enumerate(vector):
        hot = value == 1
        x, y = (0, n - 1 - k) if standing else (k, 0)
        right.add_patch(Rectangle((x, y), 1, 1, facecolor=on if hot else "none", edgecolor=edge, lw=1))
        right.text(
            x + 0.5,
            y + 0.5,
            f"{value:g}",
            ha="center",
            va="center",
            color=mpl_colour(ink_on(theme.accent)) if hot else fg,  # the number reads on its cell
            fontweight="bold" if hot else "normal",
            fontsize="large",
        )
    ticks = np.arange(n) + 0.5
    if standing:
        right.set_xlim(-0.05, 1.05)
        right.set_ylim(-0.05, n + 0.05)
        right.set_yticks(ticks, list(reversed(names)))
        right.set_xticks([])
    else:
        right.set_xlim(-0.05, n + 0.05)
        right.set_ylim(-0.05, 1.05)
        long = max(map(len, names)) > 2
        right.set_xticks(ticks, list(names), rotation=30 if long else 0, ha="right" if long else "center")
        right.set_yticks([])
        right.set_xlabel("class")
    right.set_aspect("equal")
    right.tick_params(length=0)
    for spine in right.spines.values():
        spine.set_visible(False)
    cells = ",".join(f"{v:g}" for v in vector)
    joiner = "\n" if standing else ": "
    right.set_title(f"Label {names[label]} as a one-hot vector{joiner}[{cells}]")
    return fig


def probability_text(value: float) -> str:
    """A probability to three places, trailing zeros dropped (0.25, 0.116)."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


@themed
def softmax_figure(examples: Sequence[tuple[str, np.ndarray, np.ndarray]], theme: Theme, preset: Preset):
    """One panel per (title, logits, probabilities): bars of the probabilities, labelled, over the logits."""
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.45), nrows=1, ncols=len(examples), sharey=True)
    for ax, (title, logits, probs) in zip(fig.axes, examples, strict=True):
        bars = ax.bar(np.arange(len(probs)), probs, color=mpl_colour(theme.accent), width=0.6)
        ax.bar_label(bars, [probability_text(p) for p in probs], padding=3)
        ax.set_xticks(np.arange(len(logits)), [f"{v:g}" for v in logits])
        ax.set_xlabel("logit")
        ax.set_title(title)
        ax.text(
            0.03,
            0.96,
            f"sum = {probs.sum():.3f}",
            transform=ax.transAxes,
            va="top",
            color=mpl_colour(theme.muted),
        )
        ax.set_ylim(0, 1.1)
        ax.grid(axis="y")
    fig.axes[0].set_ylabel("probability")
    return fig


@themed
def cross_entropy_figure(
    prediction: np.ndarray,
    cases: Sequence[tuple[int, float]],
    theme: Theme,
    preset: Preset,
    names: Sequence[str] = DIGITS,
):
    """−log(p) with each (label, loss) case marked at p = prediction[label], beside the prediction's bars.

    The first case is the confident right one (✓, a round mark, the good colour), the second the confident
    wrong one (✗, a cross, the mistake colour).
    """
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.45), nrows=1, ncols=2)
    curve, bars = fig.axes
    colours = [mpl_colour(theme.good), mpl_colour(theme.mistake)]
    p = np.linspace(0.004, 1.0, 500)
    curve.plot(p, -np.log(p), color=mpl_colour(theme.foreground))
    top = 5.8
    for (label, loss), colour, (mark, sign) in zip(cases, colours, (("o", "✓"), ("X", "✗")), strict=False):
        x = prediction[label]
        curve.plot([x], [loss], mark, color=colour, markersize=preset.points(9))
        # −log(p) hugs the left edge and the bottom: a point near p = 0 is labelled to its right, level with
        # it; a point further right in two lines up in the empty space above the curve, its right edge at
        # the point and a leader down to it; both clear of the curve.
        near_one = x > 0.5
        text = f"{sign} label {names[label]}: −log({x:g}) = {truncate(loss)}…"
        curve.annotate(
            text.replace(": ", ":\n", 1) if near_one else text,
            (x, loss),
            xytext=(x, min(loss + 0.45 * top, top * 0.8)) if near_one else (x + 0.07, loss),
            ha="right" if near_one else "left",
            va="bottom" if near_one else "center",
            color=colour,
            arrowprops={"arrowstyle": "-", "color": colour, "shrinkB": 8} if near_one else None,
        )
    # Room around the data for a whole marker: one at p = 0.01 or at a loss near 0 sits inside the axes.
    curve.set_xlim(-0.04, 1.04)
    curve.set_ylim(-0.3, top)
    curve.set_xlabel("probability given to the true class, p")
    curve.set_ylabel("loss −log(p)")
    curve.set_title("Cross-entropy of one example")
    curve.grid(True)
    bar_colours = [mpl_colour(theme.muted)] * len(prediction)
    for (label, _), colour in zip(cases, colours, strict=False):
        bar_colours[label] = colour
    drawn = bars.bar(np.arange(len(prediction)), prediction, color=bar_colours, width=0.7)
    # every bar labelled: an unlabelled 0.0025 read as missing, and the labelled ones did not add up to 1
    bars.bar_label(drawn, [f"{v:g}" if v >= 0.01 else "≈0" for v in prediction], padding=2, fontsize="small")
    long = max(map(len, names)) > 2
    bars.set_xticks(
        np.arange(len(prediction)), list(names), rotation=30 if long else 0, ha="right" if long else "center"
    )
    for (label, _), colour in zip(cases, colours, strict=False):
        bars.get_xticklabels()[label].set(color=colour, fontweight="bold")
    bars.set_xlabel("class")
    bars.set_ylabel("predicted probability")
    bars.set_ylim(0, 1.05)
    bars.set_title(f"Prediction j: sure it is {names[int(np.argmax(prediction))]}")
    return fig
