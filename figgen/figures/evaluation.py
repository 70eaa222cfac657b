"""Figures of how the trained model does: one prediction, small test sets, digits moved to the edge.

Each builder takes arrays and values a recipe already has (probabilities, block accuracies, a
:class:`figgen.figures.training.ShiftStudy`) with the theme and preset, and returns a matplotlib Figure;
it applies them itself.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from matplotlib.typing import HashableList

from figgen.analysis.scoring import standard_error
from figgen.analysis.shift import ShiftStudy
from figgen.core.knobs import SIDE
from figgen.core.themes import Preset, Theme
from figgen.data import DIGITS, TEXT_HOLDOUT
from figgen.figures.style import aspect, mpl_colour, new_figure, themed


def probability_label(value: float) -> str:
    """A probability as a beginner reads it: 0.85, 0.02, 0.009 or ≈0 below 0.001 (never 7e-06)."""
    if value >= 0.01:
        return f"{value:.2f}"
    return f"{value:.3f}" if value >= 0.001 else "≈0"


TEXT_PROBABILITY = 0.854  # the text's printed answer for its x_train[0], a 7: 8.53746116e-01
TEXT_TRAIN_SIZE = 5500  # the text's TRAIN_SIZE(5500) for the run it printed


def data_name(data) -> str:
    """A data set's name for a figure: "MNIST sample" for the bundled sample, else its file or folder name."""
    return "MNIST sample" if data.source == "sample" else Path(data.path).name


def example_subtitle(data, index: int, train_size: int) -> str:
    """Which data, which training image and which split a prediction is of, and whether it is the text's.

    ``index`` is into ``data``'s training images (:meth:`figgen.data.Dataset.train`), the first
    ``train_size`` of which the model was trained on; the images are numbered as in the training file, so
    under the text's split (5,000 images held out) image 0 is 5,000. The text's example is its ``x_train[0]``
    (image 5,000) with the text's split and 5,500 training images (images 5,000-10,499): whatever differs
    from that is said, so the figure never passes for the text's own (P = 0.854) when it is not.
    """
    offset = TEXT_HOLDOUT if data.split == "text" else 0
    first, last = offset, offset + train_size - 1
    image = offset + index
    text_first, text_last = TEXT_HOLDOUT, TEXT_HOLDOUT + TEXT_TRAIN_SIZE - 1
    theirs = data.digits and image == TEXT_HOLDOUT  # the text's x_train[0], a 7
    head = f"{data_name(data)} · training image {image:,}" + (" (the text's x_train[0])" if theirs else "")
    if data.split == "text":
        split = f"split: text, the text's own (trained on images {first:,}–{last:,})"
    else:
        split = f"split: {data.split} (trained on images {first:,}–{last:,})"
    if not theirs:
        return f"{head} · {split}"
    if data.split == "text" and train_size == TEXT_TRAIN_SIZE:
        return f"{head} · {split}\nthe text's example and training images; the text's P = {TEXT_PROBABILITY}"
    if data.split == "text":
        return (
            f"{head} · {split}\nthe text's example and split, but the text trained on images "
            f"{text_first:,}–{text_last:,} (its P = {TEXT_PROBABILITY})"
        )
    return (
        f"{head} · {split}\nthe text trained on images {text_first:,}–{text_last:,}, so its "
        f"P = {TEXT_PROBABILITY} differs"
    )


@themed
def prediction_figure(
    image: np.ndarray,
    index: int,
    label: int,
    probs: np.ndarray,
    theme: Theme,
    preset: Preset,
    names: Sequence[str] = DIGITS,
    subtitle: str = "",
) -> Figure:
    """A digit titled ``Example: N Label: L`` beside the model's ten probabilities, the argmax highlighted.

    The argmax's bar is in the theme's good colour with ✓ when it is the label, in its mistake colour with
    ✗ and hatched when not: right and wrong never rest on colour alone. ``subtitle`` (above both, e.g.
    :func:`example_subtitle`) says whose example it is.
    """
    guess = int(probs.argmax())
    right = guess == label
    muted, chosen = mpl_colour(theme.muted), mpl_colour(theme.good if right else theme.mistake)
    tall = 0.42 + 0.05 * (subtitle.count("\n") + 1 if subtitle else 0)
    fig = new_figure(theme, preset, aspect=aspect(preset, tall), nrows=1, ncols=2, width_ratios=[1, 2.2])
    left, right_ax = fig.axes
    if subtitle:
        fig.suptitle(subtitle, fontsize="small", linespacing=1.4)
    left.imshow(image.reshape(SIDE, SIDE), cmap="gray_r", vmin=0, vmax=1)
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


def binomial_counts(p: float, n: int, samples: int) -> np.ndarray:
    """How many of ``samples`` test sets of ``n`` examples are expected to get k right, for k = 0..n.

    The binomial distribution of a model right with probability ``p``, from log-gamma so that a large ``n``
    neither overflows nor underflows.
    """
    k = np.arange(n + 1)
    if p <= 0 or p >= 1:
        return samples * (k == round(p * n)).astype(float)
    log_choose = np.array([math.lgamma(n + 1) - math.lgamma(j + 1) - math.lgamma(n - j + 1) for j in k])
    return samples * np.exp(log_choose + k * math.log(p) + (n - k) * math.log1p(-p))


def order_effect(samples: np.ndarray, blocks: np.ndarray) -> str:
    """What the consecutive blocks' spread says against the random test sets': whether the order adds any.

    Only a standard deviation more than 15% above the random sets' is called the order's; fewer blocks than
    that can show by chance is never called so.
    """
    if np.std(blocks) > 1.15 * np.std(samples):
        return "the test set's order adds spread"
    return "no wider than random test sets here"


@themed
def sample_size_figure(
    samples: np.ndarray,
    blocks: np.ndarray,
    full: float,
    test_size: int,
    block: int,
    theme: Theme,
    preset: Preset,
    noun: str = "digits",
) -> Figure:
    """Top, the picture: the accuracies of random test sets of ``block`` examples, as a histogram, with the
    binomial expectation and the accuracy on all ``test_size``; bottom, a contrast: consecutive blocks.

    ``samples`` are :func:`figgen.analysis.random_sample_accuracies`: their spread is the small test set's
    alone, and the binomial ±1 standard error around ``full`` is shaded. ``blocks`` are
    :func:`figgen.analysis.block_accuracies` in the test set's order (equal ones stack upwards; the first,
    the text's ``TEST_SIZE(block)``, is a diamond): a wider spread is the order's, named so in the panel's
    title (:func:`order_effect`). ``noun`` says what the examples are ("digits", or "images" for other
    classes).
    """
    se = standard_error(full, block)
    accent, fg, mistake = mpl_colour(theme.accent), mpl_colour(theme.foreground), mpl_colour(theme.mistake)
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.62))
    axes = fig.subplot_mosaic([["samples"], ["blocks"]], height_ratios=[2, 1.2], sharex=True)
    top, bottom = axes["samples"], axes["blocks"]
    step = 100 / block  # one example more or less right, in points
    right, counts = np.unique(np.round(np.asarray(samples) * block).astype(int), return_counts=True)
    for ax in (top, bottom):
        ax.axvspan(100 * (full - se), 100 * (full + se), color=mpl_colour(theme.muted), alpha=0.18, lw=0)
        ax.axvline(100 * full, color=fg, linewidth=preset.points(1.5))
    top.bar(
        right * step,
        counts,
        width=0.85 * step,
        color=accent,
        label=f"{len(samples):,} random test sets: SD {100 * np.std(samples):.1f} points",
    )
    expected = binomial_counts(full, block, len(samples))
    seen = np.flatnonzero(expected >= 0.5)  # the binomial's bulk: where it expects at least half a test set
    k = np.arange(seen.min(), seen.max() + 1) if len(seen) else right
    top.plot(
        k * step,
        expected[k],
        color=fg,
        marker="o",
        markersize=preset.points(2.5),
        linewidth=preset.points(1),
        label=f"binomial expectation: SE {100 * se:.1f} points (shaded)",
    )
    top.annotate(
        f"all {test_size:,}: {full:.2%}",
        (100 * full, 1),
        xycoords=("data", "axes fraction"),
        xytext=(4, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize="small",
    )
    top.set_ylim(0, max(counts.max(), expected.max()) * 1.25)
    top.set_ylabel("test sets")
    top.set_title(
        f"One model, {len(samples):,} random test sets of {block:,} {noun}: "
        f"accuracy {samples.min():.0%} to {samples.max():.0%}"
    )
    handles, labels = top.get_legend_handles_labels()
    top.legend(handles[::-1], labels[::-1], loc="upper left")  # the samples first, then their expectation
    values = np.round(100 * blocks, 6)
    height = _stack_heights(values)
    size = preset.points(3) ** 2
    bottom.scatter(values[1:], height[1:] + 1, s=size, color=mpl_colour(theme.series[1]))
    bottom.scatter(
        values[:1],
        height[:1] + 1,
        s=size * 3,
        color=mistake,
        marker="D",
        label=f"the text's first {block:,} (TEST_SIZE = {block:,}): {blocks[0]:.0%}",
        zorder=3,
    )
    bottom.set_ylim(0, 1.5 * height.max() + 3)  # room for the legend above the stacks
    bottom.set_ylabel("blocks")
    bottom.set_title(
        f"Contrast: {len(blocks):,} consecutive blocks of {block:,}, SD {100 * blocks.std():.1f} points: "
        + order_effect(samples, blocks),
        fontsize="medium",
    )
    bottom.legend(loc="upper left")
    bottom.set_xlabel(f"test accuracy on {block:,} test {noun} (%)")
    for ax in (top, bottom):
        ax.grid(True, axis="x")
    return fig


@themed
def shifted_digit_figure(
    study: ShiftStudy, theme: Theme, preset: Preset, names: Sequence[str] = DIGITS
) -> Figure:
    """Top: the digit at each shown shift with its prediction; bottom: accuracy against the shift.

    A panel's title has ✓ and the good colour while the prediction is still the right class, ✗ and the
    mistake colour once it is not. A thin vertical line on every thumbnail marks where the unshifted ink
    began (its leftmost column, ``study.edge``), so a shift of 1, 2 or 4 pixels reads as a gap to the line.
    """
    good, bad = theme.good, theme.mistake
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.72))
    top = [f"d{i}" for i in range(len(study.shown))]
    # the thumbnails over the curve; matplotlib types a mosaic's rows as lists of names or of nested rows
    mosaic: list[HashableList[str]] = [[*top], ["curve"] * len(top)]
    axes = fig.subplot_mosaic(mosaic, height_ratios=[1, 1.25])
    for key, s, image, prob in zip(top, study.shown, study.moved, study.probs, strict=True):
        ax, guess = axes[key], int(prob.argmax())
        ax.imshow(image.reshape(SIDE, SIDE), cmap="gray_r", vmin=0, vmax=1)
        ax.axvline(study.edge - 0.5, color=mpl_colour(theme.accent), linewidth=preset.points(1.2))
        ax.set_xticks([])
        ax.set_yticks([])
        right = guess == study.digit
        ax.set_title(
            f"shift {s} px{' (edge)' if s == study.edge else ''}\n{'✓' if right else '✗'} Prediction: "
            f"{names[guess]} ({prob[guess]:.0%})\nP({names[study.digit]}) = {prob[study.digit]:.2f}",
            color=mpl_colour(good if right else bad),
            fontsize="small",
        )
    axes[top[0]].set_xlabel("line: unshifted left edge", fontsize="small")
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


def describe_shift(study: ShiftStudy, names: Sequence[str] = DIGITS) -> str:
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
        f"{study.shifts[-1]} pixels"
        + (
            f", lowest at {study.on_all[low]:.1%} at {study.shifts[low]} pixels"
            if (low := int(np.argmin(study.on_all))) != len(study.on_all) - 1
            else ""
        )
        + "."
    )
