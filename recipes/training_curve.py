"""Test accuracy and training loss during training.

The text's training loop printed the test accuracy and the training loss every 100 steps. Here they are
for the default run: the loss keeps falling to the end, while the accuracy on unseen test digits now and
then slips down a little: the text's remark on overfitting. The right panel zooms into the last steps and
marks every logged peak of accuracy after which accuracy fell while the loss still fell.
"""

from figgen.analysis import accuracy_dips
from figgen.figures.curves import describe_dips, training_curve_figure
from figgen.recipe import run_recipe_file

KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"ZOOM_FROM": 1000}
QUICK = {"ZOOM_FROM": 20}
LIMITS = {"ZOOM_FROM": (0, 100_000)}
OUTPUTS = {"training_curve": "still"}


def make(ctx, p):
    run = ctx.run()
    dips = accuracy_dips(run.log)
    fig = training_curve_figure(run.log, dips, p.ZOOM_FROM, p.TEST_SIZE, ctx.theme, ctx.preset)
    (first, acc0, loss0), (last, acc, loss) = run.log[0], run.log[-1]
    ctx.figure(
        "training_curve",
        fig,
        alt=f"Test accuracy rises from {acc0:.1%} at step {first} to {acc:.2%} at step {last:,} and the "
        f"training loss falls from {loss0:.3f} to {loss:.3f}; {describe_dips(dips)}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
