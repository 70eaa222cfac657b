"""Figures of how the trained model does: one prediction, small test sets, digits moved to the edge.

Each builder takes arrays and values a recipe already has (probabilities, block accuracies, a
:class:`figgen.figures.training.ShiftStudy`) with the theme and preset, and returns a matplotlib Figure;
it applies them itself.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from figgen.analysis import ShiftStudy
from figgen.figures.style import aspect, mpl_colour, new_figure, themed
from figgen.themes import Preset, Theme


def probability_label(value: float) -> str:
    """A probability as a beginner reads it: 0.85, 0.02, 0.009 or ≈0 below 0.001 (never 7e-06)."""
    if value >= 0.01:
        return f"{value:.2f}"
    return f"{value:.3f}" if value >= 0.001 else "≈0"


@themed
def prediction_figure(
    image: np.ndarray,
    index: int,
    label: int,
    probs: np.ndarray,
    theme: Theme,
    preset: Preset,
    names: Sequence[str] = tuple(str(k) for k in range(10)),
) -> Figure:
    """A digit titled ``Example: N Label: L`` beside the model's ten probabilities, the argmax highlighted.

    The argmax's bar is in the theme's good colour with ✓ when it is the label, in its mistake colour with
    ✗ and hatched when not: right and wrong never rest on colour alone.
    """
    guess = int(probs.argmax())
    right = guess == label
    muted, chosen = mpl_colour(theme.muted), mpl_colour(theme.good if right else theme.mistake)
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.42), nrows=1, ncols=2, width_ratios=[1, 2.2])
    left, right_ax = fig.axes
    left.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
    left.set_xticks([])
    left.set_yticks([])
    left.set_title(f"Example: {index} Label: {names[label]}")
    bars = right_ax.bar(range(10), probs, color=[chosen if k == guess else muted for k in range(10)])
    if not right:
        bars[guess].set_hatch("//")
    for k, (bar, value) in enumerate(zip(bars, probs, strict=True)):
        right_ax.annotate(
            probability_label(value),
            (bar.get_x() + 0.4, value),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="small",
            fontweight="bold" if k == guess else "normal",
        )
    right_ax.set_xticks(
        range(10),
        list(names),
        rotation=0 if max(map(len, names)) <= 2 else 30,
        ha="center" if max(map(len, names)) <= 2 else "right",
    )
    right_ax.set_ylim(0, 1.12)
    right_ax.set_xlabel("digit" if list(names) == [str(k) for k in range(10)] else "class")
    right_ax.set_ylabel("probability (softmax)")
    right_ax.set_title(f"Prediction: {names[guess]} Label: {names[label]} {'✓' if right else '✗'}")
    right_ax.grid(True, axis="y")
    return fig


def _stack_heights(values: np.ndarray) -> np.ndarray:
    """For a dot plot: how many earlier values equal each value (so equal dots stack upwards)."""
    return np.array([np.sum(values[:i] == v) for i, v in enumerate(values)])


@themed
def block_accuracy_figure(
    blocks: np.ndarray, full: float, test_size: int, block: int, theme: Theme, preset: Preset
) -> Figure:
    """A dot plot of the accuracy on each block of ``block`` test digits, the first block (the text's) marked.

    ``blocks`` are :func:`figgen.figures.training.block_accuracies`; a line marks ``full``, the accuracy on
    all ``test_size`` digits. Blocks with the same accuracy stack upwards.
    """
    values = np.round(100 * blocks, 6)
    height = _stack_heights(values)
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.45), nrows=1, ncols=1)
    ax = fig.axes[0]
    size = preset.points(4.5) ** 2
    ax.scatter(
        values[1:],
        height[1:] + 1,
        s=size,
        color=mpl_colour(theme.accent),
        label=f"the other {len(blocks) - 1} blocks of {block}",
    )
    ax.scatter(
        values[:1],
        height[:1] + 1,
        s=size * 2.2,
        color=mpl_colour(theme.mistake),
        marker="D",
        label=f"first {block} (TEST_SIZE = {block}): {blocks[0]:.0%}",
        zorder=3,
    )
    ax.axvline(100 * full, color=mpl_colour(theme.foreground), linewidth=1.5)
    ax.annotate(
        f"all {test_size:,}: {full:.2%}",
        (100 * full, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize="small",
    )
    ax.set_ylim(0, height.max() + 2)
    ax.set_xlabel(f"test accuracy on a block of {block} test digits (%)")
    ax.set_ylabel("blocks")
    ax.set_title(
        f"One model, {len(blocks)} test sets of {block}: accuracy {blocks.min():.0%} to {blocks.max():.0%}"
    )
    ax.legend(loc="upper left")
    ax.grid(True, axis="x")
    return fig


@themed
def shifted_digit_figure(
    study: ShiftStudy, theme: Theme, preset: Preset, names: Sequence[str] = tuple(str(k) for k in range(10))
) -> Figure:
    """Top: the digit at each shown shift with its prediction; bottom: accuracy against the shift.

    A panel's title has ✓ and the good colour while the prediction is still the right class, ✗ and the
    mistake colour once it is not.
    """
    good, bad = theme.good, theme.mistake
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.72))
    top = [f"d{i}" for i in range(len(study.shown))]
    axes = fig.subplot_mosaic([top, ["curve"] * len(study.shown)], height_ratios=[1, 1.25])
    for key, s, image, prob in zip(top, study.shown, study.moved, study.probs, strict=True):
        ax, guess = axes[key], int(prob.argmax())
        ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
        ax.set_xticks([])
        ax.set_yticks([])
        right = guess == study.digit
        ax.set_title(
            f"shift {s} px{' (edge)' if s == study.edge else ''}\n{'✓' if right else '✗'} Prediction: "
            f"{names[guess]} ({prob[guess]:.0%})\nP({names[study.digit]}) = {prob[study.digit]:.2f}",
            color=mpl_colour(good if right else bad),
            fontsize="small",
        )
    ax = axes["curve"]
    shifts = study.shifts
    ax.plot(
        shifts,
        100 * study.on_digit,
        marker="o",
        markersize=3,
        label=f"all {study.digit_count:,} test examples of {names[study.digit]}",
    )
    ax.plot(
        shifts, 100 * study.on_all, marker="s", markersize=3, label=f"all {study.test_count:,} test examples"
    )
    ax.set_xlabel("shift to the left (pixels)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(-3, 103)
    ax.set_xticks(shifts)
    ax.legend(loc="upper right")
    ax.grid(True)
    return fig


def describe_shift(study: ShiftStudy, names: Sequence[str] = tuple(str(k) for k in range(10))) -> str:
    """What the shifted digit figure shows, in words, for an alt text."""
    shown = ", ".join(map(str, study.shown))
    guesses = ", ".join(names[int(q.argmax())] for q in study.probs)
    collapse = study.collapse
    return (
        f"Test example #{study.index}, a {names[study.digit]}, shifted left by {shown} pixels is predicted "
        f"{guesses}; accuracy on the {study.digit_count:,} test examples of {names[study.digit]} falls from "
        f"{study.on_digit[0]:.1%} "
        f"unshifted to {study.on_digit[1]:.1%} at 1 pixel"
        + (f" and below half from {collapse} pixels" if collapse is not None else "")
        + f", and on all test examples from {study.on_all[0]:.1%} to {study.on_all[-1]:.1%} at "
        f"{study.shifts[-1]} pixels."
    )
