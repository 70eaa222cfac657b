"""Figures of how training goes: accuracy and loss along the steps, by learning rate, by training size.

Each builder takes the numbers a recipe already has (a run's log, several runs, a sweep's accuracies) with
the theme and preset, and returns a matplotlib Figure; it applies them itself.
The ``describe_*`` functions give the sentences of the figures' alt texts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from figgen.analysis.progress import Dip
from figgen.analysis.scoring import standard_error
from figgen.core.regime import UNTRAINED_LOSS
from figgen.core.themes import Preset, Theme
from figgen.figures._axes import log_floor, plain_log_ticks
from figgen.figures.style import aspect, mpl_colour, new_figure, themed

# --- the training curve ----------------------------------------------------------------------------


def dip_digits(dip: Dip, test_size: int) -> int:
    """How many test examples a dip lost: its fall in accuracy times ``test_size``, rounded."""
    return round((dip.accuracy - dip.next_accuracy) * test_size)


def noise_digits(accuracy: float, test_size: int, k: int = 1) -> int:
    """``k`` binomial standard errors of ``accuracy`` on ``test_size`` examples, in examples: 29 of 10,000."""
    return round(k * standard_error(accuracy, test_size) * test_size)


def describe_noise(dips: Sequence[Dip], accuracy: float, test_size: int, noun: str = "digits") -> str:
    """The dips' size in test examples against the test set's noise: "dips of 1–3 digits of 10,000, within
    ±29 digits (1 SE)".

    The noise is one standard error of ``accuracy`` (the run's final accuracy) on ``test_size`` examples;
    a dip larger than two is called so, never "within".
    """
    one = noise_digits(accuracy, test_size)
    if not dips:
        return f"the test set's noise is ±{one:,} {noun} of {test_size:,} (1 SE)"
    falls = sorted(dip_digits(d, test_size) for d in dips)
    size = f"{falls[0]:,}" if falls[0] == falls[-1] else f"{falls[0]:,}–{falls[-1]:,}"
    kind = (noun if falls[-1] != 1 else noun.removesuffix("s")) + f" of {test_size:,}"
    what = f"{'a dip' if len(falls) == 1 else 'dips'} of {size} {kind}"
    if falls[-1] <= one:
        return f"{what}, within ±{one:,} {noun} (1 SE)"
    two = noise_digits(accuracy, test_size, 2)
    if falls[-1] <= two:
        return f"{what}, within ±{two:,} {noun} (2 SE)"
    return f"{what}, beyond ±{two:,} {noun} (2 SE)"


@themed
def training_curve_figure(
    log: Sequence[tuple[int, float, float]],
    dips: Sequence[Dip],
    zoom_from: int,
    test_size: int,
    theme: Theme,
    preset: Preset,
    noun: str = "digits",
) -> Figure:
    """Test accuracy and training loss against the step (left), and the accuracy from ``zoom_from`` (right).

    The zoom starts at the last-but-one logged step when ``zoom_from`` is later, so it always shows a
    segment. It shades each logged accuracy's noise, ±1 and ±2 binomial standard errors on ``test_size``
    examples, and its y-range holds the whole ±2 SE band: a wiggle within the noise looks as small as it
    is. Each dip in the zoom is drawn in the mistake colour and labelled with the test examples it lost
    (``noun``: "digits", or "images" for a data set of other classes); a note says how that compares with
    the noise (:func:`describe_noise`).
    """
    steps, acc, loss = (list(v) for v in zip(*log, strict=True))
    zoom_from = min(zoom_from, steps[-2]) if len(steps) > 1 else steps[0]
    accent, mistake, other = mpl_colour(theme.accent), mpl_colour(theme.mistake), mpl_colour(theme.series[1])
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.55))
    axes = fig.subplot_mosaic([["acc", "zoom"], ["loss", "zoom"]], width_ratios=[1, 1])
    axes["acc"].plot(steps, [100 * a for a in acc], color=accent, marker="o", markersize=2.5)
    axes["acc"].set_ylabel("test accuracy (%)")
    axes["acc"].set_title("Test accuracy")
    axes["loss"].plot(steps, loss, color=other, marker="o", markersize=2.5)
    axes["loss"].set_yscale("log")
    low = log_floor(loss, UNTRAINED_LOSS)
    plain_log_ticks(axes["loss"].yaxis, low, max(max(loss), low))
    axes["loss"].set_ylabel("training loss")
    axes["loss"].set_xlabel("training step")
    axes["loss"].set_title("Training loss (cross-entropy)")
    axes["acc"].sharex(axes["loss"])
    axes["acc"].tick_params(labelbottom=False)
    kept = [i for i, s in enumerate(steps) if s >= zoom_from]
    x = np.array([steps[i] for i in kept])
    y = np.array([100 * acc[i] for i in kept])
    se = np.array([100 * standard_error(acc[i], test_size) for i in kept])
    zoom = axes["zoom"]
    for k, alpha in ((2, 0.14), (1, 0.28)):
        zoom.fill_between(
            x,
            y - k * se,
            y + k * se,
            color=accent,
            alpha=alpha,
            linewidth=0,
            label=f"±{k} SE: ±{noise_digits(acc[-1], test_size, k):,} {noun}",
        )
    zoom.plot(x, y, color=accent, marker="o", markersize=3)
    zoom.set_title(f"Test accuracy from step {zoom_from:,}")
    zoom.set_xlabel("training step")
    zoom.set_ylabel("test accuracy (%)")
    width = preset.points(2.5)
    shown = [d for d in dips if d.step >= zoom_from]
    for n, dip in enumerate(shown):
        fell = dip_digits(dip, test_size)
        zoom.plot(
            [dip.step, dip.next_step],
            [100 * dip.accuracy, 100 * dip.next_accuracy],
            color=mistake,
            linewidth=width,
            label="accuracy dips, loss still falls" if n == 0 else None,
        )
        zoom.annotate(
            f"−{fell} {noun if fell != 1 else noun.removesuffix('s')}",
            (dip.step, 100 * dip.accuracy),
            xytext=(0, 6),
            textcoords="offset points",
            ha="center",
            va="bottom",
            color=mistake,
            fontsize="small",
        )
    note = describe_noise(shown, acc[-1], test_size, noun)
    zoom.text(
        0.03,
        0.97,
        note[0].upper() + note[1:].replace(", ", ",\n", 1) + (": noise" if "within" in note else ""),
        transform=zoom.transAxes,
        ha="left",
        va="top",
        fontsize="small",
    )
    # the y-range holds the whole ±2 SE band, so a wiggle inside the noise looks as small as it is
    lo, hi = float((y - 2 * se).min()), float((y + 2 * se).max())
    if hi - lo < 0.01:  # a flat curve without noise (every one of a few test examples right): a visible range
        lo, hi = lo - 0.5, hi + 0.5
    zoom.set_ylim(lo - 0.5 * (hi - lo), hi + 0.3 * (hi - lo))  # room for the legend below, the note above
    zoom.legend(loc="lower right")
    for ax in axes.values():
        ax.grid(True)
    return fig


def describe_dips(dips: Sequence[Dip], accuracy: float, test_size: int, noun: str = "digits") -> str:
    """Where accuracy dips while the loss falls, by how many test examples, against the noise, for an alt
    text; ``accuracy`` is the run's final test accuracy on ``test_size`` examples."""
    if not dips:
        return "no logged step shows accuracy falling while the loss falls; " + describe_noise(
            dips, accuracy, test_size, noun
        )
    where = "; ".join(
        f"step {d.step:,} to {d.next_step:,} ({d.accuracy:.2%} to {d.next_accuracy:.2%}, "
        f"−{dip_digits(d, test_size):,})"
        for d in dips
    )
    verdict = describe_noise(dips, accuracy, test_size, noun)
    noise = " of noise" if "within" in verdict else ""
    return f"accuracy dips while the loss still falls at {where}: {verdict}{noise}"


# --- training size ---------------------------------------------------------------------------------


@themed
def accuracy_vs_size_figure(
    sizes: np.ndarray,
    accuracy: np.ndarray,
    gains: Sequence[tuple[int, int, float]],
    steps: int,
    theme: Theme,
    preset: Preset,
) -> Figure:
    """Test accuracy against training size on a log axis, the final accuracy marked, gains per tenfold listed.

    ``gains`` are :func:`figgen.figures.training.accuracy_gains` of the same sizes and accuracies.
    """
    final = accuracy[-1]
    spans = "\n".join(f"{a:,} → {b:,} examples: +{100 * g:.1f} points" for a, b, g in gains)
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.5), nrows=1, ncols=1)
    ax = fig.axes[0]
    ax.plot(sizes, 100 * accuracy, marker="o", markersize=3, color=mpl_colour(theme.accent))
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.annotate(
        f"{final:.1%}",
        (sizes[-1], 100 * final),
        xytext=(0, 6),
        textcoords="offset points",
        ha="center",
        va="bottom",
        fontsize="small",
    )
    ax.text(
        0.98,
        0.04,
        "Gain per tenfold data:\n" + spans,
        transform=ax.transAxes,
        ha="right",
        va="bottom",
        fontsize="small",
        linespacing=1.4,
    )
    ax.set_ylim(0, 100)
    ax.set_xlabel("training examples (TRAIN_SIZE, log scale)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title(f"Test accuracy after {steps:,} steps, by training size")
    ax.grid(True, which="major")
    return fig


def describe_gains(gains: Sequence[tuple[int, int, float]]) -> str:
    """Accuracy gained over each tenfold of training size, for an alt text."""
    return ", ".join(f"{a:,} to {b:,} +{100 * g:.1f} points" for a, b, g in gains)
