"""The overfitting figure: training against test accuracy by training size, and along one small run's steps.

Top: the sweep's models (one per training size, all after the same steps), their accuracy on their own
training examples and on the test set, the gap between them shaded and named at both ends. Below, one run
at a small training size along its steps (log scale): the two accuracies, the test accuracy with its
bootstrap band and its peak marked, and the two losses, the test loss's lowest point marked. Training and
test differ by marker shape and by name as well as by colour. ``describe_*`` give the words of the notes
and of the alt text, from the same numbers.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, NullFormatter

from figgen.analysis.confusion import percent
from figgen.analysis.overfit import StepStudy
from figgen.core.themes import Preset, Theme
from figgen.figures.style import aspect, mpl_colour, new_figure, themed


def _drawn(steps: np.ndarray) -> np.ndarray:
    """The steps a log step axis draws: from the second update (step 1) on, the first (step 0) left out; all
    of them when there is no other (TRAIN_STEPS 0), on a linear axis then (see :func:`_plain_log_x`)."""
    shown = steps >= 1
    return shown if shown.any() else np.ones_like(shown)


def _plain_log_x(ax, xs: np.ndarray) -> None:
    """A log x axis labelled 1, 10, 100, 1,000 (a linear one for a lone step 0)."""
    if np.min(xs) <= 0:
        ax.set_xticks(np.unique(xs))
        return
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())  # under two decades matplotlib labels minor ticks too


def _zoom(ax, study: StepStudy, xs, colour, preset: Preset, noun: str) -> None:
    """The test accuracy from a tenth of its peak's step on, where its band and its fall from the peak (if
    any) can be seen: the peak marked, the fall's size in test examples and its paired interval written in."""
    x = study.steps
    start = max(1, x[study.peak] // 10) if study.peak < len(x) - 1 else max(1, x[-1] // 10)
    keep = xs >= start
    if keep.sum() < 2:
        keep[:] = True
    shown = _drawn(x)
    lo, hi = 100 * study.band[0][shown][keep], 100 * study.band[1][shown][keep]
    y = 100 * study.test_accuracy[shown][keep]
    ax.fill_between(xs[keep], lo, hi, color=colour, alpha=0.25, linewidth=0)
    ax.plot(xs[keep], y, color=colour, marker="o", markersize=preset.points(2.5))
    _plain_log_x(ax, xs)
    span = hi.max() - lo.min()
    ax.set_ylim(lo.min() - 0.8 * span, hi.max() + 0.3 * span)
    n, p = study.test_size, study.peak
    if p < len(x) - 1 and x[p] >= start:  # the peak, where this log axis draws it (never step 0)
        ax.plot([x[p]], [100 * study.test_accuracy[p]], marker="v", color=colour, markersize=preset.points(6))
        ax.annotate(
            f"peak {study.test_accuracy[p]:.1%}, step {x[p]:,}",
            (x[p], 100 * study.test_accuracy[p]),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize="small",
        )
    if p < len(x) - 1:  # a fall from the peak, whether or not the peak is drawn (step 0 is not)
        low, high = (_digits(v, n) for v in study.fall_interval)
        fall = _digits(study.fall, n)
        words = f"peak to end: {'−' if fall > 0 else ''}{fall:,} {noun}\n(95%: {low:,} to {high:,})"
    else:
        words = "no fall: highest at the end"
    words = "shaded: 95% bootstrap band\n" + words
    ax.text(0.97, 0.04, words, transform=ax.transAxes, ha="right", va="bottom", fontsize="small")
    ax.set_xlabel("training step (log scale)")
    ax.set_ylabel("test accuracy (%)")
    ax.set_title("test, zoomed")


def _digits(fraction: float, test_size: int) -> int:
    return round(fraction * test_size)


def describe_gap(sizes, train_accuracy, test_accuracy) -> str:
    """The training-test gap at the smallest and the largest size, in words."""
    gap = 100 * (np.asarray(train_accuracy) - np.asarray(test_accuracy))
    first, last = int(sizes[0]), int(sizes[-1])
    return (
        f"with {first:,} example{'' if first == 1 else 's'} the model gets {percent(train_accuracy[0], 0)} "
        f"of its training examples right and {test_accuracy[0]:.1%} of the test set, a gap of "
        f"{gap[0]:.0f} points; "
        f"with {last:,} examples {train_accuracy[-1]:.1%} against {test_accuracy[-1]:.1%}, a gap of "
        f"{gap[-1]:.1f} points"
    )


def describe_steps(study: StepStudy, noun: str = "digits") -> str:
    """What the small run's test accuracy and test loss do along the steps, against the noise, in words."""
    s, n = study.steps, study.test_size
    peak, last = study.peak, len(s) - 1
    lo, hi = (_digits(v, n) for v in study.fall_interval)
    if peak == last:
        acc = f"test accuracy is highest at the last step ({study.test_accuracy[-1]:.1%}): no turn down"
    else:
        fall = _digits(study.fall, n)
        verdict = "beyond the noise, but small" if study.turns_down else "within the noise"
        acc = (
            f"test accuracy peaks at {study.test_accuracy[peak]:.1%} at step {s[peak]:,} and ends at "
            f"{study.test_accuracy[-1]:.1%}, {fall:,} {noun} of {n:,} fewer ({verdict}: the paired "
            f"bootstrap's 95% interval is {lo:,} to {hi:,} {noun})"
        )
    low = study.loss_low
    if study.loss_turns_up:
        rise = study.test_loss[-1] / study.test_loss[low] - 1
        loss = (
            f"the test loss is lowest ({study.test_loss[low]:.3f}) at step {s[low]:,} and then rises "
            f"{rise:.0%} to {study.test_loss[-1]:.3f} while the training loss falls to "
            f"{study.train_loss[-1]:.3f}"
        )
    else:
        loss = f"the test loss still falls at the last step ({study.test_loss[-1]:.3f})"
    return f"{acc}; {loss}"


@themed
def overfitting_figure(
    sizes,
    train_accuracy,
    test_accuracy,
    study: StepStudy,
    steps: int,
    theme: Theme,
    preset: Preset,
    noun: str = "digits",
) -> Figure:
    """Training and test accuracy against training size (top), and at ``study.train_size`` examples against
    the step: accuracies (bottom left) and losses (bottom right)."""
    train_c, test_c = mpl_colour(theme.series[1]), mpl_colour(theme.accent)
    marker = preset.points(3)
    fig = new_figure(theme, preset, aspect=aspect(preset, 0.85))
    axes = fig.subplot_mosaic([["size"] * 3, ["acc", "zoom", "loss"]], height_ratios=[1, 1.1])

    ax = axes["size"]
    tr, te = 100 * np.asarray(train_accuracy), 100 * np.asarray(test_accuracy)
    ax.fill_between(sizes, te, tr, color=test_c, alpha=0.15, linewidth=0, label="the gap: overfitting")
    ax.plot(sizes, tr, color=train_c, marker="s", markersize=marker, label="training examples")
    ax.plot(sizes, te, color=test_c, marker="o", markersize=marker, label="test set")
    _plain_log_x(ax, np.asarray(sizes))
    ax.annotate(
        f"gap {tr[0] - te[0]:.0f} points",
        (sizes[0], (tr[0] + te[0]) / 2),
        xytext=(6, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        fontsize="small",
    )
    if len(sizes) > 1:  # one size (TRAIN_SIZE 1): its gap is written once, above
        ax.annotate(
            f"gap {tr[-1] - te[-1]:.1f} points",
            (sizes[-1], te[-1]),
            xytext=(0, -8),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize="small",
        )
    ax.axvline(study.train_size, color=mpl_colour(theme.muted), linestyle=":", linewidth=preset.points(1.2))
    ax.annotate(
        f"{study.train_size:,} examples: below",
        (study.train_size, 2),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize="small",
    )
    ax.set_ylim(0, 104)
    ax.set_xlabel("training examples (TRAIN_SIZE, log scale)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(f"Accuracy after {steps:,} steps, by training size")
    ax.legend(loc="lower right")

    x = study.steps
    shown = _drawn(x)
    xs = x[shown]
    ax = axes["acc"]
    lo, hi = 100 * study.band[0][shown], 100 * study.band[1][shown]
    ax.fill_between(xs, lo, hi, color=test_c, alpha=0.25, linewidth=0)
    ax.plot(xs, 100 * study.train_accuracy[shown], color=train_c, marker="s", markersize=marker * 0.8)
    ax.plot(xs, 100 * study.test_accuracy[shown], color=test_c, marker="o", markersize=marker * 0.8)
    ax.text(xs[-1], 100 * study.train_accuracy[-1] - 2, "training", ha="right", va="top", color=train_c)
    ax.text(xs[-1], lo[-1] - 2, "test", ha="right", va="top", color=test_c)
    _plain_log_x(ax, xs)
    ax.set_ylim(0, 104)
    ax.set_xlabel("training step (log scale)")
    ax.set_ylabel("accuracy (%)")
    ax.set_title(f"{study.train_size:,} examples: accuracy")
    _zoom(axes["zoom"], study, xs, test_c, preset, noun)

    ax = axes["loss"]
    ax.plot(xs, study.train_loss[shown], color=train_c, marker="s", markersize=marker * 0.8)
    ax.plot(xs, study.test_loss[shown], color=test_c, marker="o", markersize=marker * 0.8)
    ax.set_yscale("log")
    top = float(max(study.train_loss[shown].max(), study.test_loss[shown].max()))
    ax.annotate(
        "training",
        (xs[-1], study.train_loss[-1]),
        xytext=(-8, -2),
        textcoords="offset points",
        ha="right",
        va="top",
        color=train_c,
    )
    ax.text(xs[-1], study.test_loss[-1] * 1.1, "test", ha="right", va="bottom", color=test_c)
    low = study.loss_low
    if study.loss_turns_up and x[low] >= 1:
        ax.plot([x[low]], [study.test_loss[low]], marker="^", color=test_c, markersize=2 * marker)
        ax.annotate(
            f"test loss lowest,\n{study.test_loss[low]:.2f} at step {x[low]:,}",
            (x[low], study.test_loss[low]),
            xytext=(0.04, 0.2),  # above the training curve's end and its label, at the bottom right
            textcoords="axes fraction",
            ha="left",
            va="bottom",
            fontsize="small",
            arrowprops={"arrowstyle": "->", "color": mpl_colour(theme.foreground), "lw": preset.points(1)},
        )
    bottom = float(min(study.train_loss[shown].min(), study.test_loss[shown].min()))
    ax.set_ylim(bottom / 3, top * 4)
    _plain_log_x(ax, xs)
    ax.set_xlabel("training step (log scale)")
    ax.set_ylabel("loss (cross-entropy, log scale)")
    ax.set_title(f"{study.train_size:,} examples: loss")
    for ax in axes.values():
        ax.grid(True)
    return fig
