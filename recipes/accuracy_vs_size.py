"""Test accuracy against training size: the linear model's plateau.

The same models as the weights_evolution animation (same sweep, same cache): the text's model trained on
1, 2, ... 10 and then ever more examples up to TRAIN_SIZE. Accuracy climbs fast over the first hundreds
of examples and then flattens: "at a certain point, feeding it more data doesn't help increase your
accuracy drastically", the limit of a linear classifier.
"""

import numpy as np

from figgen.kit import (
    accuracy_gains,
    accuracy_vs_size_figure,
    default_sweep_sizes,
    describe_gains,
    run_recipe_file,
)

ORDER = 140
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"FRAMES": 36}
QUICK = {"FRAMES": 14}
LIMITS = {"FRAMES": (2, 400)}
OUTPUTS = {"accuracy_vs_size": "still"}


def make(ctx, p):
    sweep = ctx.sweep(default_sweep_sizes(p.TRAIN_SIZE, p.FRAMES))
    sizes, accuracy = sweep.sizes, sweep.accuracy  # a diverged model stops the sweep with an error
    gains = accuracy_gains(sizes, accuracy)
    fig = accuracy_vs_size_figure(sizes, accuracy, gains, p.TRAIN_STEPS, ctx.theme, ctx.preset)
    at_10 = np.interp(np.log(10), np.log(sizes), accuracy)
    ctx.figure(
        "accuracy_vs_size",
        fig,
        alt=f"Test accuracy on {p.TEST_SIZE:,} digits against training size on a log scale: "
        f"{accuracy[0]:.1%} with 1 example, {at_10:.1%} with 10, {accuracy[-1]:.1%} with {sizes[-1]:,}; "
        f"gains per tenfold more data shrink: {describe_gains(gains)}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
