"""How a small test set gives a biased, spread accuracy.

The text: "If I wanted to cheat to get 94% accuracy, I could set the test examples to 100." The trained
default model is scored on the first BLOCK test digits (the text's TEST_SIZE(100)) and on every other
disjoint block of BLOCK digits of the test set: each dot is one block's accuracy. The line is the
accuracy on all TEST_SIZE digits, the mean of the blocks; the spread shows how much a small test set
can flatter or blame the same model.
"""

import numpy as np

from figgen.cli import run_recipe_file
from figgen.figures.training import block_accuracies, correct, rgb

PARAMS = {"TRAIN_SIZE": 5500, "TEST_SIZE": 10000, "LEARNING_RATE": 0.1, "TRAIN_STEPS": 2500, "BLOCK": 100}
QUICK = {"TRAIN_SIZE": 300, "TEST_SIZE": 1000, "TRAIN_STEPS": 60}
LIMITS = {"BLOCK": (1, 100_000)}
OUTPUTS = {"test_size_bias": "still"}


def make(ctx, p):
    run = ctx.run()
    x, labels = ctx.data.test(p.TEST_SIZE)
    hits = correct(run.weights, run.bias, x, labels)
    blocks = block_accuracies(hits, p.BLOCK)
    full = hits.mean()
    # a dot plot: blocks with the same accuracy stack upwards, the first block (the text's) highlighted
    values = np.round(100 * blocks, 6)
    height = np.array([np.sum(values[:i] == v) for i, v in enumerate(values)])
    with ctx.style():
        fig = ctx.new_figure(aspect=None if ctx.preset.height else 0.45, nrows=1, ncols=1)
        ax = fig.axes[0]
        size = (4.5 * ctx.preset.scale * 100 / ctx.preset.dpi) ** 2
        ax.scatter(
            values[1:],
            height[1:] + 1,
            s=size,
            color=rgb(ctx.theme.accent),
            label=f"the other {len(blocks) - 1} blocks of {p.BLOCK}",
        )
        ax.scatter(
            values[:1],
            height[:1] + 1,
            s=size * 2.2,
            color=rgb(ctx.theme.mistake),
            marker="D",
            label=f"first {p.BLOCK} (TEST_SIZE = {p.BLOCK}): {blocks[0]:.0%}",
            zorder=3,
        )
        ax.axvline(100 * full, color=rgb(ctx.theme.foreground), linewidth=1.5)
        ax.annotate(
            f"all {len(hits):,}: {full:.2%}",
            (100 * full, 1),
            xycoords=("data", "axes fraction"),
            xytext=(4, -4),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize="small",
        )
        ax.set_ylim(0, height.max() + 2)
        ax.set_xlabel(f"test accuracy on a block of {p.BLOCK} test digits (%)")
        ax.set_ylabel("blocks")
        ax.set_title(
            f"One model, {len(blocks)} test sets of {p.BLOCK}: accuracy "
            f"{blocks.min():.0%} to {blocks.max():.0%}"
        )
        ax.legend(loc="upper left")
        ax.grid(True, axis="x")
    ctx.figure(
        "test_size_bias",
        fig,
        alt=f"Accuracy of the trained model on each of {len(blocks)} disjoint blocks of {p.BLOCK} test "
        f"digits: the first block (the text's TEST_SIZE = {p.BLOCK}) scores {blocks[0]:.0%}, the blocks "
        f"range from {blocks.min():.0%} to {blocks.max():.0%} (standard deviation "
        f"{100 * blocks.std():.1f} points), while all {len(hits):,} test digits give {full:.2%}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
