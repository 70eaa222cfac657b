"""A 1 moved to the left edge, and the prediction that follows.

The text asks what happens to "a 1 that was drawn on the very left side of the square". Top: a real 1
from the test set moved left pixel by pixel (empty columns enter on the right; nothing wraps around)
until it touches the edge, with the trained model's prediction and its probability. Bottom: accuracy on
every test 1, and on the whole test set, against the shift. The linear model's templates sit where the
training digits were, centred, so a few pixels' move is enough to lose them.
"""

import numpy as np

from figgen.cli import run_recipe_file
from figgen.figures.training import accuracy_against_shift, leftmost_column, nth_of_digit, rgb, shift_left
from figgen.train import predict

PARAMS = {
    "TRAIN_SIZE": 5500,
    "TEST_SIZE": 10000,
    "LEARNING_RATE": 0.1,
    "TRAIN_STEPS": 2500,
    "DIGIT": 1,
    "WHICH": 0,
    "SHIFTS": [0, 1, 2, 4],
    "MAX_SHIFT": 12,
}
QUICK = {"TRAIN_SIZE": 300, "TEST_SIZE": 1000, "TRAIN_STEPS": 60}
LIMITS = {"DIGIT": (0, 9), "WHICH": (0, 10_000), "MAX_SHIFT": (1, 27)}
OUTPUTS = {"shifted_digit": "still"}


def make(ctx, p):
    run = ctx.run()
    x, labels = ctx.data.test(p.TEST_SIZE)
    index = nth_of_digit(labels, p.DIGIT, p.WHICH)
    edge = leftmost_column(x[index])
    shown = sorted({s for s in p.SHIFTS if 0 <= s < edge} | {edge})
    moved = np.stack([shift_left(x[index], s) for s in shown])
    probs = predict(run.weights, run.bias, moved)
    shifts = list(range(p.MAX_SHIFT + 1))
    ones = labels == p.DIGIT
    on_digit = accuracy_against_shift(run.weights, run.bias, x[ones], labels[ones], shifts)
    on_all = accuracy_against_shift(run.weights, run.bias, x, labels, shifts)
    good, bad = ctx.theme.good, ctx.theme.mistake
    with ctx.style():
        fig = ctx.new_figure(aspect=None if ctx.preset.height else 0.72)
        top = [f"d{i}" for i in range(len(shown))]
        axes = fig.subplot_mosaic([top, ["curve"] * len(shown)], height_ratios=[1, 1.25])
        for key, s, image, prob in zip(top, shown, moved, probs, strict=True):
            ax, guess = axes[key], int(prob.argmax())
            ax.imshow(image.reshape(28, 28), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(
                f"shift {s} px{' (edge)' if s == edge else ''}\nPrediction: {guess} ({prob[guess]:.0%})\n"
                f"P({p.DIGIT}) = {prob[p.DIGIT]:.2f}",
                color=rgb(good if guess == p.DIGIT else bad),
                fontsize="small",
            )
        ax = axes["curve"]
        ax.plot(shifts, 100 * on_digit, marker="o", markersize=3, label=f"all {ones.sum():,} test {p.DIGIT}s")
        ax.plot(shifts, 100 * on_all, marker="o", markersize=3, label=f"all {len(x):,} test digits")
        ax.set_xlabel("shift to the left (pixels)")
        ax.set_ylabel("test accuracy (%)")
        ax.set_ylim(-3, 103)
        ax.set_xticks(shifts)
        ax.legend(loc="upper right")
        ax.grid(True)
    collapse = next((s for s, a in zip(shifts, on_digit, strict=True) if a < 0.5), None)
    ctx.figure(
        "shifted_digit",
        fig,
        alt=f"Test digit #{index}, a {p.DIGIT}, shifted left by {', '.join(map(str, shown))} pixels is "
        f"predicted {', '.join(str(int(q.argmax())) for q in probs)}; accuracy on the {ones.sum():,} test "
        f"{p.DIGIT}s falls from {on_digit[0]:.1%} unshifted to {on_digit[1]:.1%} at 1 pixel"
        + (f" and below half from {collapse} pixels" if collapse is not None else "")
        + f", and on all test digits from {on_all[0]:.1%} to {on_all[-1]:.1%} at {shifts[-1]} pixels.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
