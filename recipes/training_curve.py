"""Test accuracy and training loss during training, and how small the text's "went down" is.

The text's training loop printed the test accuracy and the training loss every 100 steps, and the text
remarks that near the end "the loss was still decreasing but our accuracy slightly went down": overfitting.
Here they are for the default run. The right panel zooms into the last steps, marks every logged peak of
accuracy after which accuracy fell while the loss still fell, and says how many test digits each fall
lost. It shades the test set's noise, ±1 and ±2 binomial standard errors (sqrt(p (1 - p) / TEST_SIZE)):
on 10,000 test digits one standard error is about 29 digits, so dips of a few digits are within the noise,
not evidence of overfitting.
"""

from figgen.kit import accuracy_dips, describe_dips, run_recipe_file, training_curve_figure

ORDER = 60
KNOBS = ("TRAIN_SIZE", "TEST_SIZE", "LEARNING_RATE", "TRAIN_STEPS")
PARAMS = {"ZOOM_FROM": 1000}
QUICK = {"ZOOM_FROM": 20}
LIMITS = {"ZOOM_FROM": (0, 100_000)}
OUTPUTS = {"training_curve": "still"}


def make(ctx, p):
    run = ctx.train()
    dips = accuracy_dips(run.log)
    noun = "digits" if ctx.data.digits else "images"
    fig = training_curve_figure(run.log, dips, p.ZOOM_FROM, p.TEST_SIZE, ctx.theme, ctx.preset, noun)
    (first, acc0, loss0), (last, acc, loss) = run.log[0], run.log[-1]
    ctx.figure(
        "training_curve",
        fig,
        alt=f"Test accuracy rises from {acc0:.1%} at step {first} to {acc:.2%} at step {last:,} and the "
        f"training loss falls from {loss0:.3f} to {loss:.3f}; {describe_dips(dips, acc, p.TEST_SIZE, noun)}.",
    )


if __name__ == "__main__":
    run_recipe_file(__file__)
