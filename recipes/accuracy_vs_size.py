"""Test accuracy against training size: the linear model's plateau.

The same models as the weights_evolution animation (same sweep, same cache): the text's model trained on
1, 2, ... 10 and then ever more examples up to TRAIN_SIZE. Accuracy climbs fast over the first hundreds
of examples and then flattens: "at a certain point, feeding it more data doesn't help increase your
accuracy drastically", the limit of a linear classifier.
"""

import numpy as np
from matplotlib.ticker import FuncFormatter

from figgen.cli import run_recipe_file
from figgen.figures.training import accuracy_gains, rgb
from figgen.train import default_sweep_sizes

PARAMS = {"TRAIN_SIZE": 5500, "TEST_SIZE": 10000, "LEARNING_RATE": 0.1, "TRAIN_STEPS": 2500, "FRAMES": 36}
QUICK = {"TRAIN_SIZE": 300, "TEST_SIZE": 1000, "TRAIN_STEPS": 60, "FRAMES": 14}
LIMITS = {"FRAMES": (2, 400)}
OUTPUTS = {"accuracy_vs_size": "still"}


def make(ctx, p):
    sweep = ctx.sweep(default_sweep_sizes(p.TRAIN_SIZE, p.FRAMES))
    ok = ~np.isnan(sweep.accuracy)
    sizes, accuracy = sweep.sizes[ok], sweep.accuracy[ok]
    gains = accuracy_gains(sizes, accuracy)
    final = accuracy[-1]
    spans = "\n".join(f"{a:,} → {b:,} examples: +{100 * g:.1f} points" for a, b, g in gains)
    with ctx.style():
        fig = ctx.new_figure(aspect=None if ctx.preset.height else 0.5, nrows=1, ncols=1)
        ax = fig.axes[0]
        ax.plot(sizes, 100 * accuracy, marker="o", markersize=3, color=rgb(ctx.theme.accent))
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
        ax.set_title(f"Test accuracy after {p.TRAIN_STEPS:,} steps, by training size")
        ax.grid(True, which="major")
    ctx.figure(
        "accuracy_vs_size",
        fig,
        alt=f"Test accuracy on {p.TEST_SIZE:,} digits against training size on a log scale: "
        f"{accuracy[0]:.1%} with 1 example, {np.interp(np.log(10), np.log(sizes), accuracy):.1%} with 10, "
        f"{final:.1%} with {sizes[-1]:,}; gains per tenfold more data shrink: "
        + ", ".join(f"{a:,} to {b:,} +{100 * g:.1f} points" for a, b, g in gains)
        + ".",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
