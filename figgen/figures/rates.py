"""The learning_rate figure: MNIST's training loss for several learning rates, each run named by its regime.

Every run is named by :func:`figgen.core.regime.regime` over its whole log (crawls, converges, unstable,
diverged), so the words do not flip with where a bouncing run's last step happens to land. Each line is
labelled where it ends, in its own colour and with words, so no reader has to match colours to a legend;
the text's own rate (0.1) is drawn thicker and named as the text's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from figgen.core.knobs import Knobs
from figgen.core.regime import ABOVE, UNTRAINED_LOSS, regime
from figgen.core.themes import Preset, Theme
from figgen.figures._axes import log_floor, plain_log_ticks
from figgen.figures.style import agg_canvas, aspect, constrained_layout, mpl_colour, new_figure, themed

TEXT_RATE = Knobs().LEARNING_RATE  # the text's LEARNING_RATE, drawn to stand out
LABEL_GAP = 1.6  # end labels at least this many line heights apart


def run_regime(run) -> str:
    """The regime of one run (a TrainResult), from its whole log; a log cut short by a non-finite loss is
    diverged."""
    losses = [lo for _, _, lo in run.log]
    if run.diverged_at is not None:
        return "diverged"
    return regime(losses, UNTRAINED_LOSS)


def _end_words(rate: float, run, kind: str) -> str:
    """A run's label where its line ends: the rate, the text's mark, the regime and the final loss."""
    name = f"{rate:g} (the text's)" if rate == TEXT_RATE else f"{rate:g}"
    if kind == "diverged":
        return f"{name}: diverged, stays above ln 10"
    if kind == "unstable":
        return f"{name}: unstable, jumps above ln 10"
    return f"{name}: {kind}, loss {run.log[-1][2]:.3f}"


def spread(positions: Sequence[float], gap: float, low: float = 0.0, high: float = 1.0) -> list[float]:
    """Move sorted-or-not ``positions`` (axes fractions) apart to at least ``gap`` each, staying near where
    they were and inside [low, high] where there is room: the y of labels that must not overlap."""
    order = np.argsort(positions, kind="stable")
    ys = np.asarray(positions, float)[order]
    for i in range(1, len(ys)):  # push up
        ys[i] = max(ys[i], ys[i - 1] + gap)
    if len(ys) and ys[-1] > high:  # then down from the top, as far as the bottom allows
        ys[-1] = high
        for i in range(len(ys) - 2, -1, -1):
            ys[i] = min(ys[i], ys[i + 1] - gap)
        ys = np.maximum(ys, low + gap * np.arange(len(ys)))
    out = np.empty_like(ys)
    out[order] = ys
    return [float(y) for y in out]


@themed
def learning_rate_figure(
    rates: Sequence[float], runs: Sequence, train_size: int, steps: int, theme: Theme, preset: Preset
) -> Figure:
    """The training loss of one run (a TrainResult) per learning rate, on a log scale, over ``steps`` steps.

    Each line is drawn whole (a run stopped by a non-finite loss ends at its last finite value, never drawn as
    NaN) and labelled at its end, beside the plot: rate, regime and final loss. The dashed ln 10 line, the
    untrained model's loss, is named on the plot; a run above it is worse than knowing nothing.
    """
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.55), nrows=1, ncols=1)
    ax = fig.axes[0]
    muted = mpl_colour(theme.muted)
    ax.axhline(UNTRAINED_LOSS, color=muted, linestyle="--", linewidth=preset.points(1.2), zorder=1)
    losses, ends = [], []
    colours = theme.series
    for k, (lr, run) in enumerate(zip(rates, runs, strict=True)):
        logged = [s for s, _, _ in run.log]
        loss = [lo for _, _, lo in run.log]
        losses += loss
        colour = mpl_colour(colours[k % len(colours)])
        text_rate = lr == TEXT_RATE
        ax.plot(
            logged,
            loss,
            color=colour,
            linewidth=preset.points(3.2 if text_rate else 1.5),
            zorder=4 if text_rate else 3,
        )
        ends.append((logged[-1], loss[-1], colour, _end_words(lr, run, run_regime(run)), text_rate))
    ax.set_yscale("log")
    low, high = log_floor(losses, UNTRAINED_LOSS), max([UNTRAINED_LOSS, *losses])
    plain_log_ticks(ax.yaxis, low, high * 1.2)
    bottom, top = low / 1.15, high * 1.35
    ax.set_ylim(bottom, top)
    ax.set_xlim(0, steps)
    ends.append((steps, UNTRAINED_LOSS, muted, "ln 10: the untrained model", False))
    # end labels: at the height where each line ends, pushed apart so none overlaps another
    span = np.log(top) - np.log(bottom)
    heights = [(np.log(max(y, bottom)) - np.log(bottom)) / span for _, y, _, _, _ in ends]
    line_height = preset.font_size * 0.9 * LABEL_GAP / (fig.get_figheight() * fig.dpi * 0.75)
    labels = []
    for (x, y, colour, words, text_rate), at in zip(ends, spread(heights, line_height), strict=True):
        labels.append(
            ax.annotate(
                words,
                (x, max(y, bottom)),
                xytext=(1.07, at),
                textcoords="axes fraction",
                color=colour,
                fontsize="small",
                fontweight="bold" if text_rate else "normal",
                va="center",
                annotation_clip=False,
                arrowprops={
                    "arrowstyle": "-",
                    "color": colour,
                    "linewidth": preset.points(0.8),
                    "shrinkA": 2,
                },
            )
        )
    # the constrained layout leaves no room for labels outside the axes: keep the widest one's width free
    renderer = agg_canvas(fig).get_renderer()
    widest = 0.0
    for label in labels:
        label.set_in_layout(False)  # placed by hand beside the axes
        # measured as text alone: an annotation's extent includes its leader line
        probe = fig.text(0, 0, label.get_text(), fontsize="small", fontweight=label.get_fontweight())
        widest = max(widest, probe.get_window_extent(renderer).width)
        probe.remove()
    room = (widest + preset.px(24 + 10)) / (fig.get_figwidth() * fig.dpi)
    constrained_layout(fig).set(rect=(0, 0, 1 - room, 1))
    ax.set_xlabel("training step")
    ax.set_ylabel("training loss (cross-entropy, log scale)")
    ax.set_title(f"Training loss for {len(rates)} learning rates: {train_size:,} examples, {steps:,} steps")
    ax.grid(True)
    return fig


def describe_rates(rates: Sequence[float], runs: Sequence) -> str:
    """What each learning rate's run did, by its regime, for an alt text."""
    parts = []
    for lr, run in zip(rates, runs, strict=True):
        kind = run_regime(run)
        name = f"{lr:g} (the text's rate)" if lr == TEXT_RATE else f"{lr:g}"
        if kind == "diverged":
            parts.append(f"{name} diverges: its loss stays above ln 10 from step {run.diverged_at:,}")
        elif kind == "unstable":
            jumps = sum(lo > UNTRAINED_LOSS * ABOVE for _, _, lo in run.log[1:])  # as regime() counts
            parts.append(
                f"{name} is unstable: its loss jumps above ln 10 at {jumps} logged steps and ends at "
                f"{run.log[-1][2]:.3f}"
            )
        else:
            parts.append(
                f"{name} {kind}: loss {run.log[-1][2]:.3f} ({run.log[-1][1]:.1%} test accuracy) at the end"
            )
    return "; ".join(parts)
